//! `POST /api/gateway/events` as car parks and charging stations use it (API.md "Parking,
//! charging, coupons, payment"): only correctly signed, fresh events of a known facility count;
//! a repeated event counts once; every refusal has its status and code and leaves the owner's
//! orders and inbox as they were. Then the effects users see: SPEC §6's names and §7's messages.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use std::thread;

use integration::gateway::{
    minutes_ago, minutes_from_now, sign, unix_now, CarPark, XINGHE_CHARGING, XINGHE_PARKING,
};
use integration::{approve, owner_of_new_plate, unique_plate, Api, Reply, Session};
use serde_json::{json, Value};
use shared::api::GatewayEventKind::{self, ChargeEnd, ChargeStart, Entry, Exit};

/// Everything a user sees of the gateway's effects: their orders and their inbox.
fn snapshot(user: &Session) -> (Value, Value) {
    (user.orders(), user.messages())
}

/// Asserts that nothing `user` can see changed since `before`.
#[track_caller]
fn unchanged(user: &Session, before: &(Value, Value)) {
    let now = snapshot(user);
    assert_eq!(now.0, before.0, "the orders changed");
    assert_eq!(now.1, before.1, "the inbox changed");
}

/// `user`'s orders of `plate`, newest first.
fn orders_of(user: &Session, plate: &str) -> Vec<Value> {
    user.orders()["orders"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["plate"] == plate)
        .cloned()
        .collect()
}

/// `user`'s messages about `plate`, newest first.
/// `user`'s messages about the stays of `plate` (entry, exit, payment): not those about the
/// car itself, such as the set-up's 认证已通过.
fn messages_of(user: &Session, plate: &str) -> Vec<Value> {
    user.messages()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["plate"] == plate && m["kind"] != "other")
        .cloned()
        .collect()
}

/// The order id of a 200 answer to `event_id`, or `None` when the answer names no order.
#[track_caller]
fn accepted(reply: &Reply, event_id: &str) -> Option<String> {
    reply.expect(200);
    let body: Value = reply.json();
    assert_eq!(body["event_id"], event_id, "{}", reply.body);
    match &body["order_id"] {
        Value::Null => None,
        Value::String(id) => Some(id.clone()),
        other => panic!("order_id is not a string: {other}"),
    }
}

/// A 200 answer that names an order.
#[track_caller]
fn opened(reply: &Reply, event_id: &str) -> String {
    accepted(reply, event_id).unwrap_or_else(|| panic!("no order_id: {}", reply.body))
}

/// Sends a fresh event of `kind` about `plate`, `ago` minutes ago, and returns the order it names.
#[track_caller]
fn open(
    facility: &CarPark,
    kind: GatewayEventKind,
    plate: &str,
    ago: u64,
    fee: Option<u64>,
) -> String {
    let event = facility.event(kind, plate, minutes_ago(ago), fee);
    opened(&facility.send(&event), &event.event_id)
}

#[test]
fn a_wrong_signature_is_401_and_the_event_can_still_come_correctly() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let park = CarPark::parking(&api);
    let before = snapshot(&owner);
    let event = park.event(Entry, &plate, minutes_ago(0), None);
    let now = unix_now();
    let body = serde_json::to_vec(&event).unwrap();

    // Another facility's key.
    park.deliver(&event)
        .signed_with(XINGHE_CHARGING.secret)
        .send()
        .expect_error(401, "unauthenticated");
    // The right key over another time than the header's.
    park.deliver(&event)
        .at_time(now)
        .signature(&sign(XINGHE_PARKING.secret, &(now - 1).to_string(), &body))
        .send()
        .expect_error(401, "unauthenticated");
    // The right key over another body (the plate changed on the way).
    let mut tampered = event.clone();
    tampered.plate = unique_plate();
    park.deliver(&tampered)
        .at_time(now)
        .signature(&sign(XINGHE_PARKING.secret, &now.to_string(), &body))
        .send()
        .expect_error(401, "unauthenticated");
    // Not a signature at all, or a truncated one.
    let good = sign(XINGHE_PARKING.secret, &now.to_string(), &body);
    for bad in ["nothex", &good[..good.len() - 2], &"0".repeat(64)] {
        park.deliver(&event)
            .at_time(now)
            .signature(bad)
            .send()
            .expect_error(401, "unauthenticated");
    }
    unchanged(&owner, &before);

    // The refusals did not use up the event's id: correctly signed, it is taken.
    let order = opened(&park.send(&event), &event.event_id);
    assert_eq!(orders_of(&owner, &plate).len(), 1);
    assert_eq!(orders_of(&owner, &plate)[0]["id"], order);
}

