//! What the load-test binaries (`loadgen`, `carpark traffic`) share: a seeded random generator
//! for the simulated traffic, latency percentiles, and the one figures line scripts/bench sets
//! side by side.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A small fast generator (xorshift64*): realistic enough for traffic, no dependency.
pub struct Rng(u64);

impl Rng {
    /// A generator that repeats its sequence for the same `seed`. Seeds that differ only in the
    /// lowest bit give the same sequence.
    pub fn from_seed(seed: u64) -> Self {
        // xorshift never leaves zero, so the state is made odd.
        Self(seed | 1)
    }

    /// A generator seeded from the clock, `salt` telling apart threads started together.
    pub fn seeded(salt: u64) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Self::from_seed(nanos ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// The next number, uniform over `u64`.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// The percentile `q` (0.0–1.0) of the sorted `all`: the element at `len × q`, the last for
/// `q` = 1, zero for an empty list.
pub fn percentile(all: &[Duration], q: f64) -> Duration {
    all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

/// `d` in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// One scenario's figures: how fast calls were answered and how many were not right.
pub struct Figures {
    /// Calls that did what they should.
    pub ok: usize,
    /// Calls that failed or were refused.
    pub errors: usize,
    /// Answered calls per second.
    pub per_second: f64,
    /// Median latency of the answered calls.
    pub p50: Duration,
    /// 99th-percentile latency of the answered calls.
    pub p99: Duration,
}

impl Figures {
    /// The figures of the sorted `latencies` of answered calls over `elapsed` seconds.
    pub fn of(latencies: &[Duration], elapsed: f64, ok: usize, errors: usize) -> Self {
        Self {
            ok,
            errors,
            per_second: latencies.len() as f64 / elapsed,
            p50: percentile(latencies, 0.50),
            p99: percentile(latencies, 0.99),
        }
    }

    /// The scenario `name`'s line; scripts/bench greps these by name, so every binary's lines
    /// have the same columns.
    pub fn line(&self, name: &str) -> String {
        format!(
            "{name:<28} {:>8.1} /s  p50 {:>7.1} ms  p99 {:>7.1} ms  ({} ok, {} errors)",
            self.per_second,
            ms(self.p50),
            ms(self.p99),
            self.ok,
            self.errors
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn millis(all: &[u64]) -> Vec<Duration> {
        all.iter().copied().map(Duration::from_millis).collect()
    }

    #[test]
    fn percentiles_of_one_to_a_hundred() {
        let all = millis(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&all, 0.0), Duration::from_millis(1));
        assert_eq!(percentile(&all, 0.50), Duration::from_millis(51));
        assert_eq!(percentile(&all, 0.99), Duration::from_millis(100));
        assert_eq!(percentile(&all, 1.0), Duration::from_millis(100));
    }

    #[test]
    fn percentiles_of_a_short_list_stay_inside_it() {
        let all = millis(&[3, 7, 40]);
        assert_eq!(percentile(&all, 0.50), Duration::from_millis(7));
        assert_eq!(percentile(&all, 0.99), Duration::from_millis(40));
    }

    #[test]
    fn percentile_of_nothing_is_zero() {
        assert_eq!(percentile(&[], 0.99), Duration::ZERO);
    }

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let (mut a, mut b) = (Rng::from_seed(42), Rng::from_seed(42));
        let first: Vec<u64> = (0..100).map(|_| a.next_u64()).collect();
        assert!(first.iter().all(|&n| n == b.next_u64()));
        let mut c = Rng::from_seed(44);
        assert_ne!(first, (0..100).map(|_| c.next_u64()).collect::<Vec<_>>());
    }

    #[test]
    fn a_zero_seed_still_moves() {
        let mut rng = Rng::from_seed(0);
        let first = rng.next_u64();
        assert_ne!(first, 0);
        assert_ne!(first, rng.next_u64());
    }

    #[test]
    fn between_stays_in_range_and_reaches_both_ends() {
        let mut rng = Rng::from_seed(7);
        let seen: Vec<u64> = (0..1_000).map(|_| rng.between(30, 35)).collect();
        assert!(seen.iter().all(|n| (30..=35).contains(n)));
        assert!(seen.contains(&30) && seen.contains(&35));
    }

    #[test]
    fn chance_is_never_at_zero_always_at_a_hundred_and_about_right_between() {
        let mut rng = Rng::from_seed(11);
        assert!((0..1_000).all(|_| !rng.chance(0)));
        assert!((0..1_000).all(|_| rng.chance(100)));
        let hits = (0..10_000).filter(|_| rng.chance(20)).count();
        assert!((1_700..2_300).contains(&hits), "{hits} of 10000 at 20%");
    }

    #[test]
    fn figures_line_has_the_bench_columns() {
        let all = millis(&(1..=100).collect::<Vec<_>>());
        let figures = Figures::of(&all, 2.0, 98, 3);
        assert_eq!(figures.per_second, 50.0);
        assert_eq!(
            figures.line("GET /api/health"),
            "GET /api/health                  50.0 /s  p50    51.0 ms  p99   100.0 ms  (98 ok, 3 errors)"
        );
    }
}
