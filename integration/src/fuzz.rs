//! Hostile requests to every endpoint, as a signed-in driver, an operator, a car park and
//! nobody: random methods, paths, headers and JSON shapes, huge and hostile Unicode (RTL marks,
//! zero-width joiners, 20 KB plates, NUL). The worker must never answer 5xx, every 4xx must be
//! the API's error shape, and a 4xx must change nothing the driver can see.
//!
//! `tests/fuzz.rs` runs a few hundred cases in the test command; `scripts/fuzz` runs 100,000.

use serde_json::{json, Map, Value};

use crate::gateway::{CarPark, XINGHE_PARKING};
use crate::load::Rng;
use crate::{operator, owner_of_new_plate, Api, Reply, Session};

/// Every route of the worker (method, path with `{plate}`, `{id}`, `{user}` holes). Rebuild is
/// left out: it walks every plate, a load of its own, covered by the restart tests.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/health"),
    ("POST", "/api/auth/code"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/logout"),
    ("GET", "/api/me"),
    ("GET", "/api/session"),
    ("POST", "/api/plates/check"),
    ("GET", "/api/vehicles"),
    ("POST", "/api/vehicles"),
    ("DELETE", "/api/vehicles/{plate}"),
    ("PUT", "/api/vehicles/{plate}/default"),
    ("POST", "/api/vehicles/{plate}/certification"),
    ("POST", "/api/vehicles/{plate}/appeal"),
    ("POST", "/api/vehicles/{plate}/cancel-request"),
    ("PUT", "/api/vehicles/{plate}/privacy"),
    ("PUT", "/api/vehicles/{plate}/autopay"),
    ("GET", "/api/vehicles/{plate}/authorizations"),
    (
        "POST",
        "/api/vehicles/{plate}/authorizations/{user}/{action}",
    ),
    ("POST", "/api/notices/{id}/ack"),
    ("POST", "/api/uploads"),
    ("GET", "/api/uploads/{id}"),
    ("POST", "/api/gateway/events"),
    ("GET", "/api/orders"),
    ("GET", "/api/orders?plate={plate}"),
    ("POST", "/api/orders/{id}/pay"),
    ("GET", "/api/messages"),
    ("POST", "/api/messages/read"),
    ("GET", "/api/coupons"),
    ("GET", "/api/wallet"),
    ("POST", "/api/wallet/top-up"),
    ("POST", "/api/ops/coupons"),
    ("GET", "/api/ops/reviews?kind={action}"),
    ("POST", "/api/ops/reviews/{id}/approve"),
    ("POST", "/api/ops/reviews/{id}/reject"),
    ("POST", "/api/ops/vehicles/{plate}/revoke"),
    ("GET", "/api/ops/vehicles/{plate}"),
    ("GET", "/api/{action}"),
];

const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];

/// Field names the API knows, so random bodies often reach the checks past the JSON shape.
const FIELDS: &[&str] = &[
    "plate",
    "phone",
    "code",
    "confirm_nonstandard",
    "certification",
    "owner_name",
    "evidence",
    "reason",
    "protect",
    "notify",
    "enabled",
    "sources",
    "limit_fen",
    "source",
    "ids",
    "amount_fen",
    "title",
    "value_fen",
    "expires_at",
    "event_id",
    "facility_id",
    "kind",
    "at",
    "fee_fen",
];

/// What the run found.
#[derive(Debug, Default)]
pub struct Tally {
    /// Cases sent.
    pub cases: u64,
    /// Answers by class: 2xx, 3xx, 4xx.
    pub ok: u64,
    /// 4xx answers (each checked for its shape and for changing nothing).
    pub refused: u64,
    /// What went wrong, one line each (empty when the worker held).
    pub failures: Vec<String>,
}

/// Who sends a case.
#[derive(Debug, Clone, Copy)]
enum Sender {
    Driver,
    Operator,
    CarPark,
    Nobody,
}

/// The fuzzing world: a driver who owns a plate, and the plate.
pub struct Fuzzer {
    api: Api,
    driver: Session,
    plate: String,
    rng: Rng,
    /// What the driver saw after the last accepted request.
    seen: Option<String>,
}

impl Fuzzer {
    /// A fresh driver with an owned plate and some money, against the worker at `api`.
    pub fn new(api: &Api, seed: u64) -> Self {
        let (driver, plate) = owner_of_new_plate(api);
        driver
            .post("/api/wallet/top-up", json!({ "amount_fen": 10_000 }))
            .expect(200);
        Self {
            api: api.clone(),
            driver,
            plate,
            rng: Rng::from_seed(seed),
            seen: None,
        }
    }

    /// Sends `cases` random requests, checking each answer; stops early after 20 failures.
    pub fn run(&mut self, cases: u64) -> Tally {
        let mut tally = Tally::default();
        for _ in 0..cases {
            if tally.failures.len() >= 20 {
                break;
            }
            self.case(&mut tally);
        }
        tally
    }

