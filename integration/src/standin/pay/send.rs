//! The only part of pay that touches sockets and sleeps: it carries out what a request queued,
//! after the state's lock is released (the worker may call the stand-in back while it handles a
//! notification). Inline notifications get their first try before the control answers; retries
//! and background notifications run on their own threads. Real WeChat Pay retries over 24 hours
//! (15s/15s/30s/3m/10m/…); the stand-in tries 3 more times 1 s apart so tests finish.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{sleep, spawn};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::notify::{accepted, record_attempt, Delivery, Outgoing};
use crate::standin::http::Response;
use crate::standin::State;

/// Between tries of one delivery.
const RETRY_GAP: Duration = Duration::from_secs(1);
/// "商户…需在 5 秒内完成对报文的验签，并应答回调通知".
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(ANSWER_WITHIN))
        .build()
        .into()
}

/// POSTs `delivery` once: the worker's status, or `None` if it could not be reached.
fn post(agent: &ureq::Agent, delivery: &Delivery) -> Option<u16> {
    let mut request = agent.post(&delivery.url);
    for (name, value) in &delivery.headers {
        request = request.header(name, value);
    }
    match request.send(&delivery.body[..]) {
        Ok(mut response) => {
            let status = response.status().as_u16();
            if !accepted(Some(status)) {
                let body = response.body_mut().read_to_string().unwrap_or_default();
                eprintln!(
                    "standin: notification to {} answered {status}: {body}",
                    delivery.url
                );
            }
            Some(status)
        }
        Err(e) => {
            eprintln!("standin: notification to {} failed: {e}", delivery.url);
            None
        }
    }
}

/// One try, recorded.
fn attempt(agent: &ureq::Agent, delivery: &Delivery, state: &Mutex<State>) -> Option<u16> {
    let status = post(agent, delivery);
    let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
    record_attempt(&mut state, delivery.seq, status);
    status
}

/// The tries left of `delivery` after `done`, 1 s apart, until the worker takes it.
fn retry(agent: &ureq::Agent, delivery: &Delivery, state: &Mutex<State>, done: u32) {
    for _ in done..=delivery.retries {
        sleep(RETRY_GAP);
        if accepted(attempt(agent, delivery, state)) {
            return;
        }
    }
}

/// Carries out `outbox` and gives `reply`, with the workers' statuses of the reported
/// notifications as `status` (the last) and `statuses` when it is a JSON object.
pub fn finish(reply: Response, outbox: Vec<Outgoing>, state: &Arc<Mutex<State>>) -> Response {
    let mut reported = Vec::new();
    for outgoing in outbox {
        match outgoing {
            Outgoing::Notify {
                delivery,
                inline: true,
                report,
            } => {
                let agent = agent();
                let status = attempt(&agent, &delivery, state);
                if report {
                    reported.push(status);
                }
                if !accepted(status) && delivery.retries > 0 {
                    let state = Arc::clone(state);
                    spawn(move || retry(&agent, &delivery, &state, 1));
                }
            }
            Outgoing::Notify { delivery, .. } => {
                let state = Arc::clone(state);
                spawn(move || {
                    let agent = agent();
                    if !accepted(attempt(&agent, &delivery, &state)) {
                        retry(&agent, &delivery, &state, 1);
                    }
                });
            }
            Outgoing::Wake { at_ms } => {
                let state = Arc::clone(state);
                spawn(move || wake(at_ms, &state));
            }
        }
    }
    with_statuses(reply, &reported)
}

/// Settles what is due at `at_ms` and sends what that queued.
fn wake(at_ms: i64, state: &Arc<Mutex<State>>) {
    let wait = u64::try_from(at_ms - now_ms()).unwrap_or(0);
    sleep(Duration::from_millis(wait));
    let outbox = {
        let mut guard = state.lock().unwrap_or_else(PoisonError::into_inner);
        let now = now_ms().max(at_ms);
        if let Some(pay) = guard.pay.as_mut() {
            super::settle_due(pay, now);
        }
        super::take_outbox(&mut guard)
    };
    finish(Response::empty(204), outbox, state);
}

fn with_statuses(mut reply: Response, statuses: &[Option<u16>]) -> Response {
    let Some(last) = statuses.last() else {
        return reply;
    };
    let mut body: Value = serde_json::from_slice(&reply.body).unwrap_or_default();
    if let Some(object) = body.as_object_mut() {
        object.insert("status".to_owned(), (*last).into());
        object.insert("statuses".to_owned(), statuses.to_vec().into());
        reply.body = serde_json::to_vec(&body).unwrap_or_default();
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reported_statuses_go_into_a_json_answer_only() {
        let reply = Response::json(200, &json!({ "status": null }));
        let reply = with_statuses(reply, &[Some(200), None]);
        assert_eq!(
            reply.body_json(),
            json!({ "status": null, "statuses": [200, null] })
        );
        let reply = with_statuses(Response::json(200, &json!({ "a": 1 })), &[]);
        assert_eq!(reply.body_json(), json!({ "a": 1 }));
    }
}
