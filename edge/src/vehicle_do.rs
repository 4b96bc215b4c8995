//! One Durable Object per plate: the single writer of that vehicle's aggregate.
//!
//! Every command on a plate goes through its object, which runs one at a time: it loads the
//! aggregate, runs `shared::vehicle::execute`, and stores the new events and state with no
//! `await` in between (so they commit together, and no other command sees half of it). Then it
//! writes the plate's projection through to D1; if that fails, an alarm retries until it lands.

// `#[durable_object]` generates public JS glue methods without docs.
#![allow(missing_docs)]

use std::cell::RefCell;

use serde::{Deserialize, Serialize};
use shared::plate::Plate;
use shared::tenant::TenantPolicy;
use shared::timestamp::Timestamp;
use shared::vehicle::{execute, Actor, Command, CommandError, Event, Vehicle};
use worker::{
    durable_object, DurableObject, Env, Method, Request, RequestInit, Response, Result, SqlStorage,
    State, Stub,
};

use crate::error::{AppError, AppResult};
use crate::store::projection;

mod parking;

pub use parking::{GatewayEnvelope, IssueEnvelope, ListedOrder, PayEnvelope, ViewerEnvelope};

/// What the worker asks of a plate's object.
#[derive(Debug, Serialize, Deserialize)]
pub struct CommandEnvelope {
    /// The plate (the object's name; the object learns it from its first command).
    pub plate: Plate,
    /// The command with its request id.
    pub command: Command,
    /// Who sends it.
    pub actor: Actor,
    /// The tenant policy of the actor.
    pub policy: TenantPolicy,
    /// When the request arrived at the worker.
    pub now: Timestamp,
}

/// The object's answer: the outcome for the caller and the vehicle after it.
#[derive(Debug, Serialize, Deserialize)]
pub struct CommandReply {
    /// The events the command produced, or why it was refused (a retry gets the same).
    pub outcome: std::result::Result<Vec<Event>, CommandError>,
    /// The vehicle after the command.
    pub vehicle: Vehicle,
}

/// The aggregate of one plate, addressed by the normalised plate (`get_by_name`).
#[durable_object]
pub struct VehicleDo {
    state: State,
    env: Env,
    sql: SqlStorage,
    /// The aggregate as last stored, so a command does not re-read it.
    cached: RefCell<Option<Vehicle>>,
    /// Payment tries and 无感支付 runs this instance is in the middle of (the alarm leaves
    /// them to their request).
    busy: RefCell<std::collections::HashSet<String>>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS aggregate (id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, body TEXT NOT NULL);
";

impl DurableObject for VehicleDo {
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        // Idempotent: runs on every wake-up, creates the tables only the first time.
        if let Err(err) = sql
            .exec(SCHEMA, None)
            .and_then(|_| sql.exec(parking::SCHEMA, None))
        {
            worker::console_error!("vehicle object schema: {err}");
        }
        Self {
            state,
            env,
            sql,
            cached: RefCell::new(None),
            busy: RefCell::default(),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let path = req.path();
        match (req.method(), path.as_str()) {
            (Method::Post, "/command") => {
                let envelope: CommandEnvelope = req.json().await?;
                let reply = self.command(envelope)?;
                self.project(&reply.vehicle).await;
                Response::from_json(&reply)
            }
            (Method::Get, "/state") => match self.load()? {
                Some(vehicle) => Response::from_json(&vehicle),
                None => Response::error("no such vehicle", 404),
            },
            // Rebuild: write this plate's projection and payer index to D1 again.
            (Method::Post, "/project") => {
                if let Some(vehicle) = self.load()? {
                    projection::write(&self.env.d1("DB")?, &vehicle).await?;
                }
                reply(self.requeue_payers())?;
                self.flush().await;
                Response::empty()
            }
            (Method::Post, "/gateway") => {
                let envelope: GatewayEnvelope = req.json().await?;
                let answer = self.gateway(envelope).await;
                self.flush().await;
                reply(answer)
            }
            (Method::Post, "/orders") => {
                let envelope: ViewerEnvelope = req.json().await?;
                reply(self.orders_for(&envelope.viewer))
            }
            (Method::Post, "/due") => {
                let envelope: ViewerEnvelope = req.json().await?;
                reply(self.due_for(&envelope.viewer))
            }
            (Method::Post, "/pay") => {
                let envelope: PayEnvelope = req.json().await?;
                let answer = self.pay(envelope).await;
                self.flush().await;
                reply(answer)
            }
            (Method::Post, "/ops") => reply(self.ops_view()),
            (Method::Post, "/coupons") => {
                let envelope: ViewerEnvelope = req.json().await?;
                reply(self.coupons_for(&envelope.viewer))
            }
            (Method::Post, "/issue") => {
                let envelope: IssueEnvelope = req.json().await?;
                let answer = self.issue(envelope);
                self.flush().await;
                reply(answer)
            }
            _ => Response::error("unknown vehicle object route", 404),
        }
    }

