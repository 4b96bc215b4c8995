//! Demo data for local runs, made through the API like a real user would (scripts/dev runs it
//! once per state folder): plates in every state of SPEC §3.
//!
//! `BASE_URL=http://127.0.0.1:8787 cargo run -p integration --bin seed`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed step should stop the seeding loudly

use integration::{approve, Api};
use serde_json::json;

fn main() {
    let api = Api::from_env();
    let alice = api.login("13800000001");
    let bob = api.login("13800000002");
    let carol = api.login("13800000003"); // 保利, `mandatory`

    alice.add("闽D12337");
    alice.certify("闽D12337");
    approve("certification", "闽D12337", &alice); // alice: 已认证
    alice.call("PUT", "/api/vehicles/闽D12337/default").send();
    alice.add("闽D12333"); // alice: 去认证
    alice.add("闽DD12345");
    alice.certify("闽DD12345"); // alice: 认证中
    bob.add("闽D12337"); // bob: 等待授权 (alice sees the request)

    let photo = carol.upload_photo();
    let certification = json!({ "owner_name": "演示车主", "evidence": [photo] });
    let reply = carol.post(
        "/api/vehicles",
        json!({ "plate": "京A12345", "certification": certification }),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    approve("certification", "京A12345", &carol); // carol: 已认证
    let photo = bob.upload_photo();
    let reply = bob.post(
        "/api/vehicles/京A12345/appeal",
        json!({ "reason": "这是我的车", "evidence": [photo] }),
    );
    assert_eq!(reply.status, 202, "appeal: {}", reply.body); // bob: 申诉中
    println!(
        "seeded: 闽D12337 已认证 (13800000001) with a request by 13800000002; 闽D12333 added; \
         闽DD12345 认证中; 京A12345 已认证 (13800000003), 申诉中 by 13800000002"
    );
}
