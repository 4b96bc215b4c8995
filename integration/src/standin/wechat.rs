//! WeChat 公众号 as the worker meets it: the 网页授权 page that turns the person in the WeChat
//! client into a single-use code, the code exchange, the server `access_token` (a new one leaves
//! the old one working for 5 minutes, then only the newest works), and template messages checked
//! against the registered templates and WeChat's value limits, delivered once per
//! `client_msg_id`.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use serde::Serialize;
use shared::providers::tc3::sha256_hex;
use shared::providers::wechat::{
    errcode, state_is_valid, value_limit, OAuthToken, ServerToken, TemplateMessage, TemplateReply,
    WechatError, SCOPE_BASE,
};

use super::armed::{Code, Service};
use super::config::{Config, TEMPLATE_KEYS};
use super::http::{Request, Response};
use super::State;

/// Who is logged into the WeChat client opening the authorize page (tests set it; the value may
/// be percent-encoded, e.g. for a Chinese name).
pub const USER_HEADER: &str = "X-Standin-Wechat-User";
/// The consent scope (the stand-in grants it like the silent one).
pub const SCOPE_USERINFO: &str = "snsapi_userinfo";

/// "code只能使用一次，5分钟未被使用自动过期。"
const CODE_LIFETIME_MS: i64 = 5 * 60 * 1000;
/// Both kinds of access token live 7200 s.
const TOKEN_LIFETIME_S: i64 = 7200;
/// "平台会保证在5分钟内，新老access_token都可用"
const TOKEN_OVERLAP_MS: i64 = 5 * 60 * 1000;
/// "对于同一个openid + client_msg_id, 只发送一条消息,10分钟有效"
const DEDUPE_WINDOW_MS: i64 = 10 * 60 * 1000;
/// WeChat matches the authorize link strictly, parameters in this order.
const AUTHORIZE_PARAMS: [&str; 5] = ["appid", "redirect_uri", "response_type", "scope", "state"];

/// The 公众号's memory.
#[derive(Debug, Default)]
pub struct WechatState {
    codes: HashMap<String, OAuthCode>,
    openids: HashSet<String>,
    tokens: Vec<IssuedToken>,
    delivered: HashMap<String, Vec<Delivered>>,
    /// `(touser, client_msg_id)` → `(msgid, delivered at)`.
    sent: HashMap<(String, String), (i64, i64)>,
    next_msgid: Option<i64>,
}

#[derive(Debug)]
struct OAuthCode {
    openid: String,
    unionid: String,
    scope: String,
    issued_ms: i64,
    used: bool,
}

#[derive(Debug)]
struct IssuedToken {
    token: String,
    issued_ms: i64,
    superseded_ms: Option<i64>,
    revoked: bool,
}

/// One template message that reached the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivered {
    /// The body as sent.
    #[serde(flatten)]
    pub message: TemplateMessage,
    /// The id WeChat answered with.
    pub msgid: i64,
    /// When, in Unix milliseconds.
    pub at_ms: i64,
}

impl WechatState {
    /// The messages delivered to `openid`, oldest first.
    pub fn delivered_to(&self, openid: &str) -> &[Delivered] {
        self.delivered.get(openid).map_or(&[], Vec::as_slice)
    }

    /// Makes every server token issued so far invalid (as when the secret is reset).
    pub fn revoke_tokens(&mut self) {
        for token in &mut self.tokens {
            token.revoked = true;
        }
    }

    /// Why `token` may not be used at `now_ms`, if it may not.
    fn check_token(&self, token: &str, now_ms: i64) -> Result<(), (i64, &'static str)> {
        let invalid = (
            errcode::INVALID_CREDENTIAL,
            "invalid credential, access_token is invalid or not latest",
        );
        let issued = self
            .tokens
            .iter()
            .find(|t| t.token == token)
            .ok_or(invalid)?;
        let superseded_long_ago = issued
            .superseded_ms
            .is_some_and(|at| now_ms >= at + TOKEN_OVERLAP_MS);
        if issued.revoked || superseded_long_ago {
            return Err(invalid);
        }
        if now_ms - issued.issued_ms > TOKEN_LIFETIME_S * 1000 {
            return Err((errcode::TOKEN_EXPIRED, "access_token expired"));
        }
        Ok(())
    }
}

