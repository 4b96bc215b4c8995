//! 我的 (SPEC §5): the driver's cars and the way to add one.

use yew::prelude::*;

/// The 我的 page: car cards (filled in by the vehicles issue), 「+添加车辆」 and the tip line.
#[component]
pub fn Mine() -> Html {
    html! {
        <section class="mine">
            <h1 class="page-title">{ "我的车辆" }</h1>
            <ul class="car-list" aria-label="我的车辆列表"></ul>
            <button type="button" class="btn-add">{ "+添加车辆" }</button>
            <p class="tip">{ "温馨提示:认证车辆可开启车辆隐私保护。" }</p>
        </section>
    }
}
