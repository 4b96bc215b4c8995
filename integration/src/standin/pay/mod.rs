//! WeChat Pay API v3 as a direct merchant (普通商户) meets it: JSAPI orders, query, close,
//! refunds and 支付分停车. Every request's signature is checked and every answer and
//! notification is signed and encrypted as WeChat Pay does, with keys made fresh each run, so
//! the worker's real verification code is what the tests exercise.
//!
//! Handlers are plain functions of the request, this state and the time; what must leave the
//! process (notifications, and wake-ups for deductions and refunds that settle later) is queued in
//! [`PayState::outbox`] for `send.rs` to carry out once the state's lock is released.

pub mod auth;
pub mod config;
pub mod control;
pub mod crypto;
pub mod fields;
pub mod jsapi;
pub mod notify;
pub mod parking;
pub mod refund;
pub mod send;

use std::collections::HashMap;

use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::http::{Request, Response};
use super::ids::Ids;
use super::{State, Stats};
use config::PayConfig;
use crypto::KeyPairs;

/// How long a parking deduction or a refund stays in progress before it settles.
pub const SETTLE_MS: i64 = 200;

/// The merchant's account at WeChat Pay, as the stand-in remembers it.
#[derive(Debug)]
pub struct PayState {
    /// The merchant.
    pub config: PayConfig,
    /// The 公众号 JSAPI payments are for (`STANDIN_WECHAT_APP_ID`).
    pub app_id: String,
    merchant_key: RsaPublicKey,
    platform_key: RsaPrivateKey,
    /// Nonces, ids and transaction numbers.
    pub ids: Ids,
    /// JSAPI orders by `out_trade_no`.
    pub orders: HashMap<String, jsapi::Order>,
    /// Refunds by `out_refund_no`.
    pub refunds: HashMap<String, refund::Refund>,
    /// 支付分停车: services, entries and deductions.
    pub parking: parking::ParkingState,
    /// Every notification sent or being sent, oldest first (index = `Delivery::seq`).
    pub deliveries: Vec<notify::DeliveryRecord>,
    /// What is to leave the process after the current request.
    pub outbox: Vec<notify::Outgoing>,
}

impl PayState {
    /// The account of `config`, verifying with the merchant half of `keys` and signing with
    /// WeChat Pay's half.
    pub fn new(config: PayConfig, app_id: &str, keys: &KeyPairs) -> Self {
        Self {
            config,
            app_id: app_id.to_owned(),
            merchant_key: RsaPublicKey::from(&keys.merchant),
            platform_key: keys.platform.clone(),
            ids: Ids::new(),
            orders: HashMap::new(),
            refunds: HashMap::new(),
            parking: parking::ParkingState::default(),
            deliveries: Vec::new(),
            outbox: Vec::new(),
        }
    }

    /// The merchant public key (requests and paySigns).
    pub fn merchant_key(&self) -> &RsaPublicKey {
        &self.merchant_key
    }

    /// Signature headers for `body` sent at `timestamp` (Unix seconds) by WeChat Pay.
    pub fn signature_headers(&mut self, timestamp: i64, body: &[u8]) -> Vec<(String, String)> {
        let platform = auth::Platform {
            key: &self.platform_key,
            public_key_id: &self.config.public_key_id,
        };
        auth::signature_headers(&platform, &mut self.ids, timestamp, body)
    }

    /// Whether `out_trade_no` is taken by any kind of order (one namespace per merchant).
    pub fn trade_no_taken(&self, out_trade_no: &str) -> bool {
        self.orders.contains_key(out_trade_no) || self.parking.deductions.contains_key(out_trade_no)
    }
}

/// Makes the run's keys, writes the merchant's private key and WeChat Pay's public key into
/// `STANDIN_KEYS_DIR` and turns pay on, when the configuration has a pay account.
///
/// # Errors
/// When a key cannot be made or written.
pub fn start(state: &mut State) -> Result<(), String> {
    let Some(config) = state.config.pay.clone() else {
        return Ok(());
    };
    let keys = KeyPairs::generate().map_err(|e| format!("RSA key generation: {e}"))?;
    keys.write_to(&config.keys_dir)?;
    state.pay = Some(PayState::new(config, &state.config.wechat_app_id, &keys));
    Ok(())
}

