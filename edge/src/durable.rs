//! The one typed road into a Durable Object, used by the plate object and the wallet object.
//!
//! A call is a request type that names its path and its reply type together ([`Call`]). The
//! caller sends it with [`ask`]; the object answers it with [`serve`], picked by the
//! [`dispatch!`] macro from the same constants. A wrong path or a wrong reply type does not
//! compile, and errors cross the boundary one way: an object's refusal arrives as the same
//! [`AppError`] (code, message, status) it was made with.

use serde::{de::DeserializeOwned, Serialize};
use shared::api::ErrorBody;
use worker::{Method, Request, RequestInit, Response, Stub};

use crate::error::{AppError, AppResult};

/// One request to an object, with its path and what the object answers.
pub trait Call: Serialize + DeserializeOwned {
    /// The object-side path of this call (unique within one object's protocol).
    const PATH: &'static str;
    /// The object's answer.
    type Reply: Serialize + DeserializeOwned;
}

/// An object that answers call `C`.
#[allow(async_fn_in_trait)] // objects run single-threaded: no Send bound is wanted
pub trait Answers<C: Call> {
    /// Answers one call; a refusal travels back to the caller as it is.
    async fn answer(&self, call: C) -> AppResult<C::Reply>;
}

/// Sends `call` to the object behind `stub` and returns its typed answer.
///
/// # Errors
/// The object's refusal (same code, message and status), or `internal` when the object could
/// not be reached or answered something unreadable.
pub async fn ask<C: Call>(stub: &Stub, call: &C) -> AppResult<C::Reply> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(
        serde_json::to_string(call)
            .map_err(AppError::internal)?
            .into(),
    ));
    let req = Request::new_with_init(&format!("https://object{}", C::PATH), &init)?;
    let mut res = stub.fetch_with_request(req).await?;
    let status = res.status_code();
    if status == 200 {
        return Ok(res.json().await?);
    }
    match res.json::<ErrorBody>().await {
        Ok(body) => Err(AppError::from_wire(status, body)),
        Err(err) => Err(AppError::internal(format!(
            "object call {}: {status} {err}",
            C::PATH
        ))),
    }
}

/// Reads call `C` from `req`, lets `object` answer it, and writes the answer (or the refusal in
/// the API's error shape and status).
pub async fn serve<C: Call, O: Answers<C>>(
    object: &O,
    mut req: Request,
) -> worker::Result<Response> {
    let call: C = req.json().await?;
    match object.answer(call).await {
        Ok(reply) => Response::from_json(&reply),
        Err(err) => err.into_response(),
    }
}

/// Routes a request to the object's answer for the call whose `PATH` it names:
/// `dispatch!(self, req, [CallA, CallB])`. Each type is written once, so its path and its
/// answer cannot disagree.
macro_rules! dispatch {
    ($object:expr, $req:expr, [$($call:ty),+ $(,)?]) => {{
        let req: ::worker::Request = $req;
        let path = req.path();
        $(
            if path == <$call as $crate::durable::Call>::PATH {
                return $crate::durable::serve::<$call, _>($object, req).await;
            }
        )+
        ::worker::Response::error(format!("unknown object call {path}"), 404)
    }};
}
pub(crate) use dispatch;
