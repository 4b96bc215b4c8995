//! Pages of one account (消息, 记录, 卡券, 钱包): shown once the app knows who is signed in, so
//! nobody signed out sends a request that can only be refused.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::session::{use_auth, Auth};

/// What [`SignedIn`] guards.
#[derive(Properties, PartialEq)]
pub struct SignedInProps {
    /// The page's content, mounted only when signed in.
    pub children: Html,
}

/// The children when signed in; 加载中 while asking; a way to sign in otherwise.
#[component]
pub fn SignedIn(props: &SignedInProps) -> Html {
    match &*use_auth() {
        Auth::Checking => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Auth::SignedOut => html! {
            <>
                <p class="empty">{ "登录后查看" }</p>
                <Link<Route> to={Route::SignIn} classes="btn-primary">{ "登录" }</Link<Route>>
            </>
        },
        Auth::SignedIn(_) => props.children.clone(),
    }
}
