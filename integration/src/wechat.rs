//! WeChat sign-in as a phone in WeChat does it, step by step over HTTP: the worker's start, the
//! stand-in's authorize page (which knows its user by `X-Standin-Wechat-User`), the callback,
//! and 绑定手机号 for a new openid.

use serde_json::{json, Value};

use crate::standin_client::Standin;
use crate::{address_of, unique_phone, Api, Reply, Session, CLIENT_IP};

/// WeChat's authorize round trip, back at the worker's door: the callback to call with the state
/// cookie the start set in this browser.
pub struct Callback {
    /// `/api/auth/wechat/callback?code=…&state=…`.
    pub path: String,
    /// `__Host-wx-state=…`.
    pub state_cookie: String,
}

/// The stand-in every WeChat test talks to.
pub fn standin() -> Standin {
    Standin::from_env().expect("STANDIN_URL is not set: run the HTTP tests through scripts/test")
}

/// The cookie named `name` among an answer's `Set-Cookie`s.
pub fn cookie_named(reply: &Reply, name: &str) -> Option<String> {
    reply
        .cookies()
        .into_iter()
        .find(|c| c.starts_with(&format!("{name}=")) && c.len() > name.len() + 1)
}

/// Starts WeChat sign-in for WeChat user `name` and follows WeChat's authorize page.
pub fn authorize(api: &Api, name: &str, next: &str) -> Callback {
    let start = api
        .call("GET", &format!("/api/auth/wechat/start?next={next}"))
        .send();
    assert_eq!(start.status, 302, "start: {}", start.body);
    let to_wechat = start
        .header("location")
        .expect("start redirects")
        .to_owned();
    let state_cookie = cookie_named(&start, "__Host-wx-state").expect("start sets the state");
    let authorize = Api::at("")
        .call("GET", &to_wechat)
        .header("x-standin-wechat-user", name)
        .send();
    assert_eq!(authorize.status, 302, "authorize: {}", authorize.body);
    let back = authorize.header("location").expect("WeChat redirects back");
    let path = back
        .find("/api/auth/wechat/callback")
        .map(|i| back[i..].to_owned())
        .expect("back to the callback");
    Callback { path, state_cookie }
}

/// Calls the callback in the browser that holds `cookie`.
pub fn callback(api: &Api, path: &str, cookie: &str) -> Reply {
    api.call("GET", path).header("cookie", cookie).send()
}

/// A WeChat user `name` new to the app signs in: authorize, 绑定手机号 with a fresh phone.
/// Returns the session and the openid.
pub fn new_wechat_user(api: &Api, name: &str) -> (Session, String) {
    let Callback { path, state_cookie } = authorize(api, name, "/");
    let back = callback(api, &path, &state_cookie);
    assert_eq!(back.status, 302, "callback: {}", back.body);
    assert!(
        back.header("location")
            .unwrap_or_default()
            .starts_with("/bind-phone"),
        "a new openid goes to 绑定手机号: {:?}",
        back.header("location")
    );
    let bind_cookie = cookie_named(&back, "__Host-wx-bind").expect("the binding cookie");
    let phone = unique_phone();
    let session = bind(api, &bind_cookie, &phone);
    let (openid, _) = standin().openid_of(name);
    (session, openid)
}

/// 绑定手机号: asks a code for `phone` and binds with it; the session it opens.
pub fn bind(api: &Api, bind_cookie: &str, phone: &str) -> Session {
    let reply = bind_reply(api, bind_cookie, phone);
    assert_eq!(reply.status, 200, "bind: {}", reply.body);
    let cookie = cookie_named(&reply, "__Host-session").expect("bind opens a session");
    let me: Value = reply.json();
    Session::from_parts(
        api.clone(),
        phone,
        me["user"]["id"].as_str().expect("user id"),
        &cookie,
    )
}

/// The answer to 绑定手机号 with a good code for `phone`.
pub fn bind_reply(api: &Api, bind_cookie: &str, phone: &str) -> Reply {
    let code = api.code(phone);
    assert_eq!(code.status, 200, "code: {}", code.body);
    let code = api.code_sent_to(phone, &code.json());
    api.call("POST", "/api/auth/wechat/bind")
        .header(CLIENT_IP, &address_of(phone))
        .header("cookie", bind_cookie)
        .csrf()
        .json(&json!({ "phone": phone, "code": code }))
        .send()
}
