//! 申请退款 and its query: a refund is accepted `PROCESSING` against a paid order, at most what
//! is left of it, idempotent per `out_refund_no`, and settles a moment later with a
//! `REFUND.SUCCESS` notification when the merchant gave a notify_url.

use serde::Deserialize;
use serde_json::{json, Value};

use super::notify::{self, Event, Outgoing, Plan};
use super::{body, fields, Answer, PayError, PayState, SETTLE_MS};
use crate::standin::http::Request;
use crate::standin::Stats;

/// One refund.
#[derive(Debug, Clone)]
pub struct Refund {
    /// WeChat Pay's refund number.
    pub refund_id: String,
    /// The merchant's refund number.
    pub out_refund_no: String,
    /// The order refunded.
    pub out_trade_no: String,
    /// Its transaction.
    pub transaction_id: String,
    /// 分 refunded.
    pub refund: i64,
    /// The order's total.
    pub total: i64,
    /// Where the result goes, if anywhere.
    pub notify_url: Option<String>,
    /// Accepted at (Unix ms).
    pub created_ms: i64,
    /// Settled at (Unix ms).
    pub success_ms: Option<i64>,
}

impl Refund {
    /// `status`.
    pub fn status(&self) -> &'static str {
        if self.success_ms.is_some() {
            "SUCCESS"
        } else {
            "PROCESSING"
        }
    }

    /// The `Refund` answer.
    pub fn view(&self) -> Value {
        let mut value = json!({
            "refund_id": self.refund_id, "out_refund_no": self.out_refund_no,
            "transaction_id": self.transaction_id, "out_trade_no": self.out_trade_no,
            "channel": "ORIGINAL", "user_received_account": "支付用户零钱",
            "status": self.status(), "create_time": fields::time(self.created_ms),
            "funds_account": "AVAILABLE",
            "amount": {
                "total": self.total, "refund": self.refund, "payer_total": self.total,
                "payer_refund": self.refund, "settlement_total": self.total,
                "settlement_refund": self.refund, "discount_refund": 0, "currency": "CNY",
                "from": [],
            },
            "promotion_detail": [],
        });
        if let Some(at) = self.success_ms {
            value["success_time"] = fields::time(at).into();
        }
        value
    }

    /// The decrypted resource of `REFUND.SUCCESS`.
    fn notification(&self, mchid: &str) -> Value {
        json!({
            "mchid": mchid, "out_trade_no": self.out_trade_no,
            "transaction_id": self.transaction_id, "out_refund_no": self.out_refund_no,
            "refund_id": self.refund_id, "refund_status": self.status(),
            "success_time": self.success_ms.map(fields::time),
            "user_received_account": "支付用户零钱",
            "amount": {
                "total": self.total, "refund": self.refund,
                "payer_total": self.total, "payer_refund": self.refund,
            },
        })
    }
}

#[derive(Debug, Deserialize)]
struct RefundRequest {
    #[serde(default)]
    transaction_id: Option<String>,
    #[serde(default)]
    out_trade_no: Option<String>,
    out_refund_no: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    notify_url: Option<String>,
    amount: RefundAmount,
}

#[derive(Debug, Deserialize)]
struct RefundAmount {
    refund: i64,
    total: i64,
    currency: String,
}

/// `POST /v3/refund/domestic/refunds`.
pub fn create(req: &Request, pay: &mut PayState, stats: &mut Stats, now_ms: i64) -> Answer {
    let asked: RefundRequest = body(req)?;
    fields::merchant_no("out_refund_no", &asked.out_refund_no, "_-|*@")?;
    fields::total("amount.refund", asked.amount.refund)?;
    fields::total("amount.total", asked.amount.total)?;
    fields::currency(Some(&asked.amount.currency))?;
    if let Some(url) = &asked.notify_url {
        fields::notify_url(url)?;
    }
    if asked.reason.as_ref().is_some_and(|r| r.len() > 80) {
        return Err(PayError::param("reason 不超过 80 字节"));
    }
    let order =
        pay.orders
            .values_mut()
            .find(|o| match (&asked.out_trade_no, &asked.transaction_id) {
                (Some(no), _) => &o.out_trade_no == no,
                (None, Some(id)) => o.transaction_id() == Some(id.as_str()),
                (None, None) => false,
            });
    let Some(order) = order else {
        return if asked.out_trade_no.is_none() && asked.transaction_id.is_none() {
            Err(PayError::param("out_trade_no 和 transaction_id 须填一个"))
        } else {
            Err(PayError::new(404, "RESOURCE_NOT_EXISTS", "订单不存在"))
        };
    };
    if let Some(known) = pay.refunds.get(&asked.out_refund_no) {
        return if known.out_trade_no == order.out_trade_no && known.refund == asked.amount.refund {
            Ok(Some(known.view()))
        } else {
            Err(PayError::invalid("商户退款单号重复，且与原退款参数不一致"))
        };
    }
    let Some(transaction_id) = order.transaction_id().map(str::to_owned) else {
        let why = if order.closed {
            "订单已关闭"
        } else {
            "订单未支付"
        };
        return Err(PayError::invalid(format!("{why}，不能退款")));
    };
    if asked.amount.total != order.total {
        return Err(PayError::invalid("订单金额与原订单不一致"));
    }
    if asked.amount.refund > order.total - order.refunded {
        return Err(PayError::invalid("申请退款金额超过订单可退金额"));
    }
    order.refunded += asked.amount.refund;
    let refund = Refund {
        refund_id: format!("50{}", pay.ids.digits(27)),
        out_refund_no: asked.out_refund_no.clone(),
        out_trade_no: order.out_trade_no.clone(),
        transaction_id,
        refund: asked.amount.refund,
        total: order.total,
        notify_url: asked.notify_url,
        created_ms: now_ms,
        success_ms: None,
    };
    let view = refund.view();
    stats.refunds += 1;
    pay.refunds.insert(asked.out_refund_no, refund);
    pay.outbox.push(Outgoing::Wake {
        at_ms: now_ms + SETTLE_MS,
    });
    Ok(Some(view))
}

