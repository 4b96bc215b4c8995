//! Both directions of API v3's signatures: the `Authorization` header every request carries
//! (checked as WeChat Pay checks it: merchant, certificate serial, a 5-minute clock window and
//! SHA256withRSA over the exact bytes sent), and the `Wechatpay-*` headers every answer and
//! notification carries, signed with WeChat Pay's key so the worker has something real to verify.

use rsa::{RsaPrivateKey, RsaPublicKey};

use super::crypto::{answer_message, request_message, sign, verify};
use super::PayError;
use crate::standin::http::Request;
use crate::standin::ids::Ids;

/// The only authentication scheme.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";
/// "Http头Authorization中的timestamp与发起请求的时间不得超过5分钟".
pub const CLOCK_WINDOW_S: i64 = 5 * 60;

/// The five pairs of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// `mchid`.
    pub mchid: String,
    /// `nonce_str`.
    pub nonce_str: String,
    /// `signature` (Base64).
    pub signature: String,
    /// `timestamp` (Unix seconds, as sent).
    pub timestamp: String,
    /// `serial_no`: the merchant certificate's serial.
    pub serial_no: String,
}

impl Authorization {
    /// The header's five `key="value"` pairs, in any order, each exactly once.
    pub fn parse(header: &str) -> Option<Self> {
        let pairs = header.strip_prefix(SCHEME)?.strip_prefix(' ')?;
        let mut fields: [Option<String>; 5] = Default::default();
        for pair in pairs.split(',') {
            let (key, value) = pair.trim().split_once('=')?;
            let value = value.strip_prefix('"')?.strip_suffix('"')?;
            let slot = match key {
                "mchid" => 0,
                "nonce_str" => 1,
                "signature" => 2,
                "timestamp" => 3,
                "serial_no" => 4,
                _ => return None,
            };
            if fields[slot].replace(value.to_owned()).is_some() {
                return None;
            }
        }
        let [mchid, nonce_str, signature, timestamp, serial_no] = fields;
        Some(Self {
            mchid: mchid?,
            nonce_str: nonce_str?,
            signature: signature?,
            timestamp: timestamp?,
            serial_no: serial_no?,
        })
    }

    /// The header as the Go SDK writes it.
    pub fn header(&self) -> String {
        format!(
            "{SCHEME} mchid=\"{}\",nonce_str=\"{}\",timestamp=\"{}\",serial_no=\"{}\",signature=\"{}\"",
            self.mchid, self.nonce_str, self.timestamp, self.serial_no, self.signature
        )
    }
}

/// The merchant's side: the `Authorization` header for one request (tests and tools use it to
/// speak to the stand-in as the worker does).
pub fn authorize(
    key: &RsaPrivateKey,
    mchid: &str,
    serial_no: &str,
    (method, url, body): (&str, &str, &[u8]),
    timestamp: i64,
    nonce: &str,
) -> String {
    let timestamp = timestamp.to_string();
    let signature = sign(key, &request_message(method, url, &timestamp, nonce, body));
    Authorization {
        mchid: mchid.to_owned(),
        nonce_str: nonce.to_owned(),
        signature,
        timestamp,
        serial_no: serial_no.to_owned(),
    }
    .header()
}

/// What the merchant account must match.
pub struct Merchant<'a> {
    /// The 商户号.
    pub mch_id: &'a str,
    /// The merchant API certificate's serial.
    pub serial: &'a str,
    /// The merchant API public key.
    pub key: &'a RsaPublicKey,
}

