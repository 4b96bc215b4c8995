//! The rules of SPEC §3: [`decide`] turns a command into events or a refusal, [`apply`] folds an
//! event into the state, [`execute`] does both and remembers refusals.
//!
//! Review and notice ids are not passed in: each is `{plate}-{seq}`, the sequence number of the
//! event that creates it, so the same command on the same state always gives the same ids.

use crate::ids::{NoticeId, ReviewId, UserId};
use crate::plate::Plate;
use crate::tenant::TenantPolicy;
use crate::timestamp::Timestamp;
use crate::vehicle::command::{
    Actor, AppealClaim, Certification, Command, CommandError, CommandKind, MAX_EVIDENCE,
    MAX_NAME_CHARS, MAX_REASON_CHARS,
};
use crate::vehicle::event::{Change, Event};
use crate::vehicle::state::{
    AppealReview, CertificationReview, EndedKind, Notice, Owner, Relation, Vehicle,
};

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

/// Collects the events of one command, numbering them after the vehicle's last event.
struct Events<'a> {
    state: &'a Vehicle,
    command: &'a Command,
    actor: &'a Actor,
    now: Timestamp,
    events: Vec<Event>,
}

impl Events<'_> {
    fn next_seq(&self) -> u64 {
        self.state.last_seq() + 1 + self.events.len() as u64
    }

    fn plate(&self) -> Plate {
        self.state.plate().clone()
    }

    /// The id a notice created by the next event gets.
    fn next_notice(&self) -> NoticeId {
        NoticeId::new(self.plate(), self.next_seq())
    }

    /// The id a review created by the next event gets.
    fn next_review(&self) -> ReviewId {
        ReviewId::new(self.plate(), self.next_seq())
    }

    fn push(&mut self, change: Change) {
        let event = Event {
            seq: self.next_seq(),
            request_id: self.command.request_id.clone(),
            actor: self.actor.clone(),
            at: self.now,
            change,
        };
        self.events.push(event);
    }

    fn notify(&mut self, user: &UserId, kind: EndedKind) {
        let notice = self.next_notice();
        self.push(Change::NoticeIssued {
            user: user.clone(),
            notice,
            kind,
        });
    }

    fn submit_certification(&mut self, user: &UserId, c: &Certification) {
        let review = CertificationReview {
            id: self.next_review(),
            owner_name: c.owner_name.trim().to_owned(),
            evidence: c.evidence.clone(),
            submitted_at: self.now,
        };
        self.push(Change::CertificationSubmitted {
            user: user.clone(),
            review,
        });
    }

    fn submit_appeal(&mut self, user: &UserId, a: &AppealClaim) {
        let review = AppealReview {
            id: self.next_review(),
            reason: a.reason.trim().to_owned(),
            evidence: a.evidence.clone(),
            submitted_at: self.now,
        };
        self.push(Change::AppealSubmitted {
            user: user.clone(),
            review,
        });
    }

    fn done(self) -> Result<Vec<Event>, CommandError> {
        Ok(self.events)
    }
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

