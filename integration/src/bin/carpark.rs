//! The car-park simulator: 星河湾停车场 and 星河湾充电站 (edge/seed/dev.sql) posting signed gateway
//! events to the local worker, one at a time for demos and the browser journeys, or as traffic.
//!
//! ```text
//! carpark entry        --plate 粤B12345 [--facility fac-xinghe]    [--minutes-ago N] [--event-id ID]
//! carpark exit         --plate 粤B12345 [--facility fac-xinghe]    [--fee FEN] [--minutes-ago N] [--event-id ID]
//! carpark charge-start --plate 粤B12345 [--facility fac-xinghe-ev] [--minutes-ago N] [--event-id ID]
//! carpark charge-end   --plate 粤B12345 [--facility fac-xinghe-ev] [--fee FEN] [--minutes-ago N] [--event-id ID]
//! carpark traffic [--rate EVENTS_PER_S|unlimited] [--seconds S] [--plates N] [--connections C]
//! ```
//! The worker is `BASE_URL` (default `http://127.0.0.1:8787`, where scripts/dev serves). A single
//! event prints the worker's JSON answer and exits 0 on a 200, 1 otherwise (the answer goes to
//! stdout whatever the status), 2 on bad arguments. `--secret KEY` signs for a facility the
//! simulator does not know; `--fee` on an entry is sent as given (the worker refuses it).
//!
//! `traffic` signs in one simulated driver per plate (through the dev sign-in codes): a quarter
//! certified with 无感支付 (coupons first, then the wallet), a quarter certified paying by hand, a
//! quarter certified paying by hand with coupons, a quarter only added (no owner); coupons are
//! issued by this binary's seeded operator and every wallet is topped up. It then drives entries,
//! exits with fees (0–30 yuan, a fifth free), charging sessions, cars nobody added, and drivers
//! paying about half of their unpaid exits, paced at `--rate` or flat out on `--connections`
//! threads, for `--seconds`, and prints events/s, p50/p99 of the gateway call, the answers by
//! status, and the payments. Loopback only; the run stops by itself.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a simulator that cannot set up should stop

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use integration::gateway::{minutes_ago, CarPark, FACILITIES, XINGHE_CHARGING, XINGHE_PARKING};
use integration::{operator, unique_phone, unique_plate, Api, Reply, Session};
use serde_json::{json, Value};
use shared::api::{GatewayEvent, GatewayEventKind};
use shared::Timestamp;

/// Where scripts/dev serves.
const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8787";

const USAGE: &str = "usage:
  carpark entry        --plate P [--facility fac-xinghe]    [--minutes-ago N] [--event-id ID] [--secret KEY]
  carpark exit         --plate P [--facility fac-xinghe]    [--fee FEN] [--minutes-ago N] [--event-id ID] [--secret KEY]
  carpark charge-start --plate P [--facility fac-xinghe-ev] [--minutes-ago N] [--event-id ID] [--secret KEY]
  carpark charge-end   --plate P [--facility fac-xinghe-ev] [--fee FEN] [--minutes-ago N] [--event-id ID] [--secret KEY]
  carpark traffic [--rate EVENTS_PER_S|unlimited] [--seconds S] [--plates N] [--connections C]
