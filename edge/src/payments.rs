//! Payment providers behind one interface (SPEC §8). The shipped provider is the sandbox wallet;
//! a real one (WeChat Pay, a bank) implements the same three operations.

use shared::api::{ErrorCode, WalletResponse};
use shared::ids::UserId;
use shared::timestamp::Timestamp;
use worker::{Env, Method, Request, RequestInit, Stub};

use crate::error::{AppError, AppResult};
use crate::wallet_do::{ChargeOutcome, Movement, Statement};

/// Moves a user's money. Every movement has a reference that makes a retry harmless.
#[allow(async_fn_in_trait)] // used only inside this single-threaded worker
pub trait PaymentProvider {
    /// The balance and the latest movements.
    async fn statement(&self, user: &UserId) -> AppResult<WalletResponse>;
    /// Adds money (sandbox top-up).
    async fn top_up(&self, user: &UserId, movement: &Movement) -> AppResult<WalletResponse>;
    /// Takes money if there is enough; the same reference twice takes it once.
    async fn charge(&self, user: &UserId, movement: &Movement) -> AppResult<ChargeOutcome>;
    /// Gives back what the charge with this reference took (once; nothing if it took nothing).
    async fn refund(&self, user: &UserId, movement: &Movement) -> AppResult<()>;
}

/// The sandbox wallet: a [`crate::wallet_do::WalletDo`] per user.
pub struct SandboxWallet<'a> {
    env: &'a Env,
}

impl<'a> SandboxWallet<'a> {
    /// The wallet provider of this worker's bindings.
    pub fn new(env: &'a Env) -> Self {
        Self { env }
    }

    fn stub(&self, user: &UserId) -> AppResult<Stub> {
        Ok(self
            .env
            .durable_object("WALLET")?
            .get_by_name(user.as_str())?)
    }

    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        user: &UserId,
        path: &str,
        movement: &Movement,
    ) -> AppResult<T> {
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_body(Some(
            serde_json::to_string(movement)
                .map_err(AppError::internal)?
                .into(),
        ));
        let req = Request::new_with_init(&format!("https://wallet{path}"), &init)?;
        let mut res = self.stub(user)?.fetch_with_request(req).await?;
        if res.status_code() != 200 {
            return Err(AppError::internal(format!(
                "wallet {path} answered {}",
                res.status_code()
            )));
        }
        Ok(res.json().await?)
    }
}

impl PaymentProvider for SandboxWallet<'_> {
    async fn statement(&self, user: &UserId) -> AppResult<WalletResponse> {
        let mut res = self
            .stub(user)?
            .fetch_with_str("https://wallet/statement")
            .await?;
        let statement: Statement = res.json().await?;
        Ok(statement.into())
    }

    async fn top_up(&self, user: &UserId, movement: &Movement) -> AppResult<WalletResponse> {
        let statement: Statement = self.post(user, "/top-up", movement).await?;
        Ok(statement.into())
    }

    async fn charge(&self, user: &UserId, movement: &Movement) -> AppResult<ChargeOutcome> {
        self.post(user, "/charge", movement).await
    }

    async fn refund(&self, user: &UserId, movement: &Movement) -> AppResult<()> {
        let _: Statement = self.post(user, "/refund", movement).await?;
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

/// The refusal when the wallet is short.
pub fn insufficient() -> AppError {
    AppError::new(ErrorCode::InsufficientFunds)
}

/// Try `attempt` of paying `order` from the wallet: the reference names both, so a retry of the
/// same try takes once, and a late answer to an older try is told apart.
pub fn order_charge(
    order: &shared::ids::OrderId,
    attempt: u64,
    amount_fen: u64,
    at: Timestamp,
) -> Movement {
    Movement {
        reference: format!("order:{order}:{attempt}"),
        amount_fen,
        note: format!("缴费 {}", order.plate()),
        at,
    }
}
