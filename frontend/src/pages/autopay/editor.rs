//! The owner's 无感支付 form: the switch, the deduction order, the limit for one deduction
//! (单笔自动扣费上限), and 保存 when something changed.

use shared::api::vehicles::AutopayRequest;
use shared::money::Fen;
use shared::payment::{AutopaySettings, PaymentSource, MAX_AUTOPAY_LIMIT};
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
    // The limit as typed, in yuan; the draft takes it only when it reads as a valid limit.
    let limit_text = use_state(|| Fen::new(props.saved.limit_fen).yuan());
    let on_limit = {
        let (draft, limit_text, outcome) = (draft.clone(), limit_text.clone(), outcome.clone());
        Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            let mut next = (*draft).clone();
            next.limit_fen = Fen::parse_yuan(&typed).map_or(0, Fen::get);
            limit_text.set(typed);
            outcome.set(None);
            draft.set(next);
        })
    };
    let limit_ok = draft.limit_is_valid();
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
                    limit_fen: Some(next.limit_fen),
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
                <span>{ "无感支付" }<small>{ "开启后，车辆出场时自动扣除停车/充电费用，无需手动缴费" }</small></span>
                <input type="checkbox" role="switch" checked={draft.enabled} onchange={on_switch} disabled={*saving} />
            </label>
            <h2 class="section-title">{ "扣费顺序" }</h2>
            <p class="hint">{ "按以下顺序扣费，前一项不足时使用下一项。优惠券每次最多使用一张。" }</p>
            <SourceOrder sources={draft.sources.clone()} on_change={on_order} disabled={*saving} />
            <h2 class="section-title">{ "单笔自动扣费上限" }</h2>
            <label class="field">
                <span>{ "上限（元）" }</span>
                <input type="text" inputmode="decimal" aria-label="单笔自动扣费上限（元）" autocomplete="off"
                    value={(*limit_text).clone()} oninput={on_limit} disabled={*saving} />
            </label>
            if limit_ok {
                <p class="hint">{ format!("单笔费用超过{}时不自动扣费，将通知您手动缴费。", Fen::new(draft.limit_fen)) }</p>
            } else {
                <p class="error" role="alert">{ format!("请输入{}至{}之间的金额", Fen::new(1), MAX_AUTOPAY_LIMIT) }</p>
            }
            <button type="submit" class="btn-primary" disabled={*saving || !changed || !limit_ok}>
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