/// Everything queued to leave the process (nothing when pay is off).
pub fn take_outbox(state: &mut State) -> Vec<notify::Outgoing> {
    state
        .pay
        .as_mut()
        .map(|pay| std::mem::take(&mut pay.outbox))
        .unwrap_or_default()
}

/// Settles the deductions and refunds due by `now_ms` (called before every request and by the
/// wake-ups, so a query after the delay sees the outcome even if a wake-up runs late).
pub fn settle_due(pay: &mut PayState, now_ms: i64) {
    parking::settle_due(pay, now_ms);
    refund::settle_due(pay, now_ms);
}

/// An API v3 error: HTTP status plus `{"code","message"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayError {
    /// The HTTP status.
    pub status: u16,
    /// `PARAM_ERROR`, `SIGN_ERROR`, `ORDER_NOT_EXIST`…
    pub code: &'static str,
    /// The Chinese message WeChat Pay sends.
    pub message: String,
    why: Option<String>,
}

impl PayError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            why: None,
        }
    }

    /// 400 `PARAM_ERROR`.
    pub fn param(message: impl Into<String>) -> Self {
        Self::new(400, "PARAM_ERROR", message)
    }

    /// 400 `INVALID_REQUEST`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(400, "INVALID_REQUEST", message)
    }

    /// 404 `ORDER_NOT_EXIST`.
    pub fn order_not_exist() -> Self {
        Self::new(404, "ORDER_NOT_EXIST", "订单不存在")
    }

    /// 400 `ORDERPAID`.
    pub fn order_paid() -> Self {
        Self::new(400, "ORDERPAID", "该订单已支付")
    }

    /// This error, with a note for the stand-in's log that is not sent.
    #[must_use]
    pub fn because(mut self, why: &str) -> Self {
        self.why = Some(why.to_owned());
        self
    }

    /// The answer.
    pub fn into_response(self) -> Response {
        let why = self.why.unwrap_or_else(|| self.message.clone());
        json_answer(
            self.status,
            &json!({ "code": self.code, "message": self.message }),
        )
        .refused(format!("{} {}", self.code, why))
    }
}

/// A handler's outcome: a JSON body (200), no body (204), or an error.
pub type Answer = Result<Option<Value>, PayError>;

