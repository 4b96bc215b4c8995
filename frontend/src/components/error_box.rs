//! How a failed call is shown: the worker's message, and the way on when there is one (登录 when
//! signed out, 去充值 when the wallet is short, 重试 for a load).

use shared::api::ErrorCode;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::ClientError;
use crate::app::Route;

/// What [`ErrorBox`] shows.
#[derive(Properties, PartialEq)]
pub struct ErrorBoxProps {
    /// The failure.
    pub error: ClientError,
    /// Asks again (a load); no 重试 button without it.
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

/// The message, announced to screen readers, with the button that helps.
#[component]
pub fn ErrorBox(props: &ErrorBoxProps) -> Html {
    let e = &props.error;
    html! {
        <div class="error" role="alert">
            <p>{ e.message() }</p>
            if e.is_unauthenticated() {
                <Link<Route> to={Route::SignIn} classes="btn btn-inline">{ "登录" }</Link<Route>>
            }
            if e.has_code(ErrorCode::InsufficientFunds) && crate::session::payments().wallet {
                <Link<Route> to={Route::Wallet} classes="btn btn-inline">{ "去钱包充值" }</Link<Route>>
            }
            if let Some(retry) = &props.on_retry {
                <button type="button" class="btn" onclick={retry.reform(|_| ())}>{ "重试" }</button>
            }
        </div>
    }
}
