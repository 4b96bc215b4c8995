//! Restart: what users did before `wrangler dev` stops is all there after it starts again.
//! scripts/test runs `before_restart`, restarts the server on the same state, then
//! `after_restart` (both are ignored by a plain `cargo test`, which has no server to restart).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::gateway::CarPark;
use integration::{operator, owner_of_new_plate, Api, Session};
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
    // A stay paid by a stranger, and money left in the owner's wallet.
    let car_park = CarPark::parking(&api);
    car_park.entry(&plate).expect(200);
    let exit: Value = car_park.exit(&plate, 700).expect(200).json();
    let order = exit["order_id"].as_str().unwrap();
    let payer = api.new_user();
    payer
        .post("/api/wallet/top-up", json!({ "amount_fen": 1000 }))
        .expect(200);
    payer
        .post(
            &format!("/api/orders/{order}/pay"),
            json!({ "source": "wallet" }),
        )
        .expect(200);
    // What the owner was told (certified, a request, the entry and exit, who paid): all of it
    // must be there after the restart.
    let told = owner.messages()["messages"].as_array().unwrap().len();
    let state = json!({ "plate": plate, "owner": owner.phone, "waiting": waiting.phone,
                        "photo": photo, "payer": payer.phone, "order": order, "told": told });
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

    let order = state["order"].as_str().unwrap();
    assert_eq!(
        paid_order(&owner, order)["paid"],
        true,
        "the order survived"
    );
    assert_eq!(
        owner.messages()["messages"].as_array().unwrap().len() as u64,
        state["told"].as_u64().unwrap()
    );
    let payer = api.login(state["payer"].as_str().unwrap());
    let wallet: Value = payer.get("/api/wallet").json();
    assert_eq!(wallet["balance_fen"], 300, "the wallet survived");
    assert_eq!(paid_order(&payer, order)["amount_fen"], 700);
}

/// `order` as `user` sees it in 停车/充电记录.
#[track_caller]
fn paid_order(user: &Session, order: &str) -> Value {
    user.order(order)
        .unwrap_or_else(|| panic!("{order} is not listed for {}", user.user_id))
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
    // The payer index was emptied too: the payer finds the order again after the rebuild.
    let payer = api.login(state["payer"].as_str().unwrap());
    assert_eq!(
        paid_order(&payer, state["order"].as_str().unwrap())["paid"],
        true
    );
}
