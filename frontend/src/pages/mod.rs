//! One module per page of the SPA.

pub mod account_security;
pub mod add_vehicle;
pub mod autopay;
pub mod claim;
pub mod coupons;
pub mod messages;
pub mod mine;
pub mod orders;
pub mod placeholder;
pub mod privacy;
pub mod settings;
pub mod sign_in;
pub mod vehicle_details;
pub mod wallet;
pub mod workbench;
