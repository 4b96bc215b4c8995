//! The payment saga's alarm paths, forced with the fault switch (`POST /api/dev/faults`, in the
//! worker only when built with the `faults` feature, as scripts/test does): the wallet fails
//! one charge, the order stays pending, and the plate object's alarm asks the wallet again with
//! the same reference and settles it. Money is conserved: charged exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use std::time::{Duration, Instant};

use integration::gateway::CarPark;
use integration::{owner_of_new_plate, Api, Session};
use serde_json::{json, Value};

/// The next charge of `order` from `user`'s wallet fails once: `fail` takes nothing, `lost`
/// takes the money but loses the answer.
fn arm(user: &Session, order: &str, kind: &str) {
    let body = json!({ "user_id": user.user_id, "reference_prefix": format!("order:{order}:"),
                       "kind": kind });
    user.post("/api/dev/faults", body).expect(204);
}

/// A new owner with ¥10 in the wallet and a new plate.
fn owner_with_money(api: &Api) -> (Session, String) {
    let (owner, plate) = owner_of_new_plate(api);
    owner
        .post("/api/wallet/top-up", json!({ "amount_fen": 1000 }))
        .expect(200);
    (owner, plate)
}

/// Right after the failed charge the order is pending (not due again), unless the alarm was
/// already quicker; within a few seconds the alarm has paid it.
#[track_caller]
fn settled_by_the_alarm(owner: &Session, order: &str) -> Value {
    let seen = owner.order(order).unwrap();
    assert_eq!(seen["payable"], false, "pending, never due again: {seen}");
    let end = Instant::now() + Duration::from_secs(15);
    loop {
        let seen = owner.order(order).unwrap();
        if seen["paid"] == true {
            return seen;
        }
        assert!(
            Instant::now() < end,
            "the alarm did not settle {order}: {seen}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The wallet was charged `fee_fen` exactly once for the plate: its ledger and its balance.
#[track_caller]
fn charged_once(owner: &Session, plate: &str, fee_fen: i64) {
    let wallet: Value = owner.get("/api/wallet").json();
    let charges: Vec<i64> = wallet["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["note"].as_str().unwrap().contains(plate))
        .map(|e| e["delta_fen"].as_i64().unwrap())
        .collect();
    assert_eq!(charges, [-fee_fen], "one charge, no refund: {wallet}");
    assert_eq!(wallet["balance_fen"], 1000 - fee_fen, "{wallet}");
}

fn manual_payment_interrupted(kind: &str) {
    let api = Api::from_env();
    let (owner, plate) = owner_with_money(&api);
    let car_park = CarPark::parking(&api);
    car_park.entry(&plate).expect(200);
    let exit: Value = car_park.exit(&plate, 700).expect(200).json();
    let order = exit["order_id"].as_str().unwrap();
    arm(&owner, order, kind);

    let paying = owner.post(
        &format!("/api/orders/{order}/pay"),
        json!({ "source": "wallet" }),
    );
    paying.expect_error(409, "conflict");
    assert!(paying.body.contains("正在缴费中"), "{}", paying.body);
    let paid = settled_by_the_alarm(&owner, order);
    assert_eq!(paid["automatic"], false);
    charged_once(&owner, &plate, 700);
}

fn autopay_interrupted(kind: &str) {
    let api = Api::from_env();
    let (owner, plate) = owner_with_money(&api);
    owner
        .put(
            &format!("/api/vehicles/{plate}/autopay"),
            json!({ "enabled": true, "sources": ["wallet"] }),
        )
        .expect(204);
    let car_park = CarPark::parking(&api);
    let entry: Value = car_park.entry(&plate).expect(200).json();
    let order = entry["order_id"].as_str().unwrap();
    arm(&owner, order, kind);
    car_park.exit(&plate, 900).expect(200);

    let paid = settled_by_the_alarm(&owner, order);
    assert_eq!(paid["automatic"], true, "{paid}");
    charged_once(&owner, &plate, 900);
    let messages = owner.messages();
    let of_kind = |kind: &str| {
        messages["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == kind)
            .count()
    };
    assert_eq!(of_kind("payment"), 1, "told once it was paid: {messages}");
    assert_eq!(of_kind("exit"), 0, "never told it is unpaid: {messages}");
    assert!(!messages.to_string().contains("扣费失败"), "{messages}");
}

#[test]
fn a_payment_whose_charge_fails_is_settled_by_the_alarm() {
    manual_payment_interrupted("fail");
}

#[test]
fn a_payment_whose_charge_answer_is_lost_is_settled_by_the_alarm_without_charging_twice() {
    manual_payment_interrupted("lost");
}

#[test]
fn autopay_whose_charge_fails_is_settled_by_the_alarm() {
    autopay_interrupted("fail");
}

#[test]
fn autopay_whose_charge_answer_is_lost_is_settled_by_the_alarm_without_charging_twice() {
    autopay_interrupted("lost");
}

#[test]
fn the_switch_refuses_what_is_not_a_fault() {
    let user = Api::from_env().new_user();
    let bad = json!({ "user_id": user.user_id, "reference_prefix": "order:", "kind": "explode" });
    user.post("/api/dev/faults", bad)
        .expect_error(400, "invalid_request");
    let empty = json!({ "user_id": user.user_id, "reference_prefix": "", "kind": "fail" });
    user.post("/api/dev/faults", empty)
        .expect_error(400, "invalid_request");
}
