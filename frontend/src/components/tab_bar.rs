//! The bottom tab bar of the platform: 主页 · 我的 · 工作台 · 随手拍, with the unread messages'
//! badge on 我的.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::inbox::{badge_text, use_unread};
use crate::session::{use_auth, Auth};

const TABS: [(Route, &str); 4] = [
    (Route::Home, "主页"),
    (Route::Mine, "我的"),
    (Route::Workbench, "工作台"),
    (Route::Snap, "随手拍"),
];

/// Fixed at the bottom of the screen, above the phone's home indicator (safe-area inset).
#[component]
pub fn TabBar() -> Html {
    let current = use_route::<Route>();
    let unread = use_unread();
    let auth = use_auth();
    // A `hidden` tenant's users have no vehicle notices to count.
    let user = match &*auth {
        Auth::SignedIn(me) if me.tenant.policy.shows_vehicles() => Some(me.id.clone()),
        Auth::SignedIn(_) | Auth::Checking | Auth::SignedOut => None,
    };
    let on_mine = current == Some(Route::Mine);
    let on_messages = current == Some(Route::Messages);
    {
        // Counted once signed in, and again on each return to 我的; beside the page's own
        // requests, never before them. 消息 counts for itself (it marks messages read).
        let unread = unread.clone();
        use_effect_with((user, on_mine), move |(user, on_mine)| {
            if user.is_none() {
                if unread.is_some() {
                    unread.set(None);
                }
            } else if let Some(count) = user.as_ref().and_then(crate::session::take_home_unread) {
                // The app's first request brought it.
                unread.set(Some(count));
            } else if *on_mine || (unread.is_none() && !on_messages) {
                wasm_bindgen_futures::spawn_local(async move {
                    // Only a badge: a failure leaves it as it was.
                    if let Ok(list) = api::messages::list().await {
                        unread.set(Some(list.unread));
                    }
                });
            }
        });
    }
    let badge = (*unread).and_then(badge_text);
    html! {
        <nav class="tab-bar" aria-label="主导航">
            { for TABS.iter().map(|(route, label)| {
                let active = current.as_ref() == Some(route);
                html! {
                    <Link<Route> to={route.clone()} classes={classes!("tab", active.then_some("tab-active"))}>
                        <span aria-current={active.then_some("page")}>{ *label }</span>
                        if *route == Route::Mine {
                            if let Some(count) = &badge {
                                <span class="tab-badge">{ count }<span class="sr-only">{ "条未读消息" }</span></span>
                            }
                        }
                    </Link<Route>>
                }
            }) }
        </nav>
    }
}
