//! Rate limits against abuse: what is counted, how many per window, whether one more try is
//! allowed and, when not, how long to wait (`Retry-After`) and what to tell the person.
//!
//! The edge keeps the counters (a fixed window per key in D1) and asks [`decide`] with what the
//! counter says; every number lives in [`Limited::default_limit`]'s table, and a deployment can
//! raise or lower one with the wrangler var named by [`Limited::var_name`].

use crate::timestamp::Timestamp;

const MINUTE_MS: i64 = 60 * 1000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limited {
    /// Sign-in codes sent to one phone: nobody's phone is bombed with SMS.
    CodesPerPhone,
    /// Sign-in codes asked for from one IP address: one machine cannot send SMS to many phones.
    CodesPerIp,
    /// Sign-in codes sent by the whole deployment: a ceiling on the SMS bill (toll pumping from
    /// many addresses).
    CodesTotal,
    /// Sign-in tries for one phone from one IP address: guessing a code is slow, and tries from
    /// elsewhere do not use up the driver's own.
    SignInsPerPhoneIp,
    /// Sign-in tries for one phone from all addresses together: guessing from many addresses is
    /// slow too.
    SignInsPerPhone,
    /// Photos one user uploads in a day.
    UploadsPerUser,
    /// Vehicle commands one user sends (add, certify, appeal, settings…).
    CommandsPerUser,
}

/// How many tries per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Tries allowed in one window.
    pub max: i64,
    /// The window's length in milliseconds; it starts at the first try after the last one ended.
    pub window_ms: i64,
}

impl Limited {
    /// Every limit, for tests and documentation.
    pub const ALL: [Self; 7] = [
        Self::CodesPerPhone,
        Self::CodesPerIp,
        Self::CodesTotal,
        Self::SignInsPerPhoneIp,
        Self::SignInsPerPhone,
        Self::UploadsPerUser,
        Self::CommandsPerUser,
    ];

    /// The shipped numbers, used unless the deployment sets [`Self::var_name`].
    pub const fn default_limit(self) -> Limit {
        let (max, window_ms) = match self {
            Self::CodesPerPhone => (5, 10 * MINUTE_MS),
            // Generous for a mobile carrier's NAT, where many people share one address.
            Self::CodesPerIp => (30, HOUR_MS),
            Self::CodesTotal => (1000, HOUR_MS),
            Self::SignInsPerPhoneIp => (10, 10 * MINUTE_MS),
            Self::SignInsPerPhone => (30, HOUR_MS),
            // Three full claims of nine photos, and some retries.
            Self::UploadsPerUser => (30, DAY_MS),
            // Far beyond what a person taps; stops a script.
            Self::CommandsPerUser => (600, 10 * MINUTE_MS),
        };
        Limit { max, window_ms }
    }

    /// The wrangler var that overrides [`Self::default_limit`]'s `max` (a whole number).
    pub const fn var_name(self) -> &'static str {
        match self {
            Self::CodesPerPhone => "LIMIT_CODES_PER_PHONE",
            Self::CodesPerIp => "LIMIT_CODES_PER_IP",
            Self::CodesTotal => "LIMIT_CODES_TOTAL",
            Self::SignInsPerPhoneIp => "LIMIT_SIGN_INS_PER_PHONE_IP",
            Self::SignInsPerPhone => "LIMIT_SIGN_INS_PER_PHONE",
            Self::UploadsPerUser => "LIMIT_UPLOADS_PER_USER",
            Self::CommandsPerUser => "LIMIT_COMMANDS_PER_USER",
        }
    }

    /// The counter's key for `scope` (a phone, an address, a user id; `""` for the total).
    pub fn key(self, scope: &str) -> String {
        let prefix = match self {
            Self::CodesPerPhone => "code",
            Self::CodesPerIp => "code-ip",
            Self::CodesTotal => "code-all",
            Self::SignInsPerPhoneIp => "login-ip",
            Self::SignInsPerPhone => "login",
            Self::UploadsPerUser => "upload",
            Self::CommandsPerUser => "command",
        };
        format!("{prefix}:{scope}")
    }

    /// What the person is told when refused, with how long to wait.
    pub fn message(self, retry_after_secs: u64) -> String {
        let wait = wait_text(retry_after_secs);
        match self {
            Self::CodesPerPhone => format!("该手机号获取验证码过于频繁，请{wait}后再试。"),
            Self::CodesPerIp => format!("当前网络获取验证码过于频繁，请{wait}后再试。"),
            Self::CodesTotal => format!("验证码发送繁忙，请{wait}后再试。"),
            Self::SignInsPerPhoneIp | Self::SignInsPerPhone => {
                format!("登录尝试次数过多，请{wait}后重新获取验证码。")
            }
            Self::UploadsPerUser => format!("今天上传的照片已达上限，请{wait}后再试。"),
            Self::CommandsPerUser => format!("操作过于频繁，请{wait}后再试。"),
        }
    }
}

impl Limit {
    /// This limit with `max` tries instead (a deployment's override).
    pub const fn with_max(self, max: i64) -> Self {
        Self {
            max,
            window_ms: self.window_ms,
        }
    }
}

/// Whether a try may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within the limit.
    Allowed,
    /// Over the limit: answer 429 with `Retry-After: retry_after_secs`.
    Refused {
        /// Whole seconds until the window ends (at least 1).
        retry_after_secs: u64,
    },
}