The worker is BASE_URL (default http://127.0.0.1:8787).";

fn main() -> ExitCode {
    if std::env::var_os("BASE_URL").is_none() {
        // Still one thread: nothing else reads the environment yet.
        std::env::set_var("BASE_URL", DEFAULT_BASE_URL);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let parsed = match Flags::parse(rest) {
        Ok(flags) => flags,
        Err(e) => return usage_error(&e),
    };
    let kind = match command.as_str() {
        "entry" => GatewayEventKind::Entry,
        "exit" => GatewayEventKind::Exit,
        "charge-start" => GatewayEventKind::ChargeStart,
        "charge-end" => GatewayEventKind::ChargeEnd,
        "traffic" => {
            return match Traffic::from_flags(&parsed) {
                Ok(traffic) => {
                    traffic.run();
                    ExitCode::SUCCESS
                }
                Err(e) => usage_error(&e),
            }
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => return usage_error(&format!("unknown command {other:?}")),
    };
    match single(kind, &parsed) {
        Ok(code) => code,
        Err(e) => usage_error(&e),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("carpark: {message}\n{USAGE}");
    ExitCode::from(2)
}

/// `--name value` pairs, each name once.
struct Flags(BTreeMap<String, String>);

impl Flags {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut flags = BTreeMap::new();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let name = arg
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {arg:?}"))?;
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => {
                    let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                    (name.to_owned(), value.clone())
                }
            };
            if flags.insert(name.clone(), value).is_some() {
                return Err(format!("--{name} given twice"));
            }
        }
        Ok(Self(flags))
    }

    fn only(&self, allowed: &[&str]) -> Result<(), String> {
        match self.0.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(format!("unknown option --{k}")),
            None => Ok(()),
        }
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.text(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name} {v:?} is not a number")),
        }
    }
}

