//! Payment providers behind one interface (SPEC §8), and the one place that picks the provider
//! of this deployment ([`provider`]). The shipped provider is the sandbox wallet; a real one
//! (WeChat Pay) is one more file implementing [`PaymentProvider`] and one more arm there.

use shared::api::{ErrorCode, WalletResponse};
use shared::ids::{OrderId, RequestId, UserId};
use shared::payment::Offered;
use shared::timestamp::Timestamp;
use worker::Env;

use crate::error::{AppError, AppResult};
pub use crate::wallet_do::{ChargeOutcome, Movement};

mod sandbox;

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

/// The payment sources this deployment offers (the sandbox wallet in dev runs only, WeChat Pay
/// when its settings are complete).
pub fn offered(env: &Env) -> Offered {
    Offered::for_deployment(crate::http::is_dev(env))
        .with_wechat(crate::wechat_pay::PaySettings::from_env(env).is_some())
}

/// The payment provider of this deployment.
pub fn provider(env: &Env) -> impl PaymentProvider + '_ {
    sandbox::SandboxWallet::new(env)
}

/// What a movement of money is for: its reference, unique per movement, makes a retry of the
/// same movement harmless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// A top-up, named by the request's `Idempotency-Key`.
    TopUp(RequestId),
    /// Try `attempt` of paying `order`: a retry of the same try takes once, and a late answer to
    /// an older try is told apart.
    OrderTry {
        /// The order.
        order: OrderId,
        /// The try.
        attempt: u64,
    },
}

impl Reference {
    /// The reference as the provider stores it (these strings are in stored wallets).
    pub fn key(&self) -> String {
        match self {
            Self::TopUp(key) => format!("top-up:{}", key.as_str()),
            Self::OrderTry { order, attempt } => format!("order:{order}:{attempt}"),
        }
    }
}

impl Movement {
    /// A top-up of `amount_fen`.
    pub fn top_up(key: RequestId, amount_fen: u64, at: Timestamp) -> Self {
        Self {
            reference: Reference::TopUp(key).key(),
            amount_fen,
            note: "充值".to_owned(),
            at,
        }
    }

    /// Try `attempt` of paying `order` from the wallet.
    pub fn order_try(order: &OrderId, attempt: u64, amount_fen: u64, at: Timestamp) -> Self {
        Self {
            reference: Reference::OrderTry {
                order: order.clone(),
                attempt,
            }
            .key(),
            amount_fen,
            note: format!("缴费 {}", order.plate()),
            at,
        }
    }
}

/// The refusal when the wallet is short.
pub fn insufficient() -> AppError {
    AppError::new(ErrorCode::InsufficientFunds)
}
