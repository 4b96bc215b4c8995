//! Tencent Cloud SMS `SendSms` (API 3.0, version 2021-01-11): the request the worker sends for a
//! sign-in code, the answers it reads, and what each provider error means for the driver.

use serde::{Deserialize, Serialize};

use crate::api::ErrorCode;

/// The service name (host label and credential scope).
pub const SERVICE: &str = "sms";
/// The action header.
pub const ACTION: &str = "SendSms";
/// The API version header.
pub const VERSION: &str = "2021-01-11";
/// The region header used when a deployment names none.
pub const DEFAULT_REGION: &str = "ap-guangzhou";
/// The production endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://sms.tencentcloudapi.com";

/// The body of `SendSms` (fields as Tencent spells them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendSmsRequest {
    /// E.164 numbers, e.g. `+8613800000000`.
    pub phone_number_set: Vec<String>,
    /// The SMS application's id (`1400…`).
    pub sms_sdk_app_id: String,
    /// The approved signature's name (签名内容).
    pub sign_name: String,
    /// The approved template's id.
    pub template_id: String,
    /// The template's parameters in order: here the code alone.
    pub template_param_set: Vec<String>,
}

/// The whole answer: `{"Response": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// What came back.
    #[serde(rename = "Response")]
    pub response: SendSmsResponse,
}

/// The answer inside the envelope: either an error for the whole request or one status per
/// number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendSmsResponse {
    /// Set when the whole request failed (signature, parameters, frequency…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ProviderError>,
    /// One entry per number when the request was taken.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub send_status_set: Vec<SendStatus>,
    /// Tencent's request id, for support tickets.
    pub request_id: String,
}

/// A request-level error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderError {
    /// E.g. `AuthFailure.SignatureFailure`.
    pub code: String,
    /// Tencent's explanation.
    pub message: String,
}

/// The outcome for one number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendStatus {
    /// Tencent's serial number of the message.
    pub serial_no: String,
    /// The number as Tencent read it.
    pub phone_number: String,
    /// Billed units.
    pub fee: u32,
    /// `Ok`, or an error code such as `LimitExceeded.PhoneNumberDailyLimit`.
    pub code: String,
    /// Tencent's explanation.
    pub message: String,
}

/// The code `Ok` of a message that went out.
pub const SENT: &str = "Ok";

/// What a provider error means for the driver asking for a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsFailure {
    /// Another code went to this phone in the last 30 seconds.
    TooSoon,
    /// The phone reached the provider's hourly cap.
    HourlyLimit,
    /// The phone reached the provider's daily cap.
    DailyLimit,
    /// The provider does not take this number.
    BadNumber,
    /// Our account, signature, template or the provider itself: nothing the driver can fix.
    Unavailable,
}

impl SmsFailure {
    /// The failure a provider code stands for (codes listed in Tencent's `SendSms` docs).
    pub fn of_code(code: &str) -> Self {
        match code {
            "LimitExceeded.PhoneNumberThirtySecondLimit"
            | "LimitExceeded.PhoneNumberSameContentDailyLimit" => Self::TooSoon,
            "LimitExceeded.PhoneNumberOneHourLimit" => Self::HourlyLimit,
            "LimitExceeded.PhoneNumberDailyLimit" | "LimitExceeded.DailyLimit" => Self::DailyLimit,
            "InvalidParameterValue.IncorrectPhoneNumber"
            | "FailedOperation.PhoneNumberInBlacklist"
            | "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber"
            | "UnsupportedOperation.UnsupportedRegion" => Self::BadNumber,
            _ => Self::Unavailable,
        }
    }

    /// The code a program reads.
    pub const fn code(self) -> ErrorCode {
        match self {
            Self::TooSoon | Self::HourlyLimit | Self::DailyLimit => ErrorCode::RateLimited,
            Self::BadNumber => ErrorCode::InvalidRequest,
            Self::Unavailable => ErrorCode::Unavailable,
        }
    }

