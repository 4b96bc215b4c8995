//! The retention sweep's statements (`shared::retention` decides the cut-offs).

use serde::Deserialize;
use shared::retention::Cutoffs;
use worker::D1Database;

use super::{int, text};
use crate::error::AppResult;

/// Up to `limit` photos past their time: never cited and older than a day, or cited by a
/// review decided long enough ago.
pub async fn expired_uploads(db: &D1Database, c: &Cutoffs, limit: i64) -> AppResult<Vec<String>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
    }
    let rows: Vec<Row> = db
        .prepare(
            "SELECT id FROM uploads \
             WHERE (cited_by IS NULL AND created_at < ?1) OR decided_at < ?2 LIMIT ?3",
        )
        .bind(&[
            int(c.unreferenced_uploads_before),
            int(c.evidence_decided_before),
            int(limit),
        ])?
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Deletes the records of photos whose objects are gone.
pub async fn delete_uploads(db: &D1Database, ids: &[String]) -> AppResult<()> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    db.prepare("DELETE FROM uploads WHERE id IN (SELECT value FROM json_each(?1))")
        .bind(&[text(&ids)])?
        .run()
        .await?;
    Ok(())
}

/// Deletes old messages, expired sessions and sign-in codes, and old rate-limit counters, in
/// one transaction.
pub async fn sweep_rows(db: &D1Database, c: &Cutoffs) -> AppResult<()> {
    let statements = [
        (
            "DELETE FROM messages WHERE created_at < ?1",
            c.messages_before,
        ),
        ("DELETE FROM sessions WHERE expires_at <= ?1", c.now),
        ("DELETE FROM login_codes WHERE expires_at <= ?1", c.now),
        ("DELETE FROM oauth_states WHERE expires_at <= ?1", c.now),
        (
            "DELETE FROM rate_limits WHERE window_start < ?1",
            c.rate_limits_before,
        ),
    ];
    let mut batch = Vec::new();
    for (sql, cutoff) in statements {
        batch.push(db.prepare(sql).bind(&[int(cutoff)])?);
    }
    db.batch(batch).await?;
    Ok(())
}