fn check_evidence(evidence: &[crate::ids::UploadId]) -> Result<(), CommandError> {
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

fn decide_fresh(
    state: &Vehicle,
    command: &Command,
    actor: &Actor,
    now: Timestamp,
    policy: TenantPolicy,
) -> Result<Vec<Event>, CommandError> {
    let mut ev = Events {
        state,
        command,
        actor,
        now,
        events: Vec::new(),
    };
    if command.kind.is_operator_command() {
        // Operators serve the platform: tenant policies shape what users may do, not them.
        let Actor::Operator(_) = actor else {
            return Err(forbidden(OPERATOR_ONLY));
        };
        return decide_operator(ev, &command.kind);
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
            match (policy, certification) {
                (TenantPolicy::Open | TenantPolicy::Hidden, Some(_)) => {
                    return Err(forbidden(NO_CERTIFICATION));
                }
                (TenantPolicy::Mandatory, None) => return Err(invalid(CERTIFICATION_REQUIRED)),
                (TenantPolicy::Platform | TenantPolicy::Mandatory, Some(c)) => {
                    check_certification(c)?;
                }
                (TenantPolicy::Platform | TenantPolicy::Open | TenantPolicy::Hidden, None) => {}
            }
            match me {
                Position::Stranger => {
                    if state.owner().is_some() {
                        // An owned plate needs the owner's permission whatever the policy: a
                        // second certification would be a second owner (disputes go to 申诉).
                        ev.push(Change::AuthorizationRequested { user: user.clone() });
                    } else {
                        ev.push(Change::Added { user: user.clone() });
                        if let Some(c) = certification {
                            ev.submit_certification(user, c);
                        }
                    }
                    ev.done()
                }
                Position::Owner(_)
                | Position::Related(
                    Relation::Added { .. }
                    | Relation::Certifying(_)
                    | Relation::AwaitingAuthorization { .. }
                    | Relation::Authorized { .. }
                    | Relation::Appealing(_),
                ) => Err(conflict(ALREADY_ADDED)),
                Position::Related(Relation::Notice(_)) => Err(conflict(ANSWER_NOTICE_FIRST)),
            }
        }
        CommandKind::SubmitCertification(c) => {
            if !policy.allows_certification() {
                return Err(forbidden(NO_CERTIFICATION));
            }
            check_certification(c)?;
            match me {
                Position::Related(Relation::Added { .. }) => {
                    if state.owner().is_some() {
                        return Err(conflict(OWNED_USE_APPEAL));
                    }
                    ev.submit_certification(user, c);
                    ev.done()
                }
                Position::Related(Relation::Certifying(_)) => Err(conflict(CERTIFYING)),
                Position::Related(
                    Relation::AwaitingAuthorization { .. } | Relation::Authorized { .. },
                ) => Err(conflict(OWNED_USE_APPEAL)),
                Position::Related(Relation::Appealing(_)) => Err(conflict(APPEALING)),
                Position::Related(Relation::Notice(_)) => Err(conflict(ANSWER_NOTICE_FIRST)),
                Position::Owner(_) => Err(conflict(ALREADY_CERTIFIED)),
                Position::Stranger => Err(conflict(NOT_ADDED)),
            }
        }
        CommandKind::Appeal(a) => {
            if !policy.allows_certification() {
                return Err(forbidden(NO_CERTIFICATION));
            }
            check_appeal(a)?;
            match me {
                Position::Related(Relation::Notice(n)) => {
                    if n.kind.can_appeal() {
                        ev.submit_appeal(user, a);
                        ev.done()
                    } else {
                        Err(conflict(NOTICE_NO_APPEAL))
                    }
                }
                // An ownership claim on someone else's car.
                Position::Stranger | Position::Related(Relation::AwaitingAuthorization { .. }) => {
                    if state.owner().is_some() {
                        ev.submit_appeal(user, a);
                        ev.done()
                    } else {
                        Err(conflict(UNOWNED_USE_CERTIFY))
                    }
                }
                Position::Related(Relation::Added { .. } | Relation::Certifying(_)) => {
                    Err(conflict(UNOWNED_USE_CERTIFY))
                }
                Position::Related(Relation::Authorized { .. }) => {
                    Err(conflict(AUTHORIZED_NO_APPEAL))
                }
                Position::Related(Relation::Appealing(_)) => Err(conflict(APPEALING)),
                Position::Owner(_) => Err(conflict(ALREADY_CERTIFIED)),
            }
        }
        CommandKind::CancelRequest => match me {
            Position::Related(Relation::AwaitingAuthorization { .. }) => {
                ev.push(Change::RequestCancelled { user: user.clone() });
                ev.done()
            }
            Position::Related(
                Relation::Added { .. }
                | Relation::Certifying(_)
                | Relation::Authorized { .. }
                | Relation::Appealing(_)
                | Relation::Notice(_),
            )
            | Position::Owner(_)
            | Position::Stranger => Err(conflict(NO_REQUEST)),
        },
        CommandKind::Remove => match me {
            Position::Owner(_) => {
                // The owner leaving ends every authorization that depended on them.
                revoke_dependants(&mut ev, EndedKind::AuthorizationRevoked);
                ev.push(Change::Removed { user: user.clone() });
                ev.done()
            }
            Position::Related(
                Relation::Added { .. }
                | Relation::Certifying(_)
                | Relation::AwaitingAuthorization { .. }
                | Relation::Authorized { .. }
                | Relation::Appealing(_),
            ) => {
                ev.push(Change::Removed { user: user.clone() });
                ev.done()
            }
            Position::Related(Relation::Notice(_)) => Err(conflict(ANSWER_NOTICE_FIRST)),
            Position::Stranger => Err(conflict(NOT_ADDED)),
        },
        CommandKind::Acknowledge { notice } => {
            let current = match me {
                Position::Owner(owner) => owner.appeal_succeeded.as_ref(),
                Position::Related(Relation::Notice(n)) => Some(&n.id),
                Position::Related(
                    Relation::Added { .. }
                    | Relation::Certifying(_)
                    | Relation::AwaitingAuthorization { .. }
                    | Relation::Authorized { .. }
                    | Relation::Appealing(_),
                )
                | Position::Stranger => None,
            };
            if current == Some(notice) {
                ev.push(Change::Acknowledged {
                    user: user.clone(),
                    notice: notice.clone(),
                });
                ev.done()
            } else {
                Err(CommandError::NotFound(NO_PENDING_NOTICE.to_owned()))
            }
        }
        CommandKind::ApproveRequest { user: target }
        | CommandKind::DenyRequest { user: target }
        | CommandKind::RevokeAuthorization { user: target } => {
            let Position::Owner(_) = me else {
                return Err(forbidden(OWNER_ONLY));
            };
            decide_owner_on(ev, &command.kind, target)
        }
        CommandKind::SetPrivacy(privacy) => match me {
            Position::Owner(_) => {
                ev.push(Change::PrivacySet { privacy: *privacy });
                ev.done()
            }
            Position::Related(_) | Position::Stranger => Err(forbidden(OWNER_ONLY)),
        },
        CommandKind::SetAutopay(autopay) => {
            if !autopay.sources_are_valid() {
                return Err(invalid(BAD_SOURCES));
            }
            match me {
                Position::Owner(_) => {
                    ev.push(Change::AutopaySet {
                        autopay: autopay.clone(),
                    });
                    ev.done()
                }
                Position::Related(_) | Position::Stranger => Err(forbidden(OWNER_ONLY)),
            }
        }
        CommandKind::ApproveReview { .. }
        | CommandKind::RejectReview { .. }
        | CommandKind::RevokeCertification { .. } => Err(forbidden(OPERATOR_ONLY)),
    }
}

