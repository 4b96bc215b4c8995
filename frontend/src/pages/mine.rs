//! 我的 (SPEC §5): the driver's cars with their badges, the dialogs waiting for an answer
//! (SPEC §4, one after another), and the way to add a car.

use shared::api::vehicles::{NoticeItem, VehicleItem, VehicleList};
use shared::notice::{
    self, card_dialog, contact_support_dialog, notice_dialog, Dialog, DialogAction,
};
use shared::plate::Plate;
use shared::vehicle::VehicleState;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::dialog::ModalDialog;
use crate::inbox::{badge_text, use_unread};
use crate::session::{use_auth, Auth};

/// What the page is loading.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Loaded(VehicleList),
    Failed(ClientError),
}

/// The dialog on screen, if any, and what it is about.
#[derive(Clone, PartialEq)]
enum Open {
    /// A notice waiting for its answer.
    Notice(NoticeItem),
    /// The dialog of a tapped card (认证中, 申诉中, 等待授权).
    Card(Plate, VehicleState),
    /// 联系客服.
    Support,
}

/// The 我的 page.
#[component]
pub fn Mine() -> Html {
    let auth = use_auth();
    match &*auth {
        Auth::Checking => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Auth::SignedOut => html! {
            <section class="mine">
                <h1 class="page-title">{ "我的车辆" }</h1>
                <p class="empty">{ "登录后管理我的车辆" }</p>
                <Link<Route> to={Route::SignIn} classes="btn-primary">{ "登录" }</Link<Route>>
                <Tip certify={Route::SignIn} />
            </section>
        },
        Auth::SignedIn(me) => html! {
            <>
                <MyVehicles support_phone={me.tenant.support_phone.clone()} />
                <Shortcuts />
                <Account phone_masked={me.phone_masked.clone()} />
            </>
        },
    }
}

/// What [`MyVehicles`] needs.
#[derive(Properties, PartialEq)]
pub struct MyVehiclesProps {
    /// The tenant's 联系客服 number.
    pub support_phone: AttrValue,
}

