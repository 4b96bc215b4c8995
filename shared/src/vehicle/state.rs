//! What the aggregate knows about one plate: its owner, everyone else's relation, and the
//! latest requests (for answering retries). The history itself is the event log the edge keeps
//! beside the aggregate, so the aggregate stays small however many commands a plate gets.
//!
//! The owner is kept apart from the other relations, so "at most one 已认证 per plate" holds by
//! construction, and the owner's privacy and autopay settings live inside [`Owner`], so they
//! exist only while there is an owner and start afresh with each new one.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::ids::{NoticeId, RequestId, ReviewId, UploadId, UserId};
use crate::payment::AutopaySettings;
use crate::plate::Plate;
use crate::privacy::PrivacySettings;
use crate::timestamp::Timestamp;
use crate::vehicle::command::Actor;
use crate::vehicle::details::VehicleDetails;
use crate::vehicle::event::{Change, Event};
use crate::vehicle::refusal::CommandError;

/// How many of the latest events (accepted or refused) a vehicle remembers to answer a retry of
/// their request the same way. Retries come within seconds; the bound keeps the aggregate small
/// however many commands the plate gets (a loop of add and cancel cannot jam it).
pub const REMEMBERED_EVENTS: usize = 256;

/// One plate's aggregate: its certified owner, every other user's relation and the latest events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    plate: Plate,
    owner: Option<Owner>,
    relations: BTreeMap<UserId, Relation>,
    /// 车辆信息 (SPEC §11): the plate's, whoever owns it.
    #[serde(default, skip_serializing_if = "VehicleDetails::is_empty")]
    details: VehicleDetails,
    /// The latest [`REMEMBERED_EVENTS`] events, oldest first (aggregates stored before this
    /// kept only refusals here).
    #[serde(default, alias = "refusals")]
    recent: VecDeque<Event>,
    last_seq: u64,
}

/// The certified owner (认证车主) and the settings only an owner has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The owner's account.
    pub user: UserId,
    /// When this user became the owner.
    pub since: Timestamp,
    /// 隐私设置: privacy protection and the 接收车辆通知 switch.
    pub privacy: PrivacySettings,
    /// 无感支付: on/off and the order of deduction sources.
    pub autopay: AutopaySettings,
    /// The 申诉成功 dialog, pending until the owner taps 确定.
    pub appeal_succeeded: Option<NoticeId>,
}

/// The relation of a user who is not the owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// Added without proof (去认证); shows the last rejection reason, if any.
    Added {
        /// Why the operator rejected the last certification, shown on the card.
        rejection_reason: Option<String>,
    },
    /// 认证中: a certification waits for an operator.
    Certifying(CertificationReview),
    /// 等待授权: the user asked the owner for permission.
    AwaitingAuthorization {
        /// When the user asked.
        since: Timestamp,
    },
    /// 已授权: the owner allowed this user to add the car.
    Authorized {
        /// When the owner allowed it.
        since: Timestamp,
    },
    /// 申诉中: an appeal waits for an operator.
    Appealing(AppealReview),
    /// Someone else ended the relation; the dialog shows until the user answers it.
    Notice(Notice),
}

/// A certification submitted by a user (认证): who owns the car, with photos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificationReview {
    /// The review's id in the operators' queue.
    pub id: ReviewId,
    /// The owner's name as on the vehicle licence.
    pub owner_name: String,
    /// Uploaded evidence photos.
    pub evidence: Vec<UploadId>,
    /// When it was submitted (the queue is oldest first).
    pub submitted_at: Timestamp,
}

/// An appeal submitted by a user (申诉): why the car is theirs, with photos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealReview {
    /// The review's id in the operators' queue.
    pub id: ReviewId,
    /// The user's reason.
    pub reason: String,
    /// Uploaded evidence photos.
    pub evidence: Vec<UploadId>,
    /// When it was submitted (the queue is oldest first).
    pub submitted_at: Timestamp,
}

/// A dialog that ended a relation, waiting for the user's 我知道了 / 确定 / 我要申诉.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The id the user acknowledges.
    pub id: NoticeId,
    /// Why the relation ended.
    pub kind: EndedKind,
    /// When it ended.
    pub since: Timestamp,
    /// The operator's reason, shown under the dialog's text (申诉失败).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Why someone else ended a user's relation (every [`NoticeKind`] but 申诉成功).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedKind {
    /// Another account certified the car.
    CertifiedByOther,
    /// Another account's appeal took the car from this owner.
    LostToOtherAppeal,
    /// An operator revoked this owner's certification.
    RevokedByOperator,
    /// The operator rejected this user's appeal.
    AppealFailed,
    /// The owner revoked this user's authorization, or the owner changed or left.
    AuthorizationRevoked,
    /// The owner denied this user's request.
    AuthorizationDenied,
}

