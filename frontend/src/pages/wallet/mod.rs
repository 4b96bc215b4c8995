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
            if crate::session::payments().wallet {
                <SignedIn><WalletBody /></SignedIn>
            } else {
                <p class="empty">{ "暂未开通钱包，停车费用可使用车辆优惠券抵扣。" }</p>
            }
        </section>
    }
}
