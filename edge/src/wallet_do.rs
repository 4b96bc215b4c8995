//! The sandbox wallet: one Durable Object per user, the single writer of that user's balance.
//!
//! Each operation checks and writes with no `await` in between, so it commits whole and alone.
//! The balance has a `CHECK (fen >= 0)` as a last guard, and every movement carries a unique
//! reference: a charge retried with the same reference answers as the first time and takes
//! nothing more (that is how a payment interrupted half-way is settled later).

// `#[durable_object]` generates public JS glue methods without docs.
#![allow(missing_docs)]

use serde::{Deserialize, Serialize};
use shared::api::WalletEntry;
use shared::timestamp::Timestamp;
use worker::{durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, State};

use crate::durable::{dispatch, Answers, Call};
use crate::error::AppResult;

#[cfg(feature = "faults")]
pub mod faults;

/// Movements shown with the balance.
const RECENT_ENTRIES: i64 = 50;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS balance (id INTEGER PRIMARY KEY CHECK (id = 1), fen INTEGER NOT NULL CHECK (fen >= 0));
CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, reference TEXT NOT NULL UNIQUE, delta INTEGER NOT NULL, note TEXT NOT NULL, at INTEGER NOT NULL);
";

/// A movement asked of the wallet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Movement {
    /// Unique per movement: a repeat with the same reference changes nothing.
    pub reference: String,
    /// Fen to add (top-up) or take (charge).
    pub amount_fen: u64,
    /// What it is, shown in the wallet (充值, 停车缴费 闽D12337…).
    pub note: String,
    /// When.
    pub at: Timestamp,
}

/// The wallet's answer to a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeOutcome {
    /// Taken (now or by an earlier request with the same reference).
    Charged,
    /// The balance is short: nothing was taken.
    Insufficient,
}

/// The balance and the latest movements.
#[derive(Debug, Serialize, Deserialize)]
pub struct Statement {
    /// The balance in fen.
    pub balance_fen: u64,
    /// Newest first.
    pub entries: Vec<WalletEntry>,
}

/// The balance and the latest movements.
#[derive(Debug, Serialize, Deserialize)]
pub struct GetStatement;

impl Call for GetStatement {
    const PATH: &'static str = "/statement";
    type Reply = Statement;
}

/// Adds money (sandbox top-up); answers the statement after it.
#[derive(Debug, Serialize, Deserialize)]
pub struct TopUp(pub Movement);

impl Call for TopUp {
    const PATH: &'static str = "/top-up";
    type Reply = Statement;
}

/// Takes money if there is enough; the same reference twice takes it once.
#[derive(Debug, Serialize, Deserialize)]
pub struct Charge(pub Movement);

impl Call for Charge {
    const PATH: &'static str = "/charge";
    type Reply = ChargeOutcome;
}

/// Gives back what the charge with this reference took (once; nothing if it took nothing).
#[derive(Debug, Serialize, Deserialize)]
pub struct Refund(pub Movement);

impl Call for Refund {
    const PATH: &'static str = "/refund";
    type Reply = ();
}

/// One user's wallet, addressed by the user id (`get_by_name`).
#[durable_object]
pub struct WalletDo {
    sql: SqlStorage,
}

impl DurableObject for WalletDo {
    fn new(state: State, _env: Env) -> Self {
        let sql = state.storage().sql();
        if let Err(err) = sql.exec(SCHEMA, None) {
            worker::console_error!("wallet object schema: {err}");
        }
        Self { sql }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        #[cfg(feature = "faults")]
        if req.path() == <faults::ArmFault as Call>::PATH {
            return crate::durable::serve::<faults::ArmFault, _>(self, req).await;
        }
        dispatch!(self, req, [GetStatement, TopUp, Charge, Refund])
    }
}

impl Answers<GetStatement> for WalletDo {
    async fn answer(&self, _: GetStatement) -> AppResult<Statement> {
        Ok(self.statement()?)
    }
}

impl Answers<TopUp> for WalletDo {
    async fn answer(&self, TopUp(movement): TopUp) -> AppResult<Statement> {
        self.move_money(&movement, i64::try_from(movement.amount_fen).unwrap_or(0))?;
        Ok(self.statement()?)
    }
}