/// The openid and unionid WeChat gives the person called `name` for the 公众号 `app_id`.
pub fn identity(app_id: &str, name: &str) -> (String, String) {
    let openid = format!(
        "o{}",
        &sha256_hex(format!("{app_id}:{name}").as_bytes())[..27]
    );
    let unionid = format!("u{}", &sha256_hex(format!("union:{name}").as_bytes())[..27]);
    (openid, unionid)
}

/// `GET /connect/oauth2/authorize`: the page the WeChat client opens; 302 back with a code.
pub fn authorize(req: &Request, state: &mut State, now_ms: i64) -> Response {
    let name = req
        .header(USER_HEADER)
        .map(|v| percent_decode_str(v).decode_utf8_lossy().trim().to_owned())
        .unwrap_or_default();
    if name.is_empty() {
        return Response::page(400, "请在微信客户端打开链接");
    }
    let query = req.query();
    let (redirect_uri, scope, given_state) = match check_authorize(&query, &state.config) {
        Ok(parts) => parts,
        Err(message) => return Response::page(400, message),
    };
    let (openid, unionid) = identity(&state.config.wechat_app_id, &name);
    let code = state.ids.hex(32);
    state.wechat.openids.insert(openid.clone());
    state.wechat.codes.insert(
        code.clone(),
        OAuthCode {
            openid,
            unionid,
            scope: scope.to_owned(),
            issued_ms: now_ms,
            used: false,
        },
    );
    Response::redirect(&back_to(redirect_uri, &code, given_state))
}

/// The redirect, scope and state of a well-formed authorize link, or the page's complaint.
fn check_authorize<'q>(
    query: &'q super::http::Query,
    config: &Config,
) -> Result<(&'q str, &'q str, &'q str), &'static str> {
    if query.get("appid") != Some(config.wechat_app_id.as_str()) {
        return Err("appid 参数错误");
    }
    let redirect_uri = query.get("redirect_uri").unwrap_or_default();
    if redirect_host(redirect_uri).as_deref() != Some(config.wechat_domain.as_str()) {
        return Err("redirect_uri 参数错误");
    }
    if query.get("response_type") != Some("code") {
        return Err("response_type 参数错误");
    }
    let scope = query.get("scope").unwrap_or_default();
    if scope != SCOPE_BASE && scope != SCOPE_USERINFO {
        return Err("scope 参数错误或没有 scope 权限");
    }
    let given_state = query.get("state").unwrap_or_default();
    if !given_state.is_empty() && !state_is_valid(given_state) {
        return Err("state 参数错误");
    }
    let names = query.names();
    let in_order = names.len() >= 4 && names.iter().zip(AUTHORIZE_PARAMS).all(|(a, b)| *a == b);
    if !in_order {
        return Err("参数错误：须依次为 appid、redirect_uri、response_type、scope、state");
    }
    Ok((redirect_uri, scope, given_state))
}

/// The host of an http(s) URL, lowercased, without port or user info.
fn redirect_host(uri: &str) -> Option<String> {
    let lower = uri.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']')?;
            (host, after.strip_prefix(':'))
        }
        None => match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (!host.is_empty() && port_ok).then(|| host.to_owned())
}

/// `redirect_uri?code=…&state=…` ("页面将跳转至 redirect_uri/?code=CODE&state=STATE").
fn back_to(redirect_uri: &str, code: &str, state: &str) -> String {
    let (base, fragment) = match redirect_uri.split_once('#') {
        Some((base, fragment)) => (base, format!("#{fragment}")),
        None => (redirect_uri, String::new()),
    };
    let joint = if base.contains('?') { '&' } else { '?' };
    format!("{base}{joint}code={code}&state={state}{fragment}")
}

fn refuse(code: i64, errmsg: &str) -> Response {
    Response::wechat(&WechatError {
        errcode: code,
        errmsg: errmsg.to_owned(),
    })
    .refused(format!("wechat {code} {errmsg}"))
}

