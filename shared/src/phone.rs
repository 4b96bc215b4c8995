//! Mainland mobile numbers: the one way to turn what a user typed into a [`Phone`].
//!
//! The eleven digits are the identity of an account (D1's unique key, the sign-in code's key,
//! the rate limits), so they are read once here; only [`Phone::masked`] ever leaves the worker.

use crate::api::ErrorCode;
use crate::parsed::parsed_text;

/// A mainland mobile number, eleven digits starting with 1 (`13800000001`); obtained only from
/// [`Phone::parse`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Phone {
    digits: String,
}

/// Why typed text is not a mobile number; the message says in Chinese what to type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("手机号格式不正确，请输入11位手机号")]
pub struct PhoneError;

impl PhoneError {
    /// The API error code for a bad phone: `invalid_request`.
    pub const fn code(&self) -> ErrorCode {
        ErrorCode::InvalidRequest
    }
}

impl Phone {
    /// Reads a mobile number as typed: spaces, dashes and a `+86` prefix are dropped; the rest
    /// must be 11 ASCII digits starting with 1.
    ///
    /// # Errors
    /// [`PhoneError`] when what remains is not such a number (wrong length, a letter, full-width
    /// digits, not starting with 1).
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let typed: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = typed.strip_prefix("+86").unwrap_or(&typed);
        let valid = digits.len() == 11
            && digits.starts_with('1')
            && digits.bytes().all(|b| b.is_ascii_digit());
        if valid {
            Ok(Self {
                digits: digits.to_owned(),
            })
        } else {
            Err(PhoneError)
        }
    }

    /// The eleven digits, as stored and keyed (`13800000001`).
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The number for display with its middle hidden: 13800000001 → 138****0001.
    pub fn masked(&self) -> String {
        // Eleven ASCII digits: byte offsets are character offsets.
        format!("{}****{}", &self.digits[..3], &self.digits[7..])
    }
}

parsed_text!(Phone, digits, PhoneError);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use proptest::prelude::*;
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::plain("13800000001", "13800000001")]
    #[case::spaces(" 138 0000 0001 ", "13800000001")]
    #[case::country_code_and_dashes("+86 138-0000-0001", "13800000001")]
    #[case::country_code_glued("+8613800000001", "13800000001")]
    #[case::seeded_operator("13900000000", "13900000000")]
    #[case::tab_and_newline("\t13800000001\n", "13800000001")]
    fn accepts(#[case] typed: &str, #[case] digits: &str) {
        let phone = Phone::parse(typed).unwrap();
        assert_eq!(phone.as_str(), digits);
        assert_eq!(phone.to_string(), digits);
    }

    #[rstest]
    #[case::empty("")]
    #[case::too_short("1380000000")]
    #[case::too_long("138000000011")]
    #[case::not_starting_with_one("23800000001")]
    #[case::letter("1380000000a")]
    #[case::full_width_digits("１３８00000001")]
    #[case::country_code_only("+86")]
    #[case::other_country_code("+85213800000001")]
    #[case::plus_without_country("+13800000001")]
    #[case::five_digits("12345")]
    #[case::dots("138.0000.0001")]
    fn rejects_with_one_message(#[case] typed: &str) {
        let error = Phone::parse(typed).unwrap_err();
        assert_eq!(error, PhoneError);
        assert_eq!(error.to_string(), "手机号格式不正确，请输入11位手机号");
        assert_eq!(error.code().as_str(), "invalid_request");
    }

    #[rstest]
    #[case::plain("13800000001", "138****0001")]
    #[case::typed_with_country_code("+86 139-0000-0000", "139****0000")]
    fn masks_the_middle_four_digits(#[case] typed: &str, #[case] masked: &str) {
        assert_eq!(Phone::parse(typed).unwrap().masked(), masked);
    }

    #[test]
    fn serde_is_the_digits_and_refuses_a_bad_number() {
        let phone = Phone::parse("+86 138 0000 0001").unwrap();
        assert_eq!(serde_json::to_string(&phone).unwrap(), "\"13800000001\"");
        assert_eq!(
            serde_json::from_str::<Phone>("\"13800000001\"").unwrap(),
            phone
        );
        assert!(serde_json::from_str::<Phone>("\"12345\"").is_err());
        assert!(serde_json::from_str::<Phone>("13800000001").is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in ".*") {
            let _ = Phone::parse(&input);
        }

        #[test]
        fn every_eleven_digits_from_one_parse_to_themselves(rest in "[0-9]{10}") {
            let digits = format!("1{rest}");
            let phone = Phone::parse(&digits).unwrap();
            prop_assert_eq!(phone.as_str(), digits.as_str());
            prop_assert_eq!(Phone::parse(phone.as_str()), Ok(phone.clone()));
            prop_assert_eq!(phone.masked().chars().count(), 11);
        }
    }
}
