//! WeChat Pay's notifications (`POST /api/pay/wechat/notify`): outside the CSRF gate (WeChat
//! Pay's servers send them), trusted only after the signature, key id and time check out and
//! the resource opens under the APIv3 key. A repeat changes nothing (the plate object knows the
//! try is paid) and is answered like the first, as WeChat Pay expects: 204, or an error status
//! that makes it send again later.

use shared::api::ErrorCode;
use shared::ids::OrderId;
use shared::providers::wechat_pay::{Notification, Transaction, PAID_EVENT};
use worker::Request;

use crate::error::{AppError, AppResult};
use crate::http::{no_content, parse_json, read_body, Ctx, MAX_JSON_BYTES};
use crate::vehicle_do::{self, WechatFailed, WechatPaid};
use crate::wechat_pay::{check_signed, crypto, PaySettings};

/// `POST /api/pay/wechat/notify`.
pub async fn wechat(ctx: &Ctx, req: &mut Request) -> AppResult {
    let Some(settings) = PaySettings::from_env(&ctx.env) else {
        return Err(AppError::new(ErrorCode::NotFound));
    };
    let too_large = || AppError::invalid("通知过大");
    let bytes = read_body(req, MAX_JSON_BYTES, too_large, "无法读取通知").await?;
    let body = String::from_utf8(bytes).map_err(|_| AppError::invalid("通知不是 UTF-8"))?;
    let headers = req.headers().clone();
    let header = |name: &str| headers.get(name).ok().flatten();
    if let Err(why) = check_signed(&settings, header, &body, ctx.now).await {
        worker::console_log!("WeChat Pay notification refused: {why}");
        return Err(AppError::with_message(
            ErrorCode::Unauthenticated,
            "通知签名验证失败",
        ));
    }
    let notification: Notification = parse_json(body.as_bytes())?;
    let resource = &notification.resource;
    let opened = crypto::open(
        &settings.apiv3_key,
        &resource.nonce,
        &resource.associated_data,
        &resource.ciphertext,
    )
    .await?
    .ok_or_else(|| AppError::invalid("通知内容无法解密"))?;
    if !notification.event_type.starts_with("TRANSACTION.") {
        // Refunds and stay-state changes: nothing of ours waits on them.
        worker::console_log!(
            "WeChat Pay notification {} ({}): noted",
            notification.id,
            notification.event_type
        );
        return no_content();
    }
    let told: Transaction = parse_json(&opened)?;
    let Some(order) = told.attach.as_deref().and_then(OrderId::parse) else {
        return Err(AppError::invalid("通知缺少订单"));
    };
    match (notification.event_type.as_str(), told.paid_total()) {
        (PAID_EVENT, Some(total_fen)) => {
            let call = WechatPaid {
                order: order.clone(),
                out_trade_no: told.out_trade_no,
                total_fen,
                now: ctx.now,
            };
            vehicle_do::ask(&ctx.env, order.plate(), &call).await?;
        }
        (PAID_EVENT, None) => return Err(AppError::invalid("通知缺少金额")),
        // A 支付分停车 deduction that failed (TRANSACTION.PAY_FAIL and the like).
        _ => {
            let call = WechatFailed {
                order: order.clone(),
                out_trade_no: told.out_trade_no,
                now: ctx.now,
            };
            vehicle_do::ask(&ctx.env, order.plate(), &call).await?;
        }
    }
    no_content()
}
