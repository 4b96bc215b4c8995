//! 钱包: the sandbox payment provider's balance and top-up.

use shared::api::orders::MAX_TOP_UP_FEN;
use shared::api::TopUpRequest;
use worker::Request;

use super::command::request_id;
use super::vehicles::driver;
use crate::error::{AppError, AppResult};
use crate::http::{json, read_json, Ctx};
use crate::payments::{provider, Movement, PaymentProvider};

/// `GET /api/wallet`.
pub async fn get(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = driver(ctx, req).await?;
    let wallet = provider(&ctx.env);
    json(200, &wallet.statement(&caller.user.user_id()).await?)
}

/// `POST /api/wallet/top-up {amount_fen}`: a retry with the same `Idempotency-Key` adds once.
pub async fn top_up(ctx: &Ctx, req: &mut Request) -> AppResult {
    let caller = driver(ctx, req).await?;
    let body: TopUpRequest = read_json(req).await?;
    if body.amount_fen == 0 || body.amount_fen > MAX_TOP_UP_FEN {
        return Err(AppError::invalid(format!(
            "单次充值金额应在 0.01 到 {} 元之间",
            MAX_TOP_UP_FEN / 100
        )));
    }
    let movement = Movement::top_up(request_id(req)?, body.amount_fen, ctx.now);
    let wallet = provider(&ctx.env);
    json(
        200,
        &wallet.top_up(&caller.user.user_id(), &movement).await?,
    )
}
