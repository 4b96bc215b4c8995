//! Notifications (回调通知) as WeChat Pay sends them: the envelope with its resource sealed with
//! AEAD_AES_256_GCM under the APIv3 key, signed with WeChat Pay's key, and the record of each
//! delivery for the tests. Forgeries (a bad signature, an unknown serial, a stale timestamp, a
//! tampered ciphertext) are built here too, each with exactly one defect.

use serde::Serialize;
use serde_json::{json, Value};

use super::crypto::{answer_message, b64, seal, sign, unb64};
use super::{fields, PayState};
use crate::standin::State;

/// How many times a delivery the worker did not accept with 200/204 is tried again.
pub const RETRIES: u32 = 3;

/// What happened, before it is sealed.
#[derive(Debug, Clone)]
pub struct Event {
    /// `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`…
    pub event_type: &'static str,
    /// `支付成功`…
    pub summary: &'static str,
    /// `transaction` or `refund`; also the AEAD associated data.
    pub original_type: &'static str,
    /// The order it is about.
    pub out_trade_no: String,
    /// Where it goes.
    pub url: String,
    /// The plaintext resource.
    pub resource: Value,
}

/// One defect a forged notification carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgery {
    /// Signed over other bytes than the body.
    BadSignature,
    /// Signed correctly but naming a public key id the merchant does not have.
    WrongSerial,
    /// Signed correctly 10 minutes ago.
    StaleTimestamp,
    /// A ciphertext byte flipped (the signature covers the altered body).
    TamperedCiphertext,
}

impl Forgery {
    /// The control endpoint's name for it.
    pub fn parse(kind: &str) -> Option<Self> {
        match kind {
            "bad_signature" => Some(Self::BadSignature),
            "wrong_serial" => Some(Self::WrongSerial),
            "stale_timestamp" => Some(Self::StaleTimestamp),
            "tampered_ciphertext" => Some(Self::TamperedCiphertext),
            _ => None,
        }
    }

    /// The name [`Forgery::parse`] takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::BadSignature => "bad_signature",
            Self::WrongSerial => "wrong_serial",
            Self::StaleTimestamp => "stale_timestamp",
            Self::TamperedCiphertext => "tampered_ciphertext",
        }
    }
}

/// One POST to make.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Its record in [`PayState::deliveries`].
    pub seq: usize,
    /// The notify_url.
    pub url: String,
    /// Content type, user agent and the signature headers.
    pub headers: Vec<(String, String)>,
    /// The envelope's bytes.
    pub body: Vec<u8>,
    /// Tries after the first if the worker does not answer 200/204.
    pub retries: u32,
}

/// What leaves the process after a request.
#[derive(Debug, Clone)]
pub enum Outgoing {
    /// A notification.
    Notify {
        /// What to send.
        delivery: Delivery,
        /// Sent before the control's answer goes out (so a test can look right after).
        inline: bool,
        /// The worker's status goes into the control's answer.
        report: bool,
    },
    /// Settle what is due at `at_ms` (a deduction or refund in progress).
    Wake {
        /// When (Unix ms).
        at_ms: i64,
    },
}

/// What the tests read about one delivery.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRecord {
    /// The notification id (the same for a notification delivered twice).
    pub id: String,
    /// `TRANSACTION.SUCCESS`…
    pub event_type: &'static str,
    /// The order.
    pub out_trade_no: String,
    /// Where it went.
    pub url: String,
    /// The defect, for a forgery.
    pub forged: Option<&'static str>,
    /// The worker's last status; `null` while none (not yet sent, or no connection).
    pub status: Option<u16>,
    /// Every try's status, in order.
    pub attempts: Vec<Option<u16>>,
    /// The envelope as sent.
    pub body: Value,
    /// The resource before it was sealed.
    pub resource: Value,
}

/// How to send a notification.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// See [`Outgoing::Notify`].
    pub inline: bool,
    /// See [`Outgoing::Notify`].
    pub report: bool,
    /// Deliveries of the same notification (2 for a duplicate).
    pub times: usize,
    /// The defect of a forgery (sent once, never retried).
    pub forgery: Option<Forgery>,
}

impl Plan {
    /// Sent from a background thread, as WeChat Pay does.
    pub const BACKGROUND: Self = Self {
        inline: false,
        report: false,
        times: 1,
        forgery: None,
    };
}

