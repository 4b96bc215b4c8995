//! Sending a command to a plate's Durable Object on behalf of a caller.

use shared::ids::RequestId;
use shared::limits::Limited;
use shared::plate::Plate;
use shared::vehicle::{Actor, Command, CommandKind, Vehicle};
use worker::Request;

use crate::auth::Caller;
use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::limits;
use crate::vehicle_do::{self, RunCommand};

/// Longest `Idempotency-Key` accepted.
const MAX_KEY_LEN: usize = 128;

/// The request id of a mutation: the client's `Idempotency-Key` (a retry with the same key gets
/// the first answer and changes nothing), or a fresh random one.
pub fn request_id(req: &Request) -> AppResult<RequestId> {
    match req.headers().get("idempotency-key").ok().flatten() {
        Some(key) if key.is_empty() || key.len() > MAX_KEY_LEN => Err(AppError::invalid(format!(
            "Idempotency-Key 长度应为 1 到 {MAX_KEY_LEN} 个字符"
        ))),
        Some(key) => Ok(RequestId::new(key)),
        None => Ok(RequestId::new(crypto::random_hex(16)?)),
    }
}

/// Which hat the caller wears for this command: operators' routes send as operator.
#[derive(Clone, Copy)]
pub enum As {
    /// A driver acting on their own relation.
    User,
    /// An operator in 工作台 (the route has checked the role).
    Operator,
}

/// Runs `kind` on `plate` for `caller`; the vehicle after it, or the refusal as a 4xx.
pub async fn run(
    ctx: &Ctx,
    req: &Request,
    caller: &Caller,
    role: As,
    plate: &Plate,
    kind: CommandKind,
) -> AppResult<Vehicle> {
    limits::check(ctx, Limited::CommandsPerUser, &caller.user.id).await?;
    let user = caller.user.user_id();
    let actor = match role {
        As::User => Actor::User(user),
        As::Operator => Actor::Operator(user),
    };
    let call = RunCommand {
        plate: plate.clone(),
        command: Command {
            request_id: request_id(req)?,
            kind,
        },
        actor,
        policy: caller.user.policy(),
        now: ctx.now,
    };
    let reply = vehicle_do::ask(&ctx.env, plate, &call).await?;
    match reply.outcome {
        Ok(_) => Ok(reply.vehicle),
        Err(refusal) => Err(refusal.into()),
    }
}

/// 403 when the caller's tenant hides 我的车辆 (SPEC §9 `hidden`).
pub fn require_vehicles_shown(caller: &Caller) -> AppResult<()> {
    Ok(caller.user.policy().require_vehicles()?)
}
