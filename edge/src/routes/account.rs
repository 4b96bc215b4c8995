//! 注销账号 (`DELETE /api/me`): ends every relation of the user as their own removal would,
//! deletes their sessions, inbox and photos, and forgets the account and its phone.

use shared::account::{closing_command, may_close, CLOSING_POLICY};
use shared::ids::RequestId;
use shared::money::Fen;
use shared::plate::Plate;
use shared::vehicle::{Actor, Command};
use worker::Request;

use crate::auth::{self, Caller};
use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::payments::{self, PaymentProvider};
use crate::store;
use crate::vehicle_do::{self, ReadVehicle, RunCommand};

/// Tries per plate: a relation changed by someone else meanwhile is read again.
const TRIES: usize = 3;

/// `DELETE /api/me`: 204 and the cookie cleared; 409 while the wallet holds money.
pub async fn close(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = auth::caller(ctx, req).await?;
    let user = caller.user.user_id();
    let wallet = payments::provider(&ctx.env).statement(&user).await?;
    may_close(Fen::new(wallet.balance_fen))
        .map_err(|e| AppError::with_message(e.code(), e.to_string()))?;
    let db = ctx.db()?;
    for plate in store::accounts::plates_of(&db, &user).await? {
        leave(ctx, &caller, &plate).await?;
    }
    let photos = store::accounts::upload_ids(&db, &user).await?;
    let bucket = ctx.env.bucket("EVIDENCE")?;
    for chunk in photos.chunks(1000) {
        bucket.delete_multiple(chunk.to_vec()).await?;
    }
    store::accounts::forget(&db, &user, &caller.user.phone).await?;
    let mut response = crate::http::no_content()?;
    response
        .headers_mut()
        .set("set-cookie", &auth::cleared_cookie())?;
    Ok(response)
}

/// Sends the plate's object the commands that leave nothing of the caller there.
async fn leave(ctx: &Ctx, caller: &Caller, plate: &Plate) -> AppResult<()> {
    let user = caller.user.user_id();
    for _ in 0..TRIES {
        let Some(vehicle) = vehicle_do::ask(&ctx.env, plate, &ReadVehicle).await? else {
            return Ok(());
        };
        let Some(kind) = closing_command(&vehicle, &user) else {
            return Ok(());
        };
        let call = RunCommand {
            plate: plate.clone(),
            command: Command {
                request_id: RequestId::new(crypto::random_hex(16)?),
                kind,
            },
            actor: Actor::User(user.clone()),
            policy: CLOSING_POLICY,
            now: ctx.now,
        };
        // A refusal means the relation changed meanwhile: read it again.
        vehicle_do::ask(&ctx.env, plate, &call).await?;
    }
    Err(AppError::internal(format!(
        "closing {}: relation to {plate} still there after {TRIES} tries",
        user.as_str()
    )))
}
