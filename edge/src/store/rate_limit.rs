//! Fixed-window rate limits kept in D1, shared by every isolate of the worker.

use worker::D1Database;

use super::{int, text};
use crate::error::AppResult;

/// Counts one try under `key`; whether it is within `limit` tries per `window_ms`.
/// One statement, so concurrent tries are counted exactly.
pub async fn hit(
    db: &D1Database,
    key: &str,
    limit: i64,
    window_ms: i64,
    now_ms: i64,
) -> AppResult<bool> {
    #[derive(serde::Deserialize)]
    struct Count {
        count: i64,
    }
    let row: Option<Count> = db
        .prepare(
            "INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               count = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE count + 1 END, \
               window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END \
             RETURNING count",
        )
        .bind(&[text(key), int(now_ms), int(window_ms)])?
        .first(None)
        .await?;
    Ok(row.is_some_and(|r| r.count <= limit))
}
