//! `traffic`: simulated drivers and their cars, set up through the API, then driven through the
//! car park's gateway at a rate or flat out on several connections for a bounded time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use integration::gateway::{minutes_ago, CarPark};
use integration::load::Rng;
use integration::{operator, unique_phone, unique_plate, Api, Reply, Session};
use serde_json::{json, Value};
use shared::api::{GatewayEvent, GatewayEventKind};
use shared::Timestamp;

use crate::report::{settled, Tally};
use crate::Flags;

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

/// A `traffic` run as the flags ask for it.
pub(crate) struct Traffic {
    /// Events per second over all connections; `None` is flat out.
    rate: Option<f64>,
    seconds: u64,
    plates: usize,
    connections: usize,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// How an answer is counted: `200`, or the status and the error's code.
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

/// Wallet money every driver starts with, in fen (¥2,000).
const STARTING_BALANCE_FEN: u64 = 200_000;

impl Traffic {
    pub(crate) fn from_flags(flags: &Flags) -> Result<Self, String> {
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

    pub(crate) fn run(&self) {
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
        tally.report(elapsed);
        settled(&drivers);
    }

    /// Signs in one driver per plate and gives each its relation, wallet, autopay and coupons.
    fn setup(&self, api: &Api) -> Vec<Car> {
        operator(); // once, before the threads share it
        let workers = self.connections.clamp(1, 8);
        // Stays begin after the drivers' cars are certified, so each is its owner's (无感支付 pays
        // it, the owner sees it whole): a car's clock runs ahead in simulated minutes, and each
        // event is stamped no later than the real time it is sent.
        let start_clock = now_ms();
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
        (Tally::merged(tallies), elapsed)
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
    let k = (rng.next_u64() % cars.len() as u64) as usize;
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
