//! The rules of SPEC §3: [`decide`] turns a command into events or a refusal, [`apply`] folds an
//! event into the state, [`execute`] does both and remembers refusals.
//!
//! Review and notice ids are not passed in: each is `{plate}-{seq}`, the sequence number of the
//! event that creates it, so the same command on the same state always gives the same ids.
//!
//! This module is the entry and the dispatch (who may send what); each command's rules live in
//! `user` (a user's own relation), `owner` (the owner's answers and settings) and `operator`
//! (工作台's reviews), which build their events with `events`.

mod events;
mod operator;
mod owner;
mod user;

use events::Events;

use crate::ids::{NoticeId, UserId};
use crate::tenant::TenantPolicy;
use crate::timestamp::Timestamp;
use crate::vehicle::command::{Actor, Command, CommandKind};
use crate::vehicle::event::{Change, Event};
use crate::vehicle::refusal::CommandError;
use crate::vehicle::state::{EndedKind, Notice, Owner, Relation, Vehicle};

/// The result of [`execute`]: the new state, the answer, and the events to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    /// The vehicle after the command (unchanged by a retry).
    pub state: Vehicle,
    /// The answer: the events the command produced (for a retry: the first time's), or why not.
    pub outcome: Result<Vec<Event>, CommandError>,
    /// The events appended now (empty for a retry): what the caller persists.
    pub new_events: Vec<Event>,
}

/// Decides and applies a command, remembering a refusal so a retry gets the same answer: what
/// the vehicle's Durable Object calls.
pub fn execute(
    state: Vehicle,
    command: &Command,
    actor: &Actor,
    now: Timestamp,
    policy: TenantPolicy,
) -> Execution {
    if let Some(outcome) = state.replay(actor, &command.request_id) {
        return Execution {
            state,
            outcome,
            new_events: Vec::new(),
        };
    }
    match decide_fresh(Events::new(&state, command, actor, now), policy) {
        Ok(events) => {
            let state = events.iter().fold(state, apply);
            Execution {
                state,
                outcome: Ok(events.clone()),
                new_events: events,
            }
        }
        Err(error) => {
            let refusal = Event {
                seq: state.last_seq() + 1,
                request_id: command.request_id.clone(),
                actor: actor.clone(),
                at: now,
                change: Change::Refused {
                    error: error.clone(),
                },
            };
            Execution {
                state: apply(state, &refusal),
                outcome: Err(error),
                new_events: vec![refusal],
            }
        }
    }
}

/// Decides what a command does to the vehicle: the events, or why it is refused. A request id
/// seen before returns its first outcome (applying those events again changes nothing).
///
/// # Errors
/// A [`CommandError`] naming the refusal: the actor may not send it (not an operator, not the
/// owner, tenant policy), the current state does not allow it, the review or dialog is unknown,
/// or the input is malformed; [`CommandError::code`] tells which kind.
pub fn decide(
    state: &Vehicle,
    command: &Command,
    actor: &Actor,
    now: Timestamp,
    policy: TenantPolicy,
) -> Result<Vec<Event>, CommandError> {
    match state.replay(actor, &command.request_id) {
        Some(outcome) => outcome,
        None => decide_fresh(Events::new(state, command, actor, now), policy),
    }
}

/// Folds one event into the state; an event already applied (by its sequence number) is ignored.
pub fn apply(mut state: Vehicle, event: &Event) -> Vehicle {
    if event.seq <= state.last_seq() {
        return state;
    }
    let at = event.at;
    match &event.change {
        Change::Added { user } => state.set_relation(
            user,
            Relation::Added {
                rejection_reason: None,
            },
        ),
        Change::AuthorizationRequested { user } => {
            state.set_relation(user, Relation::AwaitingAuthorization { since: at });
        }
        Change::CertificationSubmitted { user, review } => {
            state.set_relation(user, Relation::Certifying(review.clone()));
        }
        Change::CertificationApproved { user, .. } => {
            state.set_owner(Some(Owner::new(user.clone(), at, None)));
        }
        Change::CertificationRejected { user, reason, .. } => state.set_relation(
            user,
            Relation::Added {
                rejection_reason: Some(reason.clone()),
            },
        ),
        Change::AppealSubmitted { user, review } => {
            state.set_relation(user, Relation::Appealing(review.clone()));
        }
        Change::AppealApproved { user, notice, .. } => {
            state.set_owner(Some(Owner::new(user.clone(), at, Some(notice.clone()))));
        }
        Change::AppealRejected {
            user,
            notice,
            reason,
            ..
        } => {
            let reason = Some(reason.clone());
            end_with(
                &mut state,
                user,
                notice,
                EndedKind::AppealFailed,
                at,
                reason,
            );
        }
        Change::CertificationRevoked { user, notice, .. } => {
            end(&mut state, user, notice, EndedKind::RevokedByOperator, at);
        }
        Change::RequestApproved { user } => {
            state.set_relation(user, Relation::Authorized { since: at });
        }
        Change::RequestDenied { user, notice } => {
            end(&mut state, user, notice, EndedKind::AuthorizationDenied, at);
        }
        Change::AuthorizationRevoked { user, notice } => {
            end(
                &mut state,
                user,
                notice,
                EndedKind::AuthorizationRevoked,
                at,
            );
        }
        Change::NoticeIssued { user, notice, kind } => end(&mut state, user, notice, *kind, at),
        Change::RequestCancelled { user } | Change::Removed { user } => state.remove_user(user),
        Change::Acknowledged { user, notice } => {
            if let Some(owner) = state.owner_mut().filter(|o| &o.user == user) {
                if owner.appeal_succeeded.as_ref() == Some(notice) {
                    owner.appeal_succeeded = None;
                }
            } else if matches!(state.relation(user), Some(Relation::Notice(n)) if &n.id == notice) {
                state.remove_user(user);
            }
        }
        Change::PrivacySet { privacy } => {
            if let Some(owner) = state.owner_mut() {
                owner.privacy = *privacy;
            }
        }
        Change::AutopaySet { autopay } => {
            if let Some(owner) = state.owner_mut() {
                owner.autopay = autopay.clone();
            }
        }
        Change::DetailsSet { details } => state.set_details(details.clone()),
        Change::Refused { .. } => {}
    }
    state.record(event);
    state
}

