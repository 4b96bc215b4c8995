//! Tencent Cloud SMS `SendSms` (API 3.0, 2021-01-11) as the worker meets it: the TC3 signature is
//! recomputed from the bytes received, then the account, signature name, template and code are
//! checked in the order Tencent does, and each number gets its own status. Accepted codes are
//! kept per phone so a test can sign in with the code the driver would have read.

use std::collections::HashMap;

use serde::Serialize;
use shared::providers::tc3::{Authorization, Tc3Request, CONTENT_TYPE, SIGNED_HEADERS};
use shared::providers::tencent_sms::{
    Envelope, ProviderError, SendSmsRequest, SendSmsResponse, SendStatus, ACTION, SENT, SERVICE,
    VERSION,
};

use super::armed::{Code, Service};
use super::http::{Request, Response};
use super::State;

/// "如果与服务器时间相差超过5分钟，会引起签名过期错误"
const MAX_SKEW_S: i64 = 300;
/// Tencent takes at most 200 numbers per request.
const MAX_NUMBERS: usize = 200;

/// The text messages that went out.
#[derive(Debug, Default)]
pub struct SmsState {
    by_phone: HashMap<String, Vec<Sent>>,
}

/// One accepted message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sent {
    /// The number, E.164.
    pub phone: String,
    /// The template's one parameter: the sign-in code.
    pub code: String,
    /// When, in Unix milliseconds.
    pub at_ms: i64,
}

impl SmsState {
    /// The messages sent to `phone` (E.164), oldest first.
    pub fn sent_to(&self, phone: &str) -> &[Sent] {
        self.by_phone.get(phone).map_or(&[], Vec::as_slice)
    }
}

/// Tencent's explanation of a code (from the API's error list), or a generic one.
fn message_of(code: &str) -> &'static str {
    match code {
        "AuthFailure.SignatureFailure" => "The provided credentials could not be validated. Please check your signature is correct.",
        "AuthFailure.SignatureExpire" => "签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。",
        "AuthFailure.SecretIdNotFound" => "密钥不存在。请在控制台检查密钥是否已被删除或者禁用，如状态正常，请检查密钥是否填写正确，注意前后不得有空格。",
        "InvalidAction" => "接口不存在。",
        "NoSuchVersion" => "接口版本不存在。",
        "MissingParameter" => "缺少参数错误。",
        "MissingParameter.EmptyPhoneNumberSet" => "传入的号码列表为空，请确认您的参数中是否传入号码。",
        "InvalidParameter" => "参数错误。",
        "InvalidParameterValue.SdkAppIdNotExist" => "SdkAppId 不存在。",
        "FailedOperation.SignatureIncorrectOrUnapproved" => "签名未审批或格式错误。（1）可登录 短信控制台，核查签名是否已审批并且审批通过；（2）核查是否符合格式规范，签名只能由中英文、数字组成，要求2 - 12个字。",
        "FailedOperation.TemplateIncorrectOrUnapproved" => "模板未审批或内容不匹配。（1）可登录 短信控制台，核查模板是否已审批并审批通过；（2）核查是否符合格式规范。",
        "InvalidParameterValue.TemplateParameterFormatError" => "验证码模板参数格式错误，验证码类模版，模版变量只能传入0 - 6位（包括6位）纯数字。",
        "InvalidParameterValue.IncorrectPhoneNumber" => "手机号格式错误，请参考 1016错误详解。",
        "LimitExceeded.PhoneNumberCountLimit" => "调用接口单次提交的手机号个数超过200个，请遵守 API 接口输入参数 PhoneNumberSet 描述。",
        "LimitExceeded.PhoneNumberThirtySecondLimit" => "单个手机号30秒内下发短信条数超过设定的上限，可自行到控制台调整短信频率限制策略。",
        "LimitExceeded.PhoneNumberOneHourLimit" => "单个手机号1小时内下发短信条数超过设定的上限，可自行到控制台调整短信频率限制策略。",
        "LimitExceeded.PhoneNumberDailyLimit" => "单个手机号日下发短信条数超过设定的上限，可自行到控制台调整短信频率限制策略。",
        _ => "armed failure",
    }
}

/// A whole-request error.
fn refuse(state: &mut State, code: &str) -> Response {
    state.stats.sms_refusals += 1;
    let envelope = Envelope {
        response: SendSmsResponse {
            error: Some(ProviderError {
                code: code.to_owned(),
                message: message_of(code).to_owned(),
            }),
            send_status_set: Vec::new(),
            request_id: state.ids.uuid(),
        },
    };
    Response::json(200, &envelope).refused(format!("sms {code}"))
}

