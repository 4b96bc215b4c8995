//! The seed as a driver lives it (SPEC §4, §5, §7): owners hear of requests, every operator
//! decision is told with its reason, the default car follows the list, and the owner hears who
//! paid for their car.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::gateway::CarPark;
use integration::{approve, operator, owner_of_new_plate, reject, unique_plate, Api, Session};
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
            .any(|t| t == &format!("车辆{plate}的认证未通过。原因：行驶证照片不清晰")),
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
        .any(|t| t == &format!("车辆{plate}的申诉未通过。原因：证据不足")));
    let notice = claimant.notice(&plate).unwrap();
    assert_eq!(notice["kind"], "appeal_failed");
    assert_eq!(notice["reason"], "证据不足");
}

#[test]
fn the_first_car_added_is_the_default_even_before_the_list_is_read() {
    let api = Api::from_env();
    let user = api.new_user();
    let (first, second) = (unique_plate(), unique_plate());
    user.add(&first);
    user.add(&second);
    assert_eq!(card(&user, &first)["is_default"], true);
    assert_eq!(card(&user, &second)["is_default"], false);
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
    let masked = family.phone_masked();
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

#[test]
fn the_owner_keeps_the_cars_details_and_every_edit_is_in_its_history() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let family = api.new_user();
    family.add(&plate);
    owner.decide(&plate, &family, "approve").expect(204);
    let path = format!("/api/vehicles/{plate}/details");
    // Before anything is kept: the plate class's colour, nothing else.
    let before = card(&family, &plate);
    assert_eq!(before["plate_color"], "BLUE");
    assert_eq!(before.get("details"), None);
    assert_eq!(card(&owner, &plate)["can_edit_details"], true);
    assert_eq!(before["can_edit_details"], false);

    let details = json!({ "plate_color": "YELLOW", "brand": " 比亚迪 ", "model": "汉",
                          "body_color": "白色", "nickname": "小白" });
    owner.put(&path, details.clone()).expect(204);
    for viewer in [&owner, &family] {
        let card = card(viewer, &plate);
        assert_eq!(card["plate_color"], "YELLOW");
        assert_eq!(
            card["details"],
            json!({ "plate_color": "YELLOW", "brand": "比亚迪", "model": "汉",
                    "body_color": "白色", "nickname": "小白" })
        );
    }

    // An authorized user reads them but the owner keeps them; a stranger has no car to keep.
    let refused = family.put(&path, json!({ "nickname": "我的" }));
    refused.expect_error(403, "forbidden");
    assert!(
        refused.body.contains("车辆信息由车主维护"),
        "{}",
        refused.body
    );
    api.new_user()
        .put(&path, json!({ "nickname": "我的" }))
        .expect_error(409, "conflict");
    // Bad input changes nothing.
    let long = owner.put(&path, json!({ "nickname": "一二三四五六七八九十一" }));
    long.expect_error(400, "invalid_request");
    assert!(
        long.body.contains("车辆昵称不能超过10个字"),
        "{}",
        long.body
    );
    owner
        .put(&path, json!({ "colour": "RED" }))
        .expect_error(400, "invalid_request");
    owner
        .put(&path, json!({ "plate_color": "RED" }))
        .expect_error(400, "invalid_request");
    assert_eq!(card(&owner, &plate)["details"]["nickname"], "小白");

    // Cleared texts are gone; the colour back at the class's default is no correction.
    owner
        .put(&path, json!({ "plate_color": "BLUE", "nickname": "" }))
        .expect(204);
    let card_now = card(&owner, &plate);
    assert_eq!(card_now["plate_color"], "BLUE");
    assert_eq!(card_now.get("details"), None);

    // 工作台's history names each edit and who made it.
    let ops: Value = operator().get(&format!("/api/ops/vehicles/{plate}")).json();
    let edits: Vec<&Value> = ops["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["change"]["type"] == "details_set")
        .collect();
    assert_eq!(edits.len(), 2, "{}", ops["history"]);
    assert_eq!(edits[0]["change"]["details"]["nickname"], "小白");
}

#[test]
fn without_an_owner_anyone_who_added_the_car_keeps_its_details() {
    let api = Api::from_env();
    let plate = unique_plate();
    let first = api.new_user();
    let second = api.new_user();
    first.add(&plate);
    second.add(&plate);
    assert_eq!(card(&second, &plate)["can_edit_details"], true);
    second
        .put(
            &format!("/api/vehicles/{plate}/details"),
            json!({ "body_color": "黑色" }),
        )
        .expect(204);
    assert_eq!(card(&first, &plate)["details"]["body_color"], "黑色");
    // Once someone owns it, only they do.
    first.certify(&plate);
    approve("certification", &plate, &first);
    assert_eq!(card(&first, &plate)["details"]["body_color"], "黑色");
    second
        .put(
            &format!("/api/vehicles/{plate}/details"),
            json!({ "body_color": "红色" }),
        )
        .expect_error(403, "forbidden");
    assert_eq!(card(&first, &plate)["details"]["body_color"], "黑色");
}

#[test]
fn the_workbench_history_names_who_acted_whom_why_and_the_refusals() {
    let api = Api::from_env();
    let user = api.new_user();
    let plate = unique_plate();
    user.add(&plate);
    user.certify(&plate);
    reject("certification", &plate, &user, "行驶证照片不清晰");
    user.certify(&plate);
    approve("certification", &plate, &user);
    let asker = api.new_user();
    asker.add(&plate);
    // A refused request: the asker cannot certify a car someone owns.
    let photo = asker.upload_photo();
    asker
        .post(
            &format!("/api/vehicles/{plate}/certification"),
            json!({ "owner_name": "李四", "evidence": [photo] }),
        )
        .expect_error(409, "conflict");

    let ops: Value = operator().get(&format!("/api/ops/vehicles/{plate}")).json();
    // The current relations, each with its masked phone and state; the owner first.
    assert_eq!(
        ops["relations"],
        json!([
            { "user_id": user.user_id, "phone_masked": user.phone_masked(), "state": "certified" },
            { "user_id": asker.user_id, "phone_masked": asker.phone_masked(), "state": "awaiting_authorization" },
        ])
    );
    let history = ops["history"].as_array().unwrap();
    let entry = |t: &str| {
        history
            .iter()
            .find(|e| e["change"]["type"] == t)
            .unwrap_or_else(|| panic!("no {t} in {history:?}"))
    };
    let rejected = entry("certification_rejected");
    assert!(rejected["actor"]["operator"].is_string());
    assert!(rejected["actor_phone"].as_str().unwrap().contains("****"));
    assert_eq!(rejected["subject_phone"], user.phone_masked());
    assert_eq!(rejected["change"]["reason"], "行驶证照片不清晰");
    let submitted = entry("certification_submitted");
    assert_eq!(submitted["actor_phone"], user.phone_masked());
    assert_eq!(submitted.get("subject_phone"), None, "the actor themself");
    assert!(submitted["change"]["review"]["owner_name"].is_string());
    let refused = entry("refused");
    assert_eq!(refused["actor_phone"], asker.phone_masked());
    assert_eq!(refused["change"]["error"], "appeal_instead");
    // No full phone anywhere.
    let text = ops.to_string();
    assert!(!text.contains(&user.phone) && !text.contains(&asker.phone));
}

#[test]
fn a_hidden_tenants_users_have_no_vehicle_module_and_nothing_changes() {
    // 13800000015 is seeded in 金茂, whose policy is `hidden`.
    let api = Api::from_env();
    let user = api.login("13800000015");
    let me: Value = user.get("/api/session?home=1").json();
    assert_eq!(me["user"]["tenant"]["policy"], "hidden");
    assert_eq!(me.get("home"), None, "no 我的 to bring");
    let refused = user.get("/api/vehicles");
    refused.expect_error(403, "forbidden");
    assert!(
        refused.body.contains("当前项目未开放我的车辆功能"),
        "{}",
        refused.body
    );
    let plate = unique_plate();
    user.post("/api/vehicles", json!({ "plate": plate }))
        .expect_error(403, "forbidden");
    // Nothing was made: the plate is unknown to the operators.
    operator()
        .get(&format!("/api/ops/vehicles/{plate}"))
        .expect_error(404, "not_found");
}

#[test]
fn an_open_tenants_users_add_any_plate_and_never_certify_or_appeal() {
    // 13800000014 is seeded in 自由停车, whose policy is `open`.
    let api = Api::from_env();
    let user = api.login("13800000014");
    let me: Value = user.get("/api/session").json();
    assert_eq!(me["user"]["tenant"]["policy"], "open");
    let plate = unique_plate();
    assert_eq!(user.add(&plate), "added");
    let photo = user.upload_photo();
    let refused = user.post(
        &format!("/api/vehicles/{plate}/certification"),
        json!({ "owner_name": "王五", "evidence": [photo] }),
    );
    refused.expect_error(403, "forbidden");
    assert!(
        refused.body.contains("本项目无需认证车辆"),
        "{}",
        refused.body
    );
    // A car nobody owns: its details are theirs to keep.
    assert_eq!(card(&user, &plate)["can_edit_details"], true);
    // An owned plate of another tenant: a request to its owner, never an appeal.
    let (owner, owned) = owner_of_new_plate(&api);
    assert_eq!(user.add(&owned), "awaiting_authorization");
    let photo = user.upload_photo();
    user.post(
        &format!("/api/vehicles/{owned}/appeal"),
        json!({ "reason": "这是我的车", "evidence": [photo] }),
    )
    .expect_error(403, "forbidden");
    assert_eq!(card(&owner, &owned)["pending_requests"], 1);
}

/// What `scripts/dev` shows a newcomer (the `seed` binary's demo data), item by item; run by
/// scripts/test right after seeding the main server.
#[test]
#[ignore = "run by scripts/test after the seed binary"]
fn the_demo_data_shows_each_item() {
    let api = Api::from_env();
    let alice = api.login("13800000001");
    let car = card(&alice, "闽D12337");
    assert_eq!(car["state"], "certified");
    assert_eq!(car["is_default"], true);
    assert_eq!(car["pending_requests"], 1, "bob's request");
    assert_eq!(car["details"]["nickname"], "小白");
    assert_eq!(
        card(&alice, "闽D12333")["rejection_reason"],
        "行驶证照片不清晰，请重新拍摄"
    );
    let told = texts(&alice);
    for expected in [
        "车辆闽D12337的费用8.00元已由他人代为缴纳。",
        "车辆闽D12333的认证未通过。原因：行驶证照片不清晰，请重新拍摄",
    ] {
        assert!(told.iter().any(|t| t == expected), "{expected} in {told:?}");
    }
    assert!(told.iter().any(|t| t.contains("授权申请")), "{told:?}");
    let dave = api.login("13800000004");
    assert_eq!(dave.card_state("闽D88888").as_deref(), Some("added"));
    api.login("13800000005")
        .get("/api/vehicles")
        .expect_error(403, "forbidden");
}
