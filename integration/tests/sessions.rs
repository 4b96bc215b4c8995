//! Sign-in with phone + code: the session cookie, wrong and reused codes, rate limits per phone
//! and address, sign-out on this device and on all of them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::{address_of, unique_address, unique_phone, Api, CLIENT_IP};
use serde_json::{json, Value};

#[test]
fn sign_in_sets_a_host_only_secure_httponly_cookie_and_me_answers_with_a_masked_phone() {
    let api = Api::from_env();
    let phone = unique_phone();
    let code = api.code(&phone);
    code.expect(200);
    let dev_code = api.code_sent_to(&phone, &code.json());
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
    // `__Host-`: browsers keep it only Secure, for Path=/ and with no Domain, so no subdomain
    // and no plain-http page can plant or overwrite it.
    assert!(cookie.starts_with("__Host-session="), "{cookie}");
    let attributes: Vec<&str> = cookie.split(';').skip(1).map(str::trim).collect();
    for attribute in [
        "Path=/",
        "Secure",
        "HttpOnly",
        "SameSite=Lax",
        "Max-Age=2592000",
    ] {
        assert!(attributes.contains(&attribute), "{cookie}");
    }
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
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

/// A new phone with a code sent to its own address; the code and a sign-in try from `address`.
fn phone_with_code(
    api: &Api,
) -> (
    String,
    String,
    impl Fn(&str, &str) -> integration::Reply + '_,
) {
    let phone = unique_phone();
    let code = api.code_sent_to(&phone, &api.code(&phone).json());
    let try_from = {
        let phone = phone.clone();
        move |address: &str, code: &str| {
            api.call("POST", "/api/auth/login")
                .header(CLIENT_IP, address)
                .csrf()
                .json(&json!({ "phone": phone, "code": code }))
                .send()
        }
    };
    (phone, code, try_from)
}

fn wrong_code(right: &str) -> &'static str {
    if right == "000000" {
        "111111"
    } else {
        "000000"
    }
}

#[test]
fn a_wrong_code_is_401_and_more_than_ten_tries_from_one_address_are_429() {
    let api = Api::from_env();
    let (phone, right, try_from) = phone_with_code(&api);
    let home = address_of(&phone);
    for _ in 0..10 {
        try_from(&home, wrong_code(&right)).expect_error(401, "unauthenticated");
    }
    // The eleventh try waits for the ten-minute window to end, even with the right code.
    try_from(&home, &right).expect_rate_limited(600);
}

#[test]
fn ten_wrong_tries_from_elsewhere_do_not_lock_the_driver_out_at_home() {
    let api = Api::from_env();
    let (phone, right, try_from) = phone_with_code(&api);
    let elsewhere = unique_address();
    for _ in 0..10 {
        try_from(&elsewhere, wrong_code(&right)).expect_error(401, "unauthenticated");
    }
    try_from(&elsewhere, wrong_code(&right)).expect_rate_limited(600);
    // The driver's code still works from their own address.
    try_from(&address_of(&phone), &right).expect(200);
}

#[test]
fn guessing_from_many_addresses_stops_after_thirty_tries_an_hour_per_phone() {
    let api = Api::from_env();
    let (phone, right, try_from) = phone_with_code(&api);
    for _ in 0..3 {
        let address = unique_address();
        for _ in 0..10 {
            try_from(&address, wrong_code(&right)).expect_error(401, "unauthenticated");
        }
    }
    try_from(&address_of(&phone), &right).expect_rate_limited(3600);
}

#[test]
fn asking_for_codes_too_often_is_429_with_retry_after() {
    let api = Api::from_env();
    let phone = unique_phone();
    let statuses: Vec<u16> = (0..7).map(|_| api.code(&phone).status).collect();
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429, 429]);
    let secs = api.code(&phone).expect_rate_limited(600);
    assert!(secs > 500, "the window began moments ago: {secs}");
}

