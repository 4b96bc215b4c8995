//! SPEC §3's transition table, one named case per row and per rejection.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use rstest::rstest;
use shared::api::ErrorCode;
use shared::ids::UploadId;
use shared::payment::AutopaySettings;
use shared::privacy::PrivacySettings;
use shared::vehicle::{
    Actor, AppealClaim, Certification, CommandError as R, CommandKind, EndedKind,
    RelationState as S, TextField,
};
use shared::TenantPolicy;

/// Who sends a step.
#[derive(Debug, Clone, Copy)]
enum Who {
    U(&'static str),
    Owner,
    Operator,
}

/// A step, with the names it refers to resolved at run time.
#[derive(Debug, Clone, Copy)]
enum Op {
    Add,
    AddCertified,
    Certify,
    /// Certify with this owner name and this many photos.
    CertifyWith(Text, usize),
    Appeal,
    /// Appeal with this reason and this many photos.
    AppealWith(Text, usize),
    Cancel,
    Remove,
    Ack,
    /// Acknowledge the named user's dialog (someone else's).
    AckOf(&'static str),
    ApproveRequest(&'static str),
    DenyRequest(&'static str),
    RevokeAuthorization(&'static str),
    Privacy,
    AutopayNoSources,
    ApproveReview(&'static str),
    RejectReview(&'static str),
    /// Reject the named user's review with this reason.
    RejectReviewWith(&'static str, Text),
    RevokeCertification,
    /// Revoke the owner's certification with this reason.
    RevokeCertificationWith(Text),
}

/// A free text of a command (a name or a reason).
#[derive(Debug, Clone, Copy)]
enum Text {
    Blank,
    Fine,
    /// One character over every limit.
    TooLong,
}

fn text(t: Text) -> String {
    match t {
        Text::Blank => "  ".to_owned(),
        Text::Fine => "张三".to_owned(),
        Text::TooLong => "长".repeat(501),
    }
}

/// `n` distinct photos.
fn photos(n: usize) -> Vec<UploadId> {
    (0..n).map(|i| UploadId::new(format!("up-{i}"))).collect()
}

use Op::*;
use Who::*;

type Step = (Who, Op);

const P: TenantPolicy = TenantPolicy::Platform;

fn run(w: &mut World, (who, op): Step, policy: TenantPolicy) -> Result<(), R> {
    let actor = match who {
        U(name) => Actor::User(user(name)),
        Owner => w.owner_actor(),
        Operator => operator(),
    };
    let me = match who {
        U(name) => name,
        Owner | Operator => "",
    };
    let kind = match op {
        Add => CommandKind::Add {
            certification: None,
        },
        AddCertified => CommandKind::Add {
            certification: Some(certification()),
        },
        Certify => CommandKind::SubmitCertification(certification()),
        CertifyWith(name, n) => CommandKind::SubmitCertification(Certification {
            owner_name: text(name),
            evidence: photos(n),
        }),
        Appeal => CommandKind::Appeal(appeal()),
        AppealWith(reason, n) => CommandKind::Appeal(AppealClaim {
            reason: text(reason),
            evidence: photos(n),
        }),
        Cancel => CommandKind::CancelRequest,
        Remove => CommandKind::Remove,
        Ack => CommandKind::Acknowledge {
            notice: w.notice_of(me),
        },
        AckOf(other) => CommandKind::Acknowledge {
            notice: w.notice_of(other),
        },
        ApproveRequest(t) => CommandKind::ApproveRequest { user: user(t) },
        DenyRequest(t) => CommandKind::DenyRequest { user: user(t) },
        RevokeAuthorization(t) => CommandKind::RevokeAuthorization { user: user(t) },
        Privacy => CommandKind::SetPrivacy(PrivacySettings {
            protect: true,
            notify: false,
        }),
        AutopayNoSources => CommandKind::SetAutopay(AutopaySettings {
            enabled: true,
            sources: vec![],
            ..AutopaySettings::default()
        }),
        ApproveReview(t) => CommandKind::ApproveReview {
            review: w.review_of(t),
        },
        RejectReview(t) => CommandKind::RejectReview {
            review: w.review_of(t),
            reason: "照片不清晰".to_owned(),
        },
        RejectReviewWith(t, reason) => CommandKind::RejectReview {
            review: w.review_of(t),
            reason: text(reason),
        },
        RevokeCertification => CommandKind::RevokeCertification {
            reason: "证件造假".to_owned(),
        },
        RevokeCertificationWith(reason) => CommandKind::RevokeCertification {
            reason: text(reason),
        },
    };
    let before = w.vehicle.clone();
    let out = w.run(&actor, kind.clone(), policy).map(|_| ());
    check_state_invariants(&w.vehicle).unwrap();
    check_settings(&before, &w.vehicle).unwrap();
    check_no_silent_loss(&before, &w.vehicle, &actor, &kind).unwrap();
    if out.is_err() {
        assert_eq!(
            standing(&before),
            standing(&w.vehicle),
            "a refusal changed the vehicle"
        );
    }
    out
}

// Setups, each a short story.
const EMPTY: &[Step] = &[];
const ADDED: &[Step] = &[(U("u1"), Add)];
const CERTIFYING: &[Step] = &[(U("u1"), Add), (U("u1"), Certify)];
const OWNED: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
];
const AWAITING: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (U("u1"), Add),
];
const AUTHORIZED: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (U("u1"), Add),
    (Owner, ApproveRequest("u1")),
];
/// u0 owns; u1 authorized, u2 waiting.
const OWNED_WITH_DEPENDANTS: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (U("u1"), Add),
    (Owner, ApproveRequest("u1")),
    (U("u2"), Add),
];
/// u1 lost the race: u2 certified first.
const CERTIFIED_BY_OTHER: &[Step] = &[
    (U("u1"), Add),
    (U("u2"), Add),
    (U("u2"), Certify),
    (Operator, ApproveReview("u2")),
];
/// u1 owned, u2's appeal won.
const LOST_TO_APPEAL: &[Step] = &[
    (U("u1"), Add),
    (U("u1"), Certify),
    (Operator, ApproveReview("u1")),
    (U("u2"), Appeal),
    (Operator, ApproveReview("u2")),
];
/// u1 owned; the operator revoked it.
const REVOKED: &[Step] = &[
    (U("u1"), Add),
    (U("u1"), Certify),
    (Operator, ApproveReview("u1")),
    (Operator, RevokeCertification),
];
/// u0 owns; u1 claims it (stranger appeal).
const APPEALING: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (U("u1"), Appeal),
];
/// u0 owns; u1's appeal failed.
const APPEAL_FAILED: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (U("u1"), Appeal),
    (Operator, RejectReview("u1")),
];
/// u1's appeal won: u1 owns with 申诉成功 pending.
const APPEAL_SUCCEEDED: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (U("u1"), Appeal),
    (Operator, ApproveReview("u1")),
];
const AUTH_REVOKED: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (U("u1"), Add),
    (Owner, ApproveRequest("u1")),
    (Owner, RevokeAuthorization("u1")),
];
const AUTH_DENIED: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (U("u1"), Add),
    (Owner, DenyRequest("u1")),
];
/// u0 owns; u2 authorized, u3 waiting, u4 appealing, u1 appealing.
const CONTESTED: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (U("u2"), Add),
    (Owner, ApproveRequest("u2")),
    (U("u3"), Add),
    (U("u4"), Appeal),
    (U("u1"), Appeal),
];
/// Nobody owns (revoked); u0 appeals; u1 added, u2 certifying.
const UNOWNED_CONTESTED: &[Step] = &[
    (U("u0"), Add),
    (U("u0"), Certify),
    (Operator, ApproveReview("u0")),
    (Operator, RevokeCertification),
    (U("u0"), Appeal),
    (U("u1"), Add),
    (U("u2"), Add),
    (U("u2"), Certify),
];
/// u1 certifying, u2 and u3 added, u4 certifying.
const RACE: &[Step] = &[
    (U("u1"), Add),
    (U("u2"), Add),
    (U("u3"), Add),
    (U("u4"), AddCertified),
    (U("u1"), Certify),
];

