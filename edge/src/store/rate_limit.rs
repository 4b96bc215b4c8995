//! Fixed-window rate-limit counters kept in D1, shared by every isolate of the worker.

use shared::timestamp::Timestamp;
use worker::D1Database;

use super::{int, text};
use crate::error::{AppError, AppResult};

/// A counter right after a try was counted.
#[derive(Debug, serde::Deserialize)]
pub struct Count {
    /// Tries in the current window, this one included.
    pub count: i64,
    /// When the current window started (unix ms).
    pub window_start: i64,
}

impl Count {
    /// The window's start as a time.
    pub fn window_start(&self) -> Timestamp {
        Timestamp::from_unix_millis(self.window_start)
    }
}

/// Counts one try under `key` in a window of `window_ms` (a new window starts at the first try
/// after the last one ended). One statement, so concurrent tries are counted exactly.
///
/// # Errors
/// 500 when D1 fails.
pub async fn hit(db: &D1Database, key: &str, window_ms: i64, now_ms: i64) -> AppResult<Count> {
    db.prepare(
        "INSERT INTO rate_limits (key, window_start, count) VALUES (?1, ?2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           count = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE count + 1 END, \
           window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END \
         RETURNING count, window_start",
    )
    .bind(&[text(key), int(now_ms), int(window_ms)])?
    .first(None)
    .await?
    .ok_or_else(|| AppError::internal(format!("rate limit {key}: no row returned")))
}
