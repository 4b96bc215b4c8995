//! `GET /api/health`: the worker answers, with the product version.

use shared::api::Health;

use crate::error::AppResult;
use crate::http::json;

/// Always `{"status":"ok","version":…}` while the worker runs.
pub fn get() -> AppResult {
    json(
        200,
        &Health {
            status: "ok".into(),
            version: shared::VERSION.into(),
        },
    )
}
