//! A user's vehicles: `/api/vehicles/*`, `/api/notices/*`, `/api/uploads`.

use serde::{Deserialize, Serialize};

use super::ErrorCode;
use crate::ids::{NoticeId, UploadId, UserId};
use crate::notice::{notice_dialog, DialogAction};
use crate::payment::{AutopaySettings, PaymentSource};
use crate::plate::{Plate, VehicleType};
use crate::privacy::PrivacySettings;
use crate::timestamp::Timestamp;
use crate::vehicle::{
    self, NoticeKind, PlateColor, Relation, Vehicle, VehicleDetails, VehicleState,
};

/// `GET /api/vehicles`: the cards of 我的车辆 and the dialogs waiting to be answered.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VehicleList {
    /// The car cards.
    pub vehicles: Vec<VehicleItem>,
    /// The dialogs shown on entering 我的车辆, until answered.
    pub notices: Vec<NoticeItem>,
}

/// One car card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleItem {
    /// The plate.
    pub plate: Plate,
    /// The badge state.
    pub state: VehicleState,
    /// 默认: the user's default car.
    pub is_default: bool,
    /// 小汽车 or 能源车.
    pub vehicle_type: VehicleType,
    /// Whether the plate follows the plate rules.
    pub standard: bool,
    /// Why the last certification was rejected, shown on the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    /// The owner's 隐私设置 (owner only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy: Option<PrivacySettings>,
    /// The owner's 无感支付 (owner only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autopay: Option<AutopaySettings>,
    /// 授权申请 N: requests waiting for the owner's answer (owner only; 0 for anyone else).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pending_requests: u32,
    /// 车辆信息 (SPEC §11), as kept for the plate.
    #[serde(default, skip_serializing_if = "VehicleDetails::is_empty")]
    pub details: VehicleDetails,
    /// 号牌颜色: the details' if corrected, else the plate class's.
    pub plate_color: PlateColor,
    /// Whether this user may change 车辆信息 (the owner; anyone with a relation while nobody
    /// owns the car).
    #[serde(default)]
    pub can_edit_details: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl VehicleItem {
    /// `user`'s card for `vehicle`; `None` if the user has no card (no relation, or only a dialog).
    pub fn for_user(vehicle: &Vehicle, user: &UserId, is_default: bool) -> Option<Self> {
        let state = vehicle.state_of(user)?.card()?;
        let rejection_reason = match vehicle.relation(user) {
            Some(Relation::Added { rejection_reason }) => rejection_reason.clone(),
            Some(
                Relation::Certifying(_)
                | Relation::AwaitingAuthorization { .. }
                | Relation::Authorized { .. }
                | Relation::Appealing(_)
                | Relation::Notice(_),
            )
            | None => None,
        };
        let owner = vehicle.owner().filter(|o| &o.user == user);
        let plate = vehicle.plate();
        Some(Self {
            plate: plate.clone(),
            state,
            is_default,
            vehicle_type: plate.vehicle_type(),
            standard: plate.is_standard(),
            rejection_reason,
            privacy: owner.map(|o| o.privacy),
            autopay: owner.map(|o| o.autopay.clone()),
            pending_requests: owner.map_or(0, |_| {
                u32::try_from(vehicle.pending_requests()).unwrap_or(u32::MAX)
            }),
            details: vehicle.details().clone(),
            plate_color: vehicle.details().plate_color_of(plate),
            can_edit_details: vehicle.may_edit_details(user),
        })
    }
}

/// What a notice's buttons do, as the API names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeAction {
    /// 我要申诉.
    Appeal,
    /// 我知道了 / 确定.
    Ack,
}

