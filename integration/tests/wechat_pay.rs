//! WeChat Pay against the providers' stand-in, which checks our signatures with the merchant's
//! public key, signs its answers and notifications with its own key and encrypts notification
//! resources with the APIv3 key, as WeChat Pay does: 微信支付 by hand (JSAPI) and 无感支付 through
//! 微信支付分停车.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use std::time::Duration;

use integration::gateway::CarPark;
use integration::wechat::{new_wechat_user, standin};
use integration::{approve, operator, unique_phone, unique_plate, Api, Session};
use serde_json::{json, Value};

/// A WeChat user (an openid) who added a new plate that then left a car park owing `fee_fen`;
/// the user, the plate and the order.
fn driver_owing(api: &Api, fee_fen: u64) -> (Session, String, String) {
    let (driver, _) = new_wechat_user(api, &format!("payer-{}", unique_phone()));
    let plate = unique_plate();
    driver.add(&plate);
    let car_park = CarPark::parking(api);
    car_park.entry(&plate).expect(200);
    car_park.exit(&plate, fee_fen).expect(200);
    let order = driver.orders()["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (driver, plate, order)
}

/// The operator gives `plate` a ¥5 vehicle coupon.
fn five_yuan_coupon(plate: &str) {
    let coupon = operator().post(
        "/api/ops/coupons",
        json!({ "plate": plate, "title": "五元券", "value_fen": 500,
                "expires_at": "2099-01-01T00:00:00.000Z" }),
    );
    assert_eq!(coupon.status, 201, "{}", coupon.body);
}

fn pay_by_wechat(user: &Session, order: &str) -> Value {
    let reply = user.post(
        &format!("/api/orders/{order}/pay"),
        json!({ "source": "wechat" }),
    );
    reply.expect(200);
    reply.json()
}

/// A driver who chose 微信支付 for an order owing `fee_fen` and got the pay sheet: the
/// driver, the order and the stand-in's number of its WeChat Pay order.
fn opened(fee_fen: u64) -> (Session, String, String) {
    let (driver, _, order) = driver_owing(&Api::from_env(), fee_fen);
    let sheet = pay_by_wechat(&driver, &order)["wechat_pay"].clone();
    let no = out_trade_no_of(&order, &sheet);
    (driver, order, no)
}

/// The stand-in's `out_trade_no` of the pay sheet's order (what the notification names).
fn out_trade_no_of(order: &str, sheet: &Value) -> String {
    let prepay = sheet["package"]
        .as_str()
        .unwrap()
        .trim_start_matches("prepay_id=");
    standin()
        .pay_order_by_prepay(prepay)
        .unwrap_or_else(|| panic!("no stand-in order for {order}"))["out_trade_no"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn paid(user: &Session, order: &str) -> bool {
    user.order(order).is_some_and(|o| o["paid"] == true)
}

fn wait_until(mut done: impl FnMut() -> bool, secs: u64) -> bool {
    for _ in 0..secs * 10 {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    done()
}

fn receipts(user: &Session) -> usize {
    user.messages()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "payment")
        .count()
}

#[test]
fn paying_in_the_sheet_pays_the_order_when_wechat_pay_says_so() {
    let api = Api::from_env();
    let (driver, plate, order) = driver_owing(&api, 1500);
    // A vehicle coupon comes first; WeChat is asked for the rest.
    five_yuan_coupon(&plate);
    let answer = pay_by_wechat(&driver, &order);
    let sheet = &answer["wechat_pay"];
    assert_eq!(sheet["signType"], "RSA");
    assert!(!paid(&driver, &order), "not paid on the browser's word");
    let no = out_trade_no_of(&order, sheet);
    assert_eq!(standin().pay_order(&no).unwrap()["total"], 1000);

    let result = standin().pay_sheet(sheet);
    assert_eq!(result["err_msg"], "get_brand_wcpay_request:ok", "{result}");
    assert!(paid(&driver, &order));
    assert_eq!(receipts(&driver), 1);
    let sources: Vec<String> = driver.order(&order).unwrap()["deductions"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|s| s["source"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    // The driver is no owner here: no deductions shown, but the coupon is spent.
    assert!(
        sources.is_empty() || sources == ["coupon", "wechat"],
        "{sources:?}"
    );
    let coupons: Value = driver.get("/api/coupons").json();
    assert!(coupons.to_string().contains("\"used\":true"), "{coupons}");
}

#[test]
fn a_repeated_notification_changes_nothing() {
    let (driver, order, no) = opened(800);
    standin().pay_confirm(&no, "twice");
    assert!(paid(&driver, &order));
    let deliveries = standin().pay_deliveries(&no);
    assert_eq!(deliveries.len(), 2, "{deliveries:?}");
    assert!(
        deliveries.iter().all(|d| d["status"] == 204),
        "{deliveries:?}"
    );
    assert_eq!(receipts(&driver), 1);
}

#[test]
fn forged_notifications_are_refused_and_change_nothing() {
    let (driver, order, no) = opened(900);
    for kind in [
        "bad_signature",
        "wrong_serial",
        "stale_timestamp",
        "tampered_ciphertext",
    ] {
        let status = standin().pay_forged(&no, kind);
        assert!((400..500).contains(&status), "{kind}: {status}");
        assert!(!paid(&driver, &order), "{kind} paid the order");
    }
    standin().pay_confirm(&no, "once");
    assert!(paid(&driver, &order));
}

#[test]
fn a_lost_notification_is_settled_by_asking_wechat_pay() {
    let (driver, order, no) = opened(700);
    standin().pay_confirm(&no, "none");
    assert!(!paid(&driver, &order));
    // The plate object asks WeChat Pay about an unsettled try 5 s after it began.
    assert!(
        wait_until(|| paid(&driver, &order), 15),
        "settled by the query"
    );
    assert_eq!(receipts(&driver), 1);
}

#[test]
fn an_unpaid_try_is_closed_when_its_window_ends_and_the_order_is_due_again() {
    let (driver, order, no) = opened(600);
    // While the try is open, another try is refused.
    let again = driver.post(
        &format!("/api/orders/{order}/pay"),
        json!({ "source": "wechat" }),
    );
    again.expect_error(409, "conflict");
    // The test server's window is 8 s (10 minutes when deployed).
    let closed = wait_until(
        || {
            standin()
                .pay_order(&no)
                .is_some_and(|o| o["trade_state"] == "CLOSED")
        },
        25,
    );
    assert!(closed, "{:?}", standin().pay_order(&no));
    assert!(wait_until(
        || driver.order(&order).is_some_and(|o| o["payable"] == true),
        5
    ));
    let retry = pay_by_wechat(&driver, &order)["wechat_pay"].clone();
    assert_eq!(
        standin().pay_sheet(&retry)["err_msg"],
        "get_brand_wcpay_request:ok"
    );
    assert!(paid(&driver, &order));
}

#[test]
fn closing_the_sheet_frees_the_order_at_once() {
    let (driver, order, no) = opened(500);
    driver
        .post_empty(&format!("/api/orders/{order}/pay/cancel"))
        .expect(204);
    assert_eq!(standin().pay_order(&no).unwrap()["trade_state"], "CLOSED");
    assert_eq!(driver.order(&order).unwrap()["payable"], true);
}

#[test]
fn a_success_for_a_try_no_longer_waited_for_is_refunded() {
    let (driver, order, no) = opened(650);
    driver
        .post_empty(&format!("/api/orders/{order}/pay/cancel"))
        .expect(204);
    // The payer's payment raced the close and went through after all.
    let late = standin().pay_late(&no);
    assert_eq!(late["status"], 204, "{late}");
    let refunded = wait_until(
        || {
            standin()
                .pay_order(&no)
                .is_some_and(|o| o["refunds"].as_array().is_some_and(|r| !r.is_empty()))
        },
        5,
    );
    assert!(refunded, "{:?}", standin().pay_order(&no));
    let refund = &standin().pay_order(&no).unwrap()["refunds"][0];
    assert_eq!(refund["refund"], 650);
    // The order stays due: nobody's money is kept for it.
    assert_eq!(driver.order(&order).unwrap()["paid"], false);
    assert_eq!(receipts(&driver), 0);
}

#[test]
fn paying_by_wechat_needs_a_wechat_sign_in() {
    let api = Api::from_env();
    let phone_only = api.new_user();
    let plate = unique_plate();
    phone_only.add(&plate);
    let car_park = CarPark::parking(&api);
    car_park.entry(&plate).expect(200);
    car_park.exit(&plate, 300).expect(200);
    let order = phone_only.orders()["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = phone_only.post(
        &format!("/api/orders/{order}/pay"),
        json!({ "source": "wechat" }),
    );
    refused.expect_error(409, "conflict");
    assert!(refused.body.contains("微信登录"), "{}", refused.body);
    assert_eq!(phone_only.order(&order).unwrap()["payable"], true);
}

/// A WeChat user who owns a new plate with 无感支付 through coupons then 支付分停车; the owner,
/// the plate and the openid.
fn parking_owner(api: &Api) -> (Session, String, String) {
    let (owner, openid) = new_wechat_user(api, &format!("parking-{}", unique_phone()));
    let plate = unique_plate();
    owner.add(&plate);
    owner.certify(&plate);
    approve("certification", &plate, &owner);
    owner
        .put(
            &format!("/api/vehicles/{plate}/autopay"),
            json!({ "enabled": true, "sources": ["coupon", "wechat_parking"] }),
        )
        .expect(204);
    (owner, plate, openid)
}

fn service(owner: &Session, plate: &str) -> Value {
    let reply = owner.get(&format!("/api/vehicles/{plate}/wechat-parking"));
    reply.expect(200);
    reply.json()
}

#[test]
fn the_owner_sees_the_plates_service_and_turns_it_on() {
    let api = Api::from_env();
    let (owner, plate, openid) = parking_owner(&api);
    let off = service(&owner, &plate);
    assert_eq!(off["state"], "out_service");
    assert_eq!(off["plate_color"], "BLUE");
    let path = off["enable"]["path"].as_str().unwrap();
    assert!(
        path.contains(&openid) && path.contains("trade_scene=PARKING"),
        "{path}"
    );
    // 开通 happens on WeChat's own page; back from it, the page asks again.
    standin().set_parking_service(&openid, &plate, "BLUE", "NORMAL");
    let on = service(&owner, &plate);
    assert_eq!(on["state"], "normal");
    assert_eq!(on.get("enable"), None);
    // Nobody but the owner may ask.
    let stranger = api.new_user();
    stranger
        .get(&format!("/api/vehicles/{plate}/wechat-parking"))
        .expect_error(403, "forbidden");
}

#[test]
fn a_stay_registered_at_entry_is_deducted_after_the_exit_coupons_first() {
    let api = Api::from_env();
    let (owner, plate, openid) = parking_owner(&api);
    standin().set_parking_service(&openid, &plate, "BLUE", "NORMAL");
    five_yuan_coupon(&plate);
    let car_park = CarPark::parking(&api);
    car_park.entry(&plate).expect(200);
    car_park.exit(&plate, 1500).expect(200);
    let order = owner.orders()["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        wait_until(|| paid(&owner, &order), 10),
        "{:?}",
        owner.order(&order)
    );
    let view = owner.order(&order).unwrap();
    assert_eq!(view["automatic"], true);
    let steps: Vec<(String, u64)> = view["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["source"].as_str().unwrap().to_owned(),
                d["amount_fen"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("coupon".to_owned(), 500),
            ("wechat_parking".to_owned(), 1000)
        ]
    );
}

#[test]
fn a_failed_deduction_leaves_the_fee_due_and_tells_the_owner() {
    let api = Api::from_env();
    let (owner, plate, openid) = parking_owner(&api);
    standin().set_parking_service(&openid, &plate, "BLUE", "NORMAL");
    standin().fail_deduction(&plate);
    let car_park = CarPark::parking(&api);
    car_park.entry(&plate).expect(200);
    car_park.exit(&plate, 1200).expect(200);
    let order = owner.orders()["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let told = || {
        owner.messages()["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| {
                m["text"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("无感支付扣费失败")
            })
    };
    assert!(wait_until(told, 10), "{}", owner.messages());
    let view = owner.order(&order).unwrap();
    assert_eq!(view["paid"], false);
    assert_eq!(view["payable"], true);
}

#[test]
fn a_plate_without_the_service_is_paid_by_hand_and_the_owner_is_told_why() {
    let api = Api::from_env();
    let (owner, plate, _) = parking_owner(&api);
    let car_park = CarPark::parking(&api);
    car_park.entry(&plate).expect(200);
    car_park.exit(&plate, 1200).expect(200);
    let order = owner.orders()["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let texts: Vec<String> = owner.messages()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("微信支付分停车服务未开通或已暂停")),
        "{texts:?}"
    );
    assert_eq!(owner.order(&order).unwrap()["payable"], true);
}
