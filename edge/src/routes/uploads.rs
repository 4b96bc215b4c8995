//! Evidence photos (`POST /api/uploads`, `GET /api/uploads/{id}`): stored in R2, readable only
//! by the uploader and operators, through the worker.

use shared::api::vehicles::UploadResponse;
use shared::api::ErrorCode;
use shared::ids::UploadId;
use shared::limits::Limited;
use shared::retention::may_upload;
use shared::upload::{
    may_read_evidence, sniff_image, strip_metadata, ImageError, MAX_UPLOAD_BYTES,
};
use worker::{Headers, Request, Response};

use crate::auth;
use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::http::{json, read_body, Ctx};
use crate::limits;
use crate::store;

/// `POST /api/uploads` with the image as the body: 201 `{id}`.
pub async fn create(ctx: &Ctx, req: &mut Request) -> AppResult {
    let caller = auth::caller(ctx, req).await?;
    limits::check(ctx, Limited::UploadsPerUser, &caller.user.id).await?;
    let uncited = store::uploads::unreferenced_count(&ctx.db()?, &caller.user.id).await?;
    may_upload(uncited).map_err(AppError::from)?;
    let declared = req
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    let refused = |e: ImageError| AppError::with_message(e.code(), e.to_string());
    let too_large = || refused(ImageError::TooLarge);
    let bytes = read_body(req, MAX_UPLOAD_BYTES, too_large, "照片无法读取，请重试").await?;
    let kind = sniff_image(&declared, &bytes).map_err(refused)?;
    // No GPS position or camera serial is kept, whatever the client sent.
    let bytes = strip_metadata(kind, &bytes);
    let id = format!("up-{}", crypto::random_hex(16)?);
    let metadata = worker::HttpMetadata {
        content_type: Some(kind.content_type().to_owned()),
        ..Default::default()
    };
    ctx.env
        .bucket("EVIDENCE")?
        .put(&id, bytes.clone())
        .http_metadata(metadata)
        .execute()
        .await?;
    store::uploads::create(
        &ctx.db()?,
        &id,
        &caller.user.id,
        kind,
        bytes.len(),
        ctx.now.unix_millis(),
    )
    .await?;
    json(
        201,
        &UploadResponse {
            id: UploadId::new(id),
        },
    )
}

/// `GET /api/uploads/{id}`: the photo, for its uploader and operators; 404 for anyone else.
pub async fn get(ctx: &Ctx, req: &Request, id: &str) -> AppResult {
    let caller = auth::caller(ctx, req).await?;
    let upload = store::uploads::get(&ctx.db()?, id).await?;
    let upload = upload
        .filter(|u| {
            let uploader = u.user_id == caller.user.id;
            may_read_evidence(uploader, caller.user.is_operator(), u.cited_by.is_some())
        })
        .ok_or_else(|| AppError::new(ErrorCode::NotFound))?;
    let object = ctx.env.bucket("EVIDENCE")?.get(id).execute().await?;
    let missing = || AppError::internal(format!("upload {id} has no object in R2"));
    let object = object.ok_or_else(missing)?;
    let body = object.body().ok_or_else(missing)?.bytes().await?;
    let headers = Headers::new();
    headers.set("content-type", upload.content_type.content_type())?;
    // Private evidence: never kept by any cache, never sniffed into another type, and opened on
    // its own it runs nothing (a sandboxed document of a unique origin).
    headers.set("cache-control", "no-store")?;
    headers.set("x-content-type-options", "nosniff")?;
    headers.set("content-security-policy", "sandbox")?;
    Ok(Response::from_bytes(body)?.with_headers(headers))
}
