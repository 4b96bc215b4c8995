//! Writes one plate's aggregate into D1's indexes (relations, notices, the review queue).
//!
//! The plate's rows are replaced whole in one D1 batch (a transaction), guarded by the
//! aggregate's version: a late write of an older version changes nothing, and writing the same
//! version again is harmless, so retries and rebuilds are always safe.

use serde::Serialize;
use shared::api::vehicles::{NoticeItem, VehicleItem};
use shared::ids::UserId;
use shared::plate::Plate;
use shared::vehicle::{NoticeKind, Relation, Vehicle, VehicleState};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Result};

use super::{int, text};
use crate::error::AppResult;

/// Guard appended to every row write: only while the plate's stored version is this one.
const AT_VERSION: &str = "(SELECT version FROM plates WHERE plate = ?1) = ?2";

/// The stored `state` of a relation ended by someone else, whose dialog waits (no card).
pub const NOTICE_STATE: &str = "notice";

/// One row of `vehicle_relations`.
struct RelationRow {
    user: UserId,
    /// The card's state (its serde name is stored); `None` while a notice waits.
    state: Option<VehicleState>,
    notice_id: Option<String>,
    notice_kind: Option<String>,
    rejection_reason: Option<String>,
    since: Option<i64>,
}

/// Writes the projection of `vehicle`.
pub async fn write(db: &D1Database, vehicle: &Vehicle) -> Result<()> {
    let plate = text(vehicle.plate().as_str());
    let version = int(vehicle.last_seq() as i64);
    let owner = vehicle
        .owner()
        .map(|o| text(o.user.as_str()))
        .unwrap_or(JsValue::NULL);

    let mut batch: Vec<D1PreparedStatement> = vec![
        db.prepare(
            "INSERT INTO plates (plate, version, owner_id) VALUES (?1, ?2, ?3) \
             ON CONFLICT (plate) DO UPDATE SET version = excluded.version, owner_id = excluded.owner_id \
             WHERE excluded.version > plates.version",
        )
        .bind(&[plate.clone(), version.clone(), owner])?,
        db.prepare(format!("DELETE FROM vehicle_relations WHERE plate = ?1 AND {AT_VERSION}"))
            .bind(&[plate.clone(), version.clone()])?,
        db.prepare(format!("DELETE FROM reviews WHERE plate = ?1 AND {AT_VERSION}"))
            .bind(&[plate.clone(), version.clone()])?,
    ];
    for row in relation_rows(vehicle) {
        batch.push(
            db.prepare(format!(
                "INSERT INTO vehicle_relations \
                 (plate, user_id, state, notice_id, notice_kind, rejection_reason, since, card, notice) \
                 SELECT ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE {AT_VERSION}"
            ))
            .bind(&[
                plate.clone(),
                version.clone(),
                text(row.user.as_str()),
                text(&state_text(row.state)),
                opt_text(row.notice_id.as_deref()),
                opt_text(row.notice_kind.as_deref()),
                opt_text(row.rejection_reason.as_deref()),
                row.since.map(int).unwrap_or(JsValue::NULL),
                json_or_null(VehicleItem::for_user(vehicle, &row.user, false))?,
                json_or_null(NoticeItem::for_user(vehicle, &row.user))?,
            ])?,
        );
    }
    for review in vehicle.pending_reviews() {
        batch.push(
            db.prepare(format!(
                "INSERT INTO reviews (id, plate, kind, user_id, statement, evidence, submitted_at) \
                 SELECT ?3, ?1, ?4, ?5, ?6, ?7, ?8 WHERE {AT_VERSION}"
            ))
            .bind(&[
                plate.clone(),
                version.clone(),
                text(&review.id.to_string()),
                text(&wire(&review.kind)),
                text(review.user.as_str()),
                text(&review.statement),
                text(&serde_json::to_string(&review.evidence).unwrap_or_else(|_| "[]".into())),
                int(review.submitted_at.unix_millis()),
            ])?,
        );
    }
    batch.extend(cite_evidence(db, vehicle, &plate, &version)?);
    db.batch(batch).await?;
    Ok(())
}

