//! 钱包: the sandbox payment provider's balance and top-up, in dev runs only: a deployment that
//! let anyone top up a balance by saying so would let them park for free.

use shared::api::TopUpRequest;
use shared::money::{Fen, TopUp};
use worker::Request;

use super::command::request_id;
use super::vehicles::driver;
use crate::error::{AppError, AppResult};
use crate::http::{json, read_json, Ctx};
use crate::payments::{offered, provider, Movement, PaymentProvider};
use shared::api::ErrorCode;

/// `GET /api/wallet`.
pub async fn get(ctx: &Ctx, req: &Request) -> AppResult {
    sandbox_only(ctx)?;
    let caller = driver(ctx, req).await?;
    let wallet = provider(&ctx.env);
    json(200, &wallet.statement(&caller.user.user_id()).await?)
}

/// `POST /api/wallet/top-up {amount_fen}`: a retry with the same `Idempotency-Key` adds once.
pub async fn top_up(ctx: &Ctx, req: &mut Request) -> AppResult {
    sandbox_only(ctx)?;
    let caller = driver(ctx, req).await?;
    let body: TopUpRequest = read_json(req).await?;
    let amount = TopUp::parse(Fen::new(body.amount_fen))?.amount();
    let movement = Movement::top_up(request_id(req)?, amount.get(), ctx.now);
    let wallet = provider(&ctx.env);
    json(
        200,
        &wallet.top_up(&caller.user.user_id(), &movement).await?,
    )
}

/// 404 outside dev runs, as for any path this deployment does not have.
fn sandbox_only(ctx: &Ctx) -> AppResult<()> {
    match offered(&ctx.env).wallet {
        true => Ok(()),
        false => Err(AppError::new(ErrorCode::NotFound)),
    }
}
