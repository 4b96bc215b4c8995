//! 发放优惠券 in 工作台's plate search: a vehicle coupon for that plate (SPEC §8).

use shared::api::IssueCouponRequest;
use shared::coupon::VehicleCoupon;
use shared::plate::Plate;
use shared::timestamp::Timestamp;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::datetime::now;
use crate::input::typed_into;
use crate::money::{parse_yuan, yuan};

/// What [`IssueCoupon`] issues to.
#[derive(Properties, PartialEq)]
pub struct IssueCouponProps {
    /// The plate searched.
    pub plate: Plate,
}

/// How long an issued coupon stays usable.
const COUPON_DAYS: i64 = 30;

/// 发放优惠券: a title and a value in yuan; the coupon is usable for 30 days.
#[component]
pub fn IssueCoupon(props: &IssueCouponProps) -> Html {
    let title = use_state(|| "停车2小时免费券".to_owned());
    let amount = use_state(|| "10".to_owned());
    let outcome = use_state(|| None::<Result<VehicleCoupon, ClientError>>);
    let value_fen = parse_yuan(&amount).filter(|fen| *fen > 0);
    let issue = {
        let (title, outcome, plate) = (title.clone(), outcome.clone(), props.plate.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(value_fen) = value_fen else { return };
            let body = IssueCouponRequest {
                plate: plate.to_string(),
                title: title.trim().to_owned(),
                value_fen,
                expires_at: Timestamp::from_unix_millis(
                    now().unix_millis() + COUPON_DAYS * 24 * 3600 * 1000,
                ),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(Some(api::ops::issue_coupon(&body).await));
            });
        })
    };
    let on_title = typed_into(&title);
    let on_amount = typed_into(&amount);
    html! {
        <form class="issue-coupon" onsubmit={issue} aria-label="发放优惠券">
            <h2 class="section-title">{ "发放优惠券" }</h2>
            <input type="text" aria-label="优惠券名称" value={(*title).clone()} oninput={on_title} />
            <input type="text" inputmode="decimal" aria-label="面额（元）" value={(*amount).clone()} oninput={on_amount} />
            <button type="submit" class="btn" disabled={value_fen.is_none() || title.trim().is_empty()}>
                { format!("发放（有效期{COUPON_DAYS}天）") }
            </button>
            { match &*outcome {
                None => html! {},
                Some(Ok(c)) => html! {
                    <p class="success" role="status">{ format!("已发放「{}」{}", c.title, yuan(c.value_fen)) }</p>
                },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.message() }</p> },
            } }
        </form>
    }
}
