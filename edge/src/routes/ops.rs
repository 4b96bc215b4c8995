//! 工作台 (role `operator`): the review queue, approve / reject, revoke, a plate's history.

use shared::api::ops::{RejectRequest, ReviewItem, RevokeRequest};
use shared::api::ErrorCode;
use shared::ids::ReviewId;
use shared::vehicle::{CommandKind, ReviewKind};
use worker::Request;

use super::command::{run, As};
use super::vehicles::path_plate;
use crate::auth;
use crate::error::{AppError, AppResult};
use crate::http::{json, no_content, read_json, Ctx};
use crate::store;
use crate::vehicle_do::{self, OpsView, Reproject};

/// `GET /api/ops/reviews?kind=certification|appeal`: the queue, oldest first.
pub async fn reviews(ctx: &Ctx, req: &Request) -> AppResult {
    auth::operator(ctx, req).await?;
    let url = req.url()?;
    // The wire names come from ReviewKind's serde, like everywhere else.
    let kind = match url.query_pairs().find(|(k, _)| k == "kind") {
        None => None,
        Some((_, v)) => Some(
            serde_json::from_value::<ReviewKind>(serde_json::Value::String(v.into_owned()))
                .map_err(|_| AppError::invalid("kind 只能是 certification 或 appeal"))?,
        ),
    };
    let items: Vec<ReviewItem> = store::reviews::queue(&ctx.db()?, kind).await?;
    json(200, &items)
}

fn review_id(id: &str) -> AppResult<ReviewId> {
    ReviewId::parse(id).ok_or_else(|| AppError::with_message(ErrorCode::NotFound, "审核记录不存在"))
}

/// `POST /api/ops/reviews/{id}/approve`.
pub async fn approve(ctx: &Ctx, req: &Request, id: &str) -> AppResult {
    let caller = auth::operator(ctx, req).await?;
    let review = review_id(id)?;
    let plate = review.plate().clone();
    run(
        ctx,
        req,
        &caller,
        As::Operator,
        &plate,
        CommandKind::ApproveReview { review },
    )
    .await?;
    no_content()
}

/// `POST /api/ops/reviews/{id}/reject {reason}`.
pub async fn reject(ctx: &Ctx, req: &mut Request, id: &str) -> AppResult {
    let caller = auth::operator(ctx, req).await?;
    let review = review_id(id)?;
    let RejectRequest { reason } = read_json(req).await?;
    let plate = review.plate().clone();
    run(
        ctx,
        req,
        &caller,
        As::Operator,
        &plate,
        CommandKind::RejectReview { review, reason },
    )
    .await?;
    no_content()
}

/// `POST /api/ops/vehicles/{plate}/revoke {reason}`.
pub async fn revoke(ctx: &Ctx, req: &mut Request, plate: &str) -> AppResult {
    let caller = auth::operator(ctx, req).await?;
    let plate = path_plate(plate)?;
    let RevokeRequest { reason } = read_json(req).await?;
    run(
        ctx,
        req,
        &caller,
        As::Operator,
        &plate,
        CommandKind::RevokeCertification { reason },
    )
    .await?;
    no_content()
}

/// `GET /api/ops/vehicles/{plate}`: state, relations and the full history (who, whom, what,
/// why, when, refusals included), each account named by its masked phone.
pub async fn vehicle(ctx: &Ctx, req: &Request, plate: &str) -> AppResult {
    auth::operator(ctx, req).await?;
    let plate = path_plate(plate)?;
    let vehicle = vehicle_do::ask(&ctx.env, &plate, &OpsView).await?;
    let phones = store::users::masked_phones(&ctx.db()?, &vehicle.people()).await?;
    json(200, &vehicle.with_phones(|u| phones.get(u).cloned()))
}

/// `POST /api/ops/rebuild`: writes every known plate's projection to D1 again from its object
/// (after a lost or damaged index). Answers how many plates were rebuilt.
pub async fn rebuild(ctx: &Ctx, req: &Request) -> AppResult {
    auth::operator(ctx, req).await?;
    let plates = store::projection::known_plates(&ctx.db()?).await?;
    for plate in &plates {
        vehicle_do::ask(&ctx.env, plate, &Reproject).await?;
    }
    json(200, &serde_json::json!({ "rebuilt": plates.len() }))
}
