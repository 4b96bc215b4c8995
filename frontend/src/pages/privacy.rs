//! 隐私设置 (owner only): 隐私保护 hides the car park's name from everyone else and stops others
//! paying for the car; 接收车辆通知 turns the owner's parking notices on or off.

use shared::api::vehicles::PrivacyRequest;
use shared::plate::Plate;
use shared::privacy::PrivacySettings;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::hooks::{use_vehicle, Load};

/// What [`Privacy`] sets.
#[derive(Properties, PartialEq)]
pub struct PrivacyProps {
    /// The plate in the address.
    pub plate: Plate,
}

/// Two switches, saved as soon as they change.
#[component]
pub fn Privacy(props: &PrivacyProps) -> Html {
    let vehicle = use_vehicle(&props.plate);
    // What was saved here since the page loaded, over what the load said.
    let saved = use_state(|| None::<PrivacySettings>);
    let saved_message = use_state(|| None::<String>);
    let (settings, load_message) = match &*vehicle.state {
        Load::Loading => (None, None),
        Load::Failed(e) => (None, Some(e.message())),
        Load::Loaded(card) => match card.as_ref().and_then(|v| v.privacy) {
            Some(p) => (Some(p), None),
            // Only the certified owner's card carries the settings.
            None => (None, Some("仅认证车主可以设置隐私".to_owned())),
        },
    };
    let settings = (*saved).or(settings);
    let message = (*saved_message).clone().or(load_message);
    let save = {
        let (saved, saved_message, plate) =
            (saved.clone(), saved_message.clone(), props.plate.clone());
        move |change: fn(&mut PrivacySettings, bool)| {
            let (saved, saved_message, plate) =
                (saved.clone(), saved_message.clone(), plate.clone());
            Callback::from(move |e: Event| {
                let Some(mut next) = settings else { return };
                change(
                    &mut next,
                    e.target_unchecked_into::<HtmlInputElement>().checked(),
                );
                let (saved, saved_message, plate) =
                    (saved.clone(), saved_message.clone(), plate.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let body = PrivacyRequest {
                        protect: next.protect,
                        notify: next.notify,
                    };
                    match api::vehicles::set_privacy(&plate, &body).await {
                        Ok(()) => {
                            saved.set(Some(next));
                            saved_message.set(Some("已保存".into()));
                        }
                        Err(e) => saved_message.set(Some(e.message())),
                    }
                });
            })
        }
    };
    html! {
        <section class="privacy">
            <h1 class="page-title">{ "隐私设置" }</h1>
            <p class="plate-line">{ format!("车牌：{}", props.plate) }</p>
            if let Some(s) = settings {
                <label class="switch-row">
                    <span>{ "隐私保护" }<small>{ "开启后他人看不到停车场名称，且不能代缴费" }</small></span>
                    <input type="checkbox" role="switch" checked={s.protect} onchange={save(|p, on| p.protect = on)} />
                </label>
                <label class="switch-row">
                    <span>{ "接收车辆通知" }<small>{ "进出场、缴费等车辆通知" }</small></span>
                    <input type="checkbox" role="switch" checked={s.notify} onchange={save(|p, on| p.notify = on)} />
                </label>
            }
            if let Some(m) = &message {
                <p class="hint" role="status">{ m }</p>
            }
        </section>
    }
}
