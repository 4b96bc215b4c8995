//! Who is signed in, shared by every page through a context.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

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
/// `home` is given); signed out inside WeChat, goes through WeChat sign-in first (once per tab).
/// A page the edge rendered for a signed-in driver (`seed`) already says who: nothing is asked,
/// and the app's first render is the page the edge drew.
#[hook]
pub fn use_auth_root(home: Option<HomeSlot>, seed: Option<SessionResponse>) -> AuthHandle {
    let seeded = seed.is_some();
    let auth = {
        let home = home.clone();
        use_state(move || match seed {
            Some(session) => signed_in_as(session, home.as_ref()),
            None => Auth::Checking,
        })
    };
    {
        let auth = auth.clone();
        use_effect_with((), move |_| {
            if seeded {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::session(home.is_some()).await {
                    Ok(session) => auth.set(signed_in_as(session, home.as_ref())),
                    Err(_) => auth.set(Auth::SignedOut),
                }
            });
        });
    }
    auth
}

/// What the worker's answer about the session means to the app, remembering what it offers and
/// 我的's first data in `home`.
fn signed_in_as(session: SessionResponse, home: Option<&HomeSlot>) -> Auth {
    let SessionResponse {
        user,
        wechat_sign_in,
        payments,
        home: first,
    } = session;
    // Both are the deployment's, the same for every user (safe to keep per thread on the edge).
    wechat::set_offered(wechat_sign_in);
    set_payments(payments);
    match user {
        Some(me) => {
            if let Some(slot) = home {
                slot.set(&me.id, first);
            }
            Auth::SignedIn(me)
        }
        // In WeChat the page leaves for the authorize round trip: stay Checking.
        None if wechat::try_silent_sign_in() => Auth::Checking,
        None => Auth::SignedOut,
    }
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

/// How long 我的's first data (from `GET /api/session`, or the page the edge drew) stands in for
/// its own requests: only for the page the app opened on, not for a visit to 我的 minutes later.
const HOME_FRESH_MS: f64 = 10_000.0;

thread_local! {
    /// Commands sent so far by this app (never on the edge, which only renders).
    static COMMANDS: Cell<u64> = const { Cell::new(0) };
}

/// 我的's first data: whose, when it arrived, and each part until used (once).
struct FirstHome {
    user: UserId,
    at: f64,
    commands: u64,
    vehicles: Option<VehicleList>,
    unread: Option<u64>,
}

/// Where the drivers' app keeps 我的's first data: one per app (and so one per page the edge
/// renders: never shared between two users' requests), in context for 我的 and the tab bar.
#[derive(Clone, Default)]
pub struct HomeSlot(Rc<RefCell<Option<FirstHome>>>);

impl PartialEq for HomeSlot {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl HomeSlot {
    fn set(&self, user: &UserId, home: Option<Home>) {
        *self.0.borrow_mut() = home.map(|Home { vehicles, unread }| FirstHome {
            user: user.clone(),
            at: js_sys::Date::now(),
            commands: COMMANDS.with(Cell::get),
            vehicles: Some(vehicles),
            unread: Some(unread),
        });
    }

    /// Takes one part of `user`'s first data, if it is theirs, still fresh, and no command has
    /// been sent since (a command may have changed what it shows).
    fn take<T>(&self, user: &UserId, part: impl FnOnce(&mut FirstHome) -> Option<T>) -> Option<T> {
        let mut first = self.0.borrow_mut();
        let first = first.as_mut().filter(|f| {
            &f.user == user
                && js_sys::Date::now() - f.at < HOME_FRESH_MS
                && f.commands == COMMANDS.with(Cell::get)
        })?;
        part(first)
    }
}

/// Counts a command sent: 我的's first data is out of date from now on.
pub(crate) fn forget_home() {
    COMMANDS.with(|c| c.set(c.get() + 1));
}

/// The app's slot of 我的's first data (none in 工作台's app).
#[hook]
pub fn use_home_slot() -> Option<HomeSlot> {
    use_context::<HomeSlot>()
}

/// 我的's cards as the app's first request (or the edge's page) brought them for `user`, once.
pub fn take_home_vehicles(slot: Option<&HomeSlot>, user: &UserId) -> Option<VehicleList> {
    slot?.take(user, |f| f.vehicles.take())
}

/// `user`'s unread count as the app's first request (or the edge's page) brought it, once.
pub fn take_home_unread(slot: Option<&HomeSlot>, user: &UserId) -> Option<u64> {
    slot?.take(user, |f| f.unread.take())
}