#[test]
fn a_timestamp_off_by_more_than_300_s_is_401_and_one_within_is_taken() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let park = CarPark::parking(&api);
    let before = snapshot(&owner);
    let event = park.event(Entry, &plate, minutes_ago(0), None);
    for skew in [-301, 302, -3_600, 86_400] {
        // The clock is read right before each send, in whole seconds, and the worker reads its
        // own when the request arrives: a request that crosses a second's boundary on the way
        // shrinks a skew ahead by one. So just ahead of the window is 302 s here, and just
        // behind it 301 s (crossing only widens that one).
        let reply = park.deliver(&event).at_time(unix_now() + skew).send();
        assert_eq!(reply.status, 401, "skew {skew} s: {}", reply.body);
        reply.expect_error(401, "unauthenticated");
    }
    // Milliseconds instead of seconds: far in the future.
    park.deliver(&event)
        .at_time(unix_now() * 1000)
        .send()
        .expect_error(401, "unauthenticated");
    unchanged(&owner, &before);

    // 290 s behind is within the window.
    let order = opened(
        &park.deliver(&event).at_time(unix_now() - 290).send(),
        &event.event_id,
    );
    assert_eq!(orders_of(&owner, &plate)[0]["id"], order);
}

#[test]
fn missing_or_unreadable_headers_are_401() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let park = CarPark::parking(&api);
    let before = snapshot(&owner);
    let event = park.event(Entry, &plate, minutes_ago(0), None);
    let cases = [
        ("no signature", park.deliver(&event).without_signature()),
        ("no timestamp", park.deliver(&event).without_timestamp()),
        (
            "neither",
            park.deliver(&event).without_timestamp().without_signature(),
        ),
        ("empty signature", park.deliver(&event).signature("")),
        ("empty timestamp", park.deliver(&event).timestamp_header("")),
        (
            "timestamp not a number",
            park.deliver(&event).timestamp_header("soon"),
        ),
    ];
    for (name, delivery) in cases {
        let reply = delivery.send();
        assert_eq!(reply.status, 401, "{name}: {}", reply.body);
        reply.expect_error(401, "unauthenticated");
    }
    unchanged(&owner, &before);
}

#[test]
fn an_unknown_facility_is_401() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let before = snapshot(&owner);
    for (facility, secret) in [
        ("fac-nowhere", "dev-secret-xinghe"),
        ("fac-nowhere", "anything"),
        ("", "dev-secret-xinghe"),
    ] {
        let park = CarPark::new(&api, facility, secret);
        let reply = park.entry(&plate);
        assert_eq!(reply.status, 401, "{facility:?}: {}", reply.body);
        reply.expect_error(401, "unauthenticated");
    }
    unchanged(&owner, &before);
}

