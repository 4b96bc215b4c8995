//! Restart: what users did before `wrangler dev` stops is all there after it starts again.
//! scripts/test runs `before_restart`, restarts the server on the same state, then
//! `after_restart` (both are ignored by a plain `cargo test`, which has no server to restart).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::{operator, owner_of_new_plate, Api};
use serde_json::{json, Value};

fn marker() -> String {
    std::env::var("RESTART_FILE").expect("RESTART_FILE is set by scripts/test")
}

#[test]
#[ignore = "run by scripts/test around a server restart"]
fn before_restart() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let photo = owner.upload_photo();
    let waiting = api.new_user();
    waiting
        .post("/api/vehicles", json!({ "plate": plate }))
        .expect(201);
    owner
        .post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/deny",
            waiting.user_id
        ))
        .expect(204);
    let state =
        json!({ "plate": plate, "owner": owner.phone, "waiting": waiting.phone, "photo": photo });
    std::fs::write(marker(), state.to_string()).unwrap();
}

#[test]
#[ignore = "run by scripts/test around a server restart"]
fn after_restart() {
    let state: Value = serde_json::from_str(&std::fs::read_to_string(marker()).unwrap()).unwrap();
    let plate = state["plate"].as_str().unwrap();
    let api = Api::from_env();
    let owner = api.login(state["owner"].as_str().unwrap());
    assert_eq!(owner.card_state(plate).as_deref(), Some("certified"));
    let photo = owner.get(&format!(
        "/api/uploads/{}",
        state["photo"].as_str().unwrap()
    ));
    assert_eq!(photo.status, 200, "the evidence photo survived in R2");
    let waiting = api.login(state["waiting"].as_str().unwrap());
    assert_eq!(
        waiting.notice(plate).unwrap()["kind"],
        "authorization_denied"
    );
    let history: Value = operator().get(&format!("/api/ops/vehicles/{plate}")).json();
    assert_eq!(history["history"].as_array().unwrap().len(), 5, "{history}");
}

/// scripts/test empties D1's vehicle indexes while the server is down; the rebuild recreates
/// them from the plates' objects.
#[test]
#[ignore = "run by scripts/test after the D1 indexes were emptied"]
fn rebuild_recreates_the_indexes() {
    let state: Value = serde_json::from_str(&std::fs::read_to_string(marker()).unwrap()).unwrap();
    let plate = state["plate"].as_str().unwrap();
    let api = Api::from_env();
    let owner = api.login(state["owner"].as_str().unwrap());
    assert_eq!(owner.card_state(plate), None, "the index was emptied");
    owner
        .post_empty("/api/ops/rebuild")
        .expect_error(403, "forbidden");
    let reply = operator().post_empty("/api/ops/rebuild");
    reply.expect(200);
    assert!(reply.json::<Value>()["rebuilt"].as_u64().unwrap() >= 1);
    assert_eq!(owner.card_state(plate).as_deref(), Some("certified"));
    let waiting = api.login(state["waiting"].as_str().unwrap());
    assert_eq!(
        waiting.notice(plate).unwrap()["kind"],
        "authorization_denied"
    );
}