impl Answers<Charge> for WalletDo {
    async fn answer(&self, Charge(movement): Charge) -> AppResult<ChargeOutcome> {
        #[cfg(feature = "faults")]
        return self.charge_with_faults(&movement);
        #[cfg(not(feature = "faults"))]
        Ok(self.charge(&movement)?)
    }
}

impl Answers<Refund> for WalletDo {
    async fn answer(&self, Refund(movement): Refund) -> AppResult<()> {
        Ok(self.refund(&movement)?)
    }
}

impl WalletDo {
    fn balance(&self) -> Result<i64> {
        #[derive(Deserialize)]
        struct Row {
            fen: i64,
        }
        let rows: Vec<Row> = self
            .sql
            .exec("SELECT fen FROM balance WHERE id = 1", None)?
            .to_array()?;
        Ok(rows.first().map_or(0, |r| r.fen))
    }

    fn has_reference(&self, reference: &str) -> Result<bool> {
        #[derive(Deserialize)]
        struct Row {
            #[allow(dead_code)]
            seq: i64,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT seq FROM entries WHERE reference = ?",
                vec![reference.into()],
            )?
            .to_array()?;
        Ok(!rows.is_empty())
    }

    fn charge(&self, movement: &Movement) -> Result<ChargeOutcome> {
        if self.has_reference(&movement.reference)? {
            return Ok(ChargeOutcome::Charged);
        }
        let amount = i64::try_from(movement.amount_fen).unwrap_or(i64::MAX);
        if self.balance()? < amount {
            return Ok(ChargeOutcome::Insufficient);
        }
        self.move_money(movement, -amount)?;
        Ok(ChargeOutcome::Charged)
    }

    /// Gives back what the charge `movement.reference` took (once; nothing if it took nothing).
    fn refund(&self, movement: &Movement) -> Result<()> {
        #[derive(Deserialize)]
        struct Row {
            delta: i64,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT delta FROM entries WHERE reference = ?",
                vec![movement.reference.as_str().into()],
            )?
            .to_array()?;
        let Some(taken) = rows.first().map(|r| -r.delta).filter(|t| *t > 0) else {
            return Ok(());
        };
        let refund = Movement {
            reference: format!("refund:{}", movement.reference),
            amount_fen: u64::try_from(taken).unwrap_or(0),
            note: movement.note.clone(),
            at: movement.at,
        };
        self.move_money(&refund, taken)
    }

    /// Adds `delta` (negative to take) once per reference.
    fn move_money(&self, movement: &Movement, delta: i64) -> Result<()> {
        if self.has_reference(&movement.reference)? {
            return Ok(());
        }
        // Two steps: SQLite checks `fen >= 0` on an upsert's proposed row, even a negative delta.
        self.sql.exec(
            "INSERT OR IGNORE INTO balance (id, fen) VALUES (1, 0)",
            None,
        )?;
        self.sql.exec(
            "UPDATE balance SET fen = fen + ? WHERE id = 1",
            vec![delta.into()],
        )?;
        self.sql.exec(
            "INSERT INTO entries (reference, delta, note, at) VALUES (?, ?, ?, ?)",
            vec![
                movement.reference.as_str().into(),
                delta.into(),
                movement.note.as_str().into(),
                movement.at.unix_millis().into(),
            ],
        )?;
        Ok(())
    }

    fn statement(&self) -> Result<Statement> {
        #[derive(Deserialize)]
        struct Row {
            delta: i64,
            note: String,
            at: i64,
        }
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT delta, note, at FROM entries ORDER BY seq DESC LIMIT ?",
                vec![RECENT_ENTRIES.into()],
            )?
            .to_array()?;
        Ok(Statement {
            balance_fen: u64::try_from(self.balance()?).unwrap_or(0),
            entries: rows
                .into_iter()
                .map(|r| WalletEntry {
                    delta_fen: r.delta,
                    note: r.note,
                    at: Timestamp::from_unix_millis(r.at),
                })
                .collect(),
        })
    }
}
