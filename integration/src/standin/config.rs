//! The accounts the stand-in knows, from the same environment variables the test scripts give
//! the worker, so a worker configured differently is refused as the real providers would.

use super::pay::config::{PayConfig, PayConfigError};

/// One 公众号 and one Tencent Cloud SMS account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `STANDIN_WECHAT_APP_ID`.
    pub wechat_app_id: String,
    /// `STANDIN_WECHAT_APP_SECRET`.
    pub wechat_app_secret: String,
    /// `STANDIN_WECHAT_DOMAIN`: the 网页授权域名 (host only, port ignored).
    pub wechat_domain: String,
    /// `STANDIN_WECHAT_TEMPLATE_IDS`, comma-separated: the registered templates.
    pub wechat_template_ids: Vec<String>,
    /// `STANDIN_SMS_SECRET_ID`.
    pub sms_secret_id: String,
    /// `STANDIN_SMS_SECRET_KEY`.
    pub sms_secret_key: String,
    /// `STANDIN_SMS_SDK_APP_ID`.
    pub sms_sdk_app_id: String,
    /// `STANDIN_SMS_SIGN_NAME`: the approved signature's content.
    pub sms_sign_name: String,
    /// `STANDIN_SMS_TEMPLATE_ID`: the approved code template (one 6-digit parameter).
    pub sms_template_id: String,
    /// The WeChat Pay merchant (`STANDIN_KEYS_DIR` and `STANDIN_PAY_*`); `None` turns pay off.
    pub pay: Option<PayConfig>,
}

/// The keys every registered template has (the notice template of `shared::notify`).
pub const TEMPLATE_KEYS: [&str; 4] = ["car_number1", "thing2", "thing3", "thing4"];

impl Config {
    /// Reads every `STANDIN_*` variable.
    ///
    /// # Errors
    /// Names the variables that are missing or empty.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the variables through `lookup` (the environment, or a table in tests).
    ///
    /// # Errors
    /// Names the variables that are missing or empty.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut missing = Vec::new();
        let mut var = |name: &'static str| {
            let value = lookup(name)
                .map(|v| v.trim().to_owned())
                .unwrap_or_default();
            if value.is_empty() {
                missing.push(name);
            }
            value
        };
        let config = Self {
            wechat_app_id: var("STANDIN_WECHAT_APP_ID"),
            wechat_app_secret: var("STANDIN_WECHAT_APP_SECRET"),
            wechat_domain: var("STANDIN_WECHAT_DOMAIN").to_ascii_lowercase(),
            wechat_template_ids: var("STANDIN_WECHAT_TEMPLATE_IDS")
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect(),
            sms_secret_id: var("STANDIN_SMS_SECRET_ID"),
            sms_secret_key: var("STANDIN_SMS_SECRET_KEY"),
            sms_sdk_app_id: var("STANDIN_SMS_SDK_APP_ID"),
            sms_sign_name: var("STANDIN_SMS_SIGN_NAME"),
            sms_template_id: var("STANDIN_SMS_TEMPLATE_ID"),
            pay: None,
        };
        let pay = PayConfig::from_lookup(&lookup);
        if let Err(PayConfigError::Missing(names)) = &pay {
            missing.extend(names);
        }
        if !missing.is_empty() {
            return Err(format!("set {}", missing.join(", ")));
        }
        match pay {
            Ok(pay) => Ok(Self { pay, ..config }),
            Err(PayConfigError::Invalid(why)) => Err(why.to_owned()),
            Err(PayConfigError::Missing(_)) => Err("set the STANDIN_PAY_* variables".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_missing_variable_is_named() {
        let err = Config::from_lookup(|name| {
            (name != "STANDIN_SMS_SIGN_NAME" && name != "STANDIN_WECHAT_DOMAIN")
                .then(|| "x".to_owned())
        });
        assert_eq!(
            err,
            Err("set STANDIN_WECHAT_DOMAIN, STANDIN_SMS_SIGN_NAME".to_owned())
        );
    }

    #[test]
    fn template_ids_are_a_list() {
        let config = Config::from_lookup(|name| {
            (name != "STANDIN_KEYS_DIR").then_some(())?;
            Some(
                if name == "STANDIN_WECHAT_TEMPLATE_IDS" {
                    " t1, t2,,"
                } else {
                    "x"
                }
                .to_owned(),
            )
        });
        assert_eq!(
            config.map(|c| c.wechat_template_ids),
            Ok(vec!["t1".into(), "t2".into()])
        );
    }
}
