//! The one error type of the worker and its one JSON shape `{code, message}` (API.md).

use shared::api::{ErrorBody, ErrorCode};
use shared::limits::Limited;
use worker::{console_error, Response};

/// An answer that is not a success: a stable code for programs, a Chinese message for people.
#[derive(Debug)]
pub struct AppError {
    body: ErrorBody,
    status: u16,
    /// Seconds to wait before trying again (`Retry-After`), for 429 only.
    retry_after: Option<u64>,
}

/// What handlers return: a response, or an error answered in the error shape.
pub type AppResult<T = Response> = Result<T, AppError>;

impl AppError {
    /// An error with the code's default message.
    pub fn new(code: ErrorCode) -> Self {
        Self {
            body: code.body(),
            status: code.status(),
            retry_after: None,
        }
    }

    /// An error with a message that says exactly what is wrong.
    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            body: ErrorBody::new(code, message),
            status: code.status(),
            retry_after: None,
        }
    }

    /// An error as another part of the worker (a Durable Object) answered it.
    pub fn from_wire(status: u16, body: ErrorBody) -> Self {
        Self {
            body,
            status,
            retry_after: None,
        }
    }

    /// 429 `rate_limited`: over `limited`'s limit, with how long to wait (`Retry-After`).
    pub fn rate_limited(limited: Limited, retry_after_secs: u64) -> Self {
        Self {
            retry_after: Some(retry_after_secs),
            ..Self::with_message(ErrorCode::RateLimited, limited.message(retry_after_secs))
        }
    }

    /// The same error, telling the client how many seconds to wait (`Retry-After`).
    pub fn retry_after(self, secs: u64) -> Self {
        Self {
            retry_after: Some(secs),
            ..self
        }
    }

    /// 429 for a full quota of uncited photos: each is swept at most
    /// [`shared::retention::UNREFERENCED_UPLOAD_HOURS`] after its upload, so that is the wait.
    fn quota_full(quota: shared::retention::UploadQuotaFull) -> Self {
        let hours = u64::try_from(shared::retention::UNREFERENCED_UPLOAD_HOURS).unwrap_or(24);
        Self {
            retry_after: Some(hours * 3600),
            ..Self::with_message(quota.code(), quota.to_string())
        }
    }

    /// 400 `invalid_request` naming what is wrong with the request.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::with_message(ErrorCode::InvalidRequest, message)
    }

    /// 500 `internal`: logged with its detail; the client only gets the fixed text.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        console_error!("internal error: {detail}");
        Self::new(ErrorCode::Internal)
    }

    /// Whether the caller is not signed in (401).
    pub fn is_unauthenticated(&self) -> bool {
        self.status == 401
    }

    /// The JSON response for this error.
    pub fn into_response(self) -> worker::Result<Response> {
        let mut response = Response::from_json(&self.body)?.with_status(self.status);
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .set("retry-after", &secs.to_string())?;
        }
        Ok(response)
    }
}

/// Platform failures (D1, Durable Object, R2 errors) are ours: 500 with the detail logged.
impl From<worker::Error> for AppError {
    fn from(err: worker::Error) -> Self {
        Self::internal(err)
    }
}

impl From<shared::plate::PlateError> for AppError {
    fn from(err: shared::plate::PlateError) -> Self {
        let body = ErrorBody::from(err);
        Self {
            status: 400,
            body,
            retry_after: None,
        }
    }
}

/// A refusal of the vehicle's rules (conflict, forbidden, not found, invalid).
impl From<shared::vehicle::CommandError> for AppError {
    fn from(err: shared::vehicle::CommandError) -> Self {
        Self::with_message(err.code(), err.message())
    }
}

/// An order that cannot do what was asked (paid, still inside, a payment under way): 409.
impl From<shared::order::OrderError> for AppError {
    fn from(err: shared::order::OrderError) -> Self {
        Self::with_message(shared::api::ErrorCode::Conflict, err.to_string())
    }
}

/// Refusals of shared's rules that carry their own code and text.
macro_rules! refusal_into_app_error {
    ($($refusal:ty),+ $(,)?) => {$(
        impl From<$refusal> for AppError {
            fn from(err: $refusal) -> Self {
                Self::with_message(err.code(), err.to_string())
            }
        }
    )+};
}

refusal_into_app_error!(
    shared::plate::AddPlateError,
    shared::car_park::EventRefusal,
    shared::coupon::CouponRefusal,
    shared::money::TopUpOutOfRange,
    shared::payment::PayRefusal,
    shared::tenant::ModuleHidden,
    shared::api::vehicles::OwnerOnly,
);

impl From<shared::retention::UploadQuotaFull> for AppError {
    fn from(quota: shared::retention::UploadQuotaFull) -> Self {
        Self::quota_full(quota)
    }
}
