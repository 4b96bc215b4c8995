//! Sign-in codes and sessions. Only keyed hashes are stored: a leaked table signs nobody in.

use serde::Deserialize;
use shared::phone::Phone;
use worker::D1Database;

use super::{int, text};
use crate::error::AppResult;

/// A pending sign-in code.
#[derive(Debug, Deserialize)]
pub struct PendingCode {
    /// HMAC of `phone:code`.
    pub code_hash: String,
    /// Unix ms after which the code no longer works.
    pub expires_at: i64,
    /// Wrong codes tried so far.
    pub attempts: i64,
}

/// Replaces the phone's pending code (a new code voids the old one).
pub async fn put_code(
    db: &D1Database,
    phone: &Phone,
    code_hash: &str,
    expires_at: i64,
) -> AppResult<()> {
    db.prepare(
        "INSERT INTO login_codes (phone, code_hash, expires_at, attempts) VALUES (?1, ?2, ?3, 0) \
         ON CONFLICT (phone) DO UPDATE SET code_hash = ?2, expires_at = ?3, attempts = 0",
    )
    .bind(&[text(phone.as_str()), text(code_hash), int(expires_at)])?
    .run()
    .await?;
    Ok(())
}

/// The phone's pending code, if any.
pub async fn code(db: &D1Database, phone: &Phone) -> AppResult<Option<PendingCode>> {
    let stmt = db
        .prepare("SELECT code_hash, expires_at, attempts FROM login_codes WHERE phone = ?1")
        .bind(&[text(phone.as_str())])?;
    Ok(stmt.first(None).await?)
}

/// Counts one wrong try against the phone's code.
pub async fn count_wrong_code(db: &D1Database, phone: &Phone) -> AppResult<()> {
    db.prepare("UPDATE login_codes SET attempts = attempts + 1 WHERE phone = ?1")
        .bind(&[text(phone.as_str())])?
        .run()
        .await?;
    Ok(())
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

/// Opens a session.
pub async fn create(
    db: &D1Database,
    token_hash: &str,
    user_id: &str,
    expires_at: i64,
) -> AppResult<()> {
    db.prepare("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)")
        .bind(&[text(token_hash), text(user_id), int(expires_at)])?
        .run()
        .await?;
    Ok(())
}

/// The user of a live session.
pub async fn user_of(db: &D1Database, token_hash: &str, now_ms: i64) -> AppResult<Option<String>> {
    #[derive(Deserialize)]
    struct Row {
        user_id: String,
    }
    let row: Option<Row> = db
        .prepare("SELECT user_id FROM sessions WHERE token_hash = ?1 AND expires_at > ?2")
        .bind(&[text(token_hash), int(now_ms)])?
        .first(None)
        .await?;
    Ok(row.map(|r| r.user_id))
}

/// Ends a session (logout).
pub async fn delete(db: &D1Database, token_hash: &str) -> AppResult<()> {
    db.prepare("DELETE FROM sessions WHERE token_hash = ?1")
        .bind(&[text(token_hash)])?
        .run()
        .await?;
    Ok(())
}
