//! A car park's event (API.md `POST /api/gateway/events`), checked into what it does to a stay.
//!
//! The edge verifies who sent the event (timestamp window, signature); this decides whether the
//! event itself makes sense for the facility that sent it, and turns it into a [`StayChange`].

use serde::{Deserialize, Serialize};

use crate::api::{ErrorCode, GatewayEvent, GatewayEventKind};
use crate::money::Fen;
use crate::order::FacilityKind;
use crate::plate::{Plate, PlateError};
use crate::timestamp::Timestamp;

/// How long an edge isolate may use a facility's key and cap as it read them: a changed key (a
/// rotation, or a stolen key replaced) takes effect within this time.
pub const FACILITY_KEPT_MS: i64 = 60_000;

/// Whether a facility read at `read_at_ms` may still be used at `now_ms` (never if the clock
/// went back).
pub fn facility_still_kept(read_at_ms: i64, now_ms: i64) -> bool {
    (0..FACILITY_KEPT_MS).contains(&(now_ms - read_at_ms))
}

/// Longest `event_id` a facility may use.
pub const MAX_EVENT_ID: usize = 128;

/// The most one event may charge when the facility has no cap of its own (¥10,000): a car
/// park's bug or a stolen key cannot bill a driver without bound.
pub const DEFAULT_MAX_FEE: Fen = Fen::new(1_000_000);

/// What a facility may report: its kind of events and its cap on one fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    /// Car park (entry/exit) or charging station (charge start/end).
    pub kind: FacilityKind,
    /// The most one exit or charge end may charge.
    pub max_fee: Fen,
}

impl Terms {
    /// A facility of `kind` with its own cap (fen), or [`DEFAULT_MAX_FEE`].
    pub fn new(kind: FacilityKind, max_fee_fen: Option<u64>) -> Self {
        Self {
            kind,
            max_fee: max_fee_fen.map_or(DEFAULT_MAX_FEE, Fen::new),
        }
    }
}

/// What an event does to the plate's stay at the facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StayChange {
    /// A car entered, or charging started: a stay (an order) opens.
    Opens {
        /// When.
        at: Timestamp,
    },
    /// A car left, or charging ended: the open stay closes with its fee (0: nothing is due).
    Closes {
        /// When.
        at: Timestamp,
        /// The fee the facility charges.
        fee: Fen,
    },
}

impl StayChange {
    /// When it happened, by the facility's clock.
    pub const fn at(self) -> Timestamp {
        match self {
            Self::Opens { at } | Self::Closes { at, .. } => at,
        }
    }
}

/// An event that makes sense for the facility that sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarParkEvent {
    /// The facility's id for the event; a repeat changes nothing.
    pub event_id: String,
    /// The plate, parsed.
    pub plate: Plate,
    /// What it does to the stay.
    pub change: StayChange,
}

/// Why an event is refused (400): each names what the car park must fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventRefusal {
    /// `event_id` empty or too long.
    #[error("event_id 长度应为 1 到 {MAX_EVENT_ID} 个字符")]
    EventIdLength,
    /// Entry/exit at a charging station, or charging at a car park.
    #[error("事件类型与车场类型不符")]
    KindNotForFacility,
    /// An exit or charge end without its fee.
    #[error("出场和结束充电事件必须带 fee_fen")]
    FeeMissing,
    /// An entry or charge start with a fee.
    #[error("进场和开始充电事件不能带 fee_fen")]
    FeeAtStart,
    /// A fee above the facility's cap for one event.
    #[error("fee_fen 超过该车场单次费用上限（{0}）")]
    FeeAboveCap(Fen),
    /// The plate cannot be read.
    #[error("{0}")]
    Plate(PlateError),
}

impl EventRefusal {
    /// `invalid_plate` for a plate, `invalid_request` for the rest.
    pub const fn code(&self) -> ErrorCode {
        match self {
            Self::Plate(e) => e.code(),
            Self::EventIdLength
            | Self::KindNotForFacility
            | Self::FeeMissing
            | Self::FeeAtStart
            | Self::FeeAboveCap(_) => ErrorCode::InvalidRequest,
        }
    }
}

/// Checks `event` against the terms of the facility that sent it.
///
/// # Errors
/// The first [`EventRefusal`] that applies, in the order of its variants.
pub fn check_event(event: GatewayEvent, terms: Terms) -> Result<CarParkEvent, EventRefusal> {
    let facility = terms.kind;
    if event.event_id.is_empty() || event.event_id.len() > MAX_EVENT_ID {
        return Err(EventRefusal::EventIdLength);
    }
    let (fits, closes) = match event.kind {
        GatewayEventKind::Entry => (facility == FacilityKind::CarPark, false),
        GatewayEventKind::Exit => (facility == FacilityKind::CarPark, true),
        GatewayEventKind::ChargeStart => (facility == FacilityKind::ChargingStation, false),
        GatewayEventKind::ChargeEnd => (facility == FacilityKind::ChargingStation, true),
    };
    if !fits {
        return Err(EventRefusal::KindNotForFacility);
    }
    let change = match (closes, event.fee_fen) {
        (true, None) => return Err(EventRefusal::FeeMissing),
        (false, Some(_)) => return Err(EventRefusal::FeeAtStart),
        (true, Some(fee)) if Fen::new(fee) > terms.max_fee => {
            return Err(EventRefusal::FeeAboveCap(terms.max_fee))
        }
        (true, Some(fee)) => StayChange::Closes {
            at: event.at,
            fee: Fen::new(fee),
        },
        (false, None) => StayChange::Opens { at: event.at },
    };
    let plate = Plate::parse(&event.plate).map_err(EventRefusal::Plate)?;
    Ok(CarParkEvent {
        event_id: event.event_id,
        plate,
        change,
    })
}

