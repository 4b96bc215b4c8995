//! A car park's side of `POST /api/gateway/events` (API.md "Parking, charging, coupons,
//! payment"): it signs each event with its facility's secret and posts it. The tests use the
//! [`Delivery`] builder to send what a real gateway would not: a wrong or missing signature, a
//! stale timestamp, a body that is not an event.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use shared::api::{GatewayEvent, GatewayEventKind};
use shared::{FacilityId, Timestamp};

use crate::{Api, Reply};

/// One facility as edge/seed/dev.sql seeds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facility {
    /// Its id in events.
    pub id: &'static str,
    /// The key it signs with.
    pub secret: &'static str,
    /// The full name owners see.
    pub name: &'static str,
    /// The masked name others see (SPEC §6).
    pub masked_name: &'static str,
}

/// 星河湾停车场: a car park (entries and exits).
pub const XINGHE_PARKING: Facility = Facility {
    id: "fac-xinghe",
    secret: "dev-secret-xinghe",
    name: "星河湾停车场",
    masked_name: "星河**停车场",
};

/// 星河湾充电站: a charging station (charging starts and ends).
pub const XINGHE_CHARGING: Facility = Facility {
    id: "fac-xinghe-ev",
    secret: "dev-secret-xinghe-ev",
    name: "星河湾充电站",
    masked_name: "星河**充电站",
};

/// The seeded facilities.
pub const FACILITIES: [Facility; 2] = [XINGHE_PARKING, XINGHE_CHARGING];

/// How far the gateway's clock may be from the worker's (API.md: ± 300 s).
pub const CLOCK_SKEW_SECONDS: i64 = 300;

/// A facility's gateway: posts signed events for one facility.
#[derive(Clone)]
pub struct CarPark {
    pub api: Api,
    pub facility_id: FacilityId,
    pub secret: String,
}

/// What the signature covers.
enum Signature {
    /// HMAC-SHA256 of `timestamp + "." + body` with the facility's secret.
    Correct,
    /// This text, whatever it is.
    Given(String),
    /// No `X-Signature` header.
    Missing,
}

/// One post being built: a correct signed event unless told otherwise.
pub struct Delivery<'a> {
    car_park: &'a CarPark,
    body: Vec<u8>,
    /// The `X-Timestamp` text; `None` leaves the header out.
    timestamp: Option<String>,
    signature: Signature,
    content_type: &'static str,
}

/// `hex(HMAC-SHA256(secret, timestamp + "." + body))`, lowercase.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Seconds since 1970 now, as the gateway's clock says.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Now, `minutes` minutes ago.
pub fn minutes_ago(minutes: u64) -> Timestamp {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    Timestamp::from_unix_millis(now - minutes as i64 * 60_000)
}

/// Now plus `minutes` (a stay that must begin after a plate's owner was approved — the owner
/// sees in full only their own time — and still last a while).
pub fn minutes_from_now(minutes: u64) -> Timestamp {
    Timestamp::from_unix_millis(minutes_ago(0).unix_millis() + minutes as i64 * 60_000)
}

/// An event id no other event of this process or of a recent run uses.
pub fn new_event_id() -> String {
    static NEXT: OnceLock<AtomicU64> = OnceLock::new();
    let n = NEXT
        .get_or_init(|| AtomicU64::new(0))
        .fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("evt-{nanos:x}-{:x}-{n}", std::process::id())
}

impl CarPark {
    /// The gateway of `facility_id` signing with `secret`.
    pub fn new(api: &Api, facility_id: &str, secret: &str) -> Self {
        Self {
            api: api.clone(),
            facility_id: FacilityId::new(facility_id),
            secret: secret.to_owned(),
        }
    }

    /// The gateway of a seeded facility.
    pub fn of(api: &Api, facility: Facility) -> Self {
        Self::new(api, facility.id, facility.secret)
    }

    /// 星河湾停车场's gateway.
    pub fn parking(api: &Api) -> Self {
        Self::of(api, XINGHE_PARKING)
    }

    /// 星河湾充电站's gateway.
    pub fn charging(api: &Api) -> Self {
        Self::of(api, XINGHE_CHARGING)
    }

    /// A new event of this facility (fresh id) about `plate` at `at`.
    pub fn event(
        &self,
        kind: GatewayEventKind,
        plate: &str,
        at: Timestamp,
        fee_fen: Option<u64>,
    ) -> GatewayEvent {
        GatewayEvent {
            event_id: new_event_id(),
            facility_id: self.facility_id.clone(),
            kind,
            plate: plate.to_owned(),
            at,
            fee_fen,
        }
    }

    /// Posts `event`, correctly signed now.
    pub fn send(&self, event: &GatewayEvent) -> Reply {
        self.deliver(event).send()
    }

    /// Posts `event`, correctly signed now; `Err` when the worker does not answer.
    ///
    /// # Errors
    /// The transport error when no answer came.
    pub fn try_send(&self, event: &GatewayEvent) -> Result<Reply, ureq::Error> {
        self.deliver(event).try_send()
    }

