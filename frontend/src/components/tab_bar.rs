//! The bottom tab bar of the platform: 主页 · 我的 · 工作台 · 随手拍.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

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
    html! {
        <nav class="tab-bar" aria-label="主导航">
            { for TABS.iter().map(|(route, label)| {
                let active = current.as_ref() == Some(route);
                html! {
                    <Link<Route> to={route.clone()} classes={classes!("tab", active.then_some("tab-active"))}>
                        <span aria-current={active.then_some("page")}>{ *label }</span>
                    </Link<Route>>
                }
            }) }
        </nav>
    }
}
