//! Sending sign-in codes by SMS, behind one interface so a deployment plugs in its provider.
//!
//! With `SMS_*` set (README "Deploying") codes go out through Tencent Cloud SMS. Without them, a
//! local run (`ENVIRONMENT=dev`) hands the code back to the caller (`dev_code`), and a deployment
//! refuses to send (sign-in stays closed and the log says why) rather than pretending to.

use shared::phone::Phone;
use shared::providers::tc3::{Tc3Request, CONTENT_TYPE};
use shared::providers::tencent_sms::{
    e164, Envelope, SendSmsRequest, SmsFailure, ACTION, SENT, SERVICE, VERSION,
};
use shared::timestamp::Timestamp;
use worker::Method;

use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::outbound;
use crate::settings::SmsSettings;

/// Something that delivers a sign-in code to a phone.
pub trait SmsSender {
    /// Delivers `code` to `phone` at `now`; returns the code when the caller may see it (local
    /// runs only).
    async fn send_code(
        &self,
        phone: &Phone,
        code: &str,
        now: Timestamp,
    ) -> AppResult<Option<String>>;
}

/// `ENVIRONMENT = "dev"` without a provider: no SMS; the code comes back in the response body.
pub struct DevEcho;

impl SmsSender for DevEcho {
    async fn send_code(&self, _: &Phone, code: &str, _: Timestamp) -> AppResult<Option<String>> {
        Ok(Some(code.to_owned()))
    }
}

/// A deployment without a provider: every send is refused (503, the reason in the log).
pub struct Unconfigured;

impl SmsSender for Unconfigured {
    async fn send_code(&self, _: &Phone, _: &str, _: Timestamp) -> AppResult<Option<String>> {
        worker::console_error!("SMS is off: set SMS_SECRET_ID, SMS_SECRET_KEY, SMS_SDK_APP_ID, SMS_SIGN_NAME and SMS_TEMPLATE_ID");
        Err(refused(SmsFailure::Unavailable))
    }
}

/// Tencent Cloud SMS `SendSms` (API 3.0, signed with TC3-HMAC-SHA256).
pub struct TencentSms(pub SmsSettings);

impl SmsSender for TencentSms {
    async fn send_code(
        &self,
        phone: &Phone,
        code: &str,
        now: Timestamp,
    ) -> AppResult<Option<String>> {
        let settings = &self.0;
        let body = serde_json::to_string(&SendSmsRequest {
            phone_number_set: vec![e164(phone.as_str())],
            sms_sdk_app_id: settings.sdk_app_id.clone(),
            sign_name: settings.sign_name.clone(),
            template_id: settings.template_id.clone(),
            template_param_set: vec![code.to_owned()],
        })
        .map_err(AppError::internal)?;
        let url = worker::Url::parse(&settings.endpoint).map_err(AppError::internal)?;
        // The Host header fetch will send: host, and the port when it is not the scheme's own.
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => return Err(AppError::internal("SMS_ENDPOINT has no host")),
        };
        let timestamp = now.unix_millis() / 1000;
        let authorization = Tc3Request {
            secret_id: &settings.secret_id,
            secret_key: &settings.secret_key,
            service: SERVICE,
            host: &host,
            action: ACTION,
            timestamp,
            payload: &body,
        }
        .authorization();
        let timestamp = timestamp.to_string();
        let headers = [
            ("authorization", authorization.as_str()),
            ("content-type", CONTENT_TYPE),
            ("x-tc-action", ACTION),
            ("x-tc-version", VERSION),
            ("x-tc-timestamp", timestamp.as_str()),
            ("x-tc-region", settings.region.as_str()),
        ];
        let answer = outbound::send(Method::Post, url.as_str(), &headers, Some(body))
            .await
            .map_err(|e| {
                worker::console_error!("SMS SendSms unreachable: {e}");
                refused(SmsFailure::Unavailable)
            })?;
        let envelope: Envelope = serde_json::from_str(&answer.body).map_err(|e| {
            worker::console_error!("SMS SendSms answered {} unreadably: {e}", answer.status);
            refused(SmsFailure::Unavailable)
        })?;
        let response = envelope.response;
        if let Some(error) = response.error {
            worker::console_error!(
                "SMS SendSms refused: {} ({}) request {}",
                error.code,
                error.message,
                response.request_id
            );
            return Err(refused(SmsFailure::of_code(&error.code)));
        }
        match response.send_status_set.first() {
            Some(status) if status.code == SENT => Ok(None),
            Some(status) => {
                worker::console_error!(
                    "SMS SendSms not sent: {} ({}) request {}",
                    status.code,
                    status.message,
                    response.request_id
                );
                Err(refused(SmsFailure::of_code(&status.code)))
            }
            None => {
                worker::console_error!("SMS SendSms: no status, request {}", response.request_id);
                Err(refused(SmsFailure::Unavailable))
            }
        }
    }
}

/// The driver's answer for a provider failure (429 with a wait for the frequency limits).
fn refused(failure: SmsFailure) -> AppError {
    let error = AppError::with_message(failure.code(), failure.message());
    match failure.retry_after_secs() {
        Some(secs) => error.retry_after(secs),
        None => error,
    }
}

/// Sends with the sender this deployment has.
pub async fn send_code(ctx: &Ctx, phone: &Phone, code: &str) -> AppResult<Option<String>> {
    match SmsSettings::from_env(&ctx.env) {
        Some(settings) => TencentSms(settings).send_code(phone, code, ctx.now).await,
        None if ctx.is_dev() => DevEcho.send_code(phone, code, ctx.now).await,
        None => Unconfigured.send_code(phone, code, ctx.now).await,
    }
}
