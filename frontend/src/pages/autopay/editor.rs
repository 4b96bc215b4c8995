//! The owner's 无感支付 form: the switch, the deduction order, and 保存 when something changed.

use shared::api::vehicles::AutopayRequest;
use shared::payment::{AutopaySettings, PaymentSource};
use shared::plate::Plate;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::error_box::ErrorBox;
use crate::components::source_order::SourceOrder;

/// What [`AutopayEditor`] edits.
#[derive(Properties, PartialEq)]
pub struct AutopayEditorProps {
    /// The car.
    pub plate: Plate,
    /// The settings as loaded (sources never empty).
    pub saved: AutopaySettings,
}

/// The switch, the order and 保存; 保存 is enabled only when the draft differs from what is saved.
#[component]
pub fn AutopayEditor(props: &AutopayEditorProps) -> Html {
    let saved = use_state(|| props.saved.clone());
    let draft = use_state(|| props.saved.clone());
    let saving = use_state(|| false);
    let outcome = use_state(|| None::<Result<(), ClientError>>);
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
        let (draft, saved, saving, outcome, plate) = (
            draft.clone(),
            saved.clone(),
            saving.clone(),
            outcome.clone(),
            props.plate.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let next = (*draft).clone();
            let (saved, saving, outcome, plate) = (
                saved.clone(),
                saving.clone(),
                outcome.clone(),
                plate.clone(),
            );
            saving.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let body = AutopayRequest {
                    enabled: next.enabled,
                    sources: next.sources.clone(),
                };
                let result = api::vehicles::set_autopay(&plate, &body).await;
                if result.is_ok() {
                    saved.set(next);
                }
                saving.set(false);
                outcome.set(Some(result));
            });
        })
    };
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
