//! 认证车辆的好处: the sheet of SPEC §5, with 去认证.

use shared::notice;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

/// What [`Benefits`] needs.
#[derive(Properties, PartialEq)]
pub struct BenefitsProps {
    /// Closes the sheet.
    pub on_close: Callback<()>,
    /// Where 去认证 leads: the first car waiting for certification, or 添加车辆.
    pub certify: Route,
}

/// 认证车辆的好处: the sheet of SPEC §5.
#[component]
pub fn Benefits(props: &BenefitsProps) -> Html {
    let close = props.on_close.reform(|_| ());
    html! {
        <div class="dialog-mask" onclick={close.clone()}>
            <div class="sheet" role="dialog" aria-modal="true" aria-labelledby="benefits-title"
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2 id="benefits-title" class="dialog-title">{ notice::BENEFITS_TITLE }</h2>
                <ol class="benefits">{ for notice::BENEFITS.iter().map(|line| html! { <li>{ *line }</li> }) }</ol>
                <Link<Route> to={props.certify.clone()} classes="btn-primary">{ notice::GO_CERTIFY }</Link<Route>>
                <button type="button" class="btn" onclick={close}>{ "关闭" }</button>
            </div>
        </div>
    }
}
