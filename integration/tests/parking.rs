//! SPEC §6–§8 through the API, driven by a signed car park: who is told what (§7), who sees
//! what of an order (§6), 代缴费, vehicle coupons, 无感支付 and the sandbox wallet.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use std::thread;

use integration::gateway::{CarPark, XINGHE_CHARGING, XINGHE_PARKING};
use integration::{approve, operator, owner_of_new_plate, unique_plate, Api, Session};
use serde_json::{json, Value};

/// A certified owner, and a family member the owner authorized, of a new plate.
struct Family {
    api: Api,
    plate: String,
    owner: Session,
    family: Session,
}

fn family() -> Family {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let family = api.new_user();
    assert_eq!(family.add(&plate), "awaiting_authorization");
    owner
        .post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/approve",
            family.user_id
        ))
        .expect(204);
    // The set-up told the owner of its own steps (certified, a request): read, so each test
    // counts only what it causes.
    owner.read_all_messages();
    Family {
        api,
        plate,
        owner,
        family,
    }
}

/// The car stays and leaves owing `fee_fen`; the order id.
#[track_caller]
fn park(api: &Api, plate: &str, fee_fen: u64) -> String {
    let car_park = CarPark::parking(api);
    let entry: Value = car_park.entry(plate).expect(200).json();
    let exit: Value = car_park.exit(plate, fee_fen).expect(200).json();
    assert_eq!(
        entry["order_id"], exit["order_id"],
        "the exit closes the stay"
    );
    exit["order_id"].as_str().unwrap().to_owned()
}

fn texts(user: &Session, kind: &str) -> Vec<String> {
    user.messages()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == kind)
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect()
}

fn top_up(user: &Session, fen: u64) {
    user.post("/api/wallet/top-up", json!({ "amount_fen": fen }))
        .expect(200);
}

fn balance(user: &Session) -> u64 {
    let reply = user.get("/api/wallet");
    reply.expect(200);
    reply.json::<Value>()["balance_fen"].as_u64().unwrap()
}

fn pay(user: &Session, order: &str, source: &str) -> integration::Reply {
    user.post(
        &format!("/api/orders/{order}/pay"),
        json!({ "source": source }),
    )
}

fn set_privacy(owner: &Session, plate: &str, protect: bool, notify: bool) {
    owner
        .put(
            &format!("/api/vehicles/{plate}/privacy"),
            json!({ "protect": protect, "notify": notify }),
        )
        .expect(204);
}

fn set_autopay(owner: &Session, plate: &str, sources: &[&str]) {
    owner
        .put(
            &format!("/api/vehicles/{plate}/autopay"),
            json!({ "enabled": true, "sources": sources }),
        )
        .expect(204);
}

fn issue_coupon(plate: &str, title: &str, value_fen: u64) -> Value {
    let reply = operator().post(
        "/api/ops/coupons",
        json!({ "plate": plate, "title": title, "value_fen": value_fen,
                "expires_at": "2099-01-01T00:00:00.000Z" }),
    );
    reply.expect(201);
    reply.json()
}

/// No text of SPEC §7's template shows a time of day.
#[track_caller]
fn no_clock_time(text: &str) {
    let has_time = text
        .as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    assert!(!has_time, "a message shows a time of day: {text}");
}

// ---- SPEC §7: notifications, row by row --------------------------------------------------

#[test]
fn entry_and_unpaid_exit_go_to_the_owner_only_with_the_full_name() {
    let f = family();
    park(&f.api, &f.plate, 1500);
    let entry = texts(&f.owner, "entry");
    assert_eq!(entry, [format!("车辆{}已进入星河湾停车场。", f.plate)]);
    let exit = texts(&f.owner, "exit");
    assert_eq!(exit.len(), 1);
    assert!(exit[0].contains(&f.plate) && exit[0].contains("星河湾停车场"));
    assert!(exit[0].contains("时长") && exit[0].contains("尚未缴纳"));
    no_clock_time(&entry[0]);
    no_clock_time(&exit[0]);
    assert!(
        f.family.messages()["messages"]
            .as_array()
            .unwrap()
            .is_empty(),
        "an authorized user is told nothing of entries and exits"
    );
    assert_eq!(f.owner.messages()["unread"], 2);
}