/// `POST /` with `X-TC-Action: SendSms`.
pub fn send_sms(req: &Request, state: &mut State, now_ms: i64) -> Response {
    let body = match check_request(req, state, now_ms) {
        Ok(body) => body,
        Err(code) => return refuse(state, code),
    };
    if body.phone_number_set.is_empty() {
        return refuse(state, "MissingParameter.EmptyPhoneNumberSet");
    }
    if body.phone_number_set.len() > MAX_NUMBERS {
        return refuse(state, "LimitExceeded.PhoneNumberCountLimit");
    }
    let numbers: Vec<&str> = body.phone_number_set.iter().map(String::as_str).collect();
    if let Some(Code::Tencent(code)) =
        state
            .armed
            .take(Service::Sms, &numbers, Code::is_request_level)
    {
        return refuse(state, &code);
    }
    let code = body.template_param_set.first().cloned().unwrap_or_default();
    let statuses: Vec<SendStatus> = body
        .phone_number_set
        .iter()
        .map(|phone| status_for(phone, &code, state, now_ms))
        .collect();
    let envelope = Envelope {
        response: SendSmsResponse {
            error: None,
            send_status_set: statuses,
            request_id: state.ids.uuid(),
        },
    };
    Response::json(200, &with_documented_fields(&envelope))
}

/// The signature, the headers and the body, in Tencent's order; the first failing code.
fn check_request(
    req: &Request,
    state: &State,
    now_ms: i64,
) -> Result<SendSmsRequest, &'static str> {
    const BAD_SIGNATURE: &str = "AuthFailure.SignatureFailure";
    let config = &state.config;
    let auth = req
        .header("Authorization")
        .and_then(Authorization::parse)
        .ok_or(BAD_SIGNATURE)?;
    if auth.secret_id != config.sms_secret_id {
        return Err("AuthFailure.SecretIdNotFound");
    }
    let timestamp = req
        .header("X-TC-Timestamp")
        .and_then(|t| t.trim().parse::<i64>().ok())
        .filter(|t| (t - now_ms.div_euclid(1000)).abs() <= MAX_SKEW_S)
        .ok_or("AuthFailure.SignatureExpire")?;
    let payload = std::str::from_utf8(&req.body).map_err(|_| BAD_SIGNATURE)?;
    let action = req.header("X-TC-Action").unwrap_or_default();
    let expected = Tc3Request {
        secret_id: &config.sms_secret_id,
        secret_key: &config.sms_secret_key,
        service: SERVICE,
        host: req.header("Host").unwrap_or_default(),
        action,
        timestamp,
        payload,
    };
    let signed_right = req.header("Content-Type") == Some(CONTENT_TYPE)
        && auth.service == SERVICE
        && auth.date == expected.date()
        && auth.signed_headers == SIGNED_HEADERS
        && auth.signature == expected.signature();
    if !signed_right {
        return Err(BAD_SIGNATURE);
    }
    if action != ACTION {
        return Err("InvalidAction");
    }
    if req.header("X-TC-Version") != Some(VERSION) {
        return Err("NoSuchVersion");
    }
    if req
        .header("X-TC-Region")
        .is_none_or(|r| r.trim().is_empty())
    {
        return Err("MissingParameter");
    }
    let body: SendSmsRequest = serde_json::from_str(payload).map_err(|_| "InvalidParameter")?;
    if body.sms_sdk_app_id != config.sms_sdk_app_id {
        return Err("InvalidParameterValue.SdkAppIdNotExist");
    }
    if body.sign_name != config.sms_sign_name {
        return Err("FailedOperation.SignatureIncorrectOrUnapproved");
    }
    if body.template_id != config.sms_template_id {
        return Err("FailedOperation.TemplateIncorrectOrUnapproved");
    }
    let one_code = matches!(body.template_param_set.as_slice(),
        [code] if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
    if !one_code {
        return Err("InvalidParameterValue.TemplateParameterFormatError");
    }
    Ok(body)
}