/// One pending dialog (SPEC §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeItem {
    /// Acknowledge with `POST /api/notices/{id}/ack`.
    pub id: NoticeId,
    /// The plate.
    pub plate: Plate,
    /// Which dialog.
    pub kind: NoticeKind,
    /// The title.
    pub title: String,
    /// The text (SPEC §4).
    pub text: String,
    /// The buttons' actions, left to right.
    pub actions: Vec<NoticeAction>,
    /// The operator's reason, shown as 「原因：…」 under the text (申诉失败).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl NoticeItem {
    /// The dialog waiting for `user` on `vehicle`, if any.
    pub fn for_user(vehicle: &Vehicle, user: &UserId) -> Option<Self> {
        let (id, kind) = vehicle.notice_for(user)?;
        let dialog = notice_dialog(kind, vehicle.plate());
        let actions = dialog
            .buttons
            .iter()
            .filter_map(|b| match b.action {
                DialogAction::Appeal => Some(NoticeAction::Appeal),
                DialogAction::Ack => Some(NoticeAction::Ack),
                DialogAction::ContactSupport
                | DialogAction::CancelRequest
                | DialogAction::Dial
                | DialogAction::Cancel => None,
            })
            .collect();
        Some(Self {
            id,
            plate: vehicle.plate().clone(),
            kind,
            title: dialog.title,
            text: dialog.text,
            actions,
            reason: vehicle.notice_reason(user).map(str::to_owned),
        })
    }
}

/// Evidence for 认证, as sent by the SPA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificationRequest {
    /// The owner's name as on the vehicle licence.
    pub owner_name: String,
    /// Upload ids of the photos.
    pub evidence: Vec<UploadId>,
}

impl From<CertificationRequest> for vehicle::Certification {
    fn from(r: CertificationRequest) -> Self {
        Self {
            owner_name: r.owner_name,
            evidence: r.evidence,
        }
    }
}

/// `POST /api/vehicles`: add a car.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddVehicleRequest {
    /// The plate as typed.
    pub plate: String,
    /// The user confirmed a non-standard plate.
    #[serde(default)]
    pub confirm_nonstandard: bool,
    /// Evidence to certify at once (required in a `mandatory` tenant).
    #[serde(default)]
    pub certification: Option<CertificationRequest>,
}

/// 201 to [`AddVehicleRequest`]: the plate and the card's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddVehicleResponse {
    /// The normalised plate.
    pub plate: Plate,
    /// Added, certifying or awaiting authorization.
    pub state: VehicleState,
}

/// 201 to `POST /api/uploads`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadResponse {
    /// The upload's id, to cite as evidence.
    pub id: UploadId,
}

/// `POST /api/vehicles/{plate}/appeal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    /// Why the car is the user's.
    pub reason: String,
    /// Upload ids of the photos.
    pub evidence: Vec<UploadId>,
}

impl From<AppealRequest> for vehicle::AppealClaim {
    fn from(r: AppealRequest) -> Self {
        Self {
            reason: r.reason,
            evidence: r.evidence,
        }
    }
}

/// `PUT /api/vehicles/{plate}/privacy` (owner only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyRequest {
    /// 隐私保护.
    pub protect: bool,
    /// 接收车辆通知.
    pub notify: bool,
}

impl From<PrivacyRequest> for PrivacySettings {
    fn from(r: PrivacyRequest) -> Self {
        Self {
            protect: r.protect,
            notify: r.notify,
        }
    }
}

/// `PUT /api/vehicles/{plate}/autopay` (owner only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutopayRequest {
    /// 无感支付 on or off.
    pub enabled: bool,
    /// Deduction order.
    pub sources: Vec<PaymentSource>,
    /// 单笔自动扣费上限 in fen; omitted: the default (¥200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_fen: Option<u64>,
}

impl From<AutopayRequest> for AutopaySettings {
    fn from(r: AutopayRequest) -> Self {
        Self {
            enabled: r.enabled,
            sources: r.sources,
            limit_fen: r
                .limit_fen
                .unwrap_or(crate::payment::DEFAULT_AUTOPAY_LIMIT.get()),
        }
    }
}

