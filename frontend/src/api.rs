//! The only module that speaks HTTP: calls to the worker's `/api`, turning any non-2xx answer
//! into one [`ClientError`] with a Chinese message to show.

use gloo::net::http::{Request, RequestBuilder, Response};
use serde::{de::DeserializeOwned, Serialize};
use shared::api::ErrorBody;

/// Why a call failed, as the user should be told.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// No answer: offline, or the server is unreachable.
    Network,
    /// The worker refused: its stable code and its message for people.
    Api {
        /// HTTP status.
        status: u16,
        /// Stable code, e.g. `conflict`.
        code: String,
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
            Self::Network => "网络连接失败,请检查网络后重试".into(),
            Self::Api { message, .. } => message.clone(),
            Self::Unexpected => "服务返回了无法识别的内容,请刷新页面后重试".into(),
        }
    }

    /// Whether the user must sign in (again).
    pub fn is_unauthenticated(&self) -> bool {
        matches!(self, Self::Api { status: 401, .. })
    }
}

/// `GET path` → `T`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ClientError> {
    json_of(send(Request::get(path)).await?).await
}

/// `POST path` with a JSON body → `T`.
pub async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ClientError> {
    json_of(send_json(Request::post(path), body).await?).await
}

/// `POST path` with a JSON body, ignoring the answer's body.
pub async fn post_unit<B: Serialize>(path: &str, body: &B) -> Result<(), ClientError> {
    send_json(Request::post(path), body).await.map(drop)
}

/// `POST path` with no body.
pub async fn post_empty(path: &str) -> Result<(), ClientError> {
    send(Request::post(path)).await.map(drop)
}

/// The CSRF guard the worker requires on every mutation.
fn guarded(builder: RequestBuilder) -> RequestBuilder {
    builder.header("X-Requested-With", "vehicles")
}

async fn send_json<B: Serialize>(
    builder: RequestBuilder,
    body: &B,
) -> Result<Response, ClientError> {
    let request = guarded(builder)
        .json(body)
        .map_err(|_| ClientError::Unexpected)?;
    check(request.send().await.map_err(|_| ClientError::Network)?).await
}

async fn send(builder: RequestBuilder) -> Result<Response, ClientError> {
    check(
        guarded(builder)
            .send()
            .await
            .map_err(|_| ClientError::Network)?,
    )
    .await
}

async fn check(response: Response) -> Result<Response, ClientError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ClientError::Api {
            status,
            code: body.code,
            message: body.message,
        }),
        Err(_) => Err(ClientError::Api {
            status,
            code: "internal".into(),
            message: "服务暂时不可用,请稍后再试".into(),
        }),
    }
}

async fn json_of<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    response.json().await.map_err(|_| ClientError::Unexpected)
}

/// `POST /api/uploads` with a photo chosen by the user → its upload id.
pub async fn upload(
    file: &web_sys::File,
) -> Result<shared::api::vehicles::UploadResponse, ClientError> {
    let request = guarded(Request::post("/api/uploads"))
        .header("Content-Type", &file.type_())
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|_| ClientError::Unexpected)?;
    json_of(check(request.send().await.map_err(|_| ClientError::Network)?).await?).await
}
