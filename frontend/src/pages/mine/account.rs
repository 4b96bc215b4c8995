//! The signed-in account at the foot of 我的, and 退出登录.

use yew::prelude::*;

use crate::api;
use crate::session::{use_auth, Auth};

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
            let _ = api::auth::logout().await;
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
