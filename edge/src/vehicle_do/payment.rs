//! The payment saga: reserve → charge → settle or release, for payments by hand (缴费, 代缴费)
//! and for 无感支付 at an unpaid exit.
//!
//! - **Reserve** (one commit): the order becomes `Pending` under a new try number and its coupon
//!   is marked used, so no second payment of the order can start. The alarm is armed first.
//! - **Charge**: the provider is asked for the wallet's part with the reference
//!   `order:{id}:{try}` ([`crate::payments::Reference::OrderTry`]); the same reference never
//!   takes twice.
//! - **Settle** (paid, payer remembered, messages queued) or **release** (due again, coupon
//!   back) in one commit. A try that is no longer the order's pending one settles nothing, and
//!   what its charge took is refunded: a late answer can never pay a newer try.
//!
//! If the instance stops between reserve and settle, the order stays `Pending` and the alarm
//! asks the provider again with the same try ([`VehicleDo::settle_pending`]). 无感支付 owed
//! after an exit is remembered in storage until it ends, and the alarm resumes it
//! ([`VehicleDo::resume_autopay`]). Rights are decided again after every wait: the owner may
//! have turned privacy on or someone else may have paid meanwhile.

use shared::api::orders::PayResponse;
use shared::ids::{OrderId, UserId};
use shared::notify::{Occasion, Stay};
use shared::order::{Order, OrderError, Payment};
use shared::payment::{
    after_exit, check_payer, deduction_plan, payment_plan, AfterExit, Deduction, PaymentSource,
};
use shared::timestamp::Timestamp;
use shared::vehicle::{RelationState, Vehicle};

use super::protocol::PayOrder;
use super::storage::Counter;
use super::VehicleDo;
use crate::durable::Answers;
use crate::error::{AppError, AppResult};
use crate::payments::{insufficient, offered, provider, ChargeOutcome, Movement, PaymentProvider};

/// Work this instance is in the middle of; the alarm leaves it to its request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Work {
    /// A payment try, by its number.
    Payment(u64),
    /// 无感支付 for the order with this `seq`.
    Autopay(u64),
}

/// One payment try: the order, its number, who pays, and what the provider is asked for.
#[derive(Debug, Clone, Copy)]
struct Try<'a> {
    order: &'a OrderId,
    attempt: u64,
    payer: &'a UserId,
    wallet_fen: u64,
}

impl Answers<PayOrder> for VehicleDo {
    async fn answer(&self, call: PayOrder) -> AppResult<PayResponse> {
        let answer = self.pay(call).await;
        self.flush().await;
        answer
    }
}

impl VehicleDo {
    /// Pays an order for `payer` (代缴费 included) from a coupon of the plate and the payer's
    /// wallet, or the wallet only.
    async fn pay(&self, call: PayOrder) -> AppResult<PayResponse> {
        let PayOrder {
            order: id,
            payer,
            source,
            openid,
            payer_phone_masked,
            now,
        } = call;
        let sources = offered(&self.env).manual_sources(source)?;
        self.payable_by(&id, &payer, &sources)?;
        let balance = match sources.contains(&PaymentSource::Wallet) {
            true => provider(&self.env).statement(&payer).await?.balance_fen,
            false => 0,
        };
        // Other requests may have run while we waited for the wallet (the owner turned privacy
        // on or revoked the payer, someone else paid): decide again on fresh state.
        let mut order = self.payable_by(&id, &payer, &sources)?;
        let coupons = self.store.coupons()?;
        let plan = payment_plan(&sources, order.amount_fen, &coupons, balance, now);
        if plan.remaining_fen > 0 && !sources.contains(&PaymentSource::Wallet) {
            return Err(offered(&self.env).coupons_short().into());
        }
        if plan.remaining_fen > 0 {
            return Err(insufficient());
        }
        let payer_phone = payer_phone_masked.as_deref();
        if plan.wechat_fen() > 0 {
            let sheet = self
                .start_wechat_pay(
                    &mut order,
                    &payer,
                    payer_phone,
                    openid.as_deref(),
                    &plan,
                    now,
                )
                .await?;
            return Ok(PayResponse {
                order_id: id,
                paid_fen: order.amount_fen,
                deductions: plan.steps,
                wechat_pay: Some(sheet),
            });
        }
        let attempt = self.reserve(&mut order, &payer, payer_phone, plan.steps.clone(), false)?;
        self.retry_later().await;
        let try_ = Try {
            order: &id,
            attempt,
            payer: &payer,
            wallet_fen: plan.wallet_fen(),
        };
        if let Err(err) = self.settle(try_, now).await {
            // The provider did not answer: the try stays pending and the alarm finishes it, so
            // the payer hears that the payment is under way rather than that it failed.
            let pending = self.order(&id)?.pending_attempt() == Some(attempt);
            return Err(if pending {
                OrderError::PaymentPending.into()
            } else {
                err
            });
        }
        Ok(PayResponse {
            order_id: id,
            paid_fen: order.amount_fen,
            deductions: plan.steps,
            wechat_pay: None,
        })
    }

