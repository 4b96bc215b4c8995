//! Vehicle coupons (车辆优惠券, SPEC §8): issued to a plate, used by that plate at payment.

use serde::{Deserialize, Serialize};

use crate::ids::{CouponId, UserId};
use crate::plate::Plate;
use crate::timestamp::Timestamp;
use crate::vehicle::Vehicle;

/// A coupon issued to a plate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleCoupon {
    /// The coupon id.
    pub id: CouponId,
    /// The plate it belongs to.
    pub plate: Plate,
    /// Its title, e.g. 停车2小时免费券.
    pub title: String,
    /// Its value in fen.
    pub value_fen: u64,
    /// When it expires (unusable from then on).
    pub expires_at: Timestamp,
    /// Whether it was used.
    pub used: bool,
}

impl VehicleCoupon {
    /// Whether it can still pay: unused, not expired, worth something.
    pub fn is_usable(&self, now: Timestamp) -> bool {
        !self.used && now < self.expires_at && self.value_fen > 0
    }
}

/// Whether `user` sees the plate's coupons in 我的卡券: any live relation (see
/// [`Vehicle::has_live_relation`]).
pub fn sees_coupons(vehicle: &Vehicle, user: &UserId) -> bool {
    vehicle.has_live_relation(user)
}

/// Whether `user` sees the claim/issue prompt (领取/发放优惠券): the owner only.
pub fn sees_claim_prompt(vehicle: &Vehicle, user: &UserId) -> bool {
    vehicle.is_owner(user)
}

/// The claim/issue prompt the owner sees in 我的卡券 (the seed: 领取/发放优惠券做提示说明仅认证
/// 车主可见).
pub fn claim_prompt_text(plate: &Plate) -> String {
    format!("车辆优惠券已发放到车牌{plate},缴费时可直接抵扣;开启无感支付后出场自动优先使用。")
}

/// The coupons of `vehicle` that `user` sees in 我的卡券.
pub fn visible_coupons<'a>(
    vehicle: &Vehicle,
    user: &UserId,
    coupons: &'a [VehicleCoupon],
) -> Vec<&'a VehicleCoupon> {
    if !sees_coupons(vehicle, user) {
        return Vec::new();
    }
    coupons
        .iter()
        .filter(|c| &c.plate == vehicle.plate())
        .collect()
}
