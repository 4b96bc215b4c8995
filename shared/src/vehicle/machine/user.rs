//! What a user asks about their own relation to the car: add, certify, appeal, cancel a
//! request, remove, answer a dialog.

use super::events::Events;
use super::Position;
use crate::ids::{NoticeId, UserId};
use crate::tenant::TenantPolicy;
use crate::vehicle::command::{AppealClaim, Certification};
use crate::vehicle::event::{Change, Event};
use crate::vehicle::refusal::CommandError;
use crate::vehicle::state::{EndedKind, Relation};

/// Refuses 认证 and 申诉 where the tenant does not offer them.
fn require_certification(policy: TenantPolicy) -> Result<(), CommandError> {
    if policy.allows_certification() {
        Ok(())
    } else {
        Err(CommandError::CertificationNotOffered)
    }
}

/// 添加车辆: added, or waiting for the owner; with evidence, certifying at once.
pub(super) fn add(
    mut ev: Events<'_>,
    user: &UserId,
    me: Position<'_>,
    certification: Option<&Certification>,
    policy: TenantPolicy,
) -> Result<Vec<Event>, CommandError> {
    match (policy, certification) {
        (TenantPolicy::Open | TenantPolicy::Hidden, Some(_)) => {
            return Err(CommandError::CertificationNotOffered);
        }
        (TenantPolicy::Mandatory, None) => return Err(CommandError::CertificationRequired),
        (TenantPolicy::Platform | TenantPolicy::Mandatory, Some(c)) => {
            c.check()?;
        }
        (TenantPolicy::Platform | TenantPolicy::Open | TenantPolicy::Hidden, None) => {}
    }
    match me {
        Position::Stranger => {
            if ev.state.owner().is_some() {
                // An owned plate needs the owner's permission whatever the policy: a second
                // certification would be a second owner (disputes go to 申诉).
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
        ) => Err(CommandError::AlreadyAdded),
        Position::Related(Relation::Notice(_)) => Err(CommandError::AnswerNoticeFirst),
    }
}

/// 去认证: an added car of an unowned plate goes to review.
pub(super) fn submit_certification(
    mut ev: Events<'_>,
    user: &UserId,
    me: Position<'_>,
    c: &Certification,
    policy: TenantPolicy,
) -> Result<Vec<Event>, CommandError> {
    require_certification(policy)?;
    c.check()?;
    match me {
        Position::Related(Relation::Added { .. }) => {
            if ev.state.owner().is_some() {
                return Err(CommandError::AppealInstead);
            }
            ev.submit_certification(user, c);
            ev.done()
        }
        Position::Related(Relation::Certifying(_)) => Err(CommandError::CertificationPending),
        Position::Related(Relation::AwaitingAuthorization { .. } | Relation::Authorized { .. }) => {
            Err(CommandError::AppealInstead)
        }
        Position::Related(Relation::Appealing(_)) => Err(CommandError::AppealPending),
        Position::Related(Relation::Notice(_)) => Err(CommandError::AnswerNoticeFirst),
        Position::Owner(_) => Err(CommandError::AlreadyCertified),
        Position::Stranger => Err(CommandError::NotAdded),
    }
}

/// 我要申诉: after losing the car, or as an ownership claim on someone else's.
pub(super) fn appeal(
    mut ev: Events<'_>,
    user: &UserId,
    me: Position<'_>,
    a: &AppealClaim,
    policy: TenantPolicy,
) -> Result<Vec<Event>, CommandError> {
    require_certification(policy)?;
    a.check()?;
    match me {
        Position::Related(Relation::Notice(n)) => {
            if n.kind.can_appeal() {
                ev.submit_appeal(user, a);
                ev.done()
            } else {
                Err(CommandError::NoticeNotAppealable)
            }
        }
        // An ownership claim on someone else's car.
        Position::Stranger | Position::Related(Relation::AwaitingAuthorization { .. }) => {
            if ev.state.owner().is_some() {
                ev.submit_appeal(user, a);
                ev.done()
            } else {
                Err(CommandError::CertifyInstead)
            }
        }
        Position::Related(Relation::Added { .. } | Relation::Certifying(_)) => {
            Err(CommandError::CertifyInstead)
        }
        Position::Related(Relation::Authorized { .. }) => Err(CommandError::AuthorizedCannotAppeal),
        Position::Related(Relation::Appealing(_)) => Err(CommandError::AppealPending),
        Position::Owner(_) => Err(CommandError::AlreadyCertified),
    }
}

/// 取消添加: withdraw a request waiting for the owner.
pub(super) fn cancel_request(
    mut ev: Events<'_>,
    user: &UserId,
    me: Position<'_>,
) -> Result<Vec<Event>, CommandError> {
    match me {
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
        | Position::Stranger => Err(CommandError::NoRequestToCancel),
    }
}

/// 移除车辆: any relation but a dialog waiting for an answer.
pub(super) fn remove(
    mut ev: Events<'_>,
    user: &UserId,
    me: Position<'_>,
) -> Result<Vec<Event>, CommandError> {
    match me {
        Position::Owner(_) => {
            // The owner leaving ends every authorization that depended on them.
            ev.revoke_dependants(EndedKind::AuthorizationRevoked);
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
        Position::Related(Relation::Notice(_)) => Err(CommandError::AnswerNoticeFirst),
        Position::Stranger => Err(CommandError::NotAdded),
    }
}

/// 我知道了 / 确定: answer the user's own pending dialog.
pub(super) fn acknowledge(
    mut ev: Events<'_>,
    user: &UserId,
    me: Position<'_>,
    notice: &NoticeId,
) -> Result<Vec<Event>, CommandError> {
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
        Err(CommandError::NoPendingNotice)
    }
}
