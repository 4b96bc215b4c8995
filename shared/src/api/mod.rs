//! Request and response bodies of ../shared/API.md, shared by the edge and the SPA.
//!
//! Requests deny unknown fields (API.md: unknown fields are `invalid_request`); responses do not,
//! so the edge can add a field without breaking a deployed SPA.

use serde::{Deserialize, Serialize};

pub mod auth;
pub mod gateway;
pub mod ops;
pub mod orders;
pub mod plates;
pub mod vehicles;

pub use auth::{CodeRequest, CodeResponse, LoginRequest, LoginResponse, Me, Role};
pub use gateway::{GatewayEvent, GatewayEventKind, GatewayEventResponse};
pub use ops::{OpsRelation, OpsVehicle, RejectRequest, ReviewItem, ReviewsQuery, RevokeRequest};
pub use orders::{
    CouponItem, CouponList, IssueCouponRequest, MarkReadRequest, MessageItem, MessageKind,
    MessageList, OrderList, PayRequest, PayResponse, TopUpRequest, WalletEntry, WalletResponse,
};
pub use plates::{PlateCheckRequest, PlateCheckResponse};
pub use vehicles::{
    AddVehicleRequest, AddVehicleResponse, AppealRequest, AuthorizationItem, AuthorizationList,
    AutopayRequest, CertificationRequest, NoticeAction, NoticeItem, PrivacyRequest, UploadResponse,
    VehicleItem, VehicleList,
};

/// `GET /api/health`: the worker is up and answers with its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Health {
    /// Always `"ok"` when the worker answers.
    pub status: String,
    /// The product version ([`crate::VERSION`]).
    pub version: String,
}

/// The body of every 4xx/5xx answer: a stable code for programs, a Chinese message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    /// Stable snake_case code, e.g. `invalid_plate`.
    pub code: ErrorCode,
    /// The message shown to the user, in Chinese.
    pub message: String,
}

/// Every error code of the API, with its HTTP status and default message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the plate is not valid.
    InvalidPlate,
    /// 400: malformed JSON, wrong types, unknown fields, too large, bad values.
    InvalidRequest,
    /// 400: a non-standard plate was added without `confirm_nonstandard`.
    NonstandardPlate,
    /// 401: not signed in, or a wrong/expired code.
    Unauthenticated,
    /// 403: signed in but not allowed.
    Forbidden,
    /// 404: no such thing.
    NotFound,
    /// 409: not allowed in the current state.
    Conflict,
    /// 409: the wallet cannot cover a payment (nothing was taken).
    InsufficientFunds,
    /// 429: too many tries.
    RateLimited,
    /// 500: our fault; the details are only in the log.
    Internal,
    /// 503: an outside service (SMS, WeChat) cannot do it now; the details are in the log.
    Unavailable,
    /// A code this build does not know (a newer worker's): read it by the answer's status.
    /// Never sent.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code, for tests and documentation.
    pub const ALL: [Self; 11] = [
        Self::InvalidPlate,
        Self::InvalidRequest,
        Self::NonstandardPlate,
        Self::Unauthenticated,
        Self::Forbidden,
        Self::NotFound,
        Self::Conflict,
        Self::InsufficientFunds,
        Self::RateLimited,
        Self::Internal,
        Self::Unavailable,
    ];

    /// The snake_case code on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidPlate => "invalid_plate",
            Self::InvalidRequest => "invalid_request",
            Self::NonstandardPlate => "nonstandard_plate",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::InsufficientFunds => "insufficient_funds",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
            Self::Unknown => "unknown",
        }
    }

    /// The HTTP status it is answered with.
    pub const fn status(self) -> u16 {
        match self {
            Self::InvalidPlate | Self::InvalidRequest | Self::NonstandardPlate => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict | Self::InsufficientFunds => 409,
            Self::RateLimited => 429,
            Self::Internal | Self::Unknown => 500,
            Self::Unavailable => 503,
        }
    }

    /// The message shown when nothing more specific is known (the only one for `internal`).
    pub const fn default_message(self) -> &'static str {
        match self {
            Self::InvalidPlate => "车牌号不正确，请核对",
            Self::InvalidRequest => "请求格式不正确",
            Self::NonstandardPlate => "车牌格式与新能源号牌规则不符，请核对",
            Self::Unauthenticated => "请先登录",
            Self::Forbidden => "没有权限执行该操作",
            Self::NotFound => "请求的内容不存在",
            Self::Conflict => "当前状态不允许该操作，请刷新后重试",
            Self::InsufficientFunds => "钱包余额不足，请先充值",
            Self::RateLimited => "操作过于频繁，请稍后再试",
            Self::Internal | Self::Unknown => "服务暂时不可用，请稍后再试",
            Self::Unavailable => "外部服务暂时不可用，请稍后再试",
        }
    }

    /// What a code stands for when only the HTTP status is known: the code this build would
    /// answer with that status ([`Self::Internal`] for any other).
    pub const fn for_status(status: u16) -> Self {
        match status {
            400 => Self::InvalidRequest,
            401 => Self::Unauthenticated,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            409 => Self::Conflict,
            429 => Self::RateLimited,
            503 => Self::Unavailable,
            _ => Self::Internal,
        }
    }

    /// The code of an answer with `status` whose body said `self`: an unknown code reads as the
    /// kind of refusal its status is.
    pub const fn or_status(self, status: u16) -> Self {
        match self {
            Self::Unknown => Self::for_status(status),
            known => known,
        }
    }

    /// The error body with the default message.
    pub fn body(self) -> ErrorBody {
        ErrorBody::new(self, self.default_message())
    }
}

impl ErrorBody {
    /// An error body with a specific message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<crate::plate::PlateError> for ErrorBody {
    fn from(e: crate::plate::PlateError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<crate::vehicle::CommandError> for ErrorBody {
    fn from(e: crate::vehicle::CommandError) -> Self {
        Self::new(e.code(), e.message())
    }
}
