//! The WeChat push object: one Durable Object that holds the 公众号's server `access_token` for
//! every request of the deployment, and the queue of template messages it sends by alarm.
//!
//! - **Token.** Fetched with the app secret, cached until 5 minutes before it expires, fetched
//!   again at once when WeChat answers that it is invalid (once per send).
//! - **Queue.** A plate's outbox hands messages over after they reached the inbox; each is kept
//!   by its message id (a repeated hand-over changes nothing) and sent by the alarm, never in
//!   the request of the command that caused it. A busy WeChat or a network failure is retried
//!   with growing waits; an answer that will not change (not a follower, bad template) ends it.
//! - **Once.** A message is marked sent when WeChat says so; it also carries its id as WeChat's
//!   `client_msg_id`, which WeChat sends once per user within 10 minutes, so even a crash
//!   between WeChat's answer and the mark does not push it twice.

// `#[durable_object]` generates public JS glue methods without docs.
#![allow(missing_docs)]

use serde::{Deserialize, Serialize};
use shared::providers::wechat::{errcode, TemplateMessage};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, State};

use crate::durable::{self, dispatch, Answers, Call};
use crate::error::{AppError, AppResult};
use crate::settings::WechatSettings;
use crate::wechat::api::{self, Failure};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS token (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pushes (id TEXT PRIMARY KEY, body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, last_error TEXT, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS pushes_due ON pushes (state, due_at);
";

/// A cached token is replaced this long before WeChat's expiry.
const TOKEN_MARGIN_MS: i64 = 5 * 60 * 1000;
/// Waits before each retry of a push WeChat could not take now (then it is given up).
const RETRY_WAITS_MS: [i64; 5] = [5_000, 30_000, 120_000, 600_000, 3_600_000];
/// Pushes sent per alarm run (the next run follows at once if more are due).
const BATCH: i64 = 20;
/// Sent and given-up pushes are kept this long, for support questions, then deleted.
const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

/// Queues template messages (keyed by their `client_msg_id`, the inbox message id).
#[derive(Debug, Serialize, Deserialize)]
pub struct Enqueue(pub Vec<TemplateMessage>);

impl Call for Enqueue {
    const PATH: &'static str = "/enqueue";
    type Reply = ();
}

/// The deployment's one push object.
#[durable_object]
pub struct WechatDo {
    state: State,
    env: Env,
    sql: SqlStorage,
}

impl DurableObject for WechatDo {
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        if let Err(err) = sql.exec(SCHEMA, None) {
            worker::console_error!("push object schema: {err}");
        }
        Self { state, env, sql }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        dispatch!(self, req, [Enqueue])
    }

    async fn alarm(&self) -> Result<Response> {
        if let Err(err) = self.send_due().await {
            worker::console_error!("sending pushes: {err:?}");
            self.wake_in(RETRY_WAITS_MS[0]).await;
        }
        Response::empty()
    }
}

impl Answers<Enqueue> for WechatDo {
    async fn answer(&self, Enqueue(messages): Enqueue) -> AppResult<()> {
        let now = now_ms();
        for message in &messages {
            let body = serde_json::to_string(message).map_err(AppError::internal)?;
            self.sql.exec(
                "INSERT OR IGNORE INTO pushes (id, body, due_at, created_at) VALUES (?, ?, ?, ?)",
                vec![
                    message.client_msg_id.as_str().into(),
                    body.into(),
                    now.into(),
                    now.into(),
                ],
            )?;
        }
        self.wake_in(0).await;
        Ok(())
    }
}

/// One queued push.
#[derive(Deserialize)]
struct Queued {
    id: String,
    body: String,
    attempts: i64,
}

/// What became of one send.
enum Outcome {
    Sent,
    /// Worth another try later.
    Retry(String),
    /// Will not work however often it is tried.
    GiveUp(String),
}

impl WechatDo {
    async fn send_due(&self) -> AppResult<()> {
        let Some(settings) = WechatSettings::from_env(&self.env) else {
            worker::console_error!("pushes queued but WeChat is not configured: left queued");
            return Ok(());
        };
        let now = now_ms();
        let due: Vec<Queued> = self
            .sql
            .exec(
                "SELECT id, body, attempts FROM pushes WHERE state = 'queued' AND due_at <= ? \
                 ORDER BY due_at LIMIT ?",
                vec![now.into(), BATCH.into()],
            )?
            .to_array()?;
        for push in &due {
            let outcome = match serde_json::from_str::<TemplateMessage>(&push.body) {
                Ok(message) => self.send(&settings, &message).await,
                Err(err) => Outcome::GiveUp(format!("unreadable: {err}")),
            };
            self.record(push, outcome);
        }
        self.sql.exec(
            "DELETE FROM pushes WHERE state <> 'queued' AND created_at < ?",
            vec![(now - KEEP_MS).into()],
        )?;
        self.schedule_next().await
    }

    /// Sends one message; a token WeChat calls invalid is replaced and the send repeated once.
    async fn send(&self, settings: &WechatSettings, message: &TemplateMessage) -> Outcome {
        let mut refreshed = false;
        loop {
            let token = match self.token(settings, refreshed).await {
                Ok(token) => token,
                Err(failure) => return Outcome::Retry(format!("token: {failure}")),
            };
            let failure = match api::send_template(settings, &token, message).await {
                Ok(_) => return Outcome::Sent,
                Err(failure) => failure,
            };
            let token_refused = matches!(
                failure.errcode(),
                Some(errcode::INVALID_CREDENTIAL | errcode::TOKEN_EXPIRED | errcode::BAD_TOKEN)
            );
            if token_refused && !refreshed {
                refreshed = true;
                continue;
            }
            return match failure.errcode() {
                None | Some(errcode::BUSY | errcode::DAILY_QUOTA) => {
                    Outcome::Retry(failure.to_string())
                }
                Some(_) if token_refused => Outcome::Retry(failure.to_string()),
                Some(_) => Outcome::GiveUp(failure.to_string()),
            };
        }
    }

    /// The cached token, or a new one when it is near its end or `renew` says WeChat refused it.
    async fn token(
        &self,
        settings: &WechatSettings,
        renew: bool,
    ) -> std::result::Result<String, Failure> {
        #[derive(Deserialize)]
        struct Row {
            value: String,
            expires_at: i64,
        }
        let now = now_ms();
        if !renew {
            let cached: Vec<Row> = self
                .sql
                .exec("SELECT value, expires_at FROM token WHERE id = 1", None)
                .and_then(|c| c.to_array())
                .unwrap_or_default();
            if let Some(row) = cached
                .into_iter()
                .find(|r| r.expires_at - TOKEN_MARGIN_MS > now)
            {
                return Ok(row.value);
            }
        }
        let fresh = api::server_token(settings).await?;
        let expires_at = now + fresh.expires_in * 1000;
        if let Err(err) = self.sql.exec(
            "INSERT INTO token (id, value, expires_at) VALUES (1, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
            vec![fresh.access_token.as_str().into(), expires_at.into()],
        ) {
            worker::console_error!("caching the access token: {err}");
        }
        Ok(fresh.access_token)
    }

    fn record(&self, push: &Queued, outcome: Outcome) {
        let attempts = push.attempts + 1;
        let result = match outcome {
            Outcome::Sent => self.sql.exec(
                "UPDATE pushes SET state = 'sent', attempts = ?, last_error = NULL WHERE id = ?",
                vec![attempts.into(), push.id.as_str().into()],
            ),
            Outcome::Retry(why) if (attempts as usize) <= RETRY_WAITS_MS.len() => {
                let wait = RETRY_WAITS_MS[(attempts - 1) as usize];
                worker::console_log!("push {} failed ({why}), retrying in {wait} ms", push.id);
                self.sql.exec(
                    "UPDATE pushes SET attempts = ?, due_at = ?, last_error = ? WHERE id = ?",
                    vec![
                        attempts.into(),
                        (now_ms() + wait).into(),
                        why.into(),
                        push.id.as_str().into(),
                    ],
                )
            }
            Outcome::Retry(why) | Outcome::GiveUp(why) => {
                worker::console_error!("push {} given up: {why}", push.id);
                self.sql.exec(
                    "UPDATE pushes SET state = 'failed', attempts = ?, last_error = ? WHERE id = ?",
                    vec![attempts.into(), why.into(), push.id.as_str().into()],
                )
            }
        };
        if let Err(err) = result {
            worker::console_error!("recording push {}: {err}", push.id);
        }
    }

    /// Arms the alarm for the next queued push, if any.
    async fn schedule_next(&self) -> AppResult<()> {
        #[derive(Deserialize)]
        struct Row {
            due_at: Option<i64>,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT MIN(due_at) AS due_at FROM pushes WHERE state = 'queued'",
                None,
            )?
            .to_array()?;
        if let Some(due) = rows.first().and_then(|r| r.due_at) {
            self.wake_in((due - now_ms()).max(0)).await;
        }
        Ok(())
    }

    async fn wake_in(&self, ms: i64) {
        if let Err(err) = self.state.storage().set_alarm(ms).await {
            worker::console_error!("could not arm the push alarm: {err}");
        }
    }
}

fn now_ms() -> i64 {
    worker::Date::now().as_millis() as i64
}

/// Hands `messages` to the deployment's push object.
pub async fn enqueue(env: &Env, messages: Vec<TemplateMessage>) -> AppResult<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let stub = env.durable_object("WECHAT")?.get_by_name("pushes")?;
    durable::ask(&stub, &Enqueue(messages)).await
}