/// The owner's answer about another user: approve or deny a request, revoke an authorization.
fn decide_owner_on(
    mut ev: Events<'_>,
    kind: &CommandKind,
    target: &UserId,
) -> Result<Vec<Event>, CommandError> {
    let relation = match position(ev.state, target) {
        Position::Related(r) => Some(r),
        Position::Owner(_) | Position::Stranger => None,
    };
    let waiting = matches!(relation, Some(Relation::AwaitingAuthorization { .. }));
    let authorized = matches!(relation, Some(Relation::Authorized { .. }));
    let user = target.clone();
    match kind {
        CommandKind::ApproveRequest { .. } if waiting => {
            ev.push(Change::RequestApproved { user });
        }
        CommandKind::DenyRequest { .. } if waiting => {
            let notice = ev.next_notice();
            ev.push(Change::RequestDenied { user, notice });
        }
        CommandKind::RevokeAuthorization { .. } if authorized => {
            let notice = ev.next_notice();
            ev.push(Change::AuthorizationRevoked { user, notice });
        }
        CommandKind::ApproveRequest { .. } | CommandKind::DenyRequest { .. } => {
            return Err(conflict(NO_SUCH_REQUEST));
        }
        CommandKind::RevokeAuthorization { .. } => return Err(conflict(NOT_AUTHORIZED)),
        CommandKind::Add { .. }
        | CommandKind::SubmitCertification(_)
        | CommandKind::Appeal(_)
        | CommandKind::CancelRequest
        | CommandKind::Remove
        | CommandKind::Acknowledge { .. }
        | CommandKind::SetPrivacy(_)
        | CommandKind::SetAutopay(_)
        | CommandKind::ApproveReview { .. }
        | CommandKind::RejectReview { .. }
        | CommandKind::RevokeCertification { .. } => return Err(forbidden(OWNER_ONLY)),
    }
    ev.done()
}

