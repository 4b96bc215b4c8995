//! What a tenant (项目, SPEC §9) leaves out: a `hidden` tenant's users have no vehicle pages,
//! an `open` tenant's no 认证 or 申诉. A page left out says so in place of its body, so a
//! direct address never ends in an error box or a refused request.

use shared::tenant::Feature;
use yew::prelude::*;

use crate::session::use_policy;

/// What [`TenantGate`] wraps.
#[derive(Properties, PartialEq)]
pub struct TenantGateProps {
    /// What the page needs from the tenant.
    pub needs: Feature,
    /// The page.
    pub children: Html,
}

/// The page, or the tenant's reason it is not offered here.
#[component]
pub fn TenantGate(props: &TenantGateProps) -> Html {
    match use_policy().left_out(props.needs) {
        None => props.children.clone(),
        Some(why) => html! {
            <section class="placeholder module-closed">
                <h1>{ "我的车辆" }</h1>
                <p class="empty" role="status">{ why }</p>
            </section>
        },
    }
}
