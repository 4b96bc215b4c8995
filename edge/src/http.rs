//! Turning HTTP into typed values and back: JSON bodies with limits, cookies, the request context.

use futures_util::StreamExt;
use serde::{de::DeserializeOwned, Serialize};
use shared::timestamp::Timestamp;
use worker::{Env, Request, Response};

use crate::error::{AppError, AppResult};

/// Largest JSON body accepted (API.md: larger is `invalid_request`).
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// What every handler gets: the bindings, the time of the request, and whether this is a local run.
pub struct Ctx {
    /// Bindings: DB (D1), VEHICLE (Durable Objects), EVIDENCE (R2), vars and secrets.
    pub env: Env,
    /// The time the request arrived; every rule gets its `now` from here.
    pub now: Timestamp,
}

impl Ctx {
    /// The context of a request arriving now.
    pub fn new(env: Env) -> Self {
        Self {
            env,
            now: Timestamp::from_unix_millis(worker::Date::now().as_millis() as i64),
        }
    }

    /// Local runs (`ENVIRONMENT = "dev"`): sign-in codes are returned in the response.
    pub fn is_dev(&self) -> bool {
        is_dev(&self.env)
    }

    /// The D1 database.
    pub fn db(&self) -> AppResult<worker::D1Database> {
        Ok(self.env.d1("DB")?)
    }

    /// A secret (`.dev.vars` locally, `wrangler secret put` when deployed).
    pub fn secret(&self, name: &str) -> AppResult<String> {
        self.env
            .secret(name)
            .map(|s| s.to_string())
            .map_err(|_| AppError::internal(format!("secret {name} is not set")))
    }
}

/// Whether `env` is a local run (`ENVIRONMENT = "dev"`, set only in `.dev.vars`).
pub fn is_dev(env: &Env) -> bool {
    env.var("ENVIRONMENT")
        .map(|v| v.to_string() == "dev")
        .unwrap_or(false)
}

/// Reads a JSON body of type `T`: too large, not JSON, wrong types or unknown fields → 400.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> AppResult<T> {
    let bytes = read_body(req, MAX_JSON_BYTES, too_large, "请求内容无法读取").await?;
    parse_json(&bytes)
}

/// Reads the whole body, refusing one larger than `max` bytes with `too_large()`: before reading
/// when the client declares a larger length, otherwise as soon as the bytes received pass `max`
/// (a body sent without a length is never buffered beyond the cap). `unreadable` is the message
/// when reading fails.
pub async fn read_body(
    req: &mut Request,
    max: usize,
    too_large: impl Fn() -> AppError,
    unreadable: &str,
) -> AppResult<Vec<u8>> {
    let declared = req.headers().get("content-length").ok().flatten();
    if declared
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > max)
    {
        return Err(too_large());
    }
    if req.inner().body().is_none() {
        return Ok(Vec::new());
    }
    let mut stream = req.stream().map_err(|_| AppError::invalid(unreadable))?;
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| AppError::invalid(unreadable))?;
        if bytes.len() + chunk.len() > max {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Parses JSON into `T`, answering 400 with what is wrong.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> AppResult<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                AppError::invalid("请求不是有效的 JSON")
            }
            // serde names the field and the problem (unknown field, missing field, wrong type).
            Category::Data => AppError::invalid(format!("请求字段不正确：{e}")),
        }
    })
}

fn too_large() -> AppError {
    AppError::invalid(format!(
        "请求内容过大（不能超过 {} KB）",
        MAX_JSON_BYTES / 1024
    ))
}

/// The headers every answer of the worker carries, success and error alike (the SPA's files get
/// theirs from `frontend/static/_headers`, which Cloudflare applies to static assets only).
const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    (
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    ),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("permissions-policy", PERMISSIONS_POLICY),
];

/// Browser features nobody needs, off; the camera only for this origin (evidence photos).
const PERMISSIONS_POLICY: &str = "camera=(self), microphone=(), geolocation=(), payment=(), \
    usb=(), accelerometer=(), gyroscope=(), magnetometer=(), display-capture=(), fullscreen=()";

/// JSON is never a document: it may load nothing and be framed nowhere.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Adds [`SECURITY_HEADERS`] to an answer, and a Content-Security-Policy and `no-store` unless
/// the handler chose its own (evidence photos are sandboxed; `/` is a page, revalidated).
///
/// # Errors
/// Only if the platform refuses to set a header.
pub fn with_security_headers(mut response: Response) -> worker::Result<Response> {
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.set(name, value)?;
    }
    if !headers.has("content-security-policy")? {
        headers.set("content-security-policy", API_CSP)?;
    }
    // Answers are per user and per moment: no browser or shared cache keeps them.
    if !headers.has("cache-control")? {
        headers.set("cache-control", "no-store")?;
    }
    Ok(response)
}

/// A JSON response with a status.
pub fn json<T: Serialize>(status: u16, body: &T) -> AppResult {
    Ok(Response::from_json(body)?.with_status(status))
}

/// An empty 204 response.
pub fn no_content() -> AppResult {
    Ok(Response::empty()?.with_status(204))
}

/// The caller's IP address as Cloudflare's edge saw it (`CF-Connecting-IP`); `"unknown"` when
/// absent, which only a local run without the header can be.
pub fn client_ip(req: &Request) -> String {
    req.headers()
        .get("cf-connecting-ip")
        .ok()
        .flatten()
        .filter(|ip| !ip.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    let header = req.headers().get("cookie").ok().flatten()?;
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}
