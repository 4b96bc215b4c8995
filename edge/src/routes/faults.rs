//! `POST /api/dev/faults` (cargo feature `faults`, dev and test builds only; a local run as
//! well): arms a user's sandbox wallet to fail the next charge of a reference once.

use serde::Deserialize;
use shared::api::ErrorCode;
use worker::Request;

use crate::durable::ask;
use crate::error::{AppError, AppResult};
use crate::http::{no_content, read_json, Ctx};
use crate::wallet_do::faults::{ArmFault, FaultKind};

/// `{user_id, reference_prefix, kind}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArmRequest {
    user_id: String,
    reference_prefix: String,
    kind: FaultKind,
}

/// Arms the fault; 404 unless this is a local run (`ENVIRONMENT = "dev"`).
pub async fn arm(ctx: &Ctx, req: &mut Request) -> AppResult {
    if !ctx.is_dev() {
        return Err(AppError::new(ErrorCode::NotFound));
    }
    let body: ArmRequest = read_json(req).await?;
    if body.reference_prefix.is_empty() {
        return Err(AppError::invalid("reference_prefix 不能为空"));
    }
    let wallet = ctx
        .env
        .durable_object("WALLET")?
        .get_by_name(&body.user_id)?;
    let call = ArmFault {
        reference_prefix: body.reference_prefix,
        kind: body.kind,
    };
    ask(&wallet, &call).await?;
    no_content()
}
