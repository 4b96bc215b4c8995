//! 微信支付 in the payment saga. The try is reserved as for the wallet (order pending, coupons
//! used), then a JSAPI order is created and the payer's pay sheet returned. The try is settled
//! only by WeChat Pay's word — a verified notification (`WechatPaid`), or an order query by the
//! alarm when the notification is late or lost — never by the browser's. A try nobody paid is
//! closed at WeChat Pay when its window ends and the order is due again; a success for a try that
//! is no longer pending (released, or the order paid another way) is refunded.

use shared::api::ErrorCode;
use shared::ids::{OrderId, UserId};
use shared::order::{Order, Payment};
use shared::payment::{wechat_part, DeductionPlan, PayRefusal, PaymentSource};
use shared::providers::wechat_pay::{
    attempt_of, out_parking_no, out_trade_no, pay_sign_message, Amount, JsapiOrder,
    ParkingDeduction, ParkingEntered, ParkingEntry, ParkingInfo, PaySheet, Payer, PlateColor,
    Prepay, RefundAmount, RefundRequest, ServiceState, Transaction, JSAPI_PATH, PARKINGS_PATH,
    PARKING_DEDUCTION_PATH, PAY_WINDOW_SECS, REFUNDS_PATH,
};
use shared::timestamp::Timestamp;
use shared::vehicle::Vehicle;
use worker::Method;

use super::protocol::{CancelWechatPay, WechatFailed, WechatPaid};
use super::VehicleDo;
use crate::durable::Answers;
use crate::error::{AppError, AppResult};
use crate::wechat_pay::{self, crypto, PayFailure, PaySettings};

/// After how long the alarm first asks WeChat Pay about an unpaid try, then how much longer
/// each time (the window's end is always a check).
const QUERY_AFTER_MS: [i64; 2] = [5_000, 30_000];
/// How long a 支付分停车 deduction may stay accepted-but-unsettled before the owner is told to
/// pay by hand (WeChat Pay retries a failed deduction on its side for a while).
const DEDUCTION_WINDOW_MS: i64 = 48 * 3600 * 1000;

fn unavailable() -> AppError {
    AppError::with_message(ErrorCode::Unavailable, "微信支付暂时不可用，请稍后再试")
}

impl VehicleDo {
    /// Reserves a try for the WeChat part of `plan`, creates its JSAPI order and returns the
    /// payer's pay sheet. The order stays pending until WeChat Pay says it was paid.
    pub(super) async fn start_wechat_pay(
        &self,
        order: &mut Order,
        payer: &UserId,
        payer_phone: Option<&str>,
        openid: Option<&str>,
        plan: &DeductionPlan,
        now: Timestamp,
    ) -> AppResult<PaySheet> {
        let settings = PaySettings::from_env(&self.env).ok_or(PayRefusal::NotOffered)?;
        let Some(openid) = openid else {
            return Err(AppError::with_message(
                ErrorCode::Conflict,
                "请在微信中打开本页面，使用微信登录后支付",
            ));
        };
        let attempt = self.reserve(order, payer, payer_phone, plan.steps.clone(), false)?;
        let until = now.unix_millis() + window_ms(&self.env);
        self.store.set_wechat_try(attempt, Some(until))?;
        self.wake_at(now.unix_millis() + QUERY_AFTER_MS[0]).await;
        let body = JsapiOrder {
            appid: settings.app_id.clone(),
            mchid: settings.mch_id.clone(),
            description: format!("停车缴费-{}", order.plate),
            out_trade_no: out_trade_no(&order.id, attempt),
            time_expire: Timestamp::from_unix_millis(until)
                .to_rfc3339()
                .map_err(AppError::internal)?,
            attach: order.id.to_string(),
            notify_url: settings.notify_url.clone(),
            amount: Amount::cny(plan.wechat_fen()),
            payer: Payer {
                openid: openid.to_owned(),
            },
        };
        let json = serde_json::to_string(&body).map_err(AppError::internal)?;
        let answer = wechat_pay::call(&settings, Method::Post, JSAPI_PATH, Some(json), now).await;
        let prepay: Prepay = match answer.map(|text| serde_json::from_str(&text)) {
            Ok(Ok(prepay)) => prepay,
            failed => {
                worker::console_error!("WeChat Pay JSAPI order for {}: {failed:?}", order.id);
                // Nobody can pay a try whose pay sheet never reached them: due again now.
                self.release(&order.id, attempt)?;
                self.store.set_wechat_try(attempt, None)?;
                return Err(unavailable());
            }
        };
        pay_sheet(&settings, &prepay.prepay_id, now).await
    }

