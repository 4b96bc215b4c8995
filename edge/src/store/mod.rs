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

/// Whose rows a read is for: a known user, or the user of a session, so the read can go to D1 in
/// the same round trip as the session itself (`auth::caller_with`). Either is bound as `?1`.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    /// This user id.
    User(&'a str),
    /// The user of the session stored under this token hash (none if there is no such session).
    Session(&'a str),
}

impl Whose<'_> {
    /// The SQL expression of the user id, reading `?1`.
    pub fn user_sql(self) -> &'static str {
        match self {
            Whose::User(_) => "?1",
            Whose::Session(_) => "(SELECT user_id FROM sessions WHERE token_hash = ?1)",
        }
    }

    /// The value bound as `?1`.
    pub fn param(self) -> JsValue {
        match self {
            Whose::User(id) | Whose::Session(id) => text(id),
        }
    }
}

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
