//! Money: integer fen, shown as yuan with two decimals, and yuan typed by a person read back
//! into fen. Every amount shown or typed anywhere goes through here.

use serde::{Deserialize, Serialize};

use crate::api::ErrorCode;

/// An amount of money in fen (分), the unit of every `*_fen` field of the API.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(u64);

impl Fen {
    /// `fen` fen.
    pub const fn new(fen: u64) -> Self {
        Self(fen)
    }

    /// The amount in fen.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// Yuan with two decimals and no sign: 1500 → `15.00` (message texts say 元 after it).
    pub fn yuan(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    /// The fen of an amount typed in yuan: `12`, `12.5`, `¥12.50`, full-width digits from a
    /// Chinese keyboard too. `None` for anything else (more than two decimals, signs, letters,
    /// too large).
    pub fn parse_yuan(text: &str) -> Option<Self> {
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
            .map(Self)
    }
}

/// `¥12.50`: how an amount is shown on screen.
impl std::fmt::Display for Fen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "¥{}", self.yuan())
    }
}

/// A wallet movement with its sign: `+¥10.00` for a top-up, `-¥12.50` for a payment.
pub fn signed(delta_fen: i64) -> String {
    let sign = if delta_fen < 0 { "-" } else { "+" };
    format!("{sign}{}", Fen(delta_fen.unsigned_abs()))
}

/// Smallest single top-up of the sandbox wallet (¥0.01).
pub const MIN_TOP_UP: Fen = Fen(1);
/// Largest single top-up of the sandbox wallet (¥5,000).
pub const MAX_TOP_UP: Fen = Fen(500_000);

/// An amount the sandbox wallet accepts as one top-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopUp(Fen);

/// A top-up outside [`MIN_TOP_UP`]..=[`MAX_TOP_UP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("单次充值金额应在{}至{}之间", MIN_TOP_UP, MAX_TOP_UP)]
pub struct TopUpOutOfRange;

impl TopUpOutOfRange {
    /// `invalid_request`.
    pub const fn code(self) -> ErrorCode {
        ErrorCode::InvalidRequest
    }
}

impl TopUp {
    /// A top-up of `amount`.
    ///
    /// # Errors
    /// [`TopUpOutOfRange`] for nothing or more than ¥5,000.
    pub fn parse(amount: Fen) -> Result<Self, TopUpOutOfRange> {
        if (MIN_TOP_UP..=MAX_TOP_UP).contains(&amount) {
            Ok(Self(amount))
        } else {
            Err(TopUpOutOfRange)
        }
    }

    /// The amount.
    pub const fn amount(self) -> Fen {
        self.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::zero(0, "¥0.00")]
    #[case::five_fen(5, "¥0.05")]
    #[case::with_jiao(1250, "¥12.50")]
    #[case::the_top_up_limit(500_000, "¥5000.00")]
    fn fen_read_as_yuan_with_two_decimals(#[case] fen: u64, #[case] shown: &str) {
        assert_eq!(Fen::new(fen).to_string(), shown);
        assert_eq!(Fen::new(fen).yuan(), shown.trim_start_matches('¥'));
    }

    #[test]
    fn movements_carry_their_sign() {
        assert_eq!(signed(1000), "+¥10.00");
        assert_eq!(signed(-1250), "-¥12.50");
    }

    #[rstest]
    #[case::whole("12", 1200)]
    #[case::one_decimal(" 12.5 ", 1250)]
    #[case::with_sign("¥0.05", 5)]
    #[case::full_width_sign("￥3", 300)]
    #[case::full_width_digits("１２。３", 1230)]
    fn typed_yuan_becomes_fen(#[case] typed: &str, #[case] fen: u64) {
        assert_eq!(Fen::parse_yuan(typed), Some(Fen::new(fen)));
    }

    #[rstest]
    #[case::empty("")]
    #[case::no_whole(".5")]
    #[case::three_decimals("12.345")]
    #[case::negative("-3")]
    #[case::exponent("1e3")]
    #[case::unit("12元")]
    #[case::overflow("99999999999999999999")]
    fn anything_else_typed_is_no_amount(#[case] typed: &str) {
        assert_eq!(Fen::parse_yuan(typed), None);
    }

    #[test]
    fn a_top_up_is_one_fen_to_five_thousand_yuan() {
        assert!(TopUp::parse(Fen::new(0)).is_err());
        assert_eq!(
            TopUp::parse(Fen::new(1)).map(TopUp::amount),
            Ok(Fen::new(1))
        );
        assert!(TopUp::parse(MAX_TOP_UP).is_ok());
        assert!(TopUp::parse(Fen::new(500_001)).is_err());
        assert_eq!(
            TopUpOutOfRange.to_string(),
            "单次充值金额应在¥0.01至¥5000.00之间"
        );
    }

    #[test]
    fn fen_is_a_plain_number_on_the_wire() {
        assert_eq!(serde_json::to_string(&Fen::new(1250)).unwrap(), "1250");
        assert_eq!(serde_json::from_str::<Fen>("7").unwrap(), Fen::new(7));
    }
}
