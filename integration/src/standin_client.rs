//! The HTTP tests' handle on the stand-in (`STANDIN_URL`, set by scripts/test): read the codes
//! and notices the providers accepted, arm failures for one phone or openid, and expire tokens.
//! Tests run in parallel against one stand-in, so every call names its own target.

use std::thread::sleep;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use shared::providers::wechat::encode;

use crate::standin::control::e164;

/// How long [`Standin::latest_code`] waits for a code to arrive.
const CODE_WAIT: Duration = Duration::from_secs(3);
/// How often the waits look again.
const POLL: Duration = Duration::from_millis(50);

/// The stand-in at one base URL.
#[derive(Clone)]
pub struct Standin {
    agent: ureq::Agent,
    base: String,
}

impl Standin {
    /// The stand-in named by `STANDIN_URL`, if the suite runs with one.
    pub fn from_env() -> Option<Self> {
        let base = std::env::var("STANDIN_URL").ok()?;
        (!base.trim().is_empty()).then(|| Self::at(base.trim()))
    }

    /// The stand-in at `base`, e.g. `http://127.0.0.1:9100`.
    pub fn at(base: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        Self {
            agent,
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// The base URL.
    pub fn url(&self) -> &str {
        &self.base
    }

    #[track_caller]
    fn get<T: DeserializeOwned>(&self, path: &str) -> T {
        let url = format!("{}{path}", self.base);
        let mut response = self
            .agent
            .get(&url)
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert_eq!(status, 200, "GET {url}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {url} ({e}): {body}"))
    }

    #[track_caller]
    fn post(&self, path: &str, body: Option<Value>) {
        let url = format!("{}{path}", self.base);
        let request = self.agent.post(&url);
        let result = match body {
            Some(body) => request.send_json(&body),
            None => request.send_empty(),
        };
        let mut response = result.unwrap_or_else(|e| panic!("POST {url}: {e}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        assert_eq!(status, 204, "POST {url}: {text}");
    }

    /// Every code texted to `phone` (11 digits or E.164), oldest first.
    #[track_caller]
    pub fn sms_codes(&self, phone: &str) -> Vec<String> {
        let phone = e164(phone).unwrap_or_else(|| panic!("not a mainland phone: {phone}"));
        let sent: Vec<Value> = self.get(&format!("/__standin/sms?phone={}", encode(&phone)));
        sent.iter()
            .filter_map(|s| s["code"].as_str().map(str::to_owned))
            .collect()
    }

    /// Waits up to `timeout` until `phone` has been texted `n` codes; all of them, oldest first
    /// (fewer if the time ran out). To read the code of the N-th request, wait for N.
    #[track_caller]
    pub fn wait_for_codes(&self, phone: &str, n: usize, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let codes = self.sms_codes(phone);
            if codes.len() >= n || Instant::now() >= deadline {
                return codes;
            }
            sleep(POLL);
        }
    }

    /// The newest code texted to `phone`, waiting up to 3 s for a first one. A code asked for
    /// after an earlier one may not have arrived yet: use [`Standin::wait_for_codes`] for that.
    #[track_caller]
    pub fn latest_code(&self, phone: &str) -> Option<String> {
        self.wait_for_codes(phone, 1, CODE_WAIT).pop()
    }

    /// Every template message delivered to `openid`, oldest first: the `TemplateMessage` as
    /// sent plus `msgid` and `at_ms`.
    #[track_caller]
    pub fn templates(&self, openid: &str) -> Vec<Value> {
        self.get(&format!("/__standin/templates?touser={}", encode(openid)))
    }

    /// Waits up to `timeout` until `openid` has `n` messages; all of them (fewer on timeout).
    #[track_caller]
    pub fn wait_for_templates(&self, openid: &str, n: usize, timeout: Duration) -> Vec<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let delivered = self.templates(openid);
            if delivered.len() >= n || Instant::now() >= deadline {
                return delivered;
            }
            sleep(POLL);
        }
    }

    /// Makes the next `times` calls of `service` (`sms`, `oauth`, `token`, `template`) for
    /// `target` (a phone, a code or openid, an openid; `None`: any call) fail with `code` (a
    /// Tencent code string for sms, a WeChat errcode number otherwise).
    #[track_caller]
    pub fn fail(&self, service: &str, code: Value, target: Option<&str>, times: u32) {
        let mut body = json!({ "service": service, "code": code, "times": times });
        if let Some(target) = target {
            body["target"] = target.into();
        }
        self.post("/__standin/fail", Some(body));
    }

    /// Every server access token issued so far stops working (40001).
    #[track_caller]
    pub fn expire_tokens(&self) {
        self.post("/__standin/expire-tokens", None);
    }

    /// The (openid, unionid) WeChat gives the person `name` (as set in `X-Standin-Wechat-User`).
    #[track_caller]
    pub fn openid_of(&self, name: &str) -> (String, String) {
        let ids: Value = self.get(&format!("/__standin/openid?user={}", encode(name)));
        let field = |key: &str| ids[key].as_str().unwrap_or_default().to_owned();
        (field("openid"), field("unionid"))
    }

    /// The counts: tokens issued, templates delivered / duplicated / refused, SMS sent /
    /// refused, OAuth exchanges.
    #[track_caller]
    pub fn stats(&self) -> Value {
        self.get("/__standin/stats")
    }
}