    /// Asks WeChat Pay about try `attempt` (alarm): paid → settled; unpaid past its window →
    /// closed there and released here; otherwise asked again later.
    pub(super) async fn check_wechat_try(
        &self,
        id: &OrderId,
        attempt: u64,
        payer: &UserId,
        now: Timestamp,
    ) {
        if let Err(err) = self.try_check_wechat(id, attempt, payer, now).await {
            worker::console_error!("checking WeChat Pay try {attempt} of {id}: {err:?}");
            self.wake_at(now.unix_millis() + QUERY_AFTER_MS[1]).await;
        }
    }

    async fn try_check_wechat(
        &self,
        id: &OrderId,
        attempt: u64,
        payer: &UserId,
        now: Timestamp,
    ) -> AppResult<()> {
        let Some(settings) = PaySettings::from_env(&self.env) else {
            return Ok(()); // settings removed: the try waits for them
        };
        let no = out_trade_no(id, attempt);
        let parking = self.is_parking_try(id)?;
        let path = match parking {
            true => format!(
                "/v3/vehicle/transactions/out-trade-no/{no}?appid={}",
                settings.app_id
            ),
            false => format!(
                "/v3/pay/transactions/out-trade-no/{no}?mchid={}",
                settings.mch_id
            ),
        };
        let until = self.store.wechat_try(attempt)?.unwrap_or(0);
        let expired = now.unix_millis() >= until;
        match wechat_pay::call(&settings, Method::Get, &path, None, now).await {
            Ok(text) => {
                let t: Transaction = serde_json::from_str(&text).map_err(AppError::internal)?;
                match (t.paid_total(), t.trade_state.as_str()) {
                    (Some(total), _) => self.settle_wechat(id, &no, total, now).await,
                    // A deduction WeChat Pay accepted is still being taken; one that failed,
                    // or took too long, leaves the fee for the owner to pay by hand.
                    (None, "ACCEPTED") if parking && !expired => {
                        self.wake_later(now, until).await;
                        Ok(())
                    }
                    (None, _) if parking => self.deduction_failed(id, attempt, now),
                    (None, "NOTPAY" | "USERPAYING") if expired => {
                        self.close_wechat(&settings, id, attempt, now).await
                    }
                    (None, "NOTPAY" | "USERPAYING") => {
                        self.wake_later(now, until).await;
                        Ok(())
                    }
                    // CLOSED, PAYERROR, REVOKED: it will not be paid.
                    (None, _) => self.forget_wechat_try(id, attempt),
                }
            }
            Err(PayFailure::Refused { code, .. }) if code == "ORDER_NOT_EXIST" && expired => {
                self.forget_wechat_try(id, attempt)
            }
            Err(failure) => {
                worker::console_log!("WeChat Pay query of {no} ({payer}): {failure}");
                self.wake_later(now, until).await;
                Ok(())
            }
        }
    }

    /// Closes an unpaid try at WeChat Pay, then releases it; a try paid meanwhile is settled
    /// by the next query.
    async fn close_wechat(
        &self,
        settings: &PaySettings,
        id: &OrderId,
        attempt: u64,
        now: Timestamp,
    ) -> AppResult<()> {
        let no = out_trade_no(id, attempt);
        let path = format!("/v3/pay/transactions/out-trade-no/{no}/close");
        let body = serde_json::json!({ "mchid": settings.mch_id }).to_string();
        match wechat_pay::call(settings, Method::Post, &path, Some(body), now).await {
            Ok(_) => self.forget_wechat_try(id, attempt),
            Err(failure) => {
                worker::console_log!("closing {no}: {failure}; asking again");
                self.wake_at(now.unix_millis() + QUERY_AFTER_MS[0]).await;
                Ok(())
            }
        }
    }

