//! 消息: the inbox of SPEC §7 (进场, 出场, 缴费 and other vehicle notices), newest first. Opening
//! it marks what it shows as read; those stay marked 未读 on screen until the next visit.

mod inbox;

use yew::prelude::*;

use crate::components::signed_in::SignedIn;
use inbox::Inbox;

/// The 消息 page.
#[component]
pub fn Messages() -> Html {
    html! {
        <section class="messages">
            <h1 class="page-title">{ "消息" }</h1>
            <SignedIn><Inbox /></SignedIn>
        </section>
    }
}
