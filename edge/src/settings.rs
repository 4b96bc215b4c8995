//! The outside services' settings (SMS, WeChat, WeChat Pay), read from vars and secrets (README
//! "Deploying" lists them).
//! A service is on only when its settings are complete; base URLs default to the providers'
//! real hosts and are pointed at the local stand-in by the test scripts.

use std::collections::BTreeMap;

use shared::providers::{tencent_sms, wechat, wechat_pay};
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

/// The merchant account (`WECHAT_PAY_*`, README "Deploying").
pub struct PaySettings {
    /// `WECHAT_PAY_MCH_ID`: 商户号.
    pub mch_id: String,
    /// `WECHAT_PAY_SERIAL`: the merchant API certificate's serial number.
    pub serial: String,
    /// `WECHAT_PAY_PRIVATE_KEY` (secret): the merchant API private key (PKCS#8, PEM or base64).
    pub private_der: Vec<u8>,
    /// `WECHAT_PAY_APIV3_KEY` (secret): 32 characters, opens notifications.
    pub apiv3_key: Vec<u8>,
    /// `WECHAT_PAY_PUBLIC_KEY`: 微信支付公钥 (SPKI, PEM or base64), checks answers.
    pub public_der: Vec<u8>,
    /// `WECHAT_PAY_PUBLIC_KEY_ID`: its id (`PUB_KEY_ID_…`), the serial answers must name.
    pub public_key_id: String,
    /// `WECHAT_PAY_API_URL`: defaults to api.mch.weixin.qq.com.
    pub api_url: String,
    /// `WECHAT_APP_ID`: the 公众号 whose users pay.
    pub app_id: String,
    /// `PUBLIC_URL` + the notification path.
    pub notify_url: String,
}

impl PaySettings {
    /// The settings, when all are set and the keys read.
    pub fn from_env(env: &Env) -> Option<Self> {
        let apiv3_key = setting(env, "WECHAT_PAY_APIV3_KEY")?.into_bytes();
        if apiv3_key.len() != 32 {
            worker::console_error!("WECHAT_PAY_APIV3_KEY must be 32 characters: WeChat Pay is off");
            return None;
        }
        let key = |name: &str| match crate::wechat_pay::crypto::der_of(&setting(env, name)?) {
            Ok(der) => Some(der),
            Err(err) => {
                worker::console_error!("{name}: {err:?}: WeChat Pay is off");
                None
            }
        };
        Some(Self {
            mch_id: setting(env, "WECHAT_PAY_MCH_ID")?,
            serial: setting(env, "WECHAT_PAY_SERIAL")?,
            private_der: key("WECHAT_PAY_PRIVATE_KEY")?,
            apiv3_key,
            public_der: key("WECHAT_PAY_PUBLIC_KEY")?,
            public_key_id: setting(env, "WECHAT_PAY_PUBLIC_KEY_ID")?,
            api_url: setting(env, "WECHAT_PAY_API_URL")
                .unwrap_or_else(|| wechat_pay::DEFAULT_API_URL.to_owned())
                .trim_end_matches('/')
                .to_owned(),
            app_id: setting(env, "WECHAT_APP_ID")?,
            notify_url: format!(
                "{}/api/pay/wechat/notify",
                setting(env, "PUBLIC_URL")?.trim_end_matches('/')
            ),
        })
    }
}