/// `GET /api/vehicles/{plate}/authorizations` (owner only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuthorizationList {
    /// Users waiting for the owner's answer.
    pub requests: Vec<AuthorizationItem>,
    /// Users the owner allowed.
    pub authorized: Vec<AuthorizationItem>,
}

/// A user asking for, or holding, the owner's permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationItem {
    /// The user.
    pub user_id: UserId,
    /// Their phone, masked.
    pub phone_masked: String,
    /// Since when.
    pub since: Timestamp,
}

/// Only the owner reads or answers a plate's authorization requests (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("仅认证车主可以管理授权")]
pub struct OwnerOnly;

impl OwnerOnly {
    /// `forbidden`.
    pub const fn code(self) -> ErrorCode {
        ErrorCode::Forbidden
    }
}

/// The vehicle whose authorizations `viewer` asks for, if they may read them: its owner only.
///
/// # Errors
/// [`OwnerOnly`] for anyone else, and for a plate nobody added.
pub fn authorizations_for(vehicle: Option<Vehicle>, viewer: &UserId) -> Result<Vehicle, OwnerOnly> {
    vehicle.filter(|v| v.is_owner(viewer)).ok_or(OwnerOnly)
}

impl AuthorizationList {
    /// The lists of `vehicle`; `phone_masked` looks up a user's masked phone.
    pub fn from_vehicle(vehicle: &Vehicle, phone_masked: impl Fn(&UserId) -> String) -> Self {
        let mut list = Self::default();
        for (user, relation) in vehicle.relations() {
            let item = |since: &Timestamp| AuthorizationItem {
                user_id: user.clone(),
                phone_masked: phone_masked(user),
                since: *since,
            };
            match relation {
                Relation::AwaitingAuthorization { since } => list.requests.push(item(since)),
                Relation::Authorized { since } => list.authorized.push(item(since)),
                Relation::Added { .. }
                | Relation::Certifying(_)
                | Relation::Appealing(_)
                | Relation::Notice(_) => {}
            }
        }
        list.requests.sort_by_key(|i| i.since);
        list.authorized.sort_by_key(|i| i.since);
        list
    }
}

/// `GET /api/vehicles/{plate}/wechat-parking` (owner only): where 微信支付分停车 stands for this
/// plate, shown on 无感支付 with a way to turn it on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WechatParkingStatus {
    /// The service's state for the owner and the plate.
    pub state: WechatParkingState,
    /// The plate colour WeChat Pay is asked about.
    pub plate_color: crate::providers::wechat_pay::PlateColor,
    /// The mini-program page that turns it on (开通), when it is not on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<MiniProgramLink>,
}

/// Where 微信支付分停车 stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WechatParkingState {
    /// 正常.
    Normal,
    /// 暂停.
    Pause,
    /// 未开通.
    OutService,
    /// The owner did not sign in through WeChat: WeChat Pay cannot know them.
    NoWechat,
    /// This deployment has no WeChat Pay.
    Off,
}

impl From<crate::providers::wechat_pay::ServiceState> for WechatParkingState {
    fn from(state: crate::providers::wechat_pay::ServiceState) -> Self {
        use crate::providers::wechat_pay::ServiceState;
        match state {
            ServiceState::Normal => Self::Normal,
            ServiceState::Pause => Self::Pause,
            ServiceState::OutService => Self::OutService,
        }
    }
}

impl WechatParkingState {
    /// Whether the owner is offered 开通 (WeChat's page turns a paused or closed service on).
    pub const fn offers_enable(self) -> bool {
        matches!(self, Self::Pause | Self::OutService)
    }

    /// What the owner reads.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Normal => "已开通",
            Self::Pause => "已暂停",
            Self::OutService => "未开通",
            Self::NoWechat => "请在微信中打开并使用微信登录后开通",
            Self::Off => "暂未开通微信支付",
        }
    }
}

/// A mini-program page to open from the 公众号 page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MiniProgramLink {
    /// The mini-program.
    pub app_id: String,
    /// The page path with its query.
    pub path: String,
}