#[test]
fn a_repeated_event_answers_as_the_first_time_and_counts_once() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let park = CarPark::parking(&api);
    let entry = park.event(Entry, &plate, minutes_ago(30), None);
    let first = park.send(&entry);
    let order = opened(&first, &entry.event_id);
    let first: Value = first.json();

    // Retried later (a fresh timestamp and signature), and by several threads at once.
    assert_eq!(park.send(&entry).json::<Value>(), first);
    let answers: Vec<Reply> = thread::scope(|s| {
        let handles: Vec<_> = (0..6).map(|_| s.spawn(|| park.send(&entry))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for reply in answers {
        reply.expect(200);
        assert_eq!(reply.json::<Value>(), first);
    }
    // The same id with another content changes nothing either: the order stays open.
    let mut reused = park.event(Exit, &plate, minutes_ago(0), Some(900));
    reused.event_id = entry.event_id.clone();
    assert_eq!(park.send(&reused).json::<Value>(), first);
    let orders = orders_of(&owner, &plate);
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0]["id"], order.as_str());
    assert_eq!(orders[0]["duration_minutes"], Value::Null, "still inside");
    let entries = messages_of(&owner, &plate);
    assert_eq!(entries.len(), 1, "one entry message: {entries:?}");

    let exit = park.event(Exit, &plate, minutes_ago(0), Some(1200));
    let closed = park.send(&exit);
    assert_eq!(opened(&closed, &exit.event_id), order);
    let closed: Value = closed.json();
    assert_eq!(park.send(&exit).json::<Value>(), closed);
    // The entry again after the exit: the first answer, and no new order.
    assert_eq!(park.send(&entry).json::<Value>(), first);

    let orders = orders_of(&owner, &plate);
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0]["amount_fen"], 1200);
    assert_eq!(orders[0]["duration_minutes"], 30);
    let kinds: Vec<Value> = messages_of(&owner, &plate)
        .iter()
        .map(|m| m["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        [json!("exit"), json!("entry")],
        "newest first, each once"
    );
}

#[test]
fn a_plate_nobody_added_is_acknowledged_and_nothing_is_kept() {
    let api = Api::from_env();
    let park = CarPark::parking(&api);
    let charger = CarPark::charging(&api);
    let plate = unique_plate();
    for reply_and_id in [
        {
            let e = park.event(Entry, &plate, minutes_ago(90), None);
            (park.send(&e), e.event_id)
        },
        {
            let e = park.event(Exit, &plate, minutes_ago(0), Some(1500));
            (park.send(&e), e.event_id)
        },
        {
            let e = charger.event(ChargeStart, &plate, minutes_ago(0), None);
            (charger.send(&e), e.event_id)
        },
    ] {
        let (reply, id) = reply_and_id;
        assert_eq!(accepted(&reply, &id), None, "no order: {}", reply.body);
    }
    // Whoever certifies the plate afterwards finds no order and no message of that visit.
    let owner = api.new_user();
    owner.add(&plate);
    owner.certify(&plate);
    approve("certification", &plate, &owner);
    assert_eq!(orders_of(&owner, &plate), Vec::<Value>::new());
    assert_eq!(messages_of(&owner, &plate), Vec::<Value>::new());
}

#[test]
fn an_exit_without_an_entry_is_acknowledged_without_an_order() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let before = snapshot(&owner);
    let park = CarPark::parking(&api);
    let exit = park.event(Exit, &plate, minutes_ago(0), Some(800));
    assert_eq!(accepted(&park.send(&exit), &exit.event_id), None);
    let charger = CarPark::charging(&api);
    let end = charger.event(ChargeEnd, &plate, minutes_ago(0), Some(800));
    assert_eq!(accepted(&charger.send(&end), &end.event_id), None);
    unchanged(&owner, &before);

    // A charging station's end does not close a parking stay.
    let order = open(&park, Entry, &plate, 20, None);
    let before = snapshot(&owner);
    let end = charger.event(ChargeEnd, &plate, minutes_ago(0), Some(800));
    assert_eq!(accepted(&charger.send(&end), &end.event_id), None);
    unchanged(&owner, &before);
    assert_eq!(orders_of(&owner, &plate)[0]["id"], order.as_str());
    assert_eq!(
        orders_of(&owner, &plate)[0]["duration_minutes"],
        Value::Null
    );
}

#[test]
fn a_text_that_is_not_a_plate_is_400_invalid_plate() {
    let api = Api::from_env();
    let park = CarPark::parking(&api);
    for text in ["ABC123", "粤A12", "粤A1234567", "粤12345"] {
        let reply = park.entry(text);
        assert_eq!(reply.status, 400, "{text}: {}", reply.body);
        reply.expect_error(400, "invalid_plate");
    }
}

