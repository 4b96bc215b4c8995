//! WeChat sign-in (公众号网页授权), Tencent Cloud SMS and WeChat template messages, against the
//! providers' stand-in (integration/src/standin), which checks every call as the provider would.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use std::time::Duration;

use integration::gateway::CarPark;
use integration::wechat::{
    authorize, bind, bind_reply, callback, cookie_named, new_wechat_user, standin,
};
use integration::{unique_phone, unique_plate, Api, Session};
use serde_json::{json, Value};

/// A WeChat user name no other test uses.
fn wechat_name(label: &str) -> String {
    format!("{label}-{}", unique_phone())
}

/// Where a redirect goes.
fn location(reply: &integration::Reply) -> String {
    reply.header("location").unwrap_or_default().to_owned()
}

#[test]
fn a_new_wechat_user_binds_a_phone_once_and_then_signs_in_without_a_code() {
    let api = Api::from_env();
    let name = wechat_name("first-visit");
    let (session, openid) = new_wechat_user(&api, &name);
    let me: Value = session.get("/api/me").json();
    assert_eq!(me["id"], session.user_id.as_str());
    let binding: Value = session.get("/api/me/wechat").json();
    assert!(binding["bound_at"].is_string(), "{binding}");

    // Second visit, a new browser: WeChat knows the user, the worker knows the openid.
    let codes_before = standin().sms_codes(&session.phone).len();
    let round_trip = authorize(&api, &name, "/orders");
    let back = callback(&api, &round_trip.path, &round_trip.state_cookie);
    assert_eq!(back.status, 302);
    assert_eq!(location(&back), "/orders", "back where sign-in began");
    let cookie = cookie_named(&back, "__Host-session").expect("signed in at once");
    let again = Session::from_parts(api.clone(), &session.phone, "", &cookie);
    let me_again: Value = again.get("/api/me").json();
    assert_eq!(me_again["id"], session.user_id.as_str(), "the same account");
    assert_eq!(
        standin().sms_codes(&session.phone).len(),
        codes_before,
        "no code this time"
    );

    // The phone alone still signs in to the same account.
    let by_phone = api.login(&session.phone);
    assert_eq!(by_phone.user_id, session.user_id);
    assert!(openid.starts_with('o'));
}

#[test]
fn a_phone_that_already_has_an_account_brings_it_to_wechat() {
    let api = Api::from_env();
    let existing = api.new_user();
    let plate = unique_plate();
    existing.add(&plate);
    let round_trip = authorize(&api, &wechat_name("existing"), "/");
    let back = callback(&api, &round_trip.path, &round_trip.state_cookie);
    let bind_cookie = cookie_named(&back, "__Host-wx-bind").unwrap();
    let bound = bind(&api, &bind_cookie, &existing.phone);
    assert_eq!(bound.user_id, existing.user_id);
    let cars = bound.vehicles();
    assert_eq!(cars["vehicles"][0]["plate"], plate.as_str(), "{cars}");
}

#[test]
fn a_callback_without_this_browsers_state_is_refused_and_signs_nobody_in() {
    let api = Api::from_env();
    let round_trip = authorize(&api, &wechat_name("forged"), "/");
    let other_browser = authorize(&api, &wechat_name("forged-other"), "/");
    let tampered = {
        let mut c = round_trip.state_cookie.clone();
        let last = c.pop().unwrap();
        c.push(if last == '0' { '1' } else { '0' });
        c
    };
    let refusals = [
        callback(&api, &round_trip.path, ""),
        callback(&api, &round_trip.path, &other_browser.state_cookie),
        callback(&api, &round_trip.path, &tampered),
        callback(
            &api,
            &round_trip.path.replace("state=", "state=0"),
            &round_trip.state_cookie,
        ),
    ];
    for refused in refusals {
        assert_eq!(refused.status, 302);
        assert_eq!(location(&refused), "/login?wechat=state");
        assert_eq!(cookie_named(&refused, "__Host-session"), None);
        assert_eq!(cookie_named(&refused, "__Host-wx-bind"), None);
    }
}

#[test]
fn a_replayed_callback_is_refused() {
    let api = Api::from_env();
    let round_trip = authorize(&api, &wechat_name("replay"), "/");
    let first = callback(&api, &round_trip.path, &round_trip.state_cookie);
    assert!(
        location(&first).starts_with("/bind-phone"),
        "{}",
        location(&first)
    );
    let replay = callback(&api, &round_trip.path, &round_trip.state_cookie);
    assert_eq!(location(&replay), "/login?wechat=state");
    assert_eq!(cookie_named(&replay, "__Host-wx-bind"), None);
}

