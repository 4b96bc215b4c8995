//! Privacy (SPEC §6): who sees what of a parking or charging order, and who may pay for a car.
//!
//! The facility mask keeps the first two characters of the name and the kind of place:
//! `万达广场停车场` → `万达**停车场`. The suffix is the longest of [`FACILITY_SUFFIXES`] the name
//! ends with; a name with none gets the generic word of its kind (停车场 / 充电站), so the mask
//! never reveals more than two characters of the name itself.

use serde::{Deserialize, Serialize};

use crate::ids::{OrderId, UserId};
pub use crate::order::{FacilityKind, Order};
use crate::payment::{may_see_deductions, Deduction};
use crate::plate::Plate;
use crate::timestamp::Timestamp;
use crate::vehicle::{Relation, Vehicle};

/// The owner's 隐私设置: privacy protection (off by default) and 接收车辆通知 (on by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacySettings {
    /// 隐私保护: hide the car's orders from everyone but the owner; block others' 代缴费.
    pub protect: bool,
    /// 接收车辆通知: whether the owner receives the car's notifications.
    pub notify: bool,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        Self {
            protect: false,
            notify: true,
        }
    }
}

/// Kinds of place names recognised as the visible suffix of a masked name, longest first.
pub const FACILITY_SUFFIXES: &[&str] = &[
    "地下停车场",
    "立体停车库",
    "停车场",
    "停车库",
    "停车楼",
    "充电站",
    "换电站",
    "超充站",
    "充电桩",
    "充电场",
    "车场",
    "车库",
];

/// An order as one viewer may see it (`GET /api/orders`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    /// The order id.
    pub id: OrderId,
    /// The car.
    pub plate: Plate,
    /// Full name for the owner, masked for others, `None` when hidden by privacy.
    pub facility_name: Option<String>,
    /// Car park or charging station.
    pub facility_kind: FacilityKind,
    /// Entry time: the owner only.
    pub entered_at: Option<Timestamp>,
    /// Exit time: the owner only.
    pub exited_at: Option<Timestamp>,
    /// Minutes stayed; `None` while the car is still there.
    pub duration_minutes: Option<u64>,
    /// The fee in fen.
    pub amount_fen: u64,
    /// Whether nothing more is owed (paid, or free).
    pub paid: bool,
    /// Whether this viewer may pay it now (代缴费 included): due, and allowed by privacy.
    pub payable: bool,
    /// What was deducted, and whether 无感支付 did it: the owner only (SPEC §8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deductions: Vec<Deduction>,
    /// Paid by 无感支付 (shown to the owner only).
    #[serde(default)]
    pub automatic: bool,
}

/// How a viewer stands to an order, which decides what they see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewerRole {
    /// The certified owner, of a stay that began while they owned the car: everything.
    Owner,
    /// A user with a live relation (or, without an owner, any relation): masked, no times.
    Related,
    /// The payer of this order and nothing more: masked (hidden under privacy), no times.
    Payer,
    /// Nobody to this order: not listed.
    Stranger,
}

/// How `viewer` stands to `order` of `vehicle`.
pub fn viewer_role(order: &Order, vehicle: &Vehicle, viewer: &UserId) -> ViewerRole {
    if &order.plate != vehicle.plate() {
        return if order.payer() == Some(viewer) {
            ViewerRole::Payer
        } else {
            ViewerRole::Stranger
        };
    }
    if let Some(owner) = vehicle.owner().filter(|o| &o.user == viewer) {
        // PIPL: a new owner (a sale, a won appeal) sees the stays before their time as anyone
        // else with a relation does, not the previous owner's places and times.
        if order.entered_at >= owner.since {
            ViewerRole::Owner
        } else {
            ViewerRole::Related
        }
    } else if vehicle.has_live_relation(viewer) {
        ViewerRole::Related
    } else if order.payer() == Some(viewer) {
        ViewerRole::Payer
    } else {
        ViewerRole::Stranger
    }
}

