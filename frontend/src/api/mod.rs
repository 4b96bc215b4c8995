//! The only module that speaks HTTP: one typed function per endpoint of the worker's `/api`,
//! grouped by resource, each turning any non-2xx answer into one [`ClientError`] with a Chinese
//! message to show. Paths are built here alone, every segment (a plate, an id holding a plate)
//! percent-encoded by [`path`].

pub mod auth;
pub mod coupons;
pub mod messages;
pub mod ops;
pub mod orders;
pub mod uploads;
pub mod vehicles;
pub mod wallet;

use gloo::net::http::{Method, RequestBuilder, Response};
use serde::{de::DeserializeOwned, Serialize};
use shared::api::{ErrorBody, ErrorCode};

/// Why a call failed, as the user should be told.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// No answer: offline, or the server is unreachable.
    Network,
    /// The worker refused: its stable code and its message for people.
    Api {
        /// Stable code, e.g. [`ErrorCode::Conflict`].
        code: ErrorCode,
        /// The worker's Chinese message.
        message: String,
    },
    /// The answer was not what this version of the app expects.
    Unexpected,
}

impl ClientError {
    /// The sentence to show the user.
    pub fn message(&self) -> String {
        match self {
            Self::Network => "网络连接失败，请检查网络后重试".into(),
            Self::Api { message, .. } => message.clone(),
            Self::Unexpected => "服务返回了无法识别的内容，请刷新页面后重试".into(),
        }
    }

    /// Whether the user must sign in (again).
    pub fn is_unauthenticated(&self) -> bool {
        self.has_code(ErrorCode::Unauthenticated)
    }

    /// Whether the worker refused with `code` (e.g. `insufficient_funds`, to offer a top-up).
    pub fn has_code(&self, code: ErrorCode) -> bool {
        matches!(self, Self::Api { code: c, .. } if *c == code)
    }
}

/// The [`ClientError`] of a non-2xx answer with `status` and, if it could be read, its body.
fn refusal(status: u16, body: Option<ErrorBody>) -> ClientError {
    match body {
        Some(body) => ClientError::Api {
            code: body.code.or_status(status),
            message: body.message,
        },
        None => ClientError::Api {
            code: ErrorCode::for_status(status),
            message: ErrorCode::Internal.default_message().into(),
        },
    }
}

/// `/api/` and `segments` joined by `/`, each percent-encoded: plates and the ids that hold them
/// are Chinese, and a typed plate may hold anything.
fn path(segments: &[&str]) -> String {
    let mut path = String::from("/api");
    for segment in segments {
        path.push('/');
        path.push_str(&encode(segment));
    }
    path
}

/// `path?key=value`, the value percent-encoded.
fn with_query(path: String, key: &str, value: &str) -> String {
    format!("{path}?{key}={}", encode(value))
}

fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// `GET path` → `T`.
async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    json_of(dispatch(Method::GET, path, None).await?).await
}

/// `POST path` with a JSON body → `T`.
async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ClientError> {
    json_of(send_json(Method::POST, path, body).await?).await
}

/// `POST path` with a JSON body, ignoring the answer's body.
async fn post_unit<B: Serialize>(path: &str, body: &B) -> Result<(), ClientError> {
    send_json(Method::POST, path, body).await.map(drop)
}

/// `POST path` with no body.
async fn post_empty(path: &str) -> Result<(), ClientError> {
    dispatch(Method::POST, path, None).await.map(drop)
}

/// `PUT path` with a JSON body.
async fn put<B: Serialize>(path: &str, body: &B) -> Result<(), ClientError> {
    send_json(Method::PUT, path, body).await.map(drop)
}

/// `PUT path` with no body.
async fn put_empty(path: &str) -> Result<(), ClientError> {
    dispatch(Method::PUT, path, None).await.map(drop)
}

/// `DELETE path`.
async fn delete(path: &str) -> Result<(), ClientError> {
    dispatch(Method::DELETE, path, None).await.map(drop)
}

