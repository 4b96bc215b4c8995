//! The plate object's parking side (SPEC §6–§8): gateway events, orders, coupons, payments and
//! the messages they cause.
//!
//! Everything a step decides is written with no `await` in between, so it commits whole. The
//! only awaits are the wallet: a payment first reserves (order `Pending`, coupon marked used),
//! then asks the wallet with the order as reference, then settles or releases. An interrupted
//! payment stays `Pending` until the alarm asks the wallet again (the same reference never takes
//! twice), so money and orders always agree.
//!
//! Messages go to an outbox in the same commit as the change that caused them, then to D1; the
//! alarm retries a failed delivery, and D1 ignores a message id it already has.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use shared::api::ops::{IssuedCoupon, OpsVehicle};
use shared::api::orders::{CouponItem, MessageKind, PayResponse};
use shared::api::{ErrorCode, GatewayEvent, GatewayEventKind, GatewayEventResponse};
use shared::coupon::{sees_claim_prompt, sees_coupons, visible_coupons, VehicleCoupon};
use shared::ids::{CouponId, OrderId, UserId};
use shared::notify::{message_for, recipients, Occasion, VehicleMessage};
use shared::order::{Facility, Order, OrderError, Payment};
use shared::payment::{deduction_plan, payment_plan, Deduction, PaymentSource};
use shared::plate::Plate;
use shared::privacy::{may_pay_for, pay_for_view, redact, OrderView};
use shared::timestamp::Timestamp;
use shared::vehicle::Vehicle;
use worker::Result;

