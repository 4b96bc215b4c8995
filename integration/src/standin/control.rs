//! The tests' side door under `/__standin/`: read what the providers accepted (the code a driver
//! would read on their phone, the notices in their WeChat), arm failures for one target, and
//! invalidate tokens. No real provider has these; the worker never calls them.

use serde::Deserialize;
use serde_json::{json, Value};

use super::armed::{Armed, Code, Service};
use super::http::{Request, Response};
use super::wechat::identity;
use super::State;

/// `POST /__standin/fail`'s body.
#[derive(Debug, Deserialize)]
struct FailRequest {
    service: String,
    code: Value,
    #[serde(default)]
    target: Option<String>,
    #[serde(default = "one")]
    times: u32,
}

fn one() -> u32 {
    1
}

fn bad_request(why: &str) -> Response {
    Response::json(400, &json!({ "error": why }))
}

/// Answers `/__standin/{rest}`.
pub fn handle(rest: &str, req: &Request, state: &mut State, now_ms: i64) -> Response {
    let query = req.query();
    match (req.method.as_str(), rest) {
        ("GET", "health") => Response::with(200, "text/plain; charset=utf-8", "ok"),
        ("POST", "fail") => fail(req, state),
        ("POST", "expire-tokens") => {
            state.wechat.revoke_tokens();
            Response::empty(204)
        }
        ("GET", "sms") => match query.get("phone").and_then(e164) {
            Some(phone) => Response::json(200, &state.sms.sent_to(&phone)),
            None => bad_request("phone=+86… or an 11-digit mainland number"),
        },
        ("GET", "templates") => match query.get("touser") {
            Some(openid) => Response::json(200, &state.wechat.delivered_to(openid)),
            None => bad_request("touser=OPENID"),
        },
        ("GET", "openid") => match query.get("user").filter(|u| !u.is_empty()) {
            Some(user) => {
                let (openid, unionid) = identity(&state.config.wechat_app_id, user);
                Response::json(200, &json!({ "openid": openid, "unionid": unionid }))
            }
            None => bad_request("user=NAME"),
        },
        ("GET", "stats") => Response::json(200, &state.stats),
        (_, rest) if rest.starts_with("pay/") => {
            super::pay::control::handle(&rest[4..], req, state.pay.as_mut(), now_ms)
        }
        _ => Response::not_found(),
    }
}

/// Arms `times` failures of one service for one target.
fn fail(req: &Request, state: &mut State) -> Response {
    let body: FailRequest = match serde_json::from_slice(&req.body) {
        Ok(body) => body,
        Err(e) => return bad_request(&format!("body: {e}")),
    };
    let Some(service) = Service::parse(&body.service) else {
        return bad_request("service is sms, oauth, token or template");
    };
    let code = match Code::parse(service, &body.code) {
        Ok(code) => code,
        Err(why) => return bad_request(&why),
    };
    if body.times == 0 {
        return bad_request("times is at least 1");
    }
    let target = match (service, body.target) {
        (Service::Sms, Some(phone)) => match e164(&phone) {
            Some(phone) => Some(phone),
            None => return bad_request("target is a phone: +86… or 11 digits"),
        },
        (_, target) => target.filter(|t| !t.is_empty()),
    };
    state.armed.arm(Armed {
        service,
        code,
        target,
        times: body.times,
    });
    Response::empty(204)
}

/// A mainland number as Tencent records it: `+86` and 11 digits, from that form, `86…`, `0086…`
/// or the bare 11 digits (a `+` left unescaped in a query arrives as a space).
pub fn e164(phone: &str) -> Option<String> {
    let digits = phone.trim().trim_start_matches('+');
    let national = digits
        .strip_prefix("0086")
        .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(digits);
    (national.len() == 11 && national.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("+86{national}"))
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::super::handle as route;
    use super::*;

    fn call(state: &mut State, method: &str, url: &str, body: &str) -> Response {
        route(&Request::new(method, url).with_body(body), state, NOW_MS)
    }

    #[test]
    fn phones_are_read_in_every_usual_form() {
        for given in [
            "+8613800000000",
            " 8613800000000",
            "13800000000",
            "008613800000000",
        ] {
            assert_eq!(e164(given).as_deref(), Some("+8613800000000"), "{given}");
        }
        assert_eq!(e164("1380000000"), None);
        assert_eq!(e164("+1 555"), None);
    }

    #[test]
    fn failures_are_armed_with_the_right_kind_of_code() {
        let mut state = state();
        let ok = r#"{"service":"template","code":43004,"target":"oX","times":2}"#;
        assert_eq!(call(&mut state, "POST", "/__standin/fail", ok).status, 204);
        let sms = r#"{"service":"sms","code":"LimitExceeded.PhoneNumberDailyLimit","target":"13800000000"}"#;
        assert_eq!(call(&mut state, "POST", "/__standin/fail", sms).status, 204);
        assert_eq!(
            state
                .armed
                .take(Service::Sms, &["+8613800000000"], |_| true),
            Some(Code::Tencent("LimitExceeded.PhoneNumberDailyLimit".into()))
        );
        for bad in [
            r#"{"service":"sms","code":1}"#,
            r#"{"service":"token","code":"x"}"#,
            r#"{"service":"mail","code":1}"#,
            r#"{"service":"token","code":-1,"times":0}"#,
            "nope",
        ] {
            assert_eq!(
                call(&mut state, "POST", "/__standin/fail", bad).status,
                400,
                "{bad}"
            );
        }
    }

    #[test]
    fn the_read_endpoints_answer_json() {
        let mut state = state();
        let who = call(&mut state, "GET", "/__standin/openid?user=alice", "").body_json();
        let (openid, unionid) = identity(APP_ID, "alice");
        assert_eq!(who, json!({ "openid": openid, "unionid": unionid }));
        let sms = call(
            &mut state,
            "GET",
            "/__standin/sms?phone=%2B8613800000000",
            "",
        );
        assert_eq!(sms.body_json(), json!([]));
        let templates = call(
            &mut state,
            "GET",
            &format!("/__standin/templates?touser={openid}"),
            "",
        );
        assert_eq!(templates.body_json(), json!([]));
        let stats = call(&mut state, "GET", "/__standin/stats", "").body_json();
        assert_eq!(stats["server_tokens_issued"], 0);
        assert_eq!(stats.as_object().map(|o| o.len()), Some(10));
        assert_eq!(call(&mut state, "GET", "/__standin/health", "").status, 200);
        assert_eq!(
            call(&mut state, "POST", "/__standin/expire-tokens", "").status,
            204
        );
        assert_eq!(call(&mut state, "GET", "/__standin/sms", "").status, 400);
    }
}
