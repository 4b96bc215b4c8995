//! D1: what spans plates (users, sessions, tenants, indexes of vehicles, notices and reviews).
//! One module per table group; handlers never write SQL themselves.

pub mod accounts;
pub mod facilities;
pub mod messages;
pub mod projection;
pub mod rate_limit;
pub mod retention;
pub mod reviews;
pub mod sessions;
pub mod uploads;
pub mod users;
pub mod vehicles;
pub mod wechat;

use serde::Deserialize;
use shared::plate::Plate;
use wasm_bindgen::JsValue;
use worker::D1PreparedStatement;

use crate::error::AppResult;

/// A text parameter.
pub fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// An integer parameter (JS numbers hold every unix-ms time and counter we store exactly).
pub fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

/// The `plate` column of a query's rows; a row that is not a plate cannot have come from a plate
/// object, so it is skipped.
pub async fn plates(stmt: D1PreparedStatement) -> AppResult<Vec<Plate>> {
    #[derive(Deserialize)]
    struct Row {
        plate: String,
    }
    let rows: Vec<Row> = stmt.all().await?.results()?;
    Ok(rows
        .iter()
        .filter_map(|r| Plate::parse(&r.plate).ok())
        .collect())
}
