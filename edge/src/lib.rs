//! The worker's entry: the route table and nothing else.
//!
//! Static files (the SPA) are served by the `[assets]` binding before the worker runs; only
//! `/api/*` and `/` (我的, drawn here for a signed-in driver) reach this code (wrangler.toml
//! `run_worker_first`).

mod auth;
mod crypto;
mod durable;
mod error;
mod http;
mod limits;
mod outbound;
mod payments;
mod retention;
mod routes;
mod settings;
mod sms;
mod store;
mod vehicle_do;
mod wallet_do;
mod wechat;
mod wechat_do;
mod wechat_pay;

use percent_encoding::percent_decode_str;
use shared::api::ErrorCode;
use worker::{event, Context, Env, Method, Request, Response, Result};

use error::{AppError, AppResult};
use http::Ctx;
pub use vehicle_do::VehicleDo;
pub use wallet_do::WalletDo;
pub use wechat_do::WechatDo;

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let ctx = Ctx::new(env);
    let response = match route(&ctx, req).await {
        Ok(response) => response,
        Err(err) => err.into_response()?,
    };
    http::with_security_headers(response)
}

/// The hourly retention sweep, on the clock of the scheduled event (not the wall clock).
#[event(scheduled)]
async fn scheduled(event: worker::ScheduledEvent, env: Env, _ctx: worker::ScheduleContext) {
    let now = shared::timestamp::Timestamp::from_unix_millis(event.schedule() as i64);
    retention::run(&env, now).await;
}

/// Every endpoint of API.md: method and path segments to one named handler.
async fn route(ctx: &Ctx, mut req: Request) -> AppResult {
    let url = req.url()?;
    let segments: Vec<String> = url
        .path_segments()
        // Segments arrive percent-encoded (a plate is Chinese).
        .map(|s| {
            s.map(|seg| percent_decode_str(seg).decode_utf8_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let path: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = req.method();
    // Car parks and WeChat Pay sign their requests instead (no browser sends these).
    if !matches!(
        path.as_slice(),
        ["api", "gateway", ..] | ["api", "pay", "wechat", "notify"]
    ) {
        auth::csrf_guard(&req)?;
    }
    use routes::*;
    use Method::{Delete, Get, Head, Post, Put};
    match (method, path.as_slice()) {
        (Get | Head, [""]) => mine_page::get(ctx, &req).await,
        (Get, ["api", "health"]) => health::get(),

        (Post, ["api", "auth", "code"]) => session::send_code(ctx, &mut req).await,
        (Post, ["api", "auth", "login"]) => session::login(ctx, &mut req).await,
        (Post, ["api", "auth", "logout"]) => session::logout(ctx, &req).await,
        (Post, ["api", "auth", "logout-all"]) => session::logout_all(ctx, &req).await,
        (Get, ["api", "me"]) => session::me(ctx, &req).await,
        (Delete, ["api", "me"]) => account::close(ctx, &req).await,
        (Get, ["api", "session"]) => session::current(ctx, &req).await,
        (Get, ["api", "auth", "wechat", "start"]) => wechat_sign_in::start(ctx, &req).await,
        (Get, ["api", "auth", "wechat", "callback"]) => wechat_sign_in::callback(ctx, &req).await,
        (Post, ["api", "auth", "wechat", "bind"]) => wechat_sign_in::bind(ctx, &mut req).await,
        (Get, ["api", "me", "wechat"]) => wechat_sign_in::binding(ctx, &req).await,
        (Delete, ["api", "me", "wechat"]) => wechat_sign_in::unbind(ctx, &req).await,

        (Post, ["api", "plates", "check"]) => plates::check(&mut req).await,

        (Get, ["api", "vehicles"]) => vehicles::list(ctx, &req).await,
        (Post, ["api", "vehicles"]) => vehicles::add(ctx, &mut req).await,
        (Delete, ["api", "vehicles", plate]) => vehicles::remove(ctx, &req, plate).await,
        (Put, ["api", "vehicles", plate, "default"]) => {
            vehicles::set_default(ctx, &req, plate).await
        }
        (Post, ["api", "vehicles", plate, "certification"]) => {
            vehicles::certify(ctx, &mut req, plate).await
        }
        (Post, ["api", "vehicles", plate, "appeal"]) => {
            vehicles::appeal(ctx, &mut req, plate).await
        }
        (Post, ["api", "vehicles", plate, "cancel-request"]) => {
            vehicles::cancel_request(ctx, &req, plate).await
        }
        (Put, ["api", "vehicles", plate, "privacy"]) => {
            vehicles::privacy(ctx, &mut req, plate).await
        }
        (Put, ["api", "vehicles", plate, "details"]) => {
            vehicles::details(ctx, &mut req, plate).await
        }
        (Put, ["api", "vehicles", plate, "autopay"]) => {
            vehicles::autopay(ctx, &mut req, plate).await
        }
        (Get, ["api", "vehicles", plate, "wechat-parking"]) => {
            wechat_parking::status(ctx, &req, plate).await
        }
        (Get, ["api", "vehicles", plate, "authorizations"]) => {
            vehicles::authorizations(ctx, &req, plate).await
        }
        (Post, ["api", "vehicles", plate, "authorizations", user, action]) => {
            vehicles::decide_authorization(ctx, &req, plate, user, action).await
        }
        (Post, ["api", "notices", id, "ack"]) => vehicles::ack(ctx, &req, id).await,

        (Post, ["api", "uploads"]) => uploads::create(ctx, &mut req).await,
        (Get, ["api", "uploads", id]) => uploads::get(ctx, &req, id).await,

        (Post, ["api", "gateway", "events"]) => gateway::event(ctx, &mut req).await,
        (Post, ["api", "pay", "wechat", "notify"]) => pay_notify::wechat(ctx, &mut req).await,
        (Get, ["api", "orders"]) => orders::list(ctx, &req).await,
        (Post, ["api", "orders", id, "pay"]) => orders::pay(ctx, &mut req, id).await,
        (Post, ["api", "orders", id, "pay", "cancel"]) => {
            orders::cancel_wechat(ctx, &req, id).await
        }
        (Get, ["api", "messages"]) => messages::list(ctx, &req).await,
        (Post, ["api", "messages", "read"]) => messages::mark_read(ctx, &mut req).await,
        (Get, ["api", "coupons"]) => coupons::list(ctx, &req).await,
        (Get, ["api", "wallet"]) => wallet::get(ctx, &req).await,
        (Post, ["api", "wallet", "top-up"]) => wallet::top_up(ctx, &mut req).await,

        (Post, ["api", "ops", "coupons"]) => coupons::issue(ctx, &mut req).await,
        (Get, ["api", "ops", "reviews"]) => ops::reviews(ctx, &req).await,
        (Post, ["api", "ops", "reviews", id, "approve"]) => ops::approve(ctx, &req, id).await,
        (Post, ["api", "ops", "reviews", id, "reject"]) => ops::reject(ctx, &mut req, id).await,
        (Post, ["api", "ops", "vehicles", plate, "revoke"]) => {
            ops::revoke(ctx, &mut req, plate).await
        }
        (Get, ["api", "ops", "vehicles", plate]) => ops::vehicle(ctx, &req, plate).await,
        (Post, ["api", "ops", "rebuild"]) => ops::rebuild(ctx, &req).await,

        // Dev and test builds only (cargo feature `faults`): never compiled into production.
        #[cfg(feature = "faults")]
        (Post, ["api", "dev", "faults"]) => faults::arm(ctx, &mut req).await,

        _ => Err(AppError::new(ErrorCode::NotFound)),
    }
}