/// Checks `req`'s signature and headers at `now_ms`.
///
/// # Errors
/// 401 `SIGN_ERROR` for anything wrong with the `Authorization` header (the log says what),
/// 400 `PARAM_ERROR` without a `User-Agent`.
pub fn check(req: &Request, merchant: &Merchant<'_>, now_ms: i64) -> Result<(), PayError> {
    let auth = req
        .header("Authorization")
        .ok_or_else(|| sign_error("no Authorization header"))?;
    let auth = Authorization::parse(auth).ok_or_else(|| {
        sign_error(&format!(
            "Authorization is not {SCHEME} with five pairs: {auth}"
        ))
    })?;
    if auth.mchid != merchant.mch_id {
        return Err(sign_error(&format!(
            "mchid {} is not this merchant",
            auth.mchid
        )));
    }
    if !auth.serial_no.eq_ignore_ascii_case(merchant.serial) {
        return Err(sign_error(&format!(
            "serial_no {} is not the merchant certificate's",
            auth.serial_no
        )));
    }
    let timestamp: i64 = auth
        .timestamp
        .parse()
        .map_err(|_| sign_error("timestamp is not Unix seconds"))?;
    if (now_ms.div_euclid(1000) - timestamp).abs() > CLOCK_WINDOW_S {
        return Err(sign_error("timestamp is more than 5 minutes off"));
    }
    if auth.nonce_str.is_empty() || auth.nonce_str.len() > 32 {
        return Err(sign_error("nonce_str is empty or over 32 characters"));
    }
    let message = request_message(
        &req.method,
        &req.url,
        &auth.timestamp,
        &auth.nonce_str,
        &req.body,
    );
    if !verify(merchant.key, &message, &auth.signature) {
        return Err(sign_error(&format!(
            "signature does not verify over {:?}",
            String::from_utf8_lossy(&message)
        )));
    }
    if req
        .header("User-Agent")
        .is_none_or(|ua| ua.trim().is_empty())
    {
        return Err(PayError::new(400, "PARAM_ERROR", "缺少User-Agent"));
    }
    Ok(())
}

fn sign_error(why: &str) -> PayError {
    PayError::new(401, "SIGN_ERROR", "签名错误").because(why)
}

/// The key and id that sign what WeChat Pay sends.
pub struct Platform<'a> {
    /// WeChat Pay's private key.
    pub key: &'a RsaPrivateKey,
    /// The 微信支付公钥 id (`Wechatpay-Serial`).
    pub public_key_id: &'a str,
}

/// The `Wechatpay-*` and `Request-ID` headers for `body` sent at `timestamp` (Unix seconds).
pub fn signature_headers(
    platform: &Platform<'_>,
    ids: &mut Ids,
    timestamp: i64,
    body: &[u8],
) -> Vec<(String, String)> {
    let timestamp = timestamp.to_string();
    let nonce = ids.hex(32);
    let signature = sign(platform.key, &answer_message(&timestamp, &nonce, body));
    vec![
        ("Wechatpay-Timestamp".to_owned(), timestamp),
        ("Wechatpay-Nonce".to_owned(), nonce),
        (
            "Wechatpay-Serial".to_owned(),
            platform.public_key_id.to_owned(),
        ),
        ("Wechatpay-Signature-Type".to_owned(), SCHEME.to_owned()),
        ("Wechatpay-Signature".to_owned(), signature),
        ("Request-ID".to_owned(), ids.hex(32).to_ascii_uppercase()),
    ]
}

/// The merchant's check of an answer or notification: the headers name `public_key_id`, the
/// timestamp is within 5 minutes and the signature verifies with `key`.
pub fn verify_signed(
    headers: &[(String, String)],
    body: &[u8],
    key: &RsaPublicKey,
    public_key_id: &str,
    now_ms: i64,
) -> bool {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let (Some(timestamp), Some(nonce), Some(signature), Some(serial)) = (
        header("Wechatpay-Timestamp"),
        header("Wechatpay-Nonce"),
        header("Wechatpay-Signature"),
        header("Wechatpay-Serial"),
    ) else {
        return false;
    };
    let fresh = timestamp
        .parse::<i64>()
        .is_ok_and(|t| (now_ms.div_euclid(1000) - t).abs() < CLOCK_WINDOW_S);
    fresh
        && serial == public_key_id
        && verify(key, &answer_message(timestamp, nonce, body), signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pairs_may_come_in_any_order_but_each_once() {
        let official = r#"WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="uOVRnA4q==",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C""#;
        let parsed = Authorization::parse(official).unwrap();
        assert_eq!(parsed.mchid, "1900009191");
        assert_eq!(parsed.signature, "uOVRnA4q==");
        assert_eq!(Authorization::parse(&parsed.header()), Some(parsed.clone()));
        for bad in [
            official.replace("WECHATPAY2", "WECHATPAY3"),
            official.replace(",timestamp=\"1554208460\"", ""),
            format!("{official},mchid=\"1\""),
            official.replace("mchid=\"1900009191\"", "mchid=1900009191"),
        ] {
            assert_eq!(Authorization::parse(&bad), None, "{bad}");
        }
    }
}
