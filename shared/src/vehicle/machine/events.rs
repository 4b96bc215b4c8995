//! The events builder: collects the events of one command, numbering them after the vehicle's
//! last event, and the "effect on others" of SPEC §3 that several commands share.

use crate::ids::{NoticeId, ReviewId, UserId};
use crate::plate::Plate;
use crate::timestamp::Timestamp;
use crate::vehicle::command::{Actor, AppealClaim, Certification, Command};
use crate::vehicle::event::{Change, Event};
use crate::vehicle::refusal::CommandError;
use crate::vehicle::state::{AppealReview, CertificationReview, EndedKind, Relation, Vehicle};

/// Collects the events of one command, numbering them after the vehicle's last event.
pub(super) struct Events<'a> {
    /// The vehicle before the command.
    pub(super) state: &'a Vehicle,
    /// The command.
    pub(super) command: &'a Command,
    /// Who sent it.
    pub(super) actor: &'a Actor,
    now: Timestamp,
    events: Vec<Event>,
}

impl<'a> Events<'a> {
    pub(super) const fn new(
        state: &'a Vehicle,
        command: &'a Command,
        actor: &'a Actor,
        now: Timestamp,
    ) -> Self {
        Self {
            state,
            command,
            actor,
            now,
            events: Vec::new(),
        }
    }

    fn next_seq(&self) -> u64 {
        self.state.last_seq() + 1 + self.events.len() as u64
    }

    fn plate(&self) -> Plate {
        self.state.plate().clone()
    }

    /// The id a notice created by the next event gets.
    pub(super) fn next_notice(&self) -> NoticeId {
        NoticeId::new(self.plate(), self.next_seq())
    }

    /// The id a review created by the next event gets.
    fn next_review(&self) -> ReviewId {
        ReviewId::new(self.plate(), self.next_seq())
    }

    pub(super) fn push(&mut self, change: Change) {
        let event = Event {
            seq: self.next_seq(),
            request_id: self.command.request_id.clone(),
            actor: self.actor.clone(),
            at: self.now,
            change,
        };
        self.events.push(event);
    }

    pub(super) fn notify(&mut self, user: &UserId, kind: EndedKind) {
        let notice = self.next_notice();
        self.push(Change::NoticeIssued {
            user: user.clone(),
            notice,
            kind,
        });
    }

    pub(super) fn submit_certification(&mut self, user: &UserId, c: &Certification) {
        let review = CertificationReview {
            id: self.next_review(),
            owner_name: c.owner_name.trim().to_owned(),
            evidence: c.evidence.clone(),
            submitted_at: self.now,
        };
        self.push(Change::CertificationSubmitted {
            user: user.clone(),
            review,
        });
    }

    pub(super) fn submit_appeal(&mut self, user: &UserId, a: &AppealClaim) {
        let review = AppealReview {
            id: self.next_review(),
            reason: a.reason.trim().to_owned(),
            evidence: a.evidence.clone(),
            submitted_at: self.now,
        };
        self.push(Change::AppealSubmitted {
            user: user.clone(),
            review,
        });
    }

    /// Every authorized or waiting user loses the car (the owner changed or left).
    pub(super) fn revoke_dependants(&mut self, kind: EndedKind) {
        let dependants: Vec<UserId> = self
            .state
            .relations()
            .filter(|(_, r)| {
                matches!(
                    r,
                    Relation::Authorized { .. } | Relation::AwaitingAuthorization { .. }
                )
            })
            .map(|(u, _)| u.clone())
            .collect();
        for user in &dependants {
            self.notify(user, kind);
        }
    }

    /// Everyone added or certifying, but `except`, loses the car to a new owner.
    pub(super) fn displace_claimants(&mut self, except: &UserId) {
        let claimants: Vec<UserId> = self
            .state
            .relations()
            .filter(|(u, r)| {
                *u != except && matches!(r, Relation::Added { .. } | Relation::Certifying(_))
            })
            .map(|(u, _)| u.clone())
            .collect();
        for user in &claimants {
            self.notify(user, EndedKind::CertifiedByOther);
        }
    }

    /// The events collected: the command's answer.
    pub(super) fn done(self) -> Result<Vec<Event>, CommandError> {
        Ok(self.events)
    }
}