/// Every dialog of SPEC §4 that waits for a user's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 车辆…已被其他账号认证: another account certified the car.
    CertifiedByOther,
    /// 其他账号提交的认证申诉已通过: lost the car to another's appeal.
    LostToOtherAppeal,
    /// 认证关系存在异常: an operator revoked the certification.
    RevokedByOperator,
    /// 申诉失败.
    AppealFailed,
    /// 申诉成功: the car is now certified to this user.
    AppealSucceeded,
    /// 原因:授权取消.
    AuthorizationRevoked,
    /// 原因:车主拒绝授权.
    AuthorizationDenied,
}

impl From<EndedKind> for NoticeKind {
    fn from(kind: EndedKind) -> Self {
        match kind {
            EndedKind::CertifiedByOther => Self::CertifiedByOther,
            EndedKind::LostToOtherAppeal => Self::LostToOtherAppeal,
            EndedKind::RevokedByOperator => Self::RevokedByOperator,
            EndedKind::AppealFailed => Self::AppealFailed,
            EndedKind::AuthorizationRevoked => Self::AuthorizationRevoked,
            EndedKind::AuthorizationDenied => Self::AuthorizationDenied,
        }
    }
}

impl EndedKind {
    /// Why the relation ended, in 工作台's history.
    pub const fn label(self) -> &'static str {
        match self {
            Self::CertifiedByOther => "车辆被他人认证",
            Self::LostToOtherAppeal => "他人申诉成功",
            Self::RevokedByOperator => "认证被取消",
            Self::AppealFailed => "申诉失败",
            Self::AuthorizationRevoked => "授权取消",
            Self::AuthorizationDenied => "车主拒绝授权",
        }
    }

    /// Whether the dialog offers 我要申诉 (and the appeal command is allowed from it).
    pub const fn can_appeal(self) -> bool {
        match self {
            Self::CertifiedByOther | Self::LostToOtherAppeal | Self::RevokedByOperator => true,
            Self::AppealFailed | Self::AuthorizationRevoked | Self::AuthorizationDenied => false,
        }
    }
}

/// A user's relation to the vehicle as one value, the owner included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationState {
    /// Added without proof.
    Added,
    /// 认证中.
    Certifying,
    /// 已认证: the owner.
    Certified,
    /// 等待授权.
    AwaitingAuthorization,
    /// 已授权.
    Authorized,
    /// 申诉中.
    Appealing,
    /// Ended by someone else; the dialog is pending.
    Notice(EndedKind),
}

/// The badge state of a car card in 我的车辆 (`state` in `GET /api/vehicles`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VehicleState {
    /// No badge; shows 去认证.
    Added,
    /// 认证中.
    Certifying,
    /// 已认证.
    Certified,
    /// 等待授权.
    AwaitingAuthorization,
    /// 已授权.
    Authorized,
    /// 申诉中.
    Appealing,
}

impl VehicleState {
    /// The badge text on the card; `None` for a car that is only added.
    pub const fn badge(self) -> Option<&'static str> {
        match self {
            Self::Added => None,
            Self::Certifying => Some("认证中"),
            Self::Certified => Some("已认证"),
            Self::AwaitingAuthorization => Some("等待授权"),
            Self::Authorized => Some("已授权"),
            Self::Appealing => Some("申诉中"),
        }
    }
}

impl RelationState {
    /// The relation in 工作台's list of a plate's users.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Added => "已添加（未认证）",
            Self::Certifying => "认证中",
            Self::Certified => "车主（已认证）",
            Self::AwaitingAuthorization => "等待车主授权",
            Self::Authorized => "已授权",
            Self::Appealing => "申诉中",
            Self::Notice(_) => "待确认提醒",
        }
    }

    /// The card's state; `None` while only the dialog shows.
    pub const fn card(self) -> Option<VehicleState> {
        match self {
            Self::Added => Some(VehicleState::Added),
            Self::Certifying => Some(VehicleState::Certifying),
            Self::Certified => Some(VehicleState::Certified),
            Self::AwaitingAuthorization => Some(VehicleState::AwaitingAuthorization),
            Self::Authorized => Some(VehicleState::Authorized),
            Self::Appealing => Some(VehicleState::Appealing),
            Self::Notice(_) => None,
        }
    }
}

