//! A local stand-in for the outside providers the worker calls: WeChat 公众号 网页授权 and
//! server API (`wechat.rs`), Tencent Cloud SMS `SendSms` (`sms.rs`) and WeChat Pay API v3
//! (`pay/`, on when `STANDIN_KEYS_DIR` is set). It speaks their published protocols and refuses
//! what they would refuse (bad signatures, wrong accounts, used codes, stale tokens, over-long
//! template values), so the HTTP tests exercise the worker's real client code; what it accepted
//! is kept for tests to read through `/__standin/` (`control.rs`).
//!
//! Every handler is a plain function of the request, the state and the time; `server.rs` and
//! `pay/send.rs` (which posts WeChat Pay's notifications) are the only parts that touch sockets
//! or the clock.

#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod armed;
pub mod config;
pub mod control;
pub mod http;
pub mod ids;
pub mod pay;
pub mod server;
pub mod sms;
pub mod wechat;

use serde::Serialize;
use shared::providers::wechat::{
    AUTHORIZE_PATH, OAUTH_TOKEN_PATH, SERVER_TOKEN_PATH, TEMPLATE_SEND_PATH,
};

pub use config::Config;
pub use http::{Request, Response};
pub use server::serve;

/// Where the control endpoints live.
pub const CONTROL_PREFIX: &str = "/__standin/";

/// Everything the stand-in remembers.
#[derive(Debug)]
pub struct State {
    /// The accounts it knows.
    pub config: Config,
    /// Where codes, tokens and serial numbers come from.
    pub ids: ids::Ids,
    /// Codes, tokens and delivered template messages.
    pub wechat: wechat::WechatState,
    /// Accepted text messages.
    pub sms: sms::SmsState,
    /// Failures tests armed.
    pub armed: armed::ArmedFailures,
    /// Counts for `/__standin/stats`.
    pub stats: Stats,
    /// The WeChat Pay merchant account, once [`pay::start`] made its keys (`None`: pay is off).
    pub pay: Option<pay::PayState>,
}

impl State {
    /// A fresh stand-in for `config`.
    pub fn new(config: Config) -> Self {
        Self {
            config,
            ids: ids::Ids::new(),
            wechat: wechat::WechatState::default(),
            sms: sms::SmsState::default(),
            armed: armed::ArmedFailures::default(),
            stats: Stats::default(),
            pay: None,
        }
    }
}

/// What happened so far, for tests that check how often the worker called.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Server access tokens handed out by `/cgi-bin/token`.
    pub server_tokens_issued: u64,
    /// Template messages delivered.
    pub template_sends: u64,
    /// Sends with a `client_msg_id` already delivered (answered, not delivered again).
    pub template_duplicates: u64,
    /// Template sends answered with a non-zero errcode (armed failures included).
    pub template_refusals: u64,
    /// Text messages accepted (one per number).
    pub sms_sends: u64,
    /// `SendSms` requests refused as a whole, plus numbers refused within a request.
    pub sms_refusals: u64,
    /// OAuth codes exchanged for an openid.
    pub oauth_exchanges: u64,
    /// WeChat Pay JSAPI orders placed (repeats of an `out_trade_no` not counted).
    pub jsapi_orders: u64,
    /// WeChat Pay notifications posted to the worker (each delivery once, however many tries;
    /// forgeries not counted).
    pub notifications_sent: u64,
    /// WeChat Pay refunds accepted.
    pub refunds: u64,
}

/// Answers one request at `now_ms` (Unix milliseconds).
pub fn handle(req: &Request, state: &mut State, now_ms: i64) -> Response {
    let path = req.path();
    if let Some(rest) = path.strip_prefix(CONTROL_PREFIX) {
        return control::handle(rest, req, state, now_ms);
    }
    if path.starts_with("/v3/") {
        return match state.pay.as_mut() {
            Some(pay) => pay::handle_v3(req, pay, &mut state.stats, now_ms),
            None => Response::not_found(),
        };
    }
    match (req.method.as_str(), path) {
        ("GET", AUTHORIZE_PATH) => wechat::authorize(req, state, now_ms),
        ("GET", OAUTH_TOKEN_PATH) => wechat::exchange_code(req, state, now_ms),
        ("GET", SERVER_TOKEN_PATH) => wechat::server_token(req, state, now_ms),
        (_, TEMPLATE_SEND_PATH) => wechat::send_template(req, state, now_ms),
        ("POST", "/") => sms::send_sms(req, state, now_ms),
        _ => Response::not_found(),
    }
}

/// Shared by the handler tests: one configured stand-in and a fixed time.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;

    /// 2025-06-15 15:06:40 UTC.
    pub const NOW_MS: i64 = 1_750_000_000_000;
    pub const APP_ID: &str = "wx0123456789abcdef";
    pub const APP_SECRET: &str = "secret0123456789";
    pub const TEMPLATE_ID: &str = "tpl-parking";
    pub const SECRET_ID: &str = "AKIDstandin0000000000000000000000";
    pub const SECRET_KEY: &str = "standinkey000000000000000000000";
    pub const SDK_APP_ID: &str = "1400000000";
    pub const SIGN_NAME: &str = "我的车辆";
    pub const SMS_TEMPLATE_ID: &str = "100000";

    pub fn config() -> Config {
        Config {
            wechat_app_id: APP_ID.to_owned(),
            wechat_app_secret: APP_SECRET.to_owned(),
            wechat_domain: "127.0.0.1".to_owned(),
            wechat_template_ids: vec![TEMPLATE_ID.to_owned(), "tpl-charging".to_owned()],
            sms_secret_id: SECRET_ID.to_owned(),
            sms_secret_key: SECRET_KEY.to_owned(),
            sms_sdk_app_id: SDK_APP_ID.to_owned(),
            sms_sign_name: SIGN_NAME.to_owned(),
            sms_template_id: SMS_TEMPLATE_ID.to_owned(),
            pay: None,
        }
    }

    pub fn state() -> State {
        State::new(config())
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::*;
    use super::*;

    #[test]
    fn unknown_paths_are_404() {
        let mut state = state();
        for (method, url) in [("GET", "/nope"), ("GET", "/"), ("GET", "/__standin/nope")] {
            let answer = handle(&Request::new(method, url), &mut state, NOW_MS);
            assert_eq!(answer.status, 404, "{method} {url}");
        }
    }
}
