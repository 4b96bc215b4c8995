//! Why a vehicle command is refused: one variant per refusal a user can meet, with its API code
//! and its Chinese text. This is the one place those texts live.
//!
//! Refusals are stored inside events (`Change::Refused`), so their serde shape is a stored
//! format: refusals written before they had types (`{"conflict": "…"}`) still load, as
//! [`CommandError::Legacy`], with the code and text they were answered with.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::api::ErrorCode;
use crate::vehicle::command::TextField;
use crate::vehicle::details::DetailField;

/// Why a command was refused; [`CommandError::message`] is shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandError {
    /// The tenant does not offer 我的车辆 at all (policy `hidden`).
    VehiclesHidden,
    /// The tenant does not certify vehicles (policy `open`): no 认证, no 申诉.
    CertificationNotOffered,
    /// An operator account sent a driver's command.
    UsersOnly,
    /// A driver sent a command only operators may send.
    OperatorsOnly,
    /// Only the car's certified owner may do this.
    NotOwner,
    /// An operator tried to decide a certification or appeal they submitted themselves.
    OwnCase,
    /// The tenant (policy `mandatory`) wants the certification evidence with 添加车辆.
    CertificationRequired,
    /// A required text (a name, a reason) is blank.
    TextEmpty {
        /// Which text.
        what: TextField,
    },
    /// A text is longer than allowed.
    TextTooLong {
        /// Which text.
        what: TextField,
        /// The most characters it may have.
        max: usize,
    },
    /// A text of 车辆信息 is longer than allowed.
    DetailTooLong {
        /// Which text.
        what: DetailField,
        /// The most characters it may have.
        max: usize,
    },
    /// The car has an owner, and only they keep its details.
    DetailsOwnerOnly,
    /// No evidence photo, or more than allowed.
    EvidenceCount {
        /// The most photos allowed.
        max: usize,
    },
    /// 无感支付's payment sources are empty or name one twice.
    AutopaySourcesInvalid,
    /// A 单笔自动扣费上限 of nothing or above the highest allowed.
    AutopayLimitInvalid,
    /// The car is already in the user's list (or the user owns it).
    AlreadyAdded,
    /// The car's dialog must be answered first (我知道了 / 我要申诉).
    AnswerNoticeFirst,
    /// The car is not in the user's list.
    NotAdded,
    /// The user already owns the car.
    AlreadyCertified,
    /// The user's certification is waiting for review.
    CertificationPending,
    /// The user's appeal is waiting for review.
    AppealPending,
    /// Someone else owns the car: to claim it, 申诉.
    AppealInstead,
    /// Nobody owns the car: to claim it, 认证 (not 申诉).
    CertifyInstead,
    /// An authorized user cannot appeal; removing the car first makes it a claim.
    AuthorizedCannotAppeal,
    /// This dialog (申诉失败, 授权取消, 车主拒绝授权) offers no appeal.
    NoticeNotAppealable,
    /// 取消添加 without a request waiting for the owner.
    NoRequestToCancel,
    /// The owner answered a user who has no request waiting.
    NoRequestFromUser,
    /// The owner revoked a user who is not authorized.
    UserNotAuthorized,
    /// An operator decided a review already decided.
    ReviewDecided,
    /// An operator revoked the certification of a car nobody owns.
    NoOwner,
    /// An operator approved a certification of a car someone already owns.
    AlreadyOwned,
    /// The dialog answered is not waiting for this user. Answered, someone else's, or never
    /// existed: to the caller it is all the same (no leak).
    NoPendingNotice,
    /// The review does not exist (or is another plate's).
    NoSuchReview,
    /// A refusal stored before refusals had types, with its code and text as they were.
    #[serde(untagged)]
    Legacy(LegacyRefusal),
}

/// A refusal in its stored shape from before [`CommandError`] had a variant per refusal:
/// `{"conflict": "该车辆已在您的车辆列表中"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegacyRefusal {
    /// Not allowed for this actor or tenant (403).
    Forbidden(String),
    /// Not allowed in the vehicle's state (409).
    Conflict(String),
    /// Nothing to act on (404).
    NotFound(String),
    /// A malformed command (400).
    Invalid(String),
}

