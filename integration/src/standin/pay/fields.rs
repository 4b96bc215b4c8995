//! The field rules WeChat Pay applies before it looks at an order (lengths, character sets,
//! URLs, RFC 3339 times, the plate colour enum), and the times it writes (+08:00), so a worker
//! sending a malformed field meets the same `PARAM_ERROR` it would in production.

use time::format_description::well_known::Rfc3339;
use time::macros::{format_description, offset};
use time::OffsetDateTime;

use super::PayError;

/// "要求6-32个字符内，只能是数字、大小写字母_-|*" (JSAPI; the parking API leaves out `|`).
pub fn out_trade_no(value: &str, extra: &str) -> Result<(), PayError> {
    let ok = (6..=32).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c));
    if ok {
        Ok(())
    } else {
        Err(PayError::param(format!(
            "out_trade_no 须为 6-32 位数字、大小写字母或 {extra} 中的字符"
        )))
    }
}

/// `out_refund_no` / `out_parking_no`: 1-64 characters of digits, letters and `extra`.
pub fn merchant_no(field: &str, value: &str, extra: &str) -> Result<(), PayError> {
    let ok = (1..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c));
    if ok {
        Ok(())
    } else {
        Err(PayError::param(format!(
            "{field} 须为 1-64 位数字、大小写字母或 {extra} 中的字符"
        )))
    }
}

/// A callback address: http(s) with a host, at most 256 bytes, "不能携带参数" (no query). Plain
/// http is allowed because the worker under test listens on 127.0.0.1 (production needs https).
pub fn notify_url(value: &str) -> Result<(), PayError> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let host = rest.and_then(|r| r.split('/').next()).unwrap_or_default();
    if host.is_empty() || value.len() > 256 || value.contains(['?', '#', ' ']) {
        return Err(PayError::param(
            "notify_url 须为 http(s) 地址，不超过 256 字节，且不能携带参数",
        ));
    }
    Ok(())
}

/// A required text of 1..=`max` UTF-8 bytes (WeChat Pay's string(N) counts bytes).
pub fn text(field: &str, value: &str, max: usize) -> Result<(), PayError> {
    if value.trim().is_empty() || value.len() > max {
        return Err(PayError::param(format!(
            "{field} 不能为空且不超过 {max} 字节"
        )));
    }
    Ok(())
}

/// An amount in 分: at least 1.
pub fn total(field: &str, value: i64) -> Result<(), PayError> {
    if value < 1 {
        return Err(PayError::param(format!("{field} 须为正整数（单位：分）")));
    }
    Ok(())
}

/// `currency`: only `CNY` (optional where the API says so; absent means CNY).
pub fn currency(value: Option<&str>) -> Result<(), PayError> {
    match value {
        None | Some("CNY") => Ok(()),
        Some(other) => Err(PayError::param(format!(
            "currency {other} 不支持，仅支持 CNY"
        ))),
    }
}

/// The six colours of 支付分停车 (`LIMEGREEN` is 黄绿色; there is no `LIGHTGREEN`).
pub const PLATE_COLORS: [&str; 6] = ["BLUE", "GREEN", "YELLOW", "BLACK", "WHITE", "LIMEGREEN"];

/// `plate_color` is one of [`PLATE_COLORS`].
pub fn plate_color(value: &str) -> Result<(), PayError> {
    if PLATE_COLORS.contains(&value) {
        Ok(())
    } else {
        Err(PayError::param(format!(
            "plate_color {value} 无效，须为 {}",
            PLATE_COLORS.join("、")
        )))
    }
}

/// A time the merchant sends: RFC 3339 with an offset (`2025-06-15T23:06:40+08:00`).
pub fn rfc3339(field: &str, value: &str) -> Result<(), PayError> {
    OffsetDateTime::parse(value, &Rfc3339)
        .map(drop)
        .map_err(|_| {
            PayError::param(format!(
                "{field} 须为 RFC 3339 时间，如 2025-06-15T23:06:40+08:00"
            ))
        })
}

fn beijing(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset!(+8))
}

/// How WeChat Pay writes a time: RFC 3339 in Beijing time, whole seconds.
pub fn time(ms: i64) -> String {
    beijing(ms).format(&Rfc3339).unwrap_or_default()
}

/// `yyyyMMddHHmmss` in Beijing time, the date inside prepay and transaction ids.
pub fn compact(ms: i64) -> String {
    beijing(ms)
        .format(format_description!(
            "[year][month][day][hour][minute][second]"
        ))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_match_the_documented_examples() {
        assert!(out_trade_no("1217752501201407033233368018", "_-|*").is_ok());
        assert!(out_trade_no("a|b*c-d_e", "_-|*").is_ok());
        assert!(out_trade_no("a|b*c-d_e", "_-*").is_err());
        assert!(out_trade_no("12345", "_-|*").is_err());
        assert!(out_trade_no(&"1".repeat(33), "_-|*").is_err());
        assert!(out_trade_no("订单123456", "_-|*").is_err());
        assert!(notify_url("https://www.weixin.qq.com/wxpay/pay.php").is_ok());
        assert!(notify_url("http://127.0.0.1:8787/api/pay/notify").is_ok());
        assert!(notify_url("https://h/p?x=1").is_err());
        assert!(notify_url("ftp://h/p").is_err());
        assert!(plate_color("LIMEGREEN").is_ok());
        assert!(plate_color("LIGHTGREEN").is_err());
        assert!(rfc3339("start_time", "2017-08-26T10:43:39+08:00").is_ok());
        assert!(rfc3339("start_time", "2017-08-26 10:43:39").is_err());
        assert_eq!(time(1_750_000_000_000), "2025-06-15T23:06:40+08:00");
        assert_eq!(compact(1_750_000_000_000), "20250615230640");
        assert!(text("description", &"停".repeat(42), 127).is_ok());
        assert!(text("description", &"停".repeat(43), 127).is_err());
    }
}