    /// The order `id`, or 404.
    pub(super) fn order(&self, id: &OrderId) -> AppResult<Order> {
        self.store.order(id)?.ok_or_else(no_such_order)
    }

    /// The order, if `payer` may pay it now from `sources`.
    fn payable_by(
        &self,
        id: &OrderId,
        payer: &UserId,
        sources: &[PaymentSource],
    ) -> AppResult<Order> {
        let vehicle = self.vehicle()?.ok_or_else(no_such_order)?;
        let order = self.order(id)?;
        check_payer(&vehicle, payer, sources)?;
        order.payable()?;
        Ok(order)
    }

    /// 无感支付 at an unpaid exit, once per instance at a time; when it ends (paid, the owner
    /// told, or a payment left pending for the alarm) it is no longer owed.
    pub(super) async fn autopay(&self, id: &OrderId, now: Timestamp) -> AppResult<()> {
        let work = Work::Autopay(id.seq());
        if !self.busy.borrow_mut().insert(work.clone()) {
            return Ok(());
        }
        let result = self.autopay_once(id, now).await;
        self.busy.borrow_mut().remove(&work);
        self.store.set_autopay_owed(id, false)?;
        result
    }

    /// The owner's sources in order; if they cannot cover the fee, nothing is taken and the
    /// owner is told the fee is still due.
    async fn autopay_once(&self, id: &OrderId, now: Timestamp) -> AppResult<()> {
        let Some(owner) = self
            .vehicle()?
            .and_then(|v| v.owner().map(|o| o.user.clone()))
        else {
            return Ok(());
        };
        let balance = match offered(&self.env).wallet {
            false => 0, // no wallet here: coupons alone, or the owner is told
            true => match provider(&self.env).statement(&owner).await {
                Ok(statement) => statement.balance_fen,
                Err(_) => 0, // logged as it was made; the fee stays due below
            },
        };
        let Some(vehicle) = self.vehicle()? else {
            return Ok(());
        };
        let mut order = self.order(id)?;
        // Decided again: the owner may have changed 无感支付 since the exit.
        match after_exit(&vehicle, &order) {
            AfterExit::Autopay => {}
            AfterExit::Nothing => return Ok(()),
            AfterExit::TellOwner => {
                let stay = Stay::of(&order);
                let unpaid = Occasion::Exit {
                    stay,
                    paid: false,
                    due_fen: order.amount_fen,
                };
                return self.notify(&vehicle, unpaid, now);
            }
            AfterExit::OverLimit { limit_fen } => {
                let amount_fen = order.amount_fen;
                let over = Occasion::AutopayOverLimit {
                    amount_fen,
                    limit_fen,
                };
                return self.tell_unpaid(&vehicle, &order, over, now);
            }
        }
        let coupons = self.store.coupons()?;
        let parking = self.store.parking_id(id.seq())?;
        let registered = parking.is_some();
        let plan = deduction_plan(
            &vehicle,
            order.amount_fen,
            &coupons,
            balance,
            parking.is_some(),
            now,
        );
        match plan {
            Some(plan) if plan.remaining_fen == 0 && vehicle.is_owner(&owner) => {
                let attempt = self.reserve(&mut order, &owner, None, plan.steps.clone(), true)?;
                if let (true, Some(parking)) = (plan.wechat_fen() > 0, parking) {
                    return self
                        .deduct_parking(&order, attempt, &parking, plan.wechat_fen(), now)
                        .await;
                }
                let try_ = Try {
                    order: id,
                    attempt,
                    payer: &owner,
                    wallet_fen: plan.wallet_fen(),
                };
                match self.settle(try_, now).await {
                    Ok(()) => Ok(()),
                    Err(_) => self.autopay_failed(&vehicle, id, now),
                }
            }
            // 支付分停车 was to pay, but the stay was not registered (service not open).
            _ if !registered
                && offered(&self.env).wechat
                && vehicle
                    .autopay()
                    .is_some_and(|a| a.sources.contains(&PaymentSource::WechatParking)) =>
            {
                let off = Occasion::WechatParkingOff {
                    amount_fen: order.amount_fen,
                };
                self.tell_unpaid(&vehicle, &order, off, now)
            }
            _ => self.autopay_failed(&vehicle, id, now),
        }
    }

