//! Sign-in with phone + code: the session cookie, wrong and reused codes, rate limits, sign-out.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::{unique_phone, Api};
use serde_json::{json, Value};

#[test]
fn sign_in_sets_an_httponly_cookie_and_me_answers_with_a_masked_phone() {
    let api = Api::from_env();
    let phone = unique_phone();
    let code = api.code(&phone);
    code.expect(200);
    let dev_code = code.json::<Value>()["dev_code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        dev_code.len() == 6 && dev_code.bytes().all(|b| b.is_ascii_digit()),
        "{dev_code}"
    );
    let reply = api
        .call("POST", "/api/auth/login")
        .csrf()
        .json(&json!({ "phone": phone, "code": dev_code }))
        .send();
    reply.expect(200);
    let cookie = reply.set_cookie.clone().unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let session = cookie.split(';').next().unwrap();
    let me: Value = api
        .call("GET", "/api/me")
        .header("cookie", session)
        .send()
        .json();
    assert_eq!(me["roles"], json!(["user"]));
    assert_eq!(me["tenant"]["policy"], "platform");
    let masked = me["phone_masked"].as_str().unwrap();
    assert_eq!(masked, format!("{}****{}", &phone[..3], &phone[7..]));
    // A code signs in once.
    let again = api
        .call("POST", "/api/auth/login")
        .csrf()
        .json(&json!({ "phone": phone, "code": dev_code }))
        .send();
    again.expect_error(401, "unauthenticated");
}

#[test]
fn the_operator_has_the_operator_role() {
    let me: Value = integration::operator().get("/api/me").json();
    assert_eq!(me["roles"], json!(["user", "operator"]));
}

#[test]
fn a_wrong_code_is_401_and_repeated_wrong_codes_are_429() {
    let api = Api::from_env();
    let phone = unique_phone();
    let right = api.code(&phone).json::<Value>()["dev_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let login = |code: &str| {
        api.call("POST", "/api/auth/login")
            .csrf()
            .json(&json!({ "phone": phone, "code": code }))
            .send()
    };
    for _ in 0..5 {
        login(wrong).expect_error(401, "unauthenticated");
    }
    // After five wrong tries even the right code no longer works: ask for a new one.
    login(&right).expect_error(429, "rate_limited");
}

#[test]
fn asking_for_codes_too_often_is_429() {
    let api = Api::from_env();
    let phone = unique_phone();
    let statuses: Vec<u16> = (0..7).map(|_| api.code(&phone).status).collect();
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429, 429]);
    api.code(&phone).expect_error(429, "rate_limited");
}

#[test]
fn bad_phone_numbers_are_400() {
    let api = Api::from_env();
    for phone in ["", "12345", "2380000000a", "138000000011"] {
        api.code(phone).expect_error(400, "invalid_request");
    }
    api.call("POST", "/api/auth/code")
        .csrf()
        .json(&json!({ "phone": 13800000001u64 }))
        .send()
        .expect_error(400, "invalid_request");
}

#[test]
fn logout_ends_the_session() {
    let api = Api::from_env();
    let user = api.new_user();
    user.get("/api/me").expect(200);
    let reply = user.post_empty("/api/auth/logout");
    reply.expect(204);
    assert!(reply.set_cookie.unwrap().contains("Max-Age=0"));
    user.get("/api/me").expect_error(401, "unauthenticated");
    user.get("/api/vehicles")
        .expect_error(401, "unauthenticated");
}

#[test]
fn a_forged_cookie_is_401() {
    let api = Api::from_env();
    let reply = api
        .call("GET", "/api/me")
        .header("cookie", "sid=0123456789abcdef")
        .send();
    reply.expect_error(401, "unauthenticated");
}

#[test]
fn the_session_endpoint_answers_200_signed_in_or_not() {
    let api = Api::from_env();
    let anonymous = api.get("/api/session");
    anonymous.expect(200);
    assert_eq!(anonymous.json::<Value>(), json!({ "user": null }));
    let user = api.new_user();
    let signed_in: Value = user.get("/api/session").json();
    assert_eq!(signed_in["user"]["id"], user.user_id.as_str());
}