/// What `viewer` may see of `order` (SPEC §6); `None` when it is not listed for them.
pub fn redact(order: &Order, vehicle: &Vehicle, viewer: &UserId) -> Option<OrderView> {
    let role = viewer_role(order, vehicle, viewer);
    // 抵扣订单仅认证车主可见: a stay 无感支付 paid from the owner's sources is the owner's alone,
    // not listed for anyone else, not even masked.
    if order.paid_automatically() && role != ViewerRole::Owner {
        return None;
    }
    let protect = vehicle.privacy().is_some_and(|p| p.protect);
    let masked = || Some(mask_facility(&order.facility.name, order.facility.kind));
    let (facility_name, times) = match (role, protect) {
        (ViewerRole::Owner, _) => (Some(order.facility.name.clone()), true),
        (ViewerRole::Related, false) | (ViewerRole::Payer, false) => (masked(), false),
        // Privacy on: the payer still sees their own payment, without the place.
        (ViewerRole::Related, true) | (ViewerRole::Payer, true) => {
            if order.payer() == Some(viewer) {
                (None, false)
            } else {
                return None;
            }
        }
        (ViewerRole::Stranger, _) => return None,
    };
    Some(view(order, vehicle, viewer, facility_name, times, role))
}

/// `order` for `viewer` showing the place as given and the times only if `times`; what may be
/// paid and the deductions follow the viewer's rights.
fn view(
    order: &Order,
    vehicle: &Vehicle,
    viewer: &UserId,
    facility_name: Option<String>,
    times: bool,
    role: ViewerRole,
) -> OrderView {
    // The deductions of the owner's own stays: not a previous owner's, not anyone else's.
    let sees_deductions = role == ViewerRole::Owner && may_see_deductions(vehicle, viewer);
    OrderView {
        id: order.id.clone(),
        plate: order.plate.clone(),
        facility_name,
        facility_kind: order.facility.kind,
        entered_at: times.then_some(order.entered_at),
        exited_at: order.exited_at.filter(|_| times),
        duration_minutes: order.duration_minutes(),
        amount_fen: order.amount_fen,
        paid: order.is_paid(),
        payable: order.is_due() && may_pay_for(vehicle, viewer),
        deductions: if sees_deductions {
            order.deductions().to_vec()
        } else {
            Vec::new()
        },
        automatic: sees_deductions && order.paid_automatically(),
    }
}

/// Masks a facility name: first two characters, `**`, and the kind of place (`万达**停车场`).
pub fn mask_facility(name: &str, kind: FacilityKind) -> String {
    let name = name.trim();
    let (stem, suffix) = FACILITY_SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s).map(|stem| (stem, *s)))
        .unwrap_or((name, kind.generic_name()));
    // Never the whole stem: a two-character name shows one character.
    let shown = stem.chars().count().saturating_sub(1).min(2);
    let prefix: String = stem.chars().take(shown).collect();
    format!("{prefix}**{suffix}")
}

/// Whether `user` may pay this car's fee (代缴费): anyone, except that privacy protection limits
/// it to the owner and the users the owner authorized.
pub fn may_pay_for(vehicle: &Vehicle, user: &UserId) -> bool {
    match vehicle.owner() {
        Some(owner) if owner.privacy.protect => {
            &owner.user == user
                || matches!(vehicle.relation(user), Some(Relation::Authorized { .. }))
        }
        Some(_) | None => true,
    }
}

/// A due order as the 代缴费 lookup shows it to `viewer`, who typed the plate: `None` unless
/// the order is due and the viewer may pay it. Someone without a relation sees what they would
/// pay for (masked place, no times); under privacy only the owner and authorized users get here,
/// and the authorized user still does not see the place.
pub fn pay_for_view(order: &Order, vehicle: &Vehicle, viewer: &UserId) -> Option<OrderView> {
    if !order.is_due() || !may_pay_for(vehicle, viewer) {
        return None;
    }
    if let Some(view) = redact(order, vehicle, viewer) {
        return Some(view);
    }
    let protect = vehicle.privacy().is_some_and(|p| p.protect);
    let place = (!protect).then(|| mask_facility(&order.facility.name, order.facility.kind));
    Some(view(
        order,
        vehicle,
        viewer,
        place,
        false,
        ViewerRole::Stranger,
    ))
}
