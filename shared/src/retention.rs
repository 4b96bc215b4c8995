//! How long personal data is kept (PIPL: no longer than its purpose needs), and the cut-offs an
//! hourly sweep deletes before. Every period is here once; README "Retention" states them.

use crate::api::ErrorCode;
use crate::timestamp::Timestamp;

const HOUR_MS: i64 = 3600 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Evidence photos are kept this many days after their certification or appeal was decided
/// (long enough for a complaint about the decision), then deleted.
pub const EVIDENCE_DAYS_AFTER_DECISION: i64 = 180;
/// Inbox messages are kept this many days.
pub const MESSAGE_DAYS: i64 = 180;
/// A photo uploaded but never cited by a certification or appeal is deleted after this many
/// hours (an abandoned form).
pub const UNREFERENCED_UPLOAD_HOURS: i64 = 24;
/// Rate-limit counters are deleted this many days after their window started (longer than any
/// window, so a deleted counter had expired anyway).
pub const RATE_LIMIT_DAYS: i64 = 1;
/// At most this many uncited photos per user at once: more is refused until some are cited or
/// deleted. Below the daily upload limit (30), so a day's uploads must be put up for review.
pub const MAX_UNREFERENCED_UPLOADS: u64 = 20;

/// What a sweep at one moment deletes: everything dated before each cut-off (unix ms).
/// Expired sessions and sign-in codes are those expiring at or before [`Cutoffs::now`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// The sweep's clock (the scheduled event's time).
    pub now: i64,
    /// Evidence whose review was decided before this.
    pub evidence_decided_before: i64,
    /// Messages created before this.
    pub messages_before: i64,
    /// Uncited uploads created before this.
    pub unreferenced_uploads_before: i64,
    /// Rate-limit rows whose window started before this.
    pub rate_limits_before: i64,
}

impl Cutoffs {
    /// The cut-offs of a sweep at `now`.
    pub const fn at(now: Timestamp) -> Self {
        let now = now.unix_millis();
        Self {
            now,
            evidence_decided_before: now - EVIDENCE_DAYS_AFTER_DECISION * DAY_MS,
            messages_before: now - MESSAGE_DAYS * DAY_MS,
            unreferenced_uploads_before: now - UNREFERENCED_UPLOAD_HOURS * HOUR_MS,
            rate_limits_before: now - RATE_LIMIT_DAYS * DAY_MS,
        }
    }
}

/// Why an upload is refused by the quota; the message says what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "未提交的照片已达{MAX_UNREFERENCED_UPLOADS}张，请先提交认证或申诉，或{UNREFERENCED_UPLOAD_HOURS}小时后再上传。"
)]
pub struct UploadQuotaFull;

impl UploadQuotaFull {
    /// The API error code: 429 `rate_limited` (it passes once photos are cited or swept).
    pub const fn code(&self) -> ErrorCode {
        ErrorCode::RateLimited
    }
}

/// Whether a user holding `unreferenced` uncited photos may upload one more.
///
/// # Errors
/// [`UploadQuotaFull`] at [`MAX_UNREFERENCED_UPLOADS`] or more.
pub const fn may_upload(unreferenced: u64) -> Result<(), UploadQuotaFull> {
    if unreferenced >= MAX_UNREFERENCED_UPLOADS {
        return Err(UploadQuotaFull);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    #[test]
    fn each_cut_off_is_its_period_before_the_sweep() {
        let c = Cutoffs::at(Timestamp::from_unix_millis(NOW));
        assert_eq!(c.now, NOW);
        // 180 days before 2026-01-01 is 2025-07-05.
        assert_eq!(
            Timestamp::from_unix_millis(c.evidence_decided_before).to_string(),
            "2025-07-05T00:00:00.000Z"
        );
        assert_eq!(c.messages_before, c.evidence_decided_before);
        assert_eq!(NOW - c.unreferenced_uploads_before, 24 * 3600 * 1000);
        assert_eq!(NOW - c.rate_limits_before, 86_400_000);
    }

    #[test]
    fn a_photo_decided_180_days_ago_goes_and_one_a_minute_younger_stays() {
        let decided = NOW;
        let sweep = |days: i64, extra_ms: i64| {
            Cutoffs::at(Timestamp::from_unix_millis(
                decided + days * DAY_MS + extra_ms,
            ))
        };
        let deleted = |c: Cutoffs| decided < c.evidence_decided_before;
        assert!(!deleted(sweep(180, 0)), "exactly 180 days: kept");
        assert!(deleted(sweep(180, 1)));
        assert!(!deleted(sweep(179, 23 * HOUR_MS)));
        let upload_deleted = |c: Cutoffs| decided < c.unreferenced_uploads_before;
        assert!(!upload_deleted(sweep(0, 23 * HOUR_MS)));
        assert!(upload_deleted(sweep(1, 1)));
    }

    #[test]
    fn the_quota_allows_thirty_uncited_photos() {
        assert_eq!(may_upload(0), Ok(()));
        assert_eq!(may_upload(MAX_UNREFERENCED_UPLOADS - 1), Ok(()));
        assert_eq!(may_upload(MAX_UNREFERENCED_UPLOADS), Err(UploadQuotaFull));
        assert_eq!(
            UploadQuotaFull.to_string(),
            "未提交的照片已达20张，请先提交认证或申诉，或24小时后再上传。"
        );
    }
}
