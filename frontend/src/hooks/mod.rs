//! Hooks shared by pages: loading what a page shows from the API.

mod load;
mod vehicle;

pub use load::{use_load, use_load_from, Load};
pub use vehicle::{find_vehicle, use_vehicle};
