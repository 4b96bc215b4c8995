//! 隐私设置 (owner only): 隐私保护 hides the car park's name from everyone else and stops others
//! paying for the car; 接收车辆通知 turns the owner's parking notices on or off.

use shared::api::vehicles::{PrivacyRequest, VehicleList};
use shared::privacy::PrivacySettings;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;

/// What [`Privacy`] sets.
#[derive(Properties, PartialEq)]
pub struct PrivacyProps {
    /// The plate as in the address.
    pub plate: AttrValue,
}

/// Two switches, saved as soon as they change.
#[component]
pub fn Privacy(props: &PrivacyProps) -> Html {
    let settings = use_state(|| None::<PrivacySettings>);
    let message = use_state(|| None::<String>);
    let plate = props.plate.to_string();
    {
        let (settings, message, plate) = (settings.clone(), message.clone(), plate.clone());
        use_effect_with(plate.clone(), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<VehicleList>("/api/vehicles").await {
                    Ok(list) => match list
                        .vehicles
                        .into_iter()
                        .find(|v| v.plate.as_str() == plate)
                        .and_then(|v| v.privacy)
                    {
                        Some(p) => settings.set(Some(p)),
                        None => message.set(Some("仅认证车主可以设置隐私".into())),
                    },
                    Err(e) => message.set(Some(e.message())),
                }
            });
        });
    }
    let save = {
        let (settings, message, plate) = (settings.clone(), message.clone(), plate.clone());
        move |change: fn(&mut PrivacySettings, bool)| {
            let (settings, message, plate) = (settings.clone(), message.clone(), plate.clone());
            Callback::from(move |e: Event| {
                let Some(mut next) = *settings else { return };
                change(
                    &mut next,
                    e.target_unchecked_into::<HtmlInputElement>().checked(),
                );
                let (settings, message, plate) = (settings.clone(), message.clone(), plate.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let body = PrivacyRequest {
                        protect: next.protect,
                        notify: next.notify,
                    };
                    match api::put(&format!("/api/vehicles/{plate}/privacy"), &body).await {
                        Ok(()) => {
                            settings.set(Some(next));
                            message.set(Some("已保存".into()));
                        }
                        Err(e) => message.set(Some(e.message())),
                    }
                });
            })
        }
    };
    html! {
        <section class="privacy">
            <h1 class="page-title">{ "隐私设置" }</h1>
            <p class="plate-line">{ format!("车牌:{plate}") }</p>
            if let Some(s) = *settings {
                <label class="switch-row">
                    <span>{ "隐私保护" }<small>{ "开启后他人看不到停车场名称,且不能代缴费" }</small></span>
                    <input type="checkbox" role="switch" checked={s.protect} onchange={save(|p, on| p.protect = on)} />
                </label>
                <label class="switch-row">
                    <span>{ "接收车辆通知" }<small>{ "进出场、缴费等车辆通知" }</small></span>
                    <input type="checkbox" role="switch" checked={s.notify} onchange={save(|p, on| p.notify = on)} />
                </label>
            }
            if let Some(m) = &*message {
                <p class="hint" role="status">{ m }</p>
            }
        </section>
    }
}
