//! Orders, messages, coupons and the wallet.

use serde::{Deserialize, Serialize};

use crate::coupon::VehicleCoupon;
use crate::ids::{MessageId, OrderId};
use crate::payment::{Deduction, PaymentSource};
use crate::plate::Plate;
use crate::privacy::OrderView;
use crate::timestamp::Timestamp;

/// `GET /api/orders`: the orders this user may see, redacted per SPEC §6.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrderList {
    /// Newest first.
    pub orders: Vec<OrderView>,
}

/// `POST /api/orders/{id}/pay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayRequest {
    /// Pay from where.
    pub source: PaymentSource,
}

/// The answer to [`PayRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayResponse {
    /// The order paid.
    pub order_id: OrderId,
    /// How much was paid, in fen.
    pub paid_fen: u64,
    /// The deductions, shown to the owner only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deductions: Vec<Deduction>,
    /// 微信支付: the pay sheet to open (WeixinJSBridge `getBrandWCPayRequest`); the order is paid
    /// once WeChat Pay says so, not when the sheet closes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wechat_pay: Option<crate::providers::wechat_pay::PaySheet>,
}

/// What an inbox message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// 进场.
    Entry,
    /// 出场 (unpaid).
    Exit,
    /// 缴费.
    Payment,
    /// Any other vehicle notice.
    Other,
}

impl From<&crate::notify::Occasion> for MessageKind {
    fn from(occasion: &crate::notify::Occasion) -> Self {
        use crate::notify::Occasion;
        match occasion {
            Occasion::Entry { .. } => Self::Entry,
            Occasion::Exit { .. } => Self::Exit,
            Occasion::Payment { .. } | Occasion::PaidByOther { .. } => Self::Payment,
            Occasion::CouponIssued { .. }
            | Occasion::AutopayFailed { .. }
            | Occasion::AutopayOverLimit { .. }
            | Occasion::WechatParkingOff { .. }
            | Occasion::RequestReceived { .. }
            | Occasion::Decision { .. }
            | Occasion::Notice { .. } => Self::Other,
        }
    }
}

impl MessageKind {
    /// The tag shown on the message.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Entry => "进场",
            Self::Exit => "出场",
            Self::Payment => "缴费",
            Self::Other => "通知",
        }
    }
}

/// `GET /api/messages`: the inbox (SPEC §7).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MessageList {
    /// Newest first (the latest 100).
    pub messages: Vec<MessageItem>,
    /// How many of all the user's messages are unread (the tab bar's badge).
    pub unread: u64,
}

/// One inbox message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageItem {
    /// Its id.
    pub id: MessageId,
    /// What it is about.
    pub kind: MessageKind,
    /// The car.
    pub plate: Plate,
    /// The text (plate, facility, duration; never times of day).
    pub text: String,
    /// When it was sent.
    pub created_at: Timestamp,
    /// Whether the user read it.
    pub read: bool,
}

/// `POST /api/messages/read`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkReadRequest {
    /// The messages read.
    pub ids: Vec<MessageId>,
}

/// `GET /api/coupons`: 我的卡券.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CouponList {
    /// The coupons of every plate the user has a live relation to.
    pub coupons: Vec<CouponItem>,
}

/// One coupon in 我的卡券: the coupon itself, and whether this viewer gets the claim prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponItem {
    /// The coupon (its fields sit at the top level of the JSON).
    #[serde(flatten)]
    pub coupon: VehicleCoupon,
    /// Show the claim/issue prompt (owner only).
    pub claim_prompt: bool,
}

/// `POST /api/ops/coupons`: issue a coupon to a plate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueCouponRequest {
    /// The plate as typed.
    pub plate: String,
    /// The title.
    pub title: String,
    /// The value in fen.
    pub value_fen: u64,
    /// When it expires.
    pub expires_at: Timestamp,
}

/// `GET /api/wallet`: the sandbox wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletResponse {
    /// The balance in fen.
    pub balance_fen: u64,
    /// The latest movements, newest first.
    #[serde(default)]
    pub entries: Vec<WalletEntry>,
}

/// One movement of the wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletEntry {
    /// Positive for a top-up, negative for a payment, in fen.
    pub delta_fen: i64,
    /// What it was, e.g. 充值 or 停车缴费 闽D12337.
    pub note: String,
    /// When.
    pub at: Timestamp,
}

/// Largest single top-up of the sandbox wallet, in fen (¥5,000).
pub const MAX_TOP_UP_FEN: u64 = crate::money::MAX_TOP_UP.get();

/// `POST /api/wallet/top-up`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopUpRequest {
    /// How much, in fen.
    pub amount_fen: u64,
}
