//! 我的车辆's core: every product rule of SPEC.md, decided once, with no I/O.
//!
//! The edge (Cloudflare Worker) and the frontend (Yew SPA) both depend on this crate, so a rule
//! changed here changes for both. Nothing here reads a clock, does I/O or draws random numbers:
//! the time and every id come from the caller.

pub mod account;
pub mod api;
pub mod car_park;
pub mod coupon;
pub mod ids;
pub mod limits;
pub mod money;
pub mod notice;
pub mod notify;
pub mod order;
mod parsed;
pub mod payment;
pub mod phone;
pub mod plate;
pub mod privacy;
pub mod providers;
pub mod push;
pub mod retention;
pub mod session;
pub mod tenant;
pub mod text;
pub mod timestamp;
pub mod upload;
pub mod vehicle;

pub use ids::{
    CouponId, FacilityId, MessageId, NoticeId, OrderId, RequestId, ReviewId, UploadId, UserId,
};
pub use phone::{Phone, PhoneError};
pub use plate::{Plate, PlateClass, PlateError, VehicleType};
pub use tenant::TenantPolicy;
pub use timestamp::Timestamp;

/// The version of the product, shown by `GET /api/health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