    /// Retries whatever did not land: the projection, pending payments, the outbox.
    async fn alarm(&self) -> Result<Response> {
        if let Some(vehicle) = self.load()? {
            self.project(&vehicle).await;
        }
        let now = Timestamp::from_unix_millis(worker::Date::now().as_millis() as i64);
        if let Err(err) = self.settle_pending(now).await {
            worker::console_error!("settling pending payments: {err:?}");
        }
        if let Err(err) = self.resume_autopay(now).await {
            worker::console_error!("resuming 无感支付: {err:?}");
        }
        self.flush().await;
        Response::empty()
    }
}

impl VehicleDo {
    /// Runs one command and stores its events and the new state (synchronously: one commit).
    fn command(&self, envelope: CommandEnvelope) -> Result<CommandReply> {
        let CommandEnvelope {
            plate,
            command,
            actor,
            policy,
            now,
        } = envelope;
        let current = self.load()?.unwrap_or_else(|| Vehicle::new(plate));
        let execution = execute(current, &command, &actor, now, policy);
        if !execution.new_events.is_empty() {
            for event in &execution.new_events {
                self.sql.exec(
                    "INSERT INTO events (seq, at, actor, body) VALUES (?, ?, ?, ?)",
                    vec![
                        (event.seq as i64).into(),
                        event.at.unix_millis().into(),
                        serde_json::to_string(&event.actor)?.into(),
                        serde_json::to_string(event)?.into(),
                    ],
                )?;
            }
            self.sql.exec(
                "INSERT INTO aggregate (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                vec![serde_json::to_string(&execution.state)?.into()],
            )?;
            *self.cached.borrow_mut() = Some(execution.state.clone());
        }
        Ok(CommandReply {
            outcome: execution.outcome,
            vehicle: execution.state,
        })
    }

    /// The stored aggregate, if this plate was ever commanded.
    fn load(&self) -> Result<Option<Vehicle>> {
        if let Some(vehicle) = self.cached.borrow().as_ref() {
            return Ok(Some(vehicle.clone()));
        }
        #[derive(Deserialize)]
        struct Row {
            body: String,
        }
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT body FROM aggregate WHERE id = 1", None)?
            .to_array()?;
        let vehicle = match rows.first() {
            Some(row) => Some(serde_json::from_str::<Vehicle>(&row.body)?),
            None => None,
        };
        self.cached.borrow_mut().clone_from(&vehicle);
        Ok(vehicle)
    }

    /// Writes the projection to D1; on failure schedules the alarm to try again (no index entry
    /// is ever lost: the projection is the whole plate, so the latest write repairs any older one).
    async fn project(&self, vehicle: &Vehicle) {
        let result = match self.env.d1("DB") {
            Ok(db) => projection::write(&db, vehicle).await,
            Err(err) => Err(err),
        };
        if let Err(err) = result {
            worker::console_error!(
                "projection of {} failed, retrying by alarm: {err:?}",
                vehicle.plate()
            );
            self.retry_later().await;
        }
    }

    /// Schedules the alarm that retries what failed.
    async fn retry_later(&self) {
        if let Err(err) = self.state.storage().set_alarm(1_000).await {
            worker::console_error!("could not schedule a retry: {err}");
        }
    }
}

/// A DO answer: the value as JSON, or the error in the API's error shape and status.
fn reply<T: Serialize>(result: AppResult<T>) -> Result<Response> {
    match result {
        Ok(value) => Response::from_json(&value),
        Err(err) => err.into_response(),
    }
}

/// Asks the plate's object at `path` with a JSON body; its errors come back as they were made.
pub async fn ask<T: serde::de::DeserializeOwned>(
    env: &Env,
    plate: &Plate,
    path: &str,
    body: &impl Serialize,
) -> AppResult<T> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(
        serde_json::to_string(body)
            .map_err(AppError::internal)?
            .into(),
    ));
    let req = Request::new_with_init(&format!("https://vehicle{path}"), &init)?;
    let mut res = stub(env, plate)?.fetch_with_request(req).await?;
    if res.status_code() == 200 {
        Ok(res.json().await?)
    } else {
        let status = res.status_code();
        match res.json::<shared::api::ErrorBody>().await {
            Ok(body) => Err(AppError::from_wire(status, body)),
            Err(err) => Err(AppError::internal(format!(
                "vehicle object {path}: {status} {err}"
            ))),
        }
    }
}

/// The object of `plate`.
pub fn stub(env: &Env, plate: &Plate) -> Result<Stub> {
    env.durable_object("VEHICLE")?.get_by_name(plate.as_str())
}

/// Sends a command to the plate's object and returns its answer.
pub async fn send(env: &Env, envelope: &CommandEnvelope) -> Result<CommandReply> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(serde_json::to_string(envelope)?.into()));
    let req = Request::new_with_init("https://vehicle/command", &init)?;
    let mut res = stub(env, &envelope.plate)?.fetch_with_request(req).await?;
    res.json().await
}

/// The plate's aggregate, or `None` if nobody ever added it.
pub async fn read(env: &Env, plate: &Plate) -> Result<Option<Vehicle>> {
    let mut res = stub(env, plate)?
        .fetch_with_str("https://vehicle/state")
        .await?;
    if res.status_code() == 404 {
        return Ok(None);
    }
    Ok(Some(res.json().await?))
}

/// Asks the plate's object to write its projection to D1 again (rebuild).
pub async fn reproject(env: &Env, plate: &Plate) -> Result<()> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post);
    let req = Request::new_with_init("https://vehicle/project", &init)?;
    stub(env, plate)?.fetch_with_request(req).await?;
    Ok(())
}