#[test]
fn a_paid_exit_tells_nobody() {
    let f = family();
    park(&f.api, &f.plate, 0); // a free stay (or paid at the car park's machine)
    assert_eq!(texts(&f.owner, "entry").len(), 1);
    assert!(texts(&f.owner, "exit").is_empty());
}

#[test]
fn without_an_owner_nobody_hears_of_entries_and_the_latest_payer_gets_other_notices() {
    let api = Api::from_env();
    let plate = unique_plate();
    let driver = api.new_user();
    driver.add(&plate);
    let order = park(&api, &plate, 800);
    assert!(texts(&driver, "entry").is_empty() && texts(&driver, "exit").is_empty());

    // Anyone may pay for a plate without an owner, and gets the receipt (masked name).
    let stranger = api.new_user();
    top_up(&stranger, 1000);
    pay(&stranger, &order, "wallet").expect(200);
    let receipt = texts(&stranger, "payment");
    assert_eq!(receipt.len(), 1);
    assert!(receipt[0].contains("星河**停车场") && receipt[0].contains("8.00元"));
    no_clock_time(&receipt[0]);

    issue_coupon(&plate, "停车1小时免费券", 500);
    let other = texts(&stranger, "other");
    assert_eq!(other.len(), 1, "the latest payer hears of the coupon");
    assert!(other[0].contains("停车1小时免费券"));
    assert!(texts(&driver, "other").is_empty());
}

#[test]
fn the_owners_switch_silences_the_owner_but_not_a_payers_receipt() {
    let f = family();
    set_privacy(&f.owner, &f.plate, false, false);
    let order = park(&f.api, &f.plate, 600);
    issue_coupon(&f.plate, "洗车券", 100);
    assert_eq!(f.owner.messages()["unread"], 0, "the owner is told nothing");

    top_up(&f.owner, 600);
    pay(&f.owner, &order, "wallet").expect(200);
    let receipt = texts(&f.owner, "payment");
    assert_eq!(receipt.len(), 1, "a payment receipt goes to the payer");
    assert!(
        receipt[0].contains("星河湾停车场"),
        "the owner sees the full name"
    );
}

#[test]
fn the_owner_gets_coupon_notices_and_marking_read_clears_the_badge() {
    let f = family();
    issue_coupon(&f.plate, "停车2小时免费券", 1000);
    let inbox = f.owner.messages();
    assert_eq!(inbox["unread"], 1);
    let id = inbox["messages"][0]["id"].as_str().unwrap().to_owned();
    assert!(f.family.messages()["messages"]
        .as_array()
        .unwrap()
        .is_empty());

    // Another user's ids change nothing.
    f.family
        .post("/api/messages/read", json!({ "ids": [id] }))
        .expect(204);
    assert_eq!(f.owner.messages()["unread"], 1);
    f.owner
        .post("/api/messages/read", json!({ "ids": [id] }))
        .expect(204);
    let inbox = f.owner.messages();
    assert_eq!(inbox["unread"], 0);
    assert_eq!(inbox["messages"][0]["read"], true);
}

#[test]
fn charging_sessions_are_orders_with_their_own_wording() {
    let f = family();
    let station = CarPark::charging(&f.api);
    let start: Value = station.charge_start(&f.plate).expect(200).json();
    let end: Value = station.charge_end(&f.plate, 2300).expect(200).json();
    assert_eq!(start["order_id"], end["order_id"]);
    assert_eq!(
        texts(&f.owner, "entry"),
        [format!(
            "车辆{}已在{}开始充电。",
            f.plate, XINGHE_CHARGING.name
        )]
    );
    let order = f.owner.order(end["order_id"].as_str().unwrap()).unwrap();
    assert_eq!(order["facility_kind"], "charging_station");
    assert_eq!(order["amount_fen"], 2300);
}

