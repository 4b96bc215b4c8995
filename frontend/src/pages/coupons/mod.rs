//! 我的卡券 (SPEC §8): the vehicle coupons of every car the user is related to; used and expired
//! ones greyed. The certified owner also reads how coupons reach the car and are used.

mod list;

use yew::prelude::*;

use crate::components::signed_in::SignedIn;
use list::CouponWallet;

/// The 我的卡券 page.
#[component]
pub fn Coupons() -> Html {
    html! {
        <section class="coupons">
            <h1 class="page-title">{ "我的卡券" }</h1>
            <SignedIn><CouponWallet /></SignedIn>
        </section>
    }
}
