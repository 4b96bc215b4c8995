//! The only module that speaks HTTP: calls to the worker's `/api`, turning any non-2xx answer
//! into one [`ClientError`] with a Chinese message to show.

use gloo::net::http::{Request, RequestBuilder, Response};
use serde::{de::DeserializeOwned, Serialize};
use shared::api::{ErrorBody, ErrorCode};

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

    /// Whether the worker refused with `code` (e.g. `insufficient_funds`, to offer a top-up).
    pub fn has_code(&self, code: ErrorCode) -> bool {
        matches!(self, Self::Api { code: c, .. } if c == code.as_str())
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

/// `PUT path` with a JSON body.
pub async fn put<B: Serialize>(path: &str, body: &B) -> Result<(), ClientError> {
    send_json(Request::put(path), body).await.map(drop)
}

/// `PUT path` with no body.
pub async fn put_empty(path: &str) -> Result<(), ClientError> {
    send(Request::put(path)).await.map(drop)
}

/// `DELETE path`.
pub async fn delete(path: &str) -> Result<(), ClientError> {
    send(Request::delete(path)).await.map(drop)
}

/// `text` as one segment of a path (or a query value): plates and order ids are Chinese, and a
/// typed plate may hold anything.
pub fn segment(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
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

/// Uploads `photo` to `POST /api/uploads`, reporting progress (0–100) as it goes.
pub async fn upload(
    photo: &web_sys::Blob,
    on_progress: impl Fn(u32) + 'static,
) -> Result<shared::api::vehicles::UploadResponse, ClientError> {
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{ProgressEvent, XmlHttpRequest};

    let xhr = XmlHttpRequest::new().map_err(|_| ClientError::Unexpected)?;
    xhr.open("POST", "/api/uploads")
        .map_err(|_| ClientError::Unexpected)?;
    let content_type = if photo.type_().is_empty() {
        "image/jpeg".to_owned()
    } else {
        photo.type_()
    };
    let _ = xhr.set_request_header("Content-Type", &content_type);
    let _ = xhr.set_request_header("X-Requested-With", "vehicles");
    let progress = Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            on_progress((e.loaded() / e.total() * 100.0).round() as u32);
        }
    });
    if let Ok(target) = xhr.upload() {
        target.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
    });
    // XHR, not fetch: only XHR reports upload progress.
    xhr.send_with_opt_blob(Some(photo))
        .map_err(|_| ClientError::Network)?;
    let finished = wasm_bindgen_futures::JsFuture::from(done).await;
    drop(progress);
    finished.map_err(|_| ClientError::Network)?;
    let status = xhr.status().map_err(|_| ClientError::Network)?;
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|_| ClientError::Unexpected)
    } else {
        match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => Err(ClientError::Api {
                status,
                code: body.code,
                message: body.message,
            }),
            Err(_) => Err(ClientError::Unexpected),
        }
    }
}
