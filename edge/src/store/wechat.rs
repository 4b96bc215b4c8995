//! WeChat identities (openid ↔ user) and the `state`s of authorize round trips already used.

use serde::Deserialize;
use shared::ids::UserId;
use worker::D1Database;

use super::{int, text};
use crate::error::AppResult;

/// A user's WeChat binding.
#[derive(Debug, Deserialize)]
pub struct Identity {
    /// The user it signs in.
    pub user_id: String,
    /// When it was bound (unix ms).
    pub bound_at: i64,
}

/// The user an openid signs in, if bound.
pub async fn by_openid(db: &D1Database, openid: &str) -> AppResult<Option<Identity>> {
    Ok(db
        .prepare("SELECT user_id, bound_at FROM wechat_identities WHERE openid = ?1")
        .bind(&[text(openid)])?
        .first(None)
        .await?)
}

/// A user's binding, if any.
pub async fn of_user(db: &D1Database, user: &UserId) -> AppResult<Option<Identity>> {
    Ok(db
        .prepare("SELECT user_id, bound_at FROM wechat_identities WHERE user_id = ?1")
        .bind(&[text(user.as_str())])?
        .first(None)
        .await?)
}

/// A user's openid, if bound.
pub async fn openid_of(db: &D1Database, user: &UserId) -> AppResult<Option<String>> {
    #[derive(Deserialize)]
    struct Row {
        openid: String,
    }
    let row: Option<Row> = db
        .prepare("SELECT openid FROM wechat_identities WHERE user_id = ?1")
        .bind(&[text(user.as_str())])?
        .first(None)
        .await?;
    Ok(row.map(|r| r.openid))
}

/// The openids of those of `users` who have one (for pushes).
pub async fn openids_of(db: &D1Database, users: &[&UserId]) -> AppResult<Vec<(UserId, String)>> {
    #[derive(Deserialize)]
    struct Row {
        user_id: String,
        openid: String,
    }
    let ids: Vec<&str> = users.iter().map(|u| u.as_str()).collect();
    let ids = serde_json::to_string(&ids).map_err(crate::error::AppError::internal)?;
    let rows: Vec<Row> = db
        .prepare(
            "SELECT user_id, openid FROM wechat_identities \
             WHERE user_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(&[text(&ids)])?
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .map(|r| (UserId::new(&r.user_id), r.openid))
        .collect())
}

/// Binds `openid` to `user`, replacing the user's earlier WeChat if any (one each way).
pub async fn bind(
    db: &D1Database,
    openid: &str,
    unionid: Option<&str>,
    user: &UserId,
    now: i64,
) -> AppResult<()> {
    let unionid = unionid.map_or(wasm_bindgen::JsValue::NULL, text);
    db.batch(vec![
        db.prepare("DELETE FROM wechat_identities WHERE user_id = ?1 AND openid <> ?2")
            .bind(&[text(user.as_str()), text(openid)])?,
        db.prepare(
            "INSERT INTO wechat_identities (openid, unionid, user_id, bound_at) \
             VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (openid) DO UPDATE SET unionid = ?2, user_id = ?3, bound_at = ?4",
        )
        .bind(&[text(openid), unionid, text(user.as_str()), int(now)])?,
    ])
    .await?;
    Ok(())
}

/// Removes a user's binding; whether there was one.
pub async fn unbind(db: &D1Database, user: &UserId) -> AppResult<bool> {
    let result = db
        .prepare("DELETE FROM wechat_identities WHERE user_id = ?1")
        .bind(&[text(user.as_str())])?
        .run()
        .await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0)
}

/// Records that an authorize `state` came back; false if it already had (a replay).
pub async fn use_state(db: &D1Database, nonce: &str, expires_at: i64) -> AppResult<bool> {
    let result = db
        .prepare("INSERT OR IGNORE INTO oauth_states (nonce, expires_at) VALUES (?1, ?2)")
        .bind(&[text(nonce), int(expires_at)])?
        .run()
        .await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) == 1)
}
