//! Who is calling: phone + code sign-in, server-side sessions in an HttpOnly cookie, the CSRF
//! header, the operator role, and rate limits on codes and sign-in tries.

use worker::{Method, Request};

use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::http::{cookie, Ctx};
use crate::store::{self, users::User};
use shared::api::ErrorCode;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "sid";
/// A session lasts 30 days.
pub const SESSION_TTL_MS: i64 = 30 * 24 * 3600 * 1000;
/// A sign-in code works for 5 minutes.
pub const CODE_TTL_MS: i64 = 5 * 60 * 1000;
/// Wrong codes allowed per code before it is voided.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// Codes sent per phone per 10 minutes.
pub const CODES_PER_WINDOW: i64 = 5;
/// Sign-in tries per phone per 10 minutes.
pub const LOGINS_PER_WINDOW: i64 = 10;
/// The rate-limit window.
pub const WINDOW_MS: i64 = 10 * 60 * 1000;
/// The header every cookie-authenticated mutation must carry (a cross-site form cannot set it).
pub const CSRF_HEADER: (&str, &str) = ("x-requested-with", "vehicles");

/// A signed-in caller.
pub struct Caller {
    /// The account.
    pub user: User,
}

/// Refuses a mutation without the CSRF header (403), before anything is read or changed.
pub fn csrf_guard(req: &Request) -> AppResult<()> {
    let mutating = !matches!(req.method(), Method::Get | Method::Head | Method::Options);
    let (name, expected) = CSRF_HEADER;
    let present = req
        .headers()
        .get(name)
        .ok()
        .flatten()
        .is_some_and(|v| v == expected);
    if mutating && !present {
        return Err(AppError::with_message(
            ErrorCode::Forbidden,
            "请求缺少安全校验头,请刷新页面后重试",
        ));
    }
    Ok(())
}

/// The keyed hash under which a token or code is stored.
pub fn keyed_hash(ctx: &Ctx, message: &str) -> AppResult<String> {
    Ok(crypto::hmac_hex(
        ctx.secret("SESSION_SECRET")?.as_bytes(),
        message.as_bytes(),
    ))
}

/// The signed-in caller, or 401 `unauthenticated`.
pub async fn caller(ctx: &Ctx, req: &Request) -> AppResult<Caller> {
    let unauthenticated = || AppError::new(ErrorCode::Unauthenticated);
    let token = cookie(req, SESSION_COOKIE).ok_or_else(unauthenticated)?;
    let db = ctx.db()?;
    let user_id = store::sessions::user_of(&db, &keyed_hash(ctx, &token)?, ctx.now.unix_millis())
        .await?
        .ok_or_else(unauthenticated)?;
    let user = store::users::by_id(&db, &user_id)
        .await?
        .ok_or_else(unauthenticated)?;
    Ok(Caller { user })
}

/// The signed-in caller if it is an operator; 403 for anyone else signed in.
pub async fn operator(ctx: &Ctx, req: &Request) -> AppResult<Caller> {
    let caller = caller(ctx, req).await?;
    if !caller.user.is_operator() {
        return Err(AppError::with_message(
            ErrorCode::Forbidden,
            "仅平台运营人员可以执行该操作",
        ));
    }
    Ok(caller)
}

/// The `Set-Cookie` value that opens a session (Secure outside local runs).
pub fn session_cookie(ctx: &Ctx, token: &str) -> String {
    let secure = if ctx.is_dev() { "" } else { "; Secure" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        SESSION_TTL_MS / 1000
    )
}

/// The `Set-Cookie` value that clears the session cookie.
pub fn cleared_cookie(ctx: &Ctx) -> String {
    let secure = if ctx.is_dev() { "" } else { "; Secure" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}