/// Marks the photos the plate's pending reviews cite (kept while pending), and dates the
/// decision of those it cited before and no longer does (deleted 180 days later,
/// `shared::retention`).
fn cite_evidence(
    db: &D1Database,
    vehicle: &Vehicle,
    plate: &JsValue,
    version: &JsValue,
) -> Result<Vec<D1PreparedStatement>> {
    let cited: Vec<_> = vehicle
        .pending_reviews()
        .into_iter()
        .flat_map(|review| review.evidence)
        .collect();
    let cited = text(&serde_json::to_string(&cited)?);
    // The decision is the latest event the projection shows.
    let decided = vehicle.recent_events().last().map_or_else(
        || worker::Date::now().as_millis() as i64,
        |e| e.at.unix_millis(),
    );
    Ok(vec![
        db.prepare(format!(
            "UPDATE uploads SET cited_by = ?1, decided_at = NULL \
             WHERE id IN (SELECT value FROM json_each(?3)) AND {AT_VERSION}"
        ))
        .bind(&[plate.clone(), version.clone(), cited.clone()])?,
        db.prepare(format!(
            "UPDATE uploads SET decided_at = ?4 WHERE cited_by = ?1 AND decided_at IS NULL \
             AND id NOT IN (SELECT value FROM json_each(?3)) AND {AT_VERSION}"
        ))
        .bind(&[plate.clone(), version.clone(), cited, int(decided)])?,
    ])
}

fn relation_rows(vehicle: &Vehicle) -> Vec<RelationRow> {
    let mut rows: Vec<RelationRow> = vehicle
        .relations()
        .map(|(user, relation)| {
            let base = RelationRow {
                user: user.clone(),
                state: relation.state().card(),
                notice_id: None,
                notice_kind: None,
                rejection_reason: None,
                since: None,
            };
            match relation {
                Relation::Added { rejection_reason } => RelationRow {
                    rejection_reason: rejection_reason.clone(),
                    ..base
                },
                Relation::Certifying(review) => RelationRow {
                    since: Some(review.submitted_at.unix_millis()),
                    ..base
                },
                Relation::Appealing(review) => RelationRow {
                    since: Some(review.submitted_at.unix_millis()),
                    ..base
                },
                Relation::AwaitingAuthorization { since } | Relation::Authorized { since } => {
                    RelationRow {
                        since: Some(since.unix_millis()),
                        ..base
                    }
                }
                Relation::Notice(notice) => RelationRow {
                    notice_id: Some(notice.id.to_string()),
                    notice_kind: Some(wire(&notice.kind)),
                    since: Some(notice.since.unix_millis()),
                    ..base
                },
            }
        })
        .collect();
    if let Some(owner) = vehicle.owner() {
        rows.push(RelationRow {
            user: owner.user.clone(),
            state: Some(VehicleState::Certified),
            notice_id: owner.appeal_succeeded.as_ref().map(ToString::to_string),
            notice_kind: owner
                .appeal_succeeded
                .as_ref()
                .map(|_| wire(&NoticeKind::AppealSucceeded)),
            rejection_reason: None,
            since: Some(owner.since.unix_millis()),
        });
    }
    rows
}

/// The stored `state` of a relation: the card's state, or [`NOTICE_STATE`].
fn state_text(state: Option<VehicleState>) -> String {
    state.map_or_else(|| NOTICE_STATE.to_owned(), |s| wire(&s))
}

/// A value as JSON text, or SQL NULL for `None`.
fn json_or_null<T: Serialize>(value: Option<T>) -> Result<JsValue> {
    Ok(match value {
        Some(v) => text(&serde_json::to_string(&v)?),
        None => JsValue::NULL,
    })
}

fn opt_text(value: Option<&str>) -> JsValue {
    value.map(text).unwrap_or(JsValue::NULL)
}

/// A unit enum's snake_case wire name (`EndedKind::CertifiedByOther` → `certified_by_other`).
pub fn wire<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Every plate that ever had a projection (the rebuild walks these objects).
pub async fn known_plates(db: &D1Database) -> AppResult<Vec<Plate>> {
    super::plates(db.prepare("SELECT plate FROM plates ORDER BY plate")).await
}
