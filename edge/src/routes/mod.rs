//! Handlers, one module per resource of API.md.

pub mod command;
pub mod health;
pub mod ops;
pub mod plates;
pub mod session;
pub mod uploads;
pub mod vehicles;
