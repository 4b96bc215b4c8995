//! Ids the stand-in hands out (codes, tokens, serial numbers, request ids): SHA-256 of a random
//! seed and a counter, so they cannot be guessed by the worker under test and never repeat.

use sha2::{Digest, Sha256};

/// The source of every id.
#[derive(Debug, Clone)]
pub struct Ids {
    seed: [u8; 32],
    counter: u64,
}

impl Ids {
    /// A generator seeded from the operating system (or, failing that, the clock and pid).
    pub fn new() -> Self {
        let mut seed = [0u8; 32];
        if getrandom::getrandom(&mut seed).is_err() {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            let fallback = Sha256::digest(format!("{nanos}:{}", std::process::id()));
            seed.copy_from_slice(&fallback);
        }
        Self { seed, counter: 0 }
    }

    fn next(&mut self) -> [u8; 32] {
        self.counter += 1;
        let mut hash = Sha256::new();
        hash.update(self.seed);
        hash.update(self.counter.to_be_bytes());
        hash.finalize().into()
    }

    /// `len` lowercase hex characters (at most 64).
    pub fn hex(&mut self, len: usize) -> String {
        let mut text = hex::encode(self.next());
        text.truncate(len);
        text
    }

    /// `len` decimal digits (at most 32).
    pub fn digits(&mut self, len: usize) -> String {
        self.next()
            .iter()
            .take(len)
            .map(|b| char::from(b'0' + b % 10))
            .collect()
    }

    /// A request id shaped like Tencent's (`a0aabda6-cf91-4f3e-a81f-9198114a2279`).
    pub fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }

    /// A positive number below 2^62, e.g. the first of WeChat's message ids.
    pub fn number(&mut self) -> i64 {
        let bytes = self.next();
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&bytes[..8]);
        i64::from_be_bytes(eight) & ((1 << 62) - 1)
    }
}

impl Default for Ids {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_their_shape_and_do_not_repeat() {
        let mut ids = Ids::new();
        let (a, b) = (ids.hex(32), ids.hex(32));
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(ids.digits(30).bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(ids.uuid().len(), 36);
        assert!(ids.number() >= 0);
    }
}
