//! Car parks and charging stations: who may post gateway events, under which key.

use serde::Deserialize;
use shared::ids::FacilityId;
use worker::D1Database;

use super::text;
use crate::error::AppResult;

/// A car park as its gateway events need it.
pub struct FacilityRow {
    /// id, name and kind.
    pub facility: shared::order::Facility,
    /// The HMAC key it signs with.
    pub secret: String,
}

/// The facility `id`, if it exists.
pub async fn facility(db: &D1Database, id: &FacilityId) -> AppResult<Option<FacilityRow>> {
    #[derive(Deserialize)]
    struct Row {
        id: FacilityId,
        name: String,
        kind: String,
        secret: String,
    }
    let row: Option<Row> = db
        .prepare("SELECT id, name, kind, secret FROM facilities WHERE id = ?1")
        .bind(&[text(id.as_str())])?
        .first(None)
        .await?;
    Ok(row.map(|r| FacilityRow {
        facility: shared::order::Facility {
            id: r.id,
            name: r.name,
            kind: if r.kind == "charging" {
                shared::order::FacilityKind::ChargingStation
            } else {
                shared::order::FacilityKind::CarPark
            },
        },
        secret: r.secret,
    }))
}
