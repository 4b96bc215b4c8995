//! 证明材料: uploading one evidence photo, with progress.

use shared::api::vehicles::UploadResponse;
use shared::api::ErrorBody;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Blob, ProgressEvent, XmlHttpRequest};

use super::{path, refusal, ClientError, GUARD};

/// Uploads `photo` to `POST /api/uploads`, reporting progress (0–100) as it goes.
///
/// # Errors
/// [`ClientError`] when the photo is refused or the network fails.
pub async fn upload(
    photo: &Blob,
    on_progress: impl Fn(u32) + 'static,
) -> Result<UploadResponse, ClientError> {
    let xhr = XmlHttpRequest::new().map_err(|_| ClientError::Unexpected)?;
    xhr.open("POST", &path(&["uploads"]))
        .map_err(|_| ClientError::Unexpected)?;
    let content_type = if photo.type_().is_empty() {
        "image/jpeg".to_owned()
    } else {
        photo.type_()
    };
    let _ = xhr.set_request_header("Content-Type", &content_type);
    let _ = xhr.set_request_header(GUARD.0, GUARD.1);
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
            Ok(body) => Err(refusal(status, Some(body))),
            Err(_) => Err(ClientError::Unexpected),
        }
    }
}
