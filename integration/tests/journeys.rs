//! One journey per row of SPEC §3's transition table, with real users signing in to the local
//! worker: every state, every effect on others, every notice kind reached and acknowledged.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::{approve, operator, owner_of_new_plate, reject, unique_plate, Api, Session};
use serde_json::{json, Value};

/// `user` adds `plate` and gets `state`.
#[track_caller]
fn add(user: &Session, plate: &str, state: &str) {
    assert_eq!(user.add(plate), state);
    assert_eq!(user.card_state(plate).as_deref(), Some(state));
}

/// `user` submits a certification for `plate` with one photo.
#[track_caller]
fn certify(user: &Session, plate: &str) {
    user.certify(plate);
    assert_eq!(user.card_state(plate).as_deref(), Some("certifying"));
}

/// `user` appeals `plate` with a reason and one photo.
#[track_caller]
fn appeal(user: &Session, plate: &str) {
    let photo = user.upload_photo();
    user.post(
        &format!("/api/vehicles/{plate}/appeal"),
        json!({ "reason": "我是车主,有行驶证为证", "evidence": [photo] }),
    )
    .expect(202);
    assert_eq!(user.card_state(plate).as_deref(), Some("appealing"));
}

/// `user` sees the dialog `kind` for `plate` with SPEC §4's text, acknowledges it, and the car
/// is gone from their list (unless `stays` names the state it keeps).
#[track_caller]
fn see_and_ack(
    user: &Session,
    plate: &str,
    kind: &str,
    text: &str,
    actions: &[&str],
    stays: Option<&str>,
) {
    let notice = user
        .notice(plate)
        .unwrap_or_else(|| panic!("{} has no notice for {plate}", user.user_id));
    assert_eq!(notice["kind"], kind);
    assert_eq!(notice["text"], text.replace("{plate}", plate));
    assert_eq!(notice["actions"], json!(actions));
    let id = notice["id"].as_str().unwrap();
    user.post_empty(&format!("/api/notices/{id}/ack"))
        .expect(204);
    assert!(user.notice(plate).is_none(), "the dialog is answered");
    assert_eq!(user.card_state(plate).as_deref(), stays);
    // Answering again is refused: the dialog is gone.
    assert!(user.post_empty(&format!("/api/notices/{id}/ack")).status >= 400);
}

#[test]
fn add_certify_and_operator_approves_makes_the_owner() {
    let (owner, plate) = owner_of_new_plate(&Api::from_env());
    let history: Value = operator().get(&format!("/api/ops/vehicles/{plate}")).json();
    assert_eq!(history["owner"], owner.user_id.as_str());
    let kinds: Vec<&str> = history["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["change"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["added", "certification_submitted", "certification_approved"]
    );
    for event in history["history"].as_array().unwrap() {
        assert!(
            event["at"].is_string() && event["actor"].is_object(),
            "who and when: {event}"
        );
    }
}

#[test]
fn a_rejected_certification_goes_back_to_added_with_the_reason_on_the_card() {
    let api = Api::from_env();
    let user = api.new_user();
    let plate = unique_plate();
    add(&user, &plate, "added");
    certify(&user, &plate);
    reject("certification", &plate, &user, "行驶证照片不清晰");
    let list = user.vehicles();
    let card = list["vehicles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["plate"] == plate.as_str())
        .unwrap();
    assert_eq!(card["state"], "added");
    assert_eq!(card["rejection_reason"], "行驶证照片不清晰");
    // Deciding the same review twice is a conflict.
    let queue: Vec<Value> = operator().get("/api/ops/reviews?kind=certification").json();
    assert!(
        queue.iter().all(|r| r["plate"] != plate.as_str()),
        "a decided review leaves the queue"
    );
}

#[test]
fn authorization_request_approved_then_revoked_by_the_owner() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let family = api.new_user();
    add(&family, &plate, "awaiting_authorization");

    let list: Value = owner
        .get(&format!("/api/vehicles/{plate}/authorizations"))
        .json();
    assert_eq!(list["requests"][0]["user_id"], family.user_id.as_str());
    let masked = list["requests"][0]["phone_masked"].as_str().unwrap();
    assert!(
        masked.contains("****") && !masked.contains(&family.phone),
        "{masked}"
    );

    owner
        .post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/approve",
            family.user_id
        ))
        .expect(204);
    assert_eq!(family.card_state(&plate).as_deref(), Some("authorized"));
    owner
        .post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/revoke",
            family.user_id
        ))
        .expect(204);
    assert_eq!(family.card_state(&plate), None);
    see_and_ack(
        &family,
        &plate,
        "authorization_revoked",
        "{plate}已移除，原因：授权取消",
        &["ack"],
        None,
    );
}