#[test]
fn one_address_asking_codes_for_many_phones_is_429_after_thirty_an_hour() {
    let api = Api::from_env();
    let address = unique_address();
    let ask = |phone: &str| {
        api.call("POST", "/api/auth/code")
            .header(CLIENT_IP, &address)
            .csrf()
            .json(&json!({ "phone": phone }))
            .send()
    };
    for _ in 0..30 {
        ask(&unique_phone()).expect(200);
    }
    let secs = ask(&unique_phone()).expect_rate_limited(3600);
    assert!(secs > 3000, "the window began moments ago: {secs}");
    // Another address is not held back by this one.
    api.code(&unique_phone()).expect(200);
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
fn logout_all_ends_every_session_of_the_user_and_no_one_elses() {
    let api = Api::from_env();
    let phone = unique_phone();
    let phone_browser = api.login(&phone);
    let laptop = api.login(&phone);
    let someone_else = api.new_user();
    phone_browser.get("/api/me").expect(200);
    laptop.get("/api/me").expect(200);
    let reply = laptop.post_empty("/api/auth/logout-all");
    reply.expect(204);
    let cleared = reply.set_cookie.unwrap();
    assert!(
        cleared.starts_with("__Host-session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    laptop.get("/api/me").expect_error(401, "unauthenticated");
    phone_browser
        .get("/api/vehicles")
        .expect_error(401, "unauthenticated");
    someone_else.get("/api/me").expect(200);
    // Signed out everywhere, the same phone signs in again as the same account.
    let again = api.login(&phone);
    assert_eq!(again.user_id, laptop.user_id);
    // Without a session there is nothing to end.
    api.call("POST", "/api/auth/logout-all")
        .csrf()
        .send()
        .expect_error(401, "unauthenticated");
}

#[test]
fn a_forged_cookie_is_401() {
    let api = Api::from_env();
    let reply = api
        .call("GET", "/api/me")
        .header("cookie", "__Host-session=0123456789abcdef")
        .send();
    reply.expect_error(401, "unauthenticated");
}

#[test]
fn the_session_endpoint_answers_200_signed_in_or_not() {
    let api = Api::from_env();
    let anonymous = api.get("/api/session");
    anonymous.expect(200);
    // The suite's server has WeChat and WeChat Pay set up (the stand-in), so it offers WeChat
    // sign-in and WeChat Pay, and runs in dev mode, the only place the sandbox wallet exists.
    assert_eq!(
        anonymous.json::<Value>(),
        json!({
            "user": null,
            "wechat_sign_in": true,
            "payments": { "wallet": true, "wechat": true }
        })
    );
    let user = api.new_user();
    let signed_in: Value = user.get("/api/session").json();
    assert_eq!(signed_in["user"]["id"], user.user_id.as_str());
}

/// The app's first request (`/api/session?home=1`, preloaded by index.html) brings 我的's
/// cards and unread count, exactly as their own endpoints answer them; nothing for anyone else.
#[test]
fn the_first_request_brings_the_drivers_home_and_nothing_for_anyone_else() {
    let api = Api::from_env();
    let signed_out: Value = api.get("/api/session?home=1").json();
    assert_eq!(signed_out["user"], Value::Null);
    assert_eq!(signed_out.get("home"), None);

    let driver = api.new_user();
    let plate = integration::unique_plate();
    driver.add(&plate);
    let session: Value = driver.get("/api/session?home=1").json();
    assert_eq!(session["user"]["id"], driver.user_id.as_str());
    assert_eq!(session["home"]["vehicles"], driver.vehicles());
    assert_eq!(session["home"]["vehicles"]["vehicles"][0]["plate"], plate);
    assert_eq!(
        session["home"]["unread"],
        driver.messages()["unread"],
        "the badge counts as 消息 does"
    );
    // Without asking, the answer stays small.
    let plain: Value = driver.get("/api/session").json();
    assert_eq!(plain.get("home"), None);
}
