//! Sign-in with phone + code, sign-out, and who am I (API.md "Sessions").

use shared::api::auth::{
    CodeRequest, CodeResponse, Home, LoginRequest, LoginResponse, Me, Role, SessionResponse,
};
use shared::api::ErrorCode;
use shared::ids::UserId;
use shared::limits::Limited;
use shared::phone::Phone;
use shared::session;
use worker::Request;

use crate::auth::{self, CODE_TTL_MS};
use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::http::{client_ip, cookie, json, read_json, Ctx};
use crate::limits;
use crate::settings::WechatSettings;
use crate::store::{self, users::User};

/// `POST /api/auth/code {phone}`: a new six-digit code for that phone (in dev, in the body).
/// Limited per phone, per address and for the whole deployment (SMS bombing, toll pumping).
pub async fn send_code(ctx: &Ctx, req: &mut Request) -> AppResult {
    let CodeRequest { phone } = read_json(req).await?;
    let phone = read_phone(&phone)?;
    // The address first: one machine hammering is stopped before it counts against a phone,
    // and only codes about to be sent count against the deployment's total.
    limits::check(ctx, Limited::CodesPerIp, &client_ip(req)).await?;
    limits::check(ctx, Limited::CodesPerPhone, phone.as_str()).await?;
    limits::check(ctx, Limited::CodesTotal, "").await?;
    let db = ctx.db()?;
    let now = ctx.now.unix_millis();
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
    check_code(ctx, req, &phone, &code).await?;
    let user = account_of(ctx, &phone).await?;
    let mut response = json(200, &LoginResponse { user: me_of(&user) })?;
    response
        .headers_mut()
        .set("set-cookie", &open_session(ctx, &user).await?)?;
    Ok(response)
}

/// Uses up `phone`'s sign-in code if `code` is it; 401 otherwise. Tries are counted per phone
/// and address first, so tries from elsewhere never use up the driver's own, then per phone
/// from everywhere.
pub async fn check_code(ctx: &Ctx, req: &Request, phone: &Phone, code: &str) -> AppResult<()> {
    let ip = client_ip(req);
    limits::check(ctx, Limited::SignInsPerPhoneIp, &format!("{phone}@{ip}")).await?;
    limits::check(ctx, Limited::SignInsPerPhone, phone.as_str()).await?;
    let db = ctx.db()?;
    let now = ctx.now.unix_millis();
    let wrong = || AppError::with_message(ErrorCode::Unauthenticated, "验证码错误或已过期");
    let pending = store::sessions::code(&db, phone).await?.ok_or_else(wrong)?;
    if pending.expires_at <= now {
        return Err(wrong());
    }
    let hash = auth::keyed_hash(ctx, &format!("{phone}:{}", code.trim()))?;
    if hash != pending.code_hash || !store::sessions::take_code(&db, phone, &hash).await? {
        return Err(wrong());
    }
    Ok(())
}

/// The phone's account, created on its first sign-in.
pub async fn account_of(ctx: &Ctx, phone: &Phone) -> AppResult<User> {
    let new_id = format!("u-{}", crypto::random_hex(8)?);
    store::users::find_or_create(&ctx.db()?, phone, &new_id, ctx.now).await
}

/// Opens a session for `user`; returns the `Set-Cookie` value that carries it.
pub async fn open_session(ctx: &Ctx, user: &User) -> AppResult<String> {
    let now = ctx.now.unix_millis();
    let token = crypto::random_hex(32)?;
    store::sessions::create(
        &ctx.db()?,
        &auth::keyed_hash(ctx, &token)?,
        &user.id,
        now + session::ABSOLUTE_TTL_MS,
        now,
    )
    .await?;
    Ok(auth::session_cookie(&token))
}

/// `POST /api/auth/logout`: ends the session, if any, and clears the cookie.
pub async fn logout(ctx: &Ctx, req: &Request) -> AppResult {
    if let Some(token) = cookie(req, auth::SESSION_COOKIE) {
        store::sessions::delete(&ctx.db()?, &auth::keyed_hash(ctx, &token)?).await?;
    }
    signed_out()
}

/// `POST /api/auth/logout-all` (退出所有设备): ends every session of the caller, on every
/// phone and browser, and clears this one's cookie.
pub async fn logout_all(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = auth::caller(ctx, req).await?;
    store::sessions::delete_all_of(&ctx.db()?, &caller.user.id).await?;
    signed_out()
}

/// 204 with the session cookie cleared.
fn signed_out() -> AppResult {
    let mut response = crate::http::no_content()?;
    response
        .headers_mut()
        .set("set-cookie", &auth::cleared_cookie())?;
    Ok(response)
}

/// `GET /api/session[?home=1]`: the signed-in account or `null` (never 401); with `home=1`, for
/// a driver whose tenant shows 我的车辆, also 我的's cards and unread count (the app's one first
/// request, which index.html preloads).
pub async fn current(ctx: &Ctx, req: &Request) -> AppResult {
    let wants_home = req
        .url()?
        .query_pairs()
        .any(|(k, v)| k == "home" && v == "1");
    json(200, &read(ctx, req, wants_home).await?)
}

/// Who is signed in (`user: None` for nobody or an ended session), with 我的's cards and unread
/// count when `wants_home` and the tenant shows 我的车辆, read with the session in one round trip.
pub async fn read(ctx: &Ctx, req: &Request, wants_home: bool) -> AppResult<SessionResponse> {
    let signed_in = auth::caller_with(ctx, req, |db, whose| {
        Ok(match wants_home {
            true => vec![
                store::vehicles::list_statement(db, whose)?,
                store::messages::unread_statement(db, whose)?,
            ],
            false => Vec::new(),
        })
    })
    .await;
    let (caller, reads) = match signed_in {
        Ok((caller, reads)) => (Some(caller), reads),
        Err(e) if e.is_unauthenticated() => (None, Vec::new()),
        Err(e) => return Err(e),
    };
    let home = match (&caller, <[_; 2]>::try_from(reads)) {
        (Some(c), Ok([cards, unread])) if c.user.policy().shows_vehicles() => {
            let cards = store::vehicles::list_from(
                &ctx.db()?,
                &c.user.id,
                cards.results()?,
                ctx.now.unix_millis(),
            )
            .await?;
            Some(Home {
                vehicles: cards,
                unread: store::messages::unread_from(unread.results()?),
            })
        }
        _ => None,
    };
    Ok(SessionResponse {
        user: caller.map(|c| me_of(&c.user)),
        wechat_sign_in: WechatSettings::from_env(&ctx.env).is_some(),
        payments: crate::payments::offered(&ctx.env),
        home,
    })
}

/// `GET /api/me`: the signed-in account.
pub async fn me(ctx: &Ctx, req: &Request) -> AppResult {
    let caller = auth::caller(ctx, req).await?;
    json(200, &me_of(&caller.user))
}

/// The typed phone of a request body (kept a string on the wire, so a malformed number is told
/// apart from malformed JSON): 400 `invalid_request` with the phone's own message.
pub fn read_phone(typed: &str) -> AppResult<Phone> {
    Phone::parse(typed).map_err(|e| AppError::with_message(e.code(), e.to_string()))
}

pub fn me_of(user: &User) -> Me {
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
