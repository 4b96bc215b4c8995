//! A plate's aggregate stays small however many commands it gets (a loop of add and cancel by a
//! stranger cannot jam the owner's plate), and retries are still answered the same way.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

mod common;

use common::*;
use shared::vehicle::{Actor, Command, CommandKind, REMEMBERED_EVENTS};
use shared::{RequestId, TenantPolicy};

const P: TenantPolicy = TenantPolicy::Platform;

/// u0 owns the plate.
fn owned() -> World {
    let mut w = World::new();
    let u0 = Actor::User(user("u0"));
    w.run(
        &u0,
        CommandKind::Add {
            certification: Some(certification()),
        },
        P,
    )
    .unwrap();
    let review = w.review_of("u0");
    w.run(&operator(), CommandKind::ApproveReview { review }, P)
        .unwrap();
    w
}

fn size(w: &World) -> usize {
    serde_json::to_string(&w.vehicle).unwrap().len()
}

#[test]
fn five_thousand_add_cancel_cycles_leave_the_aggregate_small_and_the_owner_in_charge() {
    let mut w = owned();
    let setup = w.log.len();
    let stranger = Actor::User(user("u4"));
    for _ in 0..5_000 {
        w.run(
            &stranger,
            CommandKind::Add {
                certification: None,
            },
            P,
        )
        .unwrap();
        w.run(&stranger, CommandKind::CancelRequest, P).unwrap();
        // A refused command is remembered too, and counts against the same bound.
        w.run(&stranger, CommandKind::CancelRequest, P).unwrap_err();
    }
    assert_eq!(w.log.len(), setup + 15_000, "every event is in the log");
    // Each remembered event is a few hundred bytes: the bound, not the number of commands,
    // decides the size.
    assert!(size(&w) < REMEMBERED_EVENTS * 600, "{} bytes", size(&w));
    let u0 = Actor::User(user("u0"));
    w.run(
        &u0,
        CommandKind::SetPrivacy(shared::privacy::PrivacySettings {
            protect: true,
            notify: true,
        }),
        P,
    )
    .unwrap();
    w.run(&u0, CommandKind::Remove, P).unwrap();
    assert!(w.vehicle.owner().is_none());
}

#[test]
fn a_retry_within_the_window_gets_the_first_answer_and_changes_nothing() {
    let mut w = owned();
    let stranger = Actor::User(user("u4"));
    let add = Command {
        request_id: RequestId::new("add-once"),
        kind: CommandKind::Add {
            certification: None,
        },
    };
    let first = w.run_command(&stranger, &add, P).unwrap();
    let events = w.log.len();
    for _ in 0..10 {
        w.run(&Actor::User(user("u1")), CommandKind::Remove, P)
            .unwrap_err();
    }
    assert_eq!(w.run_command(&stranger, &add, P).unwrap(), first);
    assert_eq!(w.log.len(), events + 10, "the retry added no event");
}

#[test]
fn the_memory_of_requests_is_bounded() {
    let mut w = owned();
    let setup = w.vehicle.last_seq();
    for _ in 0..(REMEMBERED_EVENTS * 2) {
        w.run(&Actor::User(user("u1")), CommandKind::Remove, P)
            .unwrap_err();
    }
    assert_eq!(w.vehicle.recent_events().count(), REMEMBERED_EVENTS);
    assert_eq!(w.vehicle.last_seq(), setup + 2 * REMEMBERED_EVENTS as u64);
}
