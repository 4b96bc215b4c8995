//! Random command sequences by five users (one of them soon an owner) and an operator, with
//! replays, checking every SPEC §3 invariant after every step. `CI=true`: 10,000 cases.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use proptest::prelude::*;
use shared::api::vehicles::{NoticeItem, VehicleItem};
use shared::api::ErrorCode;
use shared::ids::{NoticeId, RequestId, ReviewId};
use shared::payment::{AutopaySettings, PaymentSource};
use shared::privacy::PrivacySettings;
use shared::vehicle::{
    apply, decide, Actor, Command, CommandError, CommandKind, Event, RelationState, Vehicle,
    VehicleDetails,
};
use shared::TenantPolicy;

fn cases() -> u32 {
    if std::env::var("CI").is_ok() {
        10_000
    } else {
        1_000
    }
}

/// Who sends a generated command.
#[derive(Debug, Clone, Copy)]
enum Who {
    User(usize),
    Owner,
    Operator,
}

/// A command with its references (reviews, notices) still abstract.
#[derive(Debug, Clone)]
enum Abs {
    Add {
        certify: bool,
    },
    Certify,
    Appeal,
    Cancel,
    Remove,
    Ack {
        current: bool,
    },
    ApproveRequest(usize),
    DenyRequest(usize),
    RevokeAuthorization(usize),
    Privacy(bool, bool),
    Autopay(bool, usize),
    ApproveReview(usize),
    RejectReview(usize),
    RevokeCertification,
    /// 车辆信息: a valid nickname, or one too long.
    Details(bool),
}

#[derive(Debug, Clone)]
enum Step {
    Fresh(Who, Abs, TenantPolicy),
    /// Re-send an earlier request (by index); `altered`: with another command under the same id.
    Replay(usize, bool),
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        6 => (0..USERS.len()).prop_map(Who::User),
        2 => Just(Who::Owner),
        1 => Just(Who::Operator),
    ]
}

fn operator_who() -> impl Strategy<Value = Who> {
    prop_oneof![8 => Just(Who::Operator), 1 => (0..USERS.len()).prop_map(Who::User)]
}

fn policy() -> impl Strategy<Value = TenantPolicy> {
    prop_oneof![
        17 => Just(TenantPolicy::Platform),
        1 => Just(TenantPolicy::Open),
        1 => Just(TenantPolicy::Hidden),
        1 => Just(TenantPolicy::Mandatory),
    ]
}

fn user_abs() -> impl Strategy<Value = Abs> {
    prop_oneof![
        4 => any::<bool>().prop_map(|certify| Abs::Add { certify }),
        3 => Just(Abs::Certify),
        3 => Just(Abs::Appeal),
        1 => Just(Abs::Cancel),
        2 => Just(Abs::Remove),
        3 => prop_oneof![5 => Just(true), 1 => Just(false)].prop_map(|current| Abs::Ack { current }),
        1 => any::<bool>().prop_map(Abs::Details),
    ]
}

fn owner_who() -> impl Strategy<Value = Who> {
    prop_oneof![6 => Just(Who::Owner), 1 => (0..USERS.len()).prop_map(Who::User), 1 => Just(Who::Operator)]
}

fn owner_abs() -> impl Strategy<Value = Abs> {
    let u = 0..USERS.len();
    prop_oneof![
        3 => u.clone().prop_map(Abs::ApproveRequest),
        2 => u.clone().prop_map(Abs::DenyRequest),
        2 => u.prop_map(Abs::RevokeAuthorization),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(p, n)| Abs::Privacy(p, n)),
        1 => (any::<bool>(), 0..4usize).prop_map(|(e, s)| Abs::Autopay(e, s)),
    ]
}

fn operator_abs() -> impl Strategy<Value = Abs> {
    prop_oneof![
        6 => (0..4usize).prop_map(Abs::ApproveReview),
        3 => (0..4usize).prop_map(Abs::RejectReview),
        1 => Just(Abs::RevokeCertification),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => (who(), user_abs(), policy()).prop_map(|(w, a, p)| Step::Fresh(w, a, p)),
        5 => (owner_who(), owner_abs(), policy()).prop_map(|(w, a, p)| Step::Fresh(w, a, p)),
        4 => (operator_who(), operator_abs(), policy()).prop_map(|(w, a, p)| Step::Fresh(w, a, p)),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(i, alt)| Step::Replay(i, alt)),
    ]
}

