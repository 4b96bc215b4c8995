//! Who may do what, and what bad input gets: every endpoint refuses an anonymous caller, another
//! user and (for /api/ops) a non-operator; client faults are 4xx with a code and a Chinese
//! message, and change nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::{operator, owner_of_new_plate, tiny_jpeg, unique_plate, Api, Session};
use serde_json::{json, Value};

/// An owner of a fresh plate with a pending request by another user and one upload.
struct World {
    api: Api,
    owner: Session,
    waiting: Session,
    plate: String,
    photo: String,
}

fn world() -> World {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let photo = owner.upload_photo();
    let waiting = api.new_user();
    assert_eq!(waiting.add(&plate), "awaiting_authorization");
    World {
        api,
        owner,
        waiting,
        plate,
        photo,
    }
}

/// Every endpoint a user can call, with a body where it needs one.
fn user_endpoints(w: &World) -> Vec<(&'static str, String, Option<Value>)> {
    let p = &w.plate;
    let u = &w.waiting.user_id;
    vec![
        ("GET", "/api/me".into(), None),
        ("GET", "/api/vehicles".into(), None),
        (
            "POST",
            "/api/vehicles".into(),
            Some(json!({ "plate": unique_plate() })),
        ),
        ("DELETE", format!("/api/vehicles/{p}"), None),
        ("PUT", format!("/api/vehicles/{p}/default"), None),
        (
            "POST",
            format!("/api/vehicles/{p}/certification"),
            Some(json!({ "owner_name": "x", "evidence": [w.photo] })),
        ),
        (
            "POST",
            format!("/api/vehicles/{p}/appeal"),
            Some(json!({ "reason": "x", "evidence": [w.photo] })),
        ),
        ("POST", format!("/api/vehicles/{p}/cancel-request"), None),
        (
            "PUT",
            format!("/api/vehicles/{p}/privacy"),
            Some(json!({ "protect": true, "notify": true })),
        ),
        (
            "PUT",
            format!("/api/vehicles/{p}/autopay"),
            Some(json!({ "enabled": true, "sources": ["coupon", "wallet"] })),
        ),
        ("GET", format!("/api/vehicles/{p}/authorizations"), None),
        (
            "POST",
            format!("/api/vehicles/{p}/authorizations/{u}/approve"),
            None,
        ),
        (
            "POST",
            format!("/api/vehicles/{p}/authorizations/{u}/deny"),
            None,
        ),
        (
            "POST",
            format!("/api/vehicles/{p}/authorizations/{u}/revoke"),
            None,
        ),
        ("POST", format!("/api/notices/{p}-1/ack"), None),
        ("GET", format!("/api/uploads/{}", w.photo), None),
    ]
}

fn ops_endpoints(w: &World) -> Vec<(&'static str, String, Option<Value>)> {
    let p = &w.plate;
    vec![
        ("GET", "/api/ops/reviews?kind=certification".into(), None),
        ("GET", "/api/ops/reviews?kind=appeal".into(), None),
        ("POST", format!("/api/ops/reviews/{p}-2/approve"), None),
        (
            "POST",
            format!("/api/ops/reviews/{p}-2/reject"),
            Some(json!({ "reason": "x" })),
        ),
        (
            "POST",
            format!("/api/ops/vehicles/{p}/revoke"),
            Some(json!({ "reason": "x" })),
        ),
        ("GET", format!("/api/ops/vehicles/{p}"), None),
        ("POST", "/api/ops/rebuild".into(), None),
    ]
}

