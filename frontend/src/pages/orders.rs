//! 停车/充电记录: the orders this user may see, redacted per SPEC §6, with 缴费; and 代缴费: look
//! up another car's due orders by plate and pay them.

use shared::api::{OrderList, PayResponse};
use shared::plate::Plate;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::error_box::ErrorBox;
use crate::components::order_card::OrderCard;
use crate::components::signed_in::SignedIn;
use crate::hooks::{use_load, Load};
use crate::money::yuan;

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

/// The list and the 代缴费 box, for a signed-in user.
#[component]
fn OrderHistory() -> Html {
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
    let list = match &*orders.state {
        Load::Loading => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Load::Failed(e) => {
            html! { <ErrorBox error={e.clone()} on_retry={orders.reload.clone()} /> }
        }
        Load::Loaded(list) if list.orders.is_empty() => {
            html! { <p class="empty">{ "暂无停车或充电记录" }</p> }
        }
        Load::Loaded(list) => html! {
            <ul class="order-list" aria-label="停车/充电记录">
                { for list.orders.iter().map(|o| html! {
                    <OrderCard key={o.id.to_string()} order={o.clone()} on_paid={on_paid.clone()} />
                }) }
            </ul>
        },
    };
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

/// What [`PayFor`] reports.
#[derive(Properties, PartialEq)]
pub struct PayForProps {
    /// Called after a 代缴费 payment.
    pub on_paid: Callback<PayResponse>,
}

/// What a 代缴费 lookup found.
#[derive(Clone, PartialEq)]
enum Found {
    Nothing,
    Searching,
    Due(Plate, OrderList),
    Failed(ClientError),
    /// The plate as typed is not a plate (told without asking the worker).
    BadPlate(String),
}

/// 代缴费: a plate in, its due orders out (names masked), each with 缴费.
#[component]
pub fn PayFor(props: &PayForProps) -> Html {
    let typed = use_state(String::new);
    let found = use_state(|| Found::Nothing);
    let lookup = {
        let found = found.clone();
        Callback::from(move |plate: Plate| {
            let found = found.clone();
            found.set(Found::Searching);
            wasm_bindgen_futures::spawn_local(async move {
                found.set(match api::orders::due_for(&plate).await {
                    Ok(list) => Found::Due(plate, list),
                    Err(e) => Found::Failed(e),
                });
            });
        })
    };
    let on_submit = {
        let (typed, found, lookup) = (typed.clone(), found.clone(), lookup.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match Plate::parse(&typed) {
                Ok(plate) => lookup.emit(plate),
                Err(err) => found.set(Found::BadPlate(err.to_string())),
            }
        })
    };
    let on_input = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            typed.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_paid = {
        let (on_paid, found, lookup) = (props.on_paid.clone(), found.clone(), lookup.clone());
        Callback::from(move |p: PayResponse| {
            if let Found::Due(plate, _) = &*found {
                lookup.emit(plate.clone());
            }
            on_paid.emit(p);
        })
    };
    let result = match &*found {
        Found::Nothing => html! {},
        Found::Searching => html! { <p class="loading" aria-busy="true">{ "查询中…" }</p> },
        Found::BadPlate(message) => html! { <p class="error" role="alert">{ message }</p> },
        Found::Failed(e) => html! { <ErrorBox error={e.clone()} /> },
        Found::Due(plate, list) if list.orders.is_empty() => {
            html! { <p class="empty">{ format!("车辆{plate}暂无待缴费用") }</p> }
        }
        Found::Due(_, list) => html! {
            <ul class="order-list" aria-label="待缴费用">
                { for list.orders.iter().map(|o| html! {
                    <OrderCard key={o.id.to_string()} order={o.clone()} on_paid={on_paid.clone()} />
                }) }
            </ul>
        },
    };
    html! {
        <div class="pay-for">
            <h2 class="section-title">{ "代缴费" }</h2>
            <form class="search-form" onsubmit={on_submit}>
                <input type="text" placeholder="输入车牌号,如闽D12337" aria-label="代缴费车牌号"
                    autocomplete="off" autocapitalize="characters" spellcheck="false"
                    value={(*typed).clone()} oninput={on_input} />
                <button type="submit" class="btn btn-ok">{ "查询" }</button>
            </form>
            { result }
        </div>
    }
}