/// `GET /v3/refund/domestic/refunds/{out_refund_no}`.
pub fn query(pay: &PayState, out_refund_no: &str) -> Answer {
    pay.refunds
        .get(out_refund_no)
        .map(|r| Some(r.view()))
        .ok_or_else(|| PayError::new(404, "RESOURCE_NOT_EXISTS", "退款单不存在"))
}

/// Settles the refunds in progress for [`SETTLE_MS`] by `now_ms`, notifying where asked.
pub fn settle_due(pay: &mut PayState, now_ms: i64) {
    let mchid = pay.config.mch_id.clone();
    let mut events = Vec::new();
    for refund in pay.refunds.values_mut() {
        let settles = refund.created_ms + SETTLE_MS;
        if refund.success_ms.is_none() && settles <= now_ms {
            refund.success_ms = Some(settles);
            if let Some(url) = &refund.notify_url {
                events.push(Event {
                    event_type: "REFUND.SUCCESS",
                    summary: "退款成功",
                    original_type: "refund",
                    out_trade_no: refund.out_trade_no.clone(),
                    url: url.clone(),
                    resource: refund.notification(&mchid),
                });
            }
        }
    }
    for event in events {
        notify::queue(pay, &event, now_ms, Plan::BACKGROUND);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::super::jsapi;
    use super::*;
    use crate::standin::fixture::NOW_MS;
    use crate::standin::State;

    const URL: &str = "/v3/refund/domestic/refunds";

    fn ask(state: &mut State, no: &str, refund: i64, total: i64) -> crate::standin::Response {
        let body = json!({
            "out_trade_no": "T20250615001", "out_refund_no": no, "reason": "重复缴费",
            "notify_url": NOTIFY_URL,
            "amount": {"refund": refund, "total": total, "currency": "CNY"},
        });
        call(state, "POST", URL, &body)
    }

    fn code(answer: &crate::standin::Response) -> (u16, Value) {
        (answer.status, answer.body_json()["code"].clone())
    }

    #[test]
    fn only_what_was_paid_and_is_left_can_be_refunded() {
        let mut state = state();
        assert_eq!(
            code(&ask(&mut state, "R1", 100, 500)),
            (404, json!("RESOURCE_NOT_EXISTS"))
        );
        order(&mut state, "T20250615001", 500);
        assert_eq!(
            code(&ask(&mut state, "R1", 100, 500)),
            (400, json!("INVALID_REQUEST"))
        );
        jsapi::pay_order(pay(&mut state), "T20250615001", NOW_MS).unwrap();
        assert_eq!(
            code(&ask(&mut state, "R1", 100, 400)),
            (400, json!("INVALID_REQUEST"))
        );
        assert_eq!(
            code(&ask(&mut state, "R1", 600, 500)),
            (400, json!("INVALID_REQUEST"))
        );

        let first = ask(&mut state, "R1", 300, 500);
        assert_eq!(first.status, 200, "{}", first.body_json());
        let view = first.body_json();
        assert_eq!(view["status"], "PROCESSING");
        assert_eq!(view["channel"], "ORIGINAL");
        assert_eq!(view["amount"]["payer_refund"], 300);
        assert_eq!(ask(&mut state, "R1", 300, 500).body_json(), view);
        assert_eq!(
            code(&ask(&mut state, "R1", 200, 500)),
            (400, json!("INVALID_REQUEST"))
        );
        assert_eq!(
            code(&ask(&mut state, "R2", 201, 500)),
            (400, json!("INVALID_REQUEST"))
        );
        assert_eq!(ask(&mut state, "R2", 200, 500).status, 200);
        assert_eq!(state.stats.refunds, 2);
        let order = &pay(&mut state).orders["T20250615001"];
        assert_eq!(order.trade_state(), jsapi::TradeState::Refund);
    }

    #[test]
    fn a_refund_settles_later_and_notifies() {
        let mut state = state();
        order(&mut state, "T20250615001", 500);
        jsapi::pay_order(pay(&mut state), "T20250615001", NOW_MS).unwrap();
        assert_eq!(ask(&mut state, "R1", 100, 500).status, 200);
        let wakes = pay(&mut state)
            .outbox
            .iter()
            .filter(|o| matches!(o, Outgoing::Wake { at_ms } if *at_ms == NOW_MS + SETTLE_MS))
            .count();
        assert_eq!(wakes, 1);
        pay(&mut state).outbox.clear();
        settle_due(pay(&mut state), NOW_MS + SETTLE_MS - 1);
        assert!(pay(&mut state).outbox.is_empty());
        settle_due(pay(&mut state), NOW_MS + SETTLE_MS);
        assert_eq!(pay(&mut state).outbox.len(), 1);
        let record = &pay(&mut state).deliveries[0];
        assert_eq!(record.event_type, "REFUND.SUCCESS");
        assert_eq!(record.body["resource"]["original_type"], "refund");
        assert_eq!(record.resource["refund_status"], "SUCCESS");
        assert_eq!(record.resource["amount"]["refund"], 100);
        let queried = call(&mut state, "GET", &format!("{URL}/R1"), &Value::Null).body_json();
        assert_eq!(queried["status"], "SUCCESS");
        assert!(queried["success_time"].is_string());
    }
}
