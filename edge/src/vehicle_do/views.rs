//! Read-only answers of the plate object: orders as each viewer may see them (SPEC §6), the
//! 代缴费 lookup, 我的卡券, and 工作台's plate view. Nothing here writes.

use shared::api::ops::OpsVehicle;
use shared::api::orders::CouponItem;
use shared::coupon::{sees_claim_prompt, visible_coupons};
use shared::payment::PayRefusal;
use shared::privacy::{may_pay_for, pay_for_view, redact, OrderView};

use super::protocol::{DueOrders, ListCoupons, ListOrders, ListedOrder, OpsView};
use super::VehicleDo;
use crate::durable::Answers;
use crate::error::{AppError, AppResult};

/// Orders a listing returns per plate (newest first).
const LISTED_ORDERS: i64 = 100;
/// Events 工作台's plate view shows (the latest; a plate with more shows those).
const HISTORY_EVENTS: i64 = 1_000;

impl Answers<ListOrders> for VehicleDo {
    async fn answer(&self, ListOrders { viewer }: ListOrders) -> AppResult<Vec<ListedOrder>> {
        let Some(vehicle) = self.vehicle()? else {
            return Ok(Vec::new());
        };
        let orders = self.store.latest_orders(LISTED_ORDERS)?;
        Ok(orders
            .iter()
            .filter_map(|o| {
                redact(o, &vehicle, &viewer).map(|view| ListedOrder {
                    entered: o.entered_at.unix_millis(),
                    view,
                })
            })
            .collect())
    }
}

impl Answers<DueOrders> for VehicleDo {
    async fn answer(&self, DueOrders { viewer }: DueOrders) -> AppResult<Vec<OrderView>> {
        let Some(vehicle) = self.vehicle()? else {
            return Ok(Vec::new());
        };
        if !may_pay_for(&vehicle, &viewer) {
            return Err(PayRefusal::PrivacyProtected.into());
        }
        let orders = self.store.latest_closed_orders(LISTED_ORDERS)?;
        Ok(orders
            .iter()
            .filter_map(|o| pay_for_view(o, &vehicle, &viewer))
            .collect())
    }
}

impl Answers<ListCoupons> for VehicleDo {
    async fn answer(&self, ListCoupons { viewer }: ListCoupons) -> AppResult<Vec<CouponItem>> {
        let Some(vehicle) = self.vehicle()? else {
            return Ok(Vec::new());
        };
        let coupons = self.store.coupons()?;
        let prompt = sees_claim_prompt(&vehicle, &viewer);
        Ok(visible_coupons(&vehicle, &viewer, &coupons)
            .into_iter()
            .map(|c| CouponItem {
                coupon: c.clone(),
                claim_prompt: prompt,
            })
            .collect())
    }
}

impl Answers<OpsView> for VehicleDo {
    /// The vehicle with its history, the latest orders in full and every coupon with its issuer.
    async fn answer(&self, _: OpsView) -> AppResult<OpsVehicle> {
        let vehicle = self.vehicle()?.ok_or_else(|| {
            AppError::with_message(shared::api::ErrorCode::NotFound, "该车牌没有任何记录")
        })?;
        let history = self.store.history(HISTORY_EVENTS)?;
        Ok(OpsVehicle {
            orders: self.store.latest_orders(LISTED_ORDERS)?,
            coupons: self.store.issued_coupons()?,
            ..OpsVehicle::new(&vehicle, history)
        })
    }
}
