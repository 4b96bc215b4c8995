//! Sending sign-in codes by SMS, behind one interface so a deployment plugs in its provider.
//!
//! Two senders exist today: local runs hand the code back to the caller (`dev_code`), and a
//! deployment with no provider configured refuses to send (sign-in stays closed, and the log
//! says why) rather than pretending to.

use shared::phone::Phone;

use crate::error::{AppError, AppResult};
use crate::http::Ctx;

/// Something that delivers a sign-in code to a phone.
pub trait SmsSender {
    /// Delivers `code` to `phone`; returns the code when the caller may see it (local runs).
    async fn send_code(&self, phone: &Phone, code: &str) -> AppResult<Option<String>>;
}

/// `ENVIRONMENT = "dev"`: no SMS; the code comes back in the response body.
pub struct DevEcho;

impl SmsSender for DevEcho {
    async fn send_code(&self, _phone: &Phone, code: &str) -> AppResult<Option<String>> {
        Ok(Some(code.to_owned()))
    }
}

/// A deployment without a provider: every send fails loudly (500, detail in the log).
pub struct Unconfigured;

impl SmsSender for Unconfigured {
    async fn send_code(&self, _phone: &Phone, _code: &str) -> AppResult<Option<String>> {
        Err(AppError::internal(
            "no SMS provider configured: set one up before opening sign-in",
        ))
    }
}

/// Sends with the sender this environment has.
pub async fn send_code(ctx: &Ctx, phone: &Phone, code: &str) -> AppResult<Option<String>> {
    if ctx.is_dev() {
        DevEcho.send_code(phone, code).await
    } else {
        Unconfigured.send_code(phone, code).await
    }
}
