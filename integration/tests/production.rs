//! The production configuration, run locally (`wrangler dev --env production`, the bundle a
//! deploy ships, no dev mode, the providers' stand-in for SMS, WeChat and WeChat Pay): sign-in
//! codes only by SMS, and no sandbox wallet — a deployment that let anyone top up a balance by
//! saying so would let them park for free. scripts/test runs these (`--ignored`) against that
//! server alone.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::gateway::CarPark;
use integration::{unique_phone, unique_plate, Api};
use serde_json::{json, Value};

#[test]
#[ignore = "needs the production server scripts/test starts"]
fn codes_come_only_by_sms_and_the_session_offers_no_wallet() {
    let api = Api::from_env();
    let phone = unique_phone();
    let code = api.code(&phone);
    code.expect(200);
    assert_eq!(
        code.json::<Value>()["dev_code"],
        Value::Null,
        "{}",
        code.body
    );
    let session: Value = api.get("/api/session").json();
    // The test command's production server has WeChat Pay set up (the stand-in).
    assert_eq!(
        session["payments"],
        json!({ "wallet": false, "wechat": true })
    );
    let user = api.login(&phone);
    user.get("/api/wallet").expect_error(404, "not_found");
    user.post("/api/wallet/top-up", json!({ "amount_fen": 100_000 }))
        .expect_error(404, "not_found");
}

#[test]
#[ignore = "needs the production server scripts/test starts"]
fn an_order_cannot_be_paid_from_a_wallet_and_autopay_cannot_name_one() {
    let api = Api::from_env();
    let driver = api.new_user();
    let plate = unique_plate();
    driver.add(&plate);
    let car_park = CarPark::parking(&api);
    car_park.entry(&plate).expect(200);
    car_park.exit(&plate, 1500).expect(200);
    let orders = driver.orders();
    let order = orders["orders"][0]["id"]
        .as_str()
        .expect("the stay's order");
    let pay = |source: &str| {
        driver.post(
            &format!("/api/orders/{order}/pay"),
            json!({ "source": source }),
        )
    };
    let refused = pay("wallet");
    refused.expect_error(400, "invalid_request");
    assert!(
        refused.body.contains("暂未开通在线支付"),
        "{}",
        refused.body
    );
    // No coupon covers it: WeChat Pay is the way, never a wallet.
    let refused = pay("coupon");
    refused.expect_error(400, "invalid_request");
    assert!(refused.body.contains("请使用微信支付"), "{}", refused.body);
    let still = driver.order(order).unwrap();
    assert_eq!(still["paid"], false, "{still}");

    let (owner, owned) = integration::owner_of_new_plate(&api);
    let autopay = |sources: Value| {
        owner.put(
            &format!("/api/vehicles/{owned}/autopay"),
            json!({ "enabled": true, "sources": sources }),
        )
    };
    autopay(json!(["coupon", "wallet"])).expect_error(400, "invalid_request");
    autopay(json!(["coupon"])).expect(204);
    autopay(json!(["coupon", "wechat_parking"])).expect(204);
}
