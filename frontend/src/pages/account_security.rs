//! 账号与安全: the signed-in phone (masked) and 注销账号, after a confirmation that says what
//! goes and what stays (`shared::account`).

use shared::account::close_account_dialog;
use shared::notice::DialogAction;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::dialog::ModalDialog;
use crate::session::{use_auth, Auth};

/// The 账号与安全 page.
#[component]
pub fn AccountSecurity() -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    let confirm = use_state(|| false);
    let error = use_state(|| None::<String>);
    let on_action = {
        let (auth, confirm, error) = (auth.clone(), confirm.clone(), error.clone());
        Callback::from(move |action: DialogAction| {
            confirm.set(false);
            if action != DialogAction::Ack {
                return;
            }
            let (auth, error, navigator) = (auth.clone(), error.clone(), navigator.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::close_account().await {
                    Ok(()) => {
                        auth.set(Auth::SignedOut);
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Mine);
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    let body = match &*auth {
        Auth::Checking => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Auth::SignedOut => html! {
            <>
                <p class="empty">{ "登录后管理账号" }</p>
                <Link<Route> to={Route::SignIn} classes="btn-primary">{ "登录" }</Link<Route>>
            </>
        },
        Auth::SignedIn(me) => html! {
            <>
                <dl class="info">
                    <dt>{ "手机号" }</dt><dd>{ me.phone_masked.clone() }</dd>
                </dl>
                <p class="hint">{ "注销账号后，车辆、消息和照片将被删除；停车/充电订单以匿名编号保留。钱包余额须为零才能注销。" }</p>
                <button type="button" class="btn btn-remove"
                    onclick={{ let confirm = confirm.clone(); Callback::from(move |_| confirm.set(true)) }}>
                    { "注销账号" }
                </button>
            </>
        },
    };
    html! {
        <section class="account-security">
            <h1 class="page-title">{ "账号与安全" }</h1>
            { body }
            if let Some(message) = &*error {
                <p class="error" role="alert">{ message }</p>
            }
            if *confirm {
                <ModalDialog dialog={close_account_dialog()} on_action={on_action}
                    on_dismiss={{ let confirm = confirm.clone(); Callback::from(move |()| confirm.set(false)) }} />
            }
        </section>
    }
}