/// Mostly a user in `state` (so owners' answers mostly apply), sometimes anyone.
fn target(v: &Vehicle, pick: usize, state: RelationState) -> shared::ids::UserId {
    let fitting: Vec<_> = USERS
        .iter()
        .filter(|u| v.state_of(&user(u)) == Some(state))
        .collect();
    match fitting.get(pick) {
        Some(u) if pick < 4 => user(u),
        _ => user(USERS[pick % USERS.len()]),
    }
}

fn resolve(v: &Vehicle, who: Who, abs: &Abs, n: u64) -> (Actor, CommandKind) {
    let actor = match who {
        Who::User(i) => Actor::User(user(USERS[i])),
        Who::Owner => Actor::User(v.owner().map_or_else(|| user("u0"), |o| o.user.clone())),
        Who::Operator => operator(),
    };
    let me = actor.account().clone();
    let review = |pick: usize| {
        let pending = v.pending_reviews();
        match pending.get(pick) {
            Some(r) => r.id.clone(),
            // A decided review (if any) or one that never was.
            None => ReviewId::new(plate(), pick as u64 + n % 3),
        }
    };
    let kind = match abs {
        Abs::Add { certify } => CommandKind::Add {
            certification: certify.then(certification),
        },
        Abs::Certify => CommandKind::SubmitCertification(certification()),
        Abs::Appeal => CommandKind::Appeal(appeal()),
        Abs::Cancel => CommandKind::CancelRequest,
        Abs::Remove => CommandKind::Remove,
        Abs::Ack { current } => {
            let notice = match v.notice_for(&me) {
                Some((id, _)) if *current => id,
                _ => NoticeId::new(plate(), n % 7),
            };
            CommandKind::Acknowledge { notice }
        }
        Abs::ApproveRequest(t) => CommandKind::ApproveRequest {
            user: target(v, *t, RelationState::AwaitingAuthorization),
        },
        Abs::DenyRequest(t) => CommandKind::DenyRequest {
            user: target(v, *t, RelationState::AwaitingAuthorization),
        },
        Abs::RevokeAuthorization(t) => CommandKind::RevokeAuthorization {
            user: target(v, *t, RelationState::Authorized),
        },
        Abs::Privacy(protect, notify) => CommandKind::SetPrivacy(PrivacySettings {
            protect: *protect,
            notify: *notify,
        }),
        Abs::Autopay(enabled, s) => CommandKind::SetAutopay(AutopaySettings {
            enabled: *enabled,
            sources: match s {
                0 => vec![PaymentSource::Coupon, PaymentSource::Wallet],
                1 => vec![PaymentSource::Wallet, PaymentSource::Coupon],
                2 => vec![PaymentSource::Wallet],
                _ => vec![PaymentSource::Wallet, PaymentSource::Wallet],
            },
            ..AutopaySettings::default()
        }),
        Abs::ApproveReview(pick) => CommandKind::ApproveReview {
            review: review(*pick),
        },
        Abs::RejectReview(pick) => CommandKind::RejectReview {
            review: review(*pick),
            reason: "资料不全".to_owned(),
        },
        Abs::RevokeCertification => CommandKind::RevokeCertification {
            reason: "异常".to_owned(),
        },
        Abs::Details(valid) => CommandKind::SetDetails(VehicleDetails {
            nickname: Some(
                if *valid {
                    "小白"
                } else {
                    "一二三四五六七八九十一"
                }
                .to_owned(),
            ),
            ..VehicleDetails::default()
        }),
    };
    (actor, kind)
}

struct Sent {
    actor: Actor,
    command: Command,
    policy: TenantPolicy,
    outcome: Result<Vec<Event>, CommandError>,
}

fn round_trip(
    v: &Vehicle,
    outcome: &Result<Vec<Event>, CommandError>,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(v).unwrap();
    let back: Vehicle = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(&back, v);
    let json = serde_json::to_string(outcome).unwrap();
    let back: Result<Vec<Event>, CommandError> = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(&back, outcome);
    Ok(())
}

