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

use crate::ids::{NoticeId, UploadId, UserId};
use crate::tenant::TenantPolicy;
use crate::timestamp::Timestamp;
use crate::vehicle::command::{
    Actor, AppealClaim, Certification, Command, CommandError, CommandKind, MAX_EVIDENCE,
    MAX_NAME_CHARS, MAX_REASON_CHARS,
};
use crate::vehicle::event::{Change, Event};
use crate::vehicle::state::{EndedKind, Notice, Owner, Relation, Vehicle};

// Refusal texts, until they are types.
const HIDDEN: &str = "本项目未开放我的车辆功能";
const NO_CERTIFICATION: &str = "本项目无需认证车辆";
const CERTIFICATION_REQUIRED: &str = "本项目添加车辆需同时提交认证资料";
const USER_ONLY: &str = "请使用车主账号操作我的车辆";
const OPERATOR_ONLY: &str = "仅平台运营人员可操作";
const OWNER_ONLY: &str = "仅认证车主可操作";
const ALREADY_ADDED: &str = "该车辆已在您的车辆列表中";
const ANSWER_NOTICE_FIRST: &str = "请先处理该车辆的提醒";
const NOT_ADDED: &str = "您的车辆列表中没有该车辆";
const ALREADY_CERTIFIED: &str = "您已认证该车辆";
const CERTIFYING: &str = "认证资料已提交,请等待审核";
const APPEALING: &str = "申诉资料已提交,请等待审核";
const OWNED_USE_APPEAL: &str = "该车辆已被其他账号认证,如有异议请提交申诉";
const UNOWNED_USE_CERTIFY: &str = "该车辆尚无认证车主,请直接认证";
const AUTHORIZED_NO_APPEAL: &str = "您已获车主授权,如需认证请先移除车辆再申诉";
const NOTICE_NO_APPEAL: &str = "该提醒不支持申诉";
const NO_REQUEST: &str = "没有待车主确认的添加申请";
/// Answered, someone else's, or never existed: to the caller it is all the same (no leak).
const NO_PENDING_NOTICE: &str = "没有需要处理的提醒";
const NO_SUCH_REQUEST: &str = "该用户没有待确认的授权申请";
const NOT_AUTHORIZED: &str = "该用户未获授权";
const REVIEW_DONE: &str = "该审核已处理";
const NO_SUCH_REVIEW: &str = "没有该审核";
const NO_OWNER: &str = "该车辆没有认证车主";
const HAS_OWNER: &str = "该车辆已有认证车主";
const BAD_SOURCES: &str = "扣款方式不能为空或重复";

fn forbidden(m: &str) -> CommandError {
    CommandError::Forbidden(m.to_owned())
}
fn conflict(m: &str) -> CommandError {
    CommandError::Conflict(m.to_owned())
}
fn invalid(m: &str) -> CommandError {
    CommandError::Invalid(m.to_owned())
}

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
    match decide_fresh(&state, command, actor, now, policy) {
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
/// [`CommandError::Forbidden`] when the actor may not send it (not an operator, not the owner,
/// tenant policy), [`CommandError::Conflict`] when the current state does not allow it,
/// [`CommandError::NotFound`] for an unknown review, [`CommandError::Invalid`] for bad input.
pub fn decide(
    state: &Vehicle,
    command: &Command,
    actor: &Actor,
    now: Timestamp,
    policy: TenantPolicy,
) -> Result<Vec<Event>, CommandError> {
    match state.replay(actor, &command.request_id) {
        Some(outcome) => outcome,
        None => decide_fresh(state, command, actor, now, policy),
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
        Change::AppealRejected { user, notice, .. } => {
            end(&mut state, user, notice, EndedKind::AppealFailed, at);
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
        Change::Refused { .. } => {}
    }
    state.record(event);
    state
}

fn end(state: &mut Vehicle, user: &UserId, id: &NoticeId, kind: EndedKind, at: Timestamp) {
    let notice = Notice {
        id: id.clone(),
        kind,
        since: at,
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

fn check_text(text: &str, max: usize, what: &str) -> Result<(), CommandError> {
    let n = text.trim().chars().count();
    if n == 0 {
        Err(CommandError::Invalid(format!("{what}不能为空")))
    } else if n > max {
        Err(CommandError::Invalid(format!("{what}不能超过{max}个字")))
    } else {
        Ok(())
    }
}

fn check_evidence(evidence: &[UploadId]) -> Result<(), CommandError> {
    if evidence.is_empty() || evidence.len() > MAX_EVIDENCE {
        Err(CommandError::Invalid(format!(
            "请上传1至{MAX_EVIDENCE}张证明材料照片"
        )))
    } else {
        Ok(())
    }
}

fn check_certification(c: &Certification) -> Result<(), CommandError> {
    check_text(&c.owner_name, MAX_NAME_CHARS, "车主姓名")?;
    check_evidence(&c.evidence)
}

fn check_appeal(a: &AppealClaim) -> Result<(), CommandError> {
    check_text(&a.reason, MAX_REASON_CHARS, "申诉理由")?;
    check_evidence(&a.evidence)
}

/// The dispatch: who may send the command, whether the tenant shows 我的车辆 at all, then the
/// command's own rules.
fn decide_fresh(
    state: &Vehicle,
    command: &Command,
    actor: &Actor,
    now: Timestamp,
    policy: TenantPolicy,
) -> Result<Vec<Event>, CommandError> {
    let ev = Events::new(state, command, actor, now);
    if command.kind.is_operator_command() {
        // Operators serve the platform: tenant policies shape what users may do, not them.
        let Actor::Operator(_) = actor else {
            return Err(forbidden(OPERATOR_ONLY));
        };
        return match &command.kind {
            CommandKind::ApproveReview { review } => operator::approve_review(ev, review),
            CommandKind::RejectReview { review, reason } => {
                operator::reject_review(ev, review, reason)
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
            | CommandKind::SetAutopay(_) => Err(forbidden(USER_ONLY)),
        };
    }
    let Actor::User(user) = actor else {
        return Err(forbidden(USER_ONLY));
    };
    match policy {
        TenantPolicy::Hidden => return Err(forbidden(HIDDEN)),
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
        CommandKind::ApproveReview { .. }
        | CommandKind::RejectReview { .. }
        | CommandKind::RevokeCertification { .. } => Err(forbidden(OPERATOR_ONLY)),
    }
}
