//! 登录: phone + SMS code. In local runs the worker returns the code and it is filled in.

use shared::api::auth::{CodeRequest, LoginRequest};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::input::typed_into;
use crate::session::{use_auth, Auth};

/// The sign-in form; on success the user lands on 我的.
#[component]
pub fn SignIn() -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    let phone = use_state(String::new);
    let code = use_state(String::new);
    let error = use_state(|| None::<String>);
    let sent = use_state(|| false);
    let busy = use_state(|| false);

    let on_phone = typed_into(&phone);
    let on_code = typed_into(&code);
    let send_code = {
        let (phone, code, error, sent) = (phone.clone(), code.clone(), error.clone(), sent.clone());
        Callback::from(move |_| {
            let (phone, code, error, sent) =
                (phone.clone(), code.clone(), error.clone(), sent.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let body = CodeRequest {
                    phone: (*phone).clone(),
                };
                match api::auth::send_code(&body).await {
                    Ok(reply) => {
                        error.set(None);
                        sent.set(true);
                        if let Some(dev_code) = reply.dev_code {
                            code.set(dev_code);
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    let on_submit = {
        let (phone, code, error, busy) = (phone.clone(), code.clone(), error.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (phone, code, error, busy, auth, navigator) = (
                phone.clone(),
                code.clone(),
                error.clone(),
                busy.clone(),
                auth.clone(),
                navigator.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let body = LoginRequest {
                    phone: (*phone).clone(),
                    code: (*code).clone(),
                };
                match api::auth::login(&body).await {
                    Ok(reply) => {
                        auth.set(Auth::SignedIn(reply.user));
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Mine);
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
            });
        })
    };

    html! {
        <section class="sign-in">
            <h1 class="page-title">{ "登录" }</h1>
            <form class="form" onsubmit={on_submit}>
                <label class="field">
                    <span>{ "手机号" }</span>
                    <input type="tel" inputmode="numeric" autocomplete="tel" maxlength="13"
                        placeholder="请输入手机号" value={(*phone).clone()} oninput={on_phone} />
                </label>
                <label class="field">
                    <span>{ "验证码" }</span>
                    <input type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6"
                        placeholder="请输入验证码" value={(*code).clone()} oninput={on_code} />
                    <button type="button" class="btn-link" onclick={send_code}>
                        { if *sent { "重新获取" } else { "获取验证码" } }
                    </button>
                </label>
                if let Some(message) = &*error {
                    <p class="error" role="alert">{ message }</p>
                }
                <button type="submit" class="btn-primary" disabled={*busy}>{ "登录" }</button>
            </form>
        </section>
    }
}