/// The CSRF guard the worker requires on every mutation.
const GUARD: (&str, &str) = ("X-Requested-With", "vehicles");

/// How often a command is sent again after a network failure (with growing waits).
const RETRIES: u32 = 2;

async fn send_json<B: Serialize>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<Response, ClientError> {
    let body = serde_json::to_string(body).map_err(|_| ClientError::Unexpected)?;
    dispatch(method, path, Some(body)).await
}

/// Sends one request. A command (anything but GET) carries an `Idempotency-Key` and is sent
/// again with the same key after a network failure: if the first one did reach the worker and
/// only its answer was lost, the worker answers the retry as it answered the first, rather than
/// running the command twice or answering with a conflict.
async fn dispatch(
    method: Method,
    path: &str,
    body: Option<String>,
) -> Result<Response, ClientError> {
    let key = (method != Method::GET).then(idempotency_key);
    if key.is_some() {
        // The first request's copy of 我的 is out of date once anything is changed.
        crate::session::forget_home();
    }
    let mut failures = 0;
    loop {
        let mut builder = RequestBuilder::new(path)
            .method(method.clone())
            .header(GUARD.0, GUARD.1);
        if let Some(key) = &key {
            builder = builder.header("Idempotency-Key", key);
        }
        let request = match &body {
            Some(json) => builder
                .header("Content-Type", "application/json")
                .body(json.clone()),
            None => builder.build(),
        }
        .map_err(|_| ClientError::Unexpected)?;
        match request.send().await {
            Ok(response) => return check(response).await,
            Err(_) if key.is_some() && failures < RETRIES => {
                failures += 1;
                gloo_timers::future::TimeoutFuture::new(400 * failures).await;
            }
            Err(_) => return Err(ClientError::Network),
        }
    }
}

/// A key naming one command (two random 52-bit draws and the time: unique per user in practice).
fn idempotency_key() -> String {
    let draw = || (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64;
    format!("{:x}-{:x}-{:x}", js_sys::Date::now() as u64, draw(), draw())
}

async fn check(response: Response) -> Result<Response, ClientError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    Err(refusal(status, response.json::<ErrorBody>().await.ok()))
}

async fn json_of<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    response.json().await.map_err(|_| ClientError::Unexpected)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// The code a refusal with `status` and a body saying `code` (or no body) reads as.
    fn code_of(status: u16, code: Option<&str>) -> ErrorCode {
        let body = code.map(|code| {
            serde_json::from_str::<ErrorBody>(&format!(r#"{{"code":"{code}","message":"x"}}"#))
                .expect("an error body")
        });
        match refusal(status, body) {
            ClientError::Api { code, .. } => code,
            other => panic!("not a refusal: {other:?}"),
        }
    }

    #[wasm_bindgen_test]
    fn known_codes_are_read_and_unknown_ones_fall_back_to_their_status() {
        for code in ErrorCode::ALL {
            assert_eq!(code_of(code.status(), Some(code.as_str())), code);
        }
        assert_eq!(
            code_of(409, Some("insufficient_funds")),
            ErrorCode::InsufficientFunds
        );
        assert_eq!(
            code_of(401, Some("session_gone")),
            ErrorCode::Unauthenticated
        );
        assert_eq!(code_of(409, Some("newer_rule")), ErrorCode::Conflict);
        assert_eq!(code_of(502, None), ErrorCode::Internal);
    }

    #[wasm_bindgen_test]
    fn a_plate_in_a_path_or_query_is_percent_encoded() {
        assert_eq!(
            path(&["vehicles", "闽D12337", "privacy"]),
            "/api/vehicles/%E9%97%BDD12337/privacy"
        );
        assert_eq!(
            with_query(path(&["orders"]), "plate", "闽D 1/2"),
            "/api/orders?plate=%E9%97%BDD%201%2F2"
        );
    }
}
