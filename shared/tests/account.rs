//! 注销账号: closing an account ends each of the user's relations the way SPEC §3's own
//! removal or acknowledgement does, whatever the relation is.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use rstest::rstest;
use shared::account::closing_command;
use shared::vehicle::{Actor, CommandKind, NoticeKind, RelationState};
use shared::TenantPolicy;

const P: TenantPolicy = TenantPolicy::Platform;

fn as_user(name: &str) -> Actor {
    Actor::User(user(name))
}

/// u0 owns the plate, u1 is authorized, u2 waits for authorization.
fn owned_with_family() -> World {
    let mut w = World::new();
    w.run(
        &as_user("u0"),
        CommandKind::Add {
            certification: None,
        },
        P,
    )
    .unwrap();
    w.run(
        &as_user("u0"),
        CommandKind::SubmitCertification(certification()),
        P,
    )
    .unwrap();
    let review = w.review_of("u0");
    w.run(&operator(), CommandKind::ApproveReview { review }, P)
        .unwrap();
    for name in ["u1", "u2"] {
        w.run(
            &as_user(name),
            CommandKind::Add {
                certification: None,
            },
            P,
        )
        .unwrap();
    }
    let owner = w.owner_actor();
    w.run(&owner, CommandKind::ApproveRequest { user: user("u1") }, P)
        .unwrap();
    w
}

/// Runs `name`'s closing commands until nothing of them is left (at most two: a removal can
/// not leave a dialog for the one who removed).
fn close(w: &mut World, name: &str) {
    for _ in 0..2 {
        let Some(kind) = closing_command(&w.vehicle, &user(name)) else {
            return;
        };
        w.run(&as_user(name), kind, P)
            .expect("a closing command is accepted");
    }
    assert_eq!(closing_command(&w.vehicle, &user(name)), None);
}

#[test]
fn the_owner_closing_leaves_the_plate_without_owner_and_family_with_the_revoked_notice() {
    let mut w = owned_with_family();
    close(&mut w, "u0");
    assert!(w.vehicle.owner().is_none());
    assert_eq!(w.state_of("u0"), None);
    for family in ["u1", "u2"] {
        let (_, kind) = w.vehicle.notice_for(&user(family)).expect("a notice");
        assert_eq!(kind, NoticeKind::AuthorizationRevoked, "{family}");
    }
    check_state_invariants(&w.vehicle).unwrap();
}

#[rstest]
#[case::authorized("u1", RelationState::Authorized)]
#[case::awaiting("u2", RelationState::AwaitingAuthorization)]
fn family_closing_just_leaves(#[case] name: &str, #[case] before: RelationState) {
    let mut w = owned_with_family();
    assert_eq!(w.state_of(name), Some(before));
    close(&mut w, name);
    assert_eq!(w.state_of(name), None);
    assert!(w.vehicle.is_owner(&user("u0")));
}

#[test]
fn a_waiting_dialog_is_acknowledged() {
    let mut w = owned_with_family();
    let owner = w.owner_actor();
    w.run(
        &owner,
        CommandKind::RevokeAuthorization { user: user("u1") },
        P,
    )
    .unwrap();
    assert!(matches!(
        closing_command(&w.vehicle, &user("u1")),
        Some(CommandKind::Acknowledge { .. })
    ));
    close(&mut w, "u1");
    assert_eq!(w.state_of("u1"), None);
}

#[test]
fn a_pending_certification_is_withdrawn_and_a_stranger_has_nothing_to_close() {
    let mut w = World::new();
    w.run(
        &as_user("u3"),
        CommandKind::Add {
            certification: None,
        },
        P,
    )
    .unwrap();
    w.run(
        &as_user("u3"),
        CommandKind::SubmitCertification(certification()),
        P,
    )
    .unwrap();
    close(&mut w, "u3");
    assert!(w.vehicle.pending_reviews().is_empty());
    assert_eq!(closing_command(&w.vehicle, &user("u4")), None);
}
