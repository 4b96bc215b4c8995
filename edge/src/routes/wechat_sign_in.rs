//! WeChat sign-in (公众号网页授权, `snsapi_base`) and the account's binding (API.md "WeChat").
//!
//! `start` sends the browser to WeChat with a `state` sealed in a cookie; WeChat sends it back
//! to `callback` with a code, exchanged here for the openid. A bound openid signs in at once;
//! an unknown one goes to 绑定手机号 (`/bind-phone`), where `bind` proves the phone with an SMS
//! code and joins the two. Every failure lands on `/login?wechat=<reason>` with the reason shown,
//! never a broken page.

use shared::api::auth::{
    return_path, LoginRequest, LoginResponse, WechatBinding, WechatSignInError,
};
use shared::api::ErrorCode;
use shared::ids::UserId;
use shared::providers::wechat::authorize_url;
use shared::timestamp::Timestamp;
use worker::{Request, Response};

use super::session::{account_of, check_code, me_of, open_session, read_phone};
use crate::auth;
use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::http::{cookie, json, no_content, read_json, Ctx};
use crate::settings::WechatSettings;
use crate::store;
use crate::wechat::api;
use crate::wechat::cookies::{self, BIND_COOKIE, STATE_COOKIE, TTL_MS};

/// `GET /api/auth/wechat/start?next=/path`: off to WeChat's authorize page.
pub async fn start(ctx: &Ctx, req: &Request) -> AppResult {
    let url = req.url()?;
    let next = return_path(query(&url, "next").as_deref());
    let Some(settings) = WechatSettings::from_env(&ctx.env) else {
        worker::console_log!(
            "WeChat sign-in is off: WECHAT_APP_ID and WECHAT_APP_SECRET are not set"
        );
        return failed(WechatSignInError::Off);
    };
    let nonce = crypto::random_hex(16)?;
    let sealed = cookies::seal(ctx, "state", &[&nonce, &next])?;
    let callback = format!(
        "{}/api/auth/wechat/callback",
        url.origin().ascii_serialization()
    );
    let to = authorize_url(&settings.oauth_url, &settings.app_id, &callback, &nonce);
    redirect(&to, &[cookies::set(STATE_COOKIE, &sealed)])
}

/// `GET /api/auth/wechat/callback?code&state`: WeChat's answer.
pub async fn callback(ctx: &Ctx, req: &Request) -> AppResult {
    let Some(settings) = WechatSettings::from_env(&ctx.env) else {
        return failed(WechatSignInError::Off);
    };
    let url = req.url()?;
    let sealed = cookie(req, STATE_COOKIE);
    let opened = match &sealed {
        Some(value) => cookies::open(ctx, "state", value, 2)?,
        None => None,
    };
    let state = query(&url, "state");
    let Some([nonce, next]) = opened.and_then(|parts| <[String; 2]>::try_from(parts).ok()) else {
        worker::console_log!("WeChat callback refused: no valid state cookie in this browser");
        return failed(WechatSignInError::State);
    };
    if state.as_deref() != Some(nonce.as_str()) {
        worker::console_log!("WeChat callback refused: state is not this browser's");
        return failed(WechatSignInError::State);
    }
    let db = ctx.db()?;
    if !store::wechat::use_state(&db, &nonce, ctx.now.unix_millis() + TTL_MS).await? {
        worker::console_log!("WeChat callback refused: state {nonce} came back before (replay)");
        return failed(WechatSignInError::State);
    }
    let Some(code) = query(&url, "code") else {
        return failed(WechatSignInError::Failed);
    };
    let token = match api::exchange_code(&settings, &code).await {
        Ok(token) => token,
        Err(failure) => {
            worker::console_error!("WeChat code exchange failed: {failure}");
            return failed(WechatSignInError::Failed);
        }
    };
    if token.is_snapshotuser == Some(1) {
        return failed(WechatSignInError::Snapshot);
    }
    let clear_state = cookies::clear(STATE_COOKIE);
    if let Some(identity) = store::wechat::by_openid(&db, &token.openid).await? {
        if let Some(user) = store::users::by_id(&db, &identity.user_id).await? {
            let session = open_session(ctx, &user).await?;
            return redirect(&next, &[session, clear_state]);
        }
    }
    let unionid = token.unionid.unwrap_or_default();
    let bind = cookies::seal(ctx, "bind", &[&token.openid, &unionid, &next])?;
    let page = format!(
        "/bind-phone?next={}",
        shared::providers::wechat::encode(&next)
    );
    redirect(&page, &[cookies::set(BIND_COOKIE, &bind), clear_state])
}

/// `POST /api/auth/wechat/bind {phone, code}`: 绑定手机号. Proves the phone like sign-in does,
/// then the WeChat identity WeChat vouched for (the bind cookie) and the phone are one user.
pub async fn bind(ctx: &Ctx, req: &mut Request) -> AppResult {
    let LoginRequest { phone, code } = read_json(req).await?;
    let opened = match cookie(req, BIND_COOKIE) {
        Some(value) => cookies::open(ctx, "bind", &value, 3)?,
        None => None,
    };
    let Some([openid, unionid, _next]) = opened.and_then(|p| <[String; 3]>::try_from(p).ok())
    else {
        return Err(AppError::with_message(
            ErrorCode::Unauthenticated,
            WechatSignInError::Expired.message(),
        ));
    };
    let phone = read_phone(&phone)?;
    check_code(ctx, req, &phone, &code).await?;
    let user = account_of(ctx, &phone).await?;
    let unionid = (!unionid.is_empty()).then_some(unionid.as_str());
    store::wechat::bind(
        &ctx.db()?,
        &openid,
        unionid,
        &UserId::new(&user.id),
        ctx.now.unix_millis(),
    )
    .await?;
    let mut response = json(200, &LoginResponse { user: me_of(&user) })?;
    let headers = response.headers_mut();
    headers.append("set-cookie", &open_session(ctx, &user).await?)?;
    headers.append("set-cookie", &cookies::clear(BIND_COOKIE))?;
    Ok(response)
}

/// `GET /api/me/wechat`: the caller's binding (账号与安全).
pub async fn binding(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = auth::caller(ctx, req).await?;
    let identity = store::wechat::of_user(&ctx.db()?, &UserId::new(&caller.user.id)).await?;
    json(
        200,
        &WechatBinding {
            bound_at: identity.map(|i| Timestamp::from_unix_millis(i.bound_at)),
        },
    )
}

/// `DELETE /api/me/wechat`: removes the caller's binding; WeChat then asks for 绑定手机号 again.
pub async fn unbind(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = auth::caller(ctx, req).await?;
    store::wechat::unbind(&ctx.db()?, &UserId::new(&caller.user.id)).await?;
    no_content()
}

/// One query parameter's value.
fn query(url: &worker::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Back to the sign-in page, saying why; the state cookie goes.
fn failed(reason: WechatSignInError) -> AppResult {
    redirect(
        &format!("/login?wechat={}", reason.code()),
        &[cookies::clear(STATE_COOKIE)],
    )
}

/// 302 to `location`, setting `cookies`.
fn redirect(location: &str, cookies: &[String]) -> AppResult {
    let mut response = Response::empty()?.with_status(302);
    let headers = response.headers_mut();
    headers.set("location", location)?;
    for value in cookies {
        headers.append("set-cookie", value)?;
    }
    Ok(response)
}
