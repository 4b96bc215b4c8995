//! WeChat Pay API v3 (微信支付 APIv3): the strings that are signed, the `Authorization` header,
//! the bodies of JSAPI orders, queries, refunds and notifications, our order numbers, and the
//! plate colour of 支付分停车. The RSA and AES work itself is the worker's (WebCrypto) and the
//! stand-in's; what is signed is defined here once.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ids::OrderId;
use crate::plate::Plate;

/// The production host.
pub const DEFAULT_API_URL: &str = "https://api.mch.weixin.qq.com";
/// The signature scheme's name (header prefix and `Wechatpay-Signature-Type`).
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";
/// JSAPI orders.
pub const JSAPI_PATH: &str = "/v3/pay/transactions/jsapi";
/// Refunds.
pub const REFUNDS_PATH: &str = "/v3/refund/domestic/refunds";
/// Answers and notifications older or newer than this are refused (seconds).
pub const CLOCK_WINDOW_SECS: i64 = 300;
/// How long a JSAPI order can be paid (seconds): then it is closed and the order is due again.
pub const PAY_WINDOW_SECS: i64 = 10 * 60;
/// The event of a successful payment notification.
pub const PAID_EVENT: &str = "TRANSACTION.SUCCESS";

/// The message our request is signed over: method, path with query, time, nonce, body, each
/// followed by a newline (the body is empty for a GET).
pub fn request_message(
    method: &str,
    path_and_query: &str,
    timestamp: i64,
    nonce: &str,
    body: &str,
) -> String {
    format!("{method}\n{path_and_query}\n{timestamp}\n{nonce}\n{body}\n")
}

/// The message an answer or a notification of WeChat Pay is signed over.
pub fn answer_message(timestamp: &str, nonce: &str, body: &str) -> String {
    format!("{timestamp}\n{nonce}\n{body}\n")
}

/// The message of the pay sheet's `paySign` (WeixinJSBridge `getBrandWCPayRequest`).
pub fn pay_sign_message(app_id: &str, timestamp: &str, nonce: &str, package: &str) -> String {
    format!("{app_id}\n{timestamp}\n{nonce}\n{package}\n")
}

/// The `Authorization` header of a signed request.
pub fn authorization(
    mch_id: &str,
    nonce: &str,
    timestamp: i64,
    serial: &str,
    signature: &str,
) -> String {
    format!(
        "{SCHEME} mchid=\"{mch_id}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{serial}\""
    )
}

/// Our `out_trade_no` for try `attempt` of `order`: 6–32 letters, digits and `-`, the same
/// every time for the same try (WeChat Pay is idempotent by it), and never the same for two
/// plates (the plate enters as a hash: plates are Chinese, order numbers may not be).
pub fn out_trade_no(order: &OrderId, attempt: u64) -> String {
    let digest = Sha256::digest(order.plate().as_str().as_bytes());
    let plate = &hex::encode(digest)[..16];
    format!("V{plate}-{}-{attempt}", order.seq())
}

/// The try an `out_trade_no` of `order` names, if it is one of that order's.
pub fn attempt_of(order: &OrderId, out_trade_no: &str) -> Option<u64> {
    let (prefix, attempt) = out_trade_no.rsplit_once('-')?;
    let attempt: u64 = attempt.parse().ok()?;
    (out_trade_no == self::out_trade_no(order, attempt) && !prefix.is_empty()).then_some(attempt)
}

/// An amount in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// Fen.
    pub total: u64,
    /// Always CNY.
    #[serde(default = "cny")]
    pub currency: String,
}

fn cny() -> String {
    "CNY".to_owned()
}

impl Amount {
    /// `fen` in CNY.
    pub fn cny(fen: u64) -> Self {
        Self {
            total: fen,
            currency: cny(),
        }
    }
}

/// Who pays a JSAPI order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    /// The payer's openid under the 公众号.
    pub openid: String,
}

/// `POST /v3/pay/transactions/jsapi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsapiOrder {
    /// The 公众号.
    pub appid: String,
    /// The merchant.
    pub mchid: String,
    /// What it is for (shown in WeChat's bill).
    pub description: String,
    /// [`out_trade_no`].
    pub out_trade_no: String,
    /// Until when it can be paid (RFC 3339).
    pub time_expire: String,
    /// Our order id, given back in the notification (routes it to the plate).
    pub attach: String,
    /// Where WeChat Pay posts the result.
    pub notify_url: String,
    /// The part WeChat pays.
    pub amount: Amount,
    /// The payer.
    pub payer: Payer,
}

