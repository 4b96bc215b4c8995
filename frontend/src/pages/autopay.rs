//! 无感支付 (SPEC §8, owner only): on at exit, an unpaid fee is deducted automatically from the
//! sources in the owner's order (vehicle coupons first by default).

use shared::api::vehicles::{AutopayRequest, VehicleList};
use shared::payment::{AutopaySettings, PaymentSource};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::error_box::ErrorBox;
use crate::components::signed_in::SignedIn;
use crate::components::source_order::SourceOrder;

/// What [`Autopay`] sets.
#[derive(Properties, PartialEq)]
pub struct AutopayProps {
    /// The plate as in the address.
    pub plate: AttrValue,
}

/// The 无感支付 page of one car.
#[component]
pub fn Autopay(props: &AutopayProps) -> Html {
    html! {
        <section class="autopay">
            <h1 class="page-title">{ "无感支付" }</h1>
            <p class="plate-line">{ format!("车牌:{}", props.plate) }</p>
            <SignedIn><AutopayForm plate={props.plate.clone()} /></SignedIn>
        </section>
    }
}

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    /// The saved settings, and the edited ones.
    Loaded(AutopaySettings),
    /// The user is not this car's certified owner.
    NotOwner,
    Failed(ClientError),
}

/// The switch, the order and 保存, once the settings are loaded.
#[component]
fn AutopayForm(props: &AutopayProps) -> Html {
    let load = use_state(|| Load::Loading);
    let draft = use_state(AutopaySettings::default);
    let saving = use_state(|| false);
    let outcome = use_state(|| None::<Result<(), ClientError>>);
    let plate = props.plate.to_string();
    let reload = {
        let (load, draft, plate) = (load.clone(), draft.clone(), plate.clone());
        use_callback(plate, move |(), plate| {
            let (load, draft, plate) = (load.clone(), draft.clone(), plate.clone());
            wasm_bindgen_futures::spawn_local(async move {
                load.set(match api::get::<VehicleList>("/api/vehicles").await {
                    Err(e) => Load::Failed(e),
                    Ok(list) => match list
                        .vehicles
                        .into_iter()
                        .find(|v| v.plate.as_str() == plate)
                        .and_then(|v| v.autopay)
                    {
                        Some(mut settings) => {
                            if settings.sources.is_empty() {
                                settings.sources = AutopaySettings::default().sources;
                            }
                            draft.set(settings.clone());
                            Load::Loaded(settings)
                        }
                        None => Load::NotOwner,
                    },
                });
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(props.plate.clone(), move |_| reload.emit(()));
    }
    let edit = |change: fn(&mut AutopaySettings, Vec<PaymentSource>, bool)| {
        let (draft, outcome) = (draft.clone(), outcome.clone());
        move |sources: Vec<PaymentSource>, on: bool| {
            let mut next = (*draft).clone();
            change(&mut next, sources, on);
            outcome.set(None);
            draft.set(next);
        }
    };
    let on_switch = {
        let edit = edit(|s, _, on| s.enabled = on);
        Callback::from(move |e: Event| {
            edit(
                Vec::new(),
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            )
        })
    };
    let on_order = {
        let edit = edit(|s, sources, _| s.sources = sources);
        Callback::from(move |sources: Vec<PaymentSource>| edit(sources, false))
    };
    let on_save = {
        let (draft, load, saving, outcome, plate) = (
            draft.clone(),
            load.clone(),
            saving.clone(),
            outcome.clone(),
            props.plate.to_string(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let next = (*draft).clone();
            let (load, saving, outcome, plate) =
                (load.clone(), saving.clone(), outcome.clone(), plate.clone());
            saving.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let body = AutopayRequest {
                    enabled: next.enabled,
                    sources: next.sources.clone(),
                };
                let path = format!("/api/vehicles/{}/autopay", api::segment(&plate));
                let result = api::put(&path, &body).await;
                if result.is_ok() {
                    load.set(Load::Loaded(next));
                }
                saving.set(false);
                outcome.set(Some(result));
            });
        })
    };
    match &*load {
        Load::Loading => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Load::Failed(e) => html! { <ErrorBox error={e.clone()} on_retry={reload} /> },
        Load::NotOwner => html! { <p class="empty">{ "仅认证车主可以设置无感支付" }</p> },
        Load::Loaded(saved) => {
            let changed = *saved != *draft;
            html! {
                <form class="form" onsubmit={on_save}>
                    <label class="switch-row">
                        <span>{ "无感支付" }<small>{ "开启后,车辆出场时自动扣除停车/充电费用,无需手动缴费" }</small></span>
                        <input type="checkbox" role="switch" checked={draft.enabled} onchange={on_switch} disabled={*saving} />
                    </label>
                    <h2 class="section-title">{ "扣费顺序" }</h2>
                    <p class="hint">{ "按以下顺序扣费,前一项不足时使用下一项。优惠券每次最多使用一张。" }</p>
                    <SourceOrder sources={draft.sources.clone()} on_change={on_order} disabled={*saving} />
                    <button type="submit" class="btn-primary" disabled={*saving || !changed}>
                        { if *saving { "保存中…" } else { "保存" } }
                    </button>
                    { match &*outcome {
                        Some(Ok(())) => html! { <p class="success" role="status">{ "已保存" }</p> },
                        Some(Err(e)) => html! { <ErrorBox error={e.clone()} /> },
                        None => html! {},
                    } }
                </form>
            }
        }
    }
}
