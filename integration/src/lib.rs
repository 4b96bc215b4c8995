//! A small HTTP client for the tests in `tests/`: they run against the local worker
//! (`wrangler dev` on real workerd) that scripts/test starts once and names in `BASE_URL`.
//!
//! Every test signs in its own fresh users and uses its own plates, so tests run in parallel
//! against one server without seeing each other.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)] // test support

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde_json::Value;

pub mod fuzz;
pub mod gateway;
pub mod load;
pub mod standin;
pub mod standin_client;
pub mod wechat;

/// The seeded demo operator.
pub const OPERATOR_PHONE: &str = "13900000000";

/// The worker under test.
#[derive(Clone)]
pub struct Api {
    agent: ureq::Agent,
    base: String,
}

/// One answer: status, headers we look at, and the body, whatever the status.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub set_cookie: Option<String>,
    /// The `Retry-After` header (seconds), on a 429.
    pub retry_after: Option<String>,
    /// The `X-Content-Type-Options` header.
    pub nosniff: Option<String>,
    /// Every header, names in lower case (see [`Reply::header`]).
    pub headers: Vec<(String, String)>,
    /// The body as text (binary bodies lossily).
    pub body: String,
    /// The body's length in bytes.
    pub len: usize,
}

/// A signed-in user: sends the session cookie and the CSRF header.
#[derive(Clone)]
pub struct Session {
    pub api: Api,
    pub phone: String,
    pub user_id: String,
    cookie: String,
}

/// A request being built: method, path, optional body and extra headers.
pub struct Call<'a> {
    api: &'a Api,
    method: &'static str,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<(String, Vec<u8>)>,
}

impl Api {
    /// The worker at `BASE_URL` (set by scripts/test), e.g. `http://127.0.0.1:8787`.
    pub fn from_env() -> Self {
        let base = std::env::var("BASE_URL")
            .expect("BASE_URL is not set: run the HTTP tests through scripts/test");
        Self::at(&base)
    }