/// The list, its dialogs and the add button, for a signed-in driver.
#[component]
pub fn MyVehicles(props: &MyVehiclesProps) -> Html {
    let load = use_state(|| Load::Loading);
    let open = use_state(|| None::<Open>);
    let action_error = use_state(|| None::<String>);
    let auth = use_auth();
    let reload = {
        let (load, open) = (load.clone(), open.clone());
        Callback::from(move |_: ()| {
            let (load, open, auth) = (load.clone(), open.clone(), auth.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::get::<VehicleList>("/api/vehicles").await {
                    Ok(list) => {
                        // Every pending notice shows on entry, one after another.
                        open.set(list.notices.first().cloned().map(Open::Notice));
                        load.set(Load::Loaded(list));
                    }
                    // The session ended (signed out elsewhere, expired): back to the sign-in prompt.
                    Err(e) if e.is_unauthenticated() => auth.set(Auth::SignedOut),
                    Err(e) => load.set(Load::Failed(e)),
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(()));
    }

    let on_action = {
        let (open, reload, action_error) = (open.clone(), reload.clone(), action_error.clone());
        let navigator = use_navigator();
        Callback::from(move |action: DialogAction| {
            let Some(current) = (*open).clone() else {
                return;
            };
            let (open, reload, action_error, navigator) = (
                open.clone(),
                reload.clone(),
                action_error.clone(),
                navigator.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let result = match (&current, action) {
                    (Open::Notice(n), DialogAction::Ack) => {
                        api::post_empty(&format!("/api/notices/{}/ack", n.id)).await
                    }
                    (Open::Notice(n), DialogAction::Appeal) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Appeal {
                                plate: n.plate.to_string(),
                            });
                        }
                        return;
                    }
                    (Open::Card(plate, _), DialogAction::CancelRequest) => {
                        api::post_empty(&format!("/api/vehicles/{plate}/cancel-request")).await
                    }
                    (_, DialogAction::ContactSupport) => {
                        open.set(Some(Open::Support));
                        return;
                    }
                    _ => {
                        open.set(None);
                        return;
                    }
                };
                match result {
                    Ok(()) => {
                        action_error.set(None);
                        reload.emit(());
                    }
                    Err(e) => action_error.set(Some(e.message())),
                }
            });
        })
    };

    // 去认证 in the benefits sheet: the first car still only added, else a new car.
    let certify_target = match &*load {
        Load::Loaded(list) => list
            .vehicles
            .iter()
            .find(|v| v.state == VehicleState::Added)
            .map_or(Route::AddVehicle, |v| Route::Certify {
                plate: v.plate.to_string(),
            }),
        Load::Loading | Load::Failed(_) => Route::AddVehicle,
    };
    let dialog: Option<Dialog> = (*open).as_ref().and_then(|o| match o {
        Open::Notice(n) => Some(notice_dialog(n.kind, &n.plate)),
        Open::Card(_, state) => card_dialog(*state),
        Open::Support => Some(contact_support_dialog(&props.support_phone)),
    });

    let body = match &*load {
        Load::Loading => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Load::Failed(e) => html! {
            <div class="error" role="alert">
                <p>{ e.message() }</p>
                <button type="button" class="btn" onclick={reload.reform(|_| ())}>{ "重试" }</button>
            </div>
        },
        Load::Loaded(list) if list.vehicles.is_empty() => {
            html! { <p class="empty">{ "还没有车辆,添加一辆吧" }</p> }
        }
        Load::Loaded(list) => html! {
            <ul class="car-list" aria-label="我的车辆列表">
                { for list.vehicles.iter().map(|v| {
                    let open = open.clone();
                    let (plate, state) = (v.plate.clone(), v.state);
                    let on_tap = Callback::from(move |_| {
                        if card_dialog(state).is_some() {
                            open.set(Some(Open::Card(plate.clone(), state)));
                        }
                    });
                    html! { <CarCard vehicle={v.clone()} {on_tap} /> }
                }) }
            </ul>
        },
    };

    html! {
        <section class="mine">
            <h1 class="page-title">{ "我的车辆" }</h1>
            { body }
            if let Some(message) = &*action_error {
                <p class="error" role="alert">{ message }</p>
            }
            <Link<Route> to={Route::AddVehicle} classes="btn-add">{ notice::ADD_VEHICLE }</Link<Route>>
            <Tip certify={certify_target} />
            if let Some(dialog) = dialog {
                <ModalDialog {dialog} on_action={on_action} on_dismiss={{ let open = open.clone(); Callback::from(move |()| open.set(None)) }} />
            }
        </section>
    }
}

/// What [`CarCard`] shows.
#[derive(Properties, PartialEq)]
pub struct CarCardProps {
    /// The car as 我的车辆 lists it.
    pub vehicle: VehicleItem,
    /// Tapping the card (opens its dialog when it has one).
    pub on_tap: Callback<()>,
}

