//! 我的卡券: the vehicle coupons of the user's cars.

use shared::api::CouponList;

use super::{get, path, ClientError};

/// `GET /api/coupons`: the coupons of every car the user is related to.
///
/// # Errors
/// [`ClientError`] when signed out or the worker cannot be reached.
pub async fn list() -> Result<CouponList, ClientError> {
    get(&path(&["coupons"])).await
}
