//! The signed-in account at the foot of 我的: 退出登录, and 退出所有设备 after a confirmation.

use shared::notice::{logout_all_dialog, DialogAction};
use yew::prelude::*;

use crate::api;
use crate::components::dialog::ModalDialog;
use crate::session::{use_auth, Auth};

/// What [`Account`] shows.
#[derive(Properties, PartialEq)]
pub struct AccountProps {
    /// The signed-in phone, masked.
    pub phone_masked: AttrValue,
}

/// The signed-in account, 退出登录 and 退出所有设备.
#[component]
pub fn Account(props: &AccountProps) -> Html {
    let auth = use_auth();
    let confirm = use_state(|| false);
    let error = use_state(|| None::<String>);
    let sign_out = {
        let auth = auth.clone();
        Callback::from(move |_| {
            let auth = auth.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // Signed out locally even if the network fails: the cookie expires on its own.
                let _ = api::auth::logout().await;
                auth.set(Auth::SignedOut);
            });
        })
    };
    let on_confirm = {
        let (confirm, error) = (confirm.clone(), error.clone());
        Callback::from(move |action: DialogAction| {
            confirm.set(false);
            if action != DialogAction::Ack {
                return;
            }
            let (auth, error) = (auth.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                // Unlike 退出登录, a failure is told: the other devices are still signed in.
                match api::auth::logout_all().await {
                    Ok(()) => auth.set(Auth::SignedOut),
                    Err(e) if e.is_unauthenticated() => auth.set(Auth::SignedOut),
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    let set_confirm = |open: bool| {
        let confirm = confirm.clone();
        move || confirm.set(open)
    };
    let (ask, dismiss) = (set_confirm(true), set_confirm(false));
    html! {
        <>
            <p class="account">
                <span>{ format!("当前账号：{}", props.phone_masked) }</span>
                <span class="account-actions">
                    <button type="button" class="btn-link" onclick={sign_out}>{ "退出登录" }</button>
                    <button type="button" class="btn-link" onclick={move |_| ask()}>{ "退出所有设备" }</button>
                </span>
            </p>
            if let Some(message) = &*error {
                <p class="error" role="alert">{ message }</p>
            }
            if *confirm {
                <ModalDialog dialog={logout_all_dialog()} on_action={on_confirm} on_dismiss={move |()| dismiss()} />
            }
        </>
    }
}