fn armed(code: &Code) -> Response {
    match code {
        Code::Wechat(n) => refuse(*n, "armed failure"),
        Code::Tencent(_) => refuse(errcode::BUSY, "system error"),
    }
}

/// The app id and secret of a server call, checked as WeChat does.
fn check_app(query: &super::http::Query, config: &Config) -> Result<(), Response> {
    match (query.get("appid"), query.get("secret")) {
        (None, _) => Err(refuse(41002, "appid missing")),
        (Some(id), _) if id != config.wechat_app_id => Err(refuse(40013, "invalid appid")),
        (_, None) => Err(refuse(41004, "appsecret missing")),
        (_, Some(secret)) if secret != config.wechat_app_secret => {
            Err(refuse(40125, "invalid appsecret"))
        }
        _ => Ok(()),
    }
}

/// `GET /sns/oauth2/access_token`: a code from the authorize page → the user's openid.
pub fn exchange_code(req: &Request, state: &mut State, now_ms: i64) -> Response {
    let query = req.query();
    if let Err(refusal) = check_app(&query, &state.config) {
        return refusal;
    }
    if query.get("grant_type") != Some("authorization_code") {
        return refuse(40002, "invalid grant_type");
    }
    let Some(code) = query.get("code").filter(|c| !c.is_empty()) else {
        return refuse(41008, "missing code");
    };
    let Some(issued) = state
        .wechat
        .codes
        .get_mut(code)
        .filter(|c| now_ms - c.issued_ms <= CODE_LIFETIME_MS)
    else {
        return refuse(errcode::INVALID_CODE, "invalid code");
    };
    if issued.used {
        return refuse(errcode::CODE_USED, "code been used");
    }
    // An armed failure leaves the code unused, as a failed call would.
    if let Some(code) = state
        .armed
        .take(Service::OAuth, &[code, &issued.openid], |_| true)
    {
        return armed(&code);
    }
    issued.used = true;
    state.stats.oauth_exchanges += 1;
    Response::wechat(&OAuthToken {
        access_token: state.ids.hex(64),
        expires_in: TOKEN_LIFETIME_S,
        refresh_token: state.ids.hex(64),
        openid: issued.openid.clone(),
        scope: issued.scope.clone(),
        is_snapshotuser: None,
        // "unionid: 只有当scope为snsapi_userinfo时返回" (网页授权 docs).
        unionid: (issued.scope == SCOPE_USERINFO).then(|| issued.unionid.clone()),
    })
}

/// `GET /cgi-bin/token`: the 公众号's server access token.
pub fn server_token(req: &Request, state: &mut State, now_ms: i64) -> Response {
    let query = req.query();
    if let Err(refusal) = check_app(&query, &state.config) {
        return refusal;
    }
    if query.get("grant_type") != Some("client_credential") {
        return refuse(40002, "invalid grant_type");
    }
    if let Some(code) = state.armed.take(Service::Token, &[], |_| true) {
        return armed(&code);
    }
    let token = state.ids.hex(64);
    for old in &mut state.wechat.tokens {
        old.superseded_ms.get_or_insert(now_ms);
    }
    state.wechat.tokens.push(IssuedToken {
        token: token.clone(),
        issued_ms: now_ms,
        superseded_ms: None,
        revoked: false,
    });
    state.stats.server_tokens_issued += 1;
    Response::wechat(&ServerToken {
        access_token: token,
        expires_in: TOKEN_LIFETIME_S,
    })
}

/// `POST /cgi-bin/message/template/send`.
pub fn send_template(req: &Request, state: &mut State, now_ms: i64) -> Response {
    let answer = template_answer(req, state, now_ms);
    if answer.refusal.is_some() {
        state.stats.template_refusals += 1;
    }
    answer
}