    /// Whether the pending try of order `id` is a 支付分停车 deduction.
    fn is_parking_try(&self, id: &OrderId) -> AppResult<bool> {
        Ok(match &self.order(id)?.payment {
            Payment::Pending { steps, .. } => steps
                .iter()
                .any(|s| s.source == PaymentSource::WechatParking),
            _ => false,
        })
    }

    /// A 支付分停车 deduction that will not be taken: the order is due again and the owner told.
    fn deduction_failed(&self, id: &OrderId, attempt: u64, now: Timestamp) -> AppResult<()> {
        let was_pending = self.order(id)?.pending_attempt() == Some(attempt);
        self.forget_wechat_try(id, attempt)?;
        match (was_pending, self.vehicle()?) {
            (true, Some(vehicle)) => self.autopay_failed(&vehicle, id, now),
            _ => Ok(()),
        }
    }

    /// Registers a stay that just began with 支付分停车 when its owner pays that way and the
    /// plate's service is open; logs and does nothing otherwise.
    pub(super) async fn register_parking(&self, vehicle: &Vehicle, order: &Order, now: Timestamp) {
        let wants = vehicle
            .autopay()
            .is_some_and(|a| a.enabled && a.sources.contains(&PaymentSource::WechatParking));
        let (Some(owner), true) = (vehicle.owner(), wants) else {
            return;
        };
        let Some(settings) = PaySettings::from_env(&self.env) else {
            return;
        };
        let color = vehicle.details().plate_color_of(&order.plate);
        if let Err(err) = self
            .try_register(&settings, &owner.user, order, color, now)
            .await
        {
            worker::console_error!("支付分停车 registration of {}: {err:?}", order.id);
        }
    }

    async fn try_register(
        &self,
        settings: &PaySettings,
        owner: &UserId,
        order: &Order,
        color: PlateColor,
        now: Timestamp,
    ) -> AppResult<()> {
        let db = self.env.d1("DB")?;
        let Some(openid) = crate::store::wechat::openid_of(&db, owner).await? else {
            return Ok(()); // the owner has no WeChat: nothing WeChat Pay could deduct from
        };
        match wechat_pay::service_state(settings, &order.plate, color, &openid, now).await {
            Ok(ServiceState::Normal) => {}
            Ok(state) => {
                worker::console_log!(
                    "支付分停车 for {} is {state:?}: stay not registered",
                    order.plate
                );
                return Ok(());
            }
            Err(failure) => return Err(AppError::internal(failure.to_string())),
        }
        let body = ParkingEntry {
            out_parking_no: out_parking_no(&order.id),
            plate_number: order.plate.to_string(),
            plate_color: color,
            notify_url: settings.notify_url.clone(),
            start_time: order.entered_at.to_rfc3339().map_err(AppError::internal)?,
            parking_name: order.facility.name.clone(),
            free_duration: 0,
        };
        let json = serde_json::to_string(&body).map_err(AppError::internal)?;
        let text = wechat_pay::call(settings, Method::Post, PARKINGS_PATH, Some(json), now)
            .await
            .map_err(|f| AppError::internal(f.to_string()))?;
        let entered: ParkingEntered = serde_json::from_str(&text).map_err(AppError::internal)?;
        self.store.set_parking_id(order.id.seq(), &entered.id)
    }