fn end(state: &mut Vehicle, user: &UserId, id: &NoticeId, kind: EndedKind, at: Timestamp) {
    end_with(state, user, id, kind, at, None);
}

fn end_with(
    state: &mut Vehicle,
    user: &UserId,
    id: &NoticeId,
    kind: EndedKind,
    at: Timestamp,
    reason: Option<String>,
) {
    let notice = Notice {
        id: id.clone(),
        kind,
        since: at,
        reason,
    };
    state.set_relation(user, Relation::Notice(notice));
}

/// The actor's relation to the vehicle.
enum Position<'a> {
    Stranger,
    Owner(&'a Owner),
    Related(&'a Relation),
}

fn position<'a>(state: &'a Vehicle, user: &UserId) -> Position<'a> {
    match (state.owner(), state.relation(user)) {
        (Some(owner), _) if &owner.user == user => Position::Owner(owner),
        (_, Some(relation)) => Position::Related(relation),
        (_, None) => Position::Stranger,
    }
}

/// The dispatch: who may send the command, whether the tenant shows 我的车辆 at all, then the
/// command's own rules.
fn decide_fresh(ev: Events<'_>, policy: TenantPolicy) -> Result<Vec<Event>, CommandError> {
    let (state, command, actor) = (ev.state, ev.command, ev.actor);
    if command.kind.is_operator_command() {
        // Operators serve the platform: tenant policies shape what users may do, not them.
        let Actor::Operator(operator) = actor else {
            return Err(CommandError::OperatorsOnly);
        };
        return match &command.kind {
            CommandKind::ApproveReview { review } => operator::approve_review(ev, operator, review),
            CommandKind::RejectReview { review, reason } => {
                operator::reject_review(ev, operator, review, reason)
            }
            CommandKind::RevokeCertification { reason } => {
                operator::revoke_certification(ev, reason)
            }
            CommandKind::Add { .. }
            | CommandKind::SubmitCertification(_)
            | CommandKind::Appeal(_)
            | CommandKind::CancelRequest
            | CommandKind::Remove
            | CommandKind::Acknowledge { .. }
            | CommandKind::ApproveRequest { .. }
            | CommandKind::DenyRequest { .. }
            | CommandKind::RevokeAuthorization { .. }
            | CommandKind::SetPrivacy(_)
            | CommandKind::SetAutopay(_)
            | CommandKind::SetDetails(_) => Err(CommandError::UsersOnly),
        };
    }
    let Actor::User(user) = actor else {
        return Err(CommandError::UsersOnly);
    };
    match policy {
        TenantPolicy::Hidden => return Err(CommandError::VehiclesHidden),
        TenantPolicy::Platform | TenantPolicy::Open | TenantPolicy::Mandatory => {}
    }
    let me = position(state, user);
    match &command.kind {
        CommandKind::Add { certification } => {
            user::add(ev, user, me, certification.as_ref(), policy)
        }
        CommandKind::SubmitCertification(c) => user::submit_certification(ev, user, me, c, policy),
        CommandKind::Appeal(a) => user::appeal(ev, user, me, a, policy),
        CommandKind::CancelRequest => user::cancel_request(ev, user, me),
        CommandKind::Remove => user::remove(ev, user, me),
        CommandKind::Acknowledge { notice } => user::acknowledge(ev, user, me, notice),
        CommandKind::ApproveRequest { user: target } => owner::approve_request(ev, me, target),
        CommandKind::DenyRequest { user: target } => owner::deny_request(ev, me, target),
        CommandKind::RevokeAuthorization { user: target } => {
            owner::revoke_authorization(ev, me, target)
        }
        CommandKind::SetPrivacy(privacy) => owner::set_privacy(ev, me, *privacy),
        CommandKind::SetAutopay(autopay) => owner::set_autopay(ev, me, autopay),
        CommandKind::SetDetails(details) => owner::set_details(ev, user, details),
        CommandKind::ApproveReview { .. }
        | CommandKind::RejectReview { .. }
        | CommandKind::RevokeCertification { .. } => Err(CommandError::OperatorsOnly),
    }
}
