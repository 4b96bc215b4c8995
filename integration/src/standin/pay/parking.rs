//! 微信支付分停车服务 for a direct merchant: whether a plate has the service (set by the tests, as
//! the user would in WeChat's own pages), creating a parking entry for a served plate, and the
//! deduction, which is accepted at once and settles a moment later — paid, or failed when a test
//! armed a failure — with a `TRANSACTION.SUCCESS` or `TRANSACTION.FAIL` notification.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::notify::{self, Event, Outgoing, Plan};
use super::{body, fields, Answer, PayError, PayState, SETTLE_MS};
use crate::standin::http::Request;

/// `service_state` of a plate for one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceState {
    /// 正常服务.
    Normal,
    /// 暂停服务.
    Pause,
    /// 未开通.
    OutService,
}

impl ServiceState {
    /// The wire value.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "NORMAL" => Some(Self::Normal),
            "PAUSE" => Some(Self::Pause),
            "OUT_SERVICE" => Some(Self::OutService),
            _ => None,
        }
    }

    /// The wire value.
    pub fn name(self) -> &'static str {
        match self {
            Self::Normal => "NORMAL",
            Self::Pause => "PAUSE",
            Self::OutService => "OUT_SERVICE",
        }
    }
}

/// A plate as 支付分停车 names it.
pub type PlateKey = (String, String);

/// The service as one user set it up for one plate.
#[derive(Debug, Clone)]
pub struct Service {
    /// Where it stands.
    pub state: ServiceState,
    /// When the user first opened it (Unix ms).
    pub opened_ms: Option<i64>,
}

/// A deduction, from acceptance to its outcome.
#[derive(Debug, Clone)]
pub struct Deduction {
    /// The request's terms (appid, description, notify_url, amount, parking_info, attach).
    pub appid: String,
    /// What the user sees.
    pub description: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// Where the outcome goes.
    pub notify_url: String,
    /// In 分.
    pub total: i64,
    /// As sent.
    pub parking_info: Value,
    /// Echoed back.
    pub attach: Option<String>,
    /// Whose 支付分 pays.
    pub openid: String,
    /// Accepted at (Unix ms).
    pub created_ms: i64,
    /// `None` while `ACCEPTED`; then the transaction id (`Some(None)` when it failed).
    pub outcome: Option<Option<String>>,
}

impl Deduction {
    fn trade_state(&self) -> (&'static str, &'static str) {
        match &self.outcome {
            None => ("ACCEPTED", "已接收，等待扣款"),
            Some(Some(_)) => ("SUCCESS", "支付成功"),
            Some(None) => ("PAY_FAIL", "支付失败"),
        }
    }

    /// The `Transaction` of the answer, the query and the notification.
    pub fn view(&self, mchid: &str) -> Value {
        let (trade_state, description) = self.trade_state();
        let mut value = json!({
            "appid": self.appid, "mchid": mchid, "description": self.description,
            "create_time": fields::time(self.created_ms), "out_trade_no": self.out_trade_no,
            "trade_state": trade_state, "trade_state_description": description,
            "trade_scene": "PARKING", "parking_info": self.parking_info,
            "payer": {"openid": self.openid},
            "amount": {"total": self.total, "currency": "CNY"},
        });
        if let Some(attach) = &self.attach {
            value["attach"] = attach.as_str().into();
        }
        if let Some(Some(transaction_id)) = &self.outcome {
            value["transaction_id"] = transaction_id.as_str().into();
            value["success_time"] = fields::time(self.created_ms + SETTLE_MS).into();
            value["bank_type"] = "OTHERS".into();
            value["amount"]["payer_total"] = self.total.into();
        }
        value
    }

    /// Whether the user's payment went through (for the control endpoints).
    pub fn transaction_id(&self) -> Option<&str> {
        self.outcome.as_ref().and_then(|o| o.as_deref())
    }

    /// `SUCCESS`, `PAY_FAIL` or `ACCEPTED`.
    pub fn state_name(&self) -> &'static str {
        self.trade_state().0
    }
}

