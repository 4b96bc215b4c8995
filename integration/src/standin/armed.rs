//! Failures a test arms for its own phone, openid or code: tests run in parallel against one
//! stand-in, so a failure meant for one test must never land on another's calls.

use serde_json::Value;

/// Which provider call a failure is armed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Tencent Cloud `SendSms` (target: a phone in E.164).
    Sms,
    /// WeChat's code exchange (target: the code, or the openid it was issued for).
    OAuth,
    /// WeChat's server `access_token` (no target).
    Token,
    /// WeChat's template send (target: the recipient's openid).
    Template,
}

impl Service {
    /// The name the control endpoint takes.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "sms" => Some(Self::Sms),
            "oauth" => Some(Self::OAuth),
            "token" => Some(Self::Token),
            "template" => Some(Self::Template),
            _ => None,
        }
    }
}

/// The error to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// A Tencent Cloud code string, e.g. `LimitExceeded.PhoneNumberDailyLimit`.
    Tencent(String),
    /// A WeChat `errcode`, e.g. `43004`.
    Wechat(i64),
}

impl Code {
    /// Reads `code` as the kind `service` answers with.
    ///
    /// # Errors
    /// Says which kind was expected.
    pub fn parse(service: Service, code: &Value) -> Result<Self, String> {
        match (service, code) {
            (Service::Sms, Value::String(code)) if !code.is_empty() => {
                Ok(Self::Tencent(code.clone()))
            }
            (Service::Sms, _) => Err("sms failures take a Tencent code string".to_owned()),
            (Service::OAuth | Service::Token | Service::Template, code) => code
                .as_i64()
                .filter(|&n| n != 0)
                .map(Self::Wechat)
                .ok_or_else(|| "WeChat failures take a non-zero integer errcode".to_owned()),
        }
    }

    /// Whether Tencent answers this code for the whole request rather than per number.
    pub fn is_request_level(&self) -> bool {
        match self {
            Self::Tencent(code) => {
                code.starts_with("AuthFailure") || code.starts_with("InternalError")
            }
            Self::Wechat(_) => false,
        }
    }
}

/// One armed failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Armed {
    /// The call it is for.
    pub service: Service,
    /// What to answer.
    pub code: Code,
    /// The phone, openid or code it is for; `None` matches any call of the service.
    pub target: Option<String>,
    /// How many more calls it fails.
    pub times: u32,
}

/// Every failure armed and not yet spent.
#[derive(Debug, Clone, Default)]
pub struct ArmedFailures(Vec<Armed>);

impl ArmedFailures {
    /// Arms one more.
    pub fn arm(&mut self, armed: Armed) {
        if armed.times > 0 {
            self.0.push(armed);
        }
    }

    /// Spends one use of the oldest failure for `service` that `fits` (given its code) and whose
    /// target is one of `targets` or unset.
    pub fn take(
        &mut self,
        service: Service,
        targets: &[&str],
        fits: impl Fn(&Code) -> bool,
    ) -> Option<Code> {
        let index = self.0.iter().position(|a| {
            a.service == service
                && fits(&a.code)
                && a.target.as_deref().is_none_or(|t| targets.contains(&t))
        })?;
        let armed = &mut self.0[index];
        armed.times -= 1;
        let code = armed.code.clone();
        if armed.times == 0 {
            self.0.remove(index);
        }
        Some(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_lands_only_on_its_target_and_only_n_times() {
        let mut armed = ArmedFailures::default();
        armed.arm(Armed {
            service: Service::Template,
            code: Code::Wechat(43004),
            target: Some("oA".to_owned()),
            times: 2,
        });
        assert_eq!(armed.take(Service::Template, &["oB"], |_| true), None);
        assert_eq!(armed.take(Service::Sms, &["oA"], |_| true), None);
        assert_eq!(
            armed.take(Service::Template, &["oA"], |_| true),
            Some(Code::Wechat(43004))
        );
        assert_eq!(
            armed.take(Service::Template, &["oA"], |_| true),
            Some(Code::Wechat(43004))
        );
        assert_eq!(armed.take(Service::Template, &["oA"], |_| true), None);
    }

    #[test]
    fn codes_are_read_by_service() {
        let tencent = Value::from("LimitExceeded.PhoneNumberDailyLimit");
        assert!(Code::parse(Service::Sms, &tencent).is_ok());
        assert!(Code::parse(Service::Template, &tencent).is_err());
        assert_eq!(
            Code::parse(Service::Token, &Value::from(-1)),
            Ok(Code::Wechat(-1))
        );
        assert!(Code::parse(Service::Sms, &Value::from(1)).is_err());
        assert!(Code::Tencent("AuthFailure.SignatureFailure".into()).is_request_level());
        assert!(!Code::Tencent("LimitExceeded.DailyLimit".into()).is_request_level());
    }
}