    /// A car entered (now).
    pub fn entry(&self, plate: &str) -> Reply {
        self.send(&self.event(GatewayEventKind::Entry, plate, minutes_ago(0), None))
    }

    /// A car left (now) owing `fee_fen`.
    pub fn exit(&self, plate: &str, fee_fen: u64) -> Reply {
        let event = self.event(GatewayEventKind::Exit, plate, minutes_ago(0), Some(fee_fen));
        self.send(&event)
    }

    /// Charging started (now).
    pub fn charge_start(&self, plate: &str) -> Reply {
        self.send(&self.event(GatewayEventKind::ChargeStart, plate, minutes_ago(0), None))
    }

    /// Charging ended (now) costing `fee_fen`.
    pub fn charge_end(&self, plate: &str, fee_fen: u64) -> Reply {
        let event = self.event(
            GatewayEventKind::ChargeEnd,
            plate,
            minutes_ago(0),
            Some(fee_fen),
        );
        self.send(&event)
    }

    /// A post of `event` as JSON, signed now, to adjust before sending.
    pub fn deliver(&self, event: &GatewayEvent) -> Delivery<'_> {
        self.deliver_json(event)
    }

    /// A post of any serialisable body (e.g. a `serde_json::Value` with a wrong field).
    pub fn deliver_json<T: Serialize + ?Sized>(&self, body: &T) -> Delivery<'_> {
        self.deliver_raw(serde_json::to_vec(body).expect("serialisable body"))
    }

    /// A post of these exact bytes, signed now.
    pub fn deliver_raw(&self, body: impl Into<Vec<u8>>) -> Delivery<'_> {
        Delivery {
            car_park: self,
            body: body.into(),
            timestamp: Some(unix_now().to_string()),
            signature: Signature::Correct,
            content_type: "application/json",
        }
    }
}

impl Delivery<'_> {
    /// Signs at `unix_seconds` instead of now (the signature stays correct for it).
    pub fn at_time(self, unix_seconds: i64) -> Self {
        self.timestamp_header(&unix_seconds.to_string())
    }

    /// Sends this exact `X-Timestamp` text (signed over it).
    pub fn timestamp_header(mut self, text: &str) -> Self {
        self.timestamp = Some(text.to_owned());
        self
    }

    /// Leaves `X-Timestamp` out (the signature still covers the time it would have had).
    pub fn without_timestamp(mut self) -> Self {
        if let Some(t) = self.timestamp.take() {
            let signature = sign(&self.car_park.secret, &t, &self.body);
            self.signature = match self.signature {
                Signature::Correct => Signature::Given(signature),
                other => other,
            };
        }
        self
    }

    /// Sends this `X-Signature` text instead of the correct one.
    pub fn signature(mut self, text: &str) -> Self {
        self.signature = Signature::Given(text.to_owned());
        self
    }

    /// Signs with another key.
    pub fn signed_with(self, secret: &str) -> Self {
        let timestamp = self.timestamp.clone().unwrap_or_default();
        let signature = sign(secret, &timestamp, &self.body);
        self.signature(&signature)
    }

    /// Leaves `X-Signature` out.
    pub fn without_signature(mut self) -> Self {
        self.signature = Signature::Missing;
        self
    }

    /// Sends this `Content-Type` instead of `application/json`.
    pub fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = content_type;
        self
    }

    /// The `X-Signature` this post will carry, if any.
    fn signature_text(&self) -> Option<String> {
        match &self.signature {
            Signature::Correct => Some(sign(
                &self.car_park.secret,
                self.timestamp.as_deref().unwrap_or_default(),
                &self.body,
            )),
            Signature::Given(text) => Some(text.clone()),
            Signature::Missing => None,
        }
    }

    /// Posts it, whatever the answer.
    pub fn send(self) -> Reply {
        self.try_send()
            .unwrap_or_else(|e| panic!("POST /api/gateway/events: no answer: {e}"))
    }

    /// Posts it; `Err` when the worker does not answer.
    ///
    /// # Errors
    /// The transport error when no answer came.
    pub fn try_send(self) -> Result<Reply, ureq::Error> {
        let signature = self.signature_text();
        let mut call = self.car_park.api.call("POST", "/api/gateway/events");
        if let Some(t) = &self.timestamp {
            call = call.header("x-timestamp", t);
        }
        if let Some(s) = &signature {
            call = call.header("x-signature", s);
        }
        call.body(self.content_type, self.body).try_send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_lowercase_hex_hmac_sha256_of_time_dot_body() {
        // Python: hmac.new(b"dev-secret-xinghe", b'1700000000.{"a":1}', sha256).hexdigest()
        assert_eq!(
            sign("dev-secret-xinghe", "1700000000", br#"{"a":1}"#),
            "f297ae3be3090421c1786e69e288c94cb2211a7f04836f2f73c49c379a04fb11"
        );
    }
}
