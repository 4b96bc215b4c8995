//! Signing in and out, and who is signed in.

use shared::api::auth::{
    CodeRequest, CodeResponse, LoginRequest, LoginResponse, SessionResponse, WechatBinding,
};

use super::{delete, get, path, post, post_empty, ClientError};

/// `GET /api/session`: who is signed in, if anyone; with `home`, also 我的's first data
/// (`?home=1`). Each app's page preloads the very address its app asks for (index.html with
/// 我的's data, workbench.html without), so the answer is usually there before the app asks.
///
/// # Errors
/// [`ClientError`] when the worker cannot be asked.
pub async fn session(home: bool) -> Result<SessionResponse, ClientError> {
    let session = path(&["session"]);
    get(&if home {
        format!("{session}?home=1")
    } else {
        session
    })
    .await
}

/// `POST /api/auth/code`: sends a sign-in code to a phone (local runs answer with the code).
///
/// # Errors
/// [`ClientError`] when the phone is refused or asked too often.
pub async fn send_code(body: &CodeRequest) -> Result<CodeResponse, ClientError> {
    post(&path(&["auth", "code"]), body).await
}

/// `POST /api/auth/login`: signs in with the phone and its code.
///
/// # Errors
/// [`ClientError`] when the code is wrong or expired.
pub async fn login(body: &LoginRequest) -> Result<LoginResponse, ClientError> {
    post(&path(&["auth", "login"]), body).await
}

/// `POST /api/auth/logout`: ends the session.
///
/// # Errors
/// [`ClientError`] when the worker cannot be reached.
pub async fn logout() -> Result<(), ClientError> {
    post_empty(&path(&["auth", "logout"])).await
}

/// `DELETE /api/me`: 注销账号 (the session ends with it).
///
/// # Errors
/// [`ClientError`] when refused (money left in the wallet) or the worker cannot be reached.
pub async fn close_account() -> Result<(), ClientError> {
    delete(&path(&["me"])).await
}

/// `POST /api/auth/logout-all` (退出所有设备): ends every session of this account.
///
/// # Errors
/// [`ClientError`] when the worker cannot be reached or the session has already ended.
pub async fn logout_all() -> Result<(), ClientError> {
    post_empty(&path(&["auth", "logout-all"])).await
}

/// `POST /api/auth/wechat/bind`: 绑定手机号 after WeChat sign-in (phone and its code).
///
/// # Errors
/// [`ClientError`] when the code is wrong or the WeChat authorization expired.
pub async fn bind_wechat(body: &LoginRequest) -> Result<LoginResponse, ClientError> {
    post(&path(&["auth", "wechat", "bind"]), body).await
}

/// `GET /api/me/wechat`: the account's WeChat binding.
///
/// # Errors
/// [`ClientError`] when signed out or the worker cannot be reached.
pub async fn wechat_binding() -> Result<WechatBinding, ClientError> {
    get(&path(&["me", "wechat"])).await
}

/// `DELETE /api/me/wechat`: removes the WeChat binding.
///
/// # Errors
/// [`ClientError`] when signed out or the worker cannot be reached.
pub async fn unbind_wechat() -> Result<(), ClientError> {
    delete(&path(&["me", "wechat"])).await
}