/// Every authorized or waiting user loses the car (the owner changed or left).
fn revoke_dependants(ev: &mut Events<'_>, kind: EndedKind) {
    let dependants: Vec<UserId> = ev
        .state
        .relations()
        .filter(|(_, r)| {
            matches!(
                r,
                Relation::Authorized { .. } | Relation::AwaitingAuthorization { .. }
            )
        })
        .map(|(u, _)| u.clone())
        .collect();
    for user in &dependants {
        ev.notify(user, kind);
    }
}

/// Everyone added or certifying loses the car to a new owner.
fn displace_claimants(ev: &mut Events<'_>, except: &UserId) {
    let claimants: Vec<UserId> = ev
        .state
        .relations()
        .filter(|(u, r)| {
            *u != except && matches!(r, Relation::Added { .. } | Relation::Certifying(_))
        })
        .map(|(u, _)| u.clone())
        .collect();
    for user in &claimants {
        ev.notify(user, EndedKind::CertifiedByOther);
    }
}

/// Where a review stands: pending certification or appeal by a user.
enum Pending<'a> {
    Certification(&'a UserId),
    Appeal(&'a UserId),
}

fn find_review<'a>(state: &'a Vehicle, id: &ReviewId) -> Result<Pending<'a>, CommandError> {
    for (user, relation) in state.relations() {
        match relation {
            Relation::Certifying(r) if &r.id == id => return Ok(Pending::Certification(user)),
            Relation::Appealing(r) if &r.id == id => return Ok(Pending::Appeal(user)),
            Relation::Added { .. }
            | Relation::Certifying(_)
            | Relation::AwaitingAuthorization { .. }
            | Relation::Authorized { .. }
            | Relation::Appealing(_)
            | Relation::Notice(_) => {}
        }
    }
    if id.plate() == state.plate() && state.review_existed(id) {
        Err(conflict(REVIEW_DONE))
    } else {
        Err(CommandError::NotFound(NO_SUCH_REVIEW.to_owned()))
    }
}

fn decide_operator(mut ev: Events<'_>, kind: &CommandKind) -> Result<Vec<Event>, CommandError> {
    let state = ev.state;
    match kind {
        CommandKind::ApproveReview { review } => match find_review(state, review)? {
            Pending::Certification(user) => {
                if state.owner().is_some() {
                    return Err(conflict(HAS_OWNER));
                }
                displace_claimants(&mut ev, user);
                ev.push(Change::CertificationApproved {
                    user: user.clone(),
                    review: review.clone(),
                });
                ev.done()
            }
            Pending::Appeal(user) => {
                if let Some(old) = state.owner() {
                    ev.notify(&old.user, EndedKind::LostToOtherAppeal);
                }
                displace_claimants(&mut ev, user);
                revoke_dependants(&mut ev, EndedKind::AuthorizationRevoked);
                // Other appeals stay pending: the operator decides each on its own evidence.
                let notice = ev.next_notice();
                ev.push(Change::AppealApproved {
                    user: user.clone(),
                    review: review.clone(),
                    notice,
                });
                ev.done()
            }
        },
        CommandKind::RejectReview { review, reason } => {
            let pending = find_review(state, review)?;
            check_text(reason, MAX_REASON_CHARS, "驳回原因")?;
            let reason = reason.trim().to_owned();
            match pending {
                Pending::Certification(user) => ev.push(Change::CertificationRejected {
                    user: user.clone(),
                    review: review.clone(),
                    reason,
                }),
                Pending::Appeal(user) => {
                    let notice = ev.next_notice();
                    ev.push(Change::AppealRejected {
                        user: user.clone(),
                        review: review.clone(),
                        reason,
                        notice,
                    });
                }
            }
            ev.done()
        }
        CommandKind::RevokeCertification { reason } => {
            check_text(reason, MAX_REASON_CHARS, "撤销原因")?;
            let Some(owner) = state.owner() else {
                return Err(conflict(NO_OWNER));
            };
            revoke_dependants(&mut ev, EndedKind::AuthorizationRevoked);
            let notice = ev.next_notice();
            ev.push(Change::CertificationRevoked {
                user: owner.user.clone(),
                reason: reason.trim().to_owned(),
                notice,
            });
            ev.done()
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
    }
}
