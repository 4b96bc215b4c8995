//! What a traffic run saw (a tally per connection, merged) and the report printed from it.

use std::collections::BTreeMap;
use std::time::Duration;

use integration::load::{ms, percentile, Figures};
use integration::Session;
use serde_json::Value;

/// What one connection saw.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) latencies: Vec<Duration>,
    pub(crate) statuses: BTreeMap<String, usize>,
    pub(crate) no_answer: usize,
    pub(crate) kinds: BTreeMap<&'static str, usize>,
    /// Latencies of answered events by kind, to see which kind is slow.
    pub(crate) by_kind: BTreeMap<&'static str, Vec<Duration>>,
    pub(crate) opened: usize,
    pub(crate) closed: usize,
    pub(crate) without_order: usize,
    pub(crate) paid_wallet: usize,
    pub(crate) paid_coupon: usize,
    pub(crate) pay_refused: BTreeMap<String, usize>,
    pub(crate) top_ups: usize,
    pub(crate) pay_latencies: Vec<Duration>,
}

impl Tally {
    /// All connections' tallies in one, every list of latencies sorted for the percentiles.
    pub(crate) fn merged(tallies: Vec<Tally>) -> Self {
        let mut all = Tally::default();
        for t in tallies {
            all.merge(t);
        }
        all.latencies.sort();
        all.pay_latencies.sort();
        for latencies in all.by_kind.values_mut() {
            latencies.sort();
        }
        all
    }

    fn merge(&mut self, other: Tally) {
        self.latencies.extend(other.latencies);
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
        self.no_answer += other.no_answer;
        for (k, v) in other.kinds {
            *self.kinds.entry(k).or_default() += v;
        }
        for (k, v) in other.by_kind {
            self.by_kind.entry(k).or_default().extend(v);
        }
        self.opened += other.opened;
        self.closed += other.closed;
        self.without_order += other.without_order;
        self.paid_wallet += other.paid_wallet;
        self.paid_coupon += other.paid_coupon;
        for (k, v) in other.pay_refused {
            *self.pay_refused.entry(k).or_default() += v;
        }
        self.top_ups += other.top_ups;
        self.pay_latencies.extend(other.pay_latencies);
    }

    /// Prints the merged tally of a run that took `elapsed` seconds.
    pub(crate) fn report(&self, elapsed: f64) {
        let sent = self.latencies.len() + self.no_answer;
        let ok = self.statuses.get("200").copied().unwrap_or(0);
        let figures = Figures::of(&self.latencies, elapsed, ok, sent - ok);
        println!("{}", figures.line("POST /api/gateway/events"));
        let kinds: Vec<String> = self.kinds.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!(
            "  events sent: {sent} in {elapsed:.1} s ({})",
            kinds.join(", ")
        );
        let by_kind: Vec<String> = self
            .by_kind
            .iter()
            .map(|(k, l)| {
                format!(
                    "{k} {:.0}/{:.0}",
                    ms(percentile(l, 0.50)),
                    ms(percentile(l, 0.99))
                )
            })
            .collect();
        println!("  p50/p99 ms by kind: {}", by_kind.join(", "));
        println!(
            "  answers: {}{}",
            times(&self.statuses),
            if self.no_answer > 0 {
                format!(", no answer ×{}", self.no_answer)
            } else {
                String::new()
            }
        );
        println!(
            "  orders: {} opened, {} closed; {} events answered without an order",
            self.opened, self.closed, self.without_order
        );
        println!(
            "payments by drivers: {} ({} wallet, {} coupon then wallet), p50 {:.1} ms, p99 {:.1} \
             ms; refused: {}; top-ups after insufficient_funds: {}",
            self.paid_wallet + self.paid_coupon,
            self.paid_wallet,
            self.paid_coupon,
            ms(percentile(&self.pay_latencies, 0.50)),
            ms(percentile(&self.pay_latencies, 0.99)),
            if self.pay_refused.is_empty() {
                "none".to_owned()
            } else {
                times(&self.pay_refused)
            },
            self.top_ups,
        );
    }
}

/// `key ×count` for each key, comma-separated.
fn times(counts: &BTreeMap<String, usize>) -> String {
    let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{k} ×{v}")).collect();
    parts.join(", ")
}

/// How the drivers' orders stand after the run (each driver's latest 100 orders).
pub(crate) fn settled(drivers: &[Session]) {
    let (mut closed, mut free, mut paid, mut automatic, mut due, mut open) = (0, 0, 0, 0, 0, 0);
    for driver in drivers {
        let Ok(reply) = driver.call("GET", "/api/orders").try_send() else {
            continue;
        };
        let list: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        for order in list["orders"].as_array().into_iter().flatten() {
            if order["duration_minutes"].is_null() {
                open += 1;
                continue;
            }
            closed += 1;
            match (
                order["paid"].as_bool(),
                order["amount_fen"].as_u64(),
                order["automatic"].as_bool(),
            ) {
                (Some(true), Some(0), _) => free += 1,
                (Some(true), _, Some(true)) => automatic += 1,
                (Some(true), _, _) => paid += 1,
                _ => due += 1,
            }
        }
    }
    println!(
        "orders as the drivers see them (latest 100 each): {open} open, {closed} closed: {free} \
         free, {automatic} paid by 无感支付, {paid} paid by hand, {due} still due"
    );
}
