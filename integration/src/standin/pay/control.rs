//! The tests' side of WeChat Pay under `/__standin/pay/`: the pay sheet a browser page calls in
//! place of `WeixinJSBridge` (with its paySign checked), paying without a sheet (with a normal,
//! duplicated or lost notification), forged notifications, the user's 支付分停车 service,
//! failed deductions, and what happened to an order. Every answer allows any origin, since the
//! page calling the sheet is the worker's, on another origin.

use serde::Deserialize;
use serde_json::{json, Value};

use super::crypto::{pay_sign_message, verify};
use super::jsapi::{self, Unpayable};
use super::notify::{self, Forgery, Plan};
use super::parking::ServiceState;
use super::{fields, PayState};
use crate::standin::http::{Request, Response};

const SHEET_OK: &str = "get_brand_wcpay_request:ok";
const SHEET_FAIL: &str = "get_brand_wcpay_request:fail";

fn cors(mut answer: Response) -> Response {
    answer.headers.extend([
        ("Access-Control-Allow-Origin".to_owned(), "*".to_owned()),
        (
            "Access-Control-Allow-Methods".to_owned(),
            "GET, POST, OPTIONS".to_owned(),
        ),
        (
            "Access-Control-Allow-Headers".to_owned(),
            "content-type".to_owned(),
        ),
        ("Access-Control-Max-Age".to_owned(), "600".to_owned()),
    ]);
    answer
}

fn bad_request(why: &str) -> Response {
    Response::json(400, &json!({ "error": why })).refused(why)
}

fn parse<T: for<'de> Deserialize<'de>>(req: &Request) -> Result<T, Response> {
    serde_json::from_slice(&req.body).map_err(|e| bad_request(&format!("body: {e}")))
}