    pub(super) fn autopay_failed(
        &self,
        vehicle: &Vehicle,
        id: &OrderId,
        now: Timestamp,
    ) -> AppResult<()> {
        let order = self.order(id)?;
        if !order.is_due() {
            return Ok(()); // paid meanwhile, or pending: the alarm settles it
        }
        let failed = Occasion::AutopayFailed {
            amount_fen: order.amount_fen,
        };
        self.tell_unpaid(vehicle, &order, failed, now)
    }

    /// Tells the owner the stay is unpaid (the exit notice) and why 无感支付 did not pay it.
    pub(super) fn tell_unpaid(
        &self,
        vehicle: &Vehicle,
        order: &Order,
        why: Occasion,
        now: Timestamp,
    ) -> AppResult<()> {
        let unpaid = Occasion::Exit {
            stay: Stay::of(order),
            paid: false,
            due_fen: order.amount_fen,
        };
        self.notify(vehicle, unpaid, now)?;
        self.notify(vehicle, why, now)
    }

    /// Runs 无感支付 still owed after an interrupted exit (alarm).
    pub(super) async fn resume_autopay(&self, now: Timestamp) -> AppResult<()> {
        for seq in self.store.autopay_owed()? {
            let Some(id) = self
                .vehicle()?
                .map(|v| OrderId::new(v.plate().clone(), seq))
            else {
                continue;
            };
            if self.busy.borrow().contains(&Work::Autopay(seq)) {
                self.retry_later().await;
                continue;
            }
            self.autopay(&id, now).await?;
        }
        Ok(())
    }

    /// Marks the order pending under a new try for `payer` and its coupon used, in one commit;
    /// the try. `payer_phone` (masked) is kept for the owner's 代缴 message.
    pub(super) fn reserve(
        &self,
        order: &mut Order,
        payer: &UserId,
        payer_phone: Option<&str>,
        steps: Vec<Deduction>,
        automatic: bool,
    ) -> AppResult<u64> {
        let attempt = self.store.next(Counter::Payment)?;
        order.begin_payment(attempt, payer.clone(), steps.clone(), automatic)?;
        self.mark_coupons(&steps, true)?;
        self.store.save_order(order)?;
        if let Some(masked) = payer_phone {
            self.store.set_payer_phone(attempt, masked)?;
        }
        Ok(attempt)
    }

    /// Asks the provider for try `attempt`'s part, then settles the order (paid) or releases it
    /// (due again, coupon back). A provider that does not answer leaves it pending for the
    /// alarm (armed before the try began).
    async fn settle(&self, try_: Try<'_>, now: Timestamp) -> AppResult<()> {
        let work = Work::Payment(try_.attempt);
        if !self.busy.borrow_mut().insert(work.clone()) {
            return Err(OrderError::PaymentPending.into());
        }
        let result = self.settle_once(try_, now).await;
        self.busy.borrow_mut().remove(&work);
        result
    }

    async fn settle_once(&self, try_: Try<'_>, now: Timestamp) -> AppResult<()> {
        let Try {
            order: id,
            attempt,
            payer,
            wallet_fen,
        } = try_;
        let provider = provider(&self.env);
        let charge = Movement::order_try(id, attempt, wallet_fen, now);
        let outcome = if wallet_fen == 0 {
            ChargeOutcome::Charged
        } else {
            provider.charge(payer, &charge).await?
        };
        let mut order = self.order(id)?;
        match outcome {
            ChargeOutcome::Charged => {
                if order.paid_by(attempt) {
                    return Ok(()); // settled by the alarm while we waited
                }
                if !self.record_paid(&mut order, attempt, payer, now)? {
                    if wallet_fen > 0 {
                        provider.refund(payer, &charge).await?;
                    }
                    return Err(OrderError::Refunded.into());
                }
                Ok(())
            }
            ChargeOutcome::Insufficient => {
                if let Ok(steps) = order.abort_payment(attempt) {
                    self.mark_coupons(&steps, false)?;
                    self.store.save_order(&order)?;
                }
                Err(insufficient())
            }
        }
    }

