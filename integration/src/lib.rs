//! A small HTTP client for the tests in `tests/`: they run against the local worker
//! (`wrangler dev` on real workerd) that scripts/test starts once and names in `BASE_URL`.

#![allow(clippy::expect_used)] // test support: a failed set-up should stop the test loudly

use serde::de::DeserializeOwned;

/// The worker under test.
pub struct Api {
    agent: ureq::Agent,
    base: String,
}

/// One answer: status, content type and body, whatever the status (4xx is a result to check).
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, empty when absent.
    pub content_type: String,
    /// The body as text (binary bodies lossily).
    pub body: String,
    /// The body's length in bytes.
    pub len: usize,
}

impl Api {
    /// The worker at `BASE_URL` (set by scripts/test), e.g. `http://127.0.0.1:8787`.
    pub fn from_env() -> Self {
        let base = std::env::var("BASE_URL")
            .expect("BASE_URL is not set: run the HTTP tests through scripts/test");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            agent,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Reply {
        let response = self.agent.get(format!("{}{path}", self.base)).call();
        Reply::from(response.expect("the worker did not answer"))
    }
}

impl Reply {
    fn from(mut response: ureq::http::Response<ureq::Body>) -> Self {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.body_mut().read_to_vec().expect("unreadable body");
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Self {
            status,
            content_type,
            body,
            len: bytes.len(),
        }
    }

    /// The body parsed as `T`; panics with the body when it is not.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not the expected JSON ({e}): {}", self.body))
    }
}
