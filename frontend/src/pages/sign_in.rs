//! 登录 and 绑定手机号: phone + SMS code. In local runs without an SMS provider the worker
//! returns the code and it is filled in.
//!
//! 绑定手机号 is the one-time step after WeChat sign-in with an openid nobody has bound yet: the
//! same form, sent to `/api/auth/wechat/bind`, and then on to where WeChat sign-in began.

use shared::api::auth::{return_path, CodeRequest, LoginRequest};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::input::typed_into;
use crate::session::{use_auth, Auth};
use crate::wechat;

/// What the form signs in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// 登录 with phone + code.
    SignIn,
    /// 绑定手机号 after WeChat sign-in.
    BindWechat,
}

/// Props of [`SignIn`].
#[derive(Properties, PartialEq)]
pub struct SignInProps {
    /// 登录 or 绑定手机号.
    #[prop_or(Purpose::SignIn)]
    pub purpose: Purpose,
}

/// The sign-in form; on success the user lands on 我的 (or, after 绑定手机号, where WeChat
/// sign-in began).
#[component]
pub fn SignIn(props: &SignInProps) -> Html {
    let purpose = props.purpose;
    let auth = use_auth();
    let navigator = use_navigator();
    let phone = use_state(String::new);
    let code = use_state(String::new);
    let error = use_state(|| {
        (purpose == Purpose::SignIn)
            .then(wechat::failure)
            .flatten()
            .map(|reason| reason.message().to_owned())
    });
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
                let reply = match purpose {
                    Purpose::SignIn => api::auth::login(&body).await,
                    Purpose::BindWechat => api::auth::bind_wechat(&body).await,
                };
                match reply {
                    Ok(reply) => {
                        auth.set(Auth::SignedIn(reply.user));
                        match (purpose, navigator) {
                            (Purpose::BindWechat, _) => {
                                go_to(&return_path(wechat::query("next").as_deref()))
                            }
                            (Purpose::SignIn, Some(navigator)) => navigator.push(&Route::Mine),
                            (Purpose::SignIn, None) => {}
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
                busy.set(false);
            });
        })
    };

    let (title, submit) = match purpose {
        Purpose::SignIn => ("登录", "登录"),
        Purpose::BindWechat => ("绑定手机号", "绑定并登录"),
    };
    html! {
        <section class="sign-in">
            <h1 class="page-title">{ title }</h1>
            if purpose == Purpose::BindWechat {
                <p class="hint">{ "首次使用微信登录，请绑定手机号。绑定后，微信与该手机号为同一账号。" }</p>
            }
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
                <button type="submit" class="btn-primary" disabled={*busy}>{ submit }</button>
            </form>
            if purpose == Purpose::SignIn && wechat::available() {
                <a class="btn btn-wechat" href={wechat::start_url("/")}>{ "微信一键登录" }</a>
            }
        </section>
    }
}

/// Leaves for `path` with a full load (the page WeChat sign-in began on, signed in now).
fn go_to(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(path);
    }
}
