//! Calls to outside services (SMS, WeChat): one request out, its status and body text back.
//! A network failure is an `Err` the caller turns into its own answer (never a 500 for the
//! driver: the caller decides what the driver reads).

use worker::{Fetch, Headers, Method, Request, RequestInit};

/// What came back: HTTP status and body text.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body as text.
    pub body: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Answer {
    /// Header `name` (lower case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request; `Err` with a description when nothing usable came back.
pub async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> Result<Answer, String> {
    let out = Headers::new();
    for (name, value) in headers {
        out.set(name, value)
            .map_err(|e| format!("header {name}: {e}"))?;
    }
    let mut init = RequestInit::new();
    init.with_method(method)
        .with_headers(out)
        .with_body(body.map(Into::into));
    let request = Request::new_with_init(url, &init).map_err(|e| format!("{url}: {e}"))?;
    let mut response = Fetch::Request(request)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let status = response.status_code();
    let headers = response
        .headers()
        .entries()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let body = response
        .text()
        .await
        .map_err(|e| format!("{url}: body: {e}"))?;
    Ok(Answer {
        status,
        body,
        headers,
    })
}

/// `GET url`.
pub async fn get(url: &str) -> Result<Answer, String> {
    send(Method::Get, url, &[], None).await
}
