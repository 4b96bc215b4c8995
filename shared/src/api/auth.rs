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
    /// Whether this deployment signs WeChat users in through 公众号网页授权 (then the SPA, in the
    /// WeChat webview and signed out, goes to `/api/auth/wechat/start`).
    #[serde(default)]
    pub wechat_sign_in: bool,
    /// The payment sources this deployment offers (the sandbox wallet only in dev runs): the
    /// SPA shows 钱包 and 钱包支付 only when it is offered.
    #[serde(default = "no_wallet")]
    pub payments: crate::payment::Offered,
    /// With `?home=1`, for a signed-in driver whose tenant shows 我的车辆: what 我的 shows first,
    /// so the app's first request brings it (no session → vehicles chain on a phone's network).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<Home>,
}

/// 我的's first data, carried by `GET /api/session?home=1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    /// As `GET /api/vehicles` answers.
    pub vehicles: crate::api::vehicles::VehicleList,
    /// Unread messages (the 我的 tab's badge), as `GET /api/messages` counts them.
    pub unread: u64,
}

fn no_wallet() -> crate::payment::Offered {
    crate::payment::Offered::for_deployment(false)
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

/// Why WeChat sign-in sent the browser back to `/login?wechat=<code>`: the SPA shows the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WechatSignInError {
    /// The callback's `state` is not this browser's, expired, or came back twice.
    State,
    /// WeChat refused the code or could not be reached.
    Failed,
    /// A 快照页 visitor: WeChat gives no real openid.
    Snapshot,
    /// The 绑定手机号 step came too late (its cookie expired).
    Expired,
    /// This deployment has no WeChat sign-in.
    Off,
}

impl WechatSignInError {
    /// Every reason.
    pub const ALL: [Self; 5] = [
        Self::State,
        Self::Failed,
        Self::Snapshot,
        Self::Expired,
        Self::Off,
    ];

    /// The code in the URL.
    pub const fn code(self) -> &'static str {
        match self {
            Self::State => "state",
            Self::Failed => "failed",
            Self::Snapshot => "snapshot",
            Self::Expired => "expired",
            Self::Off => "off",
        }
    }

    /// The reason a code stands for.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// What the driver reads on the sign-in page.
    pub const fn message(self) -> &'static str {
        match self {
            Self::State => "微信登录已失效，请重新打开页面",
            Self::Failed => "微信登录失败，请稍后再试，或使用手机号登录",
            Self::Snapshot => "请点击页面下方的“使用完整服务”后再登录",
            Self::Expired => "微信授权已过期，请重新打开页面",
            Self::Off => "暂不支持微信登录，请使用手机号登录",
        }
    }
}

/// `GET /api/me/wechat`: whether the account has a WeChat binding (账号与安全).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WechatBinding {
    /// When the binding was made, if there is one.
    pub bound_at: Option<crate::timestamp::Timestamp>,
}

/// Where to go after signing in: `next` if it is a path of this site, `/` otherwise (an open
/// redirect would let a link send a driver, signed in, to someone else's page).
pub fn return_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.starts_with("/api/")
                && p.len() <= 512
                && !p.chars().any(|c| c.is_control() || c == '\\') =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod wechat_tests {
    use super::*;

    #[test]
    fn only_this_sites_pages_are_returned_to() {
        assert_eq!(return_path(Some("/vehicles/add")), "/vehicles/add");
        assert_eq!(return_path(Some("/orders?x=1")), "/orders?x=1");
        for bad in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "/api/auth/logout",
            "vehicles",
            "/a\nb",
            "",
        ] {
            assert_eq!(return_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(return_path(None), "/");
    }

    #[test]
    fn each_reason_reads_back_from_its_code_and_has_a_chinese_message() {
        for reason in WechatSignInError::ALL {
            assert_eq!(WechatSignInError::from_code(reason.code()), Some(reason));
            assert!(reason.message().contains("登录") || reason.message().contains("微信"));
        }
        assert_eq!(WechatSignInError::from_code("nope"), None);
    }
}
