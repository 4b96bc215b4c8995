//! The 公众号 server API: code → openid, the server access token, template messages.

use serde::de::DeserializeOwned;
use shared::providers::wechat::{
    encode, OAuthToken, ServerToken, TemplateMessage, TemplateReply, WechatError, OAUTH_TOKEN_PATH,
    SERVER_TOKEN_PATH, TEMPLATE_SEND_PATH,
};
use worker::Method;

use crate::outbound;
use crate::settings::WechatSettings;

/// Why a call did not give what was asked.
#[derive(Debug)]
pub enum Failure {
    /// WeChat answered with an error code.
    Refused(WechatError),
    /// Nothing readable came back (network, status, body).
    Unreachable(String),
}

impl Failure {
    /// WeChat's error code, if it answered one.
    pub fn errcode(&self) -> Option<i64> {
        match self {
            Self::Refused(e) => Some(e.errcode),
            Self::Unreachable(_) => None,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(e) => write!(f, "errcode {} ({})", e.errcode, e.errmsg),
            Self::Unreachable(why) => write!(f, "unreachable: {why}"),
        }
    }
}

/// Reads an answer that is either `T` or `{errcode≠0, errmsg}`.
fn read<T: DeserializeOwned>(answer: Result<outbound::Answer, String>) -> Result<T, Failure> {
    let answer = answer.map_err(Failure::Unreachable)?;
    if answer.status != 200 {
        return Err(Failure::Unreachable(format!("HTTP {}", answer.status)));
    }
    let value: serde_json::Value = serde_json::from_str(&answer.body)
        .map_err(|e| Failure::Unreachable(format!("not JSON: {e}")))?;
    if value
        .get("errcode")
        .and_then(serde_json::Value::as_i64)
        .unwrap_or(0)
        != 0
    {
        let error = serde_json::from_value(value)
            .map_err(|e| Failure::Unreachable(format!("error shape: {e}")))?;
        return Err(Failure::Refused(error));
    }
    serde_json::from_value(value).map_err(|e| Failure::Unreachable(format!("answer shape: {e}")))
}

/// `sns/oauth2/access_token`: the openid behind an authorize `code` (each code works once).
pub async fn exchange_code(settings: &WechatSettings, code: &str) -> Result<OAuthToken, Failure> {
    let url = format!(
        "{}{OAUTH_TOKEN_PATH}?appid={}&secret={}&code={}&grant_type=authorization_code",
        settings.api_url,
        encode(&settings.app_id),
        encode(&settings.app_secret),
        encode(code)
    );
    read(outbound::get(&url).await)
}

/// `cgi-bin/token`: a new server access token (it replaces the previous one within 5 minutes).
pub async fn server_token(settings: &WechatSettings) -> Result<ServerToken, Failure> {
    let url = format!(
        "{}{SERVER_TOKEN_PATH}?grant_type=client_credential&appid={}&secret={}",
        settings.api_url,
        encode(&settings.app_id),
        encode(&settings.app_secret)
    );
    read(outbound::get(&url).await)
}

/// `message/template/send`.
pub async fn send_template(
    settings: &WechatSettings,
    token: &str,
    message: &TemplateMessage,
) -> Result<TemplateReply, Failure> {
    let url = format!(
        "{}{TEMPLATE_SEND_PATH}?access_token={}",
        settings.api_url,
        encode(token)
    );
    let body = serde_json::to_string(message).map_err(|e| Failure::Unreachable(e.to_string()))?;
    let headers = [("content-type", "application/json")];
    read(outbound::send(Method::Post, &url, &headers, Some(body)).await)
}
