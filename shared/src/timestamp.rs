//! Instants as the core sees them: given by the caller, never read from a clock.
//!
//! Stored as Unix milliseconds so comparisons and durations are plain integer arithmetic; on the
//! wire they are RFC 3339 strings (API.md: "times RFC 3339").

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// RFC 3339 with exactly three fractional digits, in UTC.
const FIXED: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
);

/// A moment in time (when something happened), in Unix milliseconds, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The moment `millis` milliseconds after 1970-01-01T00:00:00Z.
    pub const fn from_unix_millis(millis: i64) -> Self {
        Self(millis)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// Parses an RFC 3339 text such as `2025-01-31T08:00:00+08:00`.
    ///
    /// # Errors
    /// [`TimestampError`] when the text is not RFC 3339.
    pub fn parse_rfc3339(text: &str) -> Result<Self, TimestampError> {
        let at = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| TimestampError)?;
        let millis = at.unix_timestamp_nanos() / 1_000_000;
        i64::try_from(millis).map(Self).map_err(|_| TimestampError)
    }

    /// The RFC 3339 text in UTC with milliseconds, e.g. `2025-01-31T00:00:00.000Z`: always the
    /// same width, so texts sort as the moments do.
    ///
    /// # Errors
    /// [`TimestampError`] for moments outside years 0000–9999, which RFC 3339 cannot write.
    pub fn to_rfc3339(self) -> Result<String, TimestampError> {
        let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)
            .map_err(|_| TimestampError)?;
        at.format(FIXED).map_err(|_| TimestampError)
    }

    /// Whole minutes from `self` to `later` (0 if `later` is not after `self`).
    pub fn minutes_until(self, later: Timestamp) -> u64 {
        u64::try_from(later.0.saturating_sub(self.0) / 60_000).unwrap_or(0)
    }
}

/// A time that is not valid RFC 3339 or lies outside years 0000–9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("时间格式不正确")]
pub struct TimestampError;

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_rfc3339() {
            Ok(text) => f.write_str(&text),
            Err(_) => write!(f, "@{}ms", self.0),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.to_rfc3339().map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn texts_have_one_width_and_sort_like_the_moments() {
        let a = Timestamp::from_unix_millis(1_764_322_117_510);
        let b = Timestamp::from_unix_millis(1_764_322_117_511);
        let (ta, tb) = (a.to_rfc3339().unwrap(), b.to_rfc3339().unwrap());
        assert_eq!(ta, "2025-11-28T09:28:37.510Z");
        assert_eq!(ta.len(), tb.len());
        assert!(ta < tb);
        assert_eq!(Timestamp::parse_rfc3339(&ta), Ok(a));
    }

    #[test]
    fn rfc3339_round_trip_keeps_millis() {
        let t = Timestamp::from_unix_millis(1_738_281_600_123);
        let text = t.to_rfc3339().unwrap();
        assert_eq!(text, "2025-01-31T00:00:00.123Z");
        assert_eq!(Timestamp::parse_rfc3339(&text).unwrap(), t);
        assert_eq!(
            Timestamp::parse_rfc3339("2025-01-31T08:00:00+08:00").unwrap(),
            Timestamp::from_unix_millis(1_738_281_600_000)
        );
    }

    #[test]
    fn bad_text_is_an_error_not_a_panic() {
        assert!(Timestamp::parse_rfc3339("yesterday").is_err());
        assert!(Timestamp::from_unix_millis(i64::MAX).to_rfc3339().is_err());
    }
}
