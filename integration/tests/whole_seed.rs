//! The seed as a driver lives it (SPEC §4, §5, §7): owners hear of requests, every operator
//! decision is told with its reason, the default car follows the list, and the owner hears who
//! paid for their car.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::gateway::CarPark;
use integration::{approve, owner_of_new_plate, reject, unique_plate, Api, Session};
use serde_json::{json, Value};

fn texts(user: &Session) -> Vec<String> {
    user.messages()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect()
}

fn card(user: &Session, plate: &str) -> Value {
    user.vehicles()["vehicles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["plate"] == plate)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn the_owner_hears_of_each_request_and_the_card_counts_them() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    assert_eq!(card(&owner, &plate).get("pending_requests"), None);
    let first = api.new_user();
    let second = api.new_user();
    assert_eq!(first.add(&plate), "awaiting_authorization");
    assert_eq!(second.add(&plate), "awaiting_authorization");
    let told: Vec<String> = texts(&owner)
        .into_iter()
        .filter(|t| t.contains("授权申请"))
        .collect();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told[0].starts_with(&format!("车辆{plate}")), "{told:?}");
    assert_eq!(card(&owner, &plate)["pending_requests"], 2);
    // Answered from 设置: the count follows.
    owner.decide(&plate, &first, "approve").expect(204);
    assert_eq!(card(&owner, &plate)["pending_requests"], 1);
    owner.decide(&plate, &second, "deny").expect(204);
    assert_eq!(card(&owner, &plate).get("pending_requests"), None);
    // Nobody else's card carries it.
    assert_eq!(card(&first, &plate).get("pending_requests"), None);
}

#[test]
fn every_decision_on_a_case_is_told_to_its_user_with_the_reason() {
    let api = Api::from_env();
    let user = api.new_user();
    let plate = unique_plate();
    user.add(&plate);
    user.certify(&plate);
    reject("certification", &plate, &user, "行驶证照片不清晰");
    assert!(
        texts(&user)
            .iter()
            .any(|t| t == &format!("车辆{plate}的认证未通过。原因:行驶证照片不清晰")),
        "{:?}",
        texts(&user)
    );
    assert_eq!(card(&user, &plate)["rejection_reason"], "行驶证照片不清晰");
    user.certify(&plate);
    approve("certification", &plate, &user);
    assert!(texts(&user)
        .iter()
        .any(|t| t == &format!("车辆{plate}的认证已通过。")));

    // An appeal that fails: the message and the 申诉失败 dialog both carry the reason.
    let claimant = api.new_user();
    claimant.add(&plate);
    let photo = claimant.upload_photo();
    claimant
        .post(
            &format!("/api/vehicles/{plate}/appeal"),
            json!({ "reason": "我是车主", "evidence": [photo] }),
        )
        .expect(202);
    reject("appeal", &plate, &claimant, "证据不足");
    assert!(texts(&claimant)
        .iter()
        .any(|t| t == &format!("车辆{plate}的申诉未通过。原因:证据不足")));
    let notice = claimant.notice(&plate).unwrap();
    assert_eq!(notice["kind"], "appeal_failed");
    assert_eq!(notice["reason"], "证据不足");
}

#[test]
fn the_first_car_is_the_default_and_the_latest_remaining_takes_its_place() {
    let api = Api::from_env();
    let user = api.new_user();
    let (first, second, third) = (unique_plate(), unique_plate(), unique_plate());
    user.add(&first);
    let default_of = |u: &Session| -> Vec<String> {
        u.vehicles()["vehicles"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["is_default"] == true)
            .map(|v| v["plate"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(default_of(&user), std::slice::from_ref(&first));
    user.add(&second);
    user.add(&third);
    assert_eq!(
        default_of(&user),
        std::slice::from_ref(&first),
        "adding keeps the default"
    );
    user.delete(&format!("/api/vehicles/{first}")).expect(204);
    assert_eq!(
        default_of(&user),
        std::slice::from_ref(&third),
        "the most recently added takes over"
    );
    user.call("PUT", &format!("/api/vehicles/{second}/default"))
        .send()
        .expect(204);
    assert_eq!(default_of(&user), std::slice::from_ref(&second));
    user.delete(&format!("/api/vehicles/{second}")).expect(204);
    user.delete(&format!("/api/vehicles/{third}")).expect(204);
    assert!(default_of(&user).is_empty());
    let again = unique_plate();
    user.add(&again);
    assert_eq!(
        default_of(&user),
        [again],
        "no stale default is left behind"
    );
}

#[test]
fn the_owner_hears_who_paid_for_their_car() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let family = api.new_user();
    family.add(&plate);
    owner.decide(&plate, &family, "approve").expect(204);
    let stranger = api.new_user();
    let car_park = CarPark::parking(&api);
    let pay_as = |payer: &Session, fee: u64| {
        car_park.entry(&plate).expect(200);
        car_park.exit(&plate, fee).expect(200);
        let order = owner.orders()["orders"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        payer
            .post("/api/wallet/top-up", json!({ "amount_fen": fee }))
            .expect(200);
        payer
            .post(
                &format!("/api/orders/{order}/pay"),
                json!({ "source": "wallet" }),
            )
            .expect(200);
    };
    pay_as(&family, 800);
    pay_as(&stranger, 600);
    let masked = format!("{}****{}", &family.phone[..3], &family.phone[7..]);
    let told = texts(&owner);
    assert!(
        told.contains(&format!(
            "车辆{plate}的费用8.00元已由授权用户{masked}代为缴纳。"
        )),
        "{told:?}"
    );
    assert!(
        told.contains(&format!("车辆{plate}的费用6.00元已由他人代为缴纳。")),
        "{told:?}"
    );
    // The owner paying their own car tells nobody that way.
    pay_as(&owner, 500);
    let own = texts(&owner)
        .into_iter()
        .filter(|t| t.contains("5.00元已由"))
        .count();
    assert_eq!(own, 0);
}
