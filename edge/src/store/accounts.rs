//! 注销账号 in D1: the closing user's plates, photos, and forgetting everything that names them.

use serde::Deserialize;
use shared::ids::UserId;
use shared::phone::Phone;
use shared::plate::Plate;
use worker::D1Database;

use super::{plates, text};
use crate::error::AppResult;

/// Every plate `user` has a relation or a waiting dialog on.
pub async fn plates_of(db: &D1Database, user: &UserId) -> AppResult<Vec<Plate>> {
    let stmt = db
        .prepare("SELECT plate FROM vehicle_relations WHERE user_id = ?1")
        .bind(&[text(user.as_str())])?;
    plates(stmt).await
}

/// The ids (R2 keys) of every photo `user` uploaded.
pub async fn upload_ids(db: &D1Database, user: &UserId) -> AppResult<Vec<String>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
    }
    let rows: Vec<Row> = db
        .prepare("SELECT id FROM uploads WHERE user_id = ?1")
        .bind(&[text(user.as_str())])?
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Deletes, in one transaction, the account and everything in D1 that names it or its phone:
/// sessions, inbox, photo records, 默认 car, the payer index, the WeChat binding, a pending sign-in code and the
/// phone's rate-limit counters. Orders and histories keep only the random user id.
pub async fn forget(db: &D1Database, user: &UserId, phone: &Phone) -> AppResult<()> {
    let by_user = [
        "DELETE FROM sessions WHERE user_id = ?1",
        "DELETE FROM messages WHERE user_id = ?1",
        "DELETE FROM uploads WHERE user_id = ?1",
        "DELETE FROM user_defaults WHERE user_id = ?1",
        "DELETE FROM order_payers WHERE payer_id = ?1",
        "DELETE FROM wechat_identities WHERE user_id = ?1",
        "DELETE FROM user_cars WHERE user_id = ?1",
    ];
    let by_phone = [
        "DELETE FROM login_codes WHERE phone = ?1",
        // Keys are `<kind>:<phone>`; a phone has a fixed length, so no other phone ends alike.
        "DELETE FROM rate_limits WHERE key LIKE '%:' || ?1",
    ];
    let mut batch = Vec::new();
    for sql in by_user {
        batch.push(db.prepare(sql).bind(&[text(user.as_str())])?);
    }
    for sql in by_phone {
        batch.push(db.prepare(sql).bind(&[text(phone.as_str())])?);
    }
    batch.push(
        db.prepare("DELETE FROM users WHERE id = ?1")
            .bind(&[text(user.as_str())])?,
    );
    db.batch(batch).await?;
    Ok(())
}
