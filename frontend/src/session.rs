//! Who is signed in, shared by every page through a context.

use std::cell::{Cell, RefCell};

use shared::api::auth::{Home, Me, SessionResponse};
use shared::api::vehicles::VehicleList;
use shared::ids::UserId;
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

/// Asks the worker who is signed in, once, when the app starts (with 我的's first data when
/// `home`); signed out inside WeChat, goes through WeChat sign-in first (once per tab).
#[hook]
pub fn use_auth_root(home: bool) -> AuthHandle {
    let auth = use_state(|| Auth::Checking);
    {
        let auth = auth.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::session(home).await {
                    Ok(SessionResponse {
                        user: Some(me),
                        wechat_sign_in,
                        payments,
                        home,
                    }) => {
                        wechat::set_offered(wechat_sign_in);
                        set_payments(payments);
                        set_home(&me.id, home);
                        auth.set(Auth::SignedIn(me));
                    }
                    Ok(SessionResponse {
                        user: None,
                        wechat_sign_in,
                        payments,
                        ..
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

/// How long 我的's first data from `GET /api/session` stands in for its own requests: only for
/// the page the app opened on, not for a visit to 我的 minutes later.
const HOME_FRESH_MS: f64 = 10_000.0;

/// 我的's first data: whose, when it arrived, and each part until used (once).
struct FirstHome {
    user: UserId,
    at: f64,
    vehicles: Option<VehicleList>,
    unread: Option<u64>,
}

thread_local! {
    static HOME: RefCell<Option<FirstHome>> = const { RefCell::new(None) };
}

fn set_home(user: &UserId, home: Option<Home>) {
    let first = home.map(|Home { vehicles, unread }| FirstHome {
        user: user.clone(),
        at: js_sys::Date::now(),
        vehicles: Some(vehicles),
        unread: Some(unread),
    });
    HOME.with(|h| *h.borrow_mut() = first);
}

/// Takes one part of `user`'s first data, if it is theirs and still fresh.
fn take_home<T>(user: &UserId, part: impl FnOnce(&mut FirstHome) -> Option<T>) -> Option<T> {
    HOME.with(|h| {
        let mut h = h.borrow_mut();
        let first = h
            .as_mut()
            .filter(|f| &f.user == user && js_sys::Date::now() - f.at < HOME_FRESH_MS)?;
        part(first)
    })
}

/// Forgets 我的's first data: a command may have changed what it shows.
pub(crate) fn forget_home() {
    HOME.with(|h| *h.borrow_mut() = None);
}

/// 我的's cards as the app's first request brought them for `user`, once, while fresh.
pub fn take_home_vehicles(user: &UserId) -> Option<VehicleList> {
    take_home(user, |f| f.vehicles.take())
}

/// `user`'s unread count as the app's first request brought it, once, while fresh.
pub fn take_home_unread(user: &UserId) -> Option<u64> {
    take_home(user, |f| f.unread.take())
}
