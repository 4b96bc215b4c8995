//! A user's vehicles (API.md "A user's vehicles"): list, add, remove, default, certification,
//! appeal, cancel request, notices, privacy, autopay, and the owner's authorizations.

use shared::api::vehicles::{
    authorizations_for, AddVehicleRequest, AddVehicleResponse, AppealRequest, AuthorizationList,
    AutopayRequest, CertificationRequest, PrivacyRequest, VehicleItem,
};
use shared::api::ErrorCode;
use shared::ids::{NoticeId, UploadId, UserId};
use shared::plate::Plate;
use shared::vehicle::{CommandKind, Vehicle, VehicleDetails};
use worker::Request;

use super::command::{require_vehicles_shown, run, As};
use crate::auth::{self, Caller};
use crate::error::{AppError, AppResult};
use crate::http::{json, no_content, read_json, Ctx};
use crate::store;
use crate::vehicle_do::{self, ReadVehicle};

/// The caller, if their tenant shows 我的车辆.
pub async fn driver(ctx: &Ctx, req: &Request) -> AppResult<Caller> {
    let caller = auth::caller(ctx, req).await?;
    require_vehicles_shown(&caller)?;
    Ok(caller)
}

/// Runs `kind` for the signed-in driver on the plate named in the path.
async fn act(ctx: &Ctx, req: &Request, plate: &str, kind: CommandKind) -> AppResult<Vehicle> {
    let caller = driver(ctx, req).await?;
    run(ctx, req, &caller, As::User, &path_plate(plate)?, kind).await
}

/// A plate from the path: 400 `invalid_plate` naming what is wrong.
pub fn path_plate(segment: &str) -> AppResult<Plate> {
    Ok(Plate::parse(segment)?)
}

/// `GET /api/vehicles`: the caller's cards and waiting dialogs.
pub async fn list(ctx: &Ctx, req: &Request) -> AppResult {
    // The cards are read with the session, in one round trip to D1.
    let (caller, mut read) = auth::caller_with(ctx, req, |db, whose| {
        Ok(vec![store::vehicles::list_statement(db, whose)?])
    })
    .await?;
    require_vehicles_shown(&caller)?;
    let rows = read
        .pop()
        .ok_or_else(|| AppError::internal("the cards' read is missing"))?
        .results()?;
    let list = store::vehicles::list_from(&ctx.db()?, &caller.user.id, rows, ctx.now.unix_millis())
        .await?;
    json(200, &list)
}

/// `POST /api/vehicles`: add a car (in a `mandatory` tenant, with its certification).
pub async fn add(ctx: &Ctx, req: &mut Request) -> AppResult {
    let caller = driver(ctx, req).await?;
    let body: AddVehicleRequest = read_json(req).await?;
    let plate = Plate::parse_to_add(&body.plate, body.confirm_nonstandard)?;
    if let Some(certification) = &body.certification {
        check_evidence(ctx, &caller, &certification.evidence).await?;
    }
    let kind = CommandKind::Add {
        certification: body.certification.map(Into::into),
    };
    let vehicle = run(ctx, req, &caller, As::User, &plate, kind).await?;
    let db = ctx.db()?;
    store::vehicles::record_added(&db, &caller.user.id, plate.as_str(), ctx.now.unix_millis())
        .await?;
    let state = VehicleItem::for_user(&vehicle, &caller.user.user_id(), false)
        .map(|card| card.state)
        .ok_or_else(|| AppError::internal("an added vehicle has no card"))?;
    json(201, &AddVehicleResponse { plate, state })
}

/// `DELETE /api/vehicles/{plate}`: remove the car from my list.
pub async fn remove(ctx: &Ctx, req: &Request, plate: &str) -> AppResult {
    let caller = driver(ctx, req).await?;
    let plate = path_plate(plate)?;
    run(ctx, req, &caller, As::User, &plate, CommandKind::Remove).await?;
    store::vehicles::clear_default(&ctx.db()?, &caller.user.id, plate.as_str()).await?;
    no_content()
}

/// `PUT /api/vehicles/{plate}/default`: make it my 默认 car (one of my cards).
pub async fn set_default(ctx: &Ctx, req: &Request, plate: &str) -> AppResult {
    let caller = driver(ctx, req).await?;
    let plate = path_plate(plate)?;
    let db = ctx.db()?;
    if !store::vehicles::has_card(&db, &caller.user.id, plate.as_str()).await? {
        return Err(AppError::with_message(
            ErrorCode::NotFound,
            "我的车辆中没有该车辆",
        ));
    }
    store::vehicles::set_default(&db, &caller.user.id, plate.as_str()).await?;
    no_content()
}

