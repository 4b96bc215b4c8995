//! 消息: the inbox of SPEC §7.

use shared::api::MarkReadRequest;
use worker::Request;

use super::vehicles::driver;
use crate::error::{AppError, AppResult};
use crate::http::{json, no_content, read_json, Ctx};
use crate::store;

/// Ids marked read per request at most.
const MAX_IDS: usize = 200;

/// `GET /api/messages`: the latest messages, newest first, and how many are unread.
pub async fn list(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = driver(ctx, req).await?;
    let list = store::messages::list(&ctx.db()?, &caller.user.user_id()).await?;
    json(200, &list)
}

/// `POST /api/messages/read {ids}`: marks the caller's own messages read.
pub async fn mark_read(ctx: &Ctx, req: &mut Request) -> AppResult {
    let caller = driver(ctx, req).await?;
    let body: MarkReadRequest = read_json(req).await?;
    if body.ids.len() > MAX_IDS {
        return Err(AppError::invalid(format!("一次最多标记 {MAX_IDS} 条消息")));
    }
    store::messages::mark_read(&ctx.db()?, &caller.user.user_id(), &body.ids).await?;
    no_content()
}
