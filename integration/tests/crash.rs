//! A crash: workerd is killed (SIGKILL, the whole process group) while 50 clients top up
//! wallets, add plates, park and pay. After a restart on the same state every write that was
//! acknowledged (answered 2xx) is there, every wallet's balance equals its ledger, and no order
//! is both paid and unpaid: a wallet charge without its order paid, or a paid order without its
//! charge, once the plate objects' alarms had a few seconds to settle interrupted payments.
//!
//! scripts/test runs `crash_under_load` against a server it started (`SERVER_PGID`), then starts
//! a new server on the same state and runs `after_the_crash` (both ignored by a plain
//! `cargo test`). Requests that got no answer are simply not acknowledged.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use integration::gateway::CarPark;
use integration::{unique_phone, unique_plate, Api, Reply, Session};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

const CLIENTS: usize = 50;
/// Stays per client at most, so a wallet's movements fit in the 50 the statement lists.
const STAYS: u64 = 20;
/// The kill comes once this many writes were acknowledged (or after `MOST`), never before
/// `LEAST`: enough payments in flight on a fast machine and on a busy one.
const TARGET_WRITES: usize = 300;
const LEAST: Duration = Duration::from_secs(2);
const MOST: Duration = Duration::from_secs(20);
/// Between one client's start and the next one's.
const STAGGER: Duration = Duration::from_millis(50);

/// What one client was told was done.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Acknowledged {
    phone: String,
    /// The plate, once its add was answered 201.
    plate: Option<String>,
    /// The amounts of the top-ups answered 200 (each amount is used once).
    top_ups: Vec<u64>,
    orders: Vec<OrderAck>,
}

/// One stay: its entry was answered; the exit and the payment if they were too.
#[derive(Debug, Serialize, Deserialize)]
struct OrderAck {
    id: String,
    fee_fen: u64,
    exited: bool,
    paid: bool,
}

fn crash_file() -> String {
    std::env::var("CRASH_FILE").expect("CRASH_FILE is set by scripts/test")
}

/// Requests counted across the clients.
#[derive(Default)]
struct Tally {
    /// Answered 2xx.
    acknowledged: AtomicUsize,
    /// No answer came (cut off by the kill).
    cut: AtomicUsize,
}

