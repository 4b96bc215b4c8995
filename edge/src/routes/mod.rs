//! Handlers, one module per resource of API.md.

pub mod account;
pub mod command;
pub mod coupons;
#[cfg(feature = "faults")]
pub mod faults;
pub mod gateway;
pub mod health;
pub mod messages;
pub mod mine_page;
pub mod ops;
pub mod orders;
pub mod pay_notify;
pub mod plates;
pub mod session;
pub mod uploads;
pub mod vehicles;
pub mod wallet;
pub mod wechat_parking;
pub mod wechat_sign_in;