impl Relation {
    /// This relation as a [`RelationState`].
    pub const fn state(&self) -> RelationState {
        match self {
            Self::Added { .. } => RelationState::Added,
            Self::Certifying(_) => RelationState::Certifying,
            Self::AwaitingAuthorization { .. } => RelationState::AwaitingAuthorization,
            Self::Authorized { .. } => RelationState::Authorized,
            Self::Appealing(_) => RelationState::Appealing,
            Self::Notice(notice) => RelationState::Notice(notice.kind),
        }
    }
}

/// Whether a review proves ownership for the first time or claims it from someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// 认证.
    Certification,
    /// 申诉.
    Appeal,
}

/// A review in the operators' queue, as the queue shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReview {
    /// The review's id.
    pub id: ReviewId,
    /// Certification or appeal.
    pub kind: ReviewKind,
    /// Who submitted it.
    pub user: UserId,
    /// Evidence photos.
    pub evidence: Vec<UploadId>,
    /// The owner's name (certification) or the reason (appeal).
    pub statement: String,
    /// When it was submitted.
    pub submitted_at: Timestamp,
}

impl Owner {
    /// A new owner starts with default settings: privacy off, notifications on, autopay off.
    pub(crate) fn new(user: UserId, since: Timestamp, appeal_succeeded: Option<NoticeId>) -> Self {
        Self {
            user,
            since,
            privacy: PrivacySettings::default(),
            autopay: AutopaySettings::default(),
            appeal_succeeded,
        }
    }
}

impl Vehicle {
    /// A plate nobody has added yet.
    pub fn new(plate: Plate) -> Self {
        Self {
            plate,
            owner: None,
            relations: BTreeMap::new(),
            details: VehicleDetails::default(),
            recent: VecDeque::new(),
            last_seq: 0,
        }
    }

    /// The plate this aggregate is about.
    pub fn plate(&self) -> &Plate {
        &self.plate
    }

    /// The certified owner, if any.
    pub fn owner(&self) -> Option<&Owner> {
        self.owner.as_ref()
    }

    /// Whether `user` is the certified owner.
    pub fn is_owner(&self, user: &UserId) -> bool {
        self.owner.as_ref().is_some_and(|o| &o.user == user)
    }

    /// The owner's privacy settings; `None` without an owner.
    pub fn privacy(&self) -> Option<&PrivacySettings> {
        self.owner.as_ref().map(|o| &o.privacy)
    }

    /// The owner's autopay settings; `None` without an owner.
    pub fn autopay(&self) -> Option<&AutopaySettings> {
        self.owner.as_ref().map(|o| &o.autopay)
    }

    /// 车辆信息.
    pub fn details(&self) -> &VehicleDetails {
        &self.details
    }

    /// Whether `user` may change 车辆信息: the owner, or while nobody owns the car anyone with a
    /// live relation (SPEC §11).
    pub fn may_edit_details(&self, user: &UserId) -> bool {
        match self.owner() {
            Some(owner) => &owner.user == user,
            None => self.has_live_relation(user),
        }
    }

    /// The relation of a user who is not the owner.
    pub fn relation(&self, user: &UserId) -> Option<&Relation> {
        self.relations.get(user)
    }

    /// Every non-owner relation, by user.
    pub fn relations(&self) -> impl Iterator<Item = (&UserId, &Relation)> {
        self.relations.iter()
    }

    /// A user's relation, the owner included; `None` if the user has none.
    pub fn state_of(&self, user: &UserId) -> Option<RelationState> {
        if self.is_owner(user) {
            Some(RelationState::Certified)
        } else {
            self.relations.get(user).map(Relation::state)
        }
    }

    /// Whether `user` has a live relation the owner (if any) accepted: the owner, an authorized
    /// user, or anyone added, certifying or appealing while the plate has no owner.
    pub fn has_live_relation(&self, user: &UserId) -> bool {
        match self.state_of(user) {
            None | Some(RelationState::Notice(_)) => false,
            Some(RelationState::Certified | RelationState::Authorized) => true,
            Some(RelationState::AwaitingAuthorization) => false,
            Some(RelationState::Added | RelationState::Certifying | RelationState::Appealing) => {
                self.owner.is_none()
            }
        }
    }

