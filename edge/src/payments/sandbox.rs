//! The sandbox wallet provider: a [`crate::wallet_do::WalletDo`] per user, for local runs and
//! tests.

use shared::api::WalletResponse;
use shared::ids::UserId;
use worker::{Env, Stub};

use super::{ChargeOutcome, Movement, PaymentProvider};
use crate::durable::ask;
use crate::error::AppResult;
use crate::wallet_do::{Charge, GetStatement, Refund, Statement, TopUp};

/// The sandbox wallet of this worker's bindings.
pub struct SandboxWallet<'a> {
    env: &'a Env,
}

impl<'a> SandboxWallet<'a> {
    pub fn new(env: &'a Env) -> Self {
        Self { env }
    }

    fn stub(&self, user: &UserId) -> AppResult<Stub> {
        Ok(self
            .env
            .durable_object("WALLET")?
            .get_by_name(user.as_str())?)
    }
}

impl PaymentProvider for SandboxWallet<'_> {
    async fn statement(&self, user: &UserId) -> AppResult<WalletResponse> {
        Ok(ask(&self.stub(user)?, &GetStatement).await?.into())
    }

    async fn top_up(&self, user: &UserId, movement: &Movement) -> AppResult<WalletResponse> {
        let call = TopUp(movement.clone());
        Ok(ask(&self.stub(user)?, &call).await?.into())
    }

    async fn charge(&self, user: &UserId, movement: &Movement) -> AppResult<ChargeOutcome> {
        ask(&self.stub(user)?, &Charge(movement.clone())).await
    }

    async fn refund(&self, user: &UserId, movement: &Movement) -> AppResult<()> {
        ask(&self.stub(user)?, &Refund(movement.clone())).await?;
        Ok(())
    }
}

impl From<Statement> for WalletResponse {
    fn from(s: Statement) -> Self {
        Self {
            balance_fen: s.balance_fen,
            entries: s.entries,
        }
    }
}
