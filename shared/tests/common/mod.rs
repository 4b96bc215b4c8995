//! Test helpers: a vehicle driven by short named steps, and the SPEC §3 invariants.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;

use shared::ids::{NoticeId, RequestId, ReviewId, UploadId, UserId};
use shared::payment::AutopaySettings;
use shared::privacy::PrivacySettings;
use shared::vehicle::{
    execute, Actor, AppealClaim, Certification, Change, Command, CommandError, CommandKind, Event,
    Owner, Relation, RelationState, Vehicle,
};
use shared::{Plate, TenantPolicy, Timestamp};

pub const USERS: [&str; 5] = ["u0", "u1", "u2", "u3", "u4"];

pub fn plate() -> Plate {
    Plate::parse("闽D12337").unwrap()
}

pub fn user(name: &str) -> UserId {
    UserId::new(name)
}

pub fn operator() -> Actor {
    Actor::Operator(UserId::new("op"))
}

pub fn certification() -> Certification {
    Certification {
        owner_name: "张三".to_owned(),
        evidence: vec![UploadId::new("up-1")],
    }
}

pub fn appeal() -> AppealClaim {
    AppealClaim {
        reason: "我是车主,有行驶证".to_owned(),
        evidence: vec![UploadId::new("up-2")],
    }
}

/// A vehicle plus what the tests need to name things: each user's latest review.
pub struct World {
    pub vehicle: Vehicle,
    pub reviews: BTreeMap<UserId, ReviewId>,
    pub step: u64,
    /// Every event, as the plate's object logs it.
    pub log: Vec<Event>,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    pub fn new() -> Self {
        Self {
            vehicle: Vehicle::new(plate()),
            reviews: BTreeMap::new(),
            step: 0,
            log: Vec::new(),
        }
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(1_738_281_600_000 + self.step as i64 * 60_000)
    }

    pub fn run(
        &mut self,
        actor: &Actor,
        kind: CommandKind,
        policy: TenantPolicy,
    ) -> Result<Vec<Event>, CommandError> {
        self.step += 1;
        let command = Command {
            request_id: RequestId::new(format!("req-{}", self.step)),
            kind,
        };
        self.run_command(actor, &command, policy)
    }

    pub fn run_command(
        &mut self,
        actor: &Actor,
        command: &Command,
        policy: TenantPolicy,
    ) -> Result<Vec<Event>, CommandError> {
        let state = std::mem::replace(&mut self.vehicle, Vehicle::new(plate()));
        let exec = execute(state, command, actor, self.now(), policy);
        self.vehicle = exec.state;
        self.log.extend(exec.new_events.iter().cloned());
        for e in &exec.new_events {
            match &e.change {
                Change::CertificationSubmitted { user, review } => {
                    self.reviews.insert(user.clone(), review.id.clone());
                }
                Change::AppealSubmitted { user, review } => {
                    self.reviews.insert(user.clone(), review.id.clone());
                }
                _ => {}
            }
        }
        exec.outcome
    }

    /// The latest review of `name`, or an id that never existed.
    pub fn review_of(&self, name: &str) -> ReviewId {
        self.reviews
            .get(&user(name))
            .cloned()
            .unwrap_or_else(|| ReviewId::new(plate(), 99_999))
    }

    /// The notice waiting for `name`, or an id that never existed.
    pub fn notice_of(&self, name: &str) -> NoticeId {
        self.vehicle
            .notice_for(&user(name))
            .map(|(id, _)| id)
            .unwrap_or_else(|| NoticeId::new(plate(), 99_999))
    }

    pub fn owner_actor(&self) -> Actor {
        Actor::User(
            self.vehicle
                .owner()
                .map(|o| o.user.clone())
                .unwrap_or_else(|| user("u0")),
        )
    }

    pub fn state_of(&self, name: &str) -> Option<RelationState> {
        self.vehicle.state_of(&user(name))
    }

    /// Every event, refusals included, oldest first (the plate's log, as 工作台 shows it).
    pub fn log(&self) -> Vec<Event> {
        self.log.clone()
    }

    /// The accepted events, oldest first.
    pub fn history(&self) -> Vec<Event> {
        self.log
            .iter()
            .filter(|e| !matches!(e.change, Change::Refused { .. }))
            .cloned()
            .collect()
    }
}

/// What a refusal must leave as it was: the owner and every relation.
pub fn standing(v: &Vehicle) -> (Option<Owner>, Vec<(UserId, Relation)>) {
    (
        v.owner().cloned(),
        v.relations().map(|(u, r)| (u.clone(), r.clone())).collect(),
    )
}

/// The SPEC §3 invariants that hold for any single state.
pub fn check_state_invariants(v: &Vehicle) -> Result<(), String> {
    let certified = USERS
        .iter()
        .filter(|u| v.state_of(&user(u)) == Some(RelationState::Certified))
        .count();
    if certified > 1 {
        return Err(format!("{certified} certified users"));
    }
    if let Some(owner) = v.owner() {
        if v.relation(&owner.user).is_some() {
            return Err("owner also has a non-owner relation".into());
        }
    }
    for (u, r) in v.relations() {
        let needs_owner = matches!(
            r,
            Relation::Authorized { .. } | Relation::AwaitingAuthorization { .. }
        );
        let needs_no_owner = matches!(r, Relation::Added { .. } | Relation::Certifying(_));
        if needs_owner && v.owner().is_none() {
            return Err(format!("{u} is {:?} without an owner", r.state()));
        }
        if needs_no_owner && v.owner().is_some() {
            return Err(format!(
                "{u} is {:?} while the plate has an owner",
                r.state()
            ));
        }
    }
    Ok(())
}

/// Settings exist only with an owner (by type) and start afresh with a new one.
pub fn check_settings(before: &Vehicle, after: &Vehicle) -> Result<(), String> {
    let same_owner = match (before.owner(), after.owner()) {
        (Some(a), Some(b)) => a.user == b.user,
        _ => false,
    };
    if let Some(o) = after.owner() {
        if !same_owner
            && (o.privacy != PrivacySettings::default() || o.autopay != AutopaySettings::default())
        {
            return Err("a new owner inherited settings".into());
        }
    }
    Ok(())
}

/// Nobody's relation vanishes, and no dialog changes, unless they did it themselves.
pub fn check_no_silent_loss(
    before: &Vehicle,
    after: &Vehicle,
    actor: &Actor,
    kind: &CommandKind,
) -> Result<(), String> {
    for name in USERS {
        let u = user(name);
        let (b, a) = (before.state_of(&u), after.state_of(&u));
        let by_self = actor == &Actor::User(u.clone());
        if b.is_some() && a.is_none() {
            let own_ending = matches!(
                kind,
                CommandKind::Remove | CommandKind::CancelRequest | CommandKind::Acknowledge { .. }
            );
            if !(by_self && own_ending) {
                return Err(format!(
                    "{name}'s relation {b:?} vanished by {actor:?} {kind:?}"
                ));
            }
        }
        if let Some(RelationState::Notice(_)) = b {
            if a != b && !by_self {
                return Err(format!(
                    "{name}'s notice changed from {b:?} to {a:?} by {actor:?}"
                ));
            }
        }
    }
    Ok(())
}
