//! 注销账号 (`DELETE /api/me`): every relation ends as a removal would, the account's sessions,
//! inbox and photos go, the phone is forgotten, and it waits while the wallet holds money.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::gateway::CarPark;
use integration::{operator, owner_of_new_plate, Api, Session};
use serde_json::{json, Value};

/// A certified owner with one authorized family member and one waiting for authorization.
fn owner_with_family(api: &Api) -> (Session, String, Session, Session) {
    let (owner, plate) = owner_of_new_plate(api);
    let family = api.new_user();
    assert_eq!(family.add(&plate), "awaiting_authorization");
    owner.decide(&plate, &family, "approve").expect(204);
    let waiting = api.new_user();
    assert_eq!(waiting.add(&plate), "awaiting_authorization");
    (owner, plate, family, waiting)
}

#[test]
fn closing_an_owners_account_ends_the_family_relations_and_forgets_the_phone() {
    let api = Api::from_env();
    let (owner, plate, family, waiting) = owner_with_family(&api);
    let photo = owner.upload_photo();
    CarPark::parking(&api).entry(&plate).expect(200);
    // The entry notice, besides the set-up's own (certified, two requests).
    let kinds: Vec<Value> = owner.messages()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].clone())
        .collect();
    assert!(kinds.contains(&Value::from("entry")), "{kinds:?}");

    let reply = owner.delete("/api/me");
    reply.expect(204);
    assert!(
        reply.set_cookie.as_deref().unwrap().contains("Max-Age=0"),
        "the cookie is cleared"
    );

    // SPEC §3: the owner leaving revokes every authorization that depended on them.
    for user in [&family, &waiting] {
        assert_eq!(user.card_state(&plate), None);
        let notice = user.notice(&plate).expect("the 车辆移除提醒 dialog");
        assert_eq!(notice["kind"], "authorization_revoked");
    }
    let ops: Value = operator().get(&format!("/api/ops/vehicles/{plate}")).json();
    assert_eq!(ops["owner"], Value::Null, "the plate has no owner");
    assert!(ops["relations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["user_id"] != owner.user_id.as_str()));
    // Anyone may add it again: it has no owner.
    assert_eq!(api.new_user().add(&plate), "added");

    // Every session is dead, and the photo is gone even for operators.
    owner.get("/api/me").expect_error(401, "unauthenticated");
    owner
        .get("/api/vehicles")
        .expect_error(401, "unauthenticated");
    operator()
        .get(&format!("/api/uploads/{photo}"))
        .expect_error(404, "not_found");
    // The history keeps the pseudonymous id only: no phone, masked or not.
    let history = ops["history"].to_string();
    let masked = owner.phone_masked();
    assert!(history.contains(&owner.user_id));
    assert!(!history.contains(&owner.phone) && !history.contains(&masked));

    // The same phone signs up again as somebody new, with no cars and no messages.
    let again = api.login(&owner.phone);
    assert_ne!(again.user_id, owner.user_id);
    let vehicles = again.vehicles();
    assert_eq!(vehicles["vehicles"], json!([]));
    assert_eq!(vehicles["notices"], json!([]));
    assert_eq!(again.messages()["messages"], json!([]));
    again
        .get(&format!("/api/uploads/{photo}"))
        .expect_error(404, "not_found");
}

#[test]
fn closing_answers_a_waiting_dialog_and_leaves_an_authorized_car() {
    let api = Api::from_env();
    let (owner, plate, family, waiting) = owner_with_family(&api);
    owner.decide(&plate, &waiting, "deny").expect(204);
    assert!(waiting.notice(&plate).is_some());
    waiting.delete("/api/me").expect(204);
    family.delete("/api/me").expect(204);
    let list: Value = owner
        .get(&format!("/api/vehicles/{plate}/authorizations"))
        .json();
    assert_eq!(list["authorized"], json!([]));
    assert_eq!(list["requests"], json!([]));
    let ops: Value = operator().get(&format!("/api/ops/vehicles/{plate}")).json();
    let related: Vec<&str> = ops["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["user_id"].as_str().unwrap())
        .collect();
    assert_eq!(related, [owner.user_id.as_str()]);
    assert_eq!(owner.card_state(&plate).as_deref(), Some("certified"));
}

#[test]
fn closing_is_refused_while_the_wallet_holds_money() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    owner
        .post("/api/wallet/top-up", json!({ "amount_fen": 5000 }))
        .expect(200);
    let reply = owner.delete("/api/me");
    reply.expect_error(409, "conflict");
    let message = reply.json::<Value>()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("钱包") && message.contains("50.00"),
        "{message}"
    );
    // Nothing changed: still signed in, still the owner.
    owner.get("/api/me").expect(200);
    assert_eq!(owner.card_state(&plate).as_deref(), Some("certified"));
}

#[test]
fn closing_needs_a_session_and_the_csrf_header() {
    let api = Api::from_env();
    api.call("DELETE", "/api/me")
        .csrf()
        .send()
        .expect_error(401, "unauthenticated");
    let user = api.new_user();
    api.call("DELETE", "/api/me")
        .header("cookie", &format!("sid={}", "x"))
        .send()
        .expect_error(403, "forbidden");
    user.get("/api/me").expect(200);
}
