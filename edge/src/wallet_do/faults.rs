//! The fault switch (cargo feature `faults`, dev and test builds only): a wallet armed for a
//! reference prefix fails the next charge with a matching reference once, the way a payment
//! provider that times out would. Tests use it to force the payment saga's alarm paths
//! (`edge/src/vehicle_do/payment.rs`) and check that money is conserved.

use serde::{Deserialize, Serialize};
use worker::Result;

use super::{ChargeOutcome, Movement, WalletDo};
use crate::durable::{Answers, Call};
use crate::error::{AppError, AppResult};

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS faults \
    (prefix TEXT PRIMARY KEY, kind TEXT NOT NULL)";

/// How the next matching charge fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Nothing is taken and no answer comes (the provider timed out before charging).
    Fail,
    /// The money is taken but the answer is lost (the provider timed out after charging).
    Lost,
}

impl FaultKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Fail => "fail",
            Self::Lost => "lost",
        }
    }
}

/// Arms the wallet: the next charge whose reference starts with `reference_prefix` fails once.
#[derive(Debug, Serialize, Deserialize)]
pub struct ArmFault {
    /// E.g. `order:闽D12337:3:` for every try of that order.
    pub reference_prefix: String,
    /// How it fails.
    pub kind: FaultKind,
}

impl Call for ArmFault {
    const PATH: &'static str = "/dev-fault-switch";
    type Reply = ();
}

impl Answers<ArmFault> for WalletDo {
    async fn answer(&self, call: ArmFault) -> AppResult<()> {
        self.sql.exec(SCHEMA, None)?;
        self.sql.exec(
            "INSERT OR REPLACE INTO faults (prefix, kind) VALUES (?, ?)",
            vec![
                call.reference_prefix.as_str().into(),
                call.kind.as_str().into(),
            ],
        )?;
        Ok(())
    }
}

impl WalletDo {
    /// Charges as armed: a matching reference disarms its fault and fails once.
    pub(super) fn charge_with_faults(&self, movement: &Movement) -> AppResult<ChargeOutcome> {
        match self.take_fault(&movement.reference)? {
            None => Ok(self.charge(movement)?),
            Some(FaultKind::Fail) => Err(injected(movement)),
            Some(FaultKind::Lost) => {
                self.charge(movement)?;
                Err(injected(movement))
            }
        }
    }

    /// The fault armed for `reference`, removed so it fails only once.
    fn take_fault(&self, reference: &str) -> Result<Option<FaultKind>> {
        #[derive(Deserialize)]
        struct Row {
            prefix: String,
            kind: FaultKind,
        }
        self.sql.exec(SCHEMA, None)?;
        let rows: Vec<Row> = self
            .sql
            .exec(
                "SELECT prefix, kind FROM faults WHERE substr(?, 1, length(prefix)) = prefix",
                vec![reference.into()],
            )?
            .to_array()?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        self.sql.exec(
            "DELETE FROM faults WHERE prefix = ?",
            vec![row.prefix.as_str().into()],
        )?;
        Ok(Some(row.kind))
    }
}

fn injected(movement: &Movement) -> AppError {
    AppError::internal(format!("injected fault: charge {}", movement.reference))
}
