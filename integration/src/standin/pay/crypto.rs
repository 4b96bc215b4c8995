//! The cryptography of WeChat Pay API v3, for both ends: SHA256withRSA (RSASSA-PKCS1-v1_5) over
//! the documented newline-terminated messages, and AEAD_AES_256_GCM for notification resources.
//! The stand-in makes fresh RSA-2048 keys every run (none is ever committed) and hands the
//! worker's half to the test scripts as files.

use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::rand_core::OsRng;
use rsa::sha2::Sha256;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};

/// The size WeChat Pay's keys and ours have (`…-RSA2048`).
pub const KEY_BITS: usize = 2048;
/// Written into `STANDIN_KEYS_DIR`: the merchant API private key (Base64 of PKCS#8 DER), which
/// the worker signs its requests and paySigns with.
pub const MERCHANT_KEY_FILE: &str = "merchant_private_pkcs8.b64";
/// Written into `STANDIN_KEYS_DIR`: the 微信支付公钥 (Base64 of SPKI DER), which the worker
/// verifies answers and notifications with.
pub const WECHATPAY_KEY_FILE: &str = "wechatpay_public_spki.b64";

/// The two key pairs of one run: the merchant's and WeChat Pay's.
#[derive(Debug, Clone)]
pub struct KeyPairs {
    /// The merchant's API key (the stand-in keeps only its public half once the file is written).
    pub merchant: RsaPrivateKey,
    /// WeChat Pay's key, which signs answers and notifications.
    pub platform: RsaPrivateKey,
}

impl KeyPairs {
    /// Two fresh RSA-2048 pairs, made side by side (each takes a while in a debug build).
    ///
    /// # Errors
    /// When the system's random source fails.
    pub fn generate() -> Result<Self, rsa::Error> {
        std::thread::scope(|scope| {
            let platform = scope.spawn(|| RsaPrivateKey::new(&mut OsRng, KEY_BITS));
            let merchant = RsaPrivateKey::new(&mut OsRng, KEY_BITS)?;
            let platform = platform.join().unwrap_or(Err(rsa::Error::Internal))?;
            Ok(Self { merchant, platform })
        })
    }

    /// Writes [`MERCHANT_KEY_FILE`] and [`WECHATPAY_KEY_FILE`] into `dir` (made if missing), each
    /// one Base64 line without a newline, replacing whatever an earlier run left.
    ///
    /// # Errors
    /// When the directory or a file cannot be written.
    pub fn write_to(&self, dir: &Path) -> Result<(), String> {
        let merchant = self
            .merchant
            .to_pkcs8_der()
            .map_err(|e| format!("merchant key: {e}"))?;
        let platform = RsaPublicKey::from(&self.platform)
            .to_public_key_der()
            .map_err(|e| format!("WeChat Pay key: {e}"))?;
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        write_line(
            &dir.join(MERCHANT_KEY_FILE),
            &STANDARD.encode(merchant.as_bytes()),
        )?;
        write_line(
            &dir.join(WECHATPAY_KEY_FILE),
            &STANDARD.encode(platform.as_bytes()),
        )
    }
}

/// Writes beside `path` and renames, so a script waiting for the file never reads half of it.
fn write_line(path: &Path, line: &str) -> Result<(), String> {
    let temporary = path.with_extension("tmp");
    let fail = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(fail)?;
    file.write_all(line.as_bytes()).map_err(fail)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(fail)
}

/// A private key from Base64 PKCS#8 DER (as in [`MERCHANT_KEY_FILE`]).
pub fn private_key_from_b64(b64: &str) -> Option<RsaPrivateKey> {
    let der = STANDARD.decode(b64.trim()).ok()?;
    RsaPrivateKey::from_pkcs8_der(&der).ok()
}

/// A public key from Base64 SPKI DER (as in [`WECHATPAY_KEY_FILE`]).
pub fn public_key_from_b64(b64: &str) -> Option<RsaPublicKey> {
    let der = STANDARD.decode(b64.trim()).ok()?;
    RsaPublicKey::from_public_key_der(&der).ok()
}

