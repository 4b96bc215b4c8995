//! Sign-in codes and sessions. Only keyed hashes are stored: a leaked table signs nobody in.

use serde::Deserialize;
use shared::phone::Phone;
use worker::{D1Database, D1PreparedStatement};

use super::users::{User, USER_COLUMNS};
use super::{int, text};
use crate::error::AppResult;

/// A pending sign-in code.
#[derive(Debug, Deserialize)]
pub struct PendingCode {
    /// HMAC of `phone:code`.
    pub code_hash: String,
    /// Unix ms after which the code no longer works.
    pub expires_at: i64,
}

/// Replaces the phone's pending code (a new code voids the old one).
pub async fn put_code(
    db: &D1Database,
    phone: &Phone,
    code_hash: &str,
    expires_at: i64,
) -> AppResult<()> {
    db.prepare(
        "INSERT INTO login_codes (phone, code_hash, expires_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (phone) DO UPDATE SET code_hash = ?2, expires_at = ?3",
    )
    .bind(&[text(phone.as_str()), text(code_hash), int(expires_at)])?
    .run()
    .await?;
    Ok(())
}

/// The phone's pending code, if any.
pub async fn code(db: &D1Database, phone: &Phone) -> AppResult<Option<PendingCode>> {
    let stmt = db
        .prepare("SELECT code_hash, expires_at FROM login_codes WHERE phone = ?1")
        .bind(&[text(phone.as_str())])?;
    Ok(stmt.first(None).await?)
}

/// Uses up the phone's code; whether this call was the one that did (a code signs in once).
pub async fn take_code(db: &D1Database, phone: &Phone, code_hash: &str) -> AppResult<bool> {
    let result = db
        .prepare("DELETE FROM login_codes WHERE phone = ?1 AND code_hash = ?2")
        .bind(&[text(phone.as_str()), text(code_hash)])?
        .run()
        .await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) == 1)
}

/// Opens a session at `now_ms`, ending at `expires_at` at the latest.
pub async fn create(
    db: &D1Database,
    token_hash: &str,
    user_id: &str,
    expires_at: i64,
    now_ms: i64,
) -> AppResult<()> {
    db.prepare(
        "INSERT INTO sessions (token_hash, user_id, expires_at, last_seen) VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(&[
        text(token_hash),
        text(user_id),
        int(expires_at),
        int(now_ms),
    ])?
    .run()
    .await?;
    Ok(())
}

/// A stored session with its account, as every signed-in request needs them.
#[derive(Debug, Deserialize)]
pub struct SessionWithUser {
    /// Unix ms of the absolute end (sign-in + 30 days).
    pub expires_at: i64,
    /// Unix ms when it was last used (written at most hourly).
    pub last_seen: i64,
    /// Whose it is, with the tenant.
    #[serde(flatten)]
    pub user: User,
}

/// The read of the session stored under `token_hash`, live or not (`shared::session::check`
/// decides), with its account: one statement, as it starts every signed-in request. Its rows
/// are [`SessionWithUser`] (none without such a session).
pub fn with_user_statement(db: &D1Database, token_hash: &str) -> AppResult<D1PreparedStatement> {
    Ok(db
        .prepare(format!(
            "SELECT s.expires_at, s.last_seen, {USER_COLUMNS} FROM sessions s \
             JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id \
             WHERE s.token_hash = ?1"
        ))
        .bind(&[text(token_hash)])?)
}

/// Writes down that the session was used at `now_ms`.
pub async fn touch(db: &D1Database, token_hash: &str, now_ms: i64) -> AppResult<()> {
    db.prepare("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1")
        .bind(&[text(token_hash), int(now_ms)])?
        .run()
        .await?;
    Ok(())
}

/// Ends a session (logout, or found expired).
pub async fn delete(db: &D1Database, token_hash: &str) -> AppResult<()> {
    delete_where(db, "token_hash", token_hash).await
}

/// Ends every session of a user (退出所有设备).
pub async fn delete_all_of(db: &D1Database, user_id: &str) -> AppResult<()> {
    delete_where(db, "user_id", user_id).await
}

async fn delete_where(db: &D1Database, column: &'static str, value: &str) -> AppResult<()> {
    db.prepare(format!("DELETE FROM sessions WHERE {column} = ?1"))
        .bind(&[text(value)])?
        .run()
        .await?;
    Ok(())
}
