//! 我的车辆: the user's cars, adding and removing one, its claims (认证, 申诉), its owner's
//! settings and authorizations, and the dialogs waiting for an answer.

use shared::api::vehicles::{
    AddVehicleRequest, AddVehicleResponse, AppealRequest, AuthorizationList, AutopayRequest,
    CertificationRequest, PrivacyRequest, VehicleList, WechatParkingStatus,
};
use shared::ids::{NoticeId, UserId};
use shared::plate::Plate;
use shared::vehicle::VehicleDetails;

use super::{delete, get, path, post, post_empty, post_unit, put, put_empty, ClientError};

/// `GET /api/vehicles`: the user's cards and the dialogs waiting for them.
///
/// # Errors
/// [`ClientError`] when signed out or the worker cannot be reached.
pub async fn list() -> Result<VehicleList, ClientError> {
    get(&path(&["vehicles"])).await
}

/// `POST /api/vehicles`: adds a car (and, in a `mandatory` tenant, certifies it).
///
/// # Errors
/// [`ClientError`] when the plate or the evidence is refused.
pub async fn add(body: &AddVehicleRequest) -> Result<AddVehicleResponse, ClientError> {
    post(&path(&["vehicles"]), body).await
}

/// `DELETE /api/vehicles/{plate}`: 移除车辆.
///
/// # Errors
/// [`ClientError`] when the worker refuses or cannot be reached.
pub async fn remove(plate: &Plate) -> Result<(), ClientError> {
    delete(&path(&["vehicles", plate.as_str()])).await
}

/// `PUT /api/vehicles/{plate}/default`: 设为默认车辆.
///
/// # Errors
/// [`ClientError`] when the worker refuses or cannot be reached.
pub async fn set_default(plate: &Plate) -> Result<(), ClientError> {
    put_empty(&path(&["vehicles", plate.as_str(), "default"])).await
}

/// `POST /api/vehicles/{plate}/certification`: 认证 with the owner's name and photos.
///
/// # Errors
/// [`ClientError`] when the claim is refused in the car's state.
pub async fn certify(plate: &Plate, body: &CertificationRequest) -> Result<(), ClientError> {
    post_unit(&path(&["vehicles", plate.as_str(), "certification"]), body).await
}

/// `POST /api/vehicles/{plate}/appeal`: 申诉 with a reason and photos.
///
/// # Errors
/// [`ClientError`] when the claim is refused in the car's state.
pub async fn appeal(plate: &Plate, body: &AppealRequest) -> Result<(), ClientError> {
    post_unit(&path(&["vehicles", plate.as_str(), "appeal"]), body).await
}

/// `POST /api/vehicles/{plate}/cancel-request`: withdraws the user's pending request.
///
/// # Errors
/// [`ClientError`] when nothing is pending or the worker cannot be reached.
pub async fn cancel_request(plate: &Plate) -> Result<(), ClientError> {
    post_empty(&path(&["vehicles", plate.as_str(), "cancel-request"])).await
}

/// `PUT /api/vehicles/{plate}/details` (维护车辆信息).
///
/// # Errors
/// [`ClientError`] when a text is too long, the car has another owner, or the worker cannot be
/// reached.
pub async fn set_details(plate: &Plate, body: &VehicleDetails) -> Result<(), ClientError> {
    put(&path(&["vehicles", plate.as_str(), "details"]), body).await
}

/// `PUT /api/vehicles/{plate}/privacy` (owner only).
///
/// # Errors
/// [`ClientError`] when the user is not the owner or the worker cannot be reached.
pub async fn set_privacy(plate: &Plate, body: &PrivacyRequest) -> Result<(), ClientError> {
    put(&path(&["vehicles", plate.as_str(), "privacy"]), body).await
}

/// `PUT /api/vehicles/{plate}/autopay` (owner only).
///
/// # Errors
/// [`ClientError`] when the user is not the owner or the worker cannot be reached.
pub async fn set_autopay(plate: &Plate, body: &AutopayRequest) -> Result<(), ClientError> {
    put(&path(&["vehicles", plate.as_str(), "autopay"]), body).await
}

/// `GET /api/vehicles/{plate}/authorizations` (owner only): requests and authorized users.
///
/// # Errors
/// [`ClientError`] when the user is not the owner or the worker cannot be reached.
pub async fn authorizations(plate: &Plate) -> Result<AuthorizationList, ClientError> {
    get(&path(&["vehicles", plate.as_str(), "authorizations"])).await
}

/// The owner's answer about another user of the car.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// 同意 a request.
    Approve,
    /// 拒绝 a request.
    Deny,
    /// 取消授权 of an authorized user.
    Revoke,
}

impl Decision {
    const fn segment(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Deny => "deny",
            Self::Revoke => "revoke",
        }
    }
}

/// `POST /api/vehicles/{plate}/authorizations/{user}/{approve|deny|revoke}` (owner only).
///
/// # Errors
/// [`ClientError`] when the request is gone or the worker cannot be reached.
pub async fn decide(plate: &Plate, user: &UserId, decision: Decision) -> Result<(), ClientError> {
    let segments = [
        "vehicles",
        plate.as_str(),
        "authorizations",
        user.as_str(),
        decision.segment(),
    ];
    post_empty(&path(&segments)).await
}

/// `POST /api/notices/{id}/ack`: answers a dialog (我知道了), so it shows no more.
///
/// # Errors
/// [`ClientError`] when the worker refuses or cannot be reached.
pub async fn ack_notice(notice: &NoticeId) -> Result<(), ClientError> {
    post_empty(&path(&["notices", &notice.to_string(), "ack"])).await
}

/// `GET /api/vehicles/{plate}/wechat-parking`: 微信支付分停车's state for the owner's car.
///
/// # Errors
/// [`ClientError`] when not the owner, or WeChat Pay cannot be asked.
pub async fn wechat_parking(plate: &Plate) -> Result<WechatParkingStatus, ClientError> {
    get(&path(&["vehicles", plate.as_str(), "wechat-parking"])).await
}