// ---- SPEC §6: who sees what of an order ---------------------------------------------------

#[test]
fn each_viewer_sees_what_spec_6_allows() {
    let f = family();
    let order_id = park(&f.api, &f.plate, 1500);

    let mine = f.owner.order(&order_id).unwrap();
    assert_eq!(mine["facility_name"], XINGHE_PARKING.name);
    assert!(mine["entered_at"].is_string() && mine["exited_at"].is_string());
    assert_eq!(mine["amount_fen"], 1500);
    assert_eq!(mine["payable"], true);

    let theirs = f.family.order(&order_id).unwrap();
    assert_eq!(theirs["facility_name"], XINGHE_PARKING.masked_name);
    assert!(theirs["entered_at"].is_null() && theirs["exited_at"].is_null());
    assert_eq!(theirs["amount_fen"], 1500);
    assert!(theirs["duration_minutes"].is_u64());

    let stranger = f.api.new_user();
    assert!(stranger.order(&order_id).is_none());

    // Privacy on: the authorized user no longer sees the car's orders at all.
    set_privacy(&f.owner, &f.plate, true, true);
    assert!(f.family.order(&order_id).is_none());
    assert_eq!(
        f.owner.order(&order_id).unwrap()["facility_name"],
        XINGHE_PARKING.name
    );
}

#[test]
fn the_payer_sees_that_order_only_and_without_the_place_under_privacy() {
    let f = family();
    let first = park(&f.api, &f.plate, 500);
    let payer = f.api.new_user();
    top_up(&payer, 500);
    pay(&payer, &first, "wallet").expect(200);
    let second = park(&f.api, &f.plate, 700);

    let seen = payer.order(&first).unwrap();
    assert_eq!(seen["facility_name"], XINGHE_PARKING.masked_name);
    assert!(seen["entered_at"].is_null());
    assert_eq!(seen["paid"], true);
    assert!(
        payer.order(&second).is_none(),
        "paying once shows that order only"
    );

    set_privacy(&f.owner, &f.plate, true, true);
    let seen = payer.order(&first).unwrap();
    assert!(seen["facility_name"].is_null(), "privacy hides the place");
    assert_eq!(seen["amount_fen"], 500);
    // The owner sees who paid with what; nobody else sees deductions.
    assert_eq!(
        f.owner.order(&first).unwrap()["deductions"][0]["source"],
        "wallet"
    );
    assert!(seen.get("deductions").is_none());
}

// ---- 代缴费 -------------------------------------------------------------------------------

#[test]
fn privacy_refuses_pay_for_by_strangers_but_not_by_the_family() {
    let f = family();
    set_privacy(&f.owner, &f.plate, true, true);
    let order_id = park(&f.api, &f.plate, 900);

    let stranger = f.api.new_user();
    top_up(&stranger, 5000);
    pay(&stranger, &order_id, "wallet").expect_error(403, "forbidden");
    stranger
        .get(&format!("/api/orders?plate={}", f.plate))
        .expect_error(403, "forbidden");
    assert_eq!(balance(&stranger), 5000, "a refused payment takes nothing");

    // The authorized user finds it by plate and pays; the payer is recorded.
    let due: Value = f
        .family
        .get(&format!("/api/orders?plate={}", f.plate))
        .json();
    assert_eq!(due["orders"][0]["id"], order_id.as_str());
    assert!(due["orders"][0]["facility_name"].is_null());
    top_up(&f.family, 900);
    let paid: Value = pay(&f.family, &order_id, "wallet").expect(200).json();
    assert_eq!(paid["paid_fen"], 900);
    assert_eq!(balance(&f.family), 0);
    assert_eq!(texts(&f.family, "payment").len(), 1);
    pay(&f.owner, &order_id, "wallet").expect_error(409, "conflict");
}

