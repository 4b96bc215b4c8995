//! How long a sign-in lasts: an absolute lifetime from sign-in, an idle timeout since the session
//! was last used, and how often "last used" is written down (at most hourly, to keep writes low).

use crate::timestamp::Timestamp;

const HOUR_MS: i64 = 60 * 60 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// A session ends this long after sign-in, used or not.
pub const ABSOLUTE_TTL_MS: i64 = 30 * DAY_MS;
/// A session ends after this long unused.
pub const IDLE_TTL_MS: i64 = 7 * DAY_MS;
/// "Last used" is written again only once it is this old: the idle timeout is then exact to
/// within this much, and a busy session costs one write an hour.
pub const TOUCH_EVERY_MS: i64 = HOUR_MS;

/// What to do with a stored session at a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCheck {
    /// Signed in; `touch` says to write the request's time as "last used".
    Live {
        /// Whether "last used" is old enough to be written again.
        touch: bool,
    },
    /// Signed out: 30 days since sign-in, or 7 days unused.
    Expired,
}

/// The session's fate at `now`, given when it ends at the latest (`expires_at`, sign-in plus
/// [`ABSOLUTE_TTL_MS`]) and when it was last used (`last_seen`).
pub fn check(expires_at: Timestamp, last_seen: Timestamp, now: Timestamp) -> SessionCheck {
    let now_ms = now.unix_millis();
    let idle_ms = now_ms - last_seen.unix_millis();
    if now_ms >= expires_at.unix_millis() || idle_ms >= IDLE_TTL_MS {
        return SessionCheck::Expired;
    }
    SessionCheck::Live {
        touch: idle_ms >= TOUCH_EVERY_MS,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use rstest::rstest;

    const SIGN_IN: i64 = 1_800_000_000_000;
    const MIN: i64 = 60 * 1000;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(SIGN_IN + ms)
    }

    #[rstest]
    #[case::just_signed_in(0, 0, SessionCheck::Live { touch: false })]
    #[case::used_a_minute_ago(10 * MIN, 11 * MIN, SessionCheck::Live { touch: false })]
    #[case::last_used_an_hour_ago_is_written_again(0, HOUR_MS, SessionCheck::Live { touch: true })]
    #[case::six_days_idle_still_signed_in(0, 6 * DAY_MS, SessionCheck::Live { touch: true })]
    #[case::seven_days_idle_signs_out(0, 7 * DAY_MS, SessionCheck::Expired)]
    #[case::idle_counts_from_last_use(20 * DAY_MS, 26 * DAY_MS, SessionCheck::Live { touch: true })]
    #[case::used_daily_still_ends_at_thirty_days(ABSOLUTE_TTL_MS - HOUR_MS, ABSOLUTE_TTL_MS, SessionCheck::Expired)]
    #[case::a_minute_before_thirty_days(ABSOLUTE_TTL_MS - 2 * MIN, ABSOLUTE_TTL_MS - MIN, SessionCheck::Live { touch: false })]
    fn a_session_ends_thirty_days_after_sign_in_or_seven_days_unused(
        #[case] last_seen: i64,
        #[case] now: i64,
        #[case] expected: SessionCheck,
    ) {
        let expires_at = at(ABSOLUTE_TTL_MS);
        assert_eq!(check(expires_at, at(last_seen), at(now)), expected);
    }
}
