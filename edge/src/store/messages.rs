//! Each user's inbox (SPEC §7) and the index of who paid which order.

use serde::{Deserialize, Serialize};
use shared::api::orders::{MessageItem, MessageKind, MessageList};
use shared::ids::{MessageId, UserId};
use shared::plate::Plate;
use shared::timestamp::Timestamp;
use worker::{D1Database, D1PreparedStatement};

use super::{int, text, Whose};
use crate::error::{AppError, AppResult};
use crate::store::projection::wire;

/// Messages listed per request (newest first).
const LISTED: i64 = 100;

/// A message a plate's object queued for one user.
#[derive(Debug, Serialize, Deserialize)]
pub struct OutgoingMessage {
    /// Unique across plates (`m-闽D12337-7`): a repeated delivery is ignored.
    pub id: MessageId,
    /// The recipient.
    pub user_id: UserId,
    /// The car.
    pub plate: Plate,
    /// What it is about.
    pub kind: MessageKind,
    /// The text for this recipient.
    pub text: String,
    /// When it was sent.
    pub created_at: Timestamp,
    /// Its WeChat template message (fields as this recipient may see them), if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<shared::push::Push>,
}

/// Who paid an order (the payer sees it without a relation to the plate).
#[derive(Debug, Serialize, Deserialize)]
pub struct PayerRow {
    /// The order.
    pub order_id: String,
    /// Its plate.
    pub plate: Plate,
    /// The payer.
    pub payer_id: UserId,
}

/// Writes a plate object's outbox in one batch; rows already there are left as they are.
pub async fn deliver(
    db: &D1Database,
    messages: &[OutgoingMessage],
    payers: &[PayerRow],
) -> AppResult<()> {
    let mut batch: Vec<D1PreparedStatement> = Vec::new();
    for m in messages {
        batch.push(
            db.prepare(
                "INSERT OR IGNORE INTO messages (id, user_id, plate, kind, text, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .bind(&[
                text(m.id.as_str()),
                text(m.user_id.as_str()),
                text(m.plate.as_str()),
                text(&wire(&m.kind)),
                text(&m.text),
                int(m.created_at.unix_millis()),
            ])?,
        );
    }
    for p in payers {
        batch.push(
            db.prepare(
                "INSERT OR REPLACE INTO order_payers (order_id, plate, payer_id) VALUES (?1, ?2, ?3)",
            )
            .bind(&[
                text(&p.order_id),
                text(p.plate.as_str()),
                text(p.payer_id.as_str()),
            ])?,
        );
    }
    db.batch(batch).await?;
    Ok(())
}

/// `user`'s inbox: the latest messages and the number unread.
pub async fn list(db: &D1Database, user: &UserId) -> AppResult<MessageList> {
    #[derive(Deserialize)]
    struct Row {
        id: MessageId,
        kind: String,
        plate: String,
        text: String,
        created_at: i64,
        read: i64,
    }
    let latest = db
        .prepare(
            "SELECT id, kind, plate, text, created_at, read FROM messages \
             WHERE user_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2",
        )
        .bind(&[text(user.as_str()), int(LISTED)])?;
    // Both reads in one round trip.
    let read = db
        .batch(vec![
            latest,
            unread_statement(db, Whose::User(user.as_str()))?,
        ])
        .await?;
    let [latest, unread] = <[_; 2]>::try_from(read)
        .map_err(|_| AppError::internal("the inbox's reads are missing"))?;
    let rows: Vec<Row> = latest.results()?;
    let unread = unread_from(unread.results()?);
    let mut messages = Vec::with_capacity(rows.len());
    for row in rows {
        messages.push(MessageItem {
            id: row.id,
            kind: serde_json::from_value(serde_json::Value::String(row.kind))
                .map_err(AppError::internal)?,
            plate: Plate::parse(&row.plate).map_err(AppError::internal)?,
            text: row.text,
            created_at: Timestamp::from_unix_millis(row.created_at),
            read: row.read != 0,
        });
    }
    Ok(MessageList { messages, unread })
}

/// One row of [`unread_statement`].
#[derive(Deserialize)]
pub struct UnreadRow {
    n: i64,
}

/// The read behind the unread count ([`unread_from`] reads its rows).
pub fn unread_statement(db: &D1Database, whose: Whose) -> AppResult<D1PreparedStatement> {
    let user = whose.user_sql();
    Ok(db
        .prepare(format!(
            "SELECT COUNT(*) AS n FROM messages WHERE user_id = {user} AND read = 0"
        ))
        .bind(&[whose.param()])?)
}

/// How many of the user's messages are unread (the 我的 tab's badge), from the rows of
/// [`unread_statement`].
pub fn unread_from(rows: Vec<UnreadRow>) -> u64 {
    rows.first().map_or(0, |c| u64::try_from(c.n).unwrap_or(0))
}

/// Marks `ids` read, of `user`'s own messages only (others' ids change nothing).
pub async fn mark_read(db: &D1Database, user: &UserId, ids: &[MessageId]) -> AppResult<()> {
    let batch = ids
        .iter()
        .map(|id| {
            db.prepare("UPDATE messages SET read = 1 WHERE id = ?1 AND user_id = ?2")
                .bind(&[text(id.as_str()), text(user.as_str())])
        })
        .collect::<worker::Result<Vec<_>>>()?;
    if !batch.is_empty() {
        db.batch(batch).await?;
    }
    Ok(())
}
