//! The merchant account the WeChat Pay stand-in knows. The test scripts give the worker the same
//! values, so a worker configured with another mchid, serial or APIv3 key is refused as WeChat
//! Pay would refuse it. The pay part is on only when `STANDIN_KEYS_DIR` is set.

use std::path::PathBuf;

/// One direct merchant (普通商户) with a 微信支付公钥.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayConfig {
    /// `STANDIN_PAY_MCH_ID`: the 商户号, digits.
    pub mch_id: String,
    /// `STANDIN_PAY_MERCHANT_SERIAL`: the merchant API certificate's serial (hex), which requests
    /// name in `serial_no`.
    pub merchant_serial: String,
    /// `STANDIN_PAY_APIV3_KEY`: 32 ASCII characters, the AES-256-GCM key of notifications.
    pub apiv3_key: String,
    /// `STANDIN_PAY_PUBLIC_KEY_ID`: `PUB_KEY_ID_…`, sent as `Wechatpay-Serial`.
    pub public_key_id: String,
    /// `STANDIN_KEYS_DIR`: where the run's keys are written for the scripts.
    pub keys_dir: PathBuf,
}

impl PayConfig {
    /// The pay account, or `None` when `STANDIN_KEYS_DIR` is unset or empty.
    ///
    /// # Errors
    /// The variables that are missing (to be named after `set`), or else what is wrong with a
    /// value.
    pub fn from_lookup(
        lookup: &impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Self>, PayConfigError> {
        let read = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .unwrap_or_default()
        };
        let keys_dir = read("STANDIN_KEYS_DIR");
        if keys_dir.is_empty() {
            return Ok(None);
        }
        let names = [
            "STANDIN_PAY_MCH_ID",
            "STANDIN_PAY_MERCHANT_SERIAL",
            "STANDIN_PAY_APIV3_KEY",
            "STANDIN_PAY_PUBLIC_KEY_ID",
        ];
        let [mch_id, merchant_serial, apiv3_key, public_key_id] = names.map(read);
        let missing: Vec<&'static str> = names
            .into_iter()
            .zip([&mch_id, &merchant_serial, &apiv3_key, &public_key_id])
            .filter(|(_, value)| value.is_empty())
            .map(|(name, _)| name)
            .collect();
        if !missing.is_empty() {
            return Err(PayConfigError::Missing(missing));
        }
        let problem = if !mch_id.bytes().all(|b| b.is_ascii_digit()) {
            Some("STANDIN_PAY_MCH_ID is digits")
        } else if !merchant_serial.bytes().all(|b| b.is_ascii_hexdigit()) {
            Some("STANDIN_PAY_MERCHANT_SERIAL is hex")
        } else if apiv3_key.len() != 32 || !apiv3_key.bytes().all(|b| b.is_ascii_graphic()) {
            Some("STANDIN_PAY_APIV3_KEY is exactly 32 ASCII characters")
        } else if !public_key_id.is_ascii() {
            Some("STANDIN_PAY_PUBLIC_KEY_ID is ASCII (PUB_KEY_ID_…)")
        } else {
            None
        };
        match problem {
            Some(problem) => Err(PayConfigError::Invalid(problem)),
            None => Ok(Some(Self {
                mch_id,
                merchant_serial,
                apiv3_key,
                public_key_id,
                keys_dir: PathBuf::from(keys_dir),
            })),
        }
    }
}

/// Why the pay account cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayConfigError {
    /// These variables are unset or empty.
    Missing(Vec<&'static str>),
    /// A value has the wrong shape.
    Invalid(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(unset: &'static str) -> impl Fn(&str) -> Option<String> {
        move |name: &str| {
            let value = match name {
                "STANDIN_KEYS_DIR" => "/tmp/keys",
                "STANDIN_PAY_MCH_ID" => "1900009999",
                "STANDIN_PAY_MERCHANT_SERIAL" => "3775B6A45ACD588826D15E583A95F5DD2C9A8C0E",
                "STANDIN_PAY_APIV3_KEY" => "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb",
                "STANDIN_PAY_PUBLIC_KEY_ID" => "PUB_KEY_ID_0000000000000024101100397200000006",
                _ => return None,
            };
            (name != unset).then(|| value.to_owned())
        }
    }

    #[test]
    fn pay_is_off_without_a_keys_dir_and_needs_every_variable_with_one() {
        assert_eq!(
            PayConfig::from_lookup(&lookup("STANDIN_KEYS_DIR")),
            Ok(None)
        );
        assert_eq!(
            PayConfig::from_lookup(&lookup("STANDIN_PAY_APIV3_KEY")),
            Err(PayConfigError::Missing(vec!["STANDIN_PAY_APIV3_KEY"]))
        );
        let config = PayConfig::from_lookup(&lookup("")).unwrap().unwrap();
        assert_eq!(config.mch_id, "1900009999");
        let short_key = |name: &str| match name {
            "STANDIN_PAY_APIV3_KEY" => Some("short".to_owned()),
            other => lookup("")(other),
        };
        assert!(matches!(
            PayConfig::from_lookup(&short_key),
            Err(PayConfigError::Invalid(_))
        ));
    }
}
