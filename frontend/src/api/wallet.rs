//! 钱包: the sandbox wallet.

use shared::api::{TopUpRequest, WalletResponse};

use super::{path, post, ClientError};

/// `GET /api/wallet`: the balance and the latest movements.
///
/// # Errors
/// [`ClientError`] when signed out or the worker cannot be reached.
pub async fn get() -> Result<WalletResponse, ClientError> {
    super::get(&path(&["wallet"])).await
}

/// `POST /api/wallet/top-up`: adds money; answers the wallet after it.
///
/// # Errors
/// [`ClientError`] when the amount is refused or the worker cannot be reached.
pub async fn top_up(body: &TopUpRequest) -> Result<WalletResponse, ClientError> {
    post(&path(&["wallet", "top-up"]), body).await
}