/// 12 characters of `[0-9A-Za-z]`, the resource nonce.
fn alphanumeric(pay: &mut PayState) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let hex = pay.ids.hex(24);
    hex::decode(hex)
        .unwrap_or_default()
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// Seals `event` and queues it per `plan`; the notification id.
pub fn queue(pay: &mut PayState, event: &Event, now_ms: i64, plan: Plan) -> String {
    let id = pay.ids.uuid();
    let nonce = alphanumeric(pay);
    let plaintext = event.resource.to_string();
    let mut ciphertext = seal(
        &pay.config.apiv3_key,
        &nonce,
        event.original_type,
        plaintext.as_bytes(),
    )
    .unwrap_or_default();
    if plan.forgery == Some(Forgery::TamperedCiphertext) {
        let mut bytes = unb64(&ciphertext).unwrap_or_default();
        if let Some(first) = bytes.first_mut() {
            *first ^= 0x01;
        }
        ciphertext = b64(&bytes);
    }
    let envelope = json!({
        "id": id,
        "create_time": fields::time(now_ms),
        "resource_type": "encrypt-resource",
        "event_type": event.event_type,
        "summary": event.summary,
        "resource": {
            "original_type": event.original_type,
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": ciphertext,
            "associated_data": event.original_type,
            "nonce": nonce,
        },
    });
    let body = serde_json::to_vec(&envelope).unwrap_or_default();
    let headers = forge_headers(pay, &body, now_ms, plan.forgery);
    for _ in 0..plan.times {
        let seq = pay.deliveries.len();
        pay.deliveries.push(DeliveryRecord {
            id: id.clone(),
            event_type: event.event_type,
            out_trade_no: event.out_trade_no.clone(),
            url: event.url.clone(),
            forged: plan.forgery.map(Forgery::name),
            status: None,
            attempts: Vec::new(),
            body: envelope.clone(),
            resource: event.resource.clone(),
        });
        pay.outbox.push(Outgoing::Notify {
            delivery: Delivery {
                seq,
                url: event.url.clone(),
                headers: headers.clone(),
                body: body.clone(),
                retries: if plan.forgery.is_some() { 0 } else { RETRIES },
            },
            inline: plan.inline,
            report: plan.report,
        });
    }
    id
}

/// The headers of a notification with `body`, carrying `forgery`'s defect if any.
fn forge_headers(
    pay: &mut PayState,
    body: &[u8],
    now_ms: i64,
    forgery: Option<Forgery>,
) -> Vec<(String, String)> {
    let mut timestamp = now_ms.div_euclid(1000);
    if forgery == Some(Forgery::StaleTimestamp) {
        timestamp -= 10 * 60;
    }
    let mut headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("User-Agent".to_owned(), "Mozilla/4.0".to_owned()),
    ];
    headers.extend(pay.signature_headers(timestamp, body));
    let set = |headers: &mut Vec<(String, String)>, name: &str, value: String| {
        for (k, v) in headers.iter_mut() {
            if k == name {
                *v = value.clone();
            }
        }
    };
    match forgery {
        Some(Forgery::BadSignature) => {
            let nonce = header(&headers, "Wechatpay-Nonce");
            let other = answer_message(&timestamp.to_string(), &nonce, b"{}");
            set(
                &mut headers,
                "Wechatpay-Signature",
                sign(&pay.platform_key, &other),
            );
        }
        Some(Forgery::WrongSerial) => {
            let serial = format!("PUB_KEY_ID_{}", pay.ids.digits(32));
            set(&mut headers, "Wechatpay-Serial", serial);
        }
        Some(Forgery::StaleTimestamp | Forgery::TamperedCiphertext) | None => {}
    }
    headers
}