#[test]
fn a_body_that_is_not_an_event_is_400_invalid_request() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let park = CarPark::parking(&api);
    let before = snapshot(&owner);
    let event = park.event(Entry, &plate, minutes_ago(0), None);
    let good = serde_json::to_value(&event).unwrap();
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("not JSON", "entry 粤A12345 now".as_bytes().to_vec()),
        (
            "cut short",
            serde_json::to_vec(&good).unwrap()[..40].to_vec(),
        ),
        ("an array", b"[]".to_vec()),
        ("empty", Vec::new()),
        (
            "an unknown field",
            serde_json::to_vec(&with("lane", json!(3))).unwrap(),
        ),
        ("no plate", serde_json::to_vec(&without("plate")).unwrap()),
        (
            "no event_id",
            serde_json::to_vec(&without("event_id")).unwrap(),
        ),
        ("no kind", serde_json::to_vec(&without("kind")).unwrap()),
        ("no at", serde_json::to_vec(&without("at")).unwrap()),
        (
            "an unknown kind",
            serde_json::to_vec(&with("kind", json!("teleport"))).unwrap(),
        ),
        (
            "at not a time",
            serde_json::to_vec(&with("at", json!("yesterday"))).unwrap(),
        ),
        (
            "plate a number",
            serde_json::to_vec(&with("plate", json!(12345))).unwrap(),
        ),
        ("fee a string", {
            let mut exit = with("kind", json!("exit"));
            exit["fee_fen"] = json!("15");
            serde_json::to_vec(&exit).unwrap()
        }),
        ("fee negative", {
            let mut exit = with("kind", json!("exit"));
            exit["fee_fen"] = json!(-15);
            serde_json::to_vec(&exit).unwrap()
        }),
    ];
    for (name, body) in bodies {
        let reply = park.deliver_raw(body).send();
        assert_eq!(reply.status, 400, "{name}: {}", reply.body);
        reply.expect_error(400, "invalid_request");
    }
    unchanged(&owner, &before);
    // The id of a refused body is still free.
    opened(&park.send(&event), &event.event_id);
}

#[test]
fn events_of_the_wrong_kind_for_the_facility_are_400() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let before = snapshot(&owner);
    let park = CarPark::parking(&api);
    let charger = CarPark::charging(&api);
    let cases = [
        ("entry at a charging station", &charger, Entry, None),
        ("exit at a charging station", &charger, Exit, Some(500)),
        ("charge_start at a car park", &park, ChargeStart, None),
        ("charge_end at a car park", &park, ChargeEnd, Some(500)),
    ];
    for (name, facility, kind, fee) in cases {
        let reply = facility.send(&facility.event(kind, &plate, minutes_ago(0), fee));
        assert_eq!(reply.status, 400, "{name}: {}", reply.body);
        reply.expect_error(400, "invalid_request");
    }
    unchanged(&owner, &before);
}

