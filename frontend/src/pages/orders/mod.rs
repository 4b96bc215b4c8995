//! 停车/充电记录: the orders this user may see, redacted per SPEC §6, with 缴费; and 代缴费: look
//! up another car's due orders by plate and pay them.

mod history;
mod pay_for;

use yew::prelude::*;

use crate::components::signed_in::SignedIn;
use history::OrderHistory;

/// The 停车/充电记录 page.
#[component]
pub fn Orders() -> Html {
    html! {
        <section class="orders">
            <h1 class="page-title">{ "停车/充电记录" }</h1>
            <SignedIn><OrderHistory /></SignedIn>
        </section>
    }
}