fn header(headers: &[(String, String)], name: &str) -> String {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Notes one try of delivery `seq`: the worker's status, or `None` when it could not be reached.
pub fn record_attempt(state: &mut State, seq: usize, status: Option<u16>) {
    let Some(record) = state.pay.as_mut().and_then(|p| p.deliveries.get_mut(seq)) else {
        return;
    };
    if record.attempts.is_empty() && record.forged.is_none() {
        state.stats.notifications_sent += 1;
    }
    record.attempts.push(status);
    record.status = status;
}

/// Whether the worker took the notification ("HTTP 应答状态码需返回 200 或 204").
pub fn accepted(status: Option<u16>) -> bool {
    matches!(status, Some(200 | 204))
}

#[cfg(test)]
mod tests {
    use super::super::crypto::{open, test_keys};
    use super::super::fixture::*;
    use super::super::{auth, jsapi};
    use super::*;
    use crate::standin::fixture::NOW_MS;
    use rsa::RsaPublicKey;

    fn sent(state: &mut State) -> Vec<Delivery> {
        pay(state)
            .outbox
            .drain(..)
            .filter_map(|o| match o {
                Outgoing::Notify { delivery, .. } => Some(delivery),
                Outgoing::Wake { .. } => None,
            })
            .collect()
    }

    fn decrypt(body: &[u8]) -> Option<Value> {
        let envelope: Value = serde_json::from_slice(body).ok()?;
        let resource = &envelope["resource"];
        let plain = open(
            APIV3_KEY,
            resource["nonce"].as_str()?,
            resource["associated_data"].as_str()?,
            resource["ciphertext"].as_str()?,
        )?;
        serde_json::from_slice(&plain).ok()
    }

    fn verifies(delivery: &Delivery) -> bool {
        let public = RsaPublicKey::from(&test_keys().platform);
        auth::verify_signed(
            &delivery.headers,
            &delivery.body,
            &public,
            PUBLIC_KEY_ID,
            NOW_MS,
        )
    }

    #[test]
    fn a_payment_notification_is_signed_and_decrypts_with_the_apiv3_key() {
        let mut state = state();
        order(&mut state, "T20250615001", 500);
        let event = jsapi::pay_order(pay(&mut state), "T20250615001", NOW_MS).unwrap();
        let id = queue(pay(&mut state), &event, NOW_MS, Plan::BACKGROUND);
        let [delivery] = sent(&mut state).try_into().unwrap();
        assert!(verifies(&delivery));
        assert_eq!(delivery.url, NOTIFY_URL);
        assert_eq!(delivery.retries, RETRIES);
        let envelope: Value = serde_json::from_slice(&delivery.body).unwrap();
        assert_eq!(envelope["id"], id.as_str());
        assert_eq!(envelope["event_type"], "TRANSACTION.SUCCESS");
        assert_eq!(envelope["resource_type"], "encrypt-resource");
        assert_eq!(envelope["create_time"], "2025-06-15T23:06:40+08:00");
        assert_eq!(envelope["resource"]["associated_data"], "transaction");
        let nonce = envelope["resource"]["nonce"].as_str().unwrap();
        assert!(nonce.len() == 12 && nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
        let resource = decrypt(&delivery.body).unwrap();
        assert_eq!(resource["trade_state"], "SUCCESS");
        assert_eq!(resource["out_trade_no"], "T20250615001");
        assert_eq!(resource["mchid"], MCH_ID);
        assert_eq!(resource["amount"]["payer_total"], 500);

        let mut tampered = envelope.clone();
        let mut bytes = unb64(tampered["resource"]["ciphertext"].as_str().unwrap()).unwrap();
        bytes[3] ^= 0x80;
        tampered["resource"]["ciphertext"] = b64(&bytes).into();
        assert_eq!(decrypt(tampered.to_string().as_bytes()), None);
    }

    #[test]
    fn each_forgery_has_exactly_its_defect() {
        let mut state = state();
        order(&mut state, "T20250615001", 500);
        let event = pay(&mut state).orders["T20250615001"].paid_event(MCH_ID);
        for (kind, signed, decrypts) in [
            ("bad_signature", false, true),
            ("wrong_serial", false, true),
            ("stale_timestamp", false, true),
            ("tampered_ciphertext", true, false),
        ] {
            let plan = Plan {
                forgery: Forgery::parse(kind),
                ..Plan::BACKGROUND
            };
            queue(pay(&mut state), &event, NOW_MS, plan);
            let [delivery] = sent(&mut state).try_into().unwrap();
            assert_eq!(verifies(&delivery), signed, "{kind}");
            assert_eq!(decrypt(&delivery.body).is_some(), decrypts, "{kind}");
            assert_eq!(delivery.retries, 0);
        }
        let records = &pay(&mut state).deliveries;
        assert_eq!(records.len(), 4);
        assert_eq!(records[1].forged, Some("wrong_serial"));
    }

    #[test]
    fn a_duplicate_keeps_its_id_and_attempts_are_counted_once() {
        let mut state = state();
        order(&mut state, "T20250615001", 500);
        let event = jsapi::pay_order(pay(&mut state), "T20250615001", NOW_MS).unwrap();
        let plan = Plan {
            times: 2,
            ..Plan::BACKGROUND
        };
        queue(pay(&mut state), &event, NOW_MS, plan);
        let both = sent(&mut state);
        assert_eq!(both.len(), 2);
        assert_eq!(both[0].body, both[1].body);
        record_attempt(&mut state, 0, Some(500));
        record_attempt(&mut state, 0, Some(200));
        record_attempt(&mut state, 1, None);
        let records = &pay(&mut state).deliveries;
        assert_eq!(records[0].attempts, [Some(500), Some(200)]);
        assert_eq!(records[0].status, Some(200));
        assert_eq!(records[1].status, None);
        assert_eq!(state.stats.notifications_sent, 2);
    }
}
