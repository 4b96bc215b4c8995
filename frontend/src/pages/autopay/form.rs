//! 无感支付's settings as loaded for a signed-in user: the editor for the car's owner, a word for
//! anyone else.

use shared::payment::AutopaySettings;
use yew::prelude::*;

use super::editor::AutopayEditor;
use super::AutopayProps;
use crate::hooks::use_vehicle;
use crate::session::payments;

/// The switch, the order and 保存, once the settings are loaded.
#[component]
pub fn AutopayForm(props: &AutopayProps) -> Html {
    let vehicle = use_vehicle(&props.plate);
    vehicle.view(|card| {
        match card.as_ref().and_then(|v| v.autopay.clone()) {
            // Only the certified owner's card carries the settings.
            None => html! { <p class="empty">{ "仅认证车主可以设置无感支付" }</p> },
            Some(mut saved) => {
                // Only the sources this deployment offers (no 钱包 outside dev runs).
                let offered = payments();
                if saved.sources.is_empty() {
                    saved.sources = AutopaySettings::default().sources;
                }
                saved.sources.retain(|s| offered.offers(*s));
                html! { <AutopayEditor key={props.plate.to_string()} plate={props.plate.clone()} {saved} /> }
            }
        }
    })
}