    /// Asks 支付分停车 to deduct try `attempt`'s part of a registered stay; the result comes by
    /// notification or query. A refusal now leaves the fee due and tells the owner.
    pub(super) async fn deduct_parking(
        &self,
        order: &Order,
        attempt: u64,
        parking_id: &str,
        fen: u64,
        now: Timestamp,
    ) -> AppResult<()> {
        let Some(settings) = PaySettings::from_env(&self.env) else {
            return self.deduction_failed(&order.id, attempt, now);
        };
        self.store
            .set_wechat_try(attempt, Some(now.unix_millis() + DEDUCTION_WINDOW_MS))?;
        self.wake_at(now.unix_millis() + QUERY_AFTER_MS[0]).await;
        let rfc = |t: Timestamp| t.to_rfc3339().map_err(AppError::internal);
        let exited = order.exited_at.unwrap_or(now);
        let body = ParkingDeduction {
            appid: settings.app_id.clone(),
            description: format!("停车费-{}", order.plate),
            out_trade_no: out_trade_no(&order.id, attempt),
            trade_scene: "PARKING".to_owned(),
            attach: order.id.to_string(),
            notify_url: settings.notify_url.clone(),
            amount: Amount::cny(fen),
            parking_info: ParkingInfo {
                parking_id: parking_id.to_owned(),
                plate_number: order.plate.to_string(),
                plate_color: self.vehicle()?.map_or_else(
                    || PlateColor::of(&order.plate),
                    |v| v.details().plate_color_of(&order.plate),
                ),
                start_time: rfc(order.entered_at)?,
                end_time: rfc(exited)?,
                parking_name: order.facility.name.clone(),
                charging_duration: order.duration_minutes().unwrap_or(0) * 60,
                device_id: order.facility.id.to_string(),
            },
        };
        let json = serde_json::to_string(&body).map_err(AppError::internal)?;
        match wechat_pay::call(
            &settings,
            Method::Post,
            PARKING_DEDUCTION_PATH,
            Some(json),
            now,
        )
        .await
        {
            Ok(_) => Ok(()), // accepted: pending until WeChat Pay says how it ended
            Err(failure) => {
                worker::console_error!("支付分停车 deduction for {}: {failure}", order.id);
                self.deduction_failed(&order.id, attempt, now)
            }
        }
    }

    fn forget_wechat_try(&self, id: &OrderId, attempt: u64) -> AppResult<()> {
        self.release(id, attempt)?;
        self.store.set_wechat_try(attempt, None)
    }

    /// WeChat Pay took `total_fen` for `out_trade_no`: the try is paid if it is still the
    /// order's pending one for that amount; otherwise the money goes back.
    pub(super) async fn settle_wechat(
        &self,
        id: &OrderId,
        out_trade_no: &str,
        total_fen: u64,
        now: Timestamp,
    ) -> AppResult<()> {
        let attempt = attempt_of(id, out_trade_no)
            .ok_or_else(|| AppError::with_message(ErrorCode::NotFound, "订单不存在"))?;
        let mut order = self.order(id)?;
        if order.paid_by(attempt) {
            return Ok(()); // told twice
        }
        if let Payment::Pending {
            attempt: pending,
            payer,
            steps,
            ..
        } = order.payment.clone()
        {
            if pending == attempt && wechat_part(&steps) == total_fen {
                self.record_paid(&mut order, attempt, &payer, now)?;
                return self.store.set_wechat_try(attempt, None);
            }
        }
        self.refund_wechat(out_trade_no, total_fen, now).await
    }

    /// Gives back a payment no try of ours is waiting for (once per `out_trade_no`: WeChat Pay
    /// keeps the refund by its number).
    async fn refund_wechat(
        &self,
        out_trade_no: &str,
        total_fen: u64,
        now: Timestamp,
    ) -> AppResult<()> {
        let settings = PaySettings::from_env(&self.env).ok_or_else(unavailable)?;
        let body = RefundRequest {
            out_trade_no: out_trade_no.to_owned(),
            out_refund_no: format!("{out_trade_no}-R"),
            reason: "订单已通过其他方式缴费或已取消".to_owned(),
            amount: RefundAmount {
                refund: total_fen,
                total: total_fen,
                currency: "CNY".to_owned(),
            },
        };
        let json = serde_json::to_string(&body).map_err(AppError::internal)?;
        match wechat_pay::call(&settings, Method::Post, REFUNDS_PATH, Some(json), now).await {
            Ok(_) => {
                worker::console_log!("refunded {out_trade_no}: no try was waiting for it");
                Ok(())
            }
            Err(failure) => {
                worker::console_error!("refund of {out_trade_no} failed: {failure}");
                Err(unavailable())
            }
        }
    }

