//! Vehicle coupons (车辆优惠券, SPEC §8): issued to a plate, used by that plate at payment.

use serde::{Deserialize, Serialize};

use crate::api::{ErrorCode, IssueCouponRequest};
use crate::ids::{CouponId, UserId};
use crate::money::Fen;
use crate::plate::{Plate, PlateError};
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

/// Longest coupon title, in characters.
pub const MAX_TITLE: usize = 30;
/// Largest coupon value (¥1,000).
pub const MAX_VALUE: Fen = Fen::new(100_000);

/// A coupon an operator may issue: a readable plate, a title, a value and a future expiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponDraft {
    /// The plate it goes to.
    pub plate: Plate,
    /// The title, trimmed.
    pub title: String,
    /// The value.
    pub value: Fen,
    /// When it expires.
    pub expires_at: Timestamp,
}

/// Why a coupon cannot be issued (400), naming what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CouponRefusal {
    /// The plate cannot be read.
    #[error("{0}")]
    Plate(PlateError),
    /// An empty or too long title.
    #[error("优惠券名称应为 1 到 {MAX_TITLE} 个字")]
    Title,
    /// Worth nothing or more than [`MAX_VALUE`].
    #[error("优惠券面额应在 0.01 到 1000 元之间")]
    Value,
    /// Already expired.
    #[error("优惠券的有效期必须晚于现在")]
    Expiry,
}

impl CouponRefusal {
    /// `invalid_plate` for a plate, `invalid_request` for the rest.
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::Plate(e) => e.code(),
            Self::Title | Self::Value | Self::Expiry => ErrorCode::InvalidRequest,
        }
    }
}

impl CouponDraft {
    /// The draft of an operator's request at `now`.
    ///
    /// # Errors
    /// The first [`CouponRefusal`] that applies: plate, title, value, expiry.
    pub fn parse(request: &IssueCouponRequest, now: Timestamp) -> Result<Self, CouponRefusal> {
        let plate = Plate::parse(&request.plate).map_err(CouponRefusal::Plate)?;
        let title = request.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(CouponRefusal::Title);
        }
        let value = Fen::new(request.value_fen);
        if value == Fen::new(0) || value > MAX_VALUE {
            return Err(CouponRefusal::Value);
        }
        if request.expires_at <= now {
            return Err(CouponRefusal::Expiry);
        }
        Ok(Self {
            plate,
            title: title.to_owned(),
            value,
            expires_at: request.expires_at,
        })
    }

    /// The coupon this draft becomes under `id`.
    pub fn issue(self, id: CouponId) -> VehicleCoupon {
        VehicleCoupon {
            id,
            plate: self.plate,
            title: self.title,
            value_fen: self.value.get(),
            expires_at: self.expires_at,
            used: false,
        }
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
    format!("车辆优惠券已发放到车牌{plate}，缴费时可直接抵扣；开启无感支付后出场自动优先使用。")
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

#[cfg(test)]
mod draft_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use rstest::rstest;

    use super::*;

    const NOW: i64 = 1_000_000;

    fn request(plate: &str, title: &str, value_fen: u64, expires_ms: i64) -> IssueCouponRequest {
        IssueCouponRequest {
            plate: plate.to_owned(),
            title: title.to_owned(),
            value_fen,
            expires_at: Timestamp::from_unix_millis(expires_ms),
        }
    }

    #[test]
    fn a_good_draft_is_trimmed_and_becomes_an_unused_coupon() {
        let now = Timestamp::from_unix_millis(NOW);
        let draft =
            CouponDraft::parse(&request("闽d12337", " 停车券 ", 800, NOW + 1), now).unwrap();
        assert_eq!(draft.plate.as_str(), "闽D12337");
        assert_eq!(draft.title, "停车券");
        let coupon = draft.issue(CouponId::new(Plate::parse("闽D12337").unwrap(), 1));
        assert_eq!(coupon.value_fen, 800);
        assert!(!coupon.used);
        assert!(coupon.is_usable(now));
    }

    #[rstest]
    #[case::bad_plate(request("XX1", "券", 1, NOW + 1), ErrorCode::InvalidPlate)]
    #[case::empty_title(request("闽D12337", "  ", 1, NOW + 1), ErrorCode::InvalidRequest)]
    #[case::long_title(request("闽D12337", &"券".repeat(MAX_TITLE + 1), 1, NOW + 1), ErrorCode::InvalidRequest)]
    #[case::worth_nothing(request("闽D12337", "券", 0, NOW + 1), ErrorCode::InvalidRequest)]
    #[case::too_much(request("闽D12337", "券", 100_001, NOW + 1), ErrorCode::InvalidRequest)]
    #[case::expired(request("闽D12337", "券", 1, NOW), ErrorCode::InvalidRequest)]
    fn a_bad_draft_is_refused(#[case] req: IssueCouponRequest, #[case] code: ErrorCode) {
        let refused = CouponDraft::parse(&req, Timestamp::from_unix_millis(NOW)).unwrap_err();
        assert_eq!(refused.code(), code);
    }

    #[test]
    fn the_limits_themselves_pass() {
        let now = Timestamp::from_unix_millis(NOW);
        let longest = "券".repeat(MAX_TITLE);
        assert!(CouponDraft::parse(
            &request("闽D12337", &longest, MAX_VALUE.get(), NOW + 1),
            now
        )
        .is_ok());
    }
}
