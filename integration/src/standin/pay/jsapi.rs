//! JSAPI payment (公众号支付): placing an order (idempotent per `out_trade_no` as WeChat Pay is,
//! refused once paid or with other terms), querying it, closing it, and the moment the user pays
//! in the pay sheet, which makes the transaction and queues the `TRANSACTION.SUCCESS`
//! notification.

use serde::Deserialize;
use serde_json::{json, Value};

use super::notify::Event;
use super::{body, fields, Answer, PayError, PayState};
use crate::standin::http::Request;
use crate::standin::Stats;

/// "预支付交易会话标识…有效期为2小时".
pub const PREPAY_LIFETIME_MS: i64 = 2 * 60 * 60 * 1000;

/// One JSAPI order.
#[derive(Debug, Clone)]
pub struct Order {
    /// The 公众号.
    pub appid: String,
    /// What the user sees in the pay sheet.
    pub description: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// Where the payment notification goes.
    pub notify_url: String,
    /// In 分.
    pub total: i64,
    /// Who pays.
    pub openid: String,
    /// Echoed back in query and notification.
    pub attach: Option<String>,
    /// The pay sheet's key.
    pub prepay_id: String,
    /// When it was placed (Unix ms).
    pub created_ms: i64,
    /// Set when the user paid.
    pub paid: Option<Paid>,
    /// Closed by the merchant before payment.
    pub closed: bool,
    /// 分 refunded or being refunded.
    pub refunded: i64,
}

/// A payment made.
#[derive(Debug, Clone)]
pub struct Paid {
    /// WeChat Pay's 28-digit transaction number.
    pub transaction_id: String,
    /// When (Unix ms).
    pub at_ms: i64,
}

/// `trade_state` of a JSAPI order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TradeState {
    /// Waiting for the user.
    NotPay,
    /// Paid.
    Success,
    /// Paid and refunded in full (the stand-in keeps `SUCCESS` while part is left).
    Refund,
    /// Closed unpaid.
    Closed,
}

impl TradeState {
    /// The wire value and its `trade_state_desc`.
    pub fn wire(self) -> (&'static str, &'static str) {
        match self {
            Self::NotPay => ("NOTPAY", "订单未支付"),
            Self::Success => ("SUCCESS", "支付成功"),
            Self::Refund => ("REFUND", "转入退款"),
            Self::Closed => ("CLOSED", "订单已关闭"),
        }
    }
}

impl Order {
    /// Where the order stands.
    pub fn trade_state(&self) -> TradeState {
        match (&self.paid, self.closed) {
            (Some(_), _) if self.refunded >= self.total => TradeState::Refund,
            (Some(_), _) => TradeState::Success,
            (None, true) => TradeState::Closed,
            (None, false) => TradeState::NotPay,
        }
    }

    /// The transaction number, once paid.
    pub fn transaction_id(&self) -> Option<&str> {
        self.paid.as_ref().map(|p| p.transaction_id.as_str())
    }

    /// The `Transaction` of query answers and payment notifications.
    pub fn transaction(&self, mchid: &str) -> Value {
        let (trade_state, desc) = self.trade_state().wire();
        let mut value = json!({
            "appid": self.appid, "mchid": mchid, "out_trade_no": self.out_trade_no,
            "trade_type": "JSAPI", "trade_state": trade_state, "trade_state_desc": desc,
            "payer": {"openid": self.openid},
            "amount": {"total": self.total, "currency": "CNY"},
        });
        if let Some(attach) = &self.attach {
            value["attach"] = attach.as_str().into();
        }
        if let Some(paid) = &self.paid {
            value["transaction_id"] = paid.transaction_id.as_str().into();
            value["bank_type"] = "OTHERS".into();
            value["success_time"] = fields::time(paid.at_ms).into();
            value["amount"]["payer_total"] = self.total.into();
            value["amount"]["payer_currency"] = "CNY".into();
        }
        value
    }

