//! 我的 (SPEC §5): the driver's cars with their badges, the dialogs waiting for an answer
//! (SPEC §4, one after another), the account's other pages, and the way to add a car.

mod account;
mod benefits;
mod car_card;
mod my_vehicles;
mod shortcuts;
mod tip;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::session::{use_auth, Auth};
use account::Account;
use my_vehicles::MyVehicles;
use shortcuts::Shortcuts;
use tip::Tip;

/// The 我的 page.
#[component]
pub fn Mine() -> Html {
    let auth = use_auth();
    match &*auth {
        Auth::Checking => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Auth::SignedOut => html! {
            <section class="mine">
                <h1 class="page-title">{ "我的车辆" }</h1>
                <p class="empty">{ "登录后管理我的车辆" }</p>
                <Link<Route> to={Route::SignIn} classes="btn-primary">{ "登录" }</Link<Route>>
                <Tip certify={Route::SignIn} />
            </section>
        },
        // A `hidden` tenant's users have no vehicle module: only their account (SPEC §9).
        Auth::SignedIn(me) if !me.tenant.policy.shows_vehicles() => html! {
            <>
                <h1 class="page-title">{ "我的" }</h1>
                <Shortcuts vehicles={false} />
                <Account phone_masked={me.phone_masked.clone()} />
            </>
        },
        Auth::SignedIn(me) => html! {
            <>
                <MyVehicles support_phone={me.tenant.support_phone.clone()}
                    certification={me.tenant.policy.allows_certification()} />
                <Shortcuts vehicles={true} />
                <Account phone_masked={me.phone_masked.clone()} />
            </>
        },
    }
}
