//! 停车/充电记录 (SPEC §6): a user's orders, the 代缴费 lookup, and paying.

use futures_util::future::join_all;
use shared::api::{ErrorCode, OrderList, PayRequest};
use shared::ids::OrderId;
use shared::payment::PaymentSource;
use shared::plate::Plate;
use worker::Request;

use super::vehicles::driver;
use crate::error::{AppError, AppResult};
use crate::http::{json, read_json, Ctx};
use crate::store;
use crate::vehicle_do::{self, CancelWechatPay, DueOrders, ListOrders, PayOrder};

/// Orders listed at most.
const LISTED: usize = 100;

/// `GET /api/orders`: every order the caller may see, newest first, redacted per SPEC §6;
/// `GET /api/orders?plate=…`: the due orders of that plate the caller may pay (代缴费).
pub async fn list(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = driver(ctx, req).await?;
    let viewer = caller.user.user_id();
    let url = req.url()?;
    if let Some((_, plate)) = url.query_pairs().find(|(k, _)| k == "plate") {
        let plate = Plate::parse(&plate)?;
        let orders = vehicle_do::ask(&ctx.env, &plate, &DueOrders { viewer }).await?;
        return json(200, &OrderList { orders });
    }
    let plates = store::vehicles::order_plates(&ctx.db()?, &viewer).await?;
    let call = ListOrders { viewer };
    let answers = join_all(
        plates
            .iter()
            .map(|plate| vehicle_do::ask(&ctx.env, plate, &call)),
    )
    .await;
    let mut listed = Vec::new();
    for answer in answers {
        listed.extend(answer?);
    }
    listed.sort_by_key(|l| std::cmp::Reverse(l.entered));
    let orders = listed.into_iter().take(LISTED).map(|l| l.view).collect();
    json(200, &OrderList { orders })
}

/// `POST /api/orders/{id}/pay {source}`.
pub async fn pay(ctx: &Ctx, req: &mut Request, id: &str) -> AppResult {
    let caller = driver(ctx, req).await?;
    let order = OrderId::parse(id)
        .ok_or_else(|| AppError::with_message(ErrorCode::NotFound, "订单不存在"))?;
    let body: PayRequest = read_json(req).await?;
    // 微信支付 needs the payer's openid (signed in through WeChat).
    let openid = match body.source {
        PaymentSource::Wechat => {
            store::wechat::openid_of(&ctx.db()?, &caller.user.user_id()).await?
        }
        PaymentSource::Coupon | PaymentSource::Wallet | PaymentSource::WechatParking => None,
    };
    let call = PayOrder {
        order: order.clone(),
        payer: caller.user.user_id(),
        source: body.source,
        openid,
        payer_phone_masked: Some(caller.user.phone.masked()),
        now: ctx.now,
    };
    let paid = vehicle_do::ask(&ctx.env, order.plate(), &call).await?;
    json(200, &paid)
}

/// `POST /api/orders/{id}/pay/cancel`: the payer closed WeChat's pay sheet.
pub async fn cancel_wechat(ctx: &Ctx, req: &Request, id: &str) -> AppResult {
    let caller = driver(ctx, req).await?;
    let order = OrderId::parse(id)
        .ok_or_else(|| AppError::with_message(ErrorCode::NotFound, "订单不存在"))?;
    let call = CancelWechatPay {
        order: order.clone(),
        payer: caller.user.user_id(),
        now: ctx.now,
    };
    vehicle_do::ask(&ctx.env, order.plate(), &call).await?;
    crate::http::no_content()
}
