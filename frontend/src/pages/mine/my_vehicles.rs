//! 我的车辆's list for a signed-in driver: the cards, the dialogs waiting for an answer (every
//! pending notice on entry, one after another; a tapped card's), and the add button.

use shared::api::vehicles::{NoticeItem, VehicleList};
use shared::notice::{
    self, card_dialog, contact_support_dialog, notice_dialog, Dialog, DialogAction,
};
use shared::plate::Plate;
use shared::vehicle::VehicleState;
use yew::prelude::*;
use yew_router::prelude::*;

use super::car_card::CarCard;
use super::tip::Tip;
use crate::api::{self, ClientError};
use crate::app::Route;
use crate::components::dialog::ModalDialog;
use crate::hooks::{use_load_from, Load};
use crate::session::{use_auth, Auth};

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

/// What [`MyVehicles`] needs.
#[derive(Properties, PartialEq)]
pub struct MyVehiclesProps {
    /// The tenant's 联系客服 number.
    pub support_phone: AttrValue,
    /// Whether the tenant certifies cars (not `open`): 去认证, the benefits tip, 我要申诉.
    pub certification: bool,
}

/// The dialog a list opens on: its first pending notice (the others follow, one after another).
fn first_notice(list: Option<&VehicleList>) -> Option<Open> {
    list?.notices.first().cloned().map(Open::Notice)
}

/// The list, its dialogs and the add button, for a signed-in driver.
#[component]
pub fn MyVehicles(props: &MyVehiclesProps) -> Html {
    let auth = use_auth();
    // The app's first request, or the page the edge rendered, usually brought the cards already:
    // shown at the first render, with every pending notice on entry, one after another.
    let home = crate::session::use_home_slot();
    let first = {
        let auth = auth.clone();
        use_memo((), move |()| match &*auth {
            Auth::SignedIn(me) => crate::session::take_home_vehicles(home.as_ref(), &me.id),
            Auth::Checking | Auth::SignedOut => None,
        })
    };
    let open = use_state(|| first_notice(first.as_ref().as_ref()));
    let action_error = use_state(|| None::<String>);
    let vehicles = {
        let open = open.clone();
        use_load_from((), (*first).clone(), move |()| {
            let (open, auth) = (open.clone(), auth.clone());
            async move {
                match api::vehicles::list().await {
                    Ok(list) => {
                        open.set(first_notice(Some(&list)));
                        Ok(list)
                    }
                    Err(e) => {
                        // The session ended (signed out elsewhere, expired): back to the sign-in
                        // prompt, which replaces this list.
                        if e.is_unauthenticated() {
                            auth.set(Auth::SignedOut);
                        }
                        Err(e)
                    }
                }
            }
        })
    };
    let reload = vehicles.reload.clone();

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
                let result: Result<(), ClientError> = match (&current, action) {
                    (Open::Notice(n), DialogAction::Ack) => api::vehicles::ack_notice(&n.id).await,
                    (Open::Notice(n), DialogAction::Appeal) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Appeal {
                                plate: n.plate.clone(),
                            });
                        }
                        return;
                    }
                    (Open::Card(plate, _), DialogAction::CancelRequest) => {
                        api::vehicles::cancel_request(plate).await
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

    let list: Option<&VehicleList> = match &*vehicles.state {
        Load::Loaded(list) => Some(list),
        Load::Loading | Load::Failed(_) => None,
    };
    // 去认证 in the benefits sheet: the first car still only added, else a new car.
    let certify_target = list
        .and_then(|list| {
            list.vehicles
                .iter()
                .find(|v| v.state == VehicleState::Added)
        })
        .map_or(Route::AddVehicle, |v| Route::Certify {
            plate: v.plate.clone(),
        });
    let dialog: Option<Dialog> = (*open).as_ref().and_then(|o| match o {
        Open::Notice(n) => Some(
            Dialog {
                reason: n.reason.clone(),
                ..notice_dialog(n.kind, &n.plate)
            }
            .without_appeal_unless(props.certification),
        ),
        Open::Card(_, state) => card_dialog(*state),
        Open::Support => Some(contact_support_dialog(&props.support_phone)),
    });

    let body = vehicles.view(|list| {
        if list.vehicles.is_empty() {
            return html! { <p class="empty">{ "还没有车辆，添加一辆吧" }</p> };
        }
        html! {
            <ul class="car-list" aria-label="我的车辆列表">
                { for list.vehicles.iter().map(|v| {
                    let open = open.clone();
                    let (plate, state) = (v.plate.clone(), v.state);
                    let on_tap = Callback::from(move |_| {
                        if card_dialog(state).is_some() {
                            open.set(Some(Open::Card(plate.clone(), state)));
                        }
                    });
                    html! { <CarCard vehicle={v.clone()} {on_tap} certification={props.certification} /> }
                }) }
            </ul>
        }
    });

    html! {
        <section class="mine">
            <h1 class="page-title">{ "我的车辆" }</h1>
            { body }
            if let Some(message) = &*action_error {
                <p class="error" role="alert">{ message }</p>
            }
            <Link<Route> to={Route::AddVehicle} classes="btn-add">{ notice::ADD_VEHICLE }</Link<Route>>
            if props.certification {
                <Tip certify={certify_target} />
            }
            if let Some(dialog) = dialog {
                <ModalDialog {dialog} on_action={on_action} on_dismiss={{ let open = open.clone(); Callback::from(move |()| open.set(None)) }} />
            }
        </section>
    }
}
