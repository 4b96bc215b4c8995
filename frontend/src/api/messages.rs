//! 消息: the inbox of vehicle notices.

use shared::api::{MarkReadRequest, MessageList};

use super::{get, path, post_unit, ClientError};

/// `GET /api/messages`: the latest messages and the unread count.
///
/// # Errors
/// [`ClientError`] when signed out or the worker cannot be reached.
pub async fn list() -> Result<MessageList, ClientError> {
    get(&path(&["messages"])).await
}

/// `POST /api/messages/read`: marks these messages read.
///
/// # Errors
/// [`ClientError`] when the worker refuses or cannot be reached.
pub async fn mark_read(body: &MarkReadRequest) -> Result<(), ClientError> {
    post_unit(&path(&["messages", "read"]), body).await
}
