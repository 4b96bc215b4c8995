//! 钱包: the sandbox wallet that pays parking and charging fees (the payment provider shipped
//! for demos, SPEC §8): balance, top-up and the latest movements.

mod body;

use yew::prelude::*;

use crate::components::signed_in::SignedIn;
use body::WalletBody;

/// The 钱包 page.
#[component]
pub fn Wallet() -> Html {
    html! {
        <section class="wallet">
            <h1 class="page-title">{ "钱包" }</h1>
            <SignedIn><WalletBody /></SignedIn>
        </section>
    }
}