impl CommandError {
    /// The API error code (and so the HTTP status) for this refusal.
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::VehiclesHidden
            | Self::CertificationNotOffered
            | Self::UsersOnly
            | Self::OperatorsOnly
            | Self::NotOwner
            | Self::DetailsOwnerOnly
            | Self::OwnCase
            | Self::Legacy(LegacyRefusal::Forbidden(_)) => ErrorCode::Forbidden,
            Self::CertificationRequired
            | Self::TextEmpty { .. }
            | Self::TextTooLong { .. }
            | Self::DetailTooLong { .. }
            | Self::EvidenceCount { .. }
            | Self::AutopaySourcesInvalid
            | Self::AutopayLimitInvalid
            | Self::Legacy(LegacyRefusal::Invalid(_)) => ErrorCode::InvalidRequest,
            Self::AlreadyAdded
            | Self::AnswerNoticeFirst
            | Self::NotAdded
            | Self::AlreadyCertified
            | Self::CertificationPending
            | Self::AppealPending
            | Self::AppealInstead
            | Self::CertifyInstead
            | Self::AuthorizedCannotAppeal
            | Self::NoticeNotAppealable
            | Self::NoRequestToCancel
            | Self::NoRequestFromUser
            | Self::UserNotAuthorized
            | Self::ReviewDecided
            | Self::NoOwner
            | Self::AlreadyOwned
            | Self::Legacy(LegacyRefusal::Conflict(_)) => ErrorCode::Conflict,
            Self::NoPendingNotice
            | Self::NoSuchReview
            | Self::Legacy(LegacyRefusal::NotFound(_)) => ErrorCode::NotFound,
        }
    }

    /// The Chinese message for the user: what is wrong and, where it helps, what to do instead.
    pub fn message(&self) -> Cow<'_, str> {
        match self {
            Self::VehiclesHidden => crate::tenant::HIDDEN_TEXT.into(),
            Self::CertificationNotOffered => crate::tenant::NO_CERTIFICATION_TEXT.into(),
            Self::UsersOnly => "请使用车主账号操作我的车辆".into(),
            Self::OperatorsOnly => "仅平台运营人员可操作".into(),
            Self::NotOwner => "仅认证车主可操作".into(),
            Self::OwnCase => "不能审核本人提交的认证或申诉，请由其他运营人员处理".into(),
            Self::CertificationRequired => "本项目添加车辆需同时提交认证资料".into(),
            Self::TextEmpty { what } => format!("{}不能为空", what.label()).into(),
            Self::TextTooLong { what, max } => format!("{}不能超过{max}个字", what.label()).into(),
            Self::DetailTooLong { what, max } => {
                format!("{}不能超过{max}个字", what.label()).into()
            }
            Self::DetailsOwnerOnly => "该车辆已有认证车主，车辆信息由车主维护".into(),
            Self::EvidenceCount { max } => format!("请上传1至{max}张证明材料照片").into(),
            Self::AutopaySourcesInvalid => "扣款方式不能为空或重复".into(),
            Self::AutopayLimitInvalid => "单笔自动扣费上限应在¥0.01至¥5000.00之间".into(),
            Self::AlreadyAdded => "该车辆已在您的车辆列表中".into(),
            Self::AnswerNoticeFirst => "请先处理该车辆的提醒".into(),
            Self::NotAdded => "您的车辆列表中没有该车辆".into(),
            Self::AlreadyCertified => "您已认证该车辆".into(),
            Self::CertificationPending => "认证资料已提交，请等待审核".into(),
            Self::AppealPending => "申诉资料已提交，请等待审核".into(),
            Self::AppealInstead => "该车辆已被其他账号认证，如有异议请提交申诉".into(),
            Self::CertifyInstead => "该车辆尚无认证车主，请直接认证".into(),
            Self::AuthorizedCannotAppeal => "您已获车主授权，如需认证请先移除车辆再申诉".into(),
            Self::NoticeNotAppealable => "该提醒不支持申诉".into(),
            Self::NoRequestToCancel => "没有待车主确认的添加申请".into(),
            Self::NoRequestFromUser => "该用户没有待确认的授权申请".into(),
            Self::UserNotAuthorized => "该用户未获授权".into(),
            Self::ReviewDecided => "该审核已处理".into(),
            Self::NoOwner => "该车辆没有认证车主".into(),
            Self::AlreadyOwned => "该车辆已有认证车主".into(),
            Self::NoPendingNotice => "没有需要处理的提醒".into(),
            Self::NoSuchReview => "没有该审核".into(),
            Self::Legacy(
                LegacyRefusal::Forbidden(m)
                | LegacyRefusal::Conflict(m)
                | LegacyRefusal::NotFound(m)
                | LegacyRefusal::Invalid(m),
            ) => m.as_str().into(),
        }
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for CommandError {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    use CommandError as E;
    use ErrorCode::{Conflict, Forbidden, InvalidRequest, NotFound};

    #[rstest]
    #[case::vehicles_hidden(E::VehiclesHidden, Forbidden, "当前项目未开放我的车辆功能")]
    #[case::certification_not_offered(E::CertificationNotOffered, Forbidden, "本项目无需认证车辆")]
    #[case::users_only(E::UsersOnly, Forbidden, "请使用车主账号操作我的车辆")]
    #[case::operators_only(E::OperatorsOnly, Forbidden, "仅平台运营人员可操作")]
    #[case::not_owner(E::NotOwner, Forbidden, "仅认证车主可操作")]
    #[case::own_case(
        E::OwnCase,
        Forbidden,
        "不能审核本人提交的认证或申诉，请由其他运营人员处理"
    )]
    #[case::certification_required(
        E::CertificationRequired,
        InvalidRequest,
        "本项目添加车辆需同时提交认证资料"
    )]
    #[case::owner_name_empty(E::TextEmpty { what: TextField::OwnerName }, InvalidRequest, "车主姓名不能为空")]
    #[case::appeal_reason_empty(E::TextEmpty { what: TextField::AppealReason }, InvalidRequest, "申诉理由不能为空")]
    #[case::rejection_reason_empty(E::TextEmpty { what: TextField::RejectionReason }, InvalidRequest, "驳回原因不能为空")]
    #[case::revocation_reason_empty(E::TextEmpty { what: TextField::RevocationReason }, InvalidRequest, "撤销原因不能为空")]
    #[case::owner_name_too_long(E::TextTooLong { what: TextField::OwnerName, max: 50 }, InvalidRequest, "车主姓名不能超过50个字")]
    #[case::appeal_reason_too_long(E::TextTooLong { what: TextField::AppealReason, max: 500 }, InvalidRequest, "申诉理由不能超过500个字")]
    #[case::evidence_count(E::EvidenceCount { max: 9 }, InvalidRequest, "请上传1至9张证明材料照片")]
    #[case::autopay_sources_invalid(
        E::AutopaySourcesInvalid,
        InvalidRequest,
        "扣款方式不能为空或重复"
    )]
    #[case::autopay_limit_invalid(
        E::AutopayLimitInvalid,
        InvalidRequest,
        "单笔自动扣费上限应在¥0.01至¥5000.00之间"
    )]
    #[case::already_added(E::AlreadyAdded, Conflict, "该车辆已在您的车辆列表中")]
    #[case::answer_notice_first(E::AnswerNoticeFirst, Conflict, "请先处理该车辆的提醒")]
    #[case::not_added(E::NotAdded, Conflict, "您的车辆列表中没有该车辆")]
    #[case::already_certified(E::AlreadyCertified, Conflict, "您已认证该车辆")]
    #[case::certification_pending(E::CertificationPending, Conflict, "认证资料已提交，请等待审核")]
    #[case::appeal_pending(E::AppealPending, Conflict, "申诉资料已提交，请等待审核")]
    #[case::appeal_instead(
        E::AppealInstead,
        Conflict,
        "该车辆已被其他账号认证，如有异议请提交申诉"
    )]
    #[case::certify_instead(E::CertifyInstead, Conflict, "该车辆尚无认证车主，请直接认证")]
    #[case::authorized_cannot_appeal(
        E::AuthorizedCannotAppeal,
        Conflict,
        "您已获车主授权，如需认证请先移除车辆再申诉"
    )]
    #[case::notice_not_appealable(E::NoticeNotAppealable, Conflict, "该提醒不支持申诉")]
    #[case::no_request_to_cancel(E::NoRequestToCancel, Conflict, "没有待车主确认的添加申请")]
    #[case::no_request_from_user(E::NoRequestFromUser, Conflict, "该用户没有待确认的授权申请")]
    #[case::user_not_authorized(E::UserNotAuthorized, Conflict, "该用户未获授权")]
    #[case::review_decided(E::ReviewDecided, Conflict, "该审核已处理")]
    #[case::no_owner(E::NoOwner, Conflict, "该车辆没有认证车主")]
    #[case::already_owned(E::AlreadyOwned, Conflict, "该车辆已有认证车主")]
    #[case::no_pending_notice(E::NoPendingNotice, NotFound, "没有需要处理的提醒")]
    #[case::no_such_review(E::NoSuchReview, NotFound, "没有该审核")]
    fn each_refusal_has_its_code_and_text(
        #[case] error: CommandError,
        #[case] code: ErrorCode,
        #[case] message: &str,
    ) {
        assert_eq!(error.code(), code);
        assert_eq!(error.message(), message);
        assert_eq!(error.to_string(), message);
        // Stored and loaded as itself, never mistaken for a legacy refusal.
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(serde_json::from_value::<CommandError>(json).unwrap(), error);
    }

    #[rstest]
    #[case::forbidden(json!({"forbidden": "本项目未开放我的车辆功能"}), Forbidden)]
    #[case::conflict(json!({"conflict": "该车辆已在您的车辆列表中"}), Conflict)]
    #[case::not_found(json!({"not_found": "没有需要处理的提醒"}), NotFound)]
    #[case::invalid(json!({"invalid": "车主姓名不能超过50个字"}), InvalidRequest)]
    fn refusals_stored_before_types_still_load(
        #[case] stored: serde_json::Value,
        #[case] code: ErrorCode,
    ) {
        let text = stored.as_object().unwrap().values().next().unwrap().clone();
        let error: CommandError = serde_json::from_value(stored.clone()).unwrap();
        assert!(matches!(error, CommandError::Legacy(_)));
        assert_eq!(error.code(), code);
        assert_eq!(error.message(), text.as_str().unwrap());
        // Stored again in the shape it came in.
        assert_eq!(serde_json::to_value(&error).unwrap(), stored);
    }

    /// What the edge stored (the vehicle's refusals and its event log) before refusals had
    /// types still loads, and a retry of the old request still gets the old answer.
    #[test]
    fn stored_events_with_old_refusals_still_load_and_replay() {
        use crate::vehicle::{execute, Actor, Change, Command, CommandKind, Event, Vehicle};
        use crate::{Plate, RequestId, TenantPolicy, Timestamp, UserId};

        let actor = Actor::User(UserId::new("u1"));
        let command = Command {
            request_id: RequestId::new("r1"),
            kind: CommandKind::Remove,
        };
        let at = Timestamp::from_unix_millis(1_738_281_600_000);
        let fresh = Vehicle::new(Plate::parse("闽D12337").unwrap());
        let exec = execute(fresh, &command, &actor, at, TenantPolicy::Platform);
        assert_eq!(exec.outcome, Err(CommandError::NotAdded));
        let to_old = |json: String| {
            let new = r#""error":"not_added""#;
            assert_eq!(json.matches(new).count(), 1, "{json}");
            json.replace(new, r#""error":{"conflict":"您的车辆列表中没有该车辆"}"#)
        };

        let event: Event =
            serde_json::from_str(&to_old(serde_json::to_string(&exec.new_events[0]).unwrap()))
                .unwrap();
        let Change::Refused { error } = &event.change else {
            panic!("not a refusal: {event:?}");
        };
        assert_eq!(error.code(), Conflict);
        assert_eq!(error.message(), "您的车辆列表中没有该车辆");

        let stored: Vehicle =
            serde_json::from_str(&to_old(serde_json::to_string(&exec.state).unwrap())).unwrap();
        let retry = execute(stored, &command, &actor, at, TenantPolicy::Platform);
        assert!(retry.new_events.is_empty());
        let error = retry.outcome.unwrap_err();
        assert!(matches!(
            error,
            CommandError::Legacy(LegacyRefusal::Conflict(_))
        ));
        assert_eq!(error.code(), Conflict);
        assert_eq!(error.message(), "您的车辆列表中没有该车辆");
    }

    #[test]
    fn an_unknown_refusal_does_not_load() {
        assert!(serde_json::from_value::<CommandError>(json!("gone")).is_err());
        assert!(serde_json::from_value::<CommandError>(json!({"teapot": "x"})).is_err());
    }
}
