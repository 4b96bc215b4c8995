//! D1: what spans plates (users, sessions, tenants, indexes of vehicles, notices and reviews).
//! One module per table group; handlers never write SQL themselves.

pub mod facilities;
pub mod messages;
pub mod projection;
pub mod rate_limit;
pub mod reviews;
pub mod sessions;
pub mod uploads;
pub mod users;
pub mod vehicles;

use wasm_bindgen::JsValue;

/// A text parameter.
pub fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// An integer parameter (JS numbers hold every unix-ms time and counter we store exactly).
pub fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}
