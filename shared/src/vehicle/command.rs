//! What users and operators ask of a vehicle, and the checks of its free texts and photos that
//! need no state.

use serde::{Deserialize, Serialize};

use crate::ids::{NoticeId, RequestId, ReviewId, UploadId, UserId};
use crate::payment::AutopaySettings;
use crate::privacy::PrivacySettings;
use crate::vehicle::details::VehicleDetails;
use crate::vehicle::refusal::CommandError;

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

/// A free text of a command, named in the refusals about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextField {
    /// 车主姓名 of a certification.
    OwnerName,
    /// 申诉理由 of an appeal.
    AppealReason,
    /// 驳回原因 of an operator's rejection.
    RejectionReason,
    /// 撤销原因 of an operator's revocation.
    RevocationReason,
}

impl TextField {
    /// The text's name, as the refusal shows it.
    pub const fn label(self) -> &'static str {
        match self {
            Self::OwnerName => "车主姓名",
            Self::AppealReason => "申诉理由",
            Self::RejectionReason => "驳回原因",
            Self::RevocationReason => "撤销原因",
        }
    }

    /// The most characters the text may have.
    pub const fn max_chars(self) -> usize {
        match self {
            Self::OwnerName => MAX_NAME_CHARS,
            Self::AppealReason | Self::RejectionReason | Self::RevocationReason => MAX_REASON_CHARS,
        }
    }

    /// Refuses `text` if it is blank or too long (surrounding spaces do not count).
    pub(crate) fn check(self, text: &str) -> Result<(), CommandError> {
        let n = text.trim().chars().count();
        if n == 0 {
            Err(CommandError::TextEmpty { what: self })
        } else if n > self.max_chars() {
            Err(CommandError::TextTooLong {
                what: self,
                max: self.max_chars(),
            })
        } else {
            Ok(())
        }
    }
}

/// Refuses no photo or more than [`MAX_EVIDENCE`].
fn check_evidence(evidence: &[UploadId]) -> Result<(), CommandError> {
    if evidence.is_empty() || evidence.len() > MAX_EVIDENCE {
        Err(CommandError::EvidenceCount { max: MAX_EVIDENCE })
    } else {
        Ok(())
    }
}

impl Certification {
    /// Refuses a blank or over-long name, or a wrong number of photos (the add and 认证 pages
    /// enable their button by it).
    ///
    /// # Errors
    /// The [`CommandError`] the machine would answer.
    pub fn check(&self) -> Result<(), CommandError> {
        TextField::OwnerName.check(&self.owner_name)?;
        check_evidence(&self.evidence)
    }
}

impl AppealClaim {
    /// Refuses a blank or over-long reason, or a wrong number of photos.
    ///
    /// # Errors
    /// The [`CommandError`] the machine would answer.
    pub fn check(&self) -> Result<(), CommandError> {
        TextField::AppealReason.check(&self.reason)?;
        check_evidence(&self.evidence)
    }
}

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
    /// 维护车辆信息: the owner, or while nobody owns the car anyone with a live relation.
    SetDetails(VehicleDetails),
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
            | Self::SetAutopay(_)
            | Self::SetDetails(_) => false,
        }
    }
}