    /// Completes try `attempt` of `order` for `payer`: paid, recorded, the payer's receipt
    /// queued. False (nothing changed) when the try is no longer the order's pending one.
    pub(super) fn record_paid(
        &self,
        order: &mut Order,
        attempt: u64,
        payer: &UserId,
        now: Timestamp,
    ) -> AppResult<bool> {
        if order.complete_payment(attempt, now).is_err() {
            return Ok(false);
        }
        self.store.save_order(order)?;
        self.store.set_latest_payer(payer)?;
        self.queue_payer(order, payer)?;
        if let Some(vehicle) = self.vehicle()? {
            let occasion = Occasion::Payment {
                stay: Stay::of(order),
                payer: payer.clone(),
                amount_fen: order.amount_fen,
            };
            self.notify(&vehicle, occasion, now)?;
            // 代缴费: the owner hears who paid (an authorized user by masked phone, or 他人).
            if vehicle.owner().is_some_and(|o| &o.user != payer) {
                let authorized = vehicle.state_of(payer) == Some(RelationState::Authorized);
                let by = match authorized {
                    true => self.store.payer_phone(attempt)?,
                    false => None,
                };
                let told = Occasion::PaidByOther {
                    amount_fen: order.amount_fen,
                    by,
                };
                self.notify(&vehicle, told, now)?;
            }
        }
        Ok(true)
    }

    /// Releases try `attempt` of order `id`: due again, its coupons back.
    pub(super) fn release(&self, id: &OrderId, attempt: u64) -> AppResult<()> {
        let mut order = self.order(id)?;
        if let Ok(steps) = order.abort_payment(attempt) {
            self.mark_coupons(&steps, false)?;
            self.store.save_order(&order)?;
        }
        Ok(())
    }

    /// Settles payments left pending by an interrupted request (alarm): the same try asks the
    /// provider again with the same reference, which never takes twice.
    pub(super) async fn settle_pending(&self, now: Timestamp) -> AppResult<()> {
        for order in self.store.pending_orders()? {
            let Payment::Pending {
                attempt,
                payer,
                steps,
                ..
            } = &order.payment
            else {
                continue;
            };
            if self.busy.borrow().contains(&Work::Payment(*attempt)) {
                self.retry_later().await; // its request is still on it; look again later
                continue;
            }
            if steps.iter().any(|s| s.source.is_wechat()) {
                // Settled by WeChat Pay's word only: ask it (wechat_pay.rs).
                self.check_wechat_try(&order.id, *attempt, payer, now).await;
                continue;
            }
            let try_ = Try {
                order: &order.id,
                attempt: *attempt,
                payer,
                wallet_fen: steps
                    .iter()
                    .filter(|s| s.source == PaymentSource::Wallet)
                    .map(|s| s.amount_fen)
                    .sum(),
            };
            // A refusal by the provider releases the order, as the first answer would have.
            let _ = self.settle(try_, now).await;
            if self.order(&order.id)?.pending_attempt() == Some(*attempt) {
                self.retry_later().await; // the provider did not answer: try again later
            }
        }
        Ok(())
    }

    /// Marks the coupons of `steps` used (reserve) or unused again (release).
    fn mark_coupons(&self, steps: &[Deduction], used: bool) -> AppResult<()> {
        let ids: Vec<_> = steps.iter().filter_map(|s| s.coupon.as_ref()).collect();
        for mut coupon in self.store.coupons()? {
            if ids.contains(&&coupon.id) {
                coupon.used = used;
                self.store.save_coupon(&coupon)?;
            }
        }
        Ok(())
    }
}

fn no_such_order() -> AppError {
    AppError::with_message(shared::api::ErrorCode::NotFound, "订单不存在")
}
