//! What only operators may do (工作台): decide a certification or an appeal, revoke an owner's
//! certification. Tenant policies do not apply: operators serve the platform.

use super::events::Events;
use crate::ids::{ReviewId, UserId};
use crate::vehicle::command::TextField;
use crate::vehicle::event::{Change, Event};
use crate::vehicle::refusal::CommandError;
use crate::vehicle::state::{EndedKind, Relation, Vehicle};

/// Where a review stands: pending certification or appeal by a user.
enum Pending<'a> {
    Certification(&'a UserId),
    Appeal(&'a UserId),
}

/// The pending review `id`, if `operator` may decide it: never their own case.
fn find_review<'a>(
    state: &'a Vehicle,
    operator: &UserId,
    id: &ReviewId,
) -> Result<Pending<'a>, CommandError> {
    let pending = pending_review(state, id)?;
    let (Pending::Certification(user) | Pending::Appeal(user)) = &pending;
    if *user == operator {
        return Err(CommandError::OwnCase);
    }
    Ok(pending)
}

fn pending_review<'a>(state: &'a Vehicle, id: &ReviewId) -> Result<Pending<'a>, CommandError> {
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
    if state.numbered(id) {
        Err(CommandError::ReviewDecided)
    } else {
        Err(CommandError::NoSuchReview)
    }
}

/// Approve a certification (the user becomes the owner) or an appeal (the user takes over).
pub(super) fn approve_review(
    mut ev: Events<'_>,
    operator: &UserId,
    review: &ReviewId,
) -> Result<Vec<Event>, CommandError> {
    let state = ev.state;
    match find_review(state, operator, review)? {
        Pending::Certification(user) => {
            if state.owner().is_some() {
                return Err(CommandError::AlreadyOwned);
            }
            ev.displace_claimants(user);
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
            ev.displace_claimants(user);
            ev.revoke_dependants(EndedKind::AuthorizationRevoked);
            // Other appeals stay pending: the operator decides each on its own evidence.
            let notice = ev.next_notice();
            ev.push(Change::AppealApproved {
                user: user.clone(),
                review: review.clone(),
                notice,
            });
            ev.done()
        }
    }
}

/// Reject a certification (back to added, reason on the card) or an appeal (申诉失败).
pub(super) fn reject_review(
    mut ev: Events<'_>,
    operator: &UserId,
    review: &ReviewId,
    reason: &str,
) -> Result<Vec<Event>, CommandError> {
    let pending = find_review(ev.state, operator, review)?;
    TextField::RejectionReason.check(reason)?;
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

/// Revoke the owner's certification; their authorized and waiting users lose the car too.
pub(super) fn revoke_certification(
    mut ev: Events<'_>,
    reason: &str,
) -> Result<Vec<Event>, CommandError> {
    TextField::RevocationReason.check(reason)?;
    let Some(owner) = ev.state.owner() else {
        return Err(CommandError::NoOwner);
    };
    ev.revoke_dependants(EndedKind::AuthorizationRevoked);
    let notice = ev.next_notice();
    ev.push(Change::CertificationRevoked {
        user: owner.user.clone(),
        reason: reason.trim().to_owned(),
        notice,
    });
    ev.done()
}
