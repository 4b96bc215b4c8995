//! 账号与安全: the signed-in phone (masked), the WeChat binding (with 解除绑定), and 注销账号,
//! after a confirmation that says what goes and what stays (`shared::account`).

use shared::account::close_account_dialog;
use shared::notice::DialogAction;
use shared::timestamp::Timestamp;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::dialog::ModalDialog;
use crate::datetime;
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
                <WechatRow />
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

/// 微信: 已绑定 (with 解除绑定) or 未绑定. Unbinding means WeChat asks for 绑定手机号 again.
#[component]
fn WechatRow() -> Html {
    let binding = use_state(|| None::<Option<Timestamp>>);
    let error = use_state(|| None::<String>);
    {
        let (binding, error) = (binding.clone(), error.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::wechat_binding().await {
                    Ok(found) => binding.set(Some(found.bound_at)),
                    Err(e) => error.set(Some(e.message())),
                }
            });
        });
    }
    let unbind = {
        let (binding, error) = (binding.clone(), error.clone());
        Callback::from(move |_| {
            let (binding, error) = (binding.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::auth::unbind_wechat().await {
                    Ok(()) => binding.set(Some(None)),
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    let status = match *binding {
        None => html! { <dd aria-busy="true">{ "加载中…" }</dd> },
        Some(None) => html! { <dd>{ "未绑定" }</dd> },
        Some(Some(at)) => html! {
            <dd>
                { format!("已绑定（{}）", datetime::local_date(at)) }
                <button type="button" class="btn-link" onclick={unbind}>{ "解除绑定" }</button>
            </dd>
        },
    };
    html! {
        <>
            <dl class="info wechat-binding">
                <dt>{ "微信" }</dt>{ status }
            </dl>
            if let Some(message) = &*error {
                <p class="error" role="alert">{ message }</p>
            }
        </>
    }
}