/// One event from the command line; prints the answer.
fn single(kind: GatewayEventKind, flags: &Flags) -> Result<ExitCode, String> {
    flags.only(&[
        "plate",
        "facility",
        "fee",
        "minutes-ago",
        "event-id",
        "secret",
    ])?;
    let plate = flags.text("plate").ok_or("--plate is required")?;
    let charging = matches!(
        kind,
        GatewayEventKind::ChargeStart | GatewayEventKind::ChargeEnd
    );
    let default = if charging {
        XINGHE_CHARGING
    } else {
        XINGHE_PARKING
    };
    let facility_id = flags.text("facility").unwrap_or(default.id);
    let secret = match flags.text("secret") {
        Some(secret) => secret,
        None => FACILITIES
            .iter()
            .find(|f| f.id == facility_id)
            .map(|f| f.secret)
            .ok_or_else(|| format!("no known key for facility {facility_id:?}: give --secret"))?,
    };
    let closes = matches!(kind, GatewayEventKind::Exit | GatewayEventKind::ChargeEnd);
    let fee = match flags.text("fee") {
        Some(_) => Some(flags.number("fee", 0u64)?),
        None if closes => Some(0),
        None => None,
    };
    let minutes: u64 = flags.number("minutes-ago", 0)?;
    let park = CarPark::new(&Api::from_env(), facility_id, secret);
    let mut event = park.event(kind, plate, minutes_ago(minutes), fee);
    if let Some(id) = flags.text("event-id") {
        event.event_id = id.to_owned();
    }
    match park.try_send(&event) {
        Ok(reply) => {
            println!("{}", reply.body);
            if reply.status == 200 {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "carpark: HTTP {} for event {}",
                    reply.status, event.event_id
                );
                Ok(ExitCode::FAILURE)
            }
        }
        Err(e) => {
            eprintln!(
                "carpark: no answer from {}: {e}",
                std::env::var("BASE_URL").unwrap_or_default()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

// ---- traffic ------------------------------------------------------------------------------

/// A small fast generator (xorshift64*): realistic enough for traffic, no dependency.
struct Rng(u64);

impl Rng {
    fn seeded(salt: u64) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Self((nanos ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// How a simulated driver relates to their plate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    /// Certified owner with 无感支付 on (coupons first, then the wallet).
    Autopay,
    /// Certified owner who pays by hand.
    Certified,
    /// Added the plate, never certified: no owner.
    Added,
}

/// Where a simulated car is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Outside,
    Parked,
    Charging,
}

/// One plate and its driver.
struct Car {
    plate: String,
    driver: Session,
    profile: Profile,
    /// Coupons issued and not yet used by a hand payment (autopay may use them too).
    coupons: u32,
    place: Place,
    /// The car's own clock in Unix ms: events of one car never go back in time.
    clock_ms: i64,
}

struct Traffic {
    /// Events per second over all connections; `None` is flat out.
    rate: Option<f64>,
    seconds: u64,
    plates: usize,
    connections: usize,
}

/// What one connection saw.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    statuses: BTreeMap<String, usize>,
    no_answer: usize,
    kinds: BTreeMap<&'static str, usize>,
    /// Latencies of answered events by kind, to see which kind is slow.
    by_kind: BTreeMap<&'static str, Vec<Duration>>,
    opened: usize,
    closed: usize,
    without_order: usize,
    paid_wallet: usize,
    paid_coupon: usize,
    pay_refused: BTreeMap<String, usize>,
    top_ups: usize,
    pay_latencies: Vec<Duration>,
}

impl Tally {
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
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn status_key(reply: &Reply) -> String {
    if reply.status == 200 {
        "200".to_owned()
    } else {
        let code = serde_json::from_str::<Value>(&reply.body)
            .ok()
            .and_then(|v| v["code"].as_str().map(str::to_owned))
            .unwrap_or_default();
        format!("{} {code}", reply.status)
    }
}

/// The percentile `q` of sorted `all`.
fn percentile(all: &[Duration], q: f64) -> Duration {
    all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Wallet money every driver starts with, in fen (¥2,000).
const STARTING_BALANCE_FEN: u64 = 200_000;

impl Traffic {
    fn from_flags(flags: &Flags) -> Result<Self, String> {
        flags.only(&["rate", "seconds", "plates", "connections"])?;
        let rate = match flags.text("rate") {
            Some("unlimited") => None,
            Some(_) => {
                let rate: f64 = flags.number("rate", 0.0)?;
                if rate.is_nan() || rate <= 0.0 {
                    return Err("--rate must be positive (or unlimited)".to_owned());
                }
                Some(rate)
            }
            None => Some(20.0),
        };
        let connections: usize = flags.number("connections", 4)?;
        let seconds: u64 = flags.number("seconds", 30)?;
        let plates: usize = flags.number("plates", 40)?;
        if connections == 0 || connections > 256 {
            return Err("--connections must be 1–256".to_owned());
        }
        if seconds == 0 || seconds > 3_600 {
            return Err("--seconds must be 1–3600".to_owned());
        }
        if plates == 0 || plates > 2_000 {
            return Err("--plates must be 1–2000".to_owned());
        }
        // Each connection drives its own cars, so a car's events never race each other.
        let plates = plates.max(connections);
        Ok(Self {
            rate,
            seconds,
            plates,
            connections,
        })
    }

    fn run(&self) {
        let api = Api::from_env();
        let pace = self
            .rate
            .map_or("flat out".to_owned(), |r| format!("{r} events/s"));
        println!(
            "carpark traffic: {} plates, {} connections, {pace}, {} s, against {}",
            self.plates,
            self.connections,
            self.seconds,
            std::env::var("BASE_URL").unwrap_or_default()
        );
        let started = Instant::now();
        let cars = self.setup(&api);
        let count = |p: Profile| cars.iter().filter(|c| c.profile == p).count();
        println!(
            "setup in {:.1} s: {} drivers signed in and topped up; {} certified with 无感支付, {} \
             certified paying by hand, {} added only; {} coupons issued",
            started.elapsed().as_secs_f64(),
            cars.len(),
            count(Profile::Autopay),
            count(Profile::Certified),
            count(Profile::Added),
            cars.iter().map(|c| c.coupons as usize).sum::<usize>(),
        );
        let drivers: Vec<Session> = cars.iter().map(|c| c.driver.clone()).collect();

        let (tally, elapsed) = self.drive(&api, cars);
        self.report(&tally, elapsed);
        settled(&drivers);
    }

    /// Signs in one driver per plate and gives each its relation, wallet, autopay and coupons.
    fn setup(&self, api: &Api) -> Vec<Car> {
        operator(); // once, before the threads share it
        let workers = self.connections.clamp(1, 8);
        let start_clock = now_ms() - 90 * 24 * 3_600_000;
        let mut cars: Vec<(usize, Car)> = thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    s.spawn(move || {
                        let mut rng = Rng::seeded(w as u64 + 1);
                        (w..self.plates)
                            .step_by(workers)
                            .map(|i| {
                                let mut car = new_car(api, i);
                                car.clock_ms = start_clock + rng.between(0, 86_400_000) as i64;
                                (i, car)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        cars.sort_by_key(|(i, _)| *i);
        cars.into_iter().map(|(_, c)| c).collect()
    }

    /// Runs the traffic; returns what was seen and how long it took.
    fn drive(&self, api: &Api, cars: Vec<Car>) -> (Tally, f64) {
        let mut per_connection: Vec<Vec<Car>> = (0..self.connections).map(|_| Vec::new()).collect();
        for (i, car) in cars.into_iter().enumerate() {
            per_connection[i % self.connections].push(car);
        }
        let ticket = AtomicU64::new(0);
        let started = Instant::now();
        let deadline = started + Duration::from_secs(self.seconds);
        let tallies: Vec<Tally> = thread::scope(|s| {
            let handles: Vec<_> = per_connection
                .into_iter()
                .enumerate()
                .map(|(c, mut cars)| {
                    let ticket = &ticket;
                    s.spawn(move || {
                        let park = CarPark::parking(api);
                        let charger = CarPark::charging(api);
                        let mut rng = Rng::seeded(1_000 + c as u64);
                        let mut tally = Tally::default();
                        loop {
                            if let Some(rate) = self.rate {
                                let n = ticket.fetch_add(1, Ordering::Relaxed);
                                let due = started + Duration::from_secs_f64(n as f64 / rate);
                                if due >= deadline {
                                    break;
                                }
                                let now = Instant::now();
                                if due > now {
                                    thread::sleep(due - now);
                                }
                            } else if Instant::now() >= deadline {
                                break;
                            }
                            step(&park, &charger, &mut cars, &mut rng, &mut tally);
                        }
                        tally
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let elapsed = started.elapsed().as_secs_f64();
        let mut all = Tally::default();
        for t in tallies {
            all.merge(t);
        }
        all.latencies.sort();
        all.pay_latencies.sort();
        for latencies in all.by_kind.values_mut() {
            latencies.sort();
        }
        (all, elapsed)
    }

    fn report(&self, t: &Tally, elapsed: f64) {
        let sent = t.latencies.len() + t.no_answer;
        let ok = t.statuses.get("200").copied().unwrap_or(0);
        // The same columns as loadgen's lines, so scripts/bench can set them side by side.
        println!(
            "{:<28} {:>8.1} /s  p50 {:>7.1} ms  p99 {:>7.1} ms  ({} ok, {} errors)",
            "POST /api/gateway/events",
            t.latencies.len() as f64 / elapsed,
            ms(percentile(&t.latencies, 0.50)),
            ms(percentile(&t.latencies, 0.99)),
            ok,
            sent - ok,
        );
        let kinds: Vec<String> = t.kinds.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!(
            "  events sent: {sent} in {elapsed:.1} s ({})",
            kinds.join(", ")
        );
        let by_kind: Vec<String> = t
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
        let statuses: Vec<String> = t
            .statuses
            .iter()
            .map(|(k, v)| format!("{k} ×{v}"))
            .collect();
        println!(
            "  answers: {}{}",
            statuses.join(", "),
            if t.no_answer > 0 {
                format!(", no answer ×{}", t.no_answer)
            } else {
                String::new()
            }
        );
        println!(
            "  orders: {} opened, {} closed; {} events answered without an order",
            t.opened, t.closed, t.without_order
        );
        let refused: Vec<String> = t
            .pay_refused
            .iter()
            .map(|(k, v)| format!("{k} ×{v}"))
            .collect();
        println!(
            "payments by drivers: {} ({} wallet, {} coupon then wallet), p50 {:.1} ms, p99 {:.1} \
             ms; refused: {}; top-ups after insufficient_funds: {}",
            t.paid_wallet + t.paid_coupon,
            t.paid_wallet,
            t.paid_coupon,
            ms(percentile(&t.pay_latencies, 0.50)),
            ms(percentile(&t.pay_latencies, 0.99)),
            if refused.is_empty() {
                "none".to_owned()
            } else {
                refused.join(", ")
            },
            t.top_ups,
        );
    }
}

/// Driver `i`'s car: profile by `i % 4`, set up through the API as a user would.
fn new_car(api: &Api, i: usize) -> Car {
    let profile = match i % 4 {
        0 => Profile::Autopay,
        1 | 2 => Profile::Certified,
        _ => Profile::Added,
    };
    let driver = api.login(&unique_phone());
    let plate = unique_plate();
    driver.add(&plate);
    if profile != Profile::Added {
        driver.certify(&plate);
        // The first certification of a new plate is its event 2 (as loadgen relies on).
        let reply = operator().post_empty(&format!("/api/ops/reviews/{plate}-2/approve"));
        assert_eq!(reply.status, 204, "approve {plate}: {}", reply.body);
    }
    let reply = driver.post(
        "/api/wallet/top-up",
        json!({ "amount_fen": STARTING_BALANCE_FEN }),
    );
    assert_eq!(reply.status, 200, "top-up: {}", reply.body);
    if profile == Profile::Autopay {
        let reply = driver.put(
            &format!("/api/vehicles/{plate}/autopay"),
            json!({ "enabled": true, "sources": ["coupon", "wallet"] }),
        );
        assert_eq!(reply.status, 204, "autopay {plate}: {}", reply.body);
    }
    // Coupons for half the autopay cars and for the second kind of hand payer.
    let coupons = if i.is_multiple_of(8) || i % 4 == 2 {
        2
    } else {
        0
    };
    let expires = Timestamp::from_unix_millis(now_ms() + 30 * 24 * 3_600_000);
    for value in (0..coupons).map(|k| 500 + 500 * k) {
        let reply = operator().post(
            "/api/ops/coupons",
            json!({
                "plate": plate,
                "title": "停车优惠券",
                "value_fen": value,
                "expires_at": expires,
            }),
        );
        assert_eq!(reply.status, 201, "coupon for {plate}: {}", reply.body);
    }
    Car {
        plate,
        driver,
        profile,
        coupons,
        place: Place::Outside,
        clock_ms: 0,
    }
}

/// One event of this connection: a car of its own moves (or one nobody added passes by), and
/// after an unpaid exit its driver sometimes pays.
fn step(park: &CarPark, charger: &CarPark, cars: &mut [Car], rng: &mut Rng, tally: &mut Tally) {
    if cars.is_empty() || rng.chance(10) {
        // A car nobody added: acknowledged, nothing kept.
        let event = park.event(
            GatewayEventKind::Entry,
            &unique_plate(),
            minutes_ago(0),
            None,
        );
        send(park, &event, "entry (nobody's car)", tally);
        return;
    }
    let k = (rng.next() % cars.len() as u64) as usize;
    let car = &mut cars[k];
    let (facility, kind, fee, next) = match car.place {
        Place::Outside => {
            car.clock_ms += rng.between(30, 1_440) as i64 * 60_000;
            if rng.chance(75) {
                (park, GatewayEventKind::Entry, None, Place::Parked)
            } else {
                (
                    charger,
                    GatewayEventKind::ChargeStart,
                    None,
                    Place::Charging,
                )
            }
        }
        Place::Parked => {
            car.clock_ms += rng.between(10, 300) as i64 * 60_000;
            let fee = if rng.chance(20) {
                0
            } else {
                rng.between(1, 30) * 100
            };
            (park, GatewayEventKind::Exit, Some(fee), Place::Outside)
        }
        Place::Charging => {
            car.clock_ms += rng.between(20, 150) as i64 * 60_000;
            let fee = rng.between(5, 60) * 50;
            (
                charger,
                GatewayEventKind::ChargeEnd,
                Some(fee),
                Place::Outside,
            )
        }
    };
    car.clock_ms = car.clock_ms.min(now_ms());
    let at = Timestamp::from_unix_millis(car.clock_ms);
    let event = facility.event(kind, &car.plate, at, fee);
    let label = match kind {
        GatewayEventKind::Entry => "entry",
        GatewayEventKind::Exit => "exit",
        GatewayEventKind::ChargeStart => "charge_start",
        GatewayEventKind::ChargeEnd => "charge_end",
    };
    let Some(answer) = send(facility, &event, label, tally) else {
        return; // no answer or refused: the car stays where it was, the next try is a new event
    };
    car.place = next;
    let closes = matches!(kind, GatewayEventKind::Exit | GatewayEventKind::ChargeEnd);
    if closes && fee.unwrap_or(0) > 0 && car.profile != Profile::Autopay && rng.chance(50) {
        if let Some(order) = answer["order_id"].as_str() {
            pay(car, order, tally);
        }
    }
}

/// Posts one event; the answer's body on a 200.
fn send(
    facility: &CarPark,
    event: &GatewayEvent,
    label: &'static str,
    tally: &mut Tally,
) -> Option<Value> {
    *tally.kinds.entry(label).or_default() += 1;
    let t = Instant::now();
    let reply = match facility.try_send(event) {
        Ok(reply) => reply,
        Err(_) => {
            tally.no_answer += 1;
            return None;
        }
    };
    let took = t.elapsed();
    tally.latencies.push(took);
    tally.by_kind.entry(label).or_default().push(took);
    *tally.statuses.entry(status_key(&reply)).or_default() += 1;
    if reply.status != 200 {
        return None;
    }
    let answer: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    let opens = matches!(
        event.kind,
        GatewayEventKind::Entry | GatewayEventKind::ChargeStart
    );
    match (&answer["order_id"], opens) {
        (Value::String(_), true) => tally.opened += 1,
        (Value::String(_), false) => tally.closed += 1,
        _ => tally.without_order += 1,
    }
    Some(answer)
}

/// The driver pays `order`: with a coupon of the plate while it has some, else the wallet; a
/// short wallet is topped up once and the payment retried.
fn pay(car: &mut Car, order: &str, tally: &mut Tally) {
    let source = if car.coupons > 0 { "coupon" } else { "wallet" };
    let path = format!("/api/orders/{order}/pay");
    for attempt in 0..2 {
        let t = Instant::now();
        let Ok(reply) = car
            .driver
            .call("POST", &path)
            .json(&json!({ "source": source }))
            .try_send()
        else {
            *tally.pay_refused.entry("no answer".to_owned()).or_default() += 1;
            return;
        };
        tally.pay_latencies.push(t.elapsed());
        if reply.status == 200 {
            if source == "coupon" {
                tally.paid_coupon += 1;
                car.coupons -= 1;
            } else {
                tally.paid_wallet += 1;
            }
            return;
        }
        let key = status_key(&reply);
        *tally.pay_refused.entry(key.clone()).or_default() += 1;
        if key != "409 insufficient_funds" || attempt > 0 {
            return;
        }
        let top_up = car
            .driver
            .call("POST", "/api/wallet/top-up")
            .json(&json!({ "amount_fen": shared::api::orders::MAX_TOP_UP_FEN }))
            .try_send();
        if top_up.is_ok_and(|r| r.status == 200) {
            tally.top_ups += 1;
        } else {
            return;
        }
    }
}

/// How the drivers' orders stand after the run (each driver's latest 100 orders).
fn settled(drivers: &[Session]) {
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
