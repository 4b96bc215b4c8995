//! The RSA and AES of WeChat Pay through the runtime's WebCrypto (no RSA crate in the bundle):
//! signing our requests and pay sheets with the merchant key, checking WeChat Pay's answers and
//! notifications with its public key, opening notification resources with the APIv3 key.

use base64::{engine::general_purpose::STANDARD, Engine};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto, WorkerGlobalScope};

use crate::error::{AppError, AppResult};

/// A key as configured: PEM, or its base64 body alone (what fits in one `--var`).
pub fn der_of(key: &str) -> AppResult<Vec<u8>> {
    let body: String = key
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(str::split_whitespace)
        .collect();
    STANDARD
        .decode(body)
        .map_err(|e| AppError::internal(format!("key is not base64: {e}")))
}

fn subtle() -> AppResult<SubtleCrypto> {
    let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
    Ok(scope.crypto().map_err(js_error)?.subtle())
}

fn js_error(e: JsValue) -> AppError {
    AppError::internal(format!("WebCrypto: {e:?}"))
}

/// `{name, …}` as a JS object.
fn algorithm(name: &str, fields: &[(&str, JsValue)]) -> AppResult<Object> {
    let object = Object::new();
    Reflect::set(&object, &"name".into(), &name.into()).map_err(js_error)?;
    for (key, value) in fields {
        Reflect::set(&object, &(*key).into(), value).map_err(js_error)?;
    }
    Ok(object)
}

fn rsa() -> AppResult<Object> {
    algorithm("RSASSA-PKCS1-v1_5", &[("hash", "SHA-256".into())])
}

async fn import(format: &str, der: &[u8], algo: &Object, usage: &str) -> AppResult<CryptoKey> {
    let data = Uint8Array::from(der);
    let usages = Array::of1(&usage.into());
    let promise = subtle()?
        .import_key_with_object(format, &data, algo, false, &usages)
        .map_err(js_error)?;
    Ok(JsFuture::from(promise)
        .await
        .map_err(js_error)?
        .unchecked_into())
}

/// Base64 of RSASSA-PKCS1-v1_5 SHA-256 over `message` with the PKCS#8 key `private_der`.
pub async fn sign(private_der: &[u8], message: &str) -> AppResult<String> {
    let key = import("pkcs8", private_der, &rsa()?, "sign").await?;
    let promise = subtle()?
        .sign_with_object_and_u8_array(&rsa()?, &key, message.as_bytes())
        .map_err(js_error)?;
    let signature = JsFuture::from(promise).await.map_err(js_error)?;
    Ok(STANDARD.encode(Uint8Array::new(&signature).to_vec()))
}

/// Whether `signature_b64` is the SPKI key `public_der`'s signature over `message`.
pub async fn verify(public_der: &[u8], message: &str, signature_b64: &str) -> AppResult<bool> {
    let Ok(signature) = STANDARD.decode(signature_b64.trim()) else {
        return Ok(false);
    };
    let key = import("spki", public_der, &rsa()?, "verify").await?;
    let promise = subtle()?
        .verify_with_object_and_u8_array_and_u8_array(&rsa()?, &key, &signature, message.as_bytes())
        .map_err(js_error)?;
    Ok(JsFuture::from(promise).await.map_err(js_error)?.is_truthy())
}

/// AEAD_AES_256_GCM: the plaintext of `ciphertext_b64` (tag appended), or `None` if it does not
/// open under `key` with `nonce` and `aad` (tampered, or not ours).
pub async fn open(
    key: &[u8],
    nonce: &str,
    aad: &str,
    ciphertext_b64: &str,
) -> AppResult<Option<Vec<u8>>> {
    let Ok(sealed) = STANDARD.decode(ciphertext_b64.trim()) else {
        return Ok(None);
    };
    let aes = algorithm("AES-GCM", &[])?;
    let key = import("raw", key, &aes, "decrypt").await?;
    let params = algorithm(
        "AES-GCM",
        &[
            ("iv", Uint8Array::from(nonce.as_bytes()).into()),
            ("additionalData", Uint8Array::from(aad.as_bytes()).into()),
            ("tagLength", 128.into()),
        ],
    )?;
    let promise = subtle()?
        .decrypt_with_object_and_u8_array(&params, &key, &sealed)
        .map_err(js_error)?;
    match JsFuture::from(promise).await {
        Ok(plain) => Ok(Some(Uint8Array::new(&plain).to_vec())),
        Err(_) => Ok(None), // the tag does not match
    }
}