/// The answer to a JSAPI order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prepay {
    /// The id the pay sheet opens.
    pub prepay_id: String,
}

/// What WeixinJSBridge's `getBrandWCPayRequest` takes (field names as WeChat spells them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaySheet {
    /// The 公众号.
    pub app_id: String,
    /// Unix seconds, as text.
    pub time_stamp: String,
    /// A random string.
    pub nonce_str: String,
    /// `prepay_id=…`.
    pub package: String,
    /// `RSA`.
    pub sign_type: String,
    /// The merchant's signature over [`pay_sign_message`].
    pub pay_sign: String,
}

/// A payment as a query or a notification tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transaction {
    /// Ours.
    pub out_trade_no: String,
    /// WeChat Pay's, once paid.
    #[serde(default)]
    pub transaction_id: Option<String>,
    /// `SUCCESS`, `NOTPAY`, `CLOSED`, `REFUND`, `PAYERROR`…
    pub trade_state: String,
    /// Our order id, as given.
    #[serde(default)]
    pub attach: Option<String>,
    /// What was paid.
    #[serde(default)]
    pub amount: Option<PaidAmount>,
}

/// The amount of a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidAmount {
    /// The order's total, in fen.
    pub total: u64,
}

impl Transaction {
    /// Whether it is paid, with its total.
    pub fn paid_total(&self) -> Option<u64> {
        (self.trade_state == "SUCCESS")
            .then(|| self.amount.as_ref().map(|a| a.total))
            .flatten()
    }
}

/// A notification's envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Unique per notification (a repeat has the same id).
    pub id: String,
    /// `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`…
    pub event_type: String,
    /// The encrypted payload.
    pub resource: Resource,
}

/// An encrypted resource (AEAD_AES_256_GCM under the APIv3 key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// `AEAD_AES_256_GCM`.
    pub algorithm: String,
    /// Base64 of ciphertext and tag.
    pub ciphertext: String,
    /// The additional authenticated data.
    #[serde(default)]
    pub associated_data: String,
    /// The 12-character nonce.
    pub nonce: String,
    /// `transaction`, `refund`…
    #[serde(default)]
    pub original_type: String,
}

/// `POST /v3/refund/domestic/refunds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRequest {
    /// The paid order.
    pub out_trade_no: String,
    /// Ours, one per refund.
    pub out_refund_no: String,
    /// Shown to the payer.
    pub reason: String,
    /// How much back, of what total.
    pub amount: RefundAmount,
}

/// A refund's amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundAmount {
    /// Fen back.
    pub refund: u64,
    /// The order's total.
    pub total: u64,
    /// CNY.
    pub currency: String,
}

/// A v3 error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayError {
    /// E.g. `ORDER_NOT_EXIST`.
    pub code: String,
    /// WeChat Pay's explanation.
    #[serde(default)]
    pub message: String,
}

/// 支付分停车: a plate's service (`GET /v3/vehicle/parking/services/find`).
pub const PARKING_SERVICE_PATH: &str = "/v3/vehicle/parking/services/find";
/// 支付分停车: registering a stay at its entry.
pub const PARKINGS_PATH: &str = "/v3/vehicle/parking/parkings";
/// 支付分停车: the deduction after the exit.
pub const PARKING_DEDUCTION_PATH: &str = "/v3/vehicle/transactions/parking";
/// The mini-program where a driver turns 支付分停车 on for a plate (开通).
pub const PARKING_ENABLE_APP_ID: &str = "wxbcad394b3d99dac9";

/// Our `out_parking_no` for the stay `order` (one registration per stay).
pub fn out_parking_no(order: &OrderId) -> String {
    let digest = Sha256::digest(order.plate().as_str().as_bytes());
    format!("P{}-{}", &hex::encode(digest)[..16], order.seq())
}

/// A plate's 支付分停车 service state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceState {
    /// 正常: stays can be registered and deducted.
    Normal,
    /// 暂停: the driver paused it.
    Pause,
    /// 未开通.
    OutService,
}

/// The answer of the service query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkingService {
    /// Its state.
    pub service_state: ServiceState,
}

/// `POST /v3/vehicle/parking/parkings`: a stay begins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkingEntry {
    /// [`out_parking_no`].
    pub out_parking_no: String,
    /// The plate.
    pub plate_number: String,
    /// Its colour.
    pub plate_color: PlateColor,
    /// Where WeChat Pay posts changes of the stay's state.
    pub notify_url: String,
    /// When it began (RFC 3339).
    pub start_time: String,
    /// The car park's name.
    pub parking_name: String,
    /// Free minutes the car park grants (none here: the car park's fee says it all).
    pub free_duration: u64,
}

