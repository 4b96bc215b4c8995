//! Car parks and charging stations: who may post gateway events, under which key.

use serde::Deserialize;
use shared::car_park::Terms;
use shared::ids::FacilityId;
use shared::order::{Facility, FacilityKind};
use worker::D1Database;

use super::text;
use crate::error::AppResult;

/// A car park as its gateway events need it.
pub struct FacilityRow {
    /// id, name and kind.
    pub facility: Facility,
    /// The HMAC key it signs with.
    pub secret: String,
    /// What its events may report (kind, the cap on one fee).
    pub terms: Terms,
}

/// The facility `id`, if it exists.
pub async fn facility(db: &D1Database, id: &FacilityId) -> AppResult<Option<FacilityRow>> {
    #[derive(Deserialize)]
    struct Row {
        id: FacilityId,
        name: String,
        kind: String,
        secret: String,
        max_fee_fen: Option<u64>,
    }
    let row: Option<Row> = db
        .prepare("SELECT id, name, kind, secret, max_fee_fen FROM facilities WHERE id = ?1")
        .bind(&[text(id.as_str())])?
        .first(None)
        .await?;
    Ok(row.map(|r| {
        let kind = if r.kind == "charging" {
            FacilityKind::ChargingStation
        } else {
            FacilityKind::CarPark
        };
        FacilityRow {
            facility: Facility {
                id: r.id,
                name: r.name,
                kind,
            },
            secret: r.secret,
            terms: Terms::new(kind, r.max_fee_fen),
        }
    }))
}
