//! 无感支付 (SPEC §8, owner only): on at exit, an unpaid fee is deducted automatically from the
//! sources in the owner's order (vehicle coupons first by default).

mod editor;
mod form;
mod wechat_parking;

use shared::plate::Plate;
use yew::prelude::*;

use crate::components::signed_in::SignedIn;
use form::AutopayForm;

/// What [`Autopay`] sets.
#[derive(Properties, PartialEq)]
pub struct AutopayProps {
    /// The plate in the address.
    pub plate: Plate,
}

/// The 无感支付 page of one car.
#[component]
pub fn Autopay(props: &AutopayProps) -> Html {
    html! {
        <section class="autopay">
            <h1 class="page-title">{ "无感支付" }</h1>
            <p class="plate-line">{ format!("车牌：{}", props.plate) }</p>
            <SignedIn>
                <AutopayForm plate={props.plate.clone()} />
                <wechat_parking::WechatParking plate={props.plate.clone()} />
            </SignedIn>
        </section>
    }
}