/// The answer to a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkingEntered {
    /// WeChat Pay's id of the stay, for the deduction.
    pub id: String,
}

/// A registered stay, as its deduction describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkingInfo {
    /// [`ParkingEntered::id`].
    pub parking_id: String,
    /// The plate.
    pub plate_number: String,
    /// Its colour.
    pub plate_color: PlateColor,
    /// Entry (RFC 3339).
    pub start_time: String,
    /// Exit (RFC 3339).
    pub end_time: String,
    /// The car park's name.
    pub parking_name: String,
    /// Seconds charged for.
    pub charging_duration: u64,
    /// The gate's id (the facility's).
    pub device_id: String,
}

/// `POST /v3/vehicle/transactions/parking`: deduct a stay's fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkingDeduction {
    /// The 公众号.
    pub appid: String,
    /// Shown in the driver's bill.
    pub description: String,
    /// [`out_trade_no`].
    pub out_trade_no: String,
    /// `PARKING`.
    pub trade_scene: String,
    /// Our order id, given back in the result.
    pub attach: String,
    /// Where the result is posted.
    pub notify_url: String,
    /// The fee WeChat deducts.
    pub amount: Amount,
    /// The stay.
    pub parking_info: ParkingInfo,
}

/// Where a driver turns 支付分停车 on for `plate` (the mini-program page's path and query).
pub fn enable_path(mch_id: &str, openid: &str, plate: &Plate, color: PlateColor) -> String {
    format!(
        "/pages/auth-creditpay/auth-creditpay?mchid={}&openid={}&plate_number={}&plate_color={}&trade_scene=PARKING",
        super::wechat::encode(mch_id),
        super::wechat::encode(openid),
        super::wechat::encode(plate.as_str()),
        color.code()
    )
}

/// The plate colour 支付分停车 asks for: the vehicle's (SPEC §11), kept with its details.
pub use crate::vehicle::details::PlateColor;

#[cfg(test)]
mod tests {
    use super::*;

    fn plate(text: &str) -> Plate {
        Plate::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_documented_messages_are_built_byte_for_byte() {
        assert_eq!(
            request_message(
                "GET",
                "/v3/refund/domestic/refunds/123123123123",
                1_554_208_460,
                "593BEC0C930BF1AFEB40B4A08C8FB242",
                ""
            ),
            "GET\n/v3/refund/domestic/refunds/123123123123\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
        );
        assert_eq!(
            answer_message(
                "1722850421",
                "d824f2e086d3c1df967785d13fcd22ef",
                r#"{"code_url":"weixin://wxpay/bizpayurl?pr=JyC91EIz1"}"#
            ),
            "1722850421\nd824f2e086d3c1df967785d13fcd22ef\n{\"code_url\":\"weixin://wxpay/bizpayurl?pr=JyC91EIz1\"}\n"
        );
        let header = authorization(
            "1900009191",
            "593BEC0C930BF1AFEB40B4A08C8FB242",
            1_554_208_460,
            "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
            "c2ln",
        );
        assert_eq!(
            header,
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1900009191\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\",signature=\"c2ln\",timestamp=\"1554208460\",serial_no=\"1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C\""
        );
    }

    #[test]
    fn order_numbers_fit_wechats_rules_and_read_back_only_for_their_order() {
        let order = OrderId::new(plate("闽D12337"), 7);
        let no = out_trade_no(&order, 3);
        assert!((6..=32).contains(&no.len()), "{no}");
        assert!(no.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        assert_eq!(attempt_of(&order, &no), Some(3));
        let other_plate = OrderId::new(plate("闽D12338"), 7);
        assert_ne!(out_trade_no(&other_plate, 3), no);
        assert_eq!(attempt_of(&other_plate, &no), None);
        assert_eq!(attempt_of(&order, "V0-7-3"), None);
        let long = OrderId::new(plate("粤BD12345"), 999_999);
        assert!(out_trade_no(&long, 9_999).len() <= 32);
    }

    #[test]
    fn only_a_successful_transaction_has_a_paid_total() {
        let t: Transaction = serde_json::from_str(
            r#"{"out_trade_no":"V1-1-1","transaction_id":"4200","trade_state":"SUCCESS","amount":{"total":800,"currency":"CNY"}}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.paid_total(), Some(800));
        let unpaid = Transaction {
            trade_state: "NOTPAY".to_owned(),
            ..t
        };
        assert_eq!(unpaid.paid_total(), None);
    }
}
