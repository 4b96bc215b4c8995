//! Reading the vehicle projections: a user's cards and dialogs, and their 默认 car.

use serde::Deserialize;
use shared::api::vehicles::{NoticeItem, VehicleItem, VehicleList};
use shared::ids::UserId;
use shared::plate::Plate;
use worker::D1Database;

use super::projection::NOTICE_STATE;
use super::{plates, text};
use crate::error::{AppError, AppResult};

/// `user`'s 我的车辆: cards (default first, then oldest relation first) and waiting dialogs.
pub async fn list_for(db: &D1Database, user: &str) -> AppResult<VehicleList> {
    #[derive(Deserialize)]
    struct Row {
        card: Option<String>,
        notice: Option<String>,
        is_default: i64,
    }
    let rows: Vec<Row> = db
        .prepare(
            "SELECT r.card, r.notice, (d.plate IS NOT NULL) AS is_default \
             FROM vehicle_relations r LEFT JOIN user_defaults d ON d.user_id = r.user_id AND d.plate = r.plate \
             WHERE r.user_id = ?1 ORDER BY is_default DESC, r.since, r.plate",
        )
        .bind(&[text(user)])?
        .all()
        .await?
        .results()?;
    let mut list = VehicleList::default();
    for row in rows {
        if let Some(card) = row.card {
            let mut item: VehicleItem = parse(&card)?;
            item.is_default = row.is_default == 1;
            list.vehicles.push(item);
        }
        if let Some(notice) = row.notice {
            list.notices.push(parse::<NoticeItem>(&notice)?);
        }
    }
    Ok(list)
}

fn parse<T: serde::de::DeserializeOwned>(json: &str) -> AppResult<T> {
    serde_json::from_str(json).map_err(|e| AppError::internal(format!("projection row: {e}")))
}

/// Whether `user` has a card for `plate` (a live relation, not only a dialog).
pub async fn has_card(db: &D1Database, user: &str, plate: &str) -> AppResult<bool> {
    #[derive(Deserialize)]
    struct Row {
        n: i64,
    }
    let row: Option<Row> = db
        .prepare("SELECT COUNT(*) AS n FROM vehicle_relations WHERE user_id = ?1 AND plate = ?2 AND card IS NOT NULL")
        .bind(&[text(user), text(plate)])?
        .first(None)
        .await?;
    Ok(row.is_some_and(|r| r.n > 0))
}

/// Makes `plate` the user's 默认 car.
pub async fn set_default(db: &D1Database, user: &str, plate: &str) -> AppResult<()> {
    db.prepare(
        "INSERT INTO user_defaults (user_id, plate) VALUES (?1, ?2) ON CONFLICT (user_id) DO UPDATE SET plate = ?2",
    )
    .bind(&[text(user), text(plate)])?
    .run()
    .await?;
    Ok(())
}

/// Forgets `plate` as the user's 默认 car (after they removed it).
pub async fn clear_default(db: &D1Database, user: &str, plate: &str) -> AppResult<()> {
    db.prepare("DELETE FROM user_defaults WHERE user_id = ?1 AND plate = ?2")
        .bind(&[text(user), text(plate)])?
        .run()
        .await?;
    Ok(())
}

/// The plates whose orders `user` may see: any relation, or an order they paid.
pub async fn order_plates(db: &D1Database, user: &UserId) -> AppResult<Vec<Plate>> {
    let stmt = db
        .prepare(
            "SELECT plate FROM vehicle_relations WHERE user_id = ?1 \
             UNION SELECT plate FROM order_payers WHERE payer_id = ?1",
        )
        .bind(&[text(user.as_str())])?;
    plates(stmt).await
}

/// The plates `user` has a relation to (coupons are filtered by the objects).
pub async fn relation_plates(db: &D1Database, user: &UserId) -> AppResult<Vec<Plate>> {
    let stmt = db
        .prepare(format!(
            "SELECT plate FROM vehicle_relations WHERE user_id = ?1 AND state <> '{NOTICE_STATE}'"
        ))
        .bind(&[text(user.as_str())])?;
    plates(stmt).await
}