/// The plate's accepted changes (refusals are in the history too, and change nothing).
fn history_len(plate: &str) -> usize {
    let history: Value = operator().get(&format!("/api/ops/vehicles/{plate}")).json();
    history["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["change"]["type"] != "refused")
        .count()
}

#[test]
fn anonymous_callers_are_refused_everywhere() {
    let w = world();
    let before = history_len(&w.plate);
    for (method, path, body) in user_endpoints(&w).into_iter().chain(ops_endpoints(&w)) {
        let mut call = w.api.call(method, &path).csrf();
        if let Some(body) = &body {
            call = call.json(body);
        }
        call.send().expect_error(401, "unauthenticated");
    }
    assert_eq!(history_len(&w.plate), before, "nothing changed");
}

#[test]
fn users_cannot_reach_operator_functions() {
    let w = world();
    let before = history_len(&w.plate);
    for (method, path, body) in ops_endpoints(&w) {
        let mut call = w.owner.call(method, &path);
        if let Some(body) = &body {
            call = call.json(body);
        }
        call.send().expect_error(403, "forbidden");
    }
    assert_eq!(history_len(&w.plate), before, "nothing changed");
}

#[test]
fn another_user_cannot_act_on_the_owners_car_or_read_their_photos() {
    let w = world();
    let outsider = w.api.new_user();
    let before = history_len(&w.plate);
    let p = &w.plate;
    let u = &w.waiting.user_id;
    for path in [
        format!("/api/vehicles/{p}/authorizations/{u}/approve"),
        format!("/api/vehicles/{p}/authorizations/{u}/deny"),
        format!("/api/vehicles/{p}/authorizations/{u}/revoke"),
    ] {
        let reply = outsider.post_empty(&path);
        assert!(
            [403, 404, 409].contains(&reply.status),
            "{path}: {}",
            reply.body
        );
        reply.expect(reply.status);
    }
    outsider
        .get(&format!("/api/vehicles/{p}/authorizations"))
        .expect_error(403, "forbidden");
    outsider
        .put(
            &format!("/api/vehicles/{p}/privacy"),
            json!({ "protect": true, "notify": true }),
        )
        .expect(403);
    outsider
        .get(&format!("/api/uploads/{}", w.photo))
        .expect_error(404, "not_found");
    // Someone else's photo cannot be cited as evidence either.
    outsider
        .post(
            &format!("/api/vehicles/{p}/appeal"),
            json!({ "reason": "我的车", "evidence": [w.photo] }),
        )
        .expect_error(400, "invalid_request");
    // The waiting user cannot approve themselves.
    let reply = w
        .waiting
        .post_empty(&format!("/api/vehicles/{p}/authorizations/{u}/approve"));
    assert!([403, 409].contains(&reply.status), "{}", reply.body);
    assert_eq!(
        w.waiting.card_state(p).as_deref(),
        Some("awaiting_authorization")
    );
    // Nobody else's notice can be acknowledged.
    w.api
        .new_user()
        .post_empty(&format!("/api/notices/{p}-1/ack"))
        .expect(404);
    assert_eq!(history_len(&w.plate), before, "nothing changed");
    // The uploader reads the photo; an operator only once a review cites it, which this one's
    // never did (integration/tests/evidence.rs follows a cited one).
    operator()
        .get(&format!("/api/uploads/{}", w.photo))
        .expect_error(404, "not_found");
    assert_eq!(
        w.owner.get(&format!("/api/uploads/{}", w.photo)).len,
        tiny_jpeg().len()
    );
}

#[test]
fn mutations_without_the_csrf_header_are_refused() {
    let w = world();
    let plate = unique_plate();
    let reply = w
        .api
        .call("POST", "/api/vehicles")
        .json(&json!({ "plate": plate }))
        .send();
    reply.expect_error(403, "forbidden");
    let reply = w
        .api
        .call("POST", "/api/vehicles")
        .header("cookie", "__Host-session=x")
        .json(&json!({ "plate": plate }))
        .send();
    reply.expect_error(403, "forbidden");
    assert_eq!(w.owner.card_state(&plate), None);
}

#[test]
fn bad_input_is_a_4xx_with_a_code_and_changes_nothing() {
    let w = world();
    let user = &w.owner;
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("not json", b"{plate:".to_vec(), 400, "invalid_request"),
        (
            "wrong type",
            br#"{"plate": 7}"#.to_vec(),
            400,
            "invalid_request",
        ),
        (
            "unknown field",
            br#"{"plate": "\u95FDD12337", "colour": "red"}"#.to_vec(),
            400,
            "invalid_request",
        ),
        ("missing field", br#"{}"#.to_vec(), 400, "invalid_request"),
        (
            "bad plate",
            r#"{"plate": "闽D12O37"}"#.as_bytes().to_vec(),
            400,
            "invalid_plate",
        ),
        (
            "unknown province",
            r#"{"plate": "A12345"}"#.as_bytes().to_vec(),
            400,
            "invalid_plate",
        ),
        (
            "non-standard unconfirmed",
            r#"{"plate": "粤B888888"}"#.as_bytes().to_vec(),
            400,
            "nonstandard_plate",
        ),
    ];
    let before = user.vehicles();
    for (name, body, status, code) in cases {
        let reply = user
            .call("POST", "/api/vehicles")
            .body("application/json", body)
            .send();
        assert_eq!(
            (reply.status, reply.code()),
            (status, code.to_owned()),
            "{name}: {}",
            reply.body
        );
        reply.expect(status);
    }
    let huge = json!({ "plate": "x".repeat(70 * 1024) });
    user.call("POST", "/api/vehicles")
        .json(&huge)
        .send()
        .expect_error(400, "invalid_request");
    assert_eq!(user.vehicles(), before, "nothing changed");

    // A non-standard plate is accepted once the user confirms it, as 能源车 at 8 characters.
    let reply = user.post("/api/plates/check", json!({ "plate": "粤b 888888" }));
    reply.expect(200);
    let check: Value = reply.json();
    assert_eq!(
        check,
        json!({ "plate": "粤B888888", "class": check["class"], "vehicle_type": "能源车", "standard": false })
    );

    // Path plates and ids are checked too.
    user.delete("/api/vehicles/not-a-plate")
        .expect_error(400, "invalid_plate");
    user.post_empty("/api/notices/garbage/ack")
        .expect_error(404, "not_found");
    operator()
        .post_empty("/api/ops/reviews/garbage/approve")
        .expect_error(404, "not_found");
    operator()
        .get("/api/ops/reviews?kind=everything")
        .expect_error(400, "invalid_request");
    user.get("/api/no-such-endpoint")
        .expect_error(404, "not_found");
}

#[test]
fn uploads_are_checked_by_their_bytes_and_size() {
    let w = world();
    let user = &w.owner;
    let upload = |content_type: &str, bytes: Vec<u8>| {
        user.call("POST", "/api/uploads")
            .body(content_type, bytes)
            .send()
    };
    upload("image/png", tiny_jpeg()).expect_error(400, "invalid_request");
    upload("image/jpeg", b"<svg onload=alert(1)>".to_vec()).expect_error(400, "invalid_request");
    upload("image/gif", b"GIF89a....".to_vec()).expect_error(400, "invalid_request");
    let mut big = tiny_jpeg();
    big.resize(5 * 1024 * 1024 + 1, 0);
    upload("image/jpeg", big).expect_error(400, "invalid_request");
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    png.extend_from_slice(&[0; 16]);
    upload("image/png", png).expect(201);
}

#[test]
fn thirty_uploads_a_day_per_user_then_429_until_the_day_is_over() {
    let api = Api::from_env();
    let user = api.new_user();
    // Nine at a time, each batch cited by a certification, so the quota of uncited photos never
    // fills: only the daily limit is left to refuse the 31st.
    for batch in [9, 9, 9, 3] {
        let evidence: Vec<String> = (0..batch).map(|_| user.upload_photo()).collect();
        let plate = unique_plate();
        user.add(&plate);
        user.post(
            &format!("/api/vehicles/{plate}/certification"),
            json!({ "owner_name": "车主", "evidence": evidence }),
        )
        .expect(202);
    }
    let refused = user
        .call("POST", "/api/uploads")
        .body("image/jpeg", tiny_jpeg())
        .send();
    let secs = refused.expect_rate_limited(24 * 3600);
    assert!(secs > 23 * 3600, "the day began moments ago: {secs}");
    // Someone else still uploads.
    api.new_user().upload_photo();
}
