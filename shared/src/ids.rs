//! Identifiers: who (users), which request, which upload, which facility, which review, notice
//! or inbox message.
//!
//! Review and notice ids are made by the vehicle aggregate itself, from its plate and the
//! sequence number of the event that created them (`闽D12337-7`): deterministic (no randomness in
//! the core) and routable (the edge finds the plate's Durable Object from the id alone).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::plate::Plate;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id issued by the edge (database key, client-chosen UUID…).
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// A user account (a driver, or an operator acting as one).
    UserId
);
string_id!(
    /// A client-chosen id for one command: a retry with the same id gets the same outcome.
    RequestId
);
string_id!(
    /// An uploaded evidence photo (`POST /api/uploads`).
    UploadId
);
string_id!(
    /// A car park or charging station: the id it signs its gateway events with (D1 `facilities`).
    FacilityId
);
string_id!(
    /// One message in one user's inbox (消息); see [`MessageId::numbered`].
    MessageId
);

impl MessageId {
    /// The id of the `n`th message `plate`'s object sent (`m-闽D12337-7`): unique across plates,
    /// and the same on every delivery of that message, so D1 keeps it once.
    pub fn numbered(plate: &Plate, n: u64) -> Self {
        Self(format!("m-{plate}-{n}"))
    }
}

macro_rules! seq_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name {
            plate: Plate,
            seq: u64,
        }

        impl $name {
            /// The id of the item the event numbered `seq` of `plate` created.
            pub fn new(plate: Plate, seq: u64) -> Self {
                Self { plate, seq }
            }

            /// The vehicle it belongs to: which aggregate to ask.
            pub fn plate(&self) -> &Plate {
                &self.plate
            }

            /// The sequence number of the creating event within the vehicle's history.
            pub fn seq(&self) -> u64 {
                self.seq
            }

            /// Reads `闽D12337-7`; `None` for anything else.
            pub fn parse(text: &str) -> Option<Self> {
                let (plate, seq) = text.rsplit_once('-')?;
                let plate = Plate::parse(plate).ok()?;
                // Only the canonical form, so one item has one id text.
                if seq.starts_with('+') || (seq.len() > 1 && seq.starts_with('0')) {
                    return None;
                }
                let seq = seq.parse().ok()?;
                let id = Self { plate, seq };
                (id.to_string() == text).then_some(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}-{}", self.plate, self.seq)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text)
                    .ok_or_else(|| serde::de::Error::custom(concat!("invalid ", stringify!($name))))
            }
        }
    };
}

seq_id!(
    /// A certification or appeal waiting for (or once given to) an operator's review.
    ReviewId
);
seq_id!(
    /// A coupon issued to a plate (车辆优惠券), numbered within the plate's coupons.
    CouponId
);
seq_id!(
    /// A parking or charging order, numbered within the plate's orders: the id says which
    /// vehicle object holds it.
    OrderId
);
seq_id!(
    /// One dialog shown to one user about one vehicle (SPEC §4), answered by acknowledging it.
    NoticeId
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn seq_ids_round_trip_as_text() {
        let plate = Plate::parse("闽D12337").unwrap();
        let id = ReviewId::new(plate.clone(), 7);
        assert_eq!(id.to_string(), "闽D12337-7");
        assert_eq!(ReviewId::parse("闽D12337-7"), Some(id.clone()));
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"闽D12337-7\"");
        assert_eq!(
            serde_json::from_str::<ReviewId>("\"闽D12337-7\"").unwrap(),
            id
        );
        assert_eq!(id.plate(), &plate);
        for bad in [
            "闽D12337",
            "闽D12337-",
            "闽D12337-07",
            "闽d12337-7",
            "x-1",
            "闽D12337-+7",
        ] {
            assert_eq!(NoticeId::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn message_ids_name_their_plate_and_number() {
        let plate = Plate::parse("闽D12337").unwrap();
        let id = MessageId::numbered(&plate, 7);
        assert_eq!(id.as_str(), "m-闽D12337-7");
        assert_eq!(id, MessageId::new("m-闽D12337-7"));
        assert_ne!(
            id,
            MessageId::numbered(&Plate::parse("闽D12333").unwrap(), 7)
        );
        assert_ne!(id, MessageId::numbered(&plate, 8));
    }

    #[test]
    fn string_ids_are_plain_strings_on_the_wire() {
        let message = MessageId::numbered(&Plate::parse("闽DD12345").unwrap(), 12);
        assert_eq!(
            serde_json::to_string(&message).unwrap(),
            "\"m-闽DD12345-12\""
        );
        // Ids a client sends back are taken as they are (an unknown one marks nothing read).
        assert_eq!(
            serde_json::from_str::<MessageId>("\"m1\"").unwrap(),
            MessageId::new("m1")
        );
        let facility = FacilityId::new("xinghe-parking");
        assert_eq!(facility.to_string(), "xinghe-parking");
        assert_eq!(
            serde_json::to_string(&facility).unwrap(),
            "\"xinghe-parking\""
        );
        assert_eq!(
            serde_json::from_str::<FacilityId>("\"xinghe-parking\"").unwrap(),
            facility
        );
        assert!(serde_json::from_str::<FacilityId>("7").is_err());
    }
}
