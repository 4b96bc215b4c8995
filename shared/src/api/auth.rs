//! Sessions: `/api/auth/*` and `/api/me`.

use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::tenant::Tenant;

/// `POST /api/auth/code`: send a sign-in code to this phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// The mobile number.
    pub phone: String,
}

/// The answer to [`CodeRequest`]; `dev_code` only where the worker runs with `ENVIRONMENT = "dev"`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CodeResponse {
    /// The code itself, for local development only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev_code: Option<String>,
}

/// `POST /api/auth/login`: sign in with the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The mobile number.
    pub phone: String,
    /// The code received.
    pub code: String,
}

/// The answer to [`LoginRequest`] (with a session cookie).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Who signed in.
    pub user: Me,
}

/// `GET /api/session`: who is signed in, if anyone (200 either way, so the SPA can ask on
/// start without an error in the browser's console).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionResponse {
    /// The signed-in account, or `null`.
    pub user: Option<Me>,
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A driver.
    User,
    /// A platform operator (工作台).
    Operator,
}

/// `GET /api/me`: the signed-in account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// The account id.
    pub id: UserId,
    /// The phone with the middle masked, e.g. 139****0000.
    pub phone_masked: String,
    /// What the account may do.
    pub roles: Vec<Role>,
    /// The account's tenant (项目): its vehicle policy and support phone.
    pub tenant: Tenant,
}

/// Reads a mainland mobile number as typed: spaces, dashes and a `+86` prefix are dropped; the
/// rest must be 11 digits starting with 1.
///
/// # Errors
/// The Chinese message to show when it is not a mobile number.
pub fn parse_phone(input: &str) -> Result<String, &'static str> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = digits.strip_prefix("+86").unwrap_or(&digits);
    let valid =
        digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit());
    if valid {
        Ok(digits.to_owned())
    } else {
        Err("手机号格式不正确,请输入11位手机号")
    }
}

/// Masks a mobile number for display: 13900000000 → 139****0000.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_read_as_typed_and_masked_for_display() {
        assert_eq!(parse_phone(" 138 0000 0001 "), Ok("13800000001".to_owned()));
        assert_eq!(
            parse_phone("+86 138-0000-0001"),
            Ok("13800000001".to_owned())
        );
        for bad in [
            "",
            "1380000000",
            "138000000011",
            "23800000001",
            "1380000000a",
            "１３８00000001",
        ] {
            assert!(parse_phone(bad).is_err(), "{bad}");
        }
        assert_eq!(mask_phone("13800000001"), "138****0001");
    }
}
