//! Money as people read it: integer fen shown as `¥12.50`, and yuan typed by a person read back
//! into fen. Every amount on screen goes through [`yuan`].

/// `1250` → `¥12.50`.
pub fn yuan(fen: u64) -> String {
    format!("¥{}", shared::notify::yuan(fen))
}

/// A wallet movement with its sign: `+¥10.00` for a top-up, `-¥12.50` for a payment.
pub fn signed_yuan(delta_fen: i64) -> String {
    let sign = if delta_fen < 0 { "-" } else { "+" };
    format!("{sign}{}", yuan(delta_fen.unsigned_abs()))
}

/// The fen of an amount typed in yuan: `12`, `12.5`, `¥12.50`, full-width digits from a Chinese
/// keyboard too. `None` for anything else (more than two decimals, signs, letters, too large).
pub fn parse_yuan(text: &str) -> Option<u64> {
    let text: String = text
        .trim()
        .chars()
        .map(|c| match c {
            // Full-width digits sit 0xFEE0 above ASCII.
            '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '．' | '。' => '.',
            c => c,
        })
        .collect();
    let text = text.trim_start_matches(['¥', '￥']).trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let cents: u64 = format!("{fraction:0<2}").parse().ok()?;
    whole
        .parse::<u64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn fen_read_as_yuan_with_two_decimals() {
        assert_eq!(yuan(0), "¥0.00");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(1250), "¥12.50");
        assert_eq!(yuan(500_000), "¥5000.00");
        assert_eq!(signed_yuan(1000), "+¥10.00");
        assert_eq!(signed_yuan(-1250), "-¥12.50");
    }

    #[wasm_bindgen_test]
    fn typed_yuan_becomes_fen_or_nothing() {
        assert_eq!(parse_yuan("12"), Some(1200));
        assert_eq!(parse_yuan(" 12.5 "), Some(1250));
        assert_eq!(parse_yuan("¥0.05"), Some(5));
        assert_eq!(parse_yuan("１２。３"), Some(1230));
        for bad in [
            "",
            ".5",
            "12.345",
            "-3",
            "1e3",
            "12元",
            "99999999999999999999",
        ] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }
}
