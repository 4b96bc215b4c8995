//! 工作台 (operators only): the review queues, a plate's full record, revoking a certification
//! and issuing a vehicle coupon.

use shared::api::ops::{OpsVehicle, RejectRequest, ReviewItem, RevokeRequest};
use shared::api::IssueCouponRequest;
use shared::coupon::VehicleCoupon;
use shared::ids::ReviewId;
use shared::plate::Plate;
use shared::vehicle::ReviewKind;

use super::{get, path, post, post_empty, post_unit, with_query, ClientError};

/// `GET /api/ops/reviews?kind=…`: one review queue, oldest first.
///
/// # Errors
/// [`ClientError`] when the user is not an operator or the worker cannot be reached.
pub async fn reviews(kind: ReviewKind) -> Result<Vec<ReviewItem>, ClientError> {
    // The query value is the kind's name on the wire, as shared serializes it.
    let kind = serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or(ClientError::Unexpected)?;
    get(&with_query(path(&["ops", "reviews"]), "kind", &kind)).await
}

/// `POST /api/ops/reviews/{id}/approve`.
///
/// # Errors
/// [`ClientError`] when the review was already decided or the worker cannot be reached.
pub async fn approve(review: &ReviewId) -> Result<(), ClientError> {
    post_empty(&path(&["ops", "reviews", &review.to_string(), "approve"])).await
}

/// `POST /api/ops/reviews/{id}/reject` with the reason shown to the driver.
///
/// # Errors
/// [`ClientError`] when the review was already decided or the worker cannot be reached.
pub async fn reject(review: &ReviewId, body: &RejectRequest) -> Result<(), ClientError> {
    post_unit(
        &path(&["ops", "reviews", &review.to_string(), "reject"]),
        body,
    )
    .await
}

/// `GET /api/ops/vehicles/{plate}`: the plate's owner, relations, history, orders and coupons.
///
/// # Errors
/// [`ClientError`] when the user is not an operator or the worker cannot be reached.
pub async fn vehicle(plate: &Plate) -> Result<OpsVehicle, ClientError> {
    get(&path(&["ops", "vehicles", plate.as_str()])).await
}

/// `POST /api/ops/vehicles/{plate}/revoke`: 取消认证 with a reason.
///
/// # Errors
/// [`ClientError`] when the car has no owner or the worker cannot be reached.
pub async fn revoke(plate: &Plate, body: &RevokeRequest) -> Result<(), ClientError> {
    post_unit(&path(&["ops", "vehicles", plate.as_str(), "revoke"]), body).await
}

/// `POST /api/ops/coupons`: 发放优惠券 to a plate; answers the coupon issued.
///
/// # Errors
/// [`ClientError`] when the coupon is refused or the worker cannot be reached.
pub async fn issue_coupon(body: &IssueCouponRequest) -> Result<VehicleCoupon, ClientError> {
    post(&path(&["ops", "coupons"]), body).await
}
