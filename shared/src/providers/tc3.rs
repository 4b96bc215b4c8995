//! Tencent Cloud API 3.0 request signing (`TC3-HMAC-SHA256`, "签名方法 v3").
//!
//! A POST with a JSON body to `https://{service}.tencentcloudapi.com/` is signed over its
//! method, path, headers `content-type`, `host` and `x-tc-action`, and the SHA-256 of its body,
//! with a key derived from the secret key, the UTC date and the service. The worker signs with it
//! and the local stand-in checks with it; the test below reproduces Tencent's worked example.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The algorithm's name, first word of the `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The content type every signed JSON request carries (signed as written here).
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// The headers signed, in order.
pub const SIGNED_HEADERS: &str = "content-type;host;x-tc-action";

/// One request to sign: who, which service and action, when, and the exact body bytes.
#[derive(Debug, Clone, Copy)]
pub struct Tc3Request<'a> {
    /// The API key's public half (`SecretId`).
    pub secret_id: &'a str,
    /// The API key's secret half (`SecretKey`).
    pub secret_key: &'a str,
    /// The product, e.g. `sms` (also the host's first label).
    pub service: &'a str,
    /// The `Host` header as sent, e.g. `sms.tencentcloudapi.com`.
    pub host: &'a str,
    /// The `X-TC-Action` header, e.g. `SendSms` (signed lowercased).
    pub action: &'a str,
    /// The `X-TC-Timestamp` header: Unix seconds.
    pub timestamp: i64,
    /// The body exactly as sent.
    pub payload: &'a str,
}

impl Tc3Request<'_> {
    /// The UTC date of the timestamp (`2019-02-25`), part of the credential scope.
    pub fn date(&self) -> String {
        let at = OffsetDateTime::from_unix_timestamp(self.timestamp)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let (y, m, d) = (at.year(), u8::from(at.month()), at.day());
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Step 1: the canonical request.
    pub fn canonical_request(&self) -> String {
        format!(
            "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{}\nx-tc-action:{}\n\n{SIGNED_HEADERS}\n{}",
            self.host,
            self.action.to_ascii_lowercase(),
            sha256_hex(self.payload.as_bytes())
        )
    }

    /// `{date}/{service}/tc3_request`.
    pub fn credential_scope(&self) -> String {
        format!("{}/{}/tc3_request", self.date(), self.service)
    }

    /// Step 2: the string to sign.
    pub fn string_to_sign(&self) -> String {
        format!(
            "{ALGORITHM}\n{}\n{}\n{}",
            self.timestamp,
            self.credential_scope(),
            sha256_hex(self.canonical_request().as_bytes())
        )
    }

    /// Step 3: the signature, lowercase hex.
    pub fn signature(&self) -> String {
        let secret_date = hmac(
            format!("TC3{}", self.secret_key).as_bytes(),
            self.date().as_bytes(),
        );
        let secret_service = hmac(&secret_date, self.service.as_bytes());
        let secret_signing = hmac(&secret_service, b"tc3_request");
        hex::encode(hmac(&secret_signing, self.string_to_sign().as_bytes()))
    }

    /// Step 4: the `Authorization` header.
    pub fn authorization(&self) -> String {
        format!(
            "{ALGORITHM} Credential={}/{}, SignedHeaders={SIGNED_HEADERS}, Signature={}",
            self.secret_id,
            self.credential_scope(),
            self.signature()
        )
    }
}

/// The parts of an `Authorization` header a verifier needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The `SecretId` named.
    pub secret_id: String,
    /// The credential scope's date.
    pub date: String,
    /// The credential scope's service.
    pub service: String,
    /// The signed headers listed.
    pub signed_headers: String,
    /// The signature claimed.
    pub signature: String,
}

impl Authorization {
    /// Reads `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=…,
    /// Signature=…`; `None` for anything else.
    pub fn parse(header: &str) -> Option<Self> {
        let rest = header.strip_prefix(ALGORITHM)?.trim_start();
        let mut credential = None;
        let mut signed_headers = None;
        let mut signature = None;
        for part in rest.split(',') {
            let (name, value) = part.trim().split_once('=')?;
            match name {
                "Credential" => credential = Some(value),
                "SignedHeaders" => signed_headers = Some(value),
                "Signature" => signature = Some(value),
                _ => return None,
            }
        }
        let mut scope = credential?.split('/');
        let (secret_id, date, service, end) =
            (scope.next()?, scope.next()?, scope.next()?, scope.next()?);
        if end != "tc3_request" || scope.next().is_some() {
            return None;
        }
        Some(Self {
            secret_id: secret_id.to_owned(),
            date: date.to_owned(),
            service: service.to_owned(),
            signed_headers: signed_headers?.to_owned(),
            signature: signature?.to_owned(),
        })
    }
}

/// SHA-256 as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length: `new_from_slice` cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tencent's worked example ("签名方法 v3", https://cloud.tencent.com/document/api/213/30654:
    /// CVM DescribeInstances in ap-guangzhou, the version that signs `x-tc-action`). The page's
    /// keys are literally `AKID` and 32 asterisks, and 32 asterisks; the body's `\u672a…` escapes
    /// are sent as written.
    const EXAMPLE: Tc3Request<'static> = Tc3Request {
        secret_id: "AKID********************************",
        secret_key: "********************************",
        service: "cvm",
        host: "cvm.tencentcloudapi.com",
        action: "DescribeInstances",
        timestamp: 1_551_113_065,
        payload: r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#,
    };

    #[test]
    fn the_documented_example_gives_the_documented_signature() {
        assert_eq!(EXAMPLE.date(), "2019-02-25");
        assert_eq!(
            EXAMPLE.canonical_request(),
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            EXAMPLE.string_to_sign(),
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
        );
        assert_eq!(
            EXAMPLE.signature(),
            "10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
        );
        assert_eq!(
            EXAMPLE.authorization(),
            "TC3-HMAC-SHA256 Credential=AKID********************************/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f"
        );
    }

    #[test]
    fn a_header_reads_back_into_its_parts() {
        let parsed = Authorization::parse(&EXAMPLE.authorization());
        assert_eq!(
            parsed,
            Some(Authorization {
                secret_id: EXAMPLE.secret_id.to_owned(),
                date: "2019-02-25".to_owned(),
                service: "cvm".to_owned(),
                signed_headers: SIGNED_HEADERS.to_owned(),
                signature: EXAMPLE.signature(),
            })
        );
        assert_eq!(Authorization::parse("Bearer abc"), None);
        assert_eq!(
            Authorization::parse(
                "TC3-HMAC-SHA256 Credential=a/b/c/other, SignedHeaders=x, Signature=y"
            ),
            None
        );
    }

    #[test]
    fn any_change_to_the_body_or_key_changes_the_signature() {
        let other_body = Tc3Request {
            payload: "{}",
            ..EXAMPLE
        };
        let other_key = Tc3Request {
            secret_key: "x",
            ..EXAMPLE
        };
        let next_day = Tc3Request {
            timestamp: EXAMPLE.timestamp + 86_400,
            ..EXAMPLE
        };
        for changed in [other_body, other_key, next_day] {
            assert_ne!(changed.signature(), EXAMPLE.signature());
        }
    }
}