fn check_step(
    before: &Vehicle,
    after: &Vehicle,
    actor: &Actor,
    kind: &CommandKind,
    outcome: &Result<Vec<Event>, CommandError>,
) -> Result<(), TestCaseError> {
    check_state_invariants(after).map_err(TestCaseError::fail)?;
    check_settings(before, after).map_err(TestCaseError::fail)?;
    check_no_silent_loss(before, after, actor, kind).map_err(TestCaseError::fail)?;
    // Users never reach operator commands, operators never send user commands.
    let wrong_actor = match actor {
        Actor::User(_) => kind
            .is_operator_command()
            .then_some(CommandError::OperatorsOnly),
        Actor::Operator(_) => (!kind.is_operator_command()).then_some(CommandError::UsersOnly),
    };
    // 车辆信息 changes only by someone allowed to keep it (SPEC §11), and only by SetDetails.
    if let (Ok(_), CommandKind::SetDetails(_)) = (outcome, kind) {
        prop_assert!(before.may_edit_details(actor.account()));
    }
    if !matches!(kind, CommandKind::SetDetails(_)) || outcome.is_err() {
        prop_assert_eq!(before.details(), after.details());
    }
    if let Some(refusal) = wrong_actor {
        prop_assert_eq!(refusal.code(), ErrorCode::Forbidden);
        prop_assert_eq!(outcome.as_ref().err(), Some(&refusal));
    }
    match outcome {
        Ok(events) => {
            prop_assert!(!events.is_empty());
            for (i, e) in events.iter().enumerate() {
                prop_assert_eq!(e.seq, before.last_seq() + 1 + i as u64);
            }
            // Applying the same events again changes nothing.
            let again = events.iter().fold(after.clone(), apply);
            prop_assert_eq!(&again, after);
        }
        Err(_) => prop_assert_eq!(standing(before), standing(after)),
    }
    // Every pending dialog renders, and every card too.
    for name in USERS {
        let u = user(name);
        if let Some(item) = NoticeItem::for_user(after, &u) {
            prop_assert!(item.text.contains(after.plate().as_str()));
        }
        let card = VehicleItem::for_user(after, &u, false);
        let has_card = matches!(after.state_of(&u), Some(s) if s.card().is_some());
        prop_assert_eq!(card.is_some(), has_card);
    }
    round_trip(after, outcome)
}

fn run_case(with_owner: bool, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let mut w = World::new();
    let mut sent: Vec<Sent> = Vec::new();
    if with_owner {
        let u0 = Actor::User(user("u0"));
        w.run(
            &u0,
            CommandKind::Add {
                certification: Some(certification()),
            },
            TenantPolicy::Platform,
        )
        .unwrap();
        let review = w.review_of("u0");
        w.run(
            &operator(),
            CommandKind::ApproveReview { review },
            TenantPolicy::Platform,
        )
        .unwrap();
    }
    for (n, step) in steps.into_iter().enumerate() {
        let before = w.vehicle.clone();
        match step {
            Step::Fresh(who, abs, policy) => {
                let (actor, kind) = resolve(&w.vehicle, who, &abs, n as u64);
                w.step += 1;
                let command = Command {
                    request_id: RequestId::new(format!("r{n}")),
                    kind: kind.clone(),
                };
                // decide alone is pure and agrees with execute.
                let decided = decide(&w.vehicle, &command, &actor, w.now(), policy);
                let outcome = w.run_command(&actor, &command, policy);
                prop_assert_eq!(&decided, &outcome);
                check_step(&before, &w.vehicle, &actor, &kind, &outcome)?;
                sent.push(Sent {
                    actor,
                    command,
                    policy,
                    outcome,
                });
            }
            Step::Replay(i, altered) => {
                if sent.is_empty() {
                    continue;
                }
                let first = &sent[i % sent.len()];
                let mut command = first.command.clone();
                if altered {
                    command.kind = CommandKind::Remove;
                }
                w.step += 1;
                let outcome = w.run_command(&first.actor, &command, first.policy);
                prop_assert_eq!(&outcome, &first.outcome, "a retry got another answer");
                prop_assert_eq!(&w.vehicle, &before, "a retry changed the vehicle");
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn invariants_hold_after_every_step(
        with_owner in any::<bool>(),
        steps in proptest::collection::vec(step(), 1..32),
    ) {
        run_case(with_owner, steps)?;
    }
}