#[cfg(test)]
mod kept_tests {
    use super::*;

    #[test]
    fn a_changed_facility_key_takes_effect_within_a_minute() {
        let read = 1_700_000_000_000;
        assert!(facility_still_kept(read, read));
        assert!(facility_still_kept(read, read + FACILITY_KEPT_MS - 1));
        assert!(!facility_still_kept(read, read + FACILITY_KEPT_MS));
        assert!(!facility_still_kept(read, read + 3_600_000));
        // A clock that went back reads again rather than keep a key longer.
        assert!(!facility_still_kept(read, read - 1));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use rstest::rstest;

    use super::*;
    use crate::api::GatewayEventKind::{ChargeEnd, ChargeStart, Entry, Exit};
    use crate::order::FacilityKind::{CarPark, ChargingStation};

    fn event(kind: GatewayEventKind, fee: Option<u64>) -> GatewayEvent {
        GatewayEvent {
            event_id: "e-1".to_owned(),
            facility_id: crate::ids::FacilityId::new("fac"),
            kind,
            plate: "闽D 12337".to_owned(),
            at: Timestamp::from_unix_millis(1_000),
            fee_fen: fee,
        }
    }

    #[rstest]
    #[case::entry(Entry, CarPark, None)]
    #[case::charge_start(ChargeStart, ChargingStation, None)]
    fn a_start_opens_a_stay(
        #[case] kind: GatewayEventKind,
        #[case] facility: FacilityKind,
        #[case] fee: Option<u64>,
    ) {
        let checked = check_event(event(kind, fee), Terms::new(facility, None)).unwrap();
        assert_eq!(checked.plate.as_str(), "闽D12337");
        assert_eq!(
            checked.change,
            StayChange::Opens {
                at: Timestamp::from_unix_millis(1_000)
            }
        );
    }

    #[rstest]
    #[case::exit(Exit, CarPark, 1500)]
    #[case::free_exit(Exit, CarPark, 0)]
    #[case::charge_end(ChargeEnd, ChargingStation, 2300)]
    fn an_end_closes_it_with_its_fee(
        #[case] kind: GatewayEventKind,
        #[case] facility: FacilityKind,
        #[case] fee: u64,
    ) {
        let checked = check_event(event(kind, Some(fee)), Terms::new(facility, None)).unwrap();
        assert_eq!(
            checked.change,
            StayChange::Closes {
                at: Timestamp::from_unix_millis(1_000),
                fee: Fen::new(fee)
            }
        );
    }

    #[rstest]
    #[case::entry_at_a_charging_station(
        Entry,
        ChargingStation,
        None,
        EventRefusal::KindNotForFacility
    )]
    #[case::charging_at_a_car_park(ChargeEnd, CarPark, Some(1), EventRefusal::KindNotForFacility)]
    #[case::exit_without_fee(Exit, CarPark, None, EventRefusal::FeeMissing)]
    #[case::charge_end_without_fee(ChargeEnd, ChargingStation, None, EventRefusal::FeeMissing)]
    #[case::entry_with_fee(Entry, CarPark, Some(0), EventRefusal::FeeAtStart)]
    #[case::charge_start_with_fee(ChargeStart, ChargingStation, Some(5), EventRefusal::FeeAtStart)]
    fn an_event_that_does_not_fit_is_refused(
        #[case] kind: GatewayEventKind,
        #[case] facility: FacilityKind,
        #[case] fee: Option<u64>,
        #[case] refusal: EventRefusal,
    ) {
        let refused = check_event(event(kind, fee), Terms::new(facility, None)).unwrap_err();
        assert_eq!(refused, refusal);
        assert_eq!(refused.code(), ErrorCode::InvalidRequest);
    }

    #[rstest]
    #[case::empty(String::new())]
    #[case::too_long("x".repeat(MAX_EVENT_ID + 1))]
    fn an_event_id_must_fit(#[case] id: String) {
        let mut e = event(Entry, None);
        e.event_id = id;
        assert_eq!(
            check_event(e, Terms::new(CarPark, None)),
            Err(EventRefusal::EventIdLength)
        );
    }

    #[test]
    fn the_longest_event_id_passes() {
        let mut e = event(Entry, None);
        e.event_id = "x".repeat(MAX_EVENT_ID);
        assert!(check_event(e, Terms::new(CarPark, None)).is_ok());
    }

    #[rstest]
    #[case::default_cap_itself(None, 1_000_000, true)]
    #[case::above_the_default_cap(None, 1_000_001, false)]
    #[case::own_cap_itself(Some(5_000), 5_000, true)]
    #[case::above_its_own_cap(Some(5_000), 5_001, false)]
    fn a_fee_above_the_facilitys_cap_is_refused(
        #[case] cap: Option<u64>,
        #[case] fee: u64,
        #[case] taken: bool,
    ) {
        let result = check_event(event(Exit, Some(fee)), Terms::new(CarPark, cap));
        if taken {
            assert!(result.is_ok());
        } else {
            let refused = result.unwrap_err();
            assert_eq!(refused.code(), ErrorCode::InvalidRequest);
            let cap = cap.map_or(DEFAULT_MAX_FEE, Fen::new);
            assert_eq!(refused, EventRefusal::FeeAboveCap(cap));
            assert!(refused.to_string().contains(&cap.to_string()));
        }
    }

    #[test]
    fn an_unreadable_plate_is_invalid_plate() {
        let mut e = event(Entry, None);
        e.plate = "XX12345".to_owned();
        let refused = check_event(e, Terms::new(CarPark, None)).unwrap_err();
        assert!(matches!(refused, EventRefusal::Plate(_)));
        assert_eq!(refused.code(), ErrorCode::InvalidPlate);
    }
}
