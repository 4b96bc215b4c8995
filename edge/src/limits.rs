//! Enforcing shared's rate limits: count the try in D1, ask `shared::limits::decide`, answer
//! 429 with `Retry-After` when over. The numbers are shared's unless a wrangler var overrides.

use shared::limits::{decide, Limit, Limited, Verdict};

use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::store;

/// Counts one try of `limited` for `scope` (a phone, an address, a user id; `""` for the whole
/// deployment) and refuses it when over the limit.
///
/// # Errors
/// 429 `rate_limited` with `Retry-After` when over; 500 when D1 fails.
pub async fn check(ctx: &Ctx, limited: Limited, scope: &str) -> AppResult<()> {
    let limit = limit_of(ctx, limited);
    let count = store::rate_limit::hit(
        &ctx.db()?,
        &limited.key(scope),
        limit.window_ms,
        ctx.now.unix_millis(),
    )
    .await?;
    match decide(limit, count.count, count.window_start(), ctx.now) {
        Verdict::Allowed => Ok(()),
        Verdict::Refused { retry_after_secs } => {
            Err(AppError::rate_limited(limited, retry_after_secs))
        }
    }
}

/// The deployment's limit: shared's default, its `max` replaced by the wrangler var when set.
fn limit_of(ctx: &Ctx, limited: Limited) -> Limit {
    let default = limited.default_limit();
    let configured = ctx.env.var(limited.var_name()).ok().map(|v| v.to_string());
    match configured.as_deref().map(str::parse::<i64>) {
        None => default,
        Some(Ok(max)) if max > 0 => default.with_max(max),
        Some(_) => {
            worker::console_error!(
                "{} is not a positive whole number; using {}",
                limited.var_name(),
                default.max
            );
            default
        }
    }
}