    /// Everything the driver can see; a refused request must leave it as it was.
    fn driver_view(&self) -> String {
        let paths = [
            "/api/vehicles",
            "/api/orders",
            "/api/messages",
            "/api/coupons",
            "/api/wallet",
        ];
        paths
            .iter()
            .map(|p| {
                let reply = self.driver.get(p);
                format!("{} {}", reply.status, reply.body)
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn case(&mut self, tally: &mut Tally) {
        tally.cases += 1;
        let before = match self.seen.take() {
            Some(seen) => seen,
            None => self.driver_view(),
        };
        let (what, reply) = self.send_one();
        let Some(reply) = reply else {
            tally.failures.push(format!("no answer: {what}"));
            return;
        };
        if reply.status >= 500 {
            tally.failures.push(format!(
                "{} for {what}: {}",
                reply.status,
                clip(&reply.body)
            ));
            return;
        }
        if (400..500).contains(&reply.status) {
            tally.refused += 1;
            // A HEAD answer has no body by definition.
            let head = what.split(' ').nth(1) == Some("HEAD");
            if let Err(why) = error_shape(&reply).or_else(|e| if head { Ok(()) } else { Err(e) }) {
                tally.failures.push(format!("{why} for {what}"));
            }
            let after = self.driver_view();
            if after != before {
                tally.failures.push(format!(
                    "a {} changed the driver's view: {what}",
                    reply.status
                ));
            }
            self.seen = Some(after);
        } else {
            tally.ok += 1;
        }
    }

    /// One random request; a short description and its answer (`None`: no answer at all).
    fn send_one(&mut self) -> (String, Option<Reply>) {
        let sender = match self.rng.between(0, 9) {
            0..=4 => Sender::Driver,
            5..=6 => Sender::Operator,
            7..=8 => Sender::CarPark,
            _ => Sender::Nobody,
        };
        if let Sender::CarPark = sender {
            let body = self.gateway_body();
            let what = format!("car park POST /api/gateway/events {}", clip_bytes(&body));
            let reply = CarPark::of(&self.api, XINGHE_PARKING)
                .deliver_raw(body)
                .try_send()
                .ok();
            return (what, reply);
        }
        let (method, path) = self.path();
        // The driver signing out would end the run's own session: nobody sends that one.
        let sender = match sender {
            Sender::Driver if path.starts_with("/api/auth/logout") => Sender::Nobody,
            other => other,
        };
        let (content_type, body) = self.body();
        let idempotency = self.rng.chance(20).then(|| self.header_text());
        let csrf = self.rng.chance(10).then(|| self.header_text());
        let what = format!("{sender:?} {method} {} {}", clip(&path), clip_bytes(&body));
        let call = match sender {
            Sender::Driver => self.driver.call(method, &path),
            Sender::Operator => operator().call(method, &path),
            Sender::CarPark | Sender::Nobody => self.api.call(method, &path),
        };
        let mut call = if matches!(method, "POST" | "PUT" | "PATCH" | "DELETE") {
            call.body(content_type, body)
        } else {
            call
        };
        if let Some(key) = &idempotency {
            call = call.header("idempotency-key", key);
        }
        if let Some(value) = &csrf {
            call = call.header("x-requested-with", value);
        }
        (what, call.try_send().ok())
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.rng.between(0, from.len() as u64 - 1) as usize]
    }

    /// A route with its holes filled, or now and then a random method or path.
    fn path(&mut self) -> (&'static str, String) {
        let (method, template) = ROUTES[self.rng.between(0, ROUTES.len() as u64 - 1) as usize];
        let method = if self.rng.chance(10) {
            self.pick(METHODS)
        } else {
            method
        };
        let mut path = template.to_owned();
        for hole in ["{plate}", "{id}", "{user}", "{action}"] {
            while path.contains(hole) {
                let value = match hole {
                    "{plate}" => self.plate_text(),
                    "{action}" if self.rng.chance(50) => self
                        .pick(&["approve", "deny", "revoke", "appeal", "certification"])
                        .to_owned(),
                    "{user}" if self.rng.chance(50) => self.driver.user_id.clone(),
                    _ => self.text(),
                };
                // A URL has a length limit of its own (Cloudflare answers 414 past 16 KB before
                // the worker runs); 20 KB texts go in bodies.
                let value: String = value.chars().take(1_000).collect();
                path = path.replacen(hole, &encode(&value), 1);
            }
        }
        (method, path)
    }

    /// The driver's plate, another plate, or hostile text.
    fn plate_text(&mut self) -> String {
        match self.rng.between(0, 3) {
            0 => self.plate.clone(),
            1 => format!("闽D{:05}", self.rng.between(0, 99_999)),
            _ => self.text(),
        }
    }

    /// Text meant to break things: empty, huge, controls, bidi and zero-width marks, NUL.
    fn text(&mut self) -> String {
        let plate = self.plate.clone();
        match self.rng.between(0, 11) {
            0 => String::new(),
            1 => "闽".repeat(7_000), // 21 KB
            2 => format!("{plate}\u{0}"),
            3 => format!("\u{202E}{plate}\u{202C}"),
            4 => "闽\u{200D}D\u{200B}12337".to_owned(),
            5 => "../../api/ops/rebuild".to_owned(),
            6 => "%00%ff%fe".to_owned(),
            7 => "🚗🅿️\u{FEFF}".to_owned(),
            8 => "'; DROP TABLE users; --".to_owned(),
            9 => format!("{}", self.rng.next_u64()),
            10 => "-1".to_owned(),
            _ => format!("{plate}-{}", self.rng.between(0, 99)),
        }
    }

    /// A header value a client can send (visible ASCII only: HTTP has no other), still hostile.
    fn header_text(&mut self) -> String {
        let text = self.text();
        let ascii: String = text
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .collect();
        match self.rng.between(0, 2) {
            0 => "k".repeat(300),
            1 => format!("{ascii} {}", self.rng.next_u64()),
            _ => ascii,
        }
    }

    /// A body: JSON of a random shape (often with the API's field names), or not JSON at all.
    fn body(&mut self) -> (&'static str, Vec<u8>) {
        match self.rng.between(0, 9) {
            0 => ("application/json", Vec::new()),
            1 => ("application/json", b"{\"plate\":".to_vec()),
            2 => ("image/jpeg", vec![0xFF, 0xD8, 0xFF, 0x00, 0x01]),
            3 => ("text/plain", self.text().into_bytes()),
            4 => ("application/json", vec![b'['; 70_000]),
            _ => {
                let value = self.value(0);
                (
                    "application/json",
                    serde_json::to_vec(&value).unwrap_or_default(),
                )
            }
        }
    }

    fn value(&mut self, depth: u32) -> Value {
        match self.rng.between(0, if depth > 2 { 5 } else { 8 }) {
            0 => Value::Null,
            1 => Value::Bool(self.rng.chance(50)),
            2 => json!(self.pick_number()),
            3 => Value::String(self.text()),
            4 => Value::String(self.plate_text()),
            5 => json!(-1),
            6 => Value::Array(
                (0..self.rng.between(0, 3))
                    .map(|_| self.value(depth + 1))
                    .collect(),
            ),
            _ => {
                let mut map = Map::new();
                for _ in 0..self.rng.between(0, 6) {
                    let key = if self.rng.chance(80) {
                        self.pick(FIELDS).to_owned()
                    } else {
                        self.text()
                    };
                    let value = self.value(depth + 1);
                    map.insert(key, value);
                }
                Value::Object(map)
            }
        }
    }

    fn pick_number(&mut self) -> Value {
        match self.rng.between(0, 5) {
            0 => json!(0),
            1 => json!(u64::MAX),
            2 => json!(i64::MIN),
            3 => json!(1.5e300),
            4 => json!(self.rng.between(1, 100_000)),
            _ => json!(0.001),
        }
    }

    /// A car park's body: a plausible event for the driver's plate with one field made
    /// hostile, or any JSON.
    fn gateway_body(&mut self) -> Vec<u8> {
        if self.rng.chance(30) {
            return serde_json::to_vec(&self.value(0)).unwrap_or_default();
        }
        let kind = self.pick(&["entry", "exit", "charge_start", "charge_end", "leave"]);
        let mut event = json!({
            "event_id": format!("fuzz-{}", self.rng.next_u64()),
            "facility_id": XINGHE_PARKING.id,
            "kind": kind,
            "plate": self.plate.clone(),
            "at": shared::Timestamp::from_unix_millis(1_767_225_600_000).to_string(),
        });
        if self.rng.chance(60) {
            event["fee_fen"] = self.pick_number();
        }
        let field = self.pick(&["event_id", "plate", "at", "kind", "fee_fen", "extra"]);
        event[field] = self.value(1);
        serde_json::to_vec(&event).unwrap_or_default()
    }
}

/// A 4xx body must be `{code, message}` with a stable code and a message for people.
fn error_shape(reply: &Reply) -> Result<(), String> {
    let Ok(body) = serde_json::from_str::<Value>(&reply.body) else {
        return Err(format!(
            "a {} that is not JSON: {}",
            reply.status,
            clip(&reply.body)
        ));
    };
    let code = body["code"].as_str().unwrap_or_default();
    let message = body["message"].as_str().unwrap_or_default();
    let snake = !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    if !snake || message.is_empty() || body.as_object().map_or(0, Map::len) != 2 {
        return Err(format!(
            "a {} not in the error shape: {}",
            reply.status,
            clip(&reply.body)
        ));
    }
    Ok(())
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn clip(text: &str) -> String {
    text.chars().take(160).collect()
}

fn clip_bytes(bytes: &[u8]) -> String {
    clip(&String::from_utf8_lossy(bytes))
}