use super::VehicleDo;
use crate::error::{AppError, AppResult};
use crate::payments::{insufficient, order_charge, PaymentProvider, SandboxWallet};
use crate::store::{self, messages::OutgoingMessage};
use crate::wallet_do::ChargeOutcome;

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS orders (seq INTEGER PRIMARY KEY, facility_id TEXT NOT NULL, open INTEGER NOT NULL, pending INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS coupons (seq INTEGER PRIMARY KEY, issued_by TEXT NOT NULL, issued_at INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gateway_events (facility_id TEXT NOT NULL, event_id TEXT NOT NULL, at INTEGER NOT NULL, response TEXT NOT NULL, PRIMARY KEY (facility_id, event_id));
CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// Orders a listing returns per plate (newest first).
const LISTED_ORDERS: i64 = 100;

/// A car park's event, checked and signed off by the worker.
#[derive(Debug, Serialize, Deserialize)]
pub struct GatewayEnvelope {
    /// The facility it came from (as D1 knows it).
    pub facility: Facility,
    /// The event; its plate is this object's.
    pub event: GatewayEvent,
    /// The plate, parsed.
    pub plate: Plate,
    /// When the event arrived (messages are dated by our clock, not the car park's).
    pub now: Timestamp,
}

/// Who is looking (orders, coupons, the 代缴费 lookup).
#[derive(Debug, Serialize, Deserialize)]
pub struct ViewerEnvelope {
    /// The signed-in user.
    pub viewer: UserId,
}

/// One listed order with its sort key (entry time; not every viewer may see it).
#[derive(Debug, Serialize, Deserialize)]
pub struct ListedOrder {
    /// Unix ms of entry, for merging plates newest first.
    pub entered: i64,
    /// What the viewer sees.
    pub view: OrderView,
}

/// `POST /api/orders/{id}/pay` on behalf of `payer`.
#[derive(Debug, Serialize, Deserialize)]
pub struct PayEnvelope {
    /// The order.
    pub order: OrderId,
    /// Who pays.
    pub payer: UserId,
    /// Coupon first, or the wallet only.
    pub source: PaymentSource,
    /// The time of the request.
    pub now: Timestamp,
}

/// An operator issues a coupon to this plate.
#[derive(Debug, Serialize, Deserialize)]
pub struct IssueEnvelope {
    /// The operator.
    pub operator: UserId,
    /// Title, value and expiry, checked by the worker.
    pub title: String,
    /// Value in fen.
    pub value_fen: u64,
    /// Expiry.
    pub expires_at: Timestamp,
    /// The time of the request.
    pub now: Timestamp,
}

#[derive(Deserialize)]
struct BodyRow {
    body: String,
}

fn parse<T: DeserializeOwned>(rows: Vec<BodyRow>) -> Result<Vec<T>> {
    rows.iter()
        .map(|r| serde_json::from_str(&r.body).map_err(worker::Error::from))
        .collect()
}

impl VehicleDo {
    // ---- gateway ------------------------------------------------------------------------

    /// Records a car park's event once; a repeat answers as the first time.
    pub(super) async fn gateway(
        &self,
        envelope: GatewayEnvelope,
    ) -> AppResult<GatewayEventResponse> {
        let GatewayEnvelope {
            facility,
            event,
            plate: _,
            now,
        } = envelope;
        if let Some(answer) = self.recorded_event(&facility.id, &event.event_id)? {
            return Ok(answer);
        }
        let answer = |order_id: Option<OrderId>| GatewayEventResponse {
            event_id: event.event_id.clone(),
            order_id,
        };
        // A plate nobody ever added is not ours: acknowledged, nothing kept.
        let Some(vehicle) = self.load()? else {
            return Ok(answer(None));
        };
        let mut autopay_order = None;
        let response = match event.kind {
            GatewayEventKind::Entry | GatewayEventKind::ChargeStart => {
                let id = OrderId::new(vehicle.plate().clone(), self.next_seq("order_seq")?);
                let order = Order::open(id.clone(), facility.clone(), event.at);
                self.save_order(&order)?;
                self.notify(&vehicle, &order, Occasion::Entry, now)?;
                answer(Some(id))
            }
            GatewayEventKind::Exit | GatewayEventKind::ChargeEnd => {
                match self.open_order_at(&facility.id)? {
                    // No entry seen (the car was added while inside): nothing to close, but the
                    // event is remembered so a late replay cannot close a later stay.
                    None => answer(None),
                    Some(mut order) => {
                        order.close(event.at, event.fee_fen.unwrap_or(0))?;
                        self.save_order(&order)?;
                        let autopay = vehicle.autopay().is_some_and(|a| a.enabled);
                        if order.is_due() && autopay {
                            // Owed until paid or the owner is told; the alarm resumes it if
                            // this instance stops half-way.
                            self.set_meta(&autopay_key(&order.id), "1")?;
                            autopay_order = Some(order.id.clone());
                        } else if order.is_due() {
                            self.notify(&vehicle, &order, Occasion::Exit { paid: false }, now)?;
                        }
                        answer(Some(order.id))
                    }
                }
            }
        };
        self.record_event(&facility.id, &event, &response)?;
        if let Some(order) = autopay_order {
            self.retry_later().await;
            // The event is recorded whatever happens to the payment; a failure was logged and
            // left the order due (or pending for the alarm).
            let _ = self.autopay(&order, now).await;
        }
        Ok(response)
    }

    fn recorded_event(
        &self,
        facility: &str,
        event_id: &str,
    ) -> AppResult<Option<GatewayEventResponse>> {
        #[derive(Deserialize)]
        struct Row {
            response: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT response FROM gateway_events WHERE facility_id = ? AND event_id = ?",
                vec![facility.into(), event_id.into()],
            )?
            .to_array()?;
        rows.first()
            .map(|r| serde_json::from_str(&r.response).map_err(AppError::internal))
            .transpose()
    }

    fn record_event(
        &self,
        facility: &str,
        event: &GatewayEvent,
        response: &GatewayEventResponse,
    ) -> AppResult<()> {
        self.sql.exec(
            "INSERT INTO gateway_events (facility_id, event_id, at, response) VALUES (?, ?, ?, ?)",
            vec![
                facility.into(),
                event.event_id.as_str().into(),
                event.at.unix_millis().into(),
                serde_json::to_string(response)
                    .map_err(AppError::internal)?
                    .into(),
            ],
        )?;
        Ok(())
    }

    // ---- orders -------------------------------------------------------------------------

    fn save_order(&self, order: &Order) -> AppResult<()> {
        self.sql.exec(
            "INSERT INTO orders (seq, facility_id, open, pending, body) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (seq) DO UPDATE SET open = excluded.open, pending = excluded.pending, body = excluded.body",
            vec![
                (order.id.seq() as i64).into(),
                order.facility.id.as_str().into(),
                i64::from(order.is_open()).into(),
                i64::from(matches!(order.payment, Payment::Pending { .. })).into(),
                serde_json::to_string(order).map_err(AppError::internal)?.into(),
            ],
        )?;
        Ok(())
    }

    fn orders_where(
        &self,
        clause: &str,
        params: Vec<worker::SqlStorageValue>,
    ) -> AppResult<Vec<Order>> {
        let rows: Vec<BodyRow> = self
            .sql
            .exec(&format!("SELECT body FROM orders WHERE {clause}"), params)?
            .to_array()?;
        Ok(parse(rows)?)
    }

    fn order(&self, id: &OrderId) -> AppResult<Order> {
        self.orders_where("seq = ?", vec![(id.seq() as i64).into()])?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::with_message(ErrorCode::NotFound, "订单不存在"))
    }

    fn open_order_at(&self, facility: &str) -> AppResult<Option<Order>> {
        Ok(self
            .orders_where(
                "open = 1 AND facility_id = ? ORDER BY seq DESC LIMIT 1",
                vec![facility.into()],
            )?
            .into_iter()
            .next())
    }

    /// The plate's orders as `viewer` may see them (SPEC §6), newest first.
    pub(super) fn orders_for(&self, viewer: &UserId) -> AppResult<Vec<ListedOrder>> {
        let Some(vehicle) = self.load()? else {
            return Ok(Vec::new());
        };
        let orders =
            self.orders_where("1 ORDER BY seq DESC LIMIT ?", vec![LISTED_ORDERS.into()])?;
        Ok(orders
            .iter()
            .filter_map(|o| {
                redact(o, &vehicle, viewer).map(|view| ListedOrder {
                    entered: o.entered_at.unix_millis(),
                    view,
                })
            })
            .collect())
    }

    /// 代缴费 lookup: the plate's due orders `viewer` may pay; 403 when privacy forbids it.
    pub(super) fn due_for(&self, viewer: &UserId) -> AppResult<Vec<OrderView>> {
        let Some(vehicle) = self.load()? else {
            return Ok(Vec::new());
        };
        if !may_pay_for(&vehicle, viewer) {
            return Err(privacy_refusal());
        }
        let orders = self.orders_where(
            "open = 0 ORDER BY seq DESC LIMIT ?",
            vec![LISTED_ORDERS.into()],
        )?;
        Ok(orders
            .iter()
            .filter_map(|o| pay_for_view(o, &vehicle, viewer))
            .collect())
    }

    // ---- payments -----------------------------------------------------------------------

    /// Pays an order for `payer` (代缴费 included) from a coupon of the plate and the payer's
    /// wallet, or the wallet only.
    pub(super) async fn pay(&self, envelope: PayEnvelope) -> AppResult<PayResponse> {
        let PayEnvelope {
            order: id,
            payer,
            source,
            now,
        } = envelope;
        let sources = match source {
            PaymentSource::Coupon => vec![PaymentSource::Coupon, PaymentSource::Wallet],
            PaymentSource::Wallet => vec![PaymentSource::Wallet],
        };
        self.check_payer(&id, &payer, &sources)?;
        let balance = SandboxWallet::new(&self.env)
            .statement(&payer)
            .await?
            .balance_fen;
        // Other requests may have run while we waited for the wallet (the owner turned privacy
        // on or revoked the payer, someone else paid): decide again on fresh state.
        let mut order = self.check_payer(&id, &payer, &sources)?;
        let plan = payment_plan(&sources, order.amount_fen, &self.coupons()?, balance, now);
        if plan.remaining_fen > 0 {
            return Err(insufficient());
        }
        let attempt = self.reserve(&mut order, payer.clone(), plan.steps.clone(), false)?;
        self.retry_later().await;
        self.settle(&id, attempt, &payer, plan.wallet_fen(), now)
            .await?;
        Ok(PayResponse {
            order_id: id,
            paid_fen: order.amount_fen,
            deductions: plan.steps,
        })
    }

    /// The order, if `payer` may pay it now from `sources`.
    fn check_payer(
        &self,
        id: &OrderId,
        payer: &UserId,
        sources: &[PaymentSource],
    ) -> AppResult<Order> {
        let vehicle = self
            .load()?
            .ok_or_else(|| AppError::with_message(ErrorCode::NotFound, "订单不存在"))?;
        let order = self.order(id)?;
        if !may_pay_for(&vehicle, payer) {
            return Err(privacy_refusal());
        }
        if sources.contains(&PaymentSource::Coupon) && !sees_coupons(&vehicle, payer) {
            return Err(AppError::with_message(
                ErrorCode::Forbidden,
                "只有添加了该车辆的用户可以使用车辆优惠券",
            ));
        }
        order.payable()?;
        Ok(order)
    }

    /// 无感支付 at an unpaid exit, once per instance at a time; when it ends (paid, the owner
    /// told, or a payment left pending for the alarm) it is no longer owed.
    async fn autopay(&self, id: &OrderId, now: Timestamp) -> AppResult<()> {
        let key = autopay_key(id);
        if !self.busy.borrow_mut().insert(key.clone()) {
            return Ok(());
        }
        let result = self.autopay_once(id, now).await;
        self.busy.borrow_mut().remove(&key);
        self.delete_meta(&key)?;
        result
    }

    /// The owner's sources in order; if they cannot cover the fee, nothing is taken and the
    /// owner is told the fee is still due.
    async fn autopay_once(&self, id: &OrderId, now: Timestamp) -> AppResult<()> {
        let Some(owner) = self.load()?.and_then(|v| v.owner().map(|o| o.user.clone())) else {
            return Ok(());
        };
        let balance = match SandboxWallet::new(&self.env).statement(&owner).await {
            Ok(statement) => statement.balance_fen,
            Err(_) => 0, // logged by the provider; the fee stays due below
        };
        let Some(vehicle) = self.load()? else {
            return Ok(());
        };
        let mut order = self.order(id)?;
        if !order.is_due() {
            return Ok(());
        }
        let plan = deduction_plan(&vehicle, order.amount_fen, &self.coupons()?, balance, now);
        match plan {
            Some(plan) if plan.remaining_fen == 0 && vehicle.is_owner(&owner) => {
                let attempt = self.reserve(&mut order, owner.clone(), plan.steps.clone(), true)?;
                match self
                    .settle(id, attempt, &owner, plan.wallet_fen(), now)
                    .await
                {
                    Ok(()) => Ok(()),
                    Err(_) => self.autopay_failed(&vehicle, id, now),
                }
            }
            _ => self.autopay_failed(&vehicle, id, now),
        }
    }

    fn autopay_failed(&self, vehicle: &Vehicle, id: &OrderId, now: Timestamp) -> AppResult<()> {
        let order = self.order(id)?;
        if !order.is_due() {
            return Ok(()); // paid meanwhile, or pending: the alarm settles it
        }
        self.notify(vehicle, &order, Occasion::Exit { paid: false }, now)?;
        let failed = Occasion::autopay_failed(order.amount_fen);
        self.notify(vehicle, &order, failed, now)
    }

    /// Runs 无感支付 still owed after an interrupted exit (alarm).
    pub(super) async fn resume_autopay(&self, now: Timestamp) -> AppResult<()> {
        for seq in self.meta_keys_with_prefix("autopay:")? {
            let Some(id) = self.load()?.map(|v| OrderId::new(v.plate().clone(), seq)) else {
                continue;
            };
            if self.busy.borrow().contains(&autopay_key(&id)) {
                self.retry_later().await;
                continue;
            }
            self.autopay(&id, now).await?;
        }
        Ok(())
    }

    /// Marks the order pending under a new try and its coupon used, in one commit; the try.
    fn reserve(
        &self,
        order: &mut Order,
        payer: UserId,
        steps: Vec<Deduction>,
        automatic: bool,
    ) -> AppResult<u64> {
        let attempt = self.next_seq("payment_seq")?;
        order.begin_payment(attempt, payer, steps.clone(), automatic)?;
        self.mark_coupons(&steps, true)?;
        self.save_order(order)?;
        Ok(attempt)
    }

    /// Asks the wallet for try `attempt`'s part, then settles the order (paid) or releases it
    /// (due again, coupon back). A wallet that does not answer leaves it pending for the alarm
    /// (armed before the try began). A try that is no longer the order's pending one settles
    /// nothing, and what its charge took goes back.
    async fn settle(
        &self,
        id: &OrderId,
        attempt: u64,
        payer: &UserId,
        wallet_fen: u64,
        now: Timestamp,
    ) -> AppResult<()> {
        let key = format!("payment:{attempt}");
        if !self.busy.borrow_mut().insert(key.clone()) {
            return Err(OrderError::PaymentPending.into());
        }
        let result = self.settle_once(id, attempt, payer, wallet_fen, now).await;
        self.busy.borrow_mut().remove(&key);
        result
    }

    async fn settle_once(
        &self,
        id: &OrderId,
        attempt: u64,
        payer: &UserId,
        wallet_fen: u64,
        now: Timestamp,
    ) -> AppResult<()> {
        let wallet = SandboxWallet::new(&self.env);
        let charge = order_charge(id, attempt, wallet_fen, now);
        let outcome = if wallet_fen == 0 {
            ChargeOutcome::Charged
        } else {
            wallet.charge(payer, &charge).await?
        };
        let mut order = self.order(id)?;
        match outcome {
            ChargeOutcome::Charged => {
                if order.paid_by(attempt) {
                    return Ok(()); // settled by the alarm while we waited
                }
                if order.complete_payment(attempt, now).is_err() {
                    if wallet_fen > 0 {
                        wallet.refund(payer, &charge).await?;
                    }
                    return Err(OrderError::Refunded.into());
                }
                self.save_order(&order)?;
                self.set_meta("latest_payer", payer.as_str())?;
                self.queue_payer(&order, payer)?;
                if let Some(vehicle) = self.load()? {
                    let occasion = Occasion::Payment {
                        payer: payer.clone(),
                        amount_fen: order.amount_fen,
                    };
                    self.notify(&vehicle, &order, occasion, now)?;
                }
                Ok(())
            }
            ChargeOutcome::Insufficient => {
                if let Ok(steps) = order.abort_payment(attempt) {
                    self.mark_coupons(&steps, false)?;
                    self.save_order(&order)?;
                }
                Err(insufficient())
            }
        }
    }

    /// Settles payments left pending by an interrupted request (alarm): the same try asks the
    /// wallet again with the same reference, which never takes twice.
    pub(super) async fn settle_pending(&self, now: Timestamp) -> AppResult<()> {
        for order in self.orders_where("pending = 1", Vec::new())? {
            if let Payment::Pending {
                attempt,
                payer,
                steps,
                ..
            } = &order.payment
            {
                if self.busy.borrow().contains(&format!("payment:{attempt}")) {
                    self.retry_later().await; // its request is still on it; look again later
                    continue;
                }
                let wallet_fen = steps
                    .iter()
                    .filter(|s| s.source == PaymentSource::Wallet)
                    .map(|s| s.amount_fen)
                    .sum();
                // A refusal by the wallet releases the order, as the first answer would have.
                let _ = self
                    .settle(&order.id, *attempt, payer, wallet_fen, now)
                    .await;
                if self.order(&order.id)?.pending_attempt() == Some(*attempt) {
                    self.retry_later().await; // the wallet did not answer: try again later
                }
            }
        }
        Ok(())
    }

    // ---- coupons ------------------------------------------------------------------------

    fn coupons(&self) -> AppResult<Vec<VehicleCoupon>> {
        let rows: Vec<BodyRow> = self
            .sql
            .exec("SELECT body FROM coupons ORDER BY seq", None)?
            .to_array()?;
        Ok(parse(rows)?)
    }

    fn save_coupon(&self, coupon: &VehicleCoupon) -> AppResult<()> {
        self.sql.exec(
            "UPDATE coupons SET body = ? WHERE seq = ?",
            vec![
                serde_json::to_string(coupon)
                    .map_err(AppError::internal)?
                    .into(),
                (coupon.id.seq() as i64).into(),
            ],
        )?;
        Ok(())
    }

    fn mark_coupons(&self, steps: &[Deduction], used: bool) -> AppResult<()> {
        let ids: Vec<&CouponId> = steps.iter().filter_map(|s| s.coupon.as_ref()).collect();
        for mut coupon in self.coupons()? {
            if ids.contains(&&coupon.id) {
                coupon.used = used;
                self.save_coupon(&coupon)?;
            }
        }
        Ok(())
    }

    /// What 工作台's plate search shows: the vehicle with its history, the latest orders in full
    /// and every coupon with its issuer; 404 for a plate nobody added.
    pub(super) fn ops_view(&self) -> AppResult<OpsVehicle> {
        let vehicle = self
            .load()?
            .ok_or_else(|| AppError::with_message(ErrorCode::NotFound, "该车牌没有任何记录"))?;
        #[derive(Deserialize)]
        struct Row {
            issued_by: String,
            issued_at: i64,
            body: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT issued_by, issued_at, body FROM coupons ORDER BY seq",
                None,
            )?
            .to_array()?;
        let mut coupons = Vec::with_capacity(rows.len());
        for row in rows {
            coupons.push(IssuedCoupon {
                coupon: serde_json::from_str(&row.body).map_err(AppError::internal)?,
                issued_by: UserId::new(row.issued_by),
                issued_at: Timestamp::from_unix_millis(row.issued_at),
            });
        }
        Ok(OpsVehicle {
            orders: self.orders_where("1 ORDER BY seq DESC LIMIT ?", vec![LISTED_ORDERS.into()])?,
            coupons,
            ..OpsVehicle::from(&vehicle)
        })
    }

    /// 我的卡券 for `viewer`: the plate's coupons if they have a live relation.
    pub(super) fn coupons_for(&self, viewer: &UserId) -> AppResult<Vec<CouponItem>> {
        let Some(vehicle) = self.load()? else {
            return Ok(Vec::new());
        };
        let coupons = self.coupons()?;
        let prompt = sees_claim_prompt(&vehicle, viewer);
        Ok(visible_coupons(&vehicle, viewer, &coupons)
            .into_iter()
            .map(|c| CouponItem {
                coupon: c.clone(),
                claim_prompt: prompt,
            })
            .collect())
    }

    /// An operator issues a coupon; 404 for a plate nobody added.
    pub(super) fn issue(&self, envelope: IssueEnvelope) -> AppResult<VehicleCoupon> {
        let vehicle = self.load()?.ok_or_else(|| {
            AppError::with_message(ErrorCode::NotFound, "该车牌尚未被任何用户添加")
        })?;
        let coupon = VehicleCoupon {
            id: CouponId::new(vehicle.plate().clone(), self.next_seq("coupon_seq")?),
            plate: vehicle.plate().clone(),
            title: envelope.title,
            value_fen: envelope.value_fen,
            expires_at: envelope.expires_at,
            used: false,
        };
        self.sql.exec(
            "INSERT INTO coupons (seq, issued_by, issued_at, body) VALUES (?, ?, ?, ?)",
            vec![
                (coupon.id.seq() as i64).into(),
                envelope.operator.as_str().into(),
                envelope.now.unix_millis().into(),
                serde_json::to_string(&coupon)
                    .map_err(AppError::internal)?
                    .into(),
            ],
        )?;
        let occasion = Occasion::coupon_issued(&coupon.title, coupon.value_fen);
        let message = VehicleMessage {
            occasion,
            plate: vehicle.plate().clone(),
            facility_name: String::new(),
            facility_kind: shared::order::FacilityKind::CarPark,
            duration_minutes: None,
        };
        self.send(&vehicle, &message, envelope.now)?;
        Ok(coupon)
    }

    // ---- messages -----------------------------------------------------------------------

    /// Queues the messages of `occasion` about `order` for their recipients (SPEC §7).
    fn notify(
        &self,
        vehicle: &Vehicle,
        order: &Order,
        occasion: Occasion,
        now: Timestamp,
    ) -> AppResult<()> {
        let message = VehicleMessage {
            occasion,
            plate: order.plate.clone(),
            facility_name: order.facility.name.clone(),
            facility_kind: order.facility.kind,
            duration_minutes: order.duration_minutes(),
        };
        self.send(vehicle, &message, now)
    }

    fn send(&self, vehicle: &Vehicle, message: &VehicleMessage, now: Timestamp) -> AppResult<()> {
        let latest_payer = self.meta("latest_payer")?.map(UserId::new);
        let kind = MessageKind::from(&message.occasion);
        for user in recipients(message, Some(vehicle), latest_payer.as_ref()) {
            let outgoing = OutgoingMessage {
                id: format!("m-{}-{}", vehicle.plate(), self.next_seq("message_seq")?),
                user_id: user.clone(),
                plate: vehicle.plate().clone(),
                kind,
                text: message_for(message, Some(vehicle), &user),
                created_at: now,
            };
            self.sql.exec(
                "INSERT INTO outbox (id, body) VALUES (?, ?)",
                vec![
                    outgoing.id.as_str().into(),
                    serde_json::to_string(&outgoing)
                        .map_err(AppError::internal)?
                        .into(),
                ],
            )?;
        }
        Ok(())
    }

    /// Records who paid an order for D1's payer index (delivered with the messages).
    fn queue_payer(&self, order: &Order, payer: &UserId) -> AppResult<()> {
        let row = store::messages::PayerRow {
            order_id: order.id.to_string(),
            plate: order.plate.clone(),
            payer_id: payer.clone(),
        };
        self.sql.exec(
            "INSERT OR REPLACE INTO outbox (id, body) VALUES (?, ?)",
            vec![
                format!("payer:{}", order.id).into(),
                serde_json::to_string(&row)
                    .map_err(AppError::internal)?
                    .into(),
            ],
        )?;
        Ok(())
    }

    /// Delivers the outbox to D1; on failure the alarm tries again.
    pub(super) async fn flush(&self) {
        if let Err(err) = self.try_flush().await {
            worker::console_error!("outbox delivery failed, retrying by alarm: {err:?}");
            self.retry_later().await;
        }
    }

    async fn try_flush(&self) -> AppResult<()> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            body: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT id, body FROM outbox", None)?
            .to_array()?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut messages = Vec::new();
        let mut payers = Vec::new();
        for row in &rows {
            if row.id.starts_with("payer:") {
                payers.push(serde_json::from_str(&row.body).map_err(AppError::internal)?);
            } else {
                messages.push(serde_json::from_str(&row.body).map_err(AppError::internal)?);
            }
        }
        store::messages::deliver(&self.env.d1("DB")?, &messages, &payers).await?;
        for row in rows {
            self.sql
                .exec("DELETE FROM outbox WHERE id = ?", vec![row.id.into()])?;
        }
        Ok(())
    }

    /// Every paid order's payer again (rebuild of D1's index).
    pub(super) fn requeue_payers(&self) -> AppResult<()> {
        for order in self.orders_where("open = 0", Vec::new())? {
            if let Some(payer) = order.payer() {
                self.queue_payer(&order, payer)?;
            }
        }
        Ok(())
    }

    // ---- counters and small values ------------------------------------------------------

    fn meta(&self, key: &str) -> AppResult<Option<String>> {
        #[derive(Deserialize)]
        struct Row {
            value: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT value FROM meta WHERE key = ?", vec![key.into()])?
            .to_array()?;
        Ok(rows.into_iter().next().map(|r| r.value))
    }

    fn set_meta(&self, key: &str, value: &str) -> AppResult<()> {
        self.sql.exec(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            vec![key.into(), value.into()],
        )?;
        Ok(())
    }

    fn delete_meta(&self, key: &str) -> AppResult<()> {
        self.sql
            .exec("DELETE FROM meta WHERE key = ?", vec![key.into()])?;
        Ok(())
    }

    /// The numbers after `prefix` in the meta keys that start with it (`autopay:7` → 7).
    fn meta_keys_with_prefix(&self, prefix: &str) -> AppResult<Vec<u64>> {
        #[derive(Deserialize)]
        struct Row {
            key: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT key FROM meta WHERE substr(key, 1, length(?1)) = ?1",
                vec![prefix.into()],
            )?
            .to_array()?;
        Ok(rows
            .iter()
            .filter_map(|r| r.key.strip_prefix(prefix)?.parse().ok())
            .collect())
    }

    /// The next number of a per-plate counter (orders, coupons, messages), from 1.
    fn next_seq(&self, key: &str) -> AppResult<u64> {
        let next = self
            .meta(key)?
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        self.set_meta(key, &next.to_string())?;
        Ok(next)
    }
}

/// The meta key that says 无感支付 is still owed for an order.
fn autopay_key(id: &OrderId) -> String {
    format!("autopay:{}", id.seq())
}

fn privacy_refusal() -> AppError {
    AppError::with_message(
        ErrorCode::Forbidden,
        "车主已开启隐私保护,仅车主和授权用户可以缴费",
    )
}
