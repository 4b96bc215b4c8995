//! Demo data for local runs, made through the API like a real user would (scripts/dev runs it
//! once per state folder): plates in every state of SPEC §3.
//!
//! `BASE_URL=http://127.0.0.1:8787 cargo run -p integration --bin seed`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed step should stop the seeding loudly

use integration::{operator, Api, Session};
use serde_json::{json, Value};

fn add(user: &Session, plate: &str, extra: Value) {
    let mut body = json!({ "plate": plate, "confirm_nonstandard": true });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let reply = user.post("/api/vehicles", body);
    assert_eq!(reply.status, 201, "add {plate}: {}", reply.body);
}

fn certify(user: &Session, plate: &str) {
    let photo = user.upload_photo();
    let path = format!("/api/vehicles/{plate}/certification");
    let reply = user.post(
        &path,
        json!({ "owner_name": "演示车主", "evidence": [photo] }),
    );
    assert_eq!(reply.status, 202, "certify {plate}: {}", reply.body);
}

fn approve_all_of(plate: &str) {
    let queue: Vec<Value> = operator().get("/api/ops/reviews").json();
    for review in queue.iter().filter(|r| r["plate"] == plate) {
        let id = review["id"].as_str().unwrap();
        let reply = operator().post_empty(&format!("/api/ops/reviews/{id}/approve"));
        assert_eq!(reply.status, 204, "approve {id}: {}", reply.body);
    }
}

fn main() {
    let api = Api::from_env();
    let alice = api.login("13800000001");
    let bob = api.login("13800000002");
    let carol = api.login("13800000003"); // 保利, `mandatory`

    add(&alice, "闽D12337", json!({}));
    certify(&alice, "闽D12337");
    approve_all_of("闽D12337"); // alice: 已认证
    add(&alice, "闽D12333", json!({})); // alice: 去认证
    add(&alice, "闽DD12345", json!({}));
    certify(&alice, "闽DD12345"); // alice: 认证中
    alice.call("PUT", "/api/vehicles/闽D12337/default").send();

    add(&bob, "闽D12337", json!({})); // bob: 等待授权 (alice sees the request)

    let photo = carol.upload_photo();
    add(
        &carol,
        "京A12345",
        json!({ "certification": { "owner_name": "演示车主", "evidence": [photo] } }),
    );
    approve_all_of("京A12345"); // carol: 已认证
    let photo = bob.upload_photo();
    let reply = bob.post(
        "/api/vehicles/京A12345/appeal",
        json!({ "reason": "这是我的车", "evidence": [photo] }),
    );
    assert_eq!(reply.status, 202, "appeal: {}", reply.body); // bob: 申诉中
    println!("seeded: 闽D12337 已认证 (13800000001) with a request by 13800000002; 闽D12333 added; 闽DD12345 认证中; 京A12345 已认证 (13800000003) 申诉中 by 13800000002");
}
