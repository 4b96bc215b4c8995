//! Inside WeChat's webview: silent sign-in through 公众号网页授权 (the worker's
//! `/api/auth/wechat/start`), tried once per tab so a failure or a sign-out never loops.

use std::cell::Cell;

use shared::api::auth::WechatSignInError;

thread_local! {
    /// Whether the worker offers WeChat sign-in (`GET /api/session`).
    static OFFERED: Cell<bool> = const { Cell::new(false) };
}

/// The sessionStorage key that marks this tab as having tried.
const TRIED: &str = "wechat-sign-in-tried";

/// Remembers whether the worker offers WeChat sign-in.
pub fn set_offered(offered: bool) {
    OFFERED.with(|o| o.set(offered));
}

/// Whether this page runs in WeChat and the worker can sign WeChat users in.
pub fn available() -> bool {
    OFFERED.with(Cell::get) && in_wechat()
}

/// Whether the user agent is WeChat's webview.
pub fn in_wechat() -> bool {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .is_some_and(|ua| ua.contains("MicroMessenger"))
}

/// Where WeChat sign-in starts, to come back to `next`.
pub fn start_url(next: &str) -> String {
    format!(
        "/api/auth/wechat/start?next={}",
        String::from(js_sys::encode_uri_component(next))
    )
}

/// Signed out in WeChat: goes through WeChat's authorize page once per tab (not from the pages
/// that WeChat sign-in itself leads to). Whether the page is leaving.
pub fn try_silent_sign_in() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    if !available() {
        return false;
    }
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    // Not from 绑定手机号 or a failed round trip, nor from 登录, which offers 微信一键登录 itself.
    if path.starts_with("/bind-phone") || path.starts_with("/login") || search.contains("wechat=") {
        return false;
    }
    let Ok(Some(storage)) = window.session_storage() else {
        return false;
    };
    if storage.get_item(TRIED).ok().flatten().is_some() {
        return false;
    }
    if storage.set_item(TRIED, "1").is_err() {
        return false;
    }
    location
        .replace(&start_url(&format!("{path}{search}")))
        .is_ok()
}

/// A query parameter of the current address.
pub fn query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name)
}

/// Why WeChat sign-in sent the browser back here, if it did (`/login?wechat=…`).
pub fn failure() -> Option<WechatSignInError> {
    WechatSignInError::from_code(&query("wechat")?)
}