    /// The payment notification for this order (paid or, for a forgery, as if paid).
    pub fn paid_event(&self, mchid: &str) -> Event {
        Event {
            event_type: "TRANSACTION.SUCCESS",
            summary: "支付成功",
            original_type: "transaction",
            out_trade_no: self.out_trade_no.clone(),
            url: self.notify_url.clone(),
            resource: self.transaction(mchid),
        }
    }
}

#[derive(Debug, Deserialize)]
struct JsapiRequest {
    appid: String,
    mchid: String,
    description: String,
    out_trade_no: String,
    notify_url: String,
    amount: Amount,
    payer: Payer,
    #[serde(default)]
    attach: Option<String>,
    #[serde(default)]
    time_expire: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Amount {
    total: i64,
    #[serde(default)]
    currency: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Payer {
    openid: String,
}

/// `POST /v3/pay/transactions/jsapi`.
pub fn create(req: &Request, pay: &mut PayState, stats: &mut Stats, now_ms: i64) -> Answer {
    let order: JsapiRequest = body(req)?;
    if order.appid != pay.app_id || order.mchid != pay.config.mch_id {
        return Err(
            PayError::param("appid 和 mchid 不匹配或不是本商户").because(&format!(
                "appid {} mchid {} is not {} {}",
                order.appid, order.mchid, pay.app_id, pay.config.mch_id
            )),
        );
    }
    fields::text("description", &order.description, 127)?;
    fields::out_trade_no(&order.out_trade_no, "_-|*")?;
    fields::notify_url(&order.notify_url)?;
    fields::total("amount.total", order.amount.total)?;
    fields::currency(order.amount.currency.as_deref())?;
    fields::text("payer.openid", &order.payer.openid, 128)?;
    if let Some(attach) = &order.attach {
        if attach.len() > 128 {
            return Err(PayError::param("attach 不超过 128 字节"));
        }
    }
    if let Some(expire) = &order.time_expire {
        fields::rfc3339("time_expire", expire)?;
    }
    if let Some(known) = pay.orders.get(&order.out_trade_no) {
        return match known.trade_state() {
            TradeState::Success | TradeState::Refund => Err(PayError::order_paid()),
            TradeState::Closed => Err(PayError::new(400, "ORDER_CLOSED", "订单已关闭")),
            TradeState::NotPay
                if known.total == order.amount.total && known.openid == order.payer.openid =>
            {
                Ok(Some(json!({ "prepay_id": known.prepay_id })))
            }
            TradeState::NotPay => Err(PayError::invalid("商户订单号重复，且与原订单参数不一致")),
        };
    }
    if pay.trade_no_taken(&order.out_trade_no) {
        return Err(PayError::invalid("商户订单号重复"));
    }
    let prepay_id = format!("wx{}{}", fields::compact(now_ms), pay.ids.hex(20));
    stats.jsapi_orders += 1;
    pay.orders.insert(
        order.out_trade_no.clone(),
        Order {
            appid: order.appid,
            description: order.description,
            out_trade_no: order.out_trade_no,
            notify_url: order.notify_url,
            total: order.amount.total,
            openid: order.payer.openid,
            attach: order.attach,
            prepay_id: prepay_id.clone(),
            created_ms: now_ms,
            paid: None,
            closed: false,
            refunded: 0,
        },
    );
    Ok(Some(json!({ "prepay_id": prepay_id })))
}

/// The `mchid` query parameter every GET names.
fn check_mchid(req: &Request, pay: &PayState) -> Result<(), PayError> {
    match req.query().get("mchid") {
        Some(mchid) if mchid == pay.config.mch_id => Ok(()),
        Some(_) => Err(PayError::param("mchid 与请求的商户号不一致")),
        None => Err(PayError::param("缺少参数 mchid")),
    }
}

/// `GET /v3/pay/transactions/out-trade-no/{out_trade_no}` and `…/id/{transaction_id}`.
pub fn query(req: &Request, pay: &PayState, matches: impl Fn(&Order) -> bool) -> Answer {
    check_mchid(req, pay)?;
    let order = pay
        .orders
        .values()
        .find(|o| matches(o))
        .ok_or_else(PayError::order_not_exist)?;
    Ok(Some(order.transaction(&pay.config.mch_id)))
}

#[derive(Debug, Deserialize)]
struct CloseRequest {
    mchid: String,
}

/// `POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close`: 204, also when already
/// closed.
pub fn close(req: &Request, pay: &mut PayState, out_trade_no: &str) -> Answer {
    let close: CloseRequest = body(req)?;
    if close.mchid != pay.config.mch_id {
        return Err(PayError::param("mchid 与请求的商户号不一致"));
    }
    let order = pay
        .orders
        .get_mut(out_trade_no)
        .ok_or_else(PayError::order_not_exist)?;
    match order.trade_state() {
        TradeState::Success | TradeState::Refund => Err(PayError::order_paid()),
        TradeState::NotPay | TradeState::Closed => {
            order.closed = true;
            Ok(None)
        }
    }
}

/// Why the pay sheet cannot take a payment for an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpayable {
    /// No such order.
    Unknown,
    /// Paid already.
    Paid,
    /// Closed by the merchant.
    Closed,
    /// The prepay_id is older than 2 hours.
    Expired,
}

/// The user pays `out_trade_no` at `now_ms`; its payment notification.
///
/// # Errors
/// When the order cannot be paid.
pub fn pay_order(pay: &mut PayState, out_trade_no: &str, now_ms: i64) -> Result<Event, Unpayable> {
    pay_order_as(pay, out_trade_no, now_ms, false)
}

/// [`pay_order`], or with `late` the payment that went through as the merchant closed the order
/// (the close/pay race WeChat Pay warns of: a close is not proof nobody paid), which pays a
/// closed order.
pub fn pay_order_as(
    pay: &mut PayState,
    out_trade_no: &str,
    now_ms: i64,
    late: bool,
) -> Result<Event, Unpayable> {
    let transaction_id = format!(
        "4200{}{}",
        &fields::compact(now_ms)[..8],
        pay.ids.digits(16)
    );
    let order = pay.orders.get_mut(out_trade_no).ok_or(Unpayable::Unknown)?;
    match order.trade_state() {
        TradeState::Success | TradeState::Refund => return Err(Unpayable::Paid),
        TradeState::Closed if !late => return Err(Unpayable::Closed),
        TradeState::Closed => {}
        TradeState::NotPay if now_ms - order.created_ms > PREPAY_LIFETIME_MS => {
            return Err(Unpayable::Expired)
        }
        TradeState::NotPay => {}
    }
    order.paid = Some(Paid {
        transaction_id,
        at_ms: now_ms,
    });
    Ok(order.paid_event(&pay.config.mch_id))
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::standin::fixture::NOW_MS;

    const ORDER_URL: &str = "/v3/pay/transactions/jsapi";

    fn query(state: &mut crate::standin::State, no: &str) -> Value {
        let url = format!("/v3/pay/transactions/out-trade-no/{no}?mchid={MCH_ID}");
        call(state, "GET", &url, &Value::Null).body_json()
    }

    #[test]
    fn the_same_order_number_gives_the_same_prepay_id_until_the_terms_change() {
        let mut state = state();
        let first = order(&mut state, "T20250615001", 500);
        assert!(
            first.starts_with("wx20250615230640") && first.len() == 36,
            "{first}"
        );
        assert_eq!(order(&mut state, "T20250615001", 500), first);
        let other = call(
            &mut state,
            "POST",
            ORDER_URL,
            &jsapi_body("T20250615001", 600),
        );
        assert_eq!(
            (other.status, other.body_json()["code"].clone()),
            (400, json!("INVALID_REQUEST"))
        );
        assert_eq!(state.stats.jsapi_orders, 1);

        pay_order(pay(&mut state), "T20250615001", NOW_MS).unwrap();
        let paid = call(
            &mut state,
            "POST",
            ORDER_URL,
            &jsapi_body("T20250615001", 500),
        );
        assert_eq!(paid.status, 400);
        assert_eq!(
            paid.body_json(),
            json!({"code": "ORDERPAID", "message": "该订单已支付"})
        );
    }

    #[test]
    fn malformed_orders_are_param_errors() {
        let mut state = state();
        let cases = [
            ("/appid", json!("wxother")),
            ("/mchid", json!("1900000001")),
            ("/out_trade_no", json!("T1")),
            ("/amount/total", json!(0)),
            ("/amount/currency", json!("USD")),
            ("/notify_url", json!("ftp://h/n")),
            ("/payer/openid", json!("")),
            ("/amount/total", json!("500")),
        ];
        for (case, value) in cases {
            let mut body = jsapi_body("T20250615002", 500);
            *body.pointer_mut(case).unwrap() = value;
            let answer = call(&mut state, "POST", ORDER_URL, &body);
            assert_eq!(answer.status, 400, "{case}");
            assert_eq!(answer.body_json()["code"], "PARAM_ERROR", "{case}");
        }
        let mut string_total = jsapi_body("T20250615002", 500);
        string_total["amount"]["total"] = "500".into();
        assert_eq!(
            call(&mut state, "POST", ORDER_URL, &string_total).status,
            400
        );
        assert!(pay(&mut state).orders.is_empty());
    }

    #[test]
    fn query_and_close_follow_the_order() {
        let mut state = state();
        assert_eq!(
            query(&mut state, "T20250615404"),
            json!({"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
        );
        order(&mut state, "T20250615001", 500);
        let open = query(&mut state, "T20250615001");
        assert_eq!(open["trade_state"], "NOTPAY");
        assert_eq!(open["amount"], json!({"total": 500, "currency": "CNY"}));
        assert!(open.get("transaction_id").is_none());

        let close = |state: &mut crate::standin::State, no: &str| {
            let url = format!("/v3/pay/transactions/out-trade-no/{no}/close");
            call(state, "POST", &url, &json!({"mchid": MCH_ID}))
        };
        assert_eq!(close(&mut state, "T20250615001").status, 204);
        assert_eq!(query(&mut state, "T20250615001")["trade_state"], "CLOSED");
        assert_eq!(close(&mut state, "T20250615404").status, 404);
        assert_eq!(
            pay_order(pay(&mut state), "T20250615001", NOW_MS).err(),
            Some(Unpayable::Closed)
        );

        order(&mut state, "T20250615002", 800);
        pay_order(pay(&mut state), "T20250615002", NOW_MS + 5000).unwrap();
        let paid = query(&mut state, "T20250615002");
        assert_eq!(paid["trade_state"], "SUCCESS");
        assert_eq!(paid["success_time"], "2025-06-15T23:06:45+08:00");
        assert_eq!(paid["amount"]["payer_total"], 800);
        assert_eq!(paid["transaction_id"].as_str().map(str::len), Some(28));
        let refused = close(&mut state, "T20250615002");
        assert_eq!(
            (refused.status, refused.body_json()["code"].clone()),
            (400, json!("ORDERPAID"))
        );
        let by_id = format!(
            "/v3/pay/transactions/id/{}?mchid={MCH_ID}",
            paid["transaction_id"].as_str().unwrap()
        );
        assert_eq!(
            call(&mut state, "GET", &by_id, &Value::Null).body_json(),
            paid
        );
        let no_mchid = call(
            &mut state,
            "GET",
            "/v3/pay/transactions/out-trade-no/T20250615002",
            &Value::Null,
        );
        assert_eq!(no_mchid.status, 400);
    }
}