fn template_answer(req: &Request, state: &mut State, now_ms: i64) -> Response {
    if req.method != "POST" {
        return refuse(43002, "require POST method");
    }
    let Some(token) = req.query().get("access_token").map(str::to_owned) else {
        return refuse(41001, "access_token missing");
    };
    if let Err((code, errmsg)) = state.wechat.check_token(&token, now_ms) {
        return refuse(code, errmsg);
    }
    let Ok(message) = serde_json::from_slice::<TemplateMessage>(&req.body) else {
        return refuse(47001, "data format error");
    };
    if !state.wechat.openids.contains(&message.touser) {
        return refuse(40003, "invalid openid");
    }
    if !state
        .config
        .wechat_template_ids
        .contains(&message.template_id)
    {
        return refuse(40037, "invalid template_id");
    }
    if let Err(key) = check_data(&message) {
        return refuse(
            47003,
            &format!("argument invalid! data.{key}.value invalid"),
        );
    }
    if !(message.url.starts_with("http://") || message.url.starts_with("https://")) {
        return refuse(47003, "argument invalid! url invalid");
    }
    if let Some(code) = state
        .armed
        .take(Service::Template, &[&message.touser], |_| true)
    {
        return armed(&code);
    }
    let key = (message.touser.clone(), message.client_msg_id.clone());
    if let Some(&(msgid, at_ms)) = state.wechat.sent.get(&key) {
        if !message.client_msg_id.is_empty() && now_ms - at_ms < DEDUPE_WINDOW_MS {
            // WeChat documents no answer for a repeat; it sends nothing and says ok.
            state.stats.template_duplicates += 1;
            return ok(msgid);
        }
    }
    let msgid = match state.wechat.next_msgid {
        Some(next) => next,
        None => (state.ids.number() % 1_000_000_000_000_000_000) + 1_000_000_000_000_000_000,
    };
    state.wechat.next_msgid = Some(msgid + 1);
    if !message.client_msg_id.is_empty() {
        state.wechat.sent.insert(key, (msgid, now_ms));
    }
    state.stats.template_sends += 1;
    state
        .wechat
        .delivered
        .entry(message.touser.clone())
        .or_default()
        .push(Delivered {
            message,
            msgid,
            at_ms: now_ms,
        });
    ok(msgid)
}

fn ok(msgid: i64) -> Response {
    Response::wechat(&TemplateReply {
        errcode: 0,
        errmsg: "ok".to_owned(),
        msgid: Some(msgid),
    })
}

