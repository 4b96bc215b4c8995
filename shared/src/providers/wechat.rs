//! WeChat 公众号 protocol pieces the worker and the local stand-in share: 网页授权 (`snsapi_base`),
//! the server `access_token`, and template messages with WeChat's value limits.

use std::collections::BTreeMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

/// Where browsers are sent to authorize (production).
pub const DEFAULT_OAUTH_URL: &str = "https://open.weixin.qq.com";
/// Where the server calls the API (production).
pub const DEFAULT_API_URL: &str = "https://api.weixin.qq.com";
/// The authorize page's path.
pub const AUTHORIZE_PATH: &str = "/connect/oauth2/authorize";
/// Code → openid.
pub const OAUTH_TOKEN_PATH: &str = "/sns/oauth2/access_token";
/// The 公众号's server access token.
pub const SERVER_TOKEN_PATH: &str = "/cgi-bin/token";
/// Template messages.
pub const TEMPLATE_SEND_PATH: &str = "/cgi-bin/message/template/send";
/// The silent scope: the openid only, no consent page.
pub const SCOPE_BASE: &str = "snsapi_base";
/// The longest `state` WeChat passes back (letters and digits only).
pub const STATE_MAX_LEN: usize = 128;

/// `errcode` values the worker acts on.
pub mod errcode {
    /// System busy: try again later.
    pub const BUSY: i64 = -1;
    /// The access token is invalid (e.g. replaced by a newer one).
    pub const INVALID_CREDENTIAL: i64 = 40001;
    /// The access token expired.
    pub const TOKEN_EXPIRED: i64 = 42001;
    /// The access token is malformed.
    pub const BAD_TOKEN: i64 = 40014;
    /// The day's call quota is used up.
    pub const DAILY_QUOTA: i64 = 45009;
    /// The OAuth code is invalid or expired.
    pub const INVALID_CODE: i64 = 40029;
    /// The OAuth code was used already.
    pub const CODE_USED: i64 = 40163;
    /// The user does not follow the 公众号 (no template messages).
    pub const NOT_SUBSCRIBED: i64 = 43004;
}

// Everything but letters, digits and `-._~` is escaped in a query value.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A query value, percent-encoded.
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// The authorize URL a browser is sent to: WeChat asks nothing with `snsapi_base` and comes
/// back to `redirect_uri?code=…&state=…`.
pub fn authorize_url(oauth_base: &str, app_id: &str, redirect_uri: &str, state: &str) -> String {
    format!(
        "{oauth_base}{AUTHORIZE_PATH}?appid={}&redirect_uri={}&response_type=code&scope={SCOPE_BASE}&state={}#wechat_redirect",
        encode(app_id),
        encode(redirect_uri),
        encode(state)
    )
}

/// Whether `state` is one WeChat passes back unchanged.
pub fn state_is_valid(state: &str) -> bool {
    !state.is_empty()
        && state.len() <= STATE_MAX_LEN
        && state.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// An error answer: `{"errcode":40029,"errmsg":"invalid code"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WechatError {
    /// WeChat's code (0 is success on endpoints that always send it).
    pub errcode: i64,
    /// WeChat's explanation.
    #[serde(default)]
    pub errmsg: String,
}

/// `sns/oauth2/access_token`'s answer for a good code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthToken {
    /// The user's token for snsapi_userinfo calls (unused with snsapi_base).
    pub access_token: String,
    /// Its lifetime in seconds.
    pub expires_in: i64,
    /// Its refresh token (unused).
    #[serde(default)]
    pub refresh_token: String,
    /// The user, for this 公众号.
    pub openid: String,
    /// The scope granted.
    pub scope: String,
    /// 1 for a 快照页 visitor: a virtual openid that must not be signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_snapshotuser: Option<u8>,
    /// The user across the developer's apps, when the 公众号 is bound to 开放平台.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unionid: Option<String>,
}

/// `cgi-bin/token`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerToken {
    /// The token every server call carries.
    pub access_token: String,
    /// Seconds it lives (7200).
    pub expires_in: i64,
}

/// One field of a template message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The text.
    pub value: String,
}

/// The body of `message/template/send`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateMessage {
    /// The recipient's openid.
    pub touser: String,
    /// The template (per kind, from configuration).
    pub template_id: String,
    /// The page a tap opens.
    pub url: String,
    /// WeChat's 防重入 id: the same id is not sent twice.
    pub client_msg_id: String,
    /// The fields by key (`car_number1`, `thing2`, …).
    pub data: BTreeMap<String, Field>,
}

/// `message/template/send`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateReply {
    /// 0 when sent.
    pub errcode: i64,
    /// `ok` or the reason.
    #[serde(default)]
    pub errmsg: String,
    /// The message's id when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msgid: Option<i64>,
}

/// The longest value WeChat takes for a template key by its type prefix (2023 rules:
/// `thing` 20 characters, `car_number` 8, `character_string` 32, `phrase` 5); `None` for a key
/// whose type this project does not use.
pub fn value_limit(key: &str) -> Option<usize> {
    let kind = key.trim_end_matches(|c: char| c.is_ascii_digit());
    match kind {
        "thing" => Some(20),
        "car_number" => Some(8),
        "character_string" => Some(32),
        "phrase" => Some(5),
        _ => None,
    }
}

/// `value` cut to what `key` takes, ending in … when cut.
pub fn fit(key: &str, value: &str) -> String {
    let Some(limit) = value_limit(key) else {
        return value.to_owned();
    };
    if value.chars().count() <= limit {
        return value.to_owned();
    }
    let mut cut: String = value.chars().take(limit.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorize_url_escapes_the_redirect_and_asks_for_the_silent_scope() {
        let url = authorize_url(
            DEFAULT_OAUTH_URL,
            "wx520c15f417810387",
            "https://chong.qq.com/api/auth/wechat/callback",
            "abc123",
        );
        assert_eq!(
            url,
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx520c15f417810387&redirect_uri=https%3A%2F%2Fchong.qq.com%2Fapi%2Fauth%2Fwechat%2Fcallback&response_type=code&scope=snsapi_base&state=abc123#wechat_redirect"
        );
    }

    #[test]
    fn only_short_alphanumeric_states_come_back() {
        assert!(state_is_valid("a1B2"));
        assert!(!state_is_valid(""));
        assert!(!state_is_valid("a-b"));
        assert!(!state_is_valid(&"a".repeat(STATE_MAX_LEN + 1)));
    }

    #[test]
    fn values_are_cut_to_wechats_limits() {
        assert_eq!(fit("car_number1", "京AD12345"), "京AD12345");
        assert_eq!(fit("thing3", &"停".repeat(25)).chars().count(), 20);
        assert!(fit("thing3", &"停".repeat(25)).ends_with('…'));
        assert_eq!(fit("thing3", "万达广场停车场"), "万达广场停车场");
        assert_eq!(fit("unknown9", &"x".repeat(99)).len(), 99);
    }

    #[test]
    fn a_snapshot_visitor_is_told_apart() {
        let token: OAuthToken = serde_json::from_str(
            r#"{"access_token":"a","expires_in":7200,"refresh_token":"r","openid":"o1","scope":"snsapi_base","is_snapshotuser":1}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(token.is_snapshotuser, Some(1));
        assert_eq!(token.unionid, None);
    }
}
