//! The vehicle aggregate (SPEC §3): everything about one plate that must change atomically.
//!
//! One Durable Object owns one plate's [`Vehicle`]. It calls [`execute`] (or [`decide`] then
//! [`apply`]) with the command, who sent it, the time and the tenant policy, stores the new state
//! and answers with the outcome. Nothing here reads a clock or does I/O.

pub mod command;
pub mod details;
pub mod event;
pub mod machine;
pub mod refusal;
pub mod state;

pub use command::{Actor, AppealClaim, Certification, Command, CommandKind, TextField};
pub use details::{DetailField, PlateColor, VehicleDetails};
pub use event::{Change, Event};
pub use machine::{apply, decide, execute, Execution};
pub use refusal::{CommandError, LegacyRefusal};
pub use state::{
    AppealReview, CertificationReview, EndedKind, Notice, NoticeKind, Owner, PendingReview,
    Relation, RelationState, ReviewKind, Vehicle, VehicleState, REMEMBERED_EVENTS,
};