/// Whether the try that made the window's count `count` is allowed, the window having started
/// at `window_start`; when not, how long until the window ends (rounded up to whole seconds,
/// so a client waiting that long is never refused again by this window).
pub fn decide(limit: Limit, count: i64, window_start: Timestamp, now: Timestamp) -> Verdict {
    if count <= limit.max {
        return Verdict::Allowed;
    }
    let left_ms = window_start.unix_millis() + limit.window_ms - now.unix_millis();
    let secs = (left_ms.max(0) as u64).div_ceil(1000);
    Verdict::Refused {
        retry_after_secs: secs.max(1),
    }
}

/// A wait as people say it: 秒 under a minute, else 分钟 under an hour, else 小时 (rounded up).
fn wait_text(secs: u64) -> String {
    match secs {
        0..=59 => format!("{}秒", secs.max(1)),
        60..=3599 => format!("{}分钟", secs.div_ceil(60)),
        _ => format!("{}小时", secs.div_ceil(3600)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use rstest::rstest;

    const T0: i64 = 1_800_000_000_000;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_millis(T0 + ms)
    }

    #[rstest]
    #[case::first_try(1, 0, Verdict::Allowed)]
    #[case::the_last_allowed(5, 599_000, Verdict::Allowed)]
    #[case::one_over_at_the_start(6, 0, Verdict::Refused { retry_after_secs: 600 })]
    #[case::one_over_mid_window(6, 120_000, Verdict::Refused { retry_after_secs: 480 })]
    #[case::rounds_up_a_partial_second(7, 120_001, Verdict::Refused { retry_after_secs: 480 })]
    #[case::never_less_than_a_second(9, 599_999, Verdict::Refused { retry_after_secs: 1 })]
    #[case::a_stale_window_still_says_one_second(9, 700_000, Verdict::Refused { retry_after_secs: 1 })]
    fn decides_with_the_seconds_left_in_the_window(
        #[case] count: i64,
        #[case] now_ms: i64,
        #[case] expected: Verdict,
    ) {
        let limit = Limited::CodesPerPhone.default_limit();
        assert_eq!(
            limit,
            Limit {
                max: 5,
                window_ms: 10 * MINUTE_MS
            }
        );
        assert_eq!(decide(limit, count, at(0), at(now_ms)), expected);
    }

    #[rstest]
    #[case::codes_per_phone(Limited::CodesPerPhone, 5, 10 * MINUTE_MS)]
    #[case::codes_per_ip(Limited::CodesPerIp, 30, HOUR_MS)]
    #[case::codes_total(Limited::CodesTotal, 1000, HOUR_MS)]
    #[case::sign_ins_per_phone_ip(Limited::SignInsPerPhoneIp, 10, 10 * MINUTE_MS)]
    #[case::sign_ins_per_phone(Limited::SignInsPerPhone, 30, HOUR_MS)]
    #[case::uploads_per_user(Limited::UploadsPerUser, 30, DAY_MS)]
    #[case::commands_per_user(Limited::CommandsPerUser, 600, 10 * MINUTE_MS)]
    fn each_limit_refuses_the_try_after_its_max(
        #[case] limited: Limited,
        #[case] max: i64,
        #[case] window_ms: i64,
    ) {
        let limit = limited.default_limit();
        assert_eq!(limit, Limit { max, window_ms });
        assert_eq!(decide(limit, max, at(0), at(1)), Verdict::Allowed);
        let refused = decide(limit, max + 1, at(0), at(1));
        let expected = ((window_ms - 1) as u64).div_ceil(1000);
        assert_eq!(
            refused,
            Verdict::Refused {
                retry_after_secs: expected
            }
        );
    }

    #[test]
    fn a_deployment_override_changes_the_count_not_the_window() {
        let limit = Limited::CommandsPerUser.default_limit().with_max(2);
        assert_eq!(decide(limit, 2, at(0), at(0)), Verdict::Allowed);
        assert_eq!(
            decide(limit, 3, at(0), at(60_000)),
            Verdict::Refused {
                retry_after_secs: 540
            }
        );
    }

    #[test]
    fn names_keys_and_vars_are_distinct() {
        let keys: std::collections::HashSet<_> = Limited::ALL.iter().map(|l| l.key("x")).collect();
        let vars: std::collections::HashSet<_> =
            Limited::ALL.iter().map(|l| l.var_name()).collect();
        assert_eq!(keys.len(), Limited::ALL.len());
        assert_eq!(vars.len(), Limited::ALL.len());
        // The per-phone code counter keeps its key, so a deploy does not reset it.
        assert_eq!(
            Limited::CodesPerPhone.key("13800000001"),
            "code:13800000001"
        );
    }

    #[rstest]
    #[case::seconds(45, "45秒")]
    #[case::a_minute(60, "1分钟")]
    #[case::minutes_round_up(61, "2分钟")]
    #[case::hours_round_up(3601, "2小时")]
    fn messages_say_how_long_to_wait(#[case] secs: u64, #[case] wait: &str) {
        for limited in Limited::ALL {
            let message = limited.message(secs);
            assert!(message.contains(wait), "{message}");
            assert!(
                message.ends_with('。') && !message.contains(','),
                "{message}"
            );
        }
    }
}
