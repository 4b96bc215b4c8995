//! What happened to a vehicle: the facts [`crate::vehicle::apply`] folds into the state and the
//! operators read as the history.

use serde::{Deserialize, Serialize};

use crate::ids::{NoticeId, RequestId, ReviewId, UserId};
use crate::payment::AutopaySettings;
use crate::privacy::PrivacySettings;
use crate::timestamp::Timestamp;
use crate::vehicle::command::Actor;
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
            Self::Refused { .. } => "操作被拒绝",
        }
    }
}
