//! Sessions: `/api/auth/*` and `/api/me`.

use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::tenant::Tenant;

/// `POST /api/auth/code`: send a sign-in code to this phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// The mobile number as typed; the edge reads it with [`crate::phone::Phone::parse`].
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
    /// The mobile number as typed; the edge reads it with [`crate::phone::Phone::parse`].
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
    /// The phone with the middle masked, e.g. 139****0000 ([`crate::phone::Phone::masked`]).
    pub phone_masked: String,
    /// What the account may do.
    pub roles: Vec<Role>,
    /// The account's tenant (项目): its vehicle policy and support phone.
    pub tenant: Tenant,
}