#[test]
fn a_fee_comes_with_exits_and_charge_ends_only() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let before = snapshot(&owner);
    let park = CarPark::parking(&api);
    let charger = CarPark::charging(&api);
    for (name, facility, kind) in [
        ("entry", &park, Entry),
        ("charge_start", &charger, ChargeStart),
    ] {
        let reply = facility.send(&facility.event(kind, &plate, minutes_ago(0), Some(100)));
        assert_eq!(reply.status, 400, "{name} with a fee: {}", reply.body);
        reply.expect_error(400, "invalid_request");
    }
    unchanged(&owner, &before);

    // Inside, then an exit without its fee (left out, or null): refused; the car is still in.
    let order = open(&park, Entry, &plate, 5, None);
    let before = snapshot(&owner);
    let exit = park.event(Exit, &plate, minutes_ago(0), None);
    park.send(&exit).expect_error(400, "invalid_request");
    let mut null_fee = serde_json::to_value(&exit).unwrap();
    null_fee["fee_fen"] = Value::Null;
    park.deliver_json(&null_fee)
        .send()
        .expect_error(400, "invalid_request");
    unchanged(&owner, &before);
    assert_eq!(
        orders_of(&owner, &plate)[0]["duration_minutes"],
        Value::Null
    );
    // With the fee, the same event id is taken.
    let mut exit = exit;
    exit.fee_fen = Some(300);
    assert_eq!(opened(&park.send(&exit), &exit.event_id), order);

    let charging = open(&charger, ChargeStart, &plate, 5, None);
    let before = snapshot(&owner);
    let end = charger.event(ChargeEnd, &plate, minutes_ago(0), None);
    charger.send(&end).expect_error(400, "invalid_request");
    unchanged(&owner, &before);
    let mut end = end;
    end.fee_fen = Some(700);
    assert_eq!(opened(&charger.send(&end), &end.event_id), charging);
}

#[test]
fn a_fee_above_the_facilitys_cap_is_refused_and_the_stay_stays_open() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let charger = CarPark::charging(&api);
    let park = CarPark::parking(&api);

    // 星河湾充电站 caps one session at ¥500.
    let charging = open(&charger, ChargeStart, &plate, 5, None);
    let before = snapshot(&owner);
    let mut end = charger.event(ChargeEnd, &plate, minutes_ago(0), Some(50_001));
    let reply = charger.send(&end);
    reply.expect_error(400, "invalid_request");
    assert!(reply.body.contains("¥500.00"), "{}", reply.body);
    unchanged(&owner, &before);
    end.fee_fen = Some(50_000);
    assert_eq!(opened(&charger.send(&end), &end.event_id), charging);

    // 星河湾停车场 has the platform's cap, ¥10,000.
    let order = open(&park, Entry, &plate, 5, None);
    let before = snapshot(&owner);
    let mut exit = park.event(Exit, &plate, minutes_ago(0), Some(1_000_001));
    park.send(&exit).expect_error(400, "invalid_request");
    unchanged(&owner, &before);
    exit.fee_fen = Some(1_000_000);
    assert_eq!(opened(&park.send(&exit), &exit.event_id), order);
}

#[test]
fn the_owner_is_told_of_entry_and_of_an_unpaid_exit_with_the_full_name() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let park = CarPark::parking(&api);
    // The stay begins after the owner was approved (the owner sees only their own time in
    // full) and ends 125 minutes later by the car park's clock.
    let entry = park.event(Entry, &plate, minutes_ago(0), None);
    let order = opened(&park.send(&entry), &entry.event_id);

    let messages = messages_of(&owner, &plate);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["kind"], "entry");
    assert_eq!(
        messages[0]["text"],
        format!("车辆{plate}已进入星河湾停车场。")
    );
    assert_eq!(messages[0]["read"], false);
    let orders = orders_of(&owner, &plate);
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0]["id"], order.as_str());
    assert_eq!(orders[0]["facility_name"], "星河湾停车场");
    assert_eq!(orders[0]["facility_kind"], "car_park");
    assert_eq!(orders[0]["duration_minutes"], Value::Null);
    assert_eq!(orders[0]["paid"], false);
    assert!(orders[0]["entered_at"].is_string(), "the owner sees times");

    let exit = park.event(Exit, &plate, minutes_from_now(125), Some(1500));
    assert_eq!(opened(&park.send(&exit), &exit.event_id), order);
    let orders = orders_of(&owner, &plate);
    assert_eq!(orders.len(), 1, "{orders:?}");
    let closed = &orders[0];
    assert_eq!(closed["id"], order.as_str());
    assert_eq!(closed["duration_minutes"], 125);
    assert_eq!(closed["amount_fen"], 1500);
    assert_eq!(closed["paid"], false);
    assert_eq!(closed["payable"], true);
    assert!(closed["exited_at"].is_string(), "the owner sees times");

    let messages = messages_of(&owner, &plate);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[0]["kind"], "exit");
    assert_eq!(
        messages[0]["text"],
        format!("车辆{plate}已离开星河湾停车场，时长2小时5分钟，费用15.00元尚未缴纳。")
    );
    assert!(owner.messages()["unread"].as_u64().unwrap() >= 2);
}

