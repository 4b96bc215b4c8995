//! 工作台 (operators only, SPEC §10): the review queues oldest first with the evidence photos,
//! approve / reject with a reason, and a plate's search with its full history, 取消认证 and
//! 发放优惠券 (a vehicle coupon for that plate, SPEC §8).

mod issue_coupon;
mod plate_search;
mod queue;
mod review_card;

use shared::api::auth::Role;
use shared::vehicle::ReviewKind;
use yew::prelude::*;

use crate::session::{use_auth, Auth};
use plate_search::PlateSearch;
use queue::Queue;

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Certifications,
    Appeals,
    Search,
}

/// The back-office; anyone but an operator is told it is not for them.
#[component]
pub fn Workbench() -> Html {
    let auth = use_auth();
    let tab = use_state(|| Tab::Certifications);
    let is_operator = matches!(&*auth, Auth::SignedIn(me) if me.roles.contains(&Role::Operator));
    if !is_operator {
        return html! {
            <section class="workbench">
                <h1 class="page-title">{ "工作台" }</h1>
                <p class="empty">{ "仅平台运营人员可以使用工作台" }</p>
            </section>
        };
    }
    let tab_button = |t: Tab, label: &'static str| {
        let tab = tab.clone();
        let selected = *tab == t;
        html! {
            <button type="button" role="tab" aria-selected={selected.to_string()}
                class={classes!("seg", selected.then_some("seg-active"))}
                onclick={Callback::from(move |_| tab.set(t))}>{ label }</button>
        }
    };
    html! {
        <section class="workbench">
            <h1 class="page-title">{ "工作台" }</h1>
            <div class="segments" role="tablist">
                { tab_button(Tab::Certifications, "认证审核") }
                { tab_button(Tab::Appeals, "申诉审核") }
                { tab_button(Tab::Search, "车辆查询") }
            </div>
            { match *tab {
                Tab::Certifications => html! { <Queue kind={ReviewKind::Certification} /> },
                Tab::Appeals => html! { <Queue kind={ReviewKind::Appeal} /> },
                Tab::Search => html! { <PlateSearch /> },
            } }
        </section>
    }
}
