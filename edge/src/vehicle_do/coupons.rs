//! Issuing a vehicle coupon (SPEC §8): stored with its issuer, and the owner (or, with no
//! owner, the latest payer) is told.

use shared::coupon::VehicleCoupon;
use shared::ids::CouponId;
use shared::notify::Occasion;

use super::protocol::IssueCoupon;
use super::storage::Counter;
use super::VehicleDo;
use crate::durable::Answers;
use crate::error::{AppError, AppResult};

impl Answers<IssueCoupon> for VehicleDo {
    async fn answer(&self, call: IssueCoupon) -> AppResult<VehicleCoupon> {
        let coupon = self.issue(call);
        self.flush().await;
        coupon
    }
}

impl VehicleDo {
    /// An operator issues a coupon; 404 for a plate nobody added.
    fn issue(&self, call: IssueCoupon) -> AppResult<VehicleCoupon> {
        let vehicle = self.vehicle()?.ok_or_else(|| {
            AppError::with_message(shared::api::ErrorCode::NotFound, "该车牌尚未被任何用户添加")
        })?;
        let id = CouponId::new(vehicle.plate().clone(), self.store.next(Counter::Coupon)?);
        let coupon = call.draft.issue(id);
        self.store
            .insert_coupon(&coupon, &call.operator, call.now)?;
        let issued = Occasion::CouponIssued {
            title: coupon.title.clone(),
            value_fen: coupon.value_fen,
        };
        self.notify(&vehicle, issued, call.now)?;
        Ok(coupon)
    }
}
