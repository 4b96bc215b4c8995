//! The outside services' settings, read from vars and secrets (README "Deploying" lists them).
//! A service is on only when its settings are complete; base URLs default to the providers'
//! real hosts and are pointed at the local stand-in by the test scripts.

use std::collections::BTreeMap;

use shared::providers::{tencent_sms, wechat};
use shared::push::TemplateKind;
use worker::Env;

/// A var or secret, if set and not blank.
fn setting(env: &Env, name: &str) -> Option<String> {
    let value = env.var(name).ok()?.to_string();
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Tencent Cloud SMS (`SMS_*`).
pub struct SmsSettings {
    /// `SMS_SECRET_ID` (secret): the API key's id.
    pub secret_id: String,
    /// `SMS_SECRET_KEY` (secret).
    pub secret_key: String,
    /// `SMS_SDK_APP_ID`: the SMS application (`1400…`).
    pub sdk_app_id: String,
    /// `SMS_SIGN_NAME`: the approved signature's text.
    pub sign_name: String,
    /// `SMS_TEMPLATE_ID`: the approved code template (one parameter: the code).
    pub template_id: String,
    /// `SMS_ENDPOINT`: defaults to Tencent's.
    pub endpoint: String,
    /// `SMS_REGION`: defaults to ap-guangzhou.
    pub region: String,
}

impl SmsSettings {
    /// The settings, when all five required ones are set.
    pub fn from_env(env: &Env) -> Option<Self> {
        Some(Self {
            secret_id: setting(env, "SMS_SECRET_ID")?,
            secret_key: setting(env, "SMS_SECRET_KEY")?,
            sdk_app_id: setting(env, "SMS_SDK_APP_ID")?,
            sign_name: setting(env, "SMS_SIGN_NAME")?,
            template_id: setting(env, "SMS_TEMPLATE_ID")?,
            endpoint: setting(env, "SMS_ENDPOINT")
                .unwrap_or_else(|| tencent_sms::DEFAULT_ENDPOINT.to_owned()),
            region: setting(env, "SMS_REGION")
                .unwrap_or_else(|| tencent_sms::DEFAULT_REGION.to_owned()),
        })
    }
}

/// The WeChat 公众号 (`WECHAT_*`): sign-in, and pushes when templates are named.
#[derive(Clone)]
pub struct WechatSettings {
    /// `WECHAT_APP_ID` (var).
    pub app_id: String,
    /// `WECHAT_APP_SECRET` (secret).
    pub app_secret: String,
    /// `WECHAT_OAUTH_URL`: where browsers authorize (defaults to open.weixin.qq.com).
    pub oauth_url: String,
    /// `WECHAT_API_URL`: the server API (defaults to api.weixin.qq.com).
    pub api_url: String,
}

impl WechatSettings {
    /// The settings, when the app id and secret are set.
    pub fn from_env(env: &Env) -> Option<Self> {
        Some(Self {
            app_id: setting(env, "WECHAT_APP_ID")?,
            app_secret: setting(env, "WECHAT_APP_SECRET")?,
            oauth_url: setting(env, "WECHAT_OAUTH_URL")
                .unwrap_or_else(|| wechat::DEFAULT_OAUTH_URL.to_owned()),
            api_url: setting(env, "WECHAT_API_URL")
                .unwrap_or_else(|| wechat::DEFAULT_API_URL.to_owned()),
        })
    }
}

/// Template messages (with the 公众号 set up): the site's address for links, a template id per kind.
pub struct PushSettings {
    /// `PUBLIC_URL`: the site's origin (`https://…`), for the links in pushes.
    pub public_url: String,
    /// `WECHAT_TEMPLATE_*`: kinds without an id are not pushed.
    pub templates: BTreeMap<TemplateKind, String>,
}

impl PushSettings {
    /// The settings, when WeChat, the public URL and at least one template are set.
    pub fn from_env(env: &Env) -> Option<Self> {
        let templates: BTreeMap<TemplateKind, String> = TemplateKind::ALL
            .into_iter()
            .filter_map(|kind| Some((kind, setting(env, kind.setting())?)))
            .collect();
        if templates.is_empty() {
            return None;
        }
        // The push object sends with the 公众号's own settings: pushes need them too.
        WechatSettings::from_env(env)?;
        Some(Self {
            public_url: setting(env, "PUBLIC_URL")?.trim_end_matches('/').to_owned(),
            templates,
        })
    }
}
