//! What only the owner may do: answer requests for the car, withdraw an authorization, and set
//! 隐私设置 and 无感支付; and 车辆信息, which anyone with a relation keeps while nobody owns the car.

use super::events::Events;
use super::{position, Position};
use crate::ids::UserId;
use crate::payment::AutopaySettings;
use crate::privacy::PrivacySettings;
use crate::vehicle::details::VehicleDetails;
use crate::vehicle::event::{Change, Event};
use crate::vehicle::refusal::CommandError;
use crate::vehicle::state::Relation;

/// Refuses anyone but the owner.
fn require_owner(me: &Position<'_>) -> Result<(), CommandError> {
    match me {
        Position::Owner(_) => Ok(()),
        Position::Related(_) | Position::Stranger => Err(CommandError::NotOwner),
    }
}

/// The relation of the user the owner acts on (none for the owner or a stranger).
fn relation_of<'a>(ev: &Events<'a>, target: &UserId) -> Option<&'a Relation> {
    match position(ev.state, target) {
        Position::Related(r) => Some(r),
        Position::Owner(_) | Position::Stranger => None,
    }
}

/// Refuses anyone but the owner, and a user with no request waiting for the owner.
fn require_request(
    ev: &Events<'_>,
    me: &Position<'_>,
    target: &UserId,
) -> Result<(), CommandError> {
    require_owner(me)?;
    if matches!(
        relation_of(ev, target),
        Some(Relation::AwaitingAuthorization { .. })
    ) {
        Ok(())
    } else {
        Err(CommandError::NoRequestFromUser)
    }
}

/// The owner allows a waiting user: authorized.
pub(super) fn approve_request(
    mut ev: Events<'_>,
    me: Position<'_>,
    target: &UserId,
) -> Result<Vec<Event>, CommandError> {
    require_request(&ev, &me, target)?;
    ev.push(Change::RequestApproved {
        user: target.clone(),
    });
    ev.done()
}

/// The owner refuses a waiting user: 车主拒绝授权.
pub(super) fn deny_request(
    mut ev: Events<'_>,
    me: Position<'_>,
    target: &UserId,
) -> Result<Vec<Event>, CommandError> {
    require_request(&ev, &me, target)?;
    let notice = ev.next_notice();
    ev.push(Change::RequestDenied {
        user: target.clone(),
        notice,
    });
    ev.done()
}

/// The owner withdraws an authorized user's access: 授权取消.
pub(super) fn revoke_authorization(
    mut ev: Events<'_>,
    me: Position<'_>,
    target: &UserId,
) -> Result<Vec<Event>, CommandError> {
    require_owner(&me)?;
    if !matches!(relation_of(&ev, target), Some(Relation::Authorized { .. })) {
        return Err(CommandError::UserNotAuthorized);
    }
    let notice = ev.next_notice();
    ev.push(Change::AuthorizationRevoked {
        user: target.clone(),
        notice,
    });
    ev.done()
}

/// 隐私设置.
pub(super) fn set_privacy(
    mut ev: Events<'_>,
    me: Position<'_>,
    privacy: PrivacySettings,
) -> Result<Vec<Event>, CommandError> {
    require_owner(&me)?;
    ev.push(Change::PrivacySet { privacy });
    ev.done()
}

/// 无感支付: the sources are checked before who asks.
pub(super) fn set_autopay(
    mut ev: Events<'_>,
    me: Position<'_>,
    autopay: &AutopaySettings,
) -> Result<Vec<Event>, CommandError> {
    if !autopay.sources_are_valid() {
        return Err(CommandError::AutopaySourcesInvalid);
    }
    if !autopay.limit_is_valid() {
        return Err(CommandError::AutopayLimitInvalid);
    }
    require_owner(&me)?;
    ev.push(Change::AutopaySet {
        autopay: autopay.clone(),
    });
    ev.done()
}

/// 维护车辆信息: the texts are checked before who asks; with an owner only they may, without one
/// anyone whose relation is live (not waiting for a dialog's answer).
pub(super) fn set_details(
    mut ev: Events<'_>,
    user: &UserId,
    details: &VehicleDetails,
) -> Result<Vec<Event>, CommandError> {
    details.check()?;
    if !ev.state.may_edit_details(user) {
        return Err(match ev.state.owner() {
            Some(_) if ev.state.state_of(user).is_some() => CommandError::DetailsOwnerOnly,
            Some(_) | None => CommandError::NotAdded,
        });
    }
    let details = details.clone().tidy(ev.state.plate());
    ev.push(Change::DetailsSet { details });
    ev.done()
}
