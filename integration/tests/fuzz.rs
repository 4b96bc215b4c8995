//! Hostile requests to every endpoint (see `integration::fuzz`): never a 5xx, every 4xx in the
//! error shape, and no 4xx changes what the driver sees. `FUZZ_CASES` sets the number of cases
//! (300 here; `scripts/fuzz` runs 100,000), `FUZZ_SEED` replays a run.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::fuzz::Fuzzer;
use integration::Api;

#[test]
fn hostile_requests_never_get_a_5xx_and_refusals_change_nothing() {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs())
        });
    let mut fuzzer = Fuzzer::new(&Api::from_env(), seed);
    let tally = fuzzer.run(cases);
    eprintln!(
        "fuzz (FUZZ_SEED={seed}): {} cases, {} accepted, {} refused, {} failures",
        tally.cases,
        tally.ok,
        tally.refused,
        tally.failures.len()
    );
    assert!(
        tally.refused > tally.cases / 4,
        "most hostile requests are refused"
    );
    assert!(
        tally.failures.is_empty(),
        "FUZZ_SEED={seed}:\n{}",
        tally.failures.join("\n")
    );
}
