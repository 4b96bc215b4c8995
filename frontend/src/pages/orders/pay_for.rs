//! 代缴费: a car's due orders, looked up by its plate (names masked), each with 缴费; the plate
//! typed, or picked from the user's cars (从我的车辆选择, the default preselected).

use shared::api::{OrderList, PayResponse};
use shared::plate::Plate;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::error_box::ErrorBox;
use crate::components::order_card::OrderCard;
use crate::components::vehicle_picker::VehiclePicker;
use crate::input::typed_into;

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
    let on_input = typed_into(&typed);
    let picked = Plate::parse(&typed).ok();
    let on_pick = {
        let typed = typed.clone();
        Callback::from(move |plate: Plate| typed.set(plate.to_string()))
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
            <VehiclePicker {on_pick} {picked} />
            <form class="search-form" onsubmit={on_submit}>
                <input type="text" placeholder="输入车牌号，如闽D12337" aria-label="代缴费车牌号"
                    autocomplete="off" autocapitalize="characters" spellcheck="false"
                    value={(*typed).clone()} oninput={on_input} />
                <button type="submit" class="btn btn-ok">{ "查询" }</button>
            </form>
            { result }
        </div>
    }
}