/// The merchant's parking business.
#[derive(Debug, Default)]
pub struct ParkingState {
    /// `(openid, plate)` → the service.
    pub services: HashMap<(String, PlateKey), Service>,
    /// Entries by `out_parking_no`: the answer given, and the payer found.
    pub entries: HashMap<String, (Value, String)>,
    /// Deductions by `out_trade_no`.
    pub deductions: HashMap<String, Deduction>,
    /// Armed failures: an `out_trade_no` or a plate number whose next deduction fails.
    pub fail_next: Vec<String>,
}

impl ParkingState {
    /// Sets `openid`'s service for `plate`.
    pub fn set_service(&mut self, openid: &str, plate: PlateKey, state: ServiceState, now_ms: i64) {
        let service = self
            .services
            .entry((openid.to_owned(), plate))
            .or_insert(Service {
                state,
                opened_ms: None,
            });
        service.state = state;
        if state != ServiceState::OutService && service.opened_ms.is_none() {
            service.opened_ms = Some(now_ms);
        }
    }

    /// The user who has the service running for `plate`.
    fn served_by(&self, plate: &PlateKey) -> Option<&str> {
        self.services
            .iter()
            .find(|((_, p), s)| p == plate && s.state == ServiceState::Normal)
            .map(|((openid, _), _)| openid.as_str())
    }
}

/// `GET /v3/vehicle/parking/services/find`.
pub fn find(req: &Request, pay: &PayState) -> Answer {
    let query = req.query();
    let get = |name: &str| query.get(name).unwrap_or_default().to_owned();
    if get("appid") != pay.app_id {
        return Err(PayError::param("appid 与商户号不匹配"));
    }
    let (plate_number, plate_color, openid) =
        (get("plate_number"), get("plate_color"), get("openid"));
    fields::text("plate_number", &plate_number, 32)?;
    fields::plate_color(&plate_color)?;
    fields::text("openid", &openid, 128)?;
    let service = pay
        .parking
        .services
        .get(&(openid.clone(), (plate_number.clone(), plate_color.clone())));
    let mut answer = json!({
        "plate_number": plate_number, "plate_color": plate_color, "openid": openid,
        "service_state": service.map_or("OUT_SERVICE", |s| s.state.name()),
    });
    if let Some(opened) = service.and_then(|s| s.opened_ms) {
        answer["service_open_time"] = fields::time(opened).into();
    }
    Ok(Some(answer))
}

#[derive(Debug, Deserialize)]
struct EntryRequest {
    out_parking_no: String,
    plate_number: String,
    plate_color: String,
    notify_url: String,
    start_time: String,
    parking_name: String,
    free_duration: i64,
}

/// `POST /v3/vehicle/parking/parkings`: an entry for a plate whose service is running.
pub fn enter(req: &Request, pay: &mut PayState, _now_ms: i64) -> Answer {
    let entry: EntryRequest = body(req)?;
    fields::merchant_no("out_parking_no", &entry.out_parking_no, "_-|*")?;
    fields::text("plate_number", &entry.plate_number, 32)?;
    fields::plate_color(&entry.plate_color)?;
    fields::notify_url(&entry.notify_url)?;
    fields::rfc3339("start_time", &entry.start_time)?;
    fields::text("parking_name", &entry.parking_name, 128)?;
    if entry.free_duration < 0 {
        return Err(PayError::param("free_duration 须为非负整数（秒）"));
    }
    if let Some((known, _)) = pay.parking.entries.get(&entry.out_parking_no) {
        return if known["plate_number"] == entry.plate_number.as_str() {
            Ok(Some(known.clone()))
        } else {
            Err(PayError::invalid("商户入场单号重复，且车牌不一致"))
        };
    }
    let plate = (entry.plate_number.clone(), entry.plate_color.clone());
    let Some(openid) = pay.parking.served_by(&plate).map(str::to_owned) else {
        return Err(PayError::new(400, "RULE_LIMIT", "车牌未开通服务"));
    };
    let answer = json!({
        "id": pay.ids.hex(32).to_ascii_uppercase(),
        "out_parking_no": entry.out_parking_no, "plate_number": entry.plate_number,
        "plate_color": entry.plate_color, "start_time": entry.start_time,
        "parking_name": entry.parking_name, "free_duration": entry.free_duration,
        "state": "NORMAL",
    });
    pay.parking
        .entries
        .insert(entry.out_parking_no, (answer.clone(), openid));
    Ok(Some(answer))
}

