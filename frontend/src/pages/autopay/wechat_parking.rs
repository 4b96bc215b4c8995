//! 微信支付分停车 on 无感支付: whether WeChat can deduct this car's fees, and 开通 (WeChat's own
//! mini-program page, opened from the 公众号 page), looked up again when the driver comes back.

use shared::api::vehicles::{WechatParkingState, WechatParkingStatus};
use shared::plate::Plate;
use yew::prelude::*;

use crate::api;
use crate::components::error_box::ErrorBox;
use crate::wechat_pay;

/// What [`WechatParking`] shows.
#[derive(Properties, PartialEq)]
pub struct WechatParkingProps {
    /// The car.
    pub plate: Plate,
}

/// The service's state, and 开通 when it is not on; nothing where WeChat Pay is not offered.
#[component]
pub fn WechatParking(props: &WechatParkingProps) -> Html {
    let offered = crate::session::payments().wechat;
    let status = use_state(|| None::<Result<WechatParkingStatus, api::ClientError>>);
    let reload = {
        let (status, plate) = (status.clone(), props.plate.clone());
        Callback::from(move |()| {
            let (status, plate) = (status.clone(), plate.clone());
            wasm_bindgen_futures::spawn_local(async move {
                status.set(Some(api::vehicles::wechat_parking(&plate).await));
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(props.plate.clone(), move |_| {
            if offered {
                reload.emit(());
            }
        });
    }
    if !offered {
        return Html::default();
    }
    let body = match &*status {
        None => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Some(Err(e)) => html! { <ErrorBox error={e.clone()} on_retry={reload.clone()} /> },
        Some(Ok(s)) => {
            let enable = s.enable.clone().map(|link| {
                let reload = reload.clone();
                Callback::from(move |_| {
                    let (link, reload) = (link.clone(), reload.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        wechat_pay::launch_mini_program(&link.app_id, &link.path).await;
                        reload.emit(()); // back from WeChat's page: ask again
                    });
                })
            });
            html! {
                <>
                    <p class="wechat-parking-state">
                        { format!("微信支付分停车：{}", s.state.label()) }
                    </p>
                    if s.state == WechatParkingState::Normal {
                        <p class="hint">{ "出场时，优惠券不足的部分由微信支付分停车自动扣费。" }</p>
                    }
                    if let Some(onclick) = enable {
                        <button type="button" class="btn-wechat-pay" {onclick}>
                            { "开通微信支付分停车" }
                        </button>
                    }
                </>
            }
        }
    };
    html! {
        <section class="wechat-parking" aria-label="微信支付分停车">
            <h2 class="section-title">{ "微信支付分停车" }</h2>
            { body }
        </section>
    }
}
