//! The bottom tab bar of the platform: 主页 · 我的 · 工作台 · 随手拍, with the unread messages'
//! badge on 我的. 工作台 is its own bundle: between it and the drivers' pages a tab is a page load.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::inbox::{badge_text, use_unread};
use crate::session::{use_auth, Auth};

/// Each tab: its address, its label, and its route in the drivers' app (none for 工作台).
const TABS: [(&str, &str, Option<Route>); 4] = [
    ("/home", "主页", Some(Route::Home)),
    ("/", "我的", Some(Route::Mine)),
    ("/workbench", "工作台", None),
    ("/snap", "随手拍", Some(Route::Snap)),
];

/// Which app draws the bar.
#[derive(Properties, PartialEq)]
pub struct TabBarProps {
    /// Drawn by 工作台's bundle: every other tab leaves for the drivers' app, and no badge is
    /// counted (an operator's own notices wait in 我的).
    pub in_workbench: bool,
}

/// Fixed at the bottom of the screen, above the phone's home indicator (safe-area inset).
#[component]
pub fn TabBar(props: &TabBarProps) -> Html {
    let in_workbench = props.in_workbench;
    let current = use_route::<Route>();
    let unread = use_unread();
    let auth = use_auth();
    let home = crate::session::use_home_slot();
    // A `hidden` tenant's users have no vehicle notices to count.
    let user = match &*auth {
        Auth::SignedIn(me) if me.tenant.policy.shows_vehicles() && !in_workbench => {
            Some(me.id.clone())
        }
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
            } else if let Some(count) = user
                .as_ref()
                .and_then(|u| crate::session::take_home_unread(home.as_ref(), u))
            {
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
            { for TABS.iter().map(|(path, label, route)| {
                let active = match route {
                    Some(route) => !in_workbench && current.as_ref() == Some(route),
                    None => in_workbench,
                };
                let class = classes!("tab", active.then_some("tab-active"));
                let content = html! {
                    <>
                        <span aria-current={active.then_some("page")}>{ *label }</span>
                        if *route == Some(Route::Mine) {
                            if let Some(count) = &badge {
                                <span class="tab-badge">{ count }<span class="sr-only">{ "条未读消息" }</span></span>
                            }
                        }
                    </>
                };
                match route {
                    // A page of this app: the router shows it without a page load.
                    Some(route) if !in_workbench => html! {
                        <Link<Route> to={route.clone()} classes={class}>{ content }</Link<Route>>
                    },
                    _ => html! { <a href={*path} class={class}>{ content }</a> },
                }
            }) }
        </nav>
    }
}
