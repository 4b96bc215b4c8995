//! What users and operators ask of a vehicle, and why it can be refused.

use serde::{Deserialize, Serialize};

use crate::api::ErrorCode;
use crate::ids::{NoticeId, RequestId, ReviewId, UploadId, UserId};
use crate::payment::AutopaySettings;
use crate::privacy::PrivacySettings;

/// Who sends a command: the edge decides from the route (`/api/ops/*` → operator).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// A driver using 我的车辆.
    User(UserId),
    /// A platform operator (平台运营人员) using 工作台.
    Operator(UserId),
}

impl Actor {
    /// The account behind the actor.
    pub fn account(&self) -> &UserId {
        match self {
            Self::User(id) | Self::Operator(id) => id,
        }
    }
}

/// One request to the vehicle: its id (for retries) and what is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    /// Client-chosen id; a retry with the same id returns the first outcome and changes nothing.
    pub request_id: RequestId,
    /// What is asked.
    pub kind: CommandKind,
}

/// Ownership evidence for 认证: the owner's name and photos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    /// The owner's name as on the vehicle licence.
    pub owner_name: String,
    /// Uploaded photos (行驶证 and the like), 1 to [`MAX_EVIDENCE`].
    pub evidence: Vec<UploadId>,
}

/// An ownership claim for 申诉: why, and photos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealClaim {
    /// Why the car is the user's.
    pub reason: String,
    /// Uploaded photos, 1 to [`MAX_EVIDENCE`].
    pub evidence: Vec<UploadId>,
}

/// Most evidence photos one certification or appeal may carry.
pub const MAX_EVIDENCE: usize = 9;
/// Longest owner name, in characters.
pub const MAX_NAME_CHARS: usize = 50;
/// Longest reason (appeal, rejection, revocation), in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// Every command of SPEC §3 (users' first, then the owner's, then operators').
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    /// 添加车辆; in a `mandatory` tenant with the certification evidence.
    Add {
        /// Evidence to certify right away (required by `mandatory`, refused by `open`).
        certification: Option<Certification>,
    },
    /// 去认证: submit ownership evidence for review.
    SubmitCertification(Certification),
    /// 我要申诉: claim the car with evidence.
    Appeal(AppealClaim),
    /// 取消添加: withdraw a request waiting for the owner.
    CancelRequest,
    /// Remove the car from my list.
    Remove,
    /// 我知道了 / 确定 on a dialog.
    Acknowledge {
        /// The dialog answered.
        notice: NoticeId,
    },
    /// The owner allows a waiting user.
    ApproveRequest {
        /// The waiting user.
        user: UserId,
    },
    /// The owner refuses a waiting user.
    DenyRequest {
        /// The waiting user.
        user: UserId,
    },
    /// The owner withdraws a user's authorization.
    RevokeAuthorization {
        /// The authorized user.
        user: UserId,
    },
    /// The owner sets 隐私设置.
    SetPrivacy(PrivacySettings),
    /// The owner sets 无感支付.
    SetAutopay(AutopaySettings),
    /// An operator approves a certification or an appeal.
    ApproveReview {
        /// The review.
        review: ReviewId,
    },
    /// An operator rejects a certification or an appeal, with a reason.
    RejectReview {
        /// The review.
        review: ReviewId,
        /// Why; a rejected certification shows it on the card.
        reason: String,
    },
    /// An operator revokes the owner's certification, with a reason.
    RevokeCertification {
        /// Why (kept in the history).
        reason: String,
    },
}

impl CommandKind {
    /// Whether only an operator may send it.
    pub const fn is_operator_command(&self) -> bool {
        match self {
            Self::ApproveReview { .. }
            | Self::RejectReview { .. }
            | Self::RevokeCertification { .. } => true,
            Self::Add { .. }
            | Self::SubmitCertification(_)
            | Self::Appeal(_)
            | Self::CancelRequest
            | Self::Remove
            | Self::Acknowledge { .. }
            | Self::ApproveRequest { .. }
            | Self::DenyRequest { .. }
            | Self::RevokeAuthorization { .. }
            | Self::SetPrivacy(_)
            | Self::SetAutopay(_) => false,
        }
    }
}

/// Why a command was refused; the message is shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum CommandError {
    /// The actor may not do this at all (not the owner, not an operator, tenant policy).
    #[error("{0}")]
    Forbidden(String),
    /// Not allowed in the vehicle's current state (e.g. approving a review already decided).
    #[error("{0}")]
    Conflict(String),
    /// The review does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The command itself is malformed (empty evidence, over-long reason…).
    #[error("{0}")]
    Invalid(String),
}

impl CommandError {
    /// The API error code (and so the HTTP status) for this refusal.
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Invalid(_) => ErrorCode::InvalidRequest,
        }
    }

    /// The Chinese message for the user.
    pub fn message(&self) -> &str {
        match self {
            Self::Forbidden(m) | Self::Conflict(m) | Self::NotFound(m) | Self::Invalid(m) => m,
        }
    }
}
