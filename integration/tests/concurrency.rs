//! 50 clients racing add / certify / appeal / approve on one plate: exactly one owner, every
//! loser holds a notice (or a pending appeal), and D1's lists match the plate's object.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use std::thread;

use integration::{operator, unique_plate, Api, Session};
use serde_json::{json, Value};

const CLIENTS: usize = 50;

/// Runs `f` for every user at once, one thread each, and returns the statuses.
fn race<F>(users: &[Session], f: F) -> Vec<u16>
where
    F: Fn(&Session) -> u16 + Sync,
{
    thread::scope(|s| {
        let handles: Vec<_> = users.iter().map(|u| s.spawn(|| f(u))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn fifty_clients_racing_on_one_plate_leave_exactly_one_owner() {
    let api = Api::from_env();
    let plate = unique_plate();
    let users: Vec<Session> = thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS).map(|_| s.spawn(|| api.new_user())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let photos: Vec<String> = users.iter().map(Session::upload_photo).collect();

    // Everyone adds at once: nobody owns the plate yet, so everyone is `added`.
    let statuses = race(&users, |u| {
        u.post("/api/vehicles", json!({ "plate": plate })).status
    });
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");

    // Everyone certifies at once.
    let statuses = race(&users, |u| {
        let i = users.iter().position(|x| x.user_id == u.user_id).unwrap();
        u.post(
            &format!("/api/vehicles/{plate}/certification"),
            json!({ "owner_name": "车主", "evidence": [photos[i]] }),
        )
        .status
    });
    assert!(statuses.iter().all(|s| *s == 202), "{statuses:?}");

    // Operators approve every pending review at once, while half the users also try to appeal.
    let queue: Vec<Value> = operator().get("/api/ops/reviews?kind=certification").json();
    let ids: Vec<String> = queue
        .iter()
        .filter(|r| r["plate"] == plate.as_str())
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), CLIENTS);
    let (approvals, appeals) = thread::scope(|s| {
        let approvals: Vec<_> = ids
            .iter()
            .map(|id| {
                s.spawn(move || {
                    operator()
                        .post_empty(&format!("/api/ops/reviews/{id}/approve"))
                        .status
                })
            })
            .collect();
        let appeals: Vec<_> = users
            .iter()
            .zip(&photos)
            .step_by(2)
            .map(|(u, photo)| {
                let plate = &plate;
                s.spawn(move || {
                    u.post(
                        &format!("/api/vehicles/{plate}/appeal"),
                        json!({ "reason": "我的车", "evidence": [photo] }),
                    )
                    .status
                })
            })
            .collect();
        (
            approvals
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect::<Vec<u16>>(),
            appeals
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect::<Vec<u16>>(),
        )
    });
    assert_eq!(
        approvals.iter().filter(|s| **s == 204).count(),
        1,
        "exactly one approval wins: {approvals:?}"
    );
    assert!(
        approvals.iter().all(|s| [204, 404, 409].contains(s)),
        "losers are refused, never 5xx: {approvals:?}"
    );
    assert!(
        appeals.iter().all(|s| [202, 403, 409].contains(s)),
        "{appeals:?}"
    );

    // The object: one owner; everyone else holds a notice or a pending appeal.
    let vehicle: Value = operator().get(&format!("/api/ops/vehicles/{plate}")).json();
    let relations = vehicle["relations"].as_array().unwrap();
    let owners: Vec<&Value> = relations
        .iter()
        .filter(|r| r["state"] == "certified")
        .collect();
    assert_eq!(owners.len(), 1, "{relations:?}");
    assert_eq!(vehicle["owner"], owners[0]["user_id"]);
    assert_eq!(relations.len(), CLIENTS, "nobody's relation vanished");

    // D1 (what each user's list shows) matches the object, user by user.
    for user in &users {
        let in_object = relations
            .iter()
            .find(|r| r["user_id"] == user.user_id.as_str())
            .unwrap();
        let card = user.card_state(&plate);
        let notice = user.notice(&plate);
        match in_object["state"].as_str() {
            Some("certified") => assert_eq!(card.as_deref(), Some("certified")),
            Some("appealing") => assert_eq!(card.as_deref(), Some("appealing")),
            _ => {
                assert_eq!(
                    in_object["state"],
                    json!({ "notice": "certified_by_other" })
                );
                assert_eq!(card, None);
                assert_eq!(notice.unwrap()["kind"], "certified_by_other");
            }
        }
    }
}