/// The first key that is not one of the template's, missing, empty or over its limit.
fn check_data(message: &TemplateMessage) -> Result<(), String> {
    if let Some(extra) = message
        .data
        .keys()
        .find(|k| !TEMPLATE_KEYS.contains(&k.as_str()))
    {
        return Err(extra.clone());
    }
    for key in TEMPLATE_KEYS {
        let Some(field) = message.data.get(key) else {
            return Err(key.to_owned());
        };
        let limit = value_limit(key).unwrap_or(20);
        if field.value.trim().is_empty() || field.value.chars().count() > limit {
            return Err(key.to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::super::handle;
    use super::*;
    use shared::providers::wechat::{authorize_url, encode, Field};

    const CALLBACK: &str = "http://127.0.0.1:8787/api/auth/wechat/callback";

    /// Opens `url` in the WeChat client of `user` (a browser never sends the `#` fragment).
    fn open_authorize(state: &mut State, user: &str, url: &str) -> Response {
        let url = url.split('#').next().unwrap_or_default();
        let req = Request::new("GET", url).with_header(USER_HEADER, user);
        handle(&req, state, NOW_MS)
    }

    /// The code the authorize page hands `user`.
    fn code_for(state: &mut State, user: &str) -> String {
        let url = authorize_url("", APP_ID, CALLBACK, "st4te");
        let answer = open_authorize(state, user, &url);
        assert_eq!(answer.status, 302, "{:?}", answer.refusal);
        let location = answer.header("location").unwrap_or_default().to_owned();
        let query = location
            .strip_prefix(&format!("{CALLBACK}?"))
            .unwrap_or_else(|| panic!("{location}"));
        let (code, state_part) = query.split_once('&').unwrap();
        assert_eq!(state_part, "state=st4te");
        code.strip_prefix("code=").unwrap().to_owned()
    }

    fn exchange(state: &mut State, code: &str, at: i64) -> serde_json::Value {
        let url = format!(
            "/sns/oauth2/access_token?appid={APP_ID}&secret={APP_SECRET}&code={code}&grant_type=authorization_code"
        );
        handle(&Request::new("GET", &url), state, at).body_json()
    }

    fn server_token_at(state: &mut State, at: i64) -> String {
        let url = format!(
            "/cgi-bin/token?grant_type=client_credential&appid={APP_ID}&secret={APP_SECRET}"
        );
        let body = handle(&Request::new("GET", &url), state, at).body_json();
        body["access_token"].as_str().unwrap().to_owned()
    }

    fn send(
        state: &mut State,
        token: &str,
        message: &TemplateMessage,
        at: i64,
    ) -> serde_json::Value {
        let req = Request::new(
            "POST",
            &format!("/cgi-bin/message/template/send?access_token={token}"),
        )
        .with_body(serde_json::to_vec(message).unwrap());
        handle(&req, state, at).body_json()
    }

    fn message(touser: &str, client_msg_id: &str) -> TemplateMessage {
        let data = [
            ("car_number1", "京A12345"),
            ("thing2", "星河湾停车场"),
            ("thing3", "已入场"),
            ("thing4", "点击查看详情"),
        ]
        .into_iter()
        .map(|(k, v)| {
            (
                k.to_owned(),
                Field {
                    value: v.to_owned(),
                },
            )
        })
        .collect();
        TemplateMessage {
            touser: touser.to_owned(),
            template_id: TEMPLATE_ID.to_owned(),
            url: "http://127.0.0.1:8787/messages".to_owned(),
            client_msg_id: client_msg_id.to_owned(),
            data,
        }
    }

    #[test]
    fn a_code_works_once_then_answers_code_been_used() {
        let mut state = state();
        let code = code_for(&mut state, "alice");
        let token = exchange(&mut state, &code, NOW_MS + 1000);
        let (openid, _) = identity(APP_ID, "alice");
        assert_eq!(token["openid"], openid.as_str());
        assert_eq!(token["scope"], SCOPE_BASE);
        assert_eq!(token.get("unionid"), None, "snsapi_base carries no unionid");
        assert_eq!(token["expires_in"], 7200);
        assert_eq!(openid.len(), 28);
        let again = exchange(&mut state, &code, NOW_MS + 2000);
        assert_eq!(again["errcode"], errcode::CODE_USED);
        assert_eq!(again["errmsg"], "code been used");
        assert_eq!(state.stats.oauth_exchanges, 1);
    }

    #[test]
    fn the_consent_scope_also_gives_the_unionid_and_an_armed_failure_keeps_the_code() {
        let mut state = state();
        let url = authorize_url("", APP_ID, CALLBACK, "s1").replace(SCOPE_BASE, SCOPE_USERINFO);
        let answer = open_authorize(&mut state, "heidi", &url);
        let location = answer.header("location").unwrap_or_default();
        let code = location
            .split("code=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_owned();
        let (openid, unionid) = identity(APP_ID, "heidi");
        state.armed.arm(super::super::armed::Armed {
            service: Service::OAuth,
            code: Code::Wechat(errcode::BUSY),
            target: Some(openid.clone()),
            times: 1,
        });
        assert_eq!(exchange(&mut state, &code, NOW_MS)["errcode"], -1);
        let token = exchange(&mut state, &code, NOW_MS);
        assert_eq!(token["openid"], openid.as_str());
        assert_eq!(token["unionid"], unionid.as_str());
        assert_eq!(token["scope"], SCOPE_USERINFO);
    }

    #[test]
    fn a_code_expires_after_five_minutes_and_unknown_codes_are_invalid() {
        let mut state = state();
        let code = code_for(&mut state, "bob");
        assert_eq!(
            exchange(&mut state, &code, NOW_MS + 300_001)["errcode"],
            40029
        );
        assert_eq!(exchange(&mut state, "nope", NOW_MS)["errcode"], 40029);
    }

    #[test]
    fn the_exchange_checks_the_app_first() {
        let mut state = state();
        let code = code_for(&mut state, "carol");
        let wrong_secret = format!("/sns/oauth2/access_token?appid={APP_ID}&secret=x&code={code}&grant_type=authorization_code");
        let body = handle(&Request::new("GET", &wrong_secret), &mut state, NOW_MS).body_json();
        assert_eq!(body["errcode"], 40125);
        let wrong_app = format!("/sns/oauth2/access_token?appid=wx1&secret={APP_SECRET}&code={code}&grant_type=authorization_code");
        let body = handle(&Request::new("GET", &wrong_app), &mut state, NOW_MS).body_json();
        assert_eq!(body["errcode"], 40013);
        assert_eq!(
            exchange(&mut state, &code, NOW_MS)["errcode"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn the_authorize_page_refuses_what_wechat_refuses() {
        let mut state = state();
        let good = authorize_url("", APP_ID, CALLBACK, "s1");
        let no_user = open_authorize(&mut state, "", &good);
        assert_eq!(no_user.status, 400);
        assert!(String::from_utf8_lossy(&no_user.body).contains("请在微信客户端打开链接"));
        let cases = [
            (authorize_url("", "wx-other", CALLBACK, "s1"), "appid 参数错误"),
            (authorize_url("", APP_ID, "http://evil.example/cb", "s1"), "redirect_uri 参数错误"),
            (authorize_url("", APP_ID, "http://127.0.0.1@evil.example/cb", "s1"), "redirect_uri 参数错误"),
            (authorize_url("", APP_ID, "ftp://127.0.0.1/cb", "s1"), "redirect_uri 参数错误"),
            (good.replace("snsapi_base", "snsapi_login"), "scope"),
            (good.replace("response_type=code", "response_type=token"), "response_type"),
            (authorize_url("", APP_ID, CALLBACK, "a-b"), "state"),
            (
                format!("/connect/oauth2/authorize?redirect_uri={}&appid={APP_ID}&response_type=code&scope=snsapi_base", encode(CALLBACK)),
                "依次",
            ),
        ];
        for (url, says) in cases {
            let answer = open_authorize(&mut state, "dave", &url);
            assert_eq!(answer.status, 400, "{url}");
            assert!(
                String::from_utf8_lossy(&answer.body).contains(says),
                "{url}: {:?}",
                answer.refusal
            );
        }
        // Another port on the registered host is fine; the fragment never reaches a server.
        let other_port = authorize_url("", APP_ID, "http://127.0.0.1:9999/cb?x=1", "s1");
        let answer = open_authorize(&mut state, "%E5%BC%A0%E4%B8%89", &other_port);
        assert_eq!(answer.status, 302);
        assert!(answer
            .header("location")
            .unwrap_or_default()
            .starts_with("http://127.0.0.1:9999/cb?x=1&code="));
    }

    #[test]
    fn a_replaced_token_works_five_more_minutes_and_an_invalidated_one_answers_40001() {
        let mut state = state();
        let (openid, _) = identity(APP_ID, "erin");
        code_for(&mut state, "erin");
        let first = server_token_at(&mut state, NOW_MS);
        let second = server_token_at(&mut state, NOW_MS + 60_000);
        assert_ne!(first, second);
        assert_eq!(
            send(&mut state, &first, &message(&openid, ""), NOW_MS + 120_000)["errcode"],
            0
        );
        assert_eq!(
            send(&mut state, &first, &message(&openid, ""), NOW_MS + 360_000)["errcode"],
            40001
        );
        assert_eq!(
            send(&mut state, &second, &message(&openid, ""), NOW_MS + 360_000)["errcode"],
            0
        );
        assert_eq!(
            send(
                &mut state,
                &second,
                &message(&openid, ""),
                NOW_MS + 60_000 + 7_200_001
            )["errcode"],
            42001
        );
        state.wechat.revoke_tokens();
        let answer = send(&mut state, &second, &message(&openid, ""), NOW_MS + 400_000);
        assert_eq!(answer["errcode"], 40001);
        assert_eq!(
            answer["errmsg"],
            "invalid credential, access_token is invalid or not latest"
        );
        assert_eq!(
            send(&mut state, "made-up", &message(&openid, ""), NOW_MS)["errcode"],
            40001
        );
        assert_eq!(state.stats.server_tokens_issued, 2);
        assert_eq!(state.stats.template_sends, 2);
    }

    #[test]
    fn template_messages_are_checked_like_wechat_checks_them() {
        let mut state = state();
        let (openid, _) = identity(APP_ID, "frank");
        code_for(&mut state, "frank");
        let token = server_token_at(&mut state, NOW_MS);
        let mut too_long = message(&openid, "");
        too_long.data.insert(
            "thing3".into(),
            Field {
                value: "停".repeat(21),
            },
        );
        let answer = send(&mut state, &token, &too_long, NOW_MS);
        assert_eq!(answer["errcode"], 47003);
        assert_eq!(
            answer["errmsg"],
            "argument invalid! data.thing3.value invalid"
        );
        let mut plate_too_long = message(&openid, "");
        plate_too_long.data.insert(
            "car_number1".into(),
            Field {
                value: "京A123456X".into(),
            },
        );
        assert_eq!(
            send(&mut state, &token, &plate_too_long, NOW_MS)["errcode"],
            47003
        );
        let mut empty = message(&openid, "");
        empty
            .data
            .insert("thing4".into(), Field { value: " ".into() });
        assert_eq!(send(&mut state, &token, &empty, NOW_MS)["errcode"], 47003);
        let mut extra = message(&openid, "");
        extra
            .data
            .insert("first".into(), Field { value: "x".into() });
        assert_eq!(
            send(&mut state, &token, &extra, NOW_MS)["errmsg"],
            "argument invalid! data.first.value invalid"
        );
        let mut missing = message(&openid, "");
        missing.data.remove("thing2");
        assert_eq!(send(&mut state, &token, &missing, NOW_MS)["errcode"], 47003);
        let mut bad_url = message(&openid, "");
        bad_url.url = "/messages".into();
        assert_eq!(send(&mut state, &token, &bad_url, NOW_MS)["errcode"], 47003);
        let mut bad_template = message(&openid, "");
        bad_template.template_id = "other".into();
        assert_eq!(
            send(&mut state, &token, &bad_template, NOW_MS)["errcode"],
            40037
        );
        assert_eq!(
            send(&mut state, &token, &message("oNobody", ""), NOW_MS)["errcode"],
            40003
        );
        let req = Request::new(
            "POST",
            &format!("/cgi-bin/message/template/send?access_token={token}"),
        )
        .with_body("{}");
        assert_eq!(
            handle(&req, &mut state, NOW_MS).body_json()["errcode"],
            47001
        );
        assert_eq!(state.stats.template_refusals, 9);
        assert!(state.wechat.delivered_to(&openid).is_empty());
    }

    #[test]
    fn a_repeated_client_msg_id_is_delivered_once() {
        let mut state = state();
        let (openid, _) = identity(APP_ID, "grace");
        code_for(&mut state, "grace");
        let token = server_token_at(&mut state, NOW_MS);
        let first = send(&mut state, &token, &message(&openid, "notice-1"), NOW_MS);
        let again = send(
            &mut state,
            &token,
            &message(&openid, "notice-1"),
            NOW_MS + 1000,
        );
        assert_eq!(first["errcode"], 0);
        assert_eq!(again, first);
        let other = send(
            &mut state,
            &token,
            &message(&openid, "notice-2"),
            NOW_MS + 2000,
        );
        assert_ne!(other["msgid"], first["msgid"]);
        let delivered = state.wechat.delivered_to(&openid);
        assert_eq!(delivered.len(), 2);
        assert_eq!(delivered[0].message.client_msg_id, "notice-1");
        assert_eq!(state.stats.template_duplicates, 1);
        assert_eq!(state.stats.template_sends, 2);
    }

    #[test]
    fn hosts_are_read_from_urls() {
        assert_eq!(
            redirect_host("http://127.0.0.1:8787/a").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(
            redirect_host("HTTPS://Example.com?x").as_deref(),
            Some("example.com")
        );
        assert_eq!(redirect_host("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(redirect_host("http://h:x/"), None);
        assert_eq!(redirect_host("//h/"), None);
        assert_eq!(
            back_to("http://h/cb#top", "c", "s"),
            "http://h/cb?code=c&state=s#top"
        );
    }
}
