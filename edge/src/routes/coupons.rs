//! 我的卡券 and issuing vehicle coupons (SPEC §8).

use futures_util::future::join_all;
use shared::api::{CouponList, IssueCouponRequest};
use shared::coupon::CouponDraft;
use worker::Request;

use super::vehicles::driver;
use crate::auth;
use crate::error::AppResult;
use crate::http::{json, read_json, Ctx};
use crate::store;
use crate::vehicle_do::{self, IssueCoupon, ListCoupons};

/// `GET /api/coupons`: the coupons of every plate the caller has a live relation to.
pub async fn list(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = driver(ctx, req).await?;
    let call = ListCoupons {
        viewer: caller.user.user_id(),
    };
    let plates = store::vehicles::relation_plates(&ctx.db()?, &call.viewer).await?;
    let answers = join_all(
        plates
            .iter()
            .map(|plate| vehicle_do::ask(&ctx.env, plate, &call)),
    )
    .await;
    let mut coupons = Vec::new();
    for answer in answers {
        coupons.extend(answer?);
    }
    // Usable first, soonest to expire first.
    coupons.sort_by_key(|c| (!c.coupon.is_usable(ctx.now), c.coupon.expires_at));
    json(200, &CouponList { coupons })
}

/// `POST /api/ops/coupons {plate, title, value_fen, expires_at}` (operators): 201 the coupon.
pub async fn issue(ctx: &Ctx, req: &mut Request) -> AppResult {
    let caller = auth::operator(ctx, req).await?;
    let body: IssueCouponRequest = read_json(req).await?;
    let draft = CouponDraft::parse(&body, ctx.now)?;
    let plate = draft.plate.clone();
    let call = IssueCoupon {
        operator: caller.user.user_id(),
        draft,
        now: ctx.now,
    };
    let coupon = vehicle_do::ask(&ctx.env, &plate, &call).await?;
    json(201, &coupon)
}
