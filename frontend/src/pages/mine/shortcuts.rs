//! 我的's links to the account's other pages, with the unread messages' count on 消息.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::inbox::{badge_text, use_unread};
use crate::session::payments;

/// What [`Shortcuts`] lists.
#[derive(Properties, PartialEq)]
pub struct ShortcutsProps {
    /// Whether the vehicle module's pages are listed (not for a `hidden` tenant).
    pub vehicles: bool,
}

/// 消息 (with the unread count), 停车/充电记录, 我的卡券, 钱包 (where the sandbox wallet exists),
/// 账号与安全: the account's other pages.
#[component]
pub fn Shortcuts(props: &ShortcutsProps) -> Html {
    let unread = use_unread();
    let badge = (*unread).and_then(badge_text);
    let vehicles = props.vehicles;
    let wallet = payments().wallet.then_some((Route::Wallet, "钱包"));
    let entries = [
        vehicles.then_some((Route::Orders, "停车/充电记录")),
        vehicles.then_some((Route::Coupons, "我的卡券")),
        wallet.filter(|_| vehicles),
        Some((Route::Account, "账号与安全")),
    ];
    html! {
        <nav class="shortcuts" aria-label="我的服务">
            if vehicles {
                <Link<Route> to={Route::Messages} classes="shortcut">
                    <span>{ "消息" }</span>
                    if let Some(count) = badge {
                        <span class="count-badge">{ count }<span class="sr-only">{ "条未读" }</span></span>
                    }
                </Link<Route>>
            }
            { for entries.into_iter().flatten().map(|(route, label)| html! {
                <Link<Route> to={route} classes="shortcut"><span>{ label }</span></Link<Route>>
            }) }
        </nav>
    }
}