fn json_answer(status: u16, value: &Value) -> Response {
    Response::with(
        status,
        "application/json",
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

/// The request body as `T`.
///
/// # Errors
/// `PARAM_ERROR` naming what serde could not read.
pub fn body<T: DeserializeOwned>(req: &Request) -> Result<T, PayError> {
    serde_json::from_slice(&req.body).map_err(|e| PayError::param(format!("请求体格式错误：{e}")))
}

/// A percent-decoded path segment.
fn segment(raw: &str) -> String {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}

/// Answers one `/v3/…` request: settle what is due, check the signature, route, sign the answer.
pub fn handle_v3(req: &Request, pay: &mut PayState, stats: &mut Stats, now_ms: i64) -> Response {
    settle_due(pay, now_ms);
    let merchant = auth::Merchant {
        mch_id: &pay.config.mch_id,
        serial: &pay.config.merchant_serial,
        key: &pay.merchant_key,
    };
    let answer = auth::check(req, &merchant, now_ms).and_then(|()| route(req, pay, stats, now_ms));
    let response = match answer {
        Ok(Some(value)) => json_answer(200, &value),
        Ok(None) => Response::empty(204),
        Err(error) => error.into_response(),
    };
    let headers = pay.signature_headers(now_ms.div_euclid(1000), &response.body);
    Response {
        headers: [response.headers, headers].concat(),
        ..response
    }
}

fn route(req: &Request, pay: &mut PayState, stats: &mut Stats, now_ms: i64) -> Answer {
    let path = req.path();
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (req.method.as_str(), parts.as_slice()) {
        ("POST", ["v3", "pay", "transactions", "jsapi"]) => jsapi::create(req, pay, stats, now_ms),
        ("GET", ["v3", "pay", "transactions", "out-trade-no", no]) => {
            jsapi::query(req, pay, |o| o.out_trade_no == segment(no))
        }
        ("GET", ["v3", "pay", "transactions", "id", id]) => jsapi::query(req, pay, |o| {
            o.transaction_id() == Some(segment(id).as_str())
        }),
        ("POST", ["v3", "pay", "transactions", "out-trade-no", no, "close"]) => {
            jsapi::close(req, pay, &segment(no))
        }
        ("POST", ["v3", "refund", "domestic", "refunds"]) => {
            refund::create(req, pay, stats, now_ms)
        }
        ("GET", ["v3", "refund", "domestic", "refunds", no]) => refund::query(pay, &segment(no)),
        ("GET", ["v3", "vehicle", "parking", "services", "find"]) => parking::find(req, pay),
        ("POST", ["v3", "vehicle", "parking", "parkings"]) => parking::enter(req, pay, now_ms),
        ("POST", ["v3", "vehicle", "transactions", "parking"]) => parking::deduct(req, pay, now_ms),
        ("GET", ["v3", "vehicle", "transactions", "out-trade-no", no]) => {
            parking::query(pay, &segment(no))
        }
        _ => Err(PayError::new(404, "NOT_FOUND", "请求的资源不存在")
            .because(&format!("no API {} {path}", req.method))),
    }
}

/// Shared by the pay tests: a configured account with the test binary's keys, and requests
/// signed as the worker signs them.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;
    use crate::standin::fixture::{config, APP_ID, NOW_MS};

    pub const MCH_ID: &str = "1900009999";
    pub const SERIAL: &str = "3775B6A45ACD588826D15E583A95F5DD2C9A8C0E";
    pub const APIV3_KEY: &str = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
    pub const PUBLIC_KEY_ID: &str = "PUB_KEY_ID_0000000000000024101100397200000006";
    pub const NOTIFY_URL: &str = "http://127.0.0.1:8787/api/pay/notify";

    pub fn pay_config() -> PayConfig {
        PayConfig {
            mch_id: MCH_ID.to_owned(),
            merchant_serial: SERIAL.to_owned(),
            apiv3_key: APIV3_KEY.to_owned(),
            public_key_id: PUBLIC_KEY_ID.to_owned(),
            keys_dir: std::env::temp_dir().join("standin-pay-unused"),
        }
    }

    /// A stand-in with pay on.
    pub fn state() -> State {
        let mut state = State::new(crate::standin::Config {
            pay: Some(pay_config()),
            ..config()
        });
        state.pay = Some(PayState::new(pay_config(), APP_ID, crypto::test_keys()));
        state
    }

    /// `method url` with `body`, signed at `timestamp_s` as the worker signs.
    pub fn signed_at(method: &str, url: &str, body: &str, timestamp_s: i64) -> Request {
        let auth = auth::authorize(
            &crypto::test_keys().merchant,
            MCH_ID,
            SERIAL,
            (method, url, body.as_bytes()),
            timestamp_s,
            "593BEC0C930BF1AFEB40B4A08C8FB242",
        );
        Request::new(method, url)
            .with_header("Authorization", &auth)
            .with_header("User-Agent", "edge/0.1")
            .with_header("Accept", "application/json")
            .with_header("Content-Type", "application/json")
            .with_body(body)
    }

    /// Signed now.
    pub fn signed(method: &str, url: &str, body: &str) -> Request {
        signed_at(method, url, body, NOW_MS / 1000)
    }

    /// Sends `req` through the stand-in's router at `now_ms`.
    pub fn call_at(state: &mut State, req: &Request, now_ms: i64) -> Response {
        crate::standin::handle(req, state, now_ms)
    }

    /// Signs and sends.
    pub fn call(state: &mut State, method: &str, url: &str, body: &Value) -> Response {
        let body = if method == "GET" {
            String::new()
        } else {
            body.to_string()
        };
        call_at(state, &signed(method, url, &body), NOW_MS)
    }

    /// The body of a JSAPI order.
    pub fn jsapi_body(out_trade_no: &str, total: i64) -> Value {
        json!({
            "appid": APP_ID, "mchid": MCH_ID, "description": "停车费-星河湾停车场",
            "out_trade_no": out_trade_no, "notify_url": NOTIFY_URL,
            "amount": {"total": total, "currency": "CNY"}, "payer": {"openid": "oUser1"},
        })
    }

    /// Places a JSAPI order; its prepay_id.
    pub fn order(state: &mut State, out_trade_no: &str, total: i64) -> String {
        let answer = call(
            state,
            "POST",
            "/v3/pay/transactions/jsapi",
            &jsapi_body(out_trade_no, total),
        );
        assert_eq!(answer.status, 200, "{}", answer.body_json());
        answer.body_json()["prepay_id"].as_str().unwrap().to_owned()
    }

    /// The pay part of `state`.
    pub fn pay(state: &mut State) -> &mut PayState {
        state.pay.as_mut().unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::*;
    use super::*;
    use crate::standin::fixture::NOW_MS;

    fn query_url() -> &'static str {
        "/v3/pay/transactions/out-trade-no/T20250615001?mchid=1900009999"
    }

    #[test]
    fn a_request_signed_with_the_merchant_key_is_accepted_and_any_change_is_refused() {
        let mut state = state();
        let body = jsapi_body("T20250615001", 500).to_string();
        let good = signed("POST", "/v3/pay/transactions/jsapi", &body);
        assert_eq!(fixture::call_at(&mut state, &good, NOW_MS).status, 200);

        let mut one_byte = good.clone();
        let at = one_byte.body.iter().position(|&b| b == b'5').unwrap();
        one_byte.body[at] = b'6';
        let wrong_serial = Request {
            headers: good
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.replace(SERIAL, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"),
                    )
                })
                .collect(),
            ..good.clone()
        };
        let stale = signed_at(
            "POST",
            "/v3/pay/transactions/jsapi",
            &body,
            NOW_MS / 1000 - 600,
        );
        let other_query = Request {
            url: query_url().replace("9999", "9998"),
            ..signed("GET", query_url(), "")
        };
        for (case, req) in [
            ("one body byte", one_byte),
            ("wrong serial", wrong_serial),
            ("10 minutes old", stale),
            ("another query", other_query),
            (
                "no header",
                Request::new("GET", query_url()).with_header("User-Agent", "x"),
            ),
        ] {
            let answer = fixture::call_at(&mut state, &req, NOW_MS);
            assert_eq!(answer.status, 401, "{case}");
            assert_eq!(
                answer.body_json(),
                json!({"code": "SIGN_ERROR", "message": "签名错误"}),
                "{case}"
            );
        }
        let mut no_agent = signed("GET", query_url(), "");
        no_agent.headers.retain(|(k, _)| k != "User-Agent");
        let answer = fixture::call_at(&mut state, &no_agent, NOW_MS);
        assert_eq!(answer.status, 400);
        assert_eq!(answer.body_json()["message"], "缺少User-Agent");
    }

    #[test]
    fn every_answer_is_signed_with_the_platform_key() {
        let mut state = state();
        let public = RsaPublicKey::from(&crypto::test_keys().platform);
        order(&mut state, "T20250615001", 500);
        let close = "/v3/pay/transactions/out-trade-no/T20250615001/close";
        let answers = [
            call(&mut state, "GET", query_url(), &Value::Null),
            call(&mut state, "POST", close, &json!({"mchid": MCH_ID})),
            call(
                &mut state,
                "GET",
                "/v3/pay/transactions/out-trade-no/nope1234?mchid=1900009999",
                &Value::Null,
            ),
            fixture::call_at(&mut state, &Request::new("GET", query_url()), NOW_MS),
        ];
        let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
        assert_eq!(statuses, [200, 204, 404, 401]);
        for answer in &answers {
            assert!(
                auth::verify_signed(
                    &answer.headers,
                    &answer.body,
                    &public,
                    PUBLIC_KEY_ID,
                    NOW_MS
                ),
                "{} {:?}",
                answer.status,
                answer.headers
            );
            assert_eq!(answer.header("Wechatpay-Nonce").map(str::len), Some(32));
            assert_eq!(
                answer.header("Wechatpay-Signature-Type"),
                Some(auth::SCHEME)
            );
            assert!(answer.header("Request-ID").is_some());
            let other = RsaPublicKey::from(&crypto::test_keys().merchant);
            assert!(!auth::verify_signed(
                &answer.headers,
                &answer.body,
                &other,
                PUBLIC_KEY_ID,
                NOW_MS
            ));
        }
        assert!(answers[1].body.is_empty());
    }

    #[test]
    fn pay_is_off_without_an_account() {
        let mut state = crate::standin::fixture::state();
        let answer = crate::standin::handle(&signed("GET", query_url(), ""), &mut state, NOW_MS);
        assert_eq!(answer.status, 404);
        assert!(answer.header("Wechatpay-Signature").is_none());
    }
}
