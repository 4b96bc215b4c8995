//! `GET /api/health`: the worker answers, with the product version.

use shared::api::Health;
use worker::{Request, Response, Result, RouteContext};

/// Always `{"status":"ok","version":…}` while the worker runs.
pub async fn get(_req: Request, _ctx: RouteContext<()>) -> Result<Response> {
    Response::from_json(&Health {
        status: "ok".into(),
        version: shared::VERSION.into(),
    })
}
