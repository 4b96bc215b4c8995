//! `fuzz [CASES] [SEED]`: hostile requests against the worker at `BASE_URL` (see
//! `integration::fuzz`), in rounds of 1,000 with a line each; exits non-zero on any failure.

use integration::fuzz::Fuzzer;
use integration::Api;

fn main() {
    let mut args = std::env::args().skip(1);
    let cases: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let api = Api::from_env();
    let (mut done, mut refused, mut failures) = (0, 0, Vec::new());
    let mut round = 0;
    while done < cases && failures.is_empty() {
        // A fresh driver each round keeps one account's rate limits and history from deciding
        // what later rounds can reach.
        let mut fuzzer = Fuzzer::new(&api, seed.wrapping_add(round));
        let tally = fuzzer.run((cases - done).min(1_000));
        done += tally.cases;
        refused += tally.refused;
        failures.extend(tally.failures);
        round += 1;
        println!(
            "fuzz: {done} cases, {refused} refused, {} failures",
            failures.len()
        );
    }
    for failure in &failures {
        println!("  {failure}");
    }
    println!("fuzz: {done} passed, {} failed", failures.len());
    if !failures.is_empty() {
        std::process::exit(1);
    }
}