/// SHA256withRSA of `message`, Base64 with padding: deterministic, so documented vectors hold.
pub fn sign(key: &RsaPrivateKey, message: &[u8]) -> String {
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(message);
    STANDARD.encode(signature.to_bytes())
}

/// Whether `signature` (Base64) is `key`'s SHA256withRSA of `message`.
pub fn verify(key: &RsaPublicKey, message: &[u8], signature: &str) -> bool {
    let Ok(bytes) = STANDARD.decode(signature) else {
        return false;
    };
    let Ok(signature) = Signature::try_from(bytes.as_slice()) else {
        return false;
    };
    VerifyingKey::<Sha256>::new(key.clone())
        .verify(message, &signature)
        .is_ok()
}

/// Lines joined with, and each ended by, `\n` — the shape of every signed message.
fn lines(parts: &[&[u8]]) -> Vec<u8> {
    let mut message = Vec::new();
    for part in parts {
        message.extend_from_slice(part);
        message.push(b'\n');
    }
    message
}

/// What a request's signature covers: method, path with query as sent, timestamp, nonce, body
/// (empty for GET).
pub fn request_message(
    method: &str,
    url: &str,
    timestamp: &str,
    nonce: &str,
    body: &[u8],
) -> Vec<u8> {
    lines(&[
        method.as_bytes(),
        url.as_bytes(),
        timestamp.as_bytes(),
        nonce.as_bytes(),
        body,
    ])
}

/// What an answer's or notification's signature covers: timestamp, nonce, body.
pub fn answer_message(timestamp: &str, nonce: &str, body: &[u8]) -> Vec<u8> {
    lines(&[timestamp.as_bytes(), nonce.as_bytes(), body])
}

/// What a JSAPI paySign covers (`signType` is not part of it).
pub fn pay_sign_message(app_id: &str, timestamp: &str, nonce: &str, package: &str) -> Vec<u8> {
    lines(&[
        app_id.as_bytes(),
        timestamp.as_bytes(),
        nonce.as_bytes(),
        package.as_bytes(),
    ])
}

/// AEAD_AES_256_GCM of `plaintext`, the 16-byte tag appended, Base64: a notification's
/// `resource.ciphertext`. The key is the 32-character APIv3 key's bytes, the nonce 12 ASCII
/// characters' bytes. `None` if either has the wrong length.
pub fn seal(apiv3_key: &str, nonce: &str, aad: &str, plaintext: &[u8]) -> Option<String> {
    let cipher = Aes256Gcm::new_from_slice(apiv3_key.as_bytes()).ok()?;
    if nonce.len() != 12 {
        return None;
    }
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(nonce.as_bytes()),
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        .ok()?;
    Some(STANDARD.encode(sealed))
}

/// The plaintext of [`seal`]'s output, or `None` if anything was altered.
pub fn open(apiv3_key: &str, nonce: &str, aad: &str, ciphertext: &str) -> Option<Vec<u8>> {
    let cipher = Aes256Gcm::new_from_slice(apiv3_key.as_bytes()).ok()?;
    let sealed = STANDARD.decode(ciphertext).ok()?;
    if nonce.len() != 12 {
        return None;
    }
    cipher
        .decrypt(
            Nonce::from_slice(nonce.as_bytes()),
            Payload {
                msg: &sealed,
                aad: aad.as_bytes(),
            },
        )
        .ok()
}

/// Base64 of `bytes` (the one alphabet WeChat Pay uses).
pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// The bytes of Base64 `text`.
pub fn unb64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