/// The answer if it is a success; `None` when it is not, or when no answer came.
fn acknowledged(reply: Result<Reply, ureq::Error>, tally: &Tally) -> Option<Reply> {
    match reply {
        Ok(reply) if (200..300).contains(&reply.status) => {
            tally.acknowledged.fetch_add(1, Ordering::Relaxed);
            Some(reply)
        }
        Ok(_) => None,
        Err(_) => {
            tally.cut.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

/// One client until the server stops answering (or its stays are done): top up, add a plate,
/// then park and pay again and again, topping up now and then.
fn client(user: &Session, n: u64, stop: &AtomicBool, tally: &Tally) -> Acknowledged {
    let mut acked = Acknowledged {
        phone: user.phone.clone(),
        ..Acknowledged::default()
    };
    let car_park = CarPark::parking(&user.api);
    let plate = unique_plate();
    let top_up = |acked: &mut Acknowledged, k: u64| {
        let amount = 10_000 + n * 100 + k; // unique within the wallet
        let reply = user
            .call("POST", "/api/wallet/top-up")
            .header("idempotency-key", &format!("crash-{}-{k}", user.user_id))
            .json(&json!({ "amount_fen": amount }))
            .try_send();
        acknowledged(reply, tally).map(|_| acked.top_ups.push(amount))
    };
    let add = |acked: &mut Acknowledged| {
        let reply = user
            .call("POST", "/api/vehicles")
            .json(&json!({ "plate": plate }))
            .try_send();
        acknowledged(reply, tally).map(|_| acked.plate = Some(plate.clone()))
    };
    if top_up(&mut acked, 0).is_none() || add(&mut acked).is_none() {
        return acked;
    }
    for stay in 1..=STAYS {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if stay % 5 == 0 && top_up(&mut acked, stay).is_none() {
            break;
        }
        let entry = car_park.event(
            shared::api::GatewayEventKind::Entry,
            &plate,
            integration::gateway::minutes_ago(0),
            None,
        );
        let Some(entry) = acknowledged(car_park.try_send(&entry), tally) else {
            break;
        };
        let id = entry.json::<Value>()["order_id"]
            .as_str()
            .expect("an added plate's entry opens an order")
            .to_owned();
        let fee_fen = 100 + stay; // unique within the plate: a charge names its order
        acked.orders.push(OrderAck {
            id: id.clone(),
            fee_fen,
            exited: false,
            paid: false,
        });
        let exit = car_park.event(
            shared::api::GatewayEventKind::Exit,
            &plate,
            integration::gateway::minutes_ago(0),
            Some(fee_fen),
        );
        if acknowledged(car_park.try_send(&exit), tally).is_none() {
            break;
        }
        acked.orders.last_mut().unwrap().exited = true;
        let pay = user
            .call("POST", &format!("/api/orders/{id}/pay"))
            .json(&json!({ "source": "wallet" }))
            .try_send();
        if acknowledged(pay, tally).is_none() {
            break;
        }
        acked.orders.last_mut().unwrap().paid = true;
    }
    acked
}

/// The writes one client had acknowledged.
fn writes(acked: &Acknowledged) -> usize {
    let orders: usize = acked
        .orders
        .iter()
        .map(|o| 1 + usize::from(o.exited) + usize::from(o.paid))
        .sum();
    acked.top_ups.len() + usize::from(acked.plate.is_some()) + orders
}

/// SIGKILL to the server's whole process group (wrangler, its workerd), with bash's builtin
/// `kill`: procps' /usr/bin/kill reads `-PGID` as every process on the machine.
fn kill_server() {
    let pgid: u32 = std::env::var("SERVER_PGID")
        .expect("SERVER_PGID is set by scripts/server.sh")
        .parse()
        .expect("SERVER_PGID is a process group id");
    assert!(pgid > 1, "not a server's process group: {pgid}");
    let status = std::process::Command::new("bash")
        .args(["-c", &format!("kill -KILL -- -{pgid}")])
        .status()
        .expect("bash runs");
    assert!(status.success(), "kill -KILL -- -{pgid} failed");
}

#[test]
#[ignore = "run by scripts/test, which restarts the server it kills"]
fn crash_under_load() {
    let api = Api::from_env();
    let users: Vec<Session> = thread::scope(|s| {
        let signing_in: Vec<_> = (0..CLIENTS)
            .map(|_| s.spawn(|| api.login(&unique_phone())))
            .collect();
        signing_in.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Tally::default());
    let start = Arc::new(Barrier::new(CLIENTS + 1));
    let clients: Vec<_> = users
        .into_iter()
        .enumerate()
        .map(|(n, user)| {
            let (stop, tally, start) = (stop.clone(), tally.clone(), start.clone());
            thread::spawn(move || {
                start.wait();
                // Staggered, so that at the kill the clients are at every step of a stay.
                thread::sleep(STAGGER * n as u32);
                client(&user, n as u64, &stop, &tally)
            })
        })
        .collect();
    start.wait();
    let began = Instant::now();
    thread::sleep(LEAST);
    while tally.acknowledged.load(Ordering::Relaxed) < TARGET_WRITES && began.elapsed() < MOST {
        thread::sleep(Duration::from_millis(50));
    }
    kill_server();
    stop.store(true, Ordering::Relaxed);
    let acked: Vec<Acknowledged> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    let total: usize = acked.iter().map(writes).sum();
    let cut = tally.cut.load(Ordering::Relaxed);
    println!(
        "crash: {CLIENTS} clients, {total} writes acknowledged in {:.1} s, \
         {cut} requests cut off by the kill",
        began.elapsed().as_secs_f64()
    );
    assert!(cut > 0, "the kill came after every client had finished");
    std::fs::write(crash_file(), serde_json::to_string(&acked).unwrap()).unwrap();
}

/// What the restarted server shows of one client.
#[derive(Default)]
struct Found {
    /// Acknowledged writes found.
    writes: usize,
    /// Orders paid whose payment got no answer (finished before the kill, or by the alarm).
    paid_unacknowledged: usize,
}

/// Everything `acked` says was done, as the restarted server shows it.
fn check_client(api: &Api, acked: &Acknowledged) -> Found {
    let user = api.login(&acked.phone);
    let wallet: Value = user.get("/api/wallet").json();
    let entries = wallet["entries"].as_array().unwrap();
    assert!(entries.len() < 50, "the statement lists every movement");
    let ledger: i64 = entries
        .iter()
        .map(|e| e["delta_fen"].as_i64().unwrap())
        .sum();
    assert_eq!(
        wallet["balance_fen"].as_i64().unwrap(),
        ledger,
        "balance = ledger: {wallet}"
    );
    let mut found = 0;
    for amount in &acked.top_ups {
        let amount = *amount as i64;
        assert!(
            entries.iter().any(|e| e["delta_fen"] == amount),
            "acknowledged top-up of {amount} lost: {wallet}"
        );
        found += 1;
    }
    let Some(plate) = &acked.plate else {
        return Found {
            writes: found,
            ..Found::default()
        };
    };
    assert!(
        user.card_state(plate).is_some(),
        "acknowledged add of {plate} lost"
    );
    found += 1;
    let orders = settled_orders(&user);
    for ack in &acked.orders {
        let order = orders
            .iter()
            .find(|o| o["id"] == ack.id.as_str())
            .unwrap_or_else(|| panic!("acknowledged entry {} lost", ack.id));
        found += 1;
        if ack.exited {
            assert_eq!(order["amount_fen"], ack.fee_fen, "{order}");
            assert!(
                !order["duration_minutes"].is_null(),
                "exit of {} lost",
                ack.id
            );
            found += 1;
        }
        if ack.paid {
            assert_eq!(order["paid"], true, "payment of {} lost: {order}", ack.id);
            found += 1;
        }
    }
    // Money and orders agree, acknowledged or not: each paid order charged once, and nothing
    // charged (net of refunds) for an order that is not paid.
    for order in &orders {
        let amount = order["amount_fen"].as_i64().unwrap();
        let charged: i64 = entries
            .iter()
            .filter(|e| e["note"].as_str().unwrap().contains(plate.as_str()))
            .map(|e| e["delta_fen"].as_i64().unwrap())
            .filter(|d| d.abs() == amount)
            .sum();
        let expected = if order["paid"] == true { -amount } else { 0 };
        assert_eq!(charged, expected, "order vs wallet: {order} {wallet}");
    }
    let paid_unacknowledged = acked
        .orders
        .iter()
        .filter(|a| {
            !a.paid
                && orders
                    .iter()
                    .any(|o| o["id"] == a.id.as_str() && o["paid"] == true)
        })
        .count();
    Found {
        writes: found,
        paid_unacknowledged,
    }
}

/// The user's orders once no payment is pending any more (the alarms finish interrupted ones).
fn settled_orders(user: &Session) -> Vec<Value> {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        let orders = user.orders()["orders"].as_array().unwrap().clone();
        let pending = orders.iter().find(|o| {
            o["paid"] == false && o["payable"] == false && !o["duration_minutes"].is_null()
        });
        match pending {
            None => return orders,
            Some(order) => assert!(Instant::now() < end, "still pending: {order}"),
        }
        thread::sleep(Duration::from_millis(500));
    }
}

#[test]
#[ignore = "run by scripts/test after restarting the server it killed"]
fn after_the_crash() {
    let acked: Vec<Acknowledged> =
        serde_json::from_str(&std::fs::read_to_string(crash_file()).unwrap()).unwrap();
    let api = Api::from_env();
    let found: Vec<Found> = thread::scope(|s| {
        let checks: Vec<_> = acked
            .iter()
            .map(|a| s.spawn(|| check_client(&api, a)))
            .collect();
        checks.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let total: usize = acked.iter().map(writes).sum();
    let paid_unacknowledged: usize = found.iter().map(|f| f.paid_unacknowledged).sum();
    let found: usize = found.iter().map(|f| f.writes).sum();
    let orders: usize = acked.iter().map(|a| a.orders.len()).sum();
    let paid: usize = acked
        .iter()
        .map(|a| a.orders.iter().filter(|o| o.paid).count())
        .sum();
    let wallets = acked.iter().filter(|a| !a.top_ups.is_empty()).count();
    println!(
        "after the crash: {total} writes acknowledged, {found} found; {orders} orders \
         ({paid} paid acknowledged, {paid_unacknowledged} paid unanswered) and {wallets} \
         wallets checked"
    );
    assert_eq!(found, total);
}
