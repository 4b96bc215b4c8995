//! The hourly retention sweep (wrangler.toml `[triggers] crons`): deletes what
//! `shared::retention` says has been kept long enough. Its clock is the scheduled event's time,
//! so a local test can sweep "180 days from now" through wrangler's scheduled endpoint.

use shared::retention::Cutoffs;
use shared::timestamp::Timestamp;
use worker::Env;

use crate::error::AppResult;
use crate::store;

/// Photos deleted per round (R2 deletes at most 1000 keys per call).
const UPLOADS_PER_ROUND: i64 = 500;
/// Rounds per sweep: whatever is left waits for the next hour.
const ROUNDS: usize = 20;

/// Runs one sweep as of `now`, logging what failed (the next hour tries again).
pub async fn run(env: &Env, now: Timestamp) {
    match sweep(env, &Cutoffs::at(now)).await {
        Ok(photos) => worker::console_log!("retention sweep at {now}: {photos} photos deleted"),
        Err(err) => worker::console_error!("retention sweep at {now} failed: {err:?}"),
    }
}

/// Deletes expired rows and photos; how many photos went.
async fn sweep(env: &Env, cutoffs: &Cutoffs) -> AppResult<usize> {
    let db = env.d1("DB")?;
    store::retention::sweep_rows(&db, cutoffs).await?;
    let bucket = env.bucket("EVIDENCE")?;
    let mut deleted = 0;
    for _ in 0..ROUNDS {
        let ids = store::retention::expired_uploads(&db, cutoffs, UPLOADS_PER_ROUND).await?;
        if ids.is_empty() {
            break;
        }
        // Objects first: a record without its object is never left pointing at nothing.
        bucket.delete_multiple(ids.clone()).await?;
        store::retention::delete_uploads(&db, &ids).await?;
        deleted += ids.len();
    }
    Ok(deleted)
}
