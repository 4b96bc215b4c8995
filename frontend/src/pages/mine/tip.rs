//! The tip line of SPEC §5 under 我的's list, and the 认证车辆的好处 sheet it opens.

use shared::notice;
use yew::prelude::*;

use super::benefits::Benefits;
use crate::app::Route;

/// What [`Tip`] needs.
#[derive(Properties, PartialEq)]
pub struct TipProps {
    /// Where the sheet's 去认证 leads.
    pub certify: Route,
}

/// The tip line of SPEC §5 and the 认证车辆的好处 sheet it opens.
#[component]
pub fn Tip(props: &TipProps) -> Html {
    let open = use_state(|| false);
    let show = {
        let open = open.clone();
        Callback::from(move |_| open.set(true))
    };
    let hide = {
        let open = open.clone();
        Callback::from(move |()| open.set(false))
    };
    html! {
        <>
            <p class="tip">
                { notice::TIP }
                <button type="button" class="btn-link" onclick={show}>{ notice::BENEFITS_TITLE }</button>
            </p>
            if *open {
                <Benefits certify={props.certify.clone()} on_close={hide} />
            }
        </>
    }
}
