//! 停车/充电记录 and 代缴费: orders as this user may see them, and paying them.

use shared::api::{OrderList, PayRequest, PayResponse};
use shared::ids::OrderId;
use shared::plate::Plate;

use super::{get, path, post, post_empty, with_query, ClientError};

/// `GET /api/orders`: the orders this user may see, redacted for them.
///
/// # Errors
/// [`ClientError`] when signed out or the worker cannot be reached.
pub async fn list() -> Result<OrderList, ClientError> {
    get(&path(&["orders"])).await
}

/// `GET /api/orders?plate=…`: another car's orders due, for 代缴费.
///
/// # Errors
/// [`ClientError`] when the worker refuses (e.g. the car is private) or cannot be reached.
pub async fn due_for(plate: &Plate) -> Result<OrderList, ClientError> {
    get(&with_query(path(&["orders"]), "plate", plate.as_str())).await
}

/// `POST /api/orders/{id}/pay`: pays one order from the chosen source.
///
/// # Errors
/// [`ClientError`] when the payment is refused (e.g. `insufficient_funds`).
pub async fn pay(order: &OrderId, body: &PayRequest) -> Result<PayResponse, ClientError> {
    post(&path(&["orders", &order.to_string(), "pay"]), body).await
}

/// `POST /api/orders/{id}/pay/cancel`: the payer closed WeChat's pay sheet; the pending WeChat
/// payment is closed and the order can be paid again.
///
/// # Errors
/// [`ClientError`] when the worker refuses or cannot be reached.
pub async fn cancel_wechat(order: &OrderId) -> Result<(), ClientError> {
    post_empty(&path(&["orders", &order.to_string(), "pay", "cancel"])).await
}
