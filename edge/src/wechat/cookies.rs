//! The two short-lived cookies of WeChat sign-in, each signed with the session secret so a
//! browser can carry them but not forge or alter them:
//! - `__Host-wx-state` binds an authorize round trip to this browser (the `state` WeChat passes
//!   back must be the one in the cookie, and each is used once);
//! - `__Host-wx-bind` carries an openid WeChat vouched for to the 绑定手机号 page.

use crate::auth::keyed_hash;
use crate::crypto;
use crate::error::AppResult;
use crate::http::Ctx;

/// The state cookie's name.
pub const STATE_COOKIE: &str = "__Host-wx-state";
/// The binding cookie's name.
pub const BIND_COOKIE: &str = "__Host-wx-bind";
/// Both live 10 minutes: WeChat's code lives 5, the 绑定手机号 page needs an SMS round trip.
pub const TTL_MS: i64 = 10 * 60 * 1000;

/// `parts` (hex-encoded, so any text fits), their end of life and a MAC over both and `purpose`.
pub fn seal(ctx: &Ctx, purpose: &str, parts: &[&str]) -> AppResult<String> {
    let expires = ctx.now.unix_millis() + TTL_MS;
    let mut body: Vec<String> = parts.iter().map(hex::encode).collect();
    body.push(expires.to_string());
    let body = body.join(".");
    let mac = keyed_hash(ctx, &format!("{purpose}:{body}"))?;
    Ok(format!("{body}.{mac}"))
}

/// The parts of a sealed value for `purpose`, if its MAC holds and it has not expired.
pub fn open(
    ctx: &Ctx,
    purpose: &str,
    sealed: &str,
    count: usize,
) -> AppResult<Option<Vec<String>>> {
    let Some((body, mac)) = sealed.rsplit_once('.') else {
        return Ok(None);
    };
    let key = ctx.secret("SESSION_SECRET")?;
    if !crypto::hmac_verify(key.as_bytes(), format!("{purpose}:{body}").as_bytes(), mac) {
        return Ok(None);
    }
    let fields: Vec<&str> = body.split('.').collect();
    let Some((expires, parts)) = fields.split_last() else {
        return Ok(None);
    };
    let alive = expires
        .parse::<i64>()
        .is_ok_and(|e| e > ctx.now.unix_millis());
    if !alive || parts.len() != count {
        return Ok(None);
    }
    let decoded: Option<Vec<String>> = parts
        .iter()
        .map(|p| hex::decode(p).ok().and_then(|b| String::from_utf8(b).ok()))
        .collect();
    Ok(decoded)
}

/// `Set-Cookie` for a sealed value: HttpOnly, Secure, Lax (the callback is a top-level GET).
pub fn set(name: &str, value: &str) -> String {
    format!(
        "{name}={value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={}",
        TTL_MS / 1000
    )
}

/// `Set-Cookie` that removes it.
pub fn clear(name: &str) -> String {
    format!("{name}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}
