//! Load figures for scripts/bench: requests/s and p50/p99 latency at N connections against the
//! local worker, for a bare `/api/health`, `GET /api/vehicles`, and a certify→approve cycle.
//!
//! `BASE_URL=… cargo run -p integration --bin loadgen -- [connections] [seconds]`
//! Loopback only; every loop is bounded in time and stops by itself.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use integration::load::Figures;
use integration::{operator, unique_plate, Api, Session};
use serde_json::{json, Value};

/// Runs `op` on `connections` threads for `seconds`; each thread gets its own state from `setup`.
fn measure<S, F>(
    connections: usize,
    seconds: u64,
    setup: impl Fn(usize) -> S + Sync,
    op: F,
) -> Figures
where
    S: Send,
    F: Fn(&mut S) -> bool + Sync,
{
    let states: Vec<S> = thread::scope(|s| {
        let setup = &setup;
        let handles: Vec<_> = (0..connections)
            .map(|i| s.spawn(move || setup(i)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let results: Vec<(Vec<Duration>, usize)> = thread::scope(|s| {
        let handles: Vec<_> = states
            .into_iter()
            .map(|mut state| {
                let (stop, op) = (&stop, &op);
                s.spawn(move || {
                    let (mut latencies, mut errors) = (Vec::new(), 0);
                    while !stop.load(Ordering::Relaxed) {
                        let t = Instant::now();
                        if op(&mut state) {
                            latencies.push(t.elapsed());
                        } else {
                            errors += 1;
                        }
                    }
                    (latencies, errors)
                })
            })
            .collect();
        thread::sleep(Duration::from_secs(seconds));
        stop.store(true, Ordering::Relaxed);
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut all: Vec<Duration> = results
        .iter()
        .flat_map(|(l, _)| l.iter().copied())
        .collect();
    all.sort();
    let errors = results.iter().map(|(_, e)| e).sum();
    Figures::of(&all, elapsed, all.len(), errors)
}

/// One scenario's line; beside `/api/health`'s figures, its rate in requests (`requests` per
/// operation) and its p50 and p99 as multiples of health's.
fn print(name: &str, f: &Figures, baseline: Option<&Figures>, requests: u32) {
    let ratio = baseline.map_or(String::new(), |b| {
        format!(
            "  {:>5.2}× health's rate in requests, p50 {:.1}×, p99 {:.1}× its",
            f.per_second * f64::from(requests) / b.per_second,
            f.p50.as_secs_f64() / b.p50.as_secs_f64(),
            f.p99.as_secs_f64() / b.p99.as_secs_f64()
        )
    });
    println!("{}{ratio}", f.line(name));
}

/// Runs `request`, adding how long it took to `steps[step]`.
fn timed<T>(steps: &Mutex<[Vec<Duration>; 4]>, step: usize, request: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let answer = request();
    steps.lock().unwrap()[step].push(t.elapsed());
    answer
}

fn main() {
    let mut args = std::env::args().skip(1);
    let connections: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let api = Api::from_env();
    println!(
        "{connections} connections, {seconds} s per scenario, against {}",
        std::env::var("BASE_URL").unwrap()
    );

    let health = measure(
        connections,
        seconds,
        |_| api.clone(),
        |api| api.get("/api/health").status == 200,
    );
    print("GET /api/health", &health, None, 1);

    // Each connection is a user with three cars (one certified, two added).
    let vehicles = measure(
        connections,
        seconds,
        |_| {
            let user = api.new_user();
            for _ in 0..3 {
                user.post("/api/vehicles", json!({ "plate": unique_plate() }));
            }
            user
        },
        |user| user.get("/api/vehicles").status == 200,
    );
    print("GET /api/vehicles", &vehicles, Some(&health), 1);

    // One cycle = a user adds a new plate, certifies it, the operator approves, the user sees the
    // card certified (4 requests).
    operator();
    // Each step's latency too, to see which one the cycle waits on.
    let steps: Mutex<[Vec<Duration>; 4]> = Mutex::default();
    let cycle = measure(
        connections,
        seconds,
        |_| {
            let user = api.new_user();
            let photo = user.upload_photo();
            (user, photo)
        },
        |(user, photo): &mut (Session, String)| {
            let plate = unique_plate();
            let added = timed(&steps, 0, || {
                user.post("/api/vehicles", json!({ "plate": plate })).status == 201
            });
            let path = format!("/api/vehicles/{plate}/certification");
            let certified = added
                && timed(&steps, 1, || {
                    user.post(&path, json!({ "owner_name": "压测", "evidence": [photo] }))
                        .status
                        == 202
                });
            let id = format!("{plate}-2");
            let approved = certified
                && timed(&steps, 2, || {
                    operator()
                        .post_empty(&format!("/api/ops/reviews/{id}/approve"))
                        .status
                        == 204
                });
            let owner: Value = if approved {
                timed(&steps, 3, || user.vehicles())
            } else {
                Value::Null
            };
            approved
                && owner["vehicles"].as_array().is_some_and(|v| {
                    v.iter()
                        .any(|c| c["plate"] == plate && c["state"] == "certified")
                })
        },
    );
    print("certify→approve cycle (4 req)", &cycle, Some(&health), 4);
    let medians: Vec<String> = ["add", "certify", "approve", "list"]
        .iter()
        .zip(steps.into_inner().unwrap().iter_mut())
        .map(|(name, times)| {
            times.sort();
            let p50 = times.get(times.len() / 2).copied().unwrap_or_default();
            format!("{name} {:.1} ms", p50.as_secs_f64() * 1000.0)
        })
        .collect();
    println!("  the cycle's steps, p50: {}", medians.join(", "));
}
