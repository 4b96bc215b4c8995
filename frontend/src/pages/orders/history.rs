//! 停车/充电记录 for a signed-in user: the 代缴费 box, then their own orders, each with 缴费 when
//! it is due; any payment reloads the list.

use shared::api::PayResponse;
use yew::prelude::*;

use super::pay_for::PayFor;
use crate::api;
use crate::components::order_card::OrderCard;
use crate::hooks::use_load;
use crate::money::yuan;

/// The list and the 代缴费 box, for a signed-in user.
#[component]
pub fn OrderHistory() -> Html {
    let orders = use_load((), |()| api::orders::list());
    let paid = use_state(|| None::<String>);
    // After any payment (one's own or 代缴费) the list changes: a payer sees the order they paid.
    let on_paid = {
        let (reload, paid) = (orders.reload.clone(), paid.clone());
        Callback::from(move |p: PayResponse| {
            paid.set(Some(format!("已缴费 {}", yuan(p.paid_fen))));
            reload.emit(());
        })
    };
    let list = orders.view(|list| {
        if list.orders.is_empty() {
            return html! { <p class="empty">{ "暂无停车或充电记录" }</p> };
        }
        html! {
            <ul class="order-list" aria-label="停车/充电记录">
                { for list.orders.iter().map(|o| html! {
                    <OrderCard key={o.id.to_string()} order={o.clone()} on_paid={on_paid.clone()} />
                }) }
            </ul>
        }
    });
    html! {
        <>
            if let Some(text) = &*paid {
                <p class="success" role="status">{ text }</p>
            }
            <PayFor on_paid={on_paid.clone()} />
            <h2 class="section-title">{ "我的记录" }</h2>
            { list }
        </>
    }
}
