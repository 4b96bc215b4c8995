//! The one error type of the worker and its one JSON shape `{code, message}` (API.md).

use shared::api::ErrorBody;
use worker::{console_error, Response, Result};

/// An answer that is not a success: a stable code for programs, a Chinese message for people.
#[derive(Debug)]
pub struct AppError {
    status: u16,
    code: &'static str,
    message: String,
}

impl AppError {
    /// 404 `not_found`: nothing here, or nothing this caller may see.
    pub fn not_found() -> Self {
        Self {
            status: 404,
            code: "not_found",
            message: "请求的内容不存在".into(),
        }
    }

    /// 500 `internal`: logged with its detail; the client only gets a fixed text.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        console_error!("internal error: {detail}");
        Self {
            status: 500,
            code: "internal",
            message: "服务暂时不可用,请稍后再试".into(),
        }
    }

    /// The JSON response for this error.
    pub fn into_response(self) -> Result<Response> {
        let body = ErrorBody {
            code: self.code.into(),
            message: self.message,
        };
        Ok(Response::from_json(&body)?.with_status(self.status))
    }
}
