//! What happened to a vehicle: the facts [`crate::vehicle::apply`] folds into the state and the
//! operators read as the history.

use serde::{Deserialize, Serialize};

use crate::ids::{NoticeId, RequestId, ReviewId, UserId};
use crate::payment::AutopaySettings;
use crate::privacy::PrivacySettings;
use crate::timestamp::Timestamp;
use crate::vehicle::command::{Actor, TextField};
use crate::vehicle::details::VehicleDetails;
use crate::vehicle::refusal::CommandError;
use crate::vehicle::state::{AppealReview, CertificationReview, EndedKind};

/// One fact about a vehicle: its number, the request that caused it, who, when and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the vehicle's sequence (1, 2, …); applying an event twice is a no-op.
    pub seq: u64,
    /// The request that caused it (several events may share one).
    pub request_id: RequestId,
    /// Who sent the request.
    pub actor: Actor,
    /// When (the time the edge passed in).
    pub at: Timestamp,
    /// What changed.
    pub change: Change,
}

/// What changed; `user` is always the user whose relation changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Change {
    /// The user added the car (no owner).
    Added {
        /// Who.
        user: UserId,
    },
    /// The user asked the owner for permission.
    AuthorizationRequested {
        /// Who.
        user: UserId,
    },
    /// The user submitted a certification.
    CertificationSubmitted {
        /// Who.
        user: UserId,
        /// The review created.
        review: CertificationReview,
    },
    /// An operator approved a certification: the user is the owner.
    CertificationApproved {
        /// The new owner.
        user: UserId,
        /// The review decided.
        review: ReviewId,
    },
    /// An operator rejected a certification: back to added, with the reason.
    CertificationRejected {
        /// Who.
        user: UserId,
        /// The review decided.
        review: ReviewId,
        /// Shown on the card.
        reason: String,
    },
    /// The user submitted an appeal.
    AppealSubmitted {
        /// Who.
        user: UserId,
        /// The review created.
        review: AppealReview,
    },
    /// An operator approved an appeal: the user is the owner, 申诉成功 pending.
    AppealApproved {
        /// The new owner.
        user: UserId,
        /// The review decided.
        review: ReviewId,
        /// The 申诉成功 dialog.
        notice: NoticeId,
    },
    /// An operator rejected an appeal: 申诉失败.
    AppealRejected {
        /// Who.
        user: UserId,
        /// The review decided.
        review: ReviewId,
        /// Why (history only: the dialog text is fixed).
        reason: String,
        /// The 申诉失败 dialog.
        notice: NoticeId,
    },
    /// An operator revoked the owner's certification.
    CertificationRevoked {
        /// The former owner.
        user: UserId,
        /// Why (history only).
        reason: String,
        /// The dialog shown to the former owner.
        notice: NoticeId,
    },
    /// The owner allowed a waiting user.
    RequestApproved {
        /// The user allowed.
        user: UserId,
    },
    /// The owner refused a waiting user.
    RequestDenied {
        /// The user refused.
        user: UserId,
        /// The dialog shown to them.
        notice: NoticeId,
    },
    /// The owner withdrew a user's authorization.
    AuthorizationRevoked {
        /// The user.
        user: UserId,
        /// The dialog shown to them.
        notice: NoticeId,
    },
    /// Someone else's command ended this user's relation (the "effect on others" column).
    NoticeIssued {
        /// The user whose relation ended.
        user: UserId,
        /// The dialog.
        notice: NoticeId,
        /// Why.
        kind: EndedKind,
    },
    /// The user withdrew the request (取消添加).
    RequestCancelled {
        /// Who.
        user: UserId,
    },
    /// The user removed the car from the list.
    Removed {
        /// Who.
        user: UserId,
    },
    /// The user answered a dialog.
    Acknowledged {
        /// Who.
        user: UserId,
        /// The dialog.
        notice: NoticeId,
    },
    /// The owner changed 隐私设置.
    PrivacySet {
        /// The new settings.
        privacy: PrivacySettings,
    },
    /// The owner changed 无感支付.
    AutopaySet {
        /// The new settings.
        autopay: AutopaySettings,
    },
    /// 车辆信息 changed (tidied: see [`VehicleDetails::tidy`]).
    DetailsSet {
        /// The details as they are now.
        details: VehicleDetails,
    },
    /// The request was refused; remembered so a retry gets the same answer.
    Refused {
        /// The refusal.
        error: CommandError,
    },
}

