//! Who is signed in, shared by every page through a context.

use std::cell::Cell;

use shared::api::auth::{Me, SessionResponse};
use shared::payment::Offered;
use shared::tenant::TenantPolicy;
use yew::prelude::*;

use crate::api;
use crate::wechat;

/// The signed-in state as the app knows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Asking the worker (`GET /api/session`).
    Checking,
    /// Nobody is signed in.
    SignedOut,
    /// This account is signed in.
    SignedIn(Me),
}

/// The context every page reads: the state and a way to change it.
pub type AuthHandle = UseStateHandle<Auth>;

/// The current auth state (`Checking` outside the provider, which never happens in the app).
#[hook]
pub fn use_auth() -> AuthHandle {
    use_context::<AuthHandle>().unwrap_or_else(|| unreachable!("App provides the auth context"))
}

/// The signed-in user's tenant policy (`platform` while unknown or signed out).
#[hook]
pub fn use_policy() -> TenantPolicy {
    match &*use_auth() {
        Auth::SignedIn(me) => me.tenant.policy,
        Auth::Checking | Auth::SignedOut => TenantPolicy::Platform,
    }
}

/// Asks the worker who is signed in, once, when the app starts; signed out inside WeChat, goes
/// through WeChat sign-in first (once per tab).
#[hook]
pub fn use_auth_root() -> AuthHandle {
    let auth = use_state(|| Auth::Checking);
    {
        let auth = auth.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::session().await {
                    Ok(SessionResponse {
                        user: Some(me),
                        wechat_sign_in,
                        payments,
                    }) => {
                        wechat::set_offered(wechat_sign_in);
                        set_payments(payments);
                        auth.set(Auth::SignedIn(me));
                    }
                    Ok(SessionResponse {
                        user: None,
                        wechat_sign_in,
                        payments,
                    }) => {
                        wechat::set_offered(wechat_sign_in);
                        set_payments(payments);
                        // In WeChat the page leaves for the authorize round trip: stay Checking.
                        if !wechat::try_silent_sign_in() {
                            auth.set(Auth::SignedOut);
                        }
                    }
                    Err(_) => auth.set(Auth::SignedOut),
                }
            });
        });
    }
    auth
}

thread_local! {
    /// The payment sources the worker offers (`GET /api/session`); none but coupons until known.
    static PAYMENTS: Cell<Offered> = const { Cell::new(Offered::for_deployment(false)) };
}

/// Remembers the payment sources the worker offers.
pub(crate) fn set_payments(offered: Offered) {
    PAYMENTS.with(|p| p.set(offered));
}

/// The payment sources this deployment offers: 钱包 is shown only where it exists (dev runs).
pub fn payments() -> Offered {
    PAYMENTS.with(Cell::get)
}
