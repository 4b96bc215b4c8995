//! One Durable Object per plate: the single writer of that vehicle's aggregate.
//!
//! Concurrent commands on one plate are serialised by the object, so the rules in `shared`
//! run on a consistent state. The command handling arrives with the vehicles API; for now the
//! object keeps its event log table and reports how many events it holds.

// `#[durable_object]` generates public JS glue methods without docs.
#![allow(missing_docs)]

use worker::{durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, State};

/// The aggregate of one plate, addressed by the normalised plate (`get_by_name`).
#[durable_object]
pub struct VehicleDo {
    sql: SqlStorage,
}

impl DurableObject for VehicleDo {
    fn new(state: State, _env: Env) -> Self {
        let sql = state.storage().sql();
        // Idempotent: runs on every wake-up, creates the log only the first time.
        if let Err(err) = sql.exec(
            "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)",
            None,
        ) {
            worker::console_error!("vehicle object schema: {err}");
        }
        Self { sql }
    }

    async fn fetch(&self, _req: Request) -> Result<Response> {
        #[derive(serde::Deserialize)]
        struct Count {
            n: i64,
        }
        let rows: Vec<Count> = self
            .sql
            .exec("SELECT COUNT(*) AS n FROM events", None)?
            .to_array()?;
        let n = rows.first().map_or(0, |c| c.n);
        Response::from_json(&serde_json::json!({ "events": n }))
    }
}
