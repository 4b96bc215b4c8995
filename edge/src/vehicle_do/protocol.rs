//! What the worker can ask of a plate's object: one type per call, with its path and its reply
//! (see [`crate::durable`]). The object answers each in the module named beside it.

use serde::{Deserialize, Serialize};
use shared::api::ops::OpsVehicle;
use shared::api::orders::{CouponItem, PayResponse};
use shared::api::GatewayEventResponse;
use shared::car_park::CarParkEvent;
use shared::coupon::{CouponDraft, VehicleCoupon};
use shared::ids::{OrderId, UserId};
use shared::order::Facility;
use shared::payment::PaymentSource;
use shared::plate::Plate;
use shared::privacy::OrderView;
use shared::tenant::TenantPolicy;
use shared::timestamp::Timestamp;
use shared::vehicle::{Actor, Command, CommandError, Event, Vehicle};

use crate::durable::Call;

/// Runs a vehicle command (`commands.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct RunCommand {
    /// The plate (the object's name; the object learns it from its first command).
    pub plate: Plate,
    /// The command with its request id.
    pub command: Command,
    /// Who sends it.
    pub actor: Actor,
    /// The tenant policy of the actor.
    pub policy: TenantPolicy,
    /// When the request arrived at the worker.
    pub now: Timestamp,
}

/// The outcome of a command for the caller and the vehicle after it.
#[derive(Debug, Serialize, Deserialize)]
pub struct CommandReply {
    /// The events the command produced, or why it was refused (a retry gets the same).
    pub outcome: Result<Vec<Event>, CommandError>,
    /// The vehicle after the command.
    pub vehicle: Vehicle,
}

impl Call for RunCommand {
    const PATH: &'static str = "/command";
    type Reply = CommandReply;
}

/// Reads the aggregate: `None` if nobody ever added the plate (`views.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct ReadVehicle;

impl Call for ReadVehicle {
    const PATH: &'static str = "/state";
    type Reply = Option<Vehicle>;
}

/// Writes the plate's projection and payer index to D1 again (rebuild; `commands.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Reproject;

impl Call for Reproject {
    const PATH: &'static str = "/project";
    type Reply = ();
}

/// A car park's event, signed off and checked by the worker (`car_park.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct RecordEvent {
    /// The facility it came from (as D1 knows it).
    pub facility: Facility,
    /// The event; its plate is this object's.
    pub event: CarParkEvent,
    /// When the event arrived (messages are dated by our clock, not the car park's).
    pub now: Timestamp,
}

impl Call for RecordEvent {
    const PATH: &'static str = "/gateway";
    type Reply = GatewayEventResponse;
}

/// The plate's orders as `viewer` may see them (SPEC §6), newest first (`views.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct ListOrders {
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

impl Call for ListOrders {
    const PATH: &'static str = "/orders";
    type Reply = Vec<ListedOrder>;
}

/// 代缴费 lookup: the due orders `viewer` may pay; 403 under privacy (`views.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct DueOrders {
    /// The signed-in user.
    pub viewer: UserId,
}

impl Call for DueOrders {
    const PATH: &'static str = "/due";
    type Reply = Vec<OrderView>;
}

/// Pays an order on behalf of `payer` (`payment.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct PayOrder {
    /// The order.
    pub order: OrderId,
    /// Who pays.
    pub payer: UserId,
    /// Coupon first, or the wallet only, or WeChat Pay for what coupons leave.
    pub source: PaymentSource,
    /// The payer's openid, for WeChat Pay (the payer signed in through WeChat).
    #[serde(default)]
    pub openid: Option<String>,
    /// The payer's masked phone: the owner is told it if the payer is one of their authorized
    /// users (SPEC §7), and 他人 otherwise.
    #[serde(default)]
    pub payer_phone_masked: Option<String>,
    /// The time of the request.
    pub now: Timestamp,
}

impl Call for PayOrder {
    const PATH: &'static str = "/pay";
    type Reply = PayResponse;
}

/// WeChat Pay says try `out_trade_no` of `order` was paid (a verified notification).
#[derive(Debug, Serialize, Deserialize)]
pub struct WechatPaid {
    /// The order (from the notification's `attach`).
    pub order: OrderId,
    /// Our number of the try.
    pub out_trade_no: String,
    /// What WeChat Pay took, in fen.
    pub total_fen: u64,
    /// When the notification arrived.
    pub now: Timestamp,
}

impl Call for WechatPaid {
    const PATH: &'static str = "/wechat-paid";
    type Reply = ();
}

/// 工作台's plate view: 404 for a plate nobody added (`views.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct OpsView;

impl Call for OpsView {
    const PATH: &'static str = "/ops";
    type Reply = OpsVehicle;
}

/// 我的卡券 for `viewer` (`views.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct ListCoupons {
    /// The signed-in user.
    pub viewer: UserId,
}

impl Call for ListCoupons {
    const PATH: &'static str = "/coupons";
    type Reply = Vec<CouponItem>;
}

/// An operator issues a coupon to this plate; 404 for a plate nobody added (`coupons.rs`).
#[derive(Debug, Serialize, Deserialize)]
pub struct IssueCoupon {
    /// The operator.
    pub operator: UserId,
    /// The coupon, checked by the worker.
    pub draft: CouponDraft,
    /// The time of the request.
    pub now: Timestamp,
}

impl Call for IssueCoupon {
    const PATH: &'static str = "/issue";
    type Reply = VehicleCoupon;
}

/// The payer closed WeChat's pay sheet: their pending WeChat Pay try is closed there and the
/// order released, so it can be paid again at once (not only when the try's window ends).
#[derive(Debug, Serialize, Deserialize)]
pub struct CancelWechatPay {
    /// The order.
    pub order: OrderId,
    /// Who asks (only the try's payer may).
    pub payer: UserId,
    /// The time of the request.
    pub now: Timestamp,
}

impl Call for CancelWechatPay {
    const PATH: &'static str = "/wechat-cancel";
    type Reply = ();
}

/// WeChat Pay says the 支付分停车 deduction `out_trade_no` of `order` failed.
#[derive(Debug, Serialize, Deserialize)]
pub struct WechatFailed {
    /// The order (from the notification's `attach`).
    pub order: OrderId,
    /// Our number of the try.
    pub out_trade_no: String,
    /// When the notification arrived.
    pub now: Timestamp,
}

impl Call for WechatFailed {
    const PATH: &'static str = "/wechat-failed";
    type Reply = ();
}