/// Answers `/__standin/pay/{rest}` (`pay` is `None` when pay is off: 404).
pub fn handle(rest: &str, req: &Request, pay: Option<&mut PayState>, now_ms: i64) -> Response {
    let Some(pay) = pay else {
        return Response::not_found();
    };
    super::settle_due(pay, now_ms);
    let answer = match (req.method.as_str(), rest) {
        ("OPTIONS", _) => Response::empty(204),
        ("POST", "sheet") => sheet(req, pay, now_ms),
        ("POST", "confirm") => confirm(req, pay, now_ms),
        ("POST", "forged") => forged(req, pay, now_ms),
        ("POST", "parking-service") => parking_service(req, pay, now_ms),
        ("POST", "fail-deduction") => fail_deduction(req, pay),
        ("GET", "orders") => {
            let query = req.query();
            let by_prepay = query.get("prepay_id").and_then(|id| {
                pay.orders
                    .values()
                    .find(|o| o.prepay_id == id)
                    .map(|o| o.out_trade_no.clone())
            });
            match (query.get("out_trade_no"), query.get("prepay_id")) {
                (Some(no), _) => order_view(pay, no),
                (None, Some(_)) => order_view(pay, by_prepay.as_deref().unwrap_or_default()),
                (None, None) => bad_request("out_trade_no=… or prepay_id=…"),
            }
        }
        ("GET", "deliveries") => match req.query().get("out_trade_no") {
            Some(no) => {
                let all: Vec<_> = pay
                    .deliveries
                    .iter()
                    .filter(|d| d.out_trade_no == no)
                    .collect();
                Response::json(200, &all)
            }
            None => bad_request("out_trade_no=…"),
        },
        _ => Response::not_found(),
    };
    cors(answer)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sheet {
    app_id: String,
    time_stamp: String,
    nonce_str: String,
    package: String,
    sign_type: String,
    pay_sign: String,
}

/// What `getBrandWCPayRequest` does: check the parameters and the paySign, then the user pays
/// and the notification goes out before the page hears `ok`.
fn sheet(req: &Request, pay: &mut PayState, now_ms: i64) -> Response {
    let fail = |why: String| Response::json(200, &json!({ "err_msg": SHEET_FAIL })).refused(why);
    let Ok(sheet) = serde_json::from_slice::<Sheet>(&req.body) else {
        return fail(
            "the sheet needs appId, timeStamp, nonceStr, package, signType, paySign".into(),
        );
    };
    if sheet.app_id != pay.app_id {
        return fail(format!("appId {} is not the 公众号's", sheet.app_id));
    }
    if sheet.sign_type != "RSA" {
        return fail(format!("signType {} is not RSA", sheet.sign_type));
    }
    let ten_digits =
        sheet.time_stamp.len() == 10 && sheet.time_stamp.bytes().all(|b| b.is_ascii_digit());
    if !ten_digits || sheet.nonce_str.is_empty() || sheet.nonce_str.len() > 32 {
        return fail("timeStamp is 10 digits (a string), nonceStr 1-32 characters".into());
    }
    let prepay_id = sheet.package.strip_prefix("prepay_id=").unwrap_or_default();
    let Some(out_trade_no) = pay
        .orders
        .values()
        .find(|o| !prepay_id.is_empty() && o.prepay_id == prepay_id)
        .map(|o| o.out_trade_no.clone())
    else {
        return fail(format!("package {} names no prepay_id", sheet.package));
    };
    let message = pay_sign_message(
        &sheet.app_id,
        &sheet.time_stamp,
        &sheet.nonce_str,
        &sheet.package,
    );
    if !verify(pay.merchant_key(), &message, &sheet.pay_sign) {
        return fail(format!(
            "paySign does not verify over {:?}",
            String::from_utf8_lossy(&message)
        ));
    }
    match jsapi::pay_order(pay, &out_trade_no, now_ms) {
        Ok(event) => {
            let plan = Plan {
                inline: true,
                ..Plan::BACKGROUND
            };
            notify::queue(pay, &event, now_ms, plan);
            Response::json(200, &json!({ "err_msg": SHEET_OK }))
        }
        Err(why) => fail(format!("{out_trade_no} cannot be paid: {why:?}")),
    }
}

#[derive(Debug, Deserialize)]
struct Confirm {
    out_trade_no: String,
    #[serde(default)]
    notify: Option<String>,
    /// Pays even a closed order: the payment that raced the merchant's close.
    #[serde(default)]
    late: bool,
}

/// The user pays without a sheet; the notification goes out once, twice (same id) or never.
fn confirm(req: &Request, pay: &mut PayState, now_ms: i64) -> Response {
    let confirm: Confirm = match parse(req) {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    let times = match confirm.notify.as_deref().unwrap_or("once") {
        "once" => 1,
        "twice" => 2,
        "none" => 0,
        _ => return bad_request("notify is once, twice or none"),
    };
    let event = match jsapi::pay_order_as(pay, &confirm.out_trade_no, now_ms, confirm.late) {
        Ok(event) => event,
        Err(Unpayable::Unknown) => {
            return Response::json(404, &json!({ "error": "no such order" }))
        }
        Err(why) => return Response::json(409, &json!({ "error": format!("{why:?}") })),
    };
    let mut answer = json!({
        "out_trade_no": confirm.out_trade_no,
        "trade_state": event.resource["trade_state"],
        "transaction_id": event.resource["transaction_id"],
    });
    if times > 0 {
        let plan = Plan {
            inline: true,
            report: true,
            times,
            forgery: None,
        };
        answer["notification_id"] = notify::queue(pay, &event, now_ms, plan).into();
    }
    Response::json(200, &answer)
}

#[derive(Debug, Deserialize)]
struct Forged {
    out_trade_no: String,
    kind: String,
}

/// One forged `TRANSACTION.SUCCESS` for an order, paid or not; the order does not change.
fn forged(req: &Request, pay: &mut PayState, now_ms: i64) -> Response {
    let forged: Forged = match parse(req) {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    let Some(forgery) = Forgery::parse(&forged.kind) else {
        return bad_request(
            "kind is bad_signature, wrong_serial, stale_timestamp or tampered_ciphertext",
        );
    };
    let fake_transaction = format!(
        "4200{}{}",
        &fields::compact(now_ms)[..8],
        pay.ids.digits(16)
    );
    let mchid = pay.config.mch_id.clone();
    let event = if let Some(order) = pay.orders.get(&forged.out_trade_no) {
        let mut as_paid = order.clone();
        as_paid.paid.get_or_insert(jsapi::Paid {
            transaction_id: fake_transaction,
            at_ms: now_ms,
        });
        as_paid.paid_event(&mchid)
    } else if let Some(deduction) = pay.parking.deductions.get(&forged.out_trade_no) {
        let mut as_paid = deduction.clone();
        if as_paid.transaction_id().is_none() {
            as_paid.outcome = Some(Some(fake_transaction));
        }
        notify::Event {
            event_type: "TRANSACTION.SUCCESS",
            summary: "支付成功",
            original_type: "transaction",
            out_trade_no: forged.out_trade_no.clone(),
            url: as_paid.notify_url.clone(),
            resource: as_paid.view(&mchid),
        }
    } else {
        return Response::json(404, &json!({ "error": "no such order" }));
    };
    let plan = Plan {
        inline: true,
        report: true,
        times: 1,
        forgery: Some(forgery),
    };
    notify::queue(pay, &event, now_ms, plan);
    Response::json(200, &json!({ "status": null }))
}

#[derive(Debug, Deserialize)]
struct ParkingService {
    openid: String,
    plate_number: String,
    plate_color: String,
    state: String,
}

fn parking_service(req: &Request, pay: &mut PayState, now_ms: i64) -> Response {
    let body: ParkingService = match parse(req) {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    let Some(state) = ServiceState::parse(&body.state) else {
        return bad_request("state is NORMAL, PAUSE or OUT_SERVICE");
    };
    if fields::plate_color(&body.plate_color).is_err()
        || body.openid.is_empty()
        || body.plate_number.is_empty()
    {
        return bad_request(
            "openid, plate_number and a plate_color of BLUE GREEN YELLOW BLACK WHITE LIMEGREEN",
        );
    }
    let plate = (body.plate_number, body.plate_color);
    pay.parking.set_service(&body.openid, plate, state, now_ms);
    Response::empty(204)
}

#[derive(Debug, Deserialize)]
struct FailDeduction {
    #[serde(default)]
    out_trade_no: Option<String>,
    #[serde(default)]
    plate_number: Option<String>,
}

fn fail_deduction(req: &Request, pay: &mut PayState) -> Response {
    let body: FailDeduction = match parse(req) {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    match body
        .out_trade_no
        .or(body.plate_number)
        .filter(|t| !t.is_empty())
    {
        Some(target) => {
            pay.parking.fail_next.push(target);
            Response::empty(204)
        }
        None => bad_request("out_trade_no or plate_number"),
    }
}

/// Where an order stands, its refunds and its deliveries.
fn order_view(pay: &PayState, out_trade_no: &str) -> Response {
    let (trade_state, transaction_id, total) = if let Some(order) = pay.orders.get(out_trade_no) {
        (
            order.trade_state().wire().0,
            order.transaction_id(),
            order.total,
        )
    } else if let Some(deduction) = pay.parking.deductions.get(out_trade_no) {
        (
            deduction.state_name(),
            deduction.transaction_id(),
            deduction.total,
        )
    } else {
        return Response::json(404, &json!({ "error": "no such order" }));
    };
    let mut refunds: Vec<_> = pay
        .refunds
        .values()
        .filter(|r| r.out_trade_no == out_trade_no)
        .collect();
    refunds.sort_by_key(|r| (r.created_ms, r.out_refund_no.clone()));
    let refunds: Vec<Value> = refunds
        .iter()
        .map(|r| json!({ "out_refund_no": r.out_refund_no, "refund": r.refund, "status": r.status() }))
        .collect();
    let deliveries: Vec<Value> = pay
        .deliveries
        .iter()
        .filter(|d| d.out_trade_no == out_trade_no)
        .map(|d| json!({ "id": d.id, "event_type": d.event_type, "status": d.status, "attempts": d.attempts, "forged": d.forged }))
        .collect();
    Response::json(
        200,
        &json!({
            "out_trade_no": out_trade_no, "trade_state": trade_state,
            "transaction_id": transaction_id, "total": total,
            "refunds": refunds, "deliveries": deliveries,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::super::crypto::{sign, test_keys};
    use super::super::fixture::*;
    use super::super::notify::Outgoing;
    use super::*;
    use crate::standin::fixture::{APP_ID, NOW_MS};
    use crate::standin::State;

    fn post(state: &mut State, path: &str, body: &Value) -> Response {
        let req =
            Request::new("POST", &format!("/__standin/pay/{path}")).with_body(body.to_string());
        crate::standin::handle(&req, state, NOW_MS)
    }

    fn sheet_for(prepay_id: &str) -> Value {
        let package = format!("prepay_id={prepay_id}");
        let message = pay_sign_message(
            APP_ID,
            "1750000000",
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            &package,
        );
        json!({
            "appId": APP_ID, "timeStamp": "1750000000", "nonceStr": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            "package": package, "signType": "RSA", "paySign": sign(&test_keys().merchant, &message),
        })
    }

    fn inline_notifications(state: &mut State) -> usize {
        pay(state)
            .outbox
            .iter()
            .filter(|o| matches!(o, Outgoing::Notify { inline: true, .. }))
            .count()
    }

    #[test]
    fn the_sheet_pays_only_with_a_pay_sign_of_the_merchant_key() {
        let mut state = state();
        let prepay_id = order(&mut state, "T20250615001", 500);
        let good = sheet_for(&prepay_id);
        let mut cases = Vec::new();
        for (field, value) in [
            ("paySign", json!(sign(&test_keys().platform, b"x\n"))),
            ("nonceStr", json!("another")),
            ("signType", json!("HMAC-SHA256")),
            ("appId", json!("wxother")),
            ("package", json!("prepay_id=wx0")),
            ("timeStamp", json!(1_750_000_000)),
        ] {
            let mut bad = good.clone();
            bad[field] = value;
            cases.push((field, bad));
        }
        for (field, bad) in cases {
            let answer = post(&mut state, "sheet", &bad);
            assert_eq!(answer.status, 200, "{field}");
            assert_eq!(
                answer.body_json(),
                json!({"err_msg": SHEET_FAIL}),
                "{field}"
            );
        }
        assert_eq!(
            pay(&mut state).orders["T20250615001"]
                .paid
                .as_ref()
                .map(|_| ()),
            None
        );
        let paid = post(&mut state, "sheet", &good);
        assert_eq!(paid.body_json(), json!({"err_msg": SHEET_OK}));
        assert_eq!(paid.header("Access-Control-Allow-Origin"), Some("*"));
        assert_eq!(inline_notifications(&mut state), 1);
        assert_eq!(
            post(&mut state, "sheet", &good).body_json(),
            json!({"err_msg": SHEET_FAIL})
        );
        let preflight = crate::standin::handle(
            &Request::new("OPTIONS", "/__standin/pay/sheet"),
            &mut state,
            NOW_MS,
        );
        assert_eq!(preflight.status, 204);
        assert_eq!(
            preflight.header("access-control-allow-headers"),
            Some("content-type")
        );
    }

    #[test]
    fn confirm_pays_and_notifies_as_asked_and_the_order_view_shows_it() {
        let mut state = state();
        for (no, notify, expected) in [
            ("T1000001", "once", 1),
            ("T1000002", "twice", 2),
            ("T1000003", "none", 0),
        ] {
            order(&mut state, no, 300);
            let answer = post(
                &mut state,
                "confirm",
                &json!({"out_trade_no": no, "notify": notify}),
            );
            assert_eq!(answer.status, 200);
            assert_eq!(answer.body_json()["trade_state"], "SUCCESS");
            assert_eq!(inline_notifications(&mut state), expected, "{notify}");
            pay(&mut state).outbox.clear();
        }
        let twice: Vec<_> = pay(&mut state)
            .deliveries
            .iter()
            .filter(|d| d.out_trade_no == "T1000002")
            .map(|d| d.id.clone())
            .collect();
        assert_eq!(twice.len(), 2);
        assert_eq!(twice[0], twice[1]);
        assert_eq!(
            post(&mut state, "confirm", &json!({"out_trade_no": "T1000001"})).status,
            409
        );
        assert_eq!(
            post(&mut state, "confirm", &json!({"out_trade_no": "T404"})).status,
            404
        );

        let view = |state: &mut State, no: &str| {
            let req = Request::new("GET", &format!("/__standin/pay/orders?out_trade_no={no}"));
            crate::standin::handle(&req, state, NOW_MS)
        };
        let seen = view(&mut state, "T1000002").body_json();
        let prepay_id = pay(&mut state).orders["T1000002"].prepay_id.clone();
        let req = Request::new(
            "GET",
            &format!("/__standin/pay/orders?prepay_id={prepay_id}"),
        );
        assert_eq!(
            crate::standin::handle(&req, &mut state, NOW_MS).body_json(),
            seen
        );
        assert_eq!(seen["trade_state"], "SUCCESS");
        assert_eq!(seen["total"], 300);
        assert_eq!(seen["deliveries"].as_array().map(Vec::len), Some(2));
        assert_eq!(view(&mut state, "T404").status, 404);
    }

    #[test]
    fn forged_notifications_leave_the_order_alone() {
        let mut state = state();
        order(&mut state, "T20250615001", 500);
        let answer = post(
            &mut state,
            "forged",
            &json!({"out_trade_no": "T20250615001", "kind": "stale_timestamp"}),
        );
        assert_eq!(answer.body_json(), json!({"status": null}));
        assert_eq!(
            pay(&mut state).orders["T20250615001"].trade_state(),
            jsapi::TradeState::NotPay
        );
        assert_eq!(
            pay(&mut state).deliveries[0].forged,
            Some("stale_timestamp")
        );
        assert_eq!(
            pay(&mut state).deliveries[0].resource["trade_state"],
            "SUCCESS"
        );
        assert_eq!(
            post(
                &mut state,
                "forged",
                &json!({"out_trade_no": "T20250615001", "kind": "x"})
            )
            .status,
            400
        );
    }

    #[test]
    fn services_and_failures_are_set_for_one_plate() {
        let mut state = state();
        let service = json!({"openid": "oD", "plate_number": "京A12345", "plate_color": "BLUE", "state": "NORMAL"});
        assert_eq!(post(&mut state, "parking-service", &service).status, 204);
        let mut bad = service.clone();
        bad["state"] = "OPEN".into();
        assert_eq!(post(&mut state, "parking-service", &bad).status, 400);
        assert_eq!(
            post(
                &mut state,
                "fail-deduction",
                &json!({"plate_number": "京A12345"})
            )
            .status,
            204
        );
        assert_eq!(post(&mut state, "fail-deduction", &json!({})).status, 400);
        assert_eq!(pay(&mut state).parking.fail_next, ["京A12345"]);
        let off = crate::standin::fixture::state();
        let mut off = off;
        assert_eq!(post(&mut off, "parking-service", &service).status, 404);
    }
}
