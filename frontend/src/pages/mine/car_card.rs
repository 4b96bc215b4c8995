//! One car on 我的: plate (in its plate colour) and nickname, 小汽车 | 能源车, its badge, 默认, its
//! details' line, and the links its state allows.

use shared::api::vehicles::VehicleItem;
use shared::notice;
use shared::vehicle::VehicleState;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

/// What [`CarCard`] shows.
#[derive(Properties, PartialEq)]
pub struct CarCardProps {
    /// The car as 我的车辆 lists it.
    pub vehicle: VehicleItem,
    /// Tapping the card (opens its dialog when it has one).
    pub on_tap: Callback<()>,
    /// Whether the tenant certifies cars (else no 去认证).
    pub certification: bool,
}

/// One car: plate, 小汽车 | 能源车, badge, 默认, and the owner's or uncertified car's links.
#[component]
pub fn CarCard(props: &CarCardProps) -> Html {
    let v = &props.vehicle;
    let onclick = props.on_tap.reform(|_| ());
    let certified = v.state == VehicleState::Certified;
    let plate = &v.plate;
    html! {
        <li class="car-card">
            <button type="button" class="car-main" {onclick} aria-label={format!("车辆{}", v.plate)}>
                <span class={classes!("plate", format!("plate-{}", v.plate_color.code().to_ascii_lowercase()))}>{ v.plate.to_string() }</span>
                if let Some(nickname) = &v.details.nickname {
                    <span class="nickname">{ nickname }</span>
                }
                <span class="car-type">{ v.vehicle_type.label() }</span>
                if let Some(badge) = v.state.badge() {
                    <span class={classes!("badge", format!("badge-{}", state_class(v.state)))}>{ badge }</span>
                }
                if v.is_default {
                    <span class="badge badge-default">{ "默认" }</span>
                }
            </button>
            if let Some(line) = v.details.summary() {
                <p class="car-details">{ line }</p>
            }
            if let Some(reason) = &v.rejection_reason {
                <p class="rejection">{ notice::rejection_line(reason) }</p>
            }
            if v.pending_requests > 0 {
                <Link<Route> to={Route::Settings { plate: plate.clone() }} classes="car-requests">
                    { format!("授权申请 {}", v.pending_requests) }
                </Link<Route>>
            }
            <div class="car-actions">
                if certified {
                    <Link<Route> to={Route::Privacy { plate: plate.clone() }} classes="car-link">{ "隐私设置" }</Link<Route>>
                    <Link<Route> to={Route::Autopay { plate: plate.clone() }} classes="car-link">{ "无感支付" }</Link<Route>>
                    <Link<Route> to={Route::Settings { plate: plate.clone() }} classes="car-link">{ "设置" }</Link<Route>>
                } else if v.state == VehicleState::Added {
                    <Link<Route> to={Route::Settings { plate: plate.clone() }} classes="car-link">{ notice::MAINTAIN_VEHICLE }</Link<Route>>
                    if props.certification {
                        <Link<Route> to={Route::Certify { plate: plate.clone() }} classes="car-link car-link-primary">{ notice::GO_CERTIFY }</Link<Route>>
                    }
                } else {
                    <Link<Route> to={Route::Settings { plate: plate.clone() }} classes="car-link">{ "设置" }</Link<Route>>
                }
            </div>
        </li>
    }
}

/// The badge's CSS modifier for a state.
fn state_class(state: VehicleState) -> &'static str {
    match state {
        VehicleState::Added => "added",
        VehicleState::Certifying => "certifying",
        VehicleState::Certified => "certified",
        VehicleState::AwaitingAuthorization => "awaiting",
        VehicleState::Authorized => "authorized",
        VehicleState::Appealing => "appealing",
    }
}
