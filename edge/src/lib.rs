//! The worker's entry: the route table and nothing else.
//!
//! Static files (the SPA) are served by the `[assets]` binding before the worker runs; only
//! `/api/*` reaches this code (wrangler.toml `run_worker_first`).

mod error;
mod routes;
mod vehicle_do;

use worker::{event, Context, Env, Request, Response, Result, Router};

pub use vehicle_do::VehicleDo;

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let router = Router::new()
        .get_async("/api/health", routes::health::get)
        .or_else_any_method_async("/api/*rest", routes::not_found);
    match router.run(req, env).await {
        Ok(response) => Ok(response),
        // A bug or a platform failure: log the detail, answer the fixed text (never leak it).
        Err(err) => error::AppError::internal(err).into_response(),
    }
}
