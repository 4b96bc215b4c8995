//! The operators' review queue, read from the projection.

use serde::Deserialize;
use shared::api::ops::ReviewItem;
use shared::ids::{ReviewId, UploadId, UserId};
use shared::phone::Phone;
use shared::plate::Plate;
use shared::timestamp::Timestamp;
use shared::vehicle::ReviewKind;
use wasm_bindgen::JsValue;
use worker::D1Database;

use super::text;
use crate::error::{AppError, AppResult};
use crate::store::projection::wire;

/// Pending reviews of `kind` (or all), oldest first.
pub async fn queue(db: &D1Database, kind: Option<ReviewKind>) -> AppResult<Vec<ReviewItem>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        kind: String,
        plate: String,
        user_id: String,
        phone: String,
        statement: String,
        evidence: String,
        submitted_at: i64,
    }
    let rows: Vec<Row> = db
        .prepare(
            "SELECT r.id, r.kind, r.plate, r.user_id, u.phone, r.statement, r.evidence, r.submitted_at \
             FROM reviews r JOIN users u ON u.id = r.user_id \
             WHERE ?1 IS NULL OR r.kind = ?1 ORDER BY r.submitted_at, r.id",
        )
        .bind(&[kind.map(|k| text(&wire(&k))).unwrap_or(JsValue::NULL)])?
        .all()
        .await?
        .results()?;
    rows.into_iter()
        .map(|r| {
            let bad = |what: &str| AppError::internal(format!("review row {}: bad {what}", r.id));
            let kind: ReviewKind =
                serde_json::from_value(serde_json::Value::String(r.kind.clone()))
                    .map_err(|_| bad("kind"))?;
            let evidence: Vec<UploadId> =
                serde_json::from_str(&r.evidence).map_err(|_| bad("evidence"))?;
            Ok(ReviewItem {
                id: ReviewId::parse(&r.id).ok_or_else(|| bad("id"))?,
                kind,
                plate: Plate::parse(&r.plate).map_err(|_| bad("plate"))?,
                user_id: UserId::new(r.user_id.clone()),
                phone_masked: Phone::parse(&r.phone).map_err(|_| bad("phone"))?.masked(),
                submitted_at: Timestamp::from_unix_millis(r.submitted_at),
                evidence: evidence
                    .iter()
                    .map(|id| format!("/api/uploads/{id}"))
                    .collect(),
                reason: Some(r.statement.clone()),
            })
        })
        .collect()
}