/// The client against a real stand-in on a free port: the signatures and redirects go through
/// real sockets, as the worker's calls will.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::standin::fixture::*;
    use crate::standin::server::bind;
    use crate::standin::wechat::USER_HEADER;
    use shared::providers::tc3::{Tc3Request, CONTENT_TYPE};
    use shared::providers::tencent_sms::{ACTION, DEFAULT_REGION, SERVICE, VERSION};
    use shared::providers::wechat::authorize_url;

    fn start() -> (Standin, ureq::Agent, u16) {
        let server = bind(config(), 0).unwrap();
        let port = server.port();
        std::thread::spawn(move || server.run());
        let raw: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        (Standin::at(&format!("http://127.0.0.1:{port}")), raw, port)
    }

    fn get_json(agent: &ureq::Agent, url: &str) -> Value {
        agent
            .get(url)
            .call()
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap()
    }

    #[test]
    fn a_signed_text_and_a_template_go_through_real_sockets() {
        let (standin, agent, port) = start();
        let base = standin.url().to_owned();

        // SendSms, signed over the Host header ureq sends.
        let host = format!("127.0.0.1:{port}");
        let body = format!(
            r#"{{"PhoneNumberSet":["+8613900000099"],"SmsSdkAppId":"{SDK_APP_ID}","SignName":"{SIGN_NAME}","TemplateId":"{SMS_TEMPLATE_ID}","TemplateParamSet":["246810"]}}"#
        );
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let send = |body: &str| -> Value {
            let tc3 = Tc3Request {
                secret_id: SECRET_ID,
                secret_key: SECRET_KEY,
                service: SERVICE,
                host: &host,
                action: ACTION,
                timestamp,
                payload: body,
            };
            agent
                .post(&format!("{base}/"))
                .header("Authorization", &tc3.authorization())
                .header("Content-Type", CONTENT_TYPE)
                .header("X-TC-Action", ACTION)
                .header("X-TC-Version", VERSION)
                .header("X-TC-Timestamp", &timestamp.to_string())
                .header("X-TC-Region", DEFAULT_REGION)
                .send(body)
                .unwrap()
                .body_mut()
                .read_json()
                .unwrap()
        };
        let answer = send(&body);
        assert_eq!(
            answer["Response"]["SendStatusSet"][0]["Code"], "Ok",
            "{answer}"
        );
        assert_eq!(
            standin.latest_code("13900000099").as_deref(),
            Some("246810")
        );
        standin.fail(
            "sms",
            json!("LimitExceeded.PhoneNumberOneHourLimit"),
            Some("13900000099"),
            1,
        );
        let limited = send(&body);
        assert_eq!(
            limited["Response"]["SendStatusSet"][0]["Code"],
            "LimitExceeded.PhoneNumberOneHourLimit"
        );
        assert_eq!(standin.sms_codes("+8613900000099"), ["246810"]);

        // 网页授权 → code → openid.
        let authorize = authorize_url(&base, APP_ID, "http://127.0.0.1:8787/cb", "s1");
        let authorize = authorize.split('#').next().unwrap();
        let redirect = agent
            .get(authorize)
            .header(USER_HEADER, "%E5%BC%A0%E4%B8%89")
            .call()
            .unwrap();
        assert_eq!(redirect.status().as_u16(), 302);
        let location = redirect.headers()["location"].to_str().unwrap().to_owned();
        let code = location
            .split("code=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        let exchanged = get_json(
            &agent,
            &format!("{base}/sns/oauth2/access_token?appid={APP_ID}&secret={APP_SECRET}&code={code}&grant_type=authorization_code"),
        );
        let (openid, _) = standin.openid_of("张三");
        assert_eq!(exchanged["openid"], openid.as_str());

        // A template message, then the same after the tokens are expired.
        let token = get_json(
            &agent,
            &format!("{base}/cgi-bin/token?grant_type=client_credential&appid={APP_ID}&secret={APP_SECRET}"),
        )["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let message = json!({
            "touser": openid, "template_id": TEMPLATE_ID, "url": "http://127.0.0.1:8787/messages",
            "client_msg_id": "m1",
            "data": {"car_number1": {"value": "京A12345"}, "thing2": {"value": "星河湾停车场"},
                     "thing3": {"value": "已入场"}, "thing4": {"value": "点击查看"}}
        });
        let send_url = format!("{base}/cgi-bin/message/template/send?access_token={token}");
        let sent: Value = agent
            .post(&send_url)
            .send_json(&message)
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        assert_eq!(sent["errcode"], 0);
        let delivered = standin.wait_for_templates(&openid, 1, Duration::from_secs(1));
        assert_eq!(delivered.len(), 1);
        assert_eq!(delivered[0]["data"]["thing2"]["value"], "星河湾停车场");
        assert_eq!(delivered[0]["msgid"], sent["msgid"]);
        standin.expire_tokens();
        let refused: Value = agent
            .post(&send_url)
            .send_json(&message)
            .unwrap()
            .body_mut()
            .read_json()
            .unwrap();
        assert_eq!(refused["errcode"], 40001);

        let stats = standin.stats();
        assert_eq!(stats["sms_sends"], 1);
        assert_eq!(stats["sms_refusals"], 1);
        assert_eq!(stats["oauth_exchanges"], 1);
        assert_eq!(stats["template_sends"], 1);
        assert_eq!(stats["template_refusals"], 1);
    }
}