#[test]
fn wechat_refusing_the_code_sends_the_driver_back_with_a_reason() {
    let api = Api::from_env();
    let name = wechat_name("busy");
    // WeChat busy (-1) on the code exchange.
    let round_trip = authorize(&api, &name, "/");
    let code = round_trip
        .path
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("code="))
        .unwrap()
        .to_owned();
    standin().fail("oauth", json!(-1), Some(&code), 1);
    let failed = callback(&api, &round_trip.path, &round_trip.state_cookie);
    assert_eq!(location(&failed), "/login?wechat=failed");
    assert_eq!(cookie_named(&failed, "__Host-session"), None);

    // A code used once already (40163), brought back under a new state of this browser.
    let used = authorize(&api, &name, "/");
    let first = callback(&api, &used.path, &used.state_cookie);
    assert!(location(&first).starts_with("/bind-phone"));
    let fresh = authorize(&api, &name, "/");
    let fresh_state = fresh.path.split("state=").nth(1).unwrap();
    let used_code_path = format!(
        "{}state={fresh_state}",
        used.path.split("state=").next().unwrap()
    );
    let refused = callback(&api, &used_code_path, &fresh.state_cookie);
    assert_eq!(location(&refused), "/login?wechat=failed");
}

#[test]
fn binding_needs_the_cookie_wechat_vouched_for() {
    let api = Api::from_env();
    let phone = unique_phone();
    let forged = "__Host-wx-bind=6f.70.2f.99999999999999.abcd";
    for cookie in ["", forged] {
        let refused = bind_reply(&api, cookie, &phone);
        refused.expect_error(401, "unauthenticated");
        assert!(refused.body.contains("微信授权已过期"), "{}", refused.body);
    }
    // Nothing was bound: the phone's account has no WeChat.
    let account = api.login(&phone);
    let binding: Value = account.get("/api/me/wechat").json();
    assert_eq!(binding["bound_at"], Value::Null);
}

#[test]
fn unbinding_makes_wechat_ask_for_the_phone_again() {
    let api = Api::from_env();
    let name = wechat_name("unbind");
    let (session, _) = new_wechat_user(&api, &name);
    assert_eq!(session.delete("/api/me/wechat").status, 204);
    let binding: Value = session.get("/api/me/wechat").json();
    assert_eq!(binding["bound_at"], Value::Null);
    let round_trip = authorize(&api, &name, "/");
    let back = callback(&api, &round_trip.path, &round_trip.state_cookie);
    assert!(
        location(&back).starts_with("/bind-phone"),
        "{}",
        location(&back)
    );
    assert_eq!(cookie_named(&back, "__Host-session"), None);
}

#[test]
fn sms_provider_errors_reach_the_driver_in_chinese_and_a_later_code_still_works() {
    let api = Api::from_env();
    let phone = unique_phone();
    let e164 = format!("+86{phone}");
    let cases = [
        (
            "LimitExceeded.PhoneNumberThirtySecondLimit",
            429,
            "rate_limited",
            "30秒",
        ),
        (
            "LimitExceeded.PhoneNumberDailyLimit",
            429,
            "rate_limited",
            "明天",
        ),
        (
            "FailedOperation.TemplateIncorrectOrUnapproved",
            503,
            "unavailable",
            "短信服务",
        ),
        (
            "AuthFailure.SignatureFailure",
            503,
            "unavailable",
            "短信服务",
        ),
    ];
    for (provider_code, status, code, words) in cases {
        standin().fail("sms", json!(provider_code), Some(&e164), 1);
        let refused = api.code(&phone);
        refused.expect_error(status, code);
        assert!(
            refused.body.contains(words),
            "{provider_code}: {}",
            refused.body
        );
    }
    assert!(standin().sms_codes(&phone).is_empty());
    let session = api.login(&phone);
    assert_eq!(standin().sms_codes(&phone).len(), 1);
    assert!(!session.user_id.is_empty());
}

/// A WeChat user who owns a new plate.
fn wechat_owner(api: &Api, label: &str) -> (Session, String, String) {
    let (owner, openid) = new_wechat_user(api, &wechat_name(label));
    let plate = unique_plate();
    owner.add(&plate);
    owner.certify(&plate);
    integration::approve("certification", &plate, &owner);
    (owner, plate, openid)
}

/// The pushes `openid` got about `plate`.
/// The pushes `openid` got about `plate`, but the set-up's own (认证已通过).
fn pushes_about(openid: &str, plate: &str) -> Vec<Value> {
    standin()
        .templates(openid)
        .into_iter()
        .filter(|t| t["data"]["car_number1"]["value"] == plate)
        .filter(|t| t["data"]["thing2"]["value"] != "认证已通过")
        .collect()
}

