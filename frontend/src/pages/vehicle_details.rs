//! 车辆信息 in 设置 (SPEC §11): the plate colour, brand, model, body colour and nickname, and
//! 维护车辆信息 for whoever may keep them (the owner; anyone with a relation while nobody owns
//! the car).

use shared::api::vehicles::VehicleItem;
use shared::vehicle::{DetailField, PlateColor, VehicleDetails};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api;
use crate::input::typed_into;

/// What [`VehicleInfo`] shows.
#[derive(Properties, PartialEq)]
pub struct VehicleInfoProps {
    /// The car as 我的车辆 lists it (details, effective plate colour, who may edit).
    pub card: VehicleItem,
    /// After a save: reload the card.
    pub on_saved: Callback<()>,
}

/// The details as a list, with 编辑 opening the form when the user may keep them.
#[component]
pub fn VehicleInfo(props: &VehicleInfoProps) -> Html {
    let editing = use_state(|| false);
    // What was just saved, shown (tidied as the worker stores it) until the reloaded card
    // arrives, so the old values never flash back.
    let saved = use_state(|| None::<VehicleDetails>);
    {
        let saved = saved.clone();
        use_effect_with(props.card.details.clone(), move |_| saved.set(None));
    }
    let card = &props.card;
    let d = (*saved).clone().unwrap_or_else(|| card.details.clone());
    let plate_color = d.plate_color_of(&card.plate);
    let shown = |t: &Option<String>| t.clone().unwrap_or_else(|| "未填写".to_owned());
    let on_saved = {
        let (editing, saved, on_saved, plate) = (
            editing.clone(),
            saved.clone(),
            props.on_saved.clone(),
            card.plate.clone(),
        );
        Callback::from(move |details: VehicleDetails| {
            saved.set(Some(details.tidy(&plate)));
            editing.set(false);
            on_saved.emit(());
        })
    };
    html! {
        <section class="vehicle-info" aria-label="车辆信息">
            <h2 class="section-title">{ "车辆信息" }</h2>
            if *editing {
                <DetailsForm card={card.clone()} {on_saved}
                    on_cancel={{ let editing = editing.clone(); Callback::from(move |()| editing.set(false)) }} />
            } else {
                <dl class="info">
                    <dt>{ "号牌颜色" }</dt><dd>{ plate_color.label() }</dd>
                    <dt>{ DetailField::Brand.label() }</dt><dd>{ shown(&d.brand) }</dd>
                    <dt>{ DetailField::Model.label() }</dt><dd>{ shown(&d.model) }</dd>
                    <dt>{ DetailField::BodyColor.label() }</dt><dd>{ shown(&d.body_color) }</dd>
                    <dt>{ DetailField::Nickname.label() }</dt><dd>{ shown(&d.nickname) }</dd>
                </dl>
                if card.can_edit_details {
                    <button type="button" class="btn" onclick={{ let editing = editing.clone(); Callback::from(move |_| editing.set(true)) }}>
                        { "维护车辆信息" }
                    </button>
                } else {
                    <p class="hint">{ "车辆信息由认证车主维护" }</p>
                }
            }
        </section>
    }
}

/// What [`DetailsForm`] edits.
#[derive(Properties, PartialEq)]
struct DetailsFormProps {
    card: VehicleItem,
    /// Saved: the details as sent.
    on_saved: Callback<VehicleDetails>,
    on_cancel: Callback<()>,
}

/// The form of 维护车辆信息: a text box per detail (limited as the worker limits them) and the
/// plate colour, preselected with the current one.
#[component]
fn DetailsForm(props: &DetailsFormProps) -> Html {
    let d = &props.card.details;
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let colour = use_state(|| props.card.plate_color);
    let brand = use_state(|| text(&d.brand));
    let model = use_state(|| text(&d.model));
    let body_color = use_state(|| text(&d.body_color));
    let nickname = use_state(|| text(&d.nickname));
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let details = VehicleDetails {
        plate_color: Some(*colour),
        brand: Some((*brand).clone()),
        model: Some((*model).clone()),
        body_color: Some((*body_color).clone()),
        nickname: Some((*nickname).clone()),
    };
    let refused = details.check().err().map(|e| e.message().into_owned());
    let on_colour = {
        let colour = colour.clone();
        Callback::from(move |e: Event| {
            let code = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(c) = PlateColor::ALL.into_iter().find(|c| c.code() == code) {
                colour.set(c);
            }
        })
    };
    let save = {
        let (plate, error, busy, on_saved) = (
            props.card.plate.clone(),
            error.clone(),
            busy.clone(),
            props.on_saved.clone(),
        );
        let details = details.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (plate, error, busy, on_saved, details) = (
                plate.clone(),
                error.clone(),
                busy.clone(),
                on_saved.clone(),
                details.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = api::vehicles::set_details(&plate, &details).await;
                busy.set(false);
                match result {
                    Ok(()) => on_saved.emit(details),
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    let field = |what: DetailField, value: &UseStateHandle<String>, placeholder: &'static str| {
        html! {
            <label class="field">
                <span>{ what.label() }</span>
                <input type="text" value={(**value).clone()} oninput={typed_into(value)}
                    maxlength={what.max_chars().to_string()} placeholder={placeholder} />
            </label>
        }
    };
    html! {
        <form class="form" onsubmit={save}>
            <label class="field">
                <span>{ "号牌颜色" }</span>
                <select onchange={on_colour}>
                    { for PlateColor::ALL.into_iter().map(|c| html! {
                        <option value={c.code()} selected={c == *colour}>{ c.label() }</option>
                    }) }
                </select>
            </label>
            { field(DetailField::Brand, &brand, "如：比亚迪") }
            { field(DetailField::Model, &model, "如：汉") }
            { field(DetailField::BodyColor, &body_color, "如：白色") }
            { field(DetailField::Nickname, &nickname, "最多10个字") }
            if let Some(message) = refused.clone().or_else(|| (*error).clone()) {
                <p class="error" role="alert">{ message }</p>
            }
            <button type="submit" class="btn-primary" disabled={refused.is_some() || *busy}>{ "保存" }</button>
            <button type="button" class="btn" onclick={props.on_cancel.reform(|_| ())}>{ "取消" }</button>
        </form>
    }
}
