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
//!
//! This file reads the arguments and dispatches; `single` sends one event, `traffic` drives the
//! run, `report` tallies what it saw and prints it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a simulator that cannot set up should stop

mod report;
mod single;
mod traffic;

use std::collections::BTreeMap;
use std::process::ExitCode;

use shared::api::GatewayEventKind;

use crate::traffic::Traffic;

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
    match single::run(kind, &parsed) {
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
