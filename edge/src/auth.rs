//! Who is calling: phone + code sign-in, server-side sessions in an HttpOnly cookie, the CSRF
//! header and the operator role. How long a session lasts is `shared::session`; how many codes
//! and tries are allowed is `shared::limits`.

use worker::{D1Database, D1PreparedStatement, D1Result, Method, Request};

use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::http::{cookie, Ctx};
use crate::store::{self, sessions::SessionWithUser, users::User, Whose};
use shared::api::ErrorCode;
use shared::session::{self, SessionCheck};
use shared::timestamp::Timestamp;

/// The session cookie's name. `__Host-`: the browser keeps it only if it is `Secure`, for
/// `Path=/` and without `Domain`, so neither a subdomain nor plain http can plant or read it.
pub const SESSION_COOKIE: &str = "__Host-session";
/// A sign-in code works for 5 minutes.
pub const CODE_TTL_MS: i64 = 5 * 60 * 1000;
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
            "请求缺少安全校验头，请刷新页面后重试",
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
    Ok(caller_with(ctx, req, |_, _| Ok(Vec::new())).await?.0)
}

/// The signed-in caller with the results of `reads`, statements for the session's user
/// ([`Whose::Session`]) sent to D1 in the same round trip as the session itself; or 401
/// `unauthenticated`, their results unread. The session is checked as by [`caller`].
pub async fn caller_with(
    ctx: &Ctx,
    req: &Request,
    reads: impl FnOnce(&D1Database, Whose) -> AppResult<Vec<D1PreparedStatement>>,
) -> AppResult<(Caller, Vec<D1Result>)> {
    let unauthenticated = || AppError::new(ErrorCode::Unauthenticated);
    let token = cookie(req, SESSION_COOKIE).ok_or_else(unauthenticated)?;
    let db = ctx.db()?;
    let token_hash = keyed_hash(ctx, &token)?;
    let mut batch = vec![store::sessions::with_user_statement(&db, &token_hash)?];
    batch.extend(reads(&db, Whose::Session(&token_hash))?);
    let mut results = if batch.len() == 1 {
        // One statement needs no batch (D1 wraps a batch in a transaction).
        vec![batch.remove(0).all().await?]
    } else {
        db.batch(batch).await?
    };
    if results.is_empty() {
        return Err(AppError::internal("D1 answered no result for the session"));
    }
    let stored = results
        .remove(0)
        .results::<SessionWithUser>()?
        .into_iter()
        .next()
        .ok_or_else(unauthenticated)?;
    let at = Timestamp::from_unix_millis;
    match session::check(at(stored.expires_at), at(stored.last_seen), ctx.now) {
        SessionCheck::Expired => {
            store::sessions::delete(&db, &token_hash).await?;
            return Err(unauthenticated());
        }
        SessionCheck::Live { touch: true } => {
            store::sessions::touch(&db, &token_hash, ctx.now.unix_millis()).await?;
        }
        SessionCheck::Live { touch: false } => {}
    }
    Ok((Caller { user: stored.user }, results))
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

/// The `Set-Cookie` value that opens a session. `Secure` locally too: browsers keep Secure
/// cookies from http://127.0.0.1 and http://localhost, which they count as secure origins.
pub fn session_cookie(token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
        session::ABSOLUTE_TTL_MS / 1000
    )
}

/// The `Set-Cookie` value that clears the session cookie.
pub fn cleared_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}
