//! Handlers, one module per resource of API.md.

pub mod health;

use worker::{Request, Response, Result, RouteContext};

use crate::error::AppError;

/// Any `/api/*` path the route table does not know.
pub async fn not_found(_req: Request, _ctx: RouteContext<()>) -> Result<Response> {
    AppError::not_found().into_response()
}