impl Change {
    /// What happened, in the words of 工作台's history list.
    pub const fn label(&self) -> &'static str {
        match self {
            Self::Added { .. } => "添加车辆",
            Self::AuthorizationRequested { .. } => "申请车主授权",
            Self::CertificationSubmitted { .. } => "提交认证",
            Self::CertificationApproved { .. } => "认证通过",
            Self::CertificationRejected { .. } => "认证驳回",
            Self::AppealSubmitted { .. } => "提交申诉",
            Self::AppealApproved { .. } => "申诉通过",
            Self::AppealRejected { .. } => "申诉驳回",
            Self::CertificationRevoked { .. } => "取消认证",
            Self::RequestApproved { .. } => "车主同意授权",
            Self::RequestDenied { .. } => "车主拒绝授权",
            Self::AuthorizationRevoked { .. } => "取消授权",
            Self::NoticeIssued { .. } => "发出提醒",
            Self::RequestCancelled { .. } => "取消添加",
            Self::Removed { .. } => "移除车辆",
            Self::Acknowledged { .. } => "确认提醒",
            Self::PrivacySet { .. } => "修改隐私设置",
            Self::AutopaySet { .. } => "修改无感支付",
            Self::DetailsSet { .. } => "修改车辆信息",
            Self::Refused { .. } => "操作被拒绝",
        }
    }
}

impl Change {
    /// The user whose relation the change is about (the owner's settings and 车辆信息 have
    /// none: they are the car's).
    pub const fn subject(&self) -> Option<&UserId> {
        match self {
            Self::Added { user }
            | Self::AuthorizationRequested { user }
            | Self::CertificationSubmitted { user, .. }
            | Self::CertificationApproved { user, .. }
            | Self::CertificationRejected { user, .. }
            | Self::AppealSubmitted { user, .. }
            | Self::AppealApproved { user, .. }
            | Self::AppealRejected { user, .. }
            | Self::CertificationRevoked { user, .. }
            | Self::RequestApproved { user }
            | Self::RequestDenied { user, .. }
            | Self::AuthorizationRevoked { user, .. }
            | Self::NoticeIssued { user, .. }
            | Self::RequestCancelled { user }
            | Self::Removed { user }
            | Self::Acknowledged { user, .. } => Some(user),
            Self::PrivacySet { .. }
            | Self::AutopaySet { .. }
            | Self::DetailsSet { .. }
            | Self::Refused { .. } => None,
        }
    }

    /// What 工作台's history shows under the label, as (name, value) pairs: the owner's name
    /// of a certification, the reason of an appeal or a decision, why a request was refused,
    /// and the settings chosen.
    pub fn notes(&self) -> Vec<(&'static str, String)> {
        let on_off = |on: bool| if on { "开启" } else { "关闭" }.to_owned();
        match self {
            Self::CertificationSubmitted { review, .. } => {
                vec![(TextField::OwnerName.label(), review.owner_name.clone())]
            }
            Self::AppealSubmitted { review, .. } => {
                vec![(TextField::AppealReason.label(), review.reason.clone())]
            }
            Self::CertificationRejected { reason, .. }
            | Self::AppealRejected { reason, .. }
            | Self::CertificationRevoked { reason, .. } => vec![("原因", reason.clone())],
            Self::NoticeIssued { kind, .. } => vec![("提醒", kind.label().to_owned())],
            Self::PrivacySet { privacy } => vec![
                ("隐私保护", on_off(privacy.protect)),
                ("接收车辆通知", on_off(privacy.notify)),
            ],
            Self::AutopaySet { autopay } => vec![("无感支付", on_off(autopay.enabled))],
            Self::DetailsSet { details } => {
                let parts: Vec<String> = [
                    details.plate_color.map(|c| c.label().to_owned()),
                    details.summary(),
                    details.nickname.as_ref().map(|n| format!("「{n}」")),
                ]
                .into_iter()
                .flatten()
                .collect();
                let text = if parts.is_empty() {
                    "已清空".to_owned()
                } else {
                    parts.join(" · ")
                };
                vec![("车辆信息", text)]
            }
            Self::Refused { error } => vec![("拒绝原因", error.message().into_owned())],
            Self::Added { .. }
            | Self::AuthorizationRequested { .. }
            | Self::CertificationApproved { .. }
            | Self::AppealApproved { .. }
            | Self::RequestApproved { .. }
            | Self::RequestDenied { .. }
            | Self::AuthorizationRevoked { .. }
            | Self::RequestCancelled { .. }
            | Self::Removed { .. }
            | Self::Acknowledged { .. } => Vec::new(),
        }
    }
}