    /// The worker at `base`, e.g. `http://127.0.0.1:8787`.
    pub fn at(base: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Redirects are answers to look at (WeChat sign-in), never followed.
            .max_redirects(0)
            .max_idle_connections_per_host(64)
            .build()
            .into();
        Self {
            agent,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// `GET path`, anonymous.
    pub fn get(&self, path: &str) -> Reply {
        self.call("GET", path).send()
    }

    /// Any request, anonymous unless headers say otherwise.
    pub fn call(&self, method: &'static str, path: &str) -> Call<'_> {
        Call {
            api: self,
            method,
            path: path.to_owned(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A sign-in code for `phone` (the dev worker returns it in the body), asked from the
    /// phone's own address ([`address_of`]).
    pub fn code(&self, phone: &str) -> Reply {
        self.call("POST", "/api/auth/code")
            .header(CLIENT_IP, &address_of(phone))
            .csrf()
            .json(&serde_json::json!({ "phone": phone }))
            .send()
    }

    /// The code `POST /api/auth/code` just sent: from the SMS stand-in when the server sends
    /// through it (scripts/test), else from the answer (a dev server without SMS settings).
    pub fn code_sent_to(&self, phone: &str, answer: &Value) -> String {
        if let Some(code) = answer["dev_code"].as_str() {
            return code.to_owned();
        }
        let standin = standin_client::Standin::from_env()
            .expect("no dev_code and no STANDIN_URL: where did the code go?");
        standin
            .latest_code(phone)
            .unwrap_or_else(|| panic!("the SMS stand-in got no code for {phone}"))
    }

    /// Signs `phone` in (creating the account on first sign-in).
    pub fn login(&self, phone: &str) -> Session {
        let code = self.code(phone);
        assert_eq!(code.status, 200, "code for {phone}: {}", code.body);
        let code = self.code_sent_to(phone, &code.json());
        let reply = self
            .call("POST", "/api/auth/login")
            .header(CLIENT_IP, &address_of(phone))
            .csrf()
            .json(&serde_json::json!({ "phone": phone, "code": code }))
            .send();
        assert_eq!(reply.status, 200, "login {phone}: {}", reply.body);
        let cookie = reply
            .set_cookie
            .clone()
            .expect("login sets the session cookie");
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let me: Value = reply.json();
        let user_id = me["user"]["id"].as_str().unwrap().to_owned();
        Session {
            api: self.clone(),
            phone: phone.to_owned(),
            user_id,
            cookie,
        }
    }

    /// A brand-new user, signed in.
    pub fn new_user(&self) -> Session {
        self.login(&unique_phone())
    }
}

/// The header Cloudflare's edge sets to the caller's address. Locally, wrangler sets it to the
/// connection's address (127.0.0.1) only when the request has none, so a test can say where a
/// person is; Cloudflare overwrites it, so a deployed worker cannot be fooled this way.
pub const CLIENT_IP: &str = "cf-connecting-ip";

/// The address `phone`'s person signs in from: one per phone (in 10.0.0.0/8), as each driver
/// has their own, so the suite's hundreds of sign-ins stay under the per-address code limit.
pub fn address_of(phone: &str) -> String {
    let n: u64 = phone.bytes().filter(u8::is_ascii_digit).fold(0, |n, b| {
        n.wrapping_mul(10).wrapping_add(u64::from(b - b'0'))
    });
    format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255)
}

/// The operator, signed in once per test binary. Sign-in codes are rate limited per phone (5 per
/// 10 minutes), so each binary signs in as its own seeded operator (edge/seed/dev.sql).
pub fn operator() -> &'static Session {
    static OPERATOR: OnceLock<Session> = OnceLock::new();
    OPERATOR.get_or_init(|| Api::from_env().login(&operator_phone()))
}

fn operator_phone() -> String {
    let exe = std::env::args().next().unwrap_or_default();
    let name = std::path::Path::new(&exe)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let stem = name.split('-').next().unwrap_or_default();
    let n = match stem {
        "journeys" => 1,
        "access" => 2,
        "sessions" => 3,
        "concurrency" => 4,
        "restart" => 5,
        "loadgen" => 6,
        "parking" => 10,
        "gateway" => 11,
        "carpark" => 12,
        "account" => 13,
        "retention" => 14,
        "faults" => 15,
        "evidence" => 16,
        "wechat" => 17,
        "wechat_pay" => 18,
        // The fuzzer may close its operator's account (DELETE /api/me): one of its own.
        "fuzz" => 19,
        "whole_seed" => 20,
        _ => 0,
    };
    format!("139{n:08}")
}

impl Session {
    /// A session from its parts (a sign-in done step by step, e.g. through WeChat).
    pub fn from_parts(api: Api, phone: &str, user_id: &str, cookie: &str) -> Self {
        Self {
            api,
            phone: phone.to_owned(),
            user_id: user_id.to_owned(),
            cookie: cookie.to_owned(),
        }
    }

    /// This user's phone as others are shown it (shared's masking rule).
    pub fn phone_masked(&self) -> String {
        shared::phone::Phone::parse(&self.phone)
            .map(|p| p.masked())
            .unwrap_or_default()
    }

    /// The `Cookie` header value that signs this user in, for clients other than [`Call`].
    pub fn cookie(&self) -> &str {
        &self.cookie
    }

    /// A request with this user's cookie and the CSRF header.
    pub fn call(&self, method: &'static str, path: &str) -> Call<'_> {
        self.api
            .call(method, path)
            .header("cookie", &self.cookie)
            .csrf()
    }

    pub fn get(&self, path: &str) -> Reply {
        self.call("GET", path).send()
    }

    pub fn post(&self, path: &str, body: Value) -> Reply {
        self.call("POST", path).json(&body).send()
    }

    pub fn post_empty(&self, path: &str) -> Reply {
        self.call("POST", path).send()
    }

    pub fn put(&self, path: &str, body: Value) -> Reply {
        self.call("PUT", path).json(&body).send()
    }

    pub fn delete(&self, path: &str) -> Reply {
        self.call("DELETE", path).send()
    }

    /// The owner decides `user`'s authorization of `plate` (`approve`, `deny` or `revoke`).
    pub fn decide(&self, plate: &str, user: &Session, action: &str) -> Reply {
        self.post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/{action}",
            user.user_id
        ))
    }

    /// Marks every message in the inbox read (a test's set-up leaves its own messages: a
    /// certification approved, a request received…).
    #[track_caller]
    pub fn read_all_messages(&self) {
        let inbox = self.messages();
        let ids: Vec<Value> = inbox["messages"]
            .as_array()
            .map(|m| m.iter().map(|m| m["id"].clone()).collect())
            .unwrap_or_default();
        let reply = self.post("/api/messages/read", serde_json::json!({ "ids": ids }));
        assert!(reply.status < 300, "mark read: {}", reply.body);
    }

    /// `GET /api/vehicles` parsed.
    pub fn vehicles(&self) -> Value {
        let reply = self.get("/api/vehicles");
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()
    }

    /// The state of `plate`'s card in my list, or `None` if there is no card.
    pub fn card_state(&self, plate: &str) -> Option<String> {
        self.vehicles()["vehicles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["plate"] == plate)
            .map(|v| v["state"].as_str().unwrap().to_owned())
    }

    /// My waiting dialog for `plate`, if any.
    pub fn notice(&self, plate: &str) -> Option<Value> {
        self.vehicles()["notices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["plate"] == plate)
            .cloned()
    }

    /// Adds `plate` (confirming a non-standard one) and returns the card's state.
    #[track_caller]
    pub fn add(&self, plate: &str) -> String {
        let reply = self.post(
            "/api/vehicles",
            serde_json::json!({ "plate": plate, "confirm_nonstandard": true }),
        );
        assert_eq!(reply.status, 201, "add {plate}: {}", reply.body);
        reply.json::<Value>()["state"].as_str().unwrap().to_owned()
    }

    /// Submits a certification of `plate` with one photo.
    #[track_caller]
    pub fn certify(&self, plate: &str) {
        let photo = self.upload_photo();
        let body = serde_json::json!({ "owner_name": "张三", "evidence": [photo] });
        let reply = self.post(&format!("/api/vehicles/{plate}/certification"), body);
        assert_eq!(reply.status, 202, "certify {plate}: {}", reply.body);
    }

    /// `GET /api/orders` parsed: the orders this user may see.
    #[track_caller]
    pub fn orders(&self) -> Value {
        let reply = self.get("/api/orders");
        assert_eq!(reply.status, 200, "orders: {}", reply.body);
        reply.json()
    }

    /// Order `id` as this user sees it in 停车/充电记录, if it is listed for them.
    #[track_caller]
    pub fn order(&self, id: &str) -> Option<Value> {
        self.orders()["orders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .cloned()
    }

    /// `GET /api/messages` parsed: the inbox.
    #[track_caller]
    pub fn messages(&self) -> Value {
        let reply = self.get("/api/messages");
        assert_eq!(reply.status, 200, "messages: {}", reply.body);
        reply.json()
    }

    /// Uploads a small JPEG and returns its id.
    pub fn upload_photo(&self) -> String {
        let reply = self
            .call("POST", "/api/uploads")
            .body("image/jpeg", tiny_jpeg())
            .send();
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json::<Value>()["id"].as_str().unwrap().to_owned()
    }
}

/// The pending review of `kind` (`certification` or `appeal`) of `plate` by `user`.
#[track_caller]
pub fn review_of(kind: &str, plate: &str, user: &Session) -> Value {
    let reply = operator().get(&format!("/api/ops/reviews?kind={kind}"));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let queue: Vec<Value> = reply.json();
    let times: Vec<&str> = queue
        .iter()
        .map(|r| r["submitted_at"].as_str().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {times:?}"
    );
    queue
        .into_iter()
        .find(|r| r["plate"] == plate && r["user_id"] == user.user_id.as_str())
        .unwrap_or_else(|| panic!("no {kind} review of {plate} by {}", user.user_id))
}

/// The operator approves `user`'s pending review of `kind` on `plate`.
#[track_caller]
pub fn approve(kind: &str, plate: &str, user: &Session) {
    let id = review_of(kind, plate, user)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = operator().post_empty(&format!("/api/ops/reviews/{id}/approve"));
    assert_eq!(reply.status, 204, "approve {id}: {}", reply.body);
}

/// The operator rejects `user`'s pending review of `kind` on `plate`, giving `reason`.
#[track_caller]
pub fn reject(kind: &str, plate: &str, user: &Session, reason: &str) {
    let id = review_of(kind, plate, user)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = operator().post(
        &format!("/api/ops/reviews/{id}/reject"),
        serde_json::json!({ "reason": reason }),
    );
    assert_eq!(reply.status, 204, "reject {id}: {}", reply.body);
}

/// A new user who owns a new plate (added, certified, approved by the operator).
pub fn owner_of_new_plate(api: &Api) -> (Session, String) {
    let owner = api.new_user();
    let plate = unique_plate();
    owner.add(&plate);
    owner.certify(&plate);
    approve("certification", &plate, &owner);
    (owner, plate)
}

impl Call<'_> {
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The CSRF guard header every mutation needs.
    pub fn csrf(self) -> Self {
        self.header("x-requested-with", "vehicles")
    }

    pub fn json(self, body: &Value) -> Self {
        self.body("application/json", serde_json::to_vec(body).unwrap())
    }

    pub fn body(mut self, content_type: &str, bytes: Vec<u8>) -> Self {
        self.body = Some((content_type.to_owned(), bytes));
        self
    }

    pub fn send(self) -> Reply {
        let (method, url) = (self.method, format!("{}{}", self.api.base, self.path));
        self.try_send()
            .unwrap_or_else(|e| panic!("{method} {url}: no answer: {e}"))
    }

    /// Like [`Call::send`], but a request that gets no answer (refused, reset, timed out) is an
    /// error rather than a panic: for load, where it is counted.
    pub fn try_send(self) -> Result<Reply, ureq::Error> {
        let url = format!("{}{}", self.api.base, self.path);
        let agent = &self.api.agent;
        let mut builder = ureq::http::Request::builder().method(self.method).uri(&url);
        for (k, v) in &self.headers {
            builder = builder.header(k, v);
        }
        let response = match self.body {
            Some((content_type, bytes)) => {
                let request = builder
                    .header("content-type", content_type)
                    .body(bytes)
                    .unwrap();
                agent.run(request)
            }
            None => agent.run(builder.body(()).unwrap()),
        };
        response.and_then(Reply::read)
    }
}

impl Reply {
    /// The answer, or an error when its body was cut off.
    fn read(mut response: ureq::http::Response<ureq::Body>) -> Result<Self, ureq::Error> {
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type").unwrap_or_default();
        let set_cookie = header("set-cookie");
        let retry_after = header("retry-after");
        let nosniff = header("x-content-type-options");
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (k.as_str().to_owned(), value)
            })
            .collect();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(16 << 20)
            .read_to_vec()?;
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Ok(Self {
            status,
            content_type,
            set_cookie,
            retry_after,
            nosniff,
            headers,
            body,
            len: bytes.len(),
        })
    }

    /// Every `Set-Cookie` of the answer, as `name=value` (attributes dropped).
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .map(|(_, v)| v.split(';').next().unwrap_or_default().to_owned())
            .collect()
    }

    /// The value of header `name` (lower case), if the answer has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as `T`; panics with the body when it is not.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not the expected JSON ({e}): {}", self.body))
    }

    /// The error code of a 4xx/5xx body.
    pub fn code(&self) -> String {
        let body: Value = self.json();
        body["code"].as_str().unwrap_or_default().to_owned()
    }

    /// Asserts the status and, for errors, that the body has a code and a Chinese message.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "body: {}", self.body);
        if status >= 400 {
            let body: Value = self.json();
            let message = body["message"].as_str().unwrap_or_default();
            assert!(
                !message.is_empty() && !message.is_ascii(),
                "Chinese message: {}",
                self.body
            );
        }
        self
    }

