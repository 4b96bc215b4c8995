//! 添加车辆: type a plate on the plate keyboard, checked live by shared's rules; a non-standard
//! plate asks for confirmation; a `mandatory` tenant's add carries the certification.

use shared::api::vehicles::AddVehicleRequest;
use shared::notice::NONSTANDARD_WARNING;
use shared::plate::{input_len, Plate};
use shared::vehicle::Certification;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::evidence::{Evidence, EvidencePicker};
use crate::components::plate_keyboard::PlateKeyboard;
use crate::input::typed_into;
use crate::session::{use_auth, Auth};

/// The add page.
#[component]
pub fn AddVehicle() -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    let typed = use_state(String::new);
    let new_energy = use_state(|| false);
    let confirmed = use_state(|| false);
    let owner_name = use_state(String::new);
    let evidence = use_state(Evidence::default);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let mandatory = matches!(&*auth, Auth::SignedIn(me) if me.tenant.policy.certifies_on_add());

    let max_len = input_len(*new_energy);
    let parsed = (typed.chars().count() >= input_len(false)).then(|| Plate::parse(&typed));
    let on_change = {
        let (typed, confirmed) = (typed.clone(), confirmed.clone());
        Callback::from(move |value: String| {
            typed.set(value);
            confirmed.set(false);
        })
    };
    let toggle_new_energy = {
        let (new_energy, typed) = (new_energy.clone(), typed.clone());
        Callback::from(move |_| {
            let on = !*new_energy;
            new_energy.set(on);
            if !on {
                typed.set(typed.chars().take(7).collect());
            }
        })
    };
    let on_confirm = {
        let confirmed = confirmed.clone();
        Callback::from(move |e: Event| {
            confirmed.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let on_name = typed_into(&owner_name);
    let plate_ok = Plate::parse_to_add(&typed, *confirmed).is_ok();
    let certification = Certification {
        owner_name: owner_name.trim().to_owned(),
        evidence: evidence.ids.clone(),
    };
    let evidence_ok = !mandatory || certification.check().is_ok();
    let on_submit = {
        let (typed, confirmed, owner_name, evidence, error, busy) = (
            typed.clone(),
            confirmed.clone(),
            owner_name.clone(),
            evidence.clone(),
            error.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let certification = mandatory.then(|| shared::api::vehicles::CertificationRequest {
                owner_name: owner_name.trim().to_owned(),
                evidence: evidence.ids.clone(),
            });
            let body = AddVehicleRequest {
                plate: (*typed).clone(),
                confirm_nonstandard: *confirmed,
                certification,
            };
            let (error, busy, navigator) = (error.clone(), busy.clone(), navigator.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::vehicles::add(&body).await {
                    Ok(_) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Mine);
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
            });
        })
    };

    let cells = (0..max_len).map(|i| {
        let c = typed.chars().nth(i);
        let current = i == typed.chars().count();
        html! { <span class={classes!("plate-cell", current.then_some("plate-cell-current"), (i == 7).then_some("plate-cell-ne"))}>{ c.map(String::from).unwrap_or_default() }</span> }
    });
    html! {
        <section class="add-vehicle">
            <h1 class="page-title">{ "添加车辆" }</h1>
            <form class="form" onsubmit={on_submit}>
                <div class="plate-cells" role="textbox" aria-label="车牌号" aria-readonly="true">{ for cells }</div>
                <label class="switch">
                    <input type="checkbox" checked={*new_energy} onchange={toggle_new_energy} />
                    <span>{ "新能源（8位车牌）" }</span>
                </label>
                { match &parsed {
                    None => html! {},
                    Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
                    Some(Ok(p)) if p.is_standard() => html! {
                        <p class="plate-ok">{ format!("{} · {}", p, p.vehicle_type().label()) }</p>
                    },
                    Some(Ok(_)) => html! {
                        <label class="warning">
                            <input type="checkbox" checked={*confirmed} onchange={on_confirm} />
                            <span>{ NONSTANDARD_WARNING }{ "，确认无误请勾选" }</span>
                        </label>
                    },
                } }
                if mandatory {
                    <p class="hint">{ "本项目添加车辆需同时认证：请填写车主姓名并上传行驶证照片" }</p>
                    <label class="field">
                        <span>{ "车主姓名" }</span>
                        <input type="text" maxlength="50" value={(*owner_name).clone()} oninput={on_name} placeholder="与行驶证一致" />
                    </label>
                    <EvidencePicker value={(*evidence).clone()} on_change={Callback::from({
                        let evidence = evidence.clone();
                        move |v| evidence.set(v)
                    })} />
                }
                if let Some(message) = &*error {
                    <p class="error" role="alert">{ message }</p>
                }
                <button type="submit" class="btn-primary" disabled={!plate_ok || !evidence_ok || *busy}>{ "确认添加" }</button>
            </form>
            <PlateKeyboard value={(*typed).clone()} {max_len} {on_change} />
        </section>
    }
}
