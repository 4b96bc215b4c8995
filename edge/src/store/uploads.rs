//! Evidence photos: the D1 record of who uploaded what (the bytes are in R2 under the id).

use serde::Deserialize;
use shared::ids::UploadId;
use shared::upload::ImageType;
use worker::D1Database;

use super::{int, text};
use crate::error::AppResult;

/// An upload's record.
#[derive(Debug, Deserialize)]
pub struct Upload {
    /// Who uploaded it.
    pub user_id: String,
    /// image/jpeg, image/png or image/webp.
    pub content_type: ImageType,
    /// The plate whose certification or appeal cites it, if one ever did.
    pub cited_by: Option<String>,
}

/// Records an upload.
pub async fn create(
    db: &D1Database,
    id: &str,
    user: &str,
    content_type: ImageType,
    size: usize,
    now_ms: i64,
) -> AppResult<()> {
    db.prepare("INSERT INTO uploads (id, user_id, content_type, size, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(&[text(id), text(user), text(content_type.content_type()), int(size as i64), int(now_ms)])?
        .run()
        .await?;
    Ok(())
}

/// The upload's record.
pub async fn get(db: &D1Database, id: &str) -> AppResult<Option<Upload>> {
    let stmt = db
        .prepare("SELECT user_id, content_type, cited_by FROM uploads WHERE id = ?1")
        .bind(&[text(id)])?;
    Ok(stmt.first(None).await?)
}

/// How many of `ids` (distinct) are `user`'s uploads.
pub async fn count_owned(db: &D1Database, user: &str, ids: &[UploadId]) -> AppResult<usize> {
    #[derive(Deserialize)]
    struct Row {
        n: i64,
    }
    if ids.is_empty() {
        return Ok(0);
    }
    let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let row: Option<Row> = db
        .prepare(
            "SELECT COUNT(DISTINCT id) AS n FROM uploads \
             WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
        )
        .bind(&[text(user), text(&json)])?
        .first(None)
        .await?;
    Ok(row.map_or(0, |r| r.n as usize))
}

/// How many of `user`'s photos no certification or appeal cites (the upload quota counts them).
pub async fn unreferenced_count(db: &D1Database, user: &str) -> AppResult<u64> {
    #[derive(Deserialize)]
    struct Row {
        n: i64,
    }
    let row: Option<Row> = db
        .prepare("SELECT COUNT(*) AS n FROM uploads WHERE user_id = ?1 AND cited_by IS NULL")
        .bind(&[text(user)])?
        .first(None)
        .await?;
    Ok(row.map_or(0, |r| u64::try_from(r.n).unwrap_or(0)))
}