/// The states after the step, or the refusal with its API code.
type Expect = Result<&'static [(&'static str, Option<S>)], (R, ErrorCode)>;

fn ok(states: &'static [(&'static str, Option<S>)]) -> Expect {
    Ok(states)
}

fn refused(refusal: R, code: ErrorCode) -> Expect {
    Err((refusal, code))
}

use EndedKind::*;

#[rstest]
// add
#[case::add_when_no_owner(EMPTY, (U("u1"), Add), P, ok(&[("u1", Some(S::Added))]))]
#[case::add_when_owned_asks_owner(OWNED, (U("u1"), Add), P, ok(&[("u1", Some(S::AwaitingAuthorization)), ("u0", Some(S::Certified))]))]
#[case::add_twice_conflict(ADDED, (U("u1"), Add), P, refused(R::AlreadyAdded, ErrorCode::Conflict))]
#[case::add_by_owner_conflict(OWNED, (U("u0"), Add), P, refused(R::AlreadyAdded, ErrorCode::Conflict))]
#[case::add_with_pending_notice_conflict(CERTIFIED_BY_OTHER, (U("u1"), Add), P, refused(R::AnswerNoticeFirst, ErrorCode::Conflict))]
#[case::add_with_evidence_starts_certifying(EMPTY, (U("u1"), AddCertified), P, ok(&[("u1", Some(S::Certifying))]))]
// submit certification
#[case::certify_from_added(ADDED, (U("u1"), Certify), P, ok(&[("u1", Some(S::Certifying))]))]
#[case::certify_without_car_conflict(EMPTY, (U("u1"), Certify), P, refused(R::NotAdded, ErrorCode::Conflict))]
#[case::certify_twice_conflict(CERTIFYING, (U("u1"), Certify), P, refused(R::CertificationPending, ErrorCode::Conflict))]
#[case::certify_while_awaiting_conflict(AWAITING, (U("u1"), Certify), P, refused(R::AppealInstead, ErrorCode::Conflict))]
#[case::certify_by_owner_conflict(OWNED, (U("u0"), Certify), P, refused(R::AlreadyCertified, ErrorCode::Conflict))]
// approve certification
#[case::approve_certification_displaces_added_and_certifying(RACE, (Operator, ApproveReview("u1")), P, ok(&[("u1", Some(S::Certified)), ("u2", Some(S::Notice(CertifiedByOther))), ("u3", Some(S::Notice(CertifiedByOther))), ("u4", Some(S::Notice(CertifiedByOther)))]))]
#[case::approve_certification_twice_conflict(OWNED, (Operator, ApproveReview("u0")), P, refused(R::ReviewDecided, ErrorCode::Conflict))]
#[case::approve_unknown_review_not_found(OWNED, (Operator, ApproveReview("nobody")), P, refused(R::NoSuchReview, ErrorCode::NotFound))]
#[case::user_approves_review_forbidden(CERTIFYING, (U("u2"), ApproveReview("u1")), P, refused(R::OperatorsOnly, ErrorCode::Forbidden))]
#[case::applicant_approves_own_review_forbidden(CERTIFYING, (U("u1"), ApproveReview("u1")), P, refused(R::OperatorsOnly, ErrorCode::Forbidden))]
// reject certification
#[case::reject_certification_back_to_added(CERTIFYING, (Operator, RejectReview("u1")), P, ok(&[("u1", Some(S::Added))]))]
#[case::reject_decided_certification_conflict(OWNED, (Operator, RejectReview("u0")), P, refused(R::ReviewDecided, ErrorCode::Conflict))]
#[case::user_rejects_review_forbidden(CERTIFYING, (U("u1"), RejectReview("u1")), P, refused(R::OperatorsOnly, ErrorCode::Forbidden))]
// appeal
#[case::appeal_from_certified_by_other(CERTIFIED_BY_OTHER, (U("u1"), Appeal), P, ok(&[("u1", Some(S::Appealing)), ("u2", Some(S::Certified))]))]
#[case::appeal_from_lost_to_other_appeal(LOST_TO_APPEAL, (U("u1"), Appeal), P, ok(&[("u1", Some(S::Appealing)), ("u2", Some(S::Certified))]))]
#[case::appeal_from_revoked_by_operator(REVOKED, (U("u1"), Appeal), P, ok(&[("u1", Some(S::Appealing))]))]
#[case::appeal_ownership_claim_by_stranger(OWNED, (U("u1"), Appeal), P, ok(&[("u1", Some(S::Appealing)), ("u0", Some(S::Certified))]))]
#[case::appeal_from_awaiting_authorization(AWAITING, (U("u1"), Appeal), P, ok(&[("u1", Some(S::Appealing))]))]
#[case::appeal_unowned_plate_conflict(EMPTY, (U("u1"), Appeal), P, refused(R::CertifyInstead, ErrorCode::Conflict))]
#[case::appeal_from_added_conflict(ADDED, (U("u1"), Appeal), P, refused(R::CertifyInstead, ErrorCode::Conflict))]
#[case::appeal_from_appeal_failed_conflict(APPEAL_FAILED, (U("u1"), Appeal), P, refused(R::NoticeNotAppealable, ErrorCode::Conflict))]
#[case::appeal_from_authorization_revoked_conflict(AUTH_REVOKED, (U("u1"), Appeal), P, refused(R::NoticeNotAppealable, ErrorCode::Conflict))]
#[case::appeal_from_authorization_denied_conflict(AUTH_DENIED, (U("u1"), Appeal), P, refused(R::NoticeNotAppealable, ErrorCode::Conflict))]
#[case::appeal_by_owner_conflict(OWNED, (U("u0"), Appeal), P, refused(R::AlreadyCertified, ErrorCode::Conflict))]
#[case::appeal_by_authorized_conflict(AUTHORIZED, (U("u1"), Appeal), P, refused(R::AuthorizedCannotAppeal, ErrorCode::Conflict))]
#[case::appeal_twice_conflict(APPEALING, (U("u1"), Appeal), P, refused(R::AppealPending, ErrorCode::Conflict))]
// approve appeal
#[case::approve_appeal_takes_over(CONTESTED, (Operator, ApproveReview("u1")), P, ok(&[("u1", Some(S::Certified)), ("u0", Some(S::Notice(LostToOtherAppeal))), ("u2", Some(S::Notice(AuthorizationRevoked))), ("u3", Some(S::Notice(AuthorizationRevoked))), ("u4", Some(S::Appealing))]))]
#[case::approve_appeal_displaces_added_and_certifying(UNOWNED_CONTESTED, (Operator, ApproveReview("u0")), P, ok(&[("u0", Some(S::Certified)), ("u1", Some(S::Notice(CertifiedByOther))), ("u2", Some(S::Notice(CertifiedByOther)))]))]
#[case::approve_decided_appeal_conflict(APPEAL_SUCCEEDED, (Operator, ApproveReview("u1")), P, refused(R::ReviewDecided, ErrorCode::Conflict))]
// reject appeal
#[case::reject_appeal_fails(APPEALING, (Operator, RejectReview("u1")), P, ok(&[("u1", Some(S::Notice(AppealFailed))), ("u0", Some(S::Certified))]))]
#[case::reject_decided_appeal_conflict(APPEAL_FAILED, (Operator, RejectReview("u1")), P, refused(R::ReviewDecided, ErrorCode::Conflict))]
// revoke certification
#[case::revoke_certification(OWNED_WITH_DEPENDANTS, (Operator, RevokeCertification), P, ok(&[("u0", Some(S::Notice(RevokedByOperator))), ("u1", Some(S::Notice(AuthorizationRevoked))), ("u2", Some(S::Notice(AuthorizationRevoked)))]))]
#[case::revoke_without_owner_conflict(ADDED, (Operator, RevokeCertification), P, refused(R::NoOwner, ErrorCode::Conflict))]
#[case::user_revokes_certification_forbidden(OWNED, (U("u0"), RevokeCertification), P, refused(R::OperatorsOnly, ErrorCode::Forbidden))]
// owner approves / denies a request
#[case::owner_approves_request(AWAITING, (Owner, ApproveRequest("u1")), P, ok(&[("u1", Some(S::Authorized))]))]
#[case::owner_denies_request(AWAITING, (Owner, DenyRequest("u1")), P, ok(&[("u1", Some(S::Notice(AuthorizationDenied)))]))]
#[case::non_owner_approves_request_forbidden(OWNED_WITH_DEPENDANTS, (U("u1"), ApproveRequest("u2")), P, refused(R::NotOwner, ErrorCode::Forbidden))]
#[case::requester_approves_self_forbidden(AWAITING, (U("u1"), ApproveRequest("u1")), P, refused(R::NotOwner, ErrorCode::Forbidden))]
#[case::approve_without_request_conflict(AUTHORIZED, (Owner, ApproveRequest("u1")), P, refused(R::NoRequestFromUser, ErrorCode::Conflict))]
#[case::deny_without_request_conflict(OWNED, (Owner, DenyRequest("u3")), P, refused(R::NoRequestFromUser, ErrorCode::Conflict))]
// owner revokes an authorization
#[case::owner_revokes_authorization(AUTHORIZED, (Owner, RevokeAuthorization("u1")), P, ok(&[("u1", Some(S::Notice(AuthorizationRevoked))), ("u0", Some(S::Certified))]))]
#[case::revoke_waiting_user_conflict(AWAITING, (Owner, RevokeAuthorization("u1")), P, refused(R::UserNotAuthorized, ErrorCode::Conflict))]
#[case::authorized_revokes_forbidden(AUTHORIZED, (U("u1"), RevokeAuthorization("u1")), P, refused(R::NotOwner, ErrorCode::Forbidden))]
// cancel request 取消添加
#[case::cancel_request(AWAITING, (U("u1"), Cancel), P, ok(&[("u1", None), ("u0", Some(S::Certified))]))]
#[case::cancel_without_request_conflict(AUTHORIZED, (U("u1"), Cancel), P, refused(R::NoRequestToCancel, ErrorCode::Conflict))]
// remove vehicle
#[case::remove_added(ADDED, (U("u1"), Remove), P, ok(&[("u1", None)]))]
#[case::remove_certifying(CERTIFYING, (U("u1"), Remove), P, ok(&[("u1", None)]))]
#[case::remove_awaiting(AWAITING, (U("u1"), Remove), P, ok(&[("u1", None), ("u0", Some(S::Certified))]))]
#[case::remove_authorized(AUTHORIZED, (U("u1"), Remove), P, ok(&[("u1", None), ("u0", Some(S::Certified))]))]
#[case::remove_appealing(APPEALING, (U("u1"), Remove), P, ok(&[("u1", None), ("u0", Some(S::Certified))]))]
#[case::owner_leaves(OWNED_WITH_DEPENDANTS, (U("u0"), Remove), P, ok(&[("u0", None), ("u1", Some(S::Notice(AuthorizationRevoked))), ("u2", Some(S::Notice(AuthorizationRevoked)))]))]
#[case::remove_with_notice_conflict(CERTIFIED_BY_OTHER, (U("u1"), Remove), P, refused(R::AnswerNoticeFirst, ErrorCode::Conflict))]
#[case::remove_unknown_car_conflict(EMPTY, (U("u1"), Remove), P, refused(R::NotAdded, ErrorCode::Conflict))]
// acknowledge 我知道了 / 确定
#[case::ack_certified_by_other(CERTIFIED_BY_OTHER, (U("u1"), Ack), P, ok(&[("u1", None)]))]
#[case::ack_lost_to_other_appeal(LOST_TO_APPEAL, (U("u1"), Ack), P, ok(&[("u1", None)]))]
#[case::ack_revoked_by_operator(REVOKED, (U("u1"), Ack), P, ok(&[("u1", None)]))]
#[case::ack_appeal_failed(APPEAL_FAILED, (U("u1"), Ack), P, ok(&[("u1", None)]))]
#[case::ack_appeal_succeeded_stays_certified(APPEAL_SUCCEEDED, (U("u1"), Ack), P, ok(&[("u1", Some(S::Certified))]))]
#[case::ack_authorization_revoked(AUTH_REVOKED, (U("u1"), Ack), P, ok(&[("u1", None)]))]
#[case::ack_authorization_denied(AUTH_DENIED, (U("u1"), Ack), P, ok(&[("u1", None)]))]
#[case::ack_without_notice_not_found(ADDED, (U("u1"), Ack), P, refused(R::NoPendingNotice, ErrorCode::NotFound))]
#[case::ack_by_owner_without_dialog_not_found(OWNED, (U("u0"), Ack), P, refused(R::NoPendingNotice, ErrorCode::NotFound))]
#[case::ack_of_someone_elses_notice_not_found(CERTIFIED_BY_OTHER, (U("u3"), AckOf("u1")), P, refused(R::NoPendingNotice, ErrorCode::NotFound))]
// owner settings
#[case::owner_sets_privacy(OWNED, (Owner, Privacy), P, ok(&[("u0", Some(S::Certified))]))]
#[case::authorized_sets_privacy_forbidden(AUTHORIZED, (U("u1"), Privacy), P, refused(R::NotOwner, ErrorCode::Forbidden))]
#[case::added_sets_privacy_forbidden(ADDED, (U("u1"), Privacy), P, refused(R::NotOwner, ErrorCode::Forbidden))]
#[case::autopay_without_sources_invalid(OWNED, (Owner, AutopayNoSources), P, refused(R::AutopaySourcesInvalid, ErrorCode::InvalidRequest))]
// tenant policies (SPEC §9)
#[case::open_add_no_owner(EMPTY, (U("u1"), Add), TenantPolicy::Open, ok(&[("u1", Some(S::Added))]))]
#[case::open_certify_forbidden(ADDED, (U("u1"), Certify), TenantPolicy::Open, refused(R::CertificationNotOffered, ErrorCode::Forbidden))]
#[case::open_add_with_evidence_forbidden(EMPTY, (U("u1"), AddCertified), TenantPolicy::Open, refused(R::CertificationNotOffered, ErrorCode::Forbidden))]
#[case::open_appeal_forbidden(OWNED, (U("u1"), Appeal), TenantPolicy::Open, refused(R::CertificationNotOffered, ErrorCode::Forbidden))]
#[case::hidden_add_forbidden(EMPTY, (U("u1"), Add), TenantPolicy::Hidden, refused(R::VehiclesHidden, ErrorCode::Forbidden))]
#[case::hidden_remove_forbidden(ADDED, (U("u1"), Remove), TenantPolicy::Hidden, refused(R::VehiclesHidden, ErrorCode::Forbidden))]
#[case::hidden_operator_still_reviews(CERTIFYING, (Operator, ApproveReview("u1")), TenantPolicy::Hidden, ok(&[("u1", Some(S::Certified))]))]
#[case::mandatory_add_without_evidence_invalid(EMPTY, (U("u1"), Add), TenantPolicy::Mandatory, refused(R::CertificationRequired, ErrorCode::InvalidRequest))]
#[case::mandatory_add_starts_certifying(EMPTY, (U("u1"), AddCertified), TenantPolicy::Mandatory, ok(&[("u1", Some(S::Certifying))]))]
#[case::mandatory_add_owned_asks_owner(OWNED, (U("u1"), AddCertified), TenantPolicy::Mandatory, ok(&[("u1", Some(S::AwaitingAuthorization))]))]
// malformed input: each text and the photo count refused by name
#[case::certify_blank_name_invalid(ADDED, (U("u1"), CertifyWith(Text::Blank, 1)), P, refused(R::TextEmpty { what: TextField::OwnerName }, ErrorCode::InvalidRequest))]
#[case::certify_long_name_invalid(ADDED, (U("u1"), CertifyWith(Text::TooLong, 1)), P, refused(R::TextTooLong { what: TextField::OwnerName, max: 50 }, ErrorCode::InvalidRequest))]
#[case::certify_without_photos_invalid(ADDED, (U("u1"), CertifyWith(Text::Fine, 0)), P, refused(R::EvidenceCount { max: 9 }, ErrorCode::InvalidRequest))]
#[case::certify_ten_photos_invalid(ADDED, (U("u1"), CertifyWith(Text::Fine, 10)), P, refused(R::EvidenceCount { max: 9 }, ErrorCode::InvalidRequest))]
#[case::certify_nine_photos(ADDED, (U("u1"), CertifyWith(Text::Fine, 9)), P, ok(&[("u1", Some(S::Certifying))]))]
#[case::appeal_blank_reason_invalid(OWNED, (U("u1"), AppealWith(Text::Blank, 1)), P, refused(R::TextEmpty { what: TextField::AppealReason }, ErrorCode::InvalidRequest))]
#[case::appeal_long_reason_invalid(OWNED, (U("u1"), AppealWith(Text::TooLong, 1)), P, refused(R::TextTooLong { what: TextField::AppealReason, max: 500 }, ErrorCode::InvalidRequest))]
#[case::reject_blank_reason_invalid(CERTIFYING, (Operator, RejectReviewWith("u1", Text::Blank)), P, refused(R::TextEmpty { what: TextField::RejectionReason }, ErrorCode::InvalidRequest))]
#[case::revoke_long_reason_invalid(OWNED, (Operator, RevokeCertificationWith(Text::TooLong)), P, refused(R::TextTooLong { what: TextField::RevocationReason, max: 500 }, ErrorCode::InvalidRequest))]
// actors
#[case::operator_sends_user_command_forbidden(EMPTY, (Operator, Add), P, refused(R::UsersOnly, ErrorCode::Forbidden))]
fn transition(
    #[case] setup: &[Step],
    #[case] step: Step,
    #[case] policy: TenantPolicy,
    #[case] expect: Expect,
) {
    let mut w = World::new();
    for s in setup {
        run(&mut w, *s, P).unwrap_or_else(|e| panic!("setup step {s:?} failed: {e:?}"));
    }
    let got = run(&mut w, step, policy);
    match expect {
        Ok(states) => {
            assert_eq!(got, Ok(()), "{step:?}");
            for (name, state) in states {
                assert_eq!(w.state_of(name), *state, "state of {name}");
            }
        }
        Err((refusal, code)) => {
            assert_eq!(refusal.code(), code, "{step:?}");
            assert_eq!(got, Err(refusal), "{step:?}");
        }
    }
}

