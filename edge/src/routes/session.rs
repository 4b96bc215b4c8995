//! Sign-in with phone + code, sign-out, and who am I (API.md "Sessions").

use shared::api::auth::{
    CodeRequest, CodeResponse, LoginRequest, LoginResponse, Me, Role, SessionResponse,
};
use shared::api::ErrorCode;
use shared::ids::UserId;
use shared::phone::Phone;
use worker::Request;

use crate::auth::{
    self, CODES_PER_WINDOW, CODE_TTL_MS, LOGINS_PER_WINDOW, MAX_CODE_ATTEMPTS, SESSION_TTL_MS,
    WINDOW_MS,
};
use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::http::{cookie, json, read_json, Ctx};
use crate::store::{self, users::User};

/// `POST /api/auth/code {phone}`: a new six-digit code for that phone (in dev, in the body).
pub async fn send_code(ctx: &Ctx, req: &mut Request) -> AppResult {
    let CodeRequest { phone } = read_json(req).await?;
    let phone = read_phone(&phone)?;
    let db = ctx.db()?;
    let now = ctx.now.unix_millis();
    if !store::rate_limit::hit(
        &db,
        &format!("code:{phone}"),
        CODES_PER_WINDOW,
        WINDOW_MS,
        now,
    )
    .await?
    {
        return Err(AppError::new(ErrorCode::RateLimited));
    }
    let code = crypto::random_code()?;
    let hash = auth::keyed_hash(ctx, &format!("{phone}:{code}"))?;
    store::sessions::put_code(&db, &phone, &hash, now + CODE_TTL_MS).await?;
    let dev_code = crate::sms::send_code(ctx, &phone, &code).await?;
    json(200, &CodeResponse { dev_code })
}

/// `POST /api/auth/login {phone, code}`: opens a session (cookie) for the phone's account,
/// creating the account on first sign-in.
pub async fn login(ctx: &Ctx, req: &mut Request) -> AppResult {
    let LoginRequest { phone, code } = read_json(req).await?;
    let phone = read_phone(&phone)?;
    let db = ctx.db()?;
    let now = ctx.now.unix_millis();
    let wrong = || AppError::with_message(ErrorCode::Unauthenticated, "验证码错误或已过期");
    if !store::rate_limit::hit(
        &db,
        &format!("login:{phone}"),
        LOGINS_PER_WINDOW,
        WINDOW_MS,
        now,
    )
    .await?
    {
        return Err(AppError::new(ErrorCode::RateLimited));
    }
    let pending = store::sessions::code(&db, &phone)
        .await?
        .ok_or_else(wrong)?;
    if pending.expires_at <= now {
        return Err(wrong());
    }
    if pending.attempts >= MAX_CODE_ATTEMPTS {
        return Err(AppError::with_message(
            ErrorCode::RateLimited,
            "验证码错误次数过多,请重新获取验证码",
        ));
    }
    let hash = auth::keyed_hash(ctx, &format!("{phone}:{}", code.trim()))?;
    if hash != pending.code_hash || !store::sessions::take_code(&db, &phone, &hash).await? {
        store::sessions::count_wrong_code(&db, &phone).await?;
        return Err(wrong());
    }
    let new_id = format!("u-{}", crypto::random_hex(8)?);
    let user = store::users::find_or_create(&db, &phone, &new_id, ctx.now).await?;
    let token = crypto::random_hex(32)?;
    store::sessions::create(
        &db,
        &auth::keyed_hash(ctx, &token)?,
        &user.id,
        now + SESSION_TTL_MS,
    )
    .await?;
    let mut response = json(200, &LoginResponse { user: me_of(&user) })?;
    response
        .headers_mut()
        .set("set-cookie", &auth::session_cookie(ctx, &token))?;
    Ok(response)
}

/// `POST /api/auth/logout`: ends the session, if any, and clears the cookie.
pub async fn logout(ctx: &Ctx, req: &Request) -> AppResult {
    if let Some(token) = cookie(req, auth::SESSION_COOKIE) {
        store::sessions::delete(&ctx.db()?, &auth::keyed_hash(ctx, &token)?).await?;
    }
    let mut response = crate::http::no_content()?;
    response
        .headers_mut()
        .set("set-cookie", &auth::cleared_cookie(ctx))?;
    Ok(response)
}

/// `GET /api/session`: the signed-in account or `null` (never 401).
pub async fn current(ctx: &Ctx, req: &Request) -> AppResult {
    let user = match auth::caller(ctx, req).await {
        Ok(caller) => Some(me_of(&caller.user)),
        Err(e) if e.is_unauthenticated() => None,
        Err(e) => return Err(e),
    };
    json(200, &SessionResponse { user })
}

/// `GET /api/me`: the signed-in account.
pub async fn me(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = auth::caller(ctx, req).await?;
    json(200, &me_of(&caller.user))
}

/// The typed phone of a request body (kept a string on the wire, so a malformed number is told
/// apart from malformed JSON): 400 `invalid_request` with the phone's own message.
fn read_phone(typed: &str) -> AppResult<Phone> {
    Phone::parse(typed).map_err(|e| AppError::with_message(e.code(), e.to_string()))
}

fn me_of(user: &User) -> Me {
    let mut roles = vec![Role::User];
    if user.is_operator() {
        roles.push(Role::Operator);
    }
    Me {
        id: UserId::new(&user.id),
        phone_masked: user.phone.masked(),
        roles,
        tenant: user.tenant(),
    }
}