/// `POST /api/vehicles/{plate}/certification`: submit ownership evidence (去认证).
pub async fn certify(ctx: &Ctx, req: &mut Request, plate: &str) -> AppResult {
    let caller = driver(ctx, req).await?;
    let plate = path_plate(plate)?;
    let body: CertificationRequest = read_json(req).await?;
    check_evidence(ctx, &caller, &body.evidence).await?;
    run(
        ctx,
        req,
        &caller,
        As::User,
        &plate,
        CommandKind::SubmitCertification(body.into()),
    )
    .await?;
    accepted()
}

/// `POST /api/vehicles/{plate}/appeal`: claim the car with evidence (我要申诉).
pub async fn appeal(ctx: &Ctx, req: &mut Request, plate: &str) -> AppResult {
    let caller = driver(ctx, req).await?;
    let plate = path_plate(plate)?;
    let body: AppealRequest = read_json(req).await?;
    check_evidence(ctx, &caller, &body.evidence).await?;
    run(
        ctx,
        req,
        &caller,
        As::User,
        &plate,
        CommandKind::Appeal(body.into()),
    )
    .await?;
    accepted()
}

/// `POST /api/vehicles/{plate}/cancel-request` (取消添加).
pub async fn cancel_request(ctx: &Ctx, req: &Request, plate: &str) -> AppResult {
    act(ctx, req, plate, CommandKind::CancelRequest).await?;
    no_content()
}

/// `POST /api/notices/{id}/ack` (我知道了 / 确定).
pub async fn ack(ctx: &Ctx, req: &Request, id: &str) -> AppResult {
    let caller = driver(ctx, req).await?;
    let notice = NoticeId::parse(id).ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let plate = notice.plate().clone();
    run(
        ctx,
        req,
        &caller,
        As::User,
        &plate,
        CommandKind::Acknowledge { notice },
    )
    .await?;
    no_content()
}

/// `PUT /api/vehicles/{plate}/privacy {protect, notify}` (owner only).
pub async fn privacy(ctx: &Ctx, req: &mut Request, plate: &str) -> AppResult {
    let body: PrivacyRequest = read_json(req).await?;
    act(ctx, req, plate, CommandKind::SetPrivacy(body.into())).await?;
    no_content()
}

/// `PUT /api/vehicles/{plate}/details {plate_color?, brand?, model?, body_color?, nickname?}`
/// (维护车辆信息): the owner, or anyone with a relation while nobody owns the car.
pub async fn details(ctx: &Ctx, req: &mut Request, plate: &str) -> AppResult {
    let body: VehicleDetails = read_json(req).await?;
    act(ctx, req, plate, CommandKind::SetDetails(body)).await?;
    no_content()
}

/// `PUT /api/vehicles/{plate}/autopay {enabled, sources}` (owner only).
pub async fn autopay(ctx: &Ctx, req: &mut Request, plate: &str) -> AppResult {
    let body: AutopayRequest = read_json(req).await?;
    crate::payments::offered(&ctx.env).check_settings(&body.sources)?;
    act(ctx, req, plate, CommandKind::SetAutopay(body.into())).await?;
    no_content()
}

/// `GET /api/vehicles/{plate}/authorizations` (owner only): who waits, who is allowed.
pub async fn authorizations(ctx: &Ctx, req: &Request, plate: &str) -> AppResult {
    let caller = driver(ctx, req).await?;
    let plate = path_plate(plate)?;
    let vehicle = vehicle_do::ask(&ctx.env, &plate, &ReadVehicle).await?;
    let vehicle = authorizations_for(vehicle, &caller.user.user_id())?;
    let users: Vec<UserId> = vehicle.relations().map(|(u, _)| u.clone()).collect();
    let phones = store::users::masked_phones(&ctx.db()?, &users).await?;
    let list =
        AuthorizationList::from_vehicle(&vehicle, |u| phones.get(u).cloned().unwrap_or_default());
    json(200, &list)
}

/// `POST /api/vehicles/{plate}/authorizations/{user_id}/{approve|deny|revoke}` (owner only).
pub async fn decide_authorization(
    ctx: &Ctx,
    req: &Request,
    plate: &str,
    user: &str,
    action: &str,
) -> AppResult {
    let user = UserId::new(user);
    let kind = match action {
        "approve" => CommandKind::ApproveRequest { user },
        "deny" => CommandKind::DenyRequest { user },
        "revoke" => CommandKind::RevokeAuthorization { user },
        _ => return Err(AppError::new(ErrorCode::NotFound)),
    };
    act(ctx, req, plate, kind).await?;
    no_content()
}

fn accepted() -> AppResult {
    json(202, &serde_json::json!({ "status": "submitted" }))
}

/// Evidence must be the caller's own uploads: 400 naming the problem otherwise.
async fn check_evidence(ctx: &Ctx, caller: &Caller, evidence: &[UploadId]) -> AppResult<()> {
    let owned = store::uploads::count_owned(&ctx.db()?, &caller.user.id, evidence).await?;
    if owned != evidence.len() {
        return Err(AppError::invalid(
            "证明材料照片不存在或不属于当前账号，请重新上传",
        ));
    }
    Ok(())
}
