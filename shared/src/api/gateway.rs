//! `POST /api/gateway/events`: car parks and charging stations report entries and exits.

use serde::{Deserialize, Serialize};

use crate::ids::{FacilityId, OrderId};
use crate::timestamp::Timestamp;

/// What a facility saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GatewayEventKind {
    /// A car entered a car park.
    Entry,
    /// A car left a car park.
    Exit,
    /// Charging started.
    ChargeStart,
    /// Charging ended.
    ChargeEnd,
}

/// The signed body a facility posts (HMAC in `X-Signature`, time in `X-Timestamp`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayEvent {
    /// The facility's id for this event; a repeat changes nothing.
    pub event_id: String,
    /// Which facility.
    pub facility_id: FacilityId,
    /// What happened.
    pub kind: GatewayEventKind,
    /// The plate as the camera read it (parsed by the edge).
    pub plate: String,
    /// When.
    pub at: Timestamp,
    /// The fee at exit / charge end, in fen.
    #[serde(default)]
    pub fee_fen: Option<u64>,
}

/// The answer, identical for a repeated `event_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayEventResponse {
    /// The event acknowledged.
    pub event_id: String,
    /// The order opened or closed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
}