/// One car: plate, 小汽车 | 能源车, badge, 默认, and the owner's or uncertified car's links.
#[component]
pub fn CarCard(props: &CarCardProps) -> Html {
    let v = &props.vehicle;
    let onclick = props.on_tap.reform(|_| ());
    let certified = v.state == VehicleState::Certified;
    let plate = v.plate.to_string();
    html! {
        <li class="car-card">
            <button type="button" class="car-main" {onclick} aria-label={format!("车辆{}", v.plate)}>
                <span class="plate">{ v.plate.to_string() }</span>
                <span class="car-type">{ v.vehicle_type.label() }</span>
                if let Some(badge) = v.state.badge() {
                    <span class={classes!("badge", format!("badge-{}", state_class(v.state)))}>{ badge }</span>
                }
                if v.is_default {
                    <span class="badge badge-default">{ "默认" }</span>
                }
            </button>
            if let Some(reason) = &v.rejection_reason {
                <p class="rejection">{ format!("认证未通过:{reason}") }</p>
            }
            <div class="car-actions">
                if certified {
                    <Link<Route> to={Route::Privacy { plate: plate.clone() }} classes="car-link">{ "隐私设置" }</Link<Route>>
                    <Link<Route> to={Route::Autopay { plate: plate.clone() }} classes="car-link">{ "无感支付" }</Link<Route>>
                    <Link<Route> to={Route::Settings { plate: plate.clone() }} classes="car-link">{ "设置" }</Link<Route>>
                } else if v.state == VehicleState::Added {
                    <Link<Route> to={Route::Settings { plate: plate.clone() }} classes="car-link">{ notice::MAINTAIN_VEHICLE }</Link<Route>>
                    <Link<Route> to={Route::Certify { plate: plate.clone() }} classes="car-link car-link-primary">{ notice::GO_CERTIFY }</Link<Route>>
                } else {
                    <Link<Route> to={Route::Settings { plate: plate.clone() }} classes="car-link">{ "设置" }</Link<Route>>
                }
            </div>
        </li>
    }
}

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

/// 消息 (with the unread count), 停车/充电记录, 我的卡券, 钱包: the account's other pages.
#[component]
pub fn Shortcuts() -> Html {
    let unread = use_unread();
    let badge = (*unread).and_then(badge_text);
    let entries = [
        (Route::Orders, "停车/充电记录"),
        (Route::Coupons, "我的卡券"),
        (Route::Wallet, "钱包"),
    ];
    html! {
        <nav class="shortcuts" aria-label="我的服务">
            <Link<Route> to={Route::Messages} classes="shortcut">
                <span>{ "消息" }</span>
                if let Some(count) = badge {
                    <span class="count-badge">{ count }<span class="sr-only">{ "条未读" }</span></span>
                }
            </Link<Route>>
            { for entries.into_iter().map(|(route, label)| html! {
                <Link<Route> to={route} classes="shortcut"><span>{ label }</span></Link<Route>>
            }) }
        </nav>
    }
}

/// What [`Account`] shows.
#[derive(Properties, PartialEq)]
pub struct AccountProps {
    /// The signed-in phone, masked.
    pub phone_masked: AttrValue,
}

/// The signed-in account and 退出登录.
#[component]
pub fn Account(props: &AccountProps) -> Html {
    let auth = use_auth();
    let sign_out = Callback::from(move |_| {
        let auth = auth.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // Signed out locally even if the network fails: the cookie expires on its own.
            let _ = api::post_empty("/api/auth/logout").await;
            auth.set(Auth::SignedOut);
        });
    });
    html! {
        <p class="account">
            <span>{ format!("当前账号:{}", props.phone_masked) }</span>
            <button type="button" class="btn-link" onclick={sign_out}>{ "退出登录" }</button>
        </p>
    }
}

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

/// What [`Benefits`] needs.
#[derive(Properties, PartialEq)]
pub struct BenefitsProps {
    /// Closes the sheet.
    pub on_close: Callback<()>,
    /// Where 去认证 leads: the first car waiting for certification, or 添加车辆.
    pub certify: Route,
}

/// 认证车辆的好处: the sheet of SPEC §5.
#[component]
pub fn Benefits(props: &BenefitsProps) -> Html {
    let close = props.on_close.reform(|_| ());
    html! {
        <div class="dialog-mask" onclick={close.clone()}>
            <div class="sheet" role="dialog" aria-modal="true" aria-labelledby="benefits-title"
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2 id="benefits-title" class="dialog-title">{ notice::BENEFITS_TITLE }</h2>
                <ol class="benefits">{ for notice::BENEFITS.iter().map(|line| html! { <li>{ *line }</li> }) }</ol>
                <Link<Route> to={props.certify.clone()} classes="btn-primary">{ notice::GO_CERTIFY }</Link<Route>>
                <button type="button" class="btn" onclick={close}>{ "关闭" }</button>
            </div>
        </div>
    }
}