/// An operator who is also a driver cannot decide their own certification or appeal: another
/// operator must, and that one can.
#[test]
fn operators_cannot_decide_their_own_case() {
    let mut w = World::new();
    let me = shared::UserId::new("op-driver");
    w.run(
        &Actor::User(me.clone()),
        CommandKind::Add {
            certification: Some(certification()),
        },
        P,
    )
    .unwrap();
    let review = w.reviews.get(&me).cloned().unwrap();
    let myself = Actor::Operator(me.clone());
    for kind in [
        CommandKind::ApproveReview {
            review: review.clone(),
        },
        CommandKind::RejectReview {
            review: review.clone(),
            reason: "材料不清晰".into(),
        },
    ] {
        let refused = w.run(&myself, kind, P).unwrap_err();
        assert_eq!(refused, R::OwnCase);
        assert_eq!(refused.code(), ErrorCode::Forbidden);
    }
    assert_eq!(w.vehicle.state_of(&me), Some(S::Certifying));
    w.run(&operator(), CommandKind::ApproveReview { review }, P)
        .unwrap();
    assert!(w.vehicle.is_owner(&me));
}

/// Whoever a step ends or decides a relation for is told once (the worker turns each into an
/// inbox message and a WeChat push); acknowledging a notice tells nobody anything new.
#[test]
fn each_new_notice_is_found_once_for_the_user_it_waits_for() {
    use shared::notify::{occasions_of, Occasion};
    use shared::vehicle::NoticeKind;
    let told_by = |w: &mut World, step: Step| {
        let before = w.log.len();
        run(w, step, P).unwrap();
        let mut told: Vec<(shared::ids::UserId, NoticeKind)> = occasions_of(&w.log[before..])
            .into_iter()
            .filter_map(|o| match o {
                Occasion::Notice { kind, user } => Some((user, kind)),
                _ => None,
            })
            .collect();
        told.sort_by(|a, b| a.0.cmp(&b.0));
        told
    };
    let mut w = World::new();
    for s in OWNED_WITH_DEPENDANTS {
        run(&mut w, *s, P).unwrap();
    }
    assert_eq!(
        told_by(&mut w, (Operator, RevokeCertification)),
        vec![
            (user("u0"), NoticeKind::RevokedByOperator),
            (user("u1"), NoticeKind::AuthorizationRevoked),
            (user("u2"), NoticeKind::AuthorizationRevoked),
        ]
    );
    assert_eq!(told_by(&mut w, (U("u1"), Ack)), vec![]);
}