#[derive(Debug, Deserialize)]
struct DeductRequest {
    appid: String,
    description: String,
    out_trade_no: String,
    trade_scene: String,
    notify_url: String,
    amount: Amount,
    parking_info: ParkingInfo,
    #[serde(default)]
    attach: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Amount {
    total: i64,
    #[serde(default)]
    currency: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ParkingInfo {
    parking_id: String,
    plate_number: String,
    plate_color: String,
    start_time: String,
    end_time: String,
    parking_name: String,
    charging_duration: i64,
    device_id: String,
}

/// `POST /v3/vehicle/transactions/parking`: 扣费受理, answered `ACCEPTED`.
pub fn deduct(req: &Request, pay: &mut PayState, now_ms: i64) -> Answer {
    let asked: DeductRequest = body(req)?;
    if asked.appid != pay.app_id {
        return Err(PayError::param("appid 与商户号不匹配"));
    }
    fields::text("description", &asked.description, 128)?;
    fields::out_trade_no(&asked.out_trade_no, "_-*")?;
    if asked.trade_scene != "PARKING" {
        return Err(PayError::param("trade_scene 须为 PARKING"));
    }
    fields::notify_url(&asked.notify_url)?;
    fields::total("amount.total", asked.amount.total)?;
    fields::currency(asked.amount.currency.as_deref())?;
    let info = &asked.parking_info;
    fields::plate_color(&info.plate_color)?;
    fields::rfc3339("parking_info.start_time", &info.start_time)?;
    fields::rfc3339("parking_info.end_time", &info.end_time)?;
    fields::text("parking_info.parking_name", &info.parking_name, 128)?;
    fields::text("parking_info.device_id", &info.device_id, 128)?;
    if info.charging_duration < 0 {
        return Err(PayError::param(
            "parking_info.charging_duration 须为非负整数（秒）",
        ));
    }
    if let Some(known) = pay.parking.deductions.get(&asked.out_trade_no) {
        return if known.total == asked.amount.total
            && known.parking_info["parking_id"] == info.parking_id.as_str()
        {
            Ok(Some(known.view(&pay.config.mch_id)))
        } else {
            Err(PayError::invalid("商户订单号重复，且与原订单参数不一致"))
        };
    }
    if pay.trade_no_taken(&asked.out_trade_no) {
        return Err(PayError::invalid("商户订单号重复"));
    }
    let entry = pay
        .parking
        .entries
        .values()
        .find(|(e, _)| e["id"] == info.parking_id.as_str());
    let Some((entry, openid)) = entry else {
        return Err(PayError::invalid("停车入场 parking_id 不存在"));
    };
    if entry["plate_number"] != info.plate_number.as_str()
        || entry["plate_color"] != info.plate_color.as_str()
    {
        return Err(PayError::invalid("车牌与停车入场信息不一致"));
    }
    let deduction = Deduction {
        appid: asked.appid,
        description: asked.description,
        out_trade_no: asked.out_trade_no.clone(),
        notify_url: asked.notify_url,
        total: asked.amount.total,
        parking_info: json!({
            "parking_id": info.parking_id, "plate_number": info.plate_number,
            "plate_color": info.plate_color, "start_time": info.start_time,
            "end_time": info.end_time, "parking_name": info.parking_name,
            "charging_duration": info.charging_duration, "device_id": info.device_id,
        }),
        attach: asked.attach,
        openid: openid.clone(),
        created_ms: now_ms,
        outcome: None,
    };
    let answer = deduction.view(&pay.config.mch_id);
    pay.parking.deductions.insert(asked.out_trade_no, deduction);
    pay.outbox.push(Outgoing::Wake {
        at_ms: now_ms + SETTLE_MS,
    });
    Ok(Some(answer))
}

/// `GET /v3/vehicle/transactions/out-trade-no/{out_trade_no}`.
pub fn query(pay: &PayState, out_trade_no: &str) -> Answer {
    pay.parking
        .deductions
        .get(out_trade_no)
        .map(|d| Some(d.view(&pay.config.mch_id)))
        .ok_or_else(PayError::order_not_exist)
}

/// Settles the deductions accepted [`SETTLE_MS`] ago or more: each fails if a failure was armed
/// for its order or plate, else is paid; either way the merchant is notified.
pub fn settle_due(pay: &mut PayState, now_ms: i64) {
    let mut due: Vec<String> = pay
        .parking
        .deductions
        .values()
        .filter(|d| d.outcome.is_none() && d.created_ms + SETTLE_MS <= now_ms)
        .map(|d| d.out_trade_no.clone())
        .collect();
    // In the order accepted, so "the next deduction" of a plate is the oldest one in progress.
    due.sort_by_key(|no| {
        (
            pay.parking.deductions.get(no).map(|d| d.created_ms),
            no.clone(),
        )
    });
    for out_trade_no in due {
        let settles = pay
            .parking
            .deductions
            .get(&out_trade_no)
            .map_or(now_ms, |d| d.created_ms + SETTLE_MS);
        let transaction_id = format!(
            "4200{}{}",
            &fields::compact(settles)[..8],
            pay.ids.digits(16)
        );
        let Some(deduction) = pay.parking.deductions.get_mut(&out_trade_no) else {
            continue;
        };
        let plate = deduction.parking_info["plate_number"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let armed = pay
            .parking
            .fail_next
            .iter()
            .position(|t| *t == out_trade_no || *t == plate);
        let failed = armed.map(|at| pay.parking.fail_next.remove(at)).is_some();
        deduction.outcome = Some((!failed).then_some(transaction_id));
        let (event_type, summary) = if failed {
            ("TRANSACTION.FAIL", "支付失败")
        } else {
            ("TRANSACTION.SUCCESS", "支付成功")
        };
        let event = Event {
            event_type,
            summary,
            original_type: "transaction",
            out_trade_no: out_trade_no.clone(),
            url: deduction.notify_url.clone(),
            resource: deduction.view(&pay.config.mch_id),
        };
        notify::queue(pay, &event, settles.max(now_ms), Plan::BACKGROUND);
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::standin::fixture::{APP_ID, NOW_MS};
    use crate::standin::State;

    const PLATE: &str = "粤B888888";

    fn find_url(openid: &str, color: &str) -> String {
        format!(
            "/v3/vehicle/parking/services/find?appid={APP_ID}&plate_number=%E7%B2%A4B888888&plate_color={color}&openid={openid}"
        )
    }

    fn entry(no: &str) -> Value {
        json!({
            "out_parking_no": no, "plate_number": PLATE, "plate_color": "BLUE",
            "notify_url": NOTIFY_URL, "start_time": "2025-06-15T20:00:00+08:00",
            "parking_name": "星河湾停车场", "free_duration": 900,
        })
    }

    fn deduction(no: &str, parking_id: &str) -> Value {
        json!({
            "appid": APP_ID, "description": "停车费", "out_trade_no": no,
            "trade_scene": "PARKING", "notify_url": NOTIFY_URL,
            "amount": {"total": 1200, "currency": "CNY"},
            "parking_info": {
                "parking_id": parking_id, "plate_number": PLATE, "plate_color": "BLUE",
                "start_time": "2025-06-15T20:00:00+08:00", "end_time": "2025-06-15T23:00:00+08:00",
                "parking_name": "星河湾停车场", "charging_duration": 9900, "device_id": "gate-1",
            },
        })
    }

    fn open_service(state: &mut State) -> String {
        let plate = (PLATE.to_owned(), "BLUE".to_owned());
        pay(state)
            .parking
            .set_service("oDriver", plate, ServiceState::Normal, NOW_MS);
        let answer = call(
            state,
            "POST",
            "/v3/vehicle/parking/parkings",
            &entry("P001"),
        );
        assert_eq!(answer.status, 200, "{}", answer.body_json());
        answer.body_json()["id"].as_str().unwrap().to_owned()
    }

    #[test]
    fn a_plate_is_out_of_service_until_the_user_opens_it() {
        let mut state = state();
        let found = call(
            &mut state,
            "GET",
            &find_url("oDriver", "BLUE"),
            &Value::Null,
        )
        .body_json();
        assert_eq!(found["service_state"], "OUT_SERVICE");
        assert_eq!(found["plate_number"], PLATE);
        let refused = call(
            &mut state,
            "POST",
            "/v3/vehicle/parking/parkings",
            &entry("P001"),
        );
        assert_eq!(refused.status, 400);
        assert_eq!(
            refused.body_json(),
            json!({"code": "RULE_LIMIT", "message": "车牌未开通服务"})
        );
        let bad_color = call(
            &mut state,
            "GET",
            &find_url("oDriver", "LIGHTGREEN"),
            &Value::Null,
        );
        assert_eq!(bad_color.status, 400);

        let id = open_service(&mut state);
        let found = call(
            &mut state,
            "GET",
            &find_url("oDriver", "BLUE"),
            &Value::Null,
        )
        .body_json();
        assert_eq!(found["service_state"], "NORMAL");
        assert_eq!(found["service_open_time"], "2025-06-15T23:06:40+08:00");
        let again = call(
            &mut state,
            "POST",
            "/v3/vehicle/parking/parkings",
            &entry("P001"),
        );
        assert_eq!(again.body_json()["id"], id.as_str());
        assert_eq!(again.body_json()["state"], "NORMAL");
    }

    #[test]
    fn a_deduction_is_accepted_then_settles_with_a_notification() {
        let mut state = state();
        let id = open_service(&mut state);
        let url = "/v3/vehicle/transactions/parking";
        let unknown = call(&mut state, "POST", url, &deduction("D20250615001", "nope"));
        assert_eq!(unknown.status, 400);
        let accepted = call(&mut state, "POST", url, &deduction("D20250615001", &id));
        assert_eq!(accepted.status, 200, "{}", accepted.body_json());
        assert_eq!(accepted.body_json()["trade_state"], "ACCEPTED");
        assert_eq!(accepted.body_json()["parking_info"]["device_id"], "gate-1");

        let failing = call(&mut state, "POST", url, &deduction("D20250615002", &id));
        assert_eq!(failing.status, 200);
        // Armed after acceptance, by order number: decided when it settles.
        pay(&mut state)
            .parking
            .fail_next
            .push("D20250615002".to_owned());

        let later = NOW_MS + SETTLE_MS;
        let query = |state: &mut State, no: &str, at: i64| {
            let req = signed_at(
                "GET",
                &format!("/v3/vehicle/transactions/out-trade-no/{no}"),
                "",
                at / 1000,
            );
            call_at(state, &req, at).body_json()
        };
        assert_eq!(
            query(&mut state, "D20250615001", later - 1)["trade_state"],
            "ACCEPTED"
        );
        let paid = query(&mut state, "D20250615001", later);
        assert_eq!(paid["trade_state"], "SUCCESS");
        assert_eq!(paid["payer"]["openid"], "oDriver");
        assert_eq!(paid["amount"]["payer_total"], 1200);
        assert_eq!(paid["transaction_id"].as_str().map(str::len), Some(28));
        assert_eq!(
            query(&mut state, "D20250615002", later)["trade_state"],
            "PAY_FAIL"
        );

        // Armed by plate: the plate's next deduction fails, the one after is paid.
        pay(&mut state).parking.fail_next.push(PLATE.to_owned());
        for no in ["D20250615003", "D20250615004"] {
            let body = deduction(no, &id).to_string();
            let req = signed_at("POST", url, &body, later / 1000);
            assert_eq!(call_at(&mut state, &req, later + 1).status, 200);
        }
        let settled = later + 1 + SETTLE_MS;
        assert_eq!(
            query(&mut state, "D20250615003", settled)["trade_state"],
            "PAY_FAIL"
        );
        assert_eq!(
            query(&mut state, "D20250615004", settled)["trade_state"],
            "SUCCESS"
        );

        let events: Vec<_> = pay(&mut state)
            .deliveries
            .iter()
            .map(|d| {
                (
                    d.out_trade_no.as_str(),
                    d.event_type,
                    d.resource["trade_state"].clone(),
                )
            })
            .collect();
        assert_eq!(
            events,
            [
                ("D20250615001", "TRANSACTION.SUCCESS", json!("SUCCESS")),
                ("D20250615002", "TRANSACTION.FAIL", json!("PAY_FAIL")),
                ("D20250615003", "TRANSACTION.FAIL", json!("PAY_FAIL")),
                ("D20250615004", "TRANSACTION.SUCCESS", json!("SUCCESS")),
            ]
        );
        assert!(pay(&mut state).parking.fail_next.is_empty());
        let unknown = query(&mut state, "D20250615404", settled);
        assert_eq!(unknown["code"], "ORDER_NOT_EXIST");
    }
}
