//! Reading the vehicle projections: a user's cards and dialogs, and their 默认 car.

use serde::Deserialize;
use shared::api::vehicles::{NoticeItem, VehicleItem, VehicleList};
use shared::ids::UserId;
use shared::plate::Plate;
use worker::{D1Database, D1PreparedStatement};

use super::projection::NOTICE_STATE;
use super::{int, plates, text, Whose};
use crate::error::{AppError, AppResult};

/// One row of [`list_statement`].
#[derive(Deserialize)]
pub struct ListRow {
    plate: String,
    card: Option<String>,
    notice: Option<String>,
    is_default: i64,
    added_at: Option<i64>,
}

/// The read behind a user's 我的车辆 ([`list_from`] makes the list of its rows).
pub fn list_statement(db: &D1Database, whose: Whose) -> AppResult<D1PreparedStatement> {
    let user = whose.user_sql();
    Ok(db
        .prepare(format!(
            "SELECT r.plate, r.card, r.notice, (d.plate IS NOT NULL) AS is_default, c.added_at \
             FROM vehicle_relations r \
             LEFT JOIN user_defaults d ON d.user_id = r.user_id AND d.plate = r.plate \
             LEFT JOIN user_cars c ON c.user_id = r.user_id AND c.plate = r.plate \
             WHERE r.user_id = {user} ORDER BY c.added_at, r.plate"
        ))
        .bind(&[whose.param()])?)
}

/// `user`'s 我的车辆 from the rows of [`list_statement`]: cards (default first, then oldest
/// relation first) and waiting dialogs, keeping the 默认 car and the times
/// of adding in step with the cards (SPEC §5).
pub async fn list_from(
    db: &D1Database,
    user: &str,
    mut rows: Vec<ListRow>,
    now: i64,
) -> AppResult<VehicleList> {
    let mut writes = Vec::new();
    // A car listed before its add was recorded counts as added now.
    for row in rows
        .iter_mut()
        .filter(|r| r.card.is_some() && r.added_at.is_none())
    {
        row.added_at = Some(now);
        writes.push(added_statement(db, user, &row.plate, now)?);
    }
    // SPEC §5: the first car is the default, and when the default leaves the list the most
    // recently added remaining car takes its place; rows naming cars no longer listed go.
    if !rows.iter().any(|r| r.card.is_some() && r.is_default == 1) {
        let latest = rows
            .iter_mut()
            .filter(|r| r.card.is_some())
            .max_by_key(|r| r.added_at);
        match latest {
            Some(latest) => {
                latest.is_default = 1;
                writes.push(
                    db.prepare(
                        "INSERT INTO user_defaults (user_id, plate) VALUES (?1, ?2) \
                         ON CONFLICT (user_id) DO UPDATE SET plate = ?2",
                    )
                    .bind(&[text(user), text(&latest.plate)])?,
                );
            }
            None => writes.push(
                db.prepare("DELETE FROM user_defaults WHERE user_id = ?1")
                    .bind(&[text(user)])?,
            ),
        }
        let listed: Vec<&str> = rows
            .iter()
            .filter(|r| r.card.is_some())
            .map(|r| r.plate.as_str())
            .collect();
        let listed = serde_json::to_string(&listed).map_err(AppError::internal)?;
        writes.push(
            db.prepare(
                "DELETE FROM user_cars WHERE user_id = ?1 \
                 AND plate NOT IN (SELECT value FROM json_each(?2))",
            )
            .bind(&[text(user), text(&listed)])?,
        );
    }
    if !writes.is_empty() {
        db.batch(writes).await?;
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.is_default == 1 && r.card.is_some()));
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

fn added_statement(
    db: &D1Database,
    user: &str,
    plate: &str,
    at: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(db
        .prepare("INSERT OR IGNORE INTO user_cars (user_id, plate, added_at) VALUES (?1, ?2, ?3)")
        .bind(&[text(user), text(plate), int(at)])?)
}

/// Records when `user` added `plate` (the first time only), and makes it the default when the
/// user has none: the first car added is the default even before the list is ever read (a
/// default naming a car no longer listed is replaced when the list is read).
pub async fn record_added(db: &D1Database, user: &str, plate: &str, at: i64) -> AppResult<()> {
    let first_default = db
        .prepare("INSERT OR IGNORE INTO user_defaults (user_id, plate) VALUES (?1, ?2)")
        .bind(&[text(user), text(plate)])?;
    db.batch(vec![added_statement(db, user, plate, at)?, first_default])
        .await?;
    Ok(())
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
