//! `GET /api/vehicles/{plate}/wechat-parking`: 微信支付分停车's state for the plate, for its
//! owner's 无感支付 page, with the mini-program page that turns it on (开通).

use shared::api::vehicles::{MiniProgramLink, WechatParkingState, WechatParkingStatus};
use shared::api::ErrorCode;
use shared::plate::Plate;
use shared::providers::wechat_pay::{enable_path, PARKING_ENABLE_APP_ID};
use worker::Request;

use super::vehicles::driver;
use crate::error::{AppError, AppResult};
use crate::http::{json, Ctx};
use crate::store;
use crate::vehicle_do::{self, ReadVehicle};
use crate::wechat_pay::{service_state, PaySettings};

/// `GET /api/vehicles/{plate}/wechat-parking`.
pub async fn status(ctx: &Ctx, req: &Request, plate: &str) -> AppResult {
    let caller = driver(ctx, req).await?;
    let plate = Plate::parse(plate)?;
    let vehicle = vehicle_do::ask(&ctx.env, &plate, &ReadVehicle).await?;
    let me = caller.user.user_id();
    let Some(vehicle) = vehicle.filter(|v| v.is_owner(&me)) else {
        return Err(AppError::with_message(
            ErrorCode::Forbidden,
            "仅认证车主可以设置无感支付",
        ));
    };
    let plate_color = vehicle.details().plate_color_of(&plate);
    let answer = |state, enable| {
        json(
            200,
            &WechatParkingStatus {
                state,
                plate_color,
                enable,
            },
        )
    };
    let Some(settings) = PaySettings::from_env(&ctx.env) else {
        return answer(WechatParkingState::Off, None);
    };
    let Some(openid) = store::wechat::openid_of(&ctx.db()?, &me).await? else {
        return answer(WechatParkingState::NoWechat, None);
    };
    let state: WechatParkingState = service_state(&settings, &plate, plate_color, &openid, ctx.now)
        .await
        .map_err(|failure| {
            worker::console_error!("支付分停车 state of {plate}: {failure}");
            AppError::with_message(ErrorCode::Unavailable, "微信支付暂时不可用，请稍后再试")
        })?
        .into();
    let enable = state.offers_enable().then(|| MiniProgramLink {
        app_id: PARKING_ENABLE_APP_ID.to_owned(),
        path: enable_path(&settings.mch_id, &openid, &plate, plate_color),
    });
    answer(state, enable)
}
