//! Operators: `/api/ops/*` (role `operator`).

use serde::{Deserialize, Serialize};

use crate::ids::{ReviewId, UserId};
use crate::plate::Plate;
use crate::timestamp::Timestamp;
use crate::vehicle::{Event, RelationState, ReviewKind, Vehicle};

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
    /// Everyone's relation, the owner included.
    pub relations: Vec<OpsRelation>,
    /// Every accepted change: who, what, when.
    pub history: Vec<Event>,
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
    /// Their relation.
    pub state: RelationState,
}

impl OpsVehicle {
    /// 工作台's view of `v` with its `history` (the accepted events from the plate's event log,
    /// oldest first); orders and coupons are added by the plate's object.
    pub fn new(v: &Vehicle, history: Vec<Event>) -> Self {
        let mut relations: Vec<OpsRelation> = v
            .owner()
            .map(|o| OpsRelation {
                user_id: o.user.clone(),
                state: RelationState::Certified,
            })
            .into_iter()
            .collect();
        relations.extend(v.relations().map(|(u, r)| OpsRelation {
            user_id: u.clone(),
            state: r.state(),
        }));
        Self {
            plate: v.plate().clone(),
            owner: v.owner().map(|o| o.user.clone()),
            relations,
            history,
            orders: Vec::new(),
            coupons: Vec::new(),
        }
    }
}
