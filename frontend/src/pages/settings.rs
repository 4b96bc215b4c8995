//! 设置 of one car: its information and 车辆信息 (维护车辆信息), 设为默认, the owner's authorization requests (approve /
//! deny) and authorized users (revoke), and 移除车辆 after a confirmation.

use shared::api::vehicles::{AuthorizationItem, AuthorizationList, VehicleItem};
use shared::ids::UserId;
use shared::notice::{remove_vehicle_dialog, DialogAction};
use shared::plate::Plate;
use shared::vehicle::VehicleState;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::vehicles::Decision;
use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::dialog::ModalDialog;
use crate::hooks::{find_vehicle, use_load, Load};
use crate::pages::vehicle_details::VehicleInfo;
use crate::session::use_policy;

/// What [`Settings`] configures.
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The plate in the address.
    pub plate: Plate,
}

/// The car's card, and for its owner the authorizations.
#[derive(Clone, PartialEq)]
struct Car {
    card: VehicleItem,
    authorizations: Option<AuthorizationList>,
}

/// Loads the card (and, for the owner, the authorizations); `None` when it is not the user's.
async fn load(plate: Plate) -> Result<Option<Car>, ClientError> {
    let Some(card) = find_vehicle(&plate).await? else {
        return Ok(None);
    };
    let authorizations = if card.state == VehicleState::Certified {
        Some(api::vehicles::authorizations(&plate).await?)
    } else {
        None
    };
    Ok(Some(Car {
        card,
        authorizations,
    }))
}

/// The settings page.
#[component]
pub fn Settings(props: &SettingsProps) -> Html {
    let navigator = use_navigator();
    let policy = use_policy();
    let car = use_load(props.plate.clone(), load);
    let reload = car.reload.clone();
    let confirm = use_state(|| false);
    let error = use_state(|| None::<String>);
    let plate = props.plate.clone();
    // Runs a mutation, then reloads (or shows why it failed).
    let act = {
        let (reload, error) = (reload.clone(), error.clone());
        move |call: std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<(), ClientError>>>,
        >| {
            let (reload, error) = (reload.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call.await {
                    Ok(()) => {
                        error.set(None);
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        }
    };
    let set_default = {
        let (act, plate) = (act.clone(), plate.clone());
        Callback::from(move |_| {
            let plate = plate.clone();
            act(Box::pin(
                async move { api::vehicles::set_default(&plate).await },
            ));
        })
    };
    let decide = {
        let (act, plate) = (act.clone(), plate.clone());
        move |user: UserId, decision: Decision| {
            let (act, plate) = (act.clone(), plate.clone());
            Callback::from(move |_| {
                let (plate, user) = (plate.clone(), user.clone());
                act(Box::pin(async move {
                    api::vehicles::decide(&plate, &user, decision).await
                }));
            })
        }
    };
    let on_confirm = {
        let (confirm, error, plate) = (confirm.clone(), error.clone(), plate.clone());
        Callback::from(move |action: DialogAction| {
            confirm.set(false);
            if action != DialogAction::Ack {
                return;
            }
            let (error, plate, navigator) = (error.clone(), plate.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::vehicles::remove(&plate).await {
                    Ok(()) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Mine);
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };

    let person = |item: &AuthorizationItem, buttons: Html| {
        html! {
            <li class="person">
                <span>{ &item.phone_masked }</span>
                <span class="since">{ item.since.to_string().get(..10).unwrap_or_default().to_owned() }</span>
                { buttons }
            </li>
        }
    };
    let body = match &*car.state {
        Load::Loading => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Load::Loaded(None) => html! { <p class="empty">{ "我的车辆中没有该车辆" }</p> },
        Load::Failed(e) => html! {
            <div class="error" role="alert"><p>{ e.message() }</p>
                <button type="button" class="btn" onclick={reload.reform(|_| ())}>{ "重试" }</button></div>
        },
        Load::Loaded(Some(Car {
            card,
            authorizations,
        })) => html! {
            <>
                <dl class="info">
                    <dt>{ "车牌" }</dt><dd>{ card.plate.to_string() }</dd>
                    <dt>{ "类型" }</dt><dd>{ card.vehicle_type.label() }</dd>
                    <dt>{ "状态" }</dt><dd>{ card.state.badge().unwrap_or("未认证") }</dd>
                </dl>
                <VehicleInfo card={card.clone()} on_saved={reload.reform(|()| ())} />
                if card.is_default {
                    <p class="hint">{ "默认车辆" }</p>
                } else {
                    <button type="button" class="btn" onclick={set_default}>{ "设为默认车辆" }</button>
                }
                if card.state == VehicleState::AwaitingAuthorization && policy.allows_certification() {
                    <p class="hint">{ "该车辆已被其他账号认证。如果您是车主，可以提交申诉。" }</p>
                    <Link<Route> to={Route::Appeal { plate: plate.clone() }} classes="btn">{ "我是车主，我要申诉" }</Link<Route>>
                }
                if let Some(list) = authorizations {
                    <h2 class="section-title">{ "授权申请" }</h2>
                    if list.requests.is_empty() { <p class="empty">{ "暂无申请" }</p> }
                    <ul class="people" aria-label="授权申请">
                        { for list.requests.iter().map(|r| person(r, html! { <>
                            <button type="button" class="btn-link" onclick={decide(r.user_id.clone(), Decision::Approve)}>{ "同意" }</button>
                            <button type="button" class="btn-link btn-danger" onclick={decide(r.user_id.clone(), Decision::Deny)}>{ "拒绝" }</button>
                        </> })) }
                    </ul>
                    <h2 class="section-title">{ "已授权" }</h2>
                    if list.authorized.is_empty() { <p class="empty">{ "暂无授权用户" }</p> }
                    <ul class="people" aria-label="已授权">
                        { for list.authorized.iter().map(|r| person(r, html! {
                            <button type="button" class="btn-link btn-danger" onclick={decide(r.user_id.clone(), Decision::Revoke)}>{ "取消授权" }</button>
                        })) }
                    </ul>
                }
                <button type="button" class="btn btn-remove" onclick={{ let confirm = confirm.clone(); Callback::from(move |_| confirm.set(true)) }}>
                    { "移除车辆" }
                </button>
            </>
        },
    };
    html! {
        <section class="settings">
            <h1 class="page-title">{ "设置" }</h1>
            { body }
            if let Some(message) = &*error {
                <p class="error" role="alert">{ message }</p>
            }
            if *confirm {
                <ModalDialog dialog={remove_vehicle_dialog(&plate)} on_action={on_confirm}
                    on_dismiss={{ let confirm = confirm.clone(); Callback::from(move |()| confirm.set(false)) }} />
            }
        </section>
    }
}
