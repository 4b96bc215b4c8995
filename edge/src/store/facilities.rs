//! Car parks and charging stations: who may post gateway events, under which key.
//!
//! Every event names its facility, so each isolate keeps the facilities it has read for
//! [`shared::car_park::FACILITY_KEPT_MS`]: a changed key or fee cap (an `UPDATE facilities`) takes effect within a
//! minute, and an unknown id is never kept, so a facility added is known at once.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::Deserialize;
use shared::car_park::{facility_still_kept, Terms};
use shared::ids::FacilityId;
use shared::order::{Facility, FacilityKind};
use worker::D1Database;

use super::text;
use crate::error::AppResult;

/// At most this many facilities are kept per isolate (a city's car parks); past it, all are
/// dropped and read again.
const KEPT_MAX: usize = 10_000;

thread_local! {
    /// Facilities this isolate has read, with when.
    static KEPT: RefCell<HashMap<FacilityId, (i64, FacilityRow)>> = RefCell::default();
}

/// The facility `id` as last read within [`shared::car_park::FACILITY_KEPT_MS`] of `now_ms`, else read from D1.
pub async fn kept(db: &D1Database, id: &FacilityId, now_ms: i64) -> AppResult<Option<FacilityRow>> {
    let fresh = KEPT.with_borrow(|kept| {
        kept.get(id)
            .filter(|(read_at, _)| facility_still_kept(*read_at, now_ms))
            .map(|(_, row)| row.clone())
    });
    if fresh.is_some() {
        return Ok(fresh);
    }
    let row = facility(db, id).await?;
    KEPT.with_borrow_mut(|kept| {
        if kept.len() >= KEPT_MAX {
            kept.clear();
        }
        match &row {
            Some(row) => kept.insert(id.clone(), (now_ms, row.clone())),
            None => kept.remove(id),
        };
    });
    Ok(row)
}

/// A car park as its gateway events need it.
#[derive(Debug, Clone)]
pub struct FacilityRow {
    /// id, name and kind.
    pub facility: Facility,
    /// The HMAC key it signs with.
    pub secret: String,
    /// What its events may report (kind, the cap on one fee).
    pub terms: Terms,
}

/// The facility `id`, if it exists.
async fn facility(db: &D1Database, id: &FacilityId) -> AppResult<Option<FacilityRow>> {
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