/// Whether `phone` is a mainland mobile number in E.164 (`+861` and 10 digits).
fn is_mainland_mobile(phone: &str) -> bool {
    phone
        .strip_prefix("+861")
        .is_some_and(|rest| rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// One number's outcome; an accepted message is recorded.
fn status_for(phone: &str, code: &str, state: &mut State, now_ms: i64) -> SendStatus {
    let failure = if is_mainland_mobile(phone) {
        state
            .armed
            .take(Service::Sms, &[phone], |c| !c.is_request_level())
            .and_then(|c| match c {
                Code::Tencent(code) => Some(code),
                Code::Wechat(_) => None,
            })
    } else {
        Some("InvalidParameterValue.IncorrectPhoneNumber".to_owned())
    };
    let serial_no = format!("5000:{}", state.ids.digits(30));
    match failure {
        Some(failure) => {
            state.stats.sms_refusals += 1;
            SendStatus {
                serial_no: String::new(),
                phone_number: phone.to_owned(),
                fee: 0,
                message: message_of(&failure).to_owned(),
                code: failure,
            }
        }
        None => {
            state.stats.sms_sends += 1;
            state
                .sms
                .by_phone
                .entry(phone.to_owned())
                .or_default()
                .push(Sent {
                    phone: phone.to_owned(),
                    code: code.to_owned(),
                    at_ms: now_ms,
                });
            SendStatus {
                serial_no,
                phone_number: phone.to_owned(),
                fee: 1,
                code: SENT.to_owned(),
                message: "send success".to_owned(),
            }
        }
    }
}

/// The envelope with the per-number fields Tencent also sends (`SessionContext`, `IsoCode`), so
/// the worker is shown to read past fields it does not use.
fn with_documented_fields(envelope: &Envelope) -> serde_json::Value {
    let mut value = serde_json::to_value(envelope).unwrap_or_default();
    if let Some(statuses) = value["Response"]["SendStatusSet"].as_array_mut() {
        for status in statuses {
            status["SessionContext"] = "".into();
            status["IsoCode"] = if status["Code"] == SENT { "CN" } else { "DEF" }.into();
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::super::armed::Armed;
    use super::super::fixture::*;
    use super::super::handle;
    use super::*;
    use shared::providers::tencent_sms::DEFAULT_REGION;

    const HOST: &str = "127.0.0.1:9100";

    fn body(phones: &[&str], code: &str) -> String {
        serde_json::to_string(&SendSmsRequest {
            phone_number_set: phones.iter().map(|p| (*p).to_owned()).collect(),
            sms_sdk_app_id: SDK_APP_ID.to_owned(),
            sign_name: SIGN_NAME.to_owned(),
            template_id: SMS_TEMPLATE_ID.to_owned(),
            template_param_set: vec![code.to_owned()],
        })
        .unwrap()
    }

    /// `payload` signed with `key` at `timestamp`, as the worker sends it.
    fn signed(payload: &str, key: &str, timestamp: i64) -> Request {
        let tc3 = Tc3Request {
            secret_id: SECRET_ID,
            secret_key: key,
            service: SERVICE,
            host: HOST,
            action: ACTION,
            timestamp,
            payload,
        };
        Request::new("POST", "/")
            .with_header("Authorization", &tc3.authorization())
            .with_header("Content-Type", CONTENT_TYPE)
            .with_header("Host", HOST)
            .with_header("X-TC-Action", ACTION)
            .with_header("X-TC-Version", VERSION)
            .with_header("X-TC-Timestamp", &timestamp.to_string())
            .with_header("X-TC-Region", DEFAULT_REGION)
            .with_body(payload)
    }

    fn now_s() -> i64 {
        NOW_MS / 1000
    }

    fn error_code(answer: &Response) -> String {
        answer.body_json()["Response"]["Error"]["Code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn a_correctly_signed_request_is_accepted_and_recorded() {
        let mut state = state();
        let answer = handle(
            &signed(&body(&["+8613800000000"], "123456"), SECRET_KEY, now_s()),
            &mut state,
            NOW_MS,
        );
        assert_eq!(answer.status, 200);
        let envelope: Envelope = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(envelope.response.error, None);
        let status = &envelope.response.send_status_set[0];
        assert_eq!((status.code.as_str(), status.fee), (SENT, 1));
        assert!(status.serial_no.starts_with("5000:"));
        assert_eq!(
            answer.body_json()["Response"]["SendStatusSet"][0]["IsoCode"],
            "CN"
        );
        assert_eq!(
            state.sms.sent_to("+8613800000000"),
            [Sent {
                phone: "+8613800000000".into(),
                code: "123456".into(),
                at_ms: NOW_MS
            }]
        );
        assert_eq!(state.stats.sms_sends, 1);
    }

    #[test]
    fn a_changed_byte_a_wrong_key_or_an_old_timestamp_is_refused() {
        let mut state = state();
        let payload = body(&["+8613800000001"], "123456");
        let mut tampered = signed(&payload, SECRET_KEY, now_s());
        tampered.body = payload.replace("123456", "123457").into_bytes();
        let wrong_key = signed(&payload, "not-the-key", now_s());
        let old = signed(&payload, SECRET_KEY, now_s() - 600);
        let mut other_host = signed(&payload, SECRET_KEY, now_s());
        other_host.headers.retain(|(k, _)| k != "Host");
        other_host
            .headers
            .push(("Host".into(), "127.0.0.1:9101".into()));
        let cases = [
            (tampered, "AuthFailure.SignatureFailure"),
            (wrong_key, "AuthFailure.SignatureFailure"),
            (old, "AuthFailure.SignatureExpire"),
            (other_host, "AuthFailure.SignatureFailure"),
            (
                Request::new("POST", "/").with_body(payload.clone()),
                "AuthFailure.SignatureFailure",
            ),
        ];
        for (req, code) in cases {
            assert_eq!(error_code(&handle(&req, &mut state, NOW_MS)), code);
        }
        let unknown_id = signed(&payload, SECRET_KEY, now_s());
        let unknown_id = Request {
            headers: unknown_id
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.replace(SECRET_ID, "AKIDother")))
                .collect(),
            ..unknown_id
        };
        assert_eq!(
            error_code(&handle(&unknown_id, &mut state, NOW_MS)),
            "AuthFailure.SecretIdNotFound"
        );
        assert!(state.sms.sent_to("+8613800000001").is_empty());
        assert_eq!(state.stats.sms_refusals, 6);
    }

    #[test]
    fn the_account_and_template_are_checked_after_the_signature() {
        let mut state = state();
        let with = |edit: &dyn Fn(&mut SendSmsRequest)| {
            let mut request: SendSmsRequest =
                serde_json::from_str(&body(&["+8613800000002"], "654321")).unwrap();
            edit(&mut request);
            signed(
                &serde_json::to_string(&request).unwrap(),
                SECRET_KEY,
                now_s(),
            )
        };
        let cases: [(Request, &str); 6] = [
            (
                with(&|r| r.sms_sdk_app_id = "1400999999".into()),
                "InvalidParameterValue.SdkAppIdNotExist",
            ),
            (
                with(&|r| r.sign_name = "别人的签名".into()),
                "FailedOperation.SignatureIncorrectOrUnapproved",
            ),
            (
                with(&|r| r.template_id = "1".into()),
                "FailedOperation.TemplateIncorrectOrUnapproved",
            ),
            (
                with(&|r| r.template_param_set = vec!["12345".into()]),
                "InvalidParameterValue.TemplateParameterFormatError",
            ),
            (
                with(&|r| r.template_param_set.push("1".into())),
                "InvalidParameterValue.TemplateParameterFormatError",
            ),
            (
                signed("{\"PhoneNumberSet\":1}", SECRET_KEY, now_s()),
                "InvalidParameter",
            ),
        ];
        for (req, code) in cases {
            assert_eq!(error_code(&handle(&req, &mut state, NOW_MS)), code);
        }
        let mut no_region = with(&|_| ());
        no_region.headers.retain(|(k, _)| k != "X-TC-Region");
        assert_eq!(
            error_code(&handle(&no_region, &mut state, NOW_MS)),
            "MissingParameter"
        );
        assert!(state.sms.sent_to("+8613800000002").is_empty());
    }

    #[test]
    fn each_number_gets_its_own_status_and_armed_failures_hit_their_target() {
        let mut state = state();
        state.armed.arm(Armed {
            service: Service::Sms,
            code: Code::Tencent("LimitExceeded.PhoneNumberDailyLimit".into()),
            target: Some("+8613800000004".into()),
            times: 1,
        });
        let payload = body(
            &["+8613800000003", "+8613800000004", "13800000005"],
            "111111",
        );
        let answer = handle(&signed(&payload, SECRET_KEY, now_s()), &mut state, NOW_MS).body_json();
        let codes: Vec<&str> = answer["Response"]["SendStatusSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            [
                "Ok",
                "LimitExceeded.PhoneNumberDailyLimit",
                "InvalidParameterValue.IncorrectPhoneNumber"
            ]
        );
        let again = handle(
            &signed(&body(&["+8613800000004"], "222222"), SECRET_KEY, now_s()),
            &mut state,
            NOW_MS,
        );
        assert_eq!(
            again.body_json()["Response"]["SendStatusSet"][0]["Code"],
            "Ok"
        );
        state.armed.arm(Armed {
            service: Service::Sms,
            code: Code::Tencent("InternalError.Timeout".into()),
            target: Some("+8613800000004".into()),
            times: 1,
        });
        let request_level = handle(
            &signed(&body(&["+8613800000004"], "333333"), SECRET_KEY, now_s()),
            &mut state,
            NOW_MS,
        );
        assert_eq!(error_code(&request_level), "InternalError.Timeout");
        assert_eq!(state.sms.sent_to("+8613800000004").len(), 1);
        assert_eq!((state.stats.sms_sends, state.stats.sms_refusals), (2, 3));
    }
}