#[test]
fn the_owner_denies_a_request() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let stranger = api.new_user();
    add(&stranger, &plate, "awaiting_authorization");
    owner
        .post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/deny",
            stranger.user_id
        ))
        .expect(204);
    see_and_ack(
        &stranger,
        &plate,
        "authorization_denied",
        "{plate}已移除，原因：车主拒绝授权",
        &["ack"],
        None,
    );
}

#[test]
fn a_waiting_user_cancels_the_request() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let user = api.new_user();
    add(&user, &plate, "awaiting_authorization");
    user.post_empty(&format!("/api/vehicles/{plate}/cancel-request"))
        .expect(204);
    assert_eq!(user.card_state(&plate), None);
    assert!(
        user.notice(&plate).is_none(),
        "cancelling is the user's own act: no dialog"
    );
    let list: Value = owner
        .get(&format!("/api/vehicles/{plate}/authorizations"))
        .json();
    assert_eq!(list["requests"], json!([]));
}

#[test]
fn certified_by_other_then_appeal_rejected_is_appeal_failed() {
    let api = Api::from_env();
    let first = api.new_user();
    let plate = unique_plate();
    add(&first, &plate, "added");
    let second = api.new_user();
    add(&second, &plate, "added");
    certify(&second, &plate);
    approve("certification", &plate, &second);

    let notice = first.notice(&plate).expect("the added user is told");
    assert_eq!(notice["kind"], "certified_by_other");
    assert_eq!(
        notice["text"],
        format!("车辆{plate}已被其他账号认证，当前账号将移除该车辆。")
    );
    assert_eq!(notice["actions"], json!(["appeal", "ack"]));
    appeal(&first, &plate); // 我要申诉 from the dialog
    assert!(first.notice(&plate).is_none());
    reject("appeal", &plate, &first, "证据不足");
    see_and_ack(
        &first,
        &plate,
        "appeal_failed",
        "车辆{plate}的申诉失败，当前账号无法添加该车辆。",
        &["ack"],
        None,
    );
    assert_eq!(second.card_state(&plate).as_deref(), Some("certified"));
}

#[test]
fn an_approved_appeal_moves_ownership_and_tells_everyone() {
    let api = Api::from_env();
    let (old_owner, plate) = owner_of_new_plate(&api);
    let family = api.new_user();
    add(&family, &plate, "awaiting_authorization");
    old_owner
        .post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/approve",
            family.user_id
        ))
        .expect(204);

    let claimant = api.new_user();
    appeal(&claimant, &plate); // an ownership claim on an owned plate, from no relation
    approve("appeal", &plate, &claimant);

    see_and_ack(
        &claimant,
        &plate,
        "appeal_succeeded",
        "当前账号已成功添加并认证车辆{plate}",
        &["ack"],
        Some("certified"),
    );
    see_and_ack(
        &family,
        &plate,
        "authorization_revoked",
        "{plate}已移除，原因：授权取消",
        &["ack"],
        None,
    );
    // The old owner may appeal back, and wins.
    let notice = old_owner.notice(&plate).expect("the old owner is told");
    assert_eq!(notice["kind"], "lost_to_other_appeal");
    assert_eq!(
        notice["text"],
        format!("车辆{plate}的其他账号提交的认证申诉已通过，当前账号与车辆的认证关系已取消。")
    );
    appeal(&old_owner, &plate);
    approve("appeal", &plate, &old_owner);
    assert_eq!(old_owner.card_state(&plate).as_deref(), Some("certified"));
    see_and_ack(
        &claimant,
        &plate,
        "lost_to_other_appeal",
        "车辆{plate}的其他账号提交的认证申诉已通过，当前账号与车辆的认证关系已取消。",
        &["appeal", "ack"],
        None,
    );
}

#[test]
fn operator_revokes_a_certification() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let waiting = api.new_user();
    add(&waiting, &plate, "awaiting_authorization");
    operator()
        .post(
            &format!("/api/ops/vehicles/{plate}/revoke"),
            json!({ "reason": "证件存疑" }),
        )
        .expect(204);
    see_and_ack(
        &waiting,
        &plate,
        "authorization_revoked",
        "{plate}已移除，原因：授权取消",
        &["ack"],
        None,
    );
    let notice = owner.notice(&plate).expect("the owner is told");
    assert_eq!(notice["kind"], "revoked_by_operator");
    assert_eq!(
        notice["text"],
        format!("车辆{plate}的认证关系存在异常，当前账号与车辆的认证关系已取消")
    );
    appeal(&owner, &plate);
    // With no owner now, anyone may add the plate again.
    add(&api.new_user(), &plate, "added");
}