    /// The dialog waiting for `user` on this plate, if any.
    pub fn notice_for(&self, user: &UserId) -> Option<(NoticeId, NoticeKind)> {
        if let Some(owner) = self.owner.as_ref().filter(|o| &o.user == user) {
            return owner
                .appeal_succeeded
                .clone()
                .map(|id| (id, NoticeKind::AppealSucceeded));
        }
        match self.relations.get(user) {
            Some(Relation::Notice(notice)) => Some((notice.id.clone(), notice.kind.into())),
            Some(
                Relation::Added { .. }
                | Relation::Certifying(_)
                | Relation::AwaitingAuthorization { .. }
                | Relation::Authorized { .. }
                | Relation::Appealing(_),
            )
            | None => None,
        }
    }

    /// The operator's reason shown with the dialog waiting for `user`, if it has one.
    pub fn notice_reason(&self, user: &UserId) -> Option<&str> {
        match self.relations.get(user) {
            Some(Relation::Notice(notice)) => notice.reason.as_deref(),
            _ => None,
        }
    }

    /// How many users wait for the owner's answer (授权申请 N on the owner's card).
    pub fn pending_requests(&self) -> usize {
        self.relations
            .values()
            .filter(|r| matches!(r, Relation::AwaitingAuthorization { .. }))
            .count()
    }

    /// The certifications and appeals waiting for an operator, oldest first.
    pub fn pending_reviews(&self) -> Vec<PendingReview> {
        let mut reviews: Vec<PendingReview> = self
            .relations
            .iter()
            .filter_map(|(user, relation)| match relation {
                Relation::Certifying(r) => Some(PendingReview {
                    id: r.id.clone(),
                    kind: ReviewKind::Certification,
                    user: user.clone(),
                    evidence: r.evidence.clone(),
                    statement: r.owner_name.clone(),
                    submitted_at: r.submitted_at,
                }),
                Relation::Appealing(r) => Some(PendingReview {
                    id: r.id.clone(),
                    kind: ReviewKind::Appeal,
                    user: user.clone(),
                    evidence: r.evidence.clone(),
                    statement: r.reason.clone(),
                    submitted_at: r.submitted_at,
                }),
                Relation::Added { .. }
                | Relation::AwaitingAuthorization { .. }
                | Relation::Authorized { .. }
                | Relation::Notice(_) => None,
            })
            .collect();
        reviews.sort_by(|a, b| (a.submitted_at, &a.id).cmp(&(b.submitted_at, &b.id)));
        reviews
    }

    /// The latest events, accepted and refused, oldest first (at most [`REMEMBERED_EVENTS`]).
    pub fn recent_events(&self) -> impl Iterator<Item = &Event> {
        self.recent.iter()
    }

    /// The sequence number of the last event applied (0 for a new vehicle).
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// The outcome of an earlier request with this id from this actor, if remembered: the
    /// events it produced, or the error it got.
    pub fn replay(
        &self,
        actor: &Actor,
        request_id: &RequestId,
    ) -> Option<Result<Vec<Event>, CommandError>> {
        let events: Vec<&Event> = self
            .recent
            .iter()
            .filter(|e| &e.actor == actor && &e.request_id == request_id)
            .collect();
        if let [only] = events.as_slice() {
            if let Change::Refused { error } = &only.change {
                return Some(Err(error.clone()));
            }
        }
        (!events.is_empty()).then(|| Ok(events.into_iter().cloned().collect()))
    }

    /// Whether `id` names something this vehicle numbered already (a review that is no longer
    /// pending was decided or withdrawn; a larger number was never handed out).
    pub(crate) fn numbered(&self, id: &ReviewId) -> bool {
        id.plate() == &self.plate && id.seq() <= self.last_seq
    }

    pub(crate) fn owner_mut(&mut self) -> Option<&mut Owner> {
        self.owner.as_mut()
    }

    pub(crate) fn set_details(&mut self, details: VehicleDetails) {
        self.details = details;
    }

    pub(crate) fn set_owner(&mut self, owner: Option<Owner>) {
        if let Some(o) = &owner {
            self.relations.remove(&o.user);
        }
        self.owner = owner;
    }

    pub(crate) fn set_relation(&mut self, user: &UserId, relation: Relation) {
        if self.is_owner(user) {
            self.owner = None;
        }
        self.relations.insert(user.clone(), relation);
    }

    pub(crate) fn remove_user(&mut self, user: &UserId) {
        if self.is_owner(user) {
            self.owner = None;
        }
        self.relations.remove(user);
    }

    pub(crate) fn record(&mut self, event: &Event) {
        self.last_seq = event.seq;
        self.recent.push_back(event.clone());
        while self.recent.len() > REMEMBERED_EVENTS {
            self.recent.pop_front();
        }
    }
}
