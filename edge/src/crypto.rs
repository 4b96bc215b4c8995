//! Randomness and keyed hashes: session tokens, sign-in codes, car-park signatures.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use wasm_bindgen::JsCast;
use web_sys::WorkerGlobalScope;

use crate::error::{AppError, AppResult};

type HmacSha256 = Hmac<Sha256>;

/// `n` bytes from the runtime's cryptographic generator (`crypto.getRandomValues`).
pub fn random_bytes(n: usize) -> AppResult<Vec<u8>> {
    let mut buf = vec![0u8; n];
    let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
    scope
        .crypto()
        .and_then(|c| c.get_random_values_with_u8_array(&mut buf))
        .map_err(|e| AppError::internal(format!("getRandomValues: {e:?}")))?;
    Ok(buf)
}

/// A random token as lowercase hex (`bytes` of entropy).
pub fn random_hex(bytes: usize) -> AppResult<String> {
    Ok(hex::encode(random_bytes(bytes)?))
}

/// A uniformly random six-digit sign-in code.
pub fn random_code() -> AppResult<String> {
    // Rejection sampling keeps every code equally likely (no modulo bias).
    loop {
        let b = random_bytes(4)?;
        let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if n < 4_294_000_000 {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

/// HMAC-SHA256 of `message` under `key`, as lowercase hex.
pub fn hmac_hex(key: &[u8], message: &[u8]) -> String {
    hex::encode(hmac(key, message))
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// Whether `signature_hex` is the HMAC-SHA256 of `message` under `key` (compared in constant
/// time, so a forger learns nothing from how long a wrong guess takes).
pub fn hmac_verify(key: &[u8], message: &[u8], signature_hex: &str) -> bool {
    let Ok(signature) = hex::decode(signature_hex.trim()) else {
        return false;
    };
    let Ok(mut mac) = <HmacSha256 as Mac>::new_from_slice(key) else {
        return false;
    };
    mac.update(message);
    mac.verify_slice(&signature).is_ok()
}