#[test]
fn a_stranger_may_pay_for_a_car_without_privacy_after_finding_it_by_plate() {
    let f = family();
    let order_id = park(&f.api, &f.plate, 1200);
    let stranger = f.api.new_user();
    let due: Value = stranger
        .get(&format!("/api/orders?plate={}", f.plate))
        .json();
    assert_eq!(
        due["orders"][0]["facility_name"],
        XINGHE_PARKING.masked_name
    );
    assert_eq!(due["orders"][0]["payable"], true);
    pay(&stranger, &order_id, "wallet").expect_error(409, "insufficient_funds");
    pay(&stranger, &order_id, "coupon").expect_error(403, "forbidden");
    top_up(&stranger, 1200);
    pay(&stranger, &order_id, "wallet").expect(200);
    assert_eq!(f.owner.order(&order_id).unwrap()["paid"], true);
}

#[test]
fn two_payers_racing_on_one_order_pay_it_once() {
    let f = family();
    let order_id = park(&f.api, &f.plate, 1000);
    top_up(&f.owner, 1000);
    top_up(&f.family, 1000);
    let statuses: Vec<u16> = thread::scope(|s| {
        let a = s.spawn(|| pay(&f.owner, &order_id, "wallet").status);
        let b = s.spawn(|| pay(&f.family, &order_id, "wallet").status);
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(statuses.contains(&409), "{statuses:?}");
    assert_eq!(balance(&f.owner) + balance(&f.family), 1000);
}

// ---- SPEC §8: coupons and 无感支付 ---------------------------------------------------------

#[test]
fn coupons_are_seen_by_live_relations_prompted_to_the_owner_and_used_once() {
    let f = family();
    let coupon = issue_coupon(&f.plate, "停车2小时免费券", 1000);
    let list = |user: &Session| -> Vec<Value> {
        let reply = user.get("/api/coupons");
        reply.expect(200);
        reply.json::<Value>()["coupons"].as_array().unwrap().clone()
    };
    let owners = list(&f.owner);
    assert_eq!(owners.len(), 1);
    assert_eq!(owners[0]["id"], coupon["id"]);
    assert_eq!(owners[0]["claim_prompt"], true);
    let family_view = list(&f.family);
    assert_eq!(family_view.len(), 1);
    assert_eq!(family_view[0]["claim_prompt"], false);
    assert!(list(&f.api.new_user()).is_empty());

    let first = park(&f.api, &f.plate, 600);
    let paid: Value = pay(&f.family, &first, "coupon").expect(200).json();
    assert_eq!(paid["deductions"][0]["source"], "coupon");
    assert_eq!(paid["deductions"][0]["amount_fen"], 600);
    assert_eq!(list(&f.owner)[0]["used"], true);

    // The coupon is gone: the next stay needs the wallet.
    let second = park(&f.api, &f.plate, 600);
    pay(&f.family, &second, "coupon").expect_error(409, "insufficient_funds");
    top_up(&f.family, 600);
    let paid: Value = pay(&f.family, &second, "coupon").expect(200).json();
    assert_eq!(
        paid["deductions"],
        json!([{ "source": "wallet", "coupon": null, "amount_fen": 600 }])
    );
}

#[test]
fn autopay_takes_a_coupon_first_then_the_wallet_and_only_the_owner_sees_the_stay() {
    let f = family();
    issue_coupon(&f.plate, "五元券", 500);
    top_up(&f.owner, 1000);
    set_autopay(&f.owner, &f.plate, &["coupon", "wallet"]);
    let order_id = park(&f.api, &f.plate, 1200);

    let mine = f.owner.order(&order_id).unwrap();
    assert_eq!(mine["paid"], true);
    assert_eq!(mine["automatic"], true);
    let sources: Vec<&str> = mine["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["coupon", "wallet"]);
    assert_eq!(balance(&f.owner), 300);
    assert!(
        texts(&f.owner, "exit").is_empty(),
        "a paid exit tells nobody"
    );
    assert_eq!(texts(&f.owner, "payment").len(), 1);

    // 抵扣订单仅认证车主可见: the family does not see the stay at all, not even masked.
    assert_eq!(f.family.order(&order_id), None);
    // A stay paid by hand is still theirs to see, masked.
    let by_hand = park(&f.api, &f.plate, 0);
    assert!(f.family.order(&by_hand).is_some());
}

#[test]
fn autopay_follows_the_owners_order_of_sources() {
    let f = family();
    issue_coupon(&f.plate, "五元券", 500);
    top_up(&f.owner, 2000);
    set_autopay(&f.owner, &f.plate, &["wallet", "coupon"]);
    let order_id = park(&f.api, &f.plate, 1200);
    let mine = f.owner.order(&order_id).unwrap();
    assert_eq!(
        mine["deductions"],
        json!([{ "source": "wallet", "coupon": null, "amount_fen": 1200 }])
    );
    assert_eq!(balance(&f.owner), 800);
}

#[test]
fn a_failed_deduction_takes_nothing_and_leaves_the_order_due_with_a_notice() {
    let f = family();
    issue_coupon(&f.plate, "五元券", 500);
    top_up(&f.owner, 100);
    set_autopay(&f.owner, &f.plate, &["coupon", "wallet"]);
    let order_id = park(&f.api, &f.plate, 1200);

    let mine = f.owner.order(&order_id).unwrap();
    assert_eq!(mine["paid"], false);
    assert_eq!(mine["payable"], true);
    assert_eq!(balance(&f.owner), 100, "money never goes negative");
    let coupons: Value = f.owner.get("/api/coupons").json();
    assert_eq!(coupons["coupons"][0]["used"], false, "the coupon is back");
    assert_eq!(texts(&f.owner, "exit").len(), 1);
    assert!(texts(&f.owner, "other")
        .iter()
        .any(|t| t.contains("无感支付扣费失败")));
}

#[test]
fn a_fee_above_the_owners_limit_is_not_deducted_and_the_owner_is_told() {
    let f = family();
    top_up(&f.owner, 50_000);
    f.owner
        .put(
            &format!("/api/vehicles/{}/autopay", f.plate),
            json!({ "enabled": true, "sources": ["wallet"], "limit_fen": 1_000 }),
        )
        .expect(204);
    let card = f.owner.vehicles()["vehicles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["plate"] == f.plate.as_str())
        .cloned()
        .unwrap();
    assert_eq!(card["autopay"]["limit_fen"], 1_000, "the limit is shown");

    let order_id = park(&f.api, &f.plate, 1_500);
    let mine = f.owner.order(&order_id).unwrap();
    assert_eq!(mine["paid"], false);
    assert_eq!(mine["payable"], true, "the owner pays it by hand");
    assert_eq!(balance(&f.owner), 50_000, "nothing was taken");
    assert_eq!(texts(&f.owner, "exit").len(), 1);
    assert!(
        texts(&f.owner, "other")
            .iter()
            .any(|t| t.contains("超过无感支付单笔扣费上限10.00元")),
        "{:?}",
        texts(&f.owner, "other")
    );

    // Under the limit, the next stay is deducted.
    let order_id = park(&f.api, &f.plate, 800);
    assert_eq!(f.owner.order(&order_id).unwrap()["paid"], true);
    assert_eq!(balance(&f.owner), 49_200);

    // A limit of nothing, or above ¥5,000, is refused and changes nothing.
    for limit in [0, 500_001] {
        f.owner
            .put(
                &format!("/api/vehicles/{}/autopay", f.plate),
                json!({ "enabled": true, "sources": ["wallet"], "limit_fen": limit }),
            )
            .expect_error(400, "invalid_request");
    }
}

#[test]
fn a_new_owner_starts_with_autopay_off() {
    let f = family();
    top_up(&f.owner, 5000);
    set_autopay(&f.owner, &f.plate, &["wallet"]);

    let claimant = f.api.new_user();
    let photo = claimant.upload_photo();
    claimant
        .post(
            &format!("/api/vehicles/{}/appeal", f.plate),
            json!({ "reason": "我是车主", "evidence": [photo] }),
        )
        .expect(202);
    approve("appeal", &f.plate, &claimant);

    let card = claimant.vehicles()["vehicles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["plate"] == f.plate.as_str())
        .cloned()
        .unwrap();
    assert_eq!(card["state"], "certified");
    assert_eq!(card["autopay"]["enabled"], false);

    let order_id = park(&f.api, &f.plate, 700);
    assert_eq!(
        balance(&f.owner),
        5000,
        "the old owner's wallet is not charged"
    );
    assert_eq!(claimant.order(&order_id).unwrap()["paid"], false);
    assert_eq!(texts(&claimant, "exit").len(), 1);
}

#[test]
fn top_ups_are_bounded_and_bad_payments_change_nothing() {
    let user = Api::from_env().new_user();
    user.post("/api/wallet/top-up", json!({ "amount_fen": 0 }))
        .expect_error(400, "invalid_request");
    user.post("/api/wallet/top-up", json!({ "amount_fen": 500_001 }))
        .expect_error(400, "invalid_request");
    user.post("/api/wallet/top-up", json!({ "amount_fen": -5 }))
        .expect_error(400, "invalid_request");
    assert_eq!(balance(&user), 0);
    pay(&user, "not-an-order", "wallet").expect_error(404, "not_found");
    pay(&user, &format!("{}-1", unique_plate()), "cash").expect_error(400, "invalid_request");
    operator()
        .post(
            "/api/ops/coupons",
            json!({ "plate": unique_plate(), "title": "券", "value_fen": 100,
                    "expires_at": "2099-01-01T00:00:00.000Z" }),
        )
        .expect_error(404, "not_found");
    user.post(
        "/api/ops/coupons",
        json!({ "plate": unique_plate(), "title": "券", "value_fen": 100,
                "expires_at": "2099-01-01T00:00:00.000Z" }),
    )
    .expect_error(403, "forbidden");
}

#[test]
fn a_replayed_exit_never_closes_a_later_stay() {
    let f = family();
    let car_park = CarPark::parking(&f.api);
    // An exit with no entry seen (the car was inside before it was added)…
    let early_exit = car_park.event(
        shared::api::GatewayEventKind::Exit,
        &f.plate,
        integration::gateway::minutes_ago(30),
        Some(900),
    );
    let first: Value = car_park.send(&early_exit).expect(200).json();
    assert!(first["order_id"].is_null());
    // …then the car comes back, and the car park retries that old exit.
    let entry: Value = car_park.entry(&f.plate).expect(200).json();
    let replay: Value = car_park.send(&early_exit).expect(200).json();
    assert_eq!(replay, first, "a replay answers as the first time");
    let stay = f.owner.order(entry["order_id"].as_str().unwrap()).unwrap();
    assert!(stay["exited_at"].is_null(), "the new stay is still open");
}

#[test]
fn the_operator_sees_who_issued_each_coupon_and_who_paid_each_order() {
    let f = family();
    issue_coupon(&f.plate, "十元券", 1000);
    let order_id = park(&f.api, &f.plate, 600);
    pay(&f.family, &order_id, "coupon").expect(200);

    let reply = operator().get(&format!("/api/ops/vehicles/{}", f.plate));
    reply.expect(200);
    let view: Value = reply.json();
    let order = &view["orders"][0];
    assert_eq!(order["id"], order_id.as_str());
    assert_eq!(order["facility"]["name"], XINGHE_PARKING.name);
    assert_eq!(order["payment"]["status"], "paid");
    assert_eq!(order["payment"]["payer"], f.family.user_id.as_str());
    assert!(order["payment"]["at"].is_string());
    let coupon = &view["coupons"][0];
    assert_eq!(coupon["title"], "十元券");
    assert_eq!(coupon["used"], true);
    assert_eq!(coupon["issued_by"], operator().user_id.as_str());
    assert!(coupon["issued_at"].is_string());
}
