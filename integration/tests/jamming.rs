//! A stranger who loops add → 取消添加 on someone's plate cannot jam it: after 5,000 cycles the
//! owner still turns privacy on, answers a request and removes the car, and 工作台 still reads the
//! plate. (Before the aggregate was bounded, its row outgrew the storage limit after a few
//! thousand cycles and every later command on the plate failed.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::{operator, owner_of_new_plate, Api};
use serde_json::json;

const CYCLES: usize = 5_000;

#[test]
fn five_thousand_add_cancel_cycles_do_not_jam_the_owners_plate() {
    let api = Api::from_env();
    let (owner, plate) = owner_of_new_plate(&api);
    let stranger = api.new_user();
    for i in 0..CYCLES {
        stranger
            .post("/api/vehicles", json!({ "plate": plate }))
            .expect(201);
        stranger
            .post_empty(&format!("/api/vehicles/{plate}/cancel-request"))
            .expect(204);
        if i % 1_000 == 0 {
            eprintln!("jamming: {i} cycles");
        }
    }

    owner
        .put(
            &format!("/api/vehicles/{plate}/privacy"),
            json!({ "protect": true, "notify": true }),
        )
        .expect(204);
    let family = api.new_user();
    family
        .post("/api/vehicles", json!({ "plate": plate }))
        .expect(201);
    owner
        .post_empty(&format!(
            "/api/vehicles/{plate}/authorizations/{}/approve",
            family.user_id
        ))
        .expect(204);
    assert_eq!(family.card_state(&plate).as_deref(), Some("authorized"));

    let view = operator().get(&format!("/api/ops/vehicles/{plate}"));
    view.expect(200);
    let history = view.json::<serde_json::Value>()["history"]
        .as_array()
        .unwrap()
        .len();
    assert!(history > 0 && history <= 1_000, "{history} events shown");

    owner.delete(&format!("/api/vehicles/{plate}")).expect(204);
    assert_eq!(
        family.notice(&plate).unwrap()["kind"],
        "authorization_revoked"
    );
}