    /// How long the driver should wait before asking again (`Retry-After`), for the limits.
    pub const fn retry_after_secs(self) -> Option<u64> {
        match self {
            Self::TooSoon => Some(30),
            Self::HourlyLimit => Some(3600),
            Self::DailyLimit => Some(24 * 3600),
            Self::BadNumber | Self::Unavailable => None,
        }
    }

    /// What the driver reads.
    pub const fn message(self) -> &'static str {
        match self {
            Self::TooSoon => "验证码发送过于频繁，请30秒后再试",
            Self::HourlyLimit => "该手机号获取验证码次数过多，请1小时后再试",
            Self::DailyLimit => "该手机号今日获取验证码次数已达上限，请明天再试",
            Self::BadNumber => "该手机号无法接收短信验证码，请检查号码",
            Self::Unavailable => "短信服务暂时不可用，请稍后再试",
        }
    }
}

/// The E.164 form Tencent wants for a mainland number.
pub fn e164(mainland: &str) -> String {
    format!("+86{mainland}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(
        "LimitExceeded.PhoneNumberThirtySecondLimit",
        SmsFailure::TooSoon,
        ErrorCode::RateLimited
    )]
    #[case(
        "LimitExceeded.PhoneNumberOneHourLimit",
        SmsFailure::HourlyLimit,
        ErrorCode::RateLimited
    )]
    #[case(
        "LimitExceeded.PhoneNumberDailyLimit",
        SmsFailure::DailyLimit,
        ErrorCode::RateLimited
    )]
    #[case(
        "InvalidParameterValue.IncorrectPhoneNumber",
        SmsFailure::BadNumber,
        ErrorCode::InvalidRequest
    )]
    #[case(
        "FailedOperation.TemplateIncorrectOrUnapproved",
        SmsFailure::Unavailable,
        ErrorCode::Unavailable
    )]
    #[case(
        "AuthFailure.SignatureFailure",
        SmsFailure::Unavailable,
        ErrorCode::Unavailable
    )]
    #[case(
        "SomethingNew.NobodyKnows",
        SmsFailure::Unavailable,
        ErrorCode::Unavailable
    )]
    fn each_provider_error_tells_the_driver_what_to_do(
        #[case] code: &str,
        #[case] failure: SmsFailure,
        #[case] error: ErrorCode,
    ) {
        assert_eq!(SmsFailure::of_code(code), failure);
        assert_eq!(failure.code(), error);
        assert_eq!(
            failure.retry_after_secs().is_some(),
            error == ErrorCode::RateLimited
        );
        assert!(failure
            .message()
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    }

    #[test]
    fn the_request_is_spelt_as_tencent_documents_it() {
        let body = SendSmsRequest {
            phone_number_set: vec![e164("13800000000")],
            sms_sdk_app_id: "1400000000".to_owned(),
            sign_name: "我的车辆".to_owned(),
            template_id: "100000".to_owned(),
            template_param_set: vec!["123456".to_owned()],
        };
        let json = serde_json::to_value(&body).unwrap_or_default();
        assert_eq!(json["PhoneNumberSet"][0], "+8613800000000");
        assert_eq!(json["SmsSdkAppId"], "1400000000");
        assert_eq!(json["TemplateParamSet"][0], "123456");
    }

    #[test]
    fn both_answer_shapes_read() {
        let ok: Envelope = serde_json::from_str(
            r#"{"Response":{"SendStatusSet":[{"SerialNo":"5000:1","PhoneNumber":"+8613800000000","Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"a0"}}"#,
        ).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.response.send_status_set[0].code, SENT);
        let failed: Envelope = serde_json::from_str(
            r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"bad"},"RequestId":"a1"}}"#,
        ).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            failed.response.error.map(|e| e.code),
            Some("AuthFailure.SignatureFailure".to_owned())
        );
    }
}