#[test]
fn a_free_exit_closes_the_order_paid_and_tells_nobody() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let park = CarPark::parking(&api);
    let entry = park.event(Entry, &plate, minutes_ago(10), None);
    let order = opened(&park.send(&entry), &entry.event_id);
    let exit = park.event(Exit, &plate, minutes_ago(0), Some(0));
    assert_eq!(opened(&park.send(&exit), &exit.event_id), order);
    let orders = orders_of(&owner, &plate);
    assert_eq!(orders[0]["amount_fen"], 0);
    assert_eq!(orders[0]["paid"], true);
    assert_eq!(orders[0]["payable"], false);
    let kinds: Vec<Value> = messages_of(&owner, &plate)
        .iter()
        .map(|m| m["kind"].clone())
        .collect();
    assert_eq!(kinds, [json!("entry")], "no exit message for a paid stay");
}

#[test]
fn a_charging_session_is_an_order_of_the_charging_station() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let charger = CarPark::charging(&api);
    let start = charger.event(ChargeStart, &plate, minutes_ago(0), None);
    let order = opened(&charger.send(&start), &start.event_id);
    let messages = messages_of(&owner, &plate);
    assert_eq!(messages[0]["kind"], "entry");
    assert_eq!(
        messages[0]["text"],
        format!("车辆{plate}已在星河湾充电站开始充电。")
    );
    let end = charger.event(ChargeEnd, &plate, minutes_from_now(45), Some(2300));
    assert_eq!(opened(&charger.send(&end), &end.event_id), order);
    let orders = orders_of(&owner, &plate);
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0]["facility_name"], "星河湾充电站");
    assert_eq!(orders[0]["facility_kind"], "charging_station");
    assert_eq!(orders[0]["duration_minutes"], 45);
    assert_eq!(orders[0]["amount_fen"], 2300);
    let messages = messages_of(&owner, &plate);
    assert_eq!(messages[0]["kind"], "exit");
    assert_eq!(
        messages[0]["text"],
        format!("车辆{plate}已在星河湾充电站结束充电，时长45分钟，费用23.00元尚未缴纳。")
    );
}

#[test]
fn without_an_owner_nobody_is_told_and_the_name_is_masked() {
    let api = Api::from_env();
    let user = api.new_user();
    let plate = unique_plate();
    assert_eq!(user.add(&plate), "added");
    let park = CarPark::parking(&api);
    let order = open(&park, Entry, &plate, 15, None);
    let exit = park.event(Exit, &plate, minutes_ago(0), Some(600));
    assert_eq!(opened(&park.send(&exit), &exit.event_id), order);
    assert_eq!(messages_of(&user, &plate), Vec::<Value>::new());
    let orders = orders_of(&user, &plate);
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0]["facility_name"], "星河**停车场");
    assert_eq!(
        orders[0]["entered_at"],
        Value::Null,
        "no times but the owner's"
    );
    assert_eq!(orders[0]["amount_fen"], 600);
    assert_eq!(
        orders[0]["payable"], true,
        "anyone may pay for a car without owner"
    );
}

#[test]
fn an_owner_who_turned_notifications_off_is_not_told() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    owner
        .put(
            &format!("/api/vehicles/{plate}/privacy"),
            json!({ "protect": false, "notify": false }),
        )
        .expect(204);
    let park = CarPark::parking(&api);
    let order = open(&park, Entry, &plate, 15, None);
    let exit = park.event(Exit, &plate, minutes_ago(0), Some(600));
    assert_eq!(opened(&park.send(&exit), &exit.event_id), order);
    assert_eq!(messages_of(&owner, &plate), Vec::<Value>::new());
    assert_eq!(orders_of(&owner, &plate).len(), 1);
}