    /// Arms the alarm for `at` (unix ms) unless it is already due sooner.
    pub(super) async fn wake_at(&self, at: i64) {
        let storage = self.state.storage();
        let now = worker::Date::now().as_millis() as i64;
        if let Ok(Some(armed)) = storage.get_alarm().await {
            if armed <= at {
                return;
            }
        }
        if let Err(err) = storage.set_alarm((at - now).max(0)).await {
            worker::console_error!("could not arm the alarm: {err}");
        }
    }

    /// The next check of an unpaid try: a little later, and at the latest when its window
    /// ends (then it is closed).
    async fn wake_later(&self, now: Timestamp, until: i64) {
        let now = now.unix_millis();
        let next = (now + QUERY_AFTER_MS[1]).min(until.max(now + 1_000));
        self.wake_at(next).await;
    }
}

impl Answers<WechatPaid> for VehicleDo {
    async fn answer(&self, call: WechatPaid) -> AppResult<()> {
        let result = self
            .settle_wechat(&call.order, &call.out_trade_no, call.total_fen, call.now)
            .await;
        self.flush().await;
        result
    }
}

/// The pay sheet for `prepay_id`, signed with the merchant key.
async fn pay_sheet(settings: &PaySettings, prepay_id: &str, now: Timestamp) -> AppResult<PaySheet> {
    let time_stamp = (now.unix_millis() / 1000).to_string();
    let nonce_str = crate::crypto::random_hex(16)?;
    let package = format!("prepay_id={prepay_id}");
    let message = pay_sign_message(&settings.app_id, &time_stamp, &nonce_str, &package);
    let pay_sign = crypto::sign(&settings.private_der, &message).await?;
    Ok(PaySheet {
        app_id: settings.app_id.clone(),
        time_stamp,
        nonce_str,
        package,
        sign_type: "RSA".to_owned(),
        pay_sign,
    })
}

/// How long a JSAPI order may be paid: WeChat's 10 minutes, or `WECHAT_PAY_WINDOW_SECS` (the
/// test server shortens it to watch an unpaid try close).
fn window_ms(env: &worker::Env) -> i64 {
    let secs = env
        .var("WECHAT_PAY_WINDOW_SECS")
        .ok()
        .and_then(|v| v.to_string().parse().ok())
        .unwrap_or(PAY_WINDOW_SECS);
    secs * 1000
}

impl Answers<WechatFailed> for VehicleDo {
    async fn answer(&self, call: WechatFailed) -> AppResult<()> {
        let attempt = attempt_of(&call.order, &call.out_trade_no)
            .ok_or_else(|| AppError::with_message(ErrorCode::NotFound, "订单不存在"))?;
        let result = match self.order(&call.order)?.pending_attempt() == Some(attempt) {
            true => self.deduction_failed(&call.order, attempt, call.now),
            false => Ok(()), // told twice, or already settled by a query
        };
        self.flush().await;
        result
    }
}

impl Answers<CancelWechatPay> for VehicleDo {
    async fn answer(&self, call: CancelWechatPay) -> AppResult<()> {
        let order = self.order(&call.order)?;
        let Payment::Pending {
            attempt,
            payer,
            steps,
            ..
        } = &order.payment
        else {
            return Ok(()); // nothing pending: paid meanwhile, or released already
        };
        // Only a pay sheet's try: a 支付分停车 deduction is not the payer's to cancel.
        let by_wechat = steps.iter().any(|s| s.source == PaymentSource::Wechat);
        if !by_wechat || payer != &call.payer {
            return Ok(());
        }
        let Some(settings) = PaySettings::from_env(&self.env) else {
            return Err(unavailable());
        };
        self.close_wechat(&settings, &call.order, *attempt, call.now)
            .await
    }
}
