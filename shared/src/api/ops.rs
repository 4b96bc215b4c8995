//! Operators: `/api/ops/*` (role `operator`).

use serde::{Deserialize, Serialize};

use crate::ids::{ReviewId, UserId};
use crate::plate::Plate;
use crate::timestamp::Timestamp;
use crate::vehicle::{Actor, Event, RelationState, ReviewKind, TextField, Vehicle};

/// `GET /api/ops/reviews?kind=…`: which queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewsQuery {
    /// Certifications or appeals.
    pub kind: ReviewKind,
}

/// One entry of the review queue (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// Approve or reject with this id.
    pub id: ReviewId,
    /// Certification or appeal.
    pub kind: ReviewKind,
    /// The car.
    pub plate: Plate,
    /// Who submitted it.
    pub user_id: UserId,
    /// Their phone, masked.
    pub phone_masked: String,
    /// When.
    pub submitted_at: Timestamp,
    /// URLs of the evidence photos.
    pub evidence: Vec<String>,
    /// The appeal's reason (for a certification: the owner's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ReviewItem {
    /// What [`ReviewItem::reason`] is: the certification's owner name or the appeal's reason.
    pub const fn statement_label(&self) -> &'static str {
        match self.kind {
            ReviewKind::Certification => TextField::OwnerName.label(),
            ReviewKind::Appeal => TextField::AppealReason.label(),
        }
    }
}

/// `POST /api/ops/reviews/{id}/reject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// Why (shown on the card for a certification).
    pub reason: String,
}

/// `POST /api/ops/vehicles/{plate}/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    /// Why.
    pub reason: String,
}

/// `GET /api/ops/vehicles/{plate}`: the state, relations and full history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpsVehicle {
    /// The car.
    pub plate: Plate,
    /// The certified owner, if any.
    pub owner: Option<UserId>,
    /// Everyone's relation, the owner first.
    pub relations: Vec<OpsRelation>,
    /// Every change and every refusal, oldest first: who, whom, what, why, when.
    pub history: Vec<HistoryEntry>,
    /// The latest parking and charging orders in full (payer, payment), newest first.
    #[serde(default)]
    pub orders: Vec<crate::order::Order>,
    /// The plate's coupons with who issued them and when.
    #[serde(default)]
    pub coupons: Vec<IssuedCoupon>,
}

/// A vehicle coupon as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCoupon {
    /// The coupon.
    #[serde(flatten)]
    pub coupon: crate::coupon::VehicleCoupon,
    /// The operator who issued it.
    pub issued_by: UserId,
    /// When.
    pub issued_at: crate::timestamp::Timestamp,
}

/// One user's relation, as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpsRelation {
    /// The user.
    pub user_id: UserId,
    /// Their phone, masked (empty for a closed account).
    #[serde(default)]
    pub phone_masked: String,
    /// Their relation.
    pub state: RelationState,
}

/// One event of a plate's history with the people it names: who acted and whom it affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The event itself (`seq`, `actor`, `at`, `change`).
    #[serde(flatten)]
    pub event: Event,
    /// The actor's phone, masked (empty for a closed account).
    #[serde(default)]
    pub actor_phone: String,
    /// The phone of the user the change is about, masked (empty for a closed account), when
    /// that is not the actor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_phone: Option<String>,
}

/// An account's masked phone as 工作台 shows it: the phone, or 「（已注销）」 for a closed
/// account (whose phone is gone: the view carries an empty one).
pub fn shown_phone(phone_masked: &str) -> &str {
    if phone_masked.is_empty() {
        "（已注销）"
    } else {
        phone_masked
    }
}

impl HistoryEntry {
    /// Who acted, as 工作台 names them: 「运营 139****0000」 or 「用户 138****0001」.
    pub fn actor_label(&self) -> String {
        let role = match self.event.actor {
            Actor::User(_) => "用户",
            Actor::Operator(_) => "运营",
        };
        format!("{role} {}", shown_phone(&self.actor_phone))
    }
}

impl OpsVehicle {
    /// 工作台's view of `v` with its `history` (the plate's event log, oldest first); orders and
    /// coupons are added by the plate's object, phones by [`OpsVehicle::with_phones`].
    pub fn new(v: &Vehicle, history: Vec<Event>) -> Self {
        let mut relations: Vec<OpsRelation> = v
            .owner()
            .map(|o| OpsRelation {
                user_id: o.user.clone(),
                phone_masked: String::new(),
                state: RelationState::Certified,
            })
            .into_iter()
            .collect();
        relations.extend(v.relations().map(|(u, r)| OpsRelation {
            user_id: u.clone(),
            phone_masked: String::new(),
            state: r.state(),
        }));
        Self {
            plate: v.plate().clone(),
            owner: v.owner().map(|o| o.user.clone()),
            relations,
            history: history
                .into_iter()
                .map(|event| HistoryEntry {
                    event,
                    actor_phone: String::new(),
                    subject_phone: None,
                })
                .collect(),
            orders: Vec::new(),
            coupons: Vec::new(),
        }
    }

    /// Every account the view names (relations, actors, subjects), each once.
    pub fn people(&self) -> Vec<UserId> {
        let mut people: Vec<UserId> = self
            .relations
            .iter()
            .map(|r| r.user_id.clone())
            .chain(self.history.iter().flat_map(|h| {
                let subject = h.event.change.subject().cloned();
                std::iter::once(h.event.actor.account().clone()).chain(subject)
            }))
            .collect();
        people.sort();
        people.dedup();
        people
    }

    /// The view with each account's masked phone, from `phone_of` (`None`: a closed account).
    #[must_use]
    pub fn with_phones(mut self, phone_of: impl Fn(&UserId) -> Option<String>) -> Self {
        for r in &mut self.relations {
            r.phone_masked = phone_of(&r.user_id).unwrap_or_default();
        }
        for h in &mut self.history {
            let actor = h.event.actor.account();
            h.actor_phone = phone_of(actor).unwrap_or_default();
            h.subject_phone = h
                .event
                .change
                .subject()
                .filter(|s| *s != actor)
                .map(|s| phone_of(s).unwrap_or_default());
        }
        self
    }
}
