//! 我的卡券 for a signed-in user: the owner's explanation once per car, then the coupons, used
//! and expired ones greyed.

use shared::api::CouponItem;
use shared::coupon::claim_prompt_text;
use shared::plate::Plate;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::datetime::{local_date, now};
use crate::hooks::use_load;
use crate::money::yuan;

/// The coupons, for a signed-in user.
#[component]
pub fn CouponWallet() -> Html {
    let coupons = use_load((), |()| api::coupons::list());
    coupons.view(|list| {
        if list.coupons.is_empty() {
            return html! { <p class="empty">{ "暂无优惠券" }</p> };
        }
        // The worker lists usable coupons first, the soonest to expire first.
        let now = now();
        // The owner's explanation, once per car.
        let mut prompts: Vec<&Plate> = Vec::new();
        for c in list.coupons.iter().filter(|c| c.claim_prompt) {
            if !prompts.contains(&&c.coupon.plate) {
                prompts.push(&c.coupon.plate);
            }
        }
        html! {
            <>
                { for prompts.into_iter().map(|plate| html! {
                    <div class="claim-prompt" role="note">
                        <p>{ claim_prompt_text(plate) }</p>
                        <Link<Route> to={Route::Autopay { plate: plate.clone() }} classes="car-link car-link-primary">
                            { format!("{plate} 无感支付设置>") }
                        </Link<Route>>
                    </div>
                }) }
                <ul class="coupon-list" aria-label="优惠券列表">
                    { for list.coupons.iter().map(|c| coupon(c, now)) }
                </ul>
            </>
        }
    })
}

fn coupon(item: &CouponItem, now: shared::timestamp::Timestamp) -> Html {
    let c = &item.coupon;
    let state = if c.used {
        Some("已使用")
    } else if now >= c.expires_at {
        Some("已过期")
    } else {
        None
    };
    html! {
        <li class={classes!("coupon", state.is_some().then_some("coupon-spent"))}>
            <div class="coupon-value">{ yuan(c.value_fen) }</div>
            <div class="coupon-body">
                <p class="coupon-title">{ &c.title }</p>
                <p class="coupon-meta">{ format!("限车牌{} · 有效期至{}", c.plate, local_date(c.expires_at)) }</p>
            </div>
            if let Some(state) = state {
                <span class="coupon-state">{ state }</span>
            }
        </li>
    }
}
