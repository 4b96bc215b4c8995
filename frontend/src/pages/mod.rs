//! One module per page of the SPA.

pub mod add_vehicle;
pub mod claim;
pub mod mine;
pub mod placeholder;
pub mod privacy;
pub mod settings;
pub mod sign_in;
pub mod workbench;