#[test]
fn the_owner_removing_the_car_revokes_authorizations() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let family = api.new_user();
    add(&family, &plate, "awaiting_authorization");
    owner
        .post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/approve",
            family.user_id
        ))
        .expect(204);
    owner.delete(&format!("/api/vehicles/{plate}")).expect(204);
    assert_eq!(owner.card_state(&plate), None);
    assert!(
        owner.notice(&plate).is_none(),
        "removing is the owner's own act: no dialog"
    );
    see_and_ack(
        &family,
        &plate,
        "authorization_revoked",
        "{plate}已移除，原因：授权取消",
        &["ack"],
        None,
    );
}

#[test]
fn privacy_is_the_owners_alone() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let family = api.new_user();
    add(&family, &plate, "awaiting_authorization");
    owner
        .post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/approve",
            family.user_id
        ))
        .expect(204);
    family
        .put(
            &format!("/api/vehicles/{plate}/privacy"),
            json!({ "protect": true, "notify": true }),
        )
        .expect_error(403, "forbidden");
    owner
        .put(
            &format!("/api/vehicles/{plate}/privacy"),
            json!({ "protect": true, "notify": false }),
        )
        .expect(204);
    let list = owner.vehicles();
    let card = list["vehicles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["plate"] == plate.as_str())
        .unwrap()
        .clone();
    assert_eq!(card["privacy"], json!({ "protect": true, "notify": false }));
    let family_card = family.vehicles()["vehicles"][0].clone();
    assert!(
        family_card.get("privacy").is_none(),
        "only the owner sees the settings: {family_card}"
    );
}

#[test]
fn a_retry_with_the_same_idempotency_key_returns_the_first_answer() {
    let api = Api::from_env();
    let user = api.new_user();
    let plate = unique_plate();
    let send = || {
        user.call("POST", "/api/vehicles")
            .header("idempotency-key", "add-once")
            .json(&json!({ "plate": plate }))
            .send()
    };
    let first = send();
    first.expect(201);
    let second = send();
    assert_eq!(
        (second.status, second.body.clone()),
        (first.status, first.body.clone())
    );
    let history: Value = operator().get(&format!("/api/ops/vehicles/{plate}")).json();
    assert_eq!(
        history["history"].as_array().unwrap().len(),
        1,
        "the retry changed nothing"
    );
    // A new key is a new command: adding twice is a conflict.
    user.post("/api/vehicles", json!({ "plate": plate }))
        .expect_error(409, "conflict");
}

#[test]
fn the_default_car_is_marked_and_follows_removal() {
    let api = Api::from_env();
    let user = api.new_user();
    let (a, b) = (unique_plate(), unique_plate());
    add(&user, &a, "added");
    add(&user, &b, "added");
    user.call("PUT", &format!("/api/vehicles/{b}/default"))
        .send()
        .expect(204);
    let list = user.vehicles();
    assert_eq!(
        list["vehicles"][0]["plate"],
        b.as_str(),
        "the default car comes first"
    );
    assert_eq!(list["vehicles"][0]["is_default"], true);
    assert_eq!(list["vehicles"][1]["is_default"], false);
    user.call("PUT", &format!("/api/vehicles/{}/default", unique_plate()))
        .send()
        .expect_error(404, "not_found");
}

#[test]
fn a_mandatory_tenant_adds_with_certification_only() {
    // 13800000003 is seeded in 保利, whose policy is `mandatory`.
    let user = Api::from_env().login("13800000003");
    let me: Value = user.get("/api/me").json();
    assert_eq!(me["tenant"]["policy"], "mandatory");
    let plate = unique_plate();
    let refused = user.post("/api/vehicles", json!({ "plate": plate }));
    assert!(
        refused.status == 400 || refused.status == 403,
        "{}",
        refused.body
    );
    assert_eq!(
        user.card_state(&plate),
        None,
        "a refused add changes nothing"
    );
    let photo = user.upload_photo();
    let reply = user.post(
        "/api/vehicles",
        json!({ "plate": plate, "certification": { "owner_name": "李四", "evidence": [photo] } }),
    );
    reply.expect(201);
    assert_eq!(reply.json::<Value>()["state"], "certifying");
    approve("certification", &plate, &user);
    assert_eq!(user.card_state(&plate).as_deref(), Some("certified"));
}