/// Waits until `openid` has `n` pushes about `plate` (or 15 s), then returns them.
fn wait_for_pushes(openid: &str, plate: &str, n: usize) -> Vec<Value> {
    for _ in 0..150 {
        let got = pushes_about(openid, plate);
        if got.len() >= n {
            return got;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    pushes_about(openid, plate)
}

#[test]
fn an_entry_is_pushed_to_the_owner_once_with_the_place_and_a_link() {
    let api = Api::from_env();
    let (_, plate, openid) = wechat_owner(&api, "entry");
    CarPark::parking(&api).entry(&plate).expect(200);
    let pushes = wait_for_pushes(&openid, &plate, 1);
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    let push = &pushes[0];
    assert_eq!(push["template_id"], "tpl-parking");
    assert_eq!(push["data"]["thing2"]["value"], "车辆已进场");
    assert_eq!(push["data"]["thing3"]["value"], "星河湾停车场");
    let url = push["url"].as_str().unwrap();
    assert_eq!(
        url,
        format!("{}/orders", std::env::var("BASE_URL").unwrap())
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(pushes_about(&openid, &plate).len(), 1, "sent once");
}

#[test]
fn a_push_wechat_was_too_busy_for_arrives_once_after_the_retry() {
    let api = Api::from_env();
    let (_, plate, openid) = wechat_owner(&api, "busy-push");
    standin().fail("template", json!(-1), Some(&openid), 1);
    CarPark::parking(&api).entry(&plate).expect(200);
    // The first try is refused; the push object's alarm tries again 5 s later.
    let pushes = wait_for_pushes(&openid, &plate, 1);
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    std::thread::sleep(Duration::from_secs(6));
    assert_eq!(pushes_about(&openid, &plate).len(), 1, "sent once");
}

#[test]
fn an_access_token_wechat_no_longer_takes_is_replaced_and_the_push_goes_out() {
    let api = Api::from_env();
    let (_, plate, openid) = wechat_owner(&api, "token");
    // Make sure a token is cached, then have WeChat void it.
    CarPark::parking(&api).entry(&plate).expect(200);
    assert_eq!(wait_for_pushes(&openid, &plate, 1).len(), 1);
    let issued = standin().stats()["server_tokens_issued"].as_u64().unwrap();
    standin().expire_tokens();
    CarPark::parking(&api).exit(&plate, 500).expect(200);
    let pushes = wait_for_pushes(&openid, &plate, 2);
    assert_eq!(pushes.len(), 2, "{pushes:?}");
    assert!(standin().stats()["server_tokens_issued"].as_u64().unwrap() > issued);
}

#[test]
fn the_owners_notice_switch_silences_pushes_as_it_silences_the_inbox() {
    let api = Api::from_env();
    let (owner, plate, openid) = wechat_owner(&api, "silent");
    let privacy = json!({ "protect": false, "notify": false });
    owner
        .put(&format!("/api/vehicles/{plate}/privacy"), privacy)
        .expect(204);
    let car_park = CarPark::parking(&api);
    car_park.entry(&plate).expect(200);
    car_park.exit(&plate, 800).expect(200);
    // The owner pays: the receipt is about their own payment and is sent whatever the switch.
    let order = owner.orders()["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    owner
        .post("/api/wallet/top-up", json!({ "amount_fen": 800 }))
        .expect(200);
    owner
        .post(
            &format!("/api/orders/{order}/pay"),
            json!({ "source": "wallet" }),
        )
        .expect(200);
    // The receipt left the same outbox after the entry and exit would have: all are in by now.
    let pushes = wait_for_pushes(&openid, &plate, 1);
    let headlines: Vec<&str> = pushes
        .iter()
        .map(|p| p["data"]["thing2"]["value"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(headlines, ["已缴费8.00元"]);
}

#[test]
fn an_owner_who_loses_the_car_hears_it_in_wechat() {
    let api = Api::from_env();
    let (owner, plate, openid) = wechat_owner(&api, "revoked");
    let reply = integration::operator().post(
        &format!("/api/ops/vehicles/{plate}/revoke"),
        json!({ "reason": "证件与车辆不符" }),
    );
    reply.expect(204);
    let pushes = wait_for_pushes(&openid, &plate, 1);
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    assert_eq!(pushes[0]["template_id"], "tpl-vehicle");
    assert_eq!(pushes[0]["data"]["thing2"]["value"], "车辆认证已取消");
    assert!(pushes[0]["url"].as_str().unwrap().ends_with('/'));
    // The inbox has it too: the push is never the only record.
    let messages = owner.messages();
    let texts: Vec<&str> = messages["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("认证关系存在异常")),
        "{texts:?}"
    );
}