/// Keys for the tests, made once per test binary (a 2048-bit pair takes a while unoptimised).
#[cfg(test)]
pub(crate) fn test_keys() -> &'static KeyPairs {
    static KEYS: std::sync::OnceLock<KeyPairs> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| KeyPairs::generate().unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The official test key of the 签名生成 page (pay.weixin.qq.com/doc/v3/merchant/4012365334),
    /// copied verbatim from a public test file quoting it; see /tmp/research/wechatpay.md §1.
    const OFFICIAL_TEST_KEY: &str = "\
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCm2mb6q8gMKH/3
CNTbpJAIrbqiBiQGEOtjGcBrDYltsGynWgNscqT7WvfzU14FQbYcQUC5T4Wvva7m
i3fIp3OgX8VqMDNA0qebnr38Pe6kqiLyZgFpJPXlSKDyPyqhRbVTbXssvSMQeVKc
dXeVxoNNeoOlNFHgF/P0io6AmAVnz+hN8SiZKuOsth5/zUTLGvtkgxBcQooQrtXh
RcpLT798OyIb9xeJ2HO3xRtMv2+perEzb4gMibI74UBz+2QEbnkubPE+2jU2rRZu
dnNEz/BPOt3Qj/w2V6/G0VumGDh6+UeMU0jv4aupHztWITC4Akn0l7lBCNy3lgl8
VFaJnkIxAgMBAAECggEAYGL8aESB7NwciDWW2UdoWUsa7GxFtSdjAz2mFXGdeTsY
mVh7b9OOkRGM+Qio4LqEHDBp1mMk5E/cUJwy1zw8pGGO5nfvs7u9TT3XnHaefIs4
YvUgTYAneIuLRkXNN5rQU+CD7mVYczTSz0Vgjqo9wa1LjUz7G0xbBmJgTdMEFGJs
eJjy6AbJo0CGIwp6HJbTm4CmOUgXnnDAIbEGTIRImkZFH/rzneIeR7oZ77FVwxr1
CZB2gfRCov/yRPbw8vnryYkmvQ7D/ze3j5097vRg/MoDGBSdoOwcmo75vyofr0AS
zytMjmHYyifqkf5slPropSiJeGf4p/7gtKyF6dE/XQKBgQDVAlJ+4U5ZVGOuDc3+
sAhz8CTzgFNlq9vKuSoFK6hOz2L+cwj+E7NXGkOe2DsHHZNy2Xqxk7caKhPEp1z9
hhpMpyLVMoFt6CKemyoRBWDCQwLLwem9SZF/IAyovBkLiH36P42Jm26gUkNMKC/5
Zhtqxf6RZgRQzbVudJi47vIRCwKBgQDIh0+v27Oo+DM3fhObH4I1NrXpWOEGH7OQ
G1dEsMuFYF4hjGhg0kBEP3w9vVdl2+mRllZKTsx9oqjb8OibPLLIH8xsdbAB0WLf
JvjLu4wl/ILUzN1RI03dWnnv2EnEeQn6c3hizvrJ9wR5U4ue9RPVnQooJ0hZF1PU
uCL5fWK3MwKBgElReU/PAYbh80WP3t3Rfbdaa32dKBeQ5iCLR5lsA4zM+YgX1HqQ
EWTj126vgvHaDkyz6vWAoL/Sx+cirHFfXWIRDX5Q2hgYlQH+6qXdMgbrxeSYpHnQ
/tHBGFpkFELSAnrGsVMyOwvYBO4LzyeLK9i+ufcWJFoj1FVmsMLHDG8tAoGARdbi
iQQCoYG4DMarO2aQ6cmhN6EN1h0qY7EyBqlwaIZ0okiNfdMcMOjPc41DKCWcRmlO
qlihXcxN9TQFPzO3rH1urAOdBjUPs1qWYhZyrDQyuLyVBBJApyxAtajloDjrob+f
mQIvVDHk7ACN6xG+E7K6+9salnTKbJapD618uQMCgYBNy6XUvzLkP/A1U/UZdtcx
l8GwU/dturLxz4CyGbqDw4ubaYY2e13lnqHUqQgPtiSyH51nq3tdo8G0YAJdfkSv
KvnfslW91fyEBUKnkdW1o3/1UFU/wprZ7ixVL/F42A4xDu7OFE8EnweJOZ0jWceE
OdhCkaIGBCfRnlECRK8UyQ==";

    const VECTOR_BODY: &str = r#"{"appid":"wxd678efh567hg6787","mchid":"1900007291","description":"Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php","amount":{"total":100,"currency":"CNY"},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}"#;
    const VECTOR_SIGNATURE: &str = "jnks4dlrPw3ZX+ozVvSK39oa0t7OMBsg83BHAwd8BRdUFiVaQNTLTvci+wURgP1OQBbKYhFGvt7iqYpDSTQkp7Uq1sltaQKyncCyrA1g88m5bsKERQfPyT0ahSwKTYJ1CAn9QiJuSJRq1QsQs07eehbU/k9BCS51jTyc1Jpsi2H77HF9f/BnjXAOP3/sPObg6V5Ee4EzwLox684hhuMuIwHo7D8KFk3LIHOKDcNI4It1aCXydFWNpNK+SG86VUDe5kwoDpw4Ulqfu9z8OFDGbDs9TCxEv8iqQzbpxOlEVoOe2kalSYM5kApQb3nZcxdUtoE0liJGW3RGUNE0t4v01A==";

    #[test]
    fn the_documented_request_signature_is_reproduced() {
        let key = private_key_from_b64(&OFFICIAL_TEST_KEY.replace('\n', "")).unwrap();
        let message = request_message(
            "POST",
            "/v3/pay/transactions/jsapi",
            "1554208460",
            "593BEC0C930BF1AFEB40B4A08C8FB242",
            VECTOR_BODY.as_bytes(),
        );
        assert_eq!(sign(&key, &message), VECTOR_SIGNATURE);
        assert!(verify(
            &RsaPublicKey::from(&key),
            &message,
            VECTOR_SIGNATURE
        ));
        let get = request_message(
            "GET",
            "/v3/refund/domestic/refunds/123123123123",
            "1554208460",
            "593BEC0C930BF1AFEB40B4A08C8FB242",
            b"",
        );
        assert!(sign(&key, &get).starts_with("Lc9VXxmeonkdV8Xk9tmigQFLhl0vRWTerdmoRu01aAnY"));
    }

    #[test]
    fn the_sdk_aead_vector_opens_and_a_flipped_bit_does_not() {
        // wechatpay-java AeadAesCipherTest with TestConfig.API_V3_KEY.
        let key = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
        let sealed = "ulwSiIajGClcvcOYvOQ7+l+0PAbzzwI=";
        assert_eq!(
            seal(key, "uluk4a9R25RW", "associatedData", b"message").as_deref(),
            Some(sealed)
        );
        assert_eq!(
            open(key, "uluk4a9R25RW", "associatedData", sealed).as_deref(),
            Some(&b"message"[..])
        );
        let mut bytes = unb64(sealed).unwrap();
        bytes[0] ^= 1;
        assert_eq!(
            open(key, "uluk4a9R25RW", "associatedData", &b64(&bytes)),
            None
        );
        assert_eq!(open(key, "uluk4a9R25RW", "other", sealed), None);
    }

    #[test]
    fn generated_keys_round_trip_through_their_files() {
        let keys = test_keys();
        let dir = std::env::temp_dir().join(format!("standin-keys-{}", std::process::id()));
        keys.write_to(&dir).unwrap();
        let merchant = std::fs::read_to_string(dir.join(MERCHANT_KEY_FILE)).unwrap();
        let platform = std::fs::read_to_string(dir.join(WECHATPAY_KEY_FILE)).unwrap();
        assert!(!merchant.contains('\n') && !merchant.contains("BEGIN"));
        let merchant = private_key_from_b64(&merchant).unwrap();
        let platform = public_key_from_b64(&platform).unwrap();
        assert_eq!(merchant, keys.merchant);
        let signature = sign(&keys.platform, b"1\n2\n3\n");
        assert!(verify(&platform, b"1\n2\n3\n", &signature));
        assert!(!verify(&platform, b"1\n2\n4\n", &signature));
        let _ = std::fs::remove_dir_all(dir);
    }
}