    /// Asserts 429 `rate_limited` with a `Retry-After` of 1 to `at_most` seconds; returns it.
    #[track_caller]
    pub fn expect_rate_limited(&self, at_most: u64) -> u64 {
        self.expect_error(429, "rate_limited");
        let header = self.retry_after.as_deref().expect("a 429 has Retry-After");
        let secs: u64 = header.parse().expect("Retry-After is whole seconds");
        assert!((1..=at_most).contains(&secs), "Retry-After: {secs}");
        secs
    }

    /// Asserts an error status with this code.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) {
        self.expect(status);
        assert_eq!(self.code(), code, "body: {}", self.body);
    }
}

fn counter() -> u64 {
    static NEXT: OnceLock<AtomicU64> = OnceLock::new();
    let start = || {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos() as u64;
        AtomicU64::new((std::process::id() as u64 * 7919 + nanos) % 50_000_000)
    };
    NEXT.get_or_init(start).fetch_add(1, Ordering::Relaxed)
}

/// A phone number no other test uses (17x, never seeded).
pub fn unique_phone() -> String {
    format!("17{:09}", counter() % 1_000_000_000)
}

/// An address no other test uses (in 100.64.0.0/10), for tries from "somewhere else".
pub fn unique_address() -> String {
    let n = counter();
    format!("100.{}.{}.{}", 64 + (n >> 16) % 64, (n >> 8) & 255, n & 255)
}

/// A standard ordinary plate no other test uses (粤 + letter + 5 digits).
pub fn unique_plate() -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXY";
    let n = counter();
    let letter = LETTERS[(n / 100_000) as usize % LETTERS.len()] as char;
    format!("粤{letter}{:05}", n % 100_000)
}

/// The smallest bytes that are a JPEG by their magic number.
pub fn tiny_jpeg() -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0,
    ];
    bytes.extend_from_slice(&[0u8; 32]);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}
