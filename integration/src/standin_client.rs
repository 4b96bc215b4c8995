//! The HTTP tests' handle on the stand-in (`STANDIN_URL`, set by scripts/test): read the codes
//! and notices the providers accepted, arm failures for one phone or openid, and expire tokens;
//! for WeChat Pay, read the run's keys, pay orders, send forged notifications, open a plate's
//! 支付分停车 service and fail its deductions.
//! Tests run in parallel against one stand-in, so every call names its own target.

use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use shared::providers::wechat::encode;

use crate::standin::control::e164;
use crate::standin::pay::crypto::{MERCHANT_KEY_FILE, WECHATPAY_KEY_FILE};

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

    /// Sends `body` (JSON) or nothing with `method`; the status and the JSON body (`Null` if none).
    #[track_caller]
    fn call_json(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let result = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            (_, Some(body)) => self.agent.post(&url).send_json(body),
            (_, None) => self.agent.post(&url).send_empty(),
        };
        let mut response = result.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or_default())
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

    /// The run's WeChat Pay keys, as the stand-in wrote them into `STANDIN_KEYS_DIR`: (the
    /// merchant private key, Base64 PKCS#8 DER; the 微信支付公钥, Base64 SPKI DER).
    #[track_caller]
    pub fn pay_keys(&self) -> (String, String) {
        let dir = std::env::var("STANDIN_KEYS_DIR")
            .unwrap_or_else(|_| panic!("STANDIN_KEYS_DIR is not set: pay is off"));
        pay_keys_in(Path::new(&dir))
    }

    /// The user pays `out_trade_no` without a pay sheet; the notification is delivered `notify`
    /// (`once`, `twice` with the same id, or `none`: lost) before this returns. The answer:
    /// `out_trade_no`, `trade_state`, `transaction_id`, `notification_id`, and the worker's
    /// `status` (the last) and `statuses`.
    #[track_caller]
    pub fn pay_confirm(&self, out_trade_no: &str, notify: &str) -> Value {
        let body = json!({ "out_trade_no": out_trade_no, "notify": notify });
        let (status, answer) = self.call_json("POST", "/__standin/pay/confirm", Some(&body));
        assert_eq!(status, 200, "pay_confirm {out_trade_no}: {answer}");
        answer
    }

    /// The payer's payment that went through as the merchant closed `out_trade_no` (WeChat
    /// Pay's close/pay race): a closed order becomes paid and its notification is sent.
    #[track_caller]
    pub fn pay_late(&self, out_trade_no: &str) -> Value {
        let body = json!({ "out_trade_no": out_trade_no, "notify": "once", "late": true });
        let (status, answer) = self.call_json("POST", "/__standin/pay/confirm", Some(&body));
        assert_eq!(status, 200, "pay_late {out_trade_no}: {answer}");
        answer
    }

    /// Sends one forged `TRANSACTION.SUCCESS` for `out_trade_no` with the defect `kind`
    /// (`bad_signature`, `wrong_serial`, `stale_timestamp`, `tampered_ciphertext`); the
    /// worker's HTTP status (0 if it could not be reached).
    #[track_caller]
    pub fn pay_forged(&self, out_trade_no: &str, kind: &str) -> u16 {
        let body = json!({ "out_trade_no": out_trade_no, "kind": kind });
        let (status, answer) = self.call_json("POST", "/__standin/pay/forged", Some(&body));
        assert_eq!(status, 200, "pay_forged {out_trade_no}: {answer}");
        answer["status"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0)
    }

    /// Where an order (JSAPI or parking) stands at WeChat Pay: `trade_state`, `transaction_id`,
    /// `total`, `refunds` and `deliveries`; `None` if WeChat Pay never heard of it.
    #[track_caller]
    pub fn pay_order(&self, out_trade_no: &str) -> Option<Value> {
        let path = format!(
            "/__standin/pay/orders?out_trade_no={}",
            encode(out_trade_no)
        );
        let (status, answer) = self.call_json("GET", &path, None);
        match status {
            200 => Some(answer),
            404 => None,
            _ => panic!("pay_order {out_trade_no}: {status} {answer}"),
        }
    }

    /// The order whose pay sheet has `prepay_id` (same shape as [`Standin::pay_order`], with
    /// `out_trade_no`); `None` if no order has it.
    #[track_caller]
    pub fn pay_order_by_prepay(&self, prepay_id: &str) -> Option<Value> {
        let path = format!("/__standin/pay/orders?prepay_id={}", encode(prepay_id));
        let (status, answer) = self.call_json("GET", &path, None);
        match status {
            200 => Some(answer),
            404 => None,
            _ => panic!("pay_order_by_prepay {prepay_id}: {status} {answer}"),
        }
    }

    /// What `WeixinJSBridge.invoke('getBrandWCPayRequest', sheet)` gives the page: the stand-in
    /// checks the sheet and its paySign, the user pays, the notification is delivered, and the
    /// answer is `{"err_msg": "get_brand_wcpay_request:ok"}` (or `…:fail`).
    #[track_caller]
    pub fn pay_sheet(&self, sheet: &Value) -> Value {
        let (status, answer) = self.call_json("POST", "/__standin/pay/sheet", Some(sheet));
        assert_eq!(status, 200, "pay_sheet: {answer}");
        answer
    }

    /// Sets `openid`'s 支付分停车 service for a plate (`NORMAL`, `PAUSE`, `OUT_SERVICE`), as
    /// the user would in WeChat.
    #[track_caller]
    pub fn set_parking_service(&self, openid: &str, plate: &str, color: &str, state: &str) {
        let body = json!({
            "openid": openid, "plate_number": plate, "plate_color": color, "state": state,
        });
        self.post("/__standin/pay/parking-service", Some(body));
    }

    /// The plate's next parking deduction ends `PAY_FAIL`.
    #[track_caller]
    pub fn fail_deduction(&self, plate: &str) {
        let body = json!({ "plate_number": plate });
        self.post("/__standin/pay/fail-deduction", Some(body));
    }

    /// Every notification delivery about `out_trade_no`, oldest first: `id`, `event_type`,
    /// `status` (the worker's last), `attempts`, `forged`, `body` (the envelope) and `resource`
    /// (decrypted).
    #[track_caller]
    pub fn pay_deliveries(&self, out_trade_no: &str) -> Vec<Value> {
        self.get(&format!(
            "/__standin/pay/deliveries?out_trade_no={}",
            encode(out_trade_no)
        ))
    }

    /// Waits up to `timeout` until `out_trade_no` has `n` deliveries the worker answered (or
    /// could not be reached for); all of them (fewer on timeout). Parking deductions and refunds
    /// notify in the background.
    #[track_caller]
    pub fn wait_for_deliveries(
        &self,
        out_trade_no: &str,
        n: usize,
        timeout: Duration,
    ) -> Vec<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let delivered = self.pay_deliveries(out_trade_no);
            let tried = delivered
                .iter()
                .filter(|d| d["attempts"].as_array().is_some_and(|a| !a.is_empty()))
                .count();
            if tried >= n || Instant::now() >= deadline {
                return delivered;
            }
            sleep(POLL);
        }
    }

    /// The counts: tokens issued, templates delivered / duplicated / refused, SMS sent /
    /// refused, OAuth exchanges, JSAPI orders, pay notifications sent, refunds.
    #[track_caller]
    pub fn stats(&self) -> Value {
        self.get("/__standin/stats")
    }
}

/// The keys the stand-in wrote into `dir`: (merchant private, WeChat Pay public), Base64 DER.
#[track_caller]
pub fn pay_keys_in(dir: &Path) -> (String, String) {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .trim()
            .to_owned()
    };
    (read(MERCHANT_KEY_FILE), read(WECHATPAY_KEY_FILE))
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

/// WeChat Pay through real sockets: the worker's side is played by a small receiver that checks
/// notifications as the worker must (signature, serial, clock, decryption) and answers 200, or
/// 401/400 when a check fails.
#[cfg(test)]
mod pay_tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::standin::fixture::{config, APP_ID};
    use crate::standin::pay::auth::{authorize, verify_signed};
    use crate::standin::pay::crypto::{open, private_key_from_b64, public_key_from_b64};
    use crate::standin::pay::fixture::{pay_config, APIV3_KEY, MCH_ID, PUBLIC_KEY_ID, SERIAL};
    use crate::standin::server::bind;

    fn now_ms() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64
    }

    fn headers_of(response: &ureq::http::Response<ureq::Body>) -> Vec<(String, String)> {
        response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    v.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// A notify_url that verifies like the worker; answers 500 once when `fail_once` is set.
    fn receiver(public: rsa::RsaPublicKey, fail_once: Arc<AtomicBool>) -> String {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        std::thread::spawn(move || {
            for mut request in server.incoming_requests() {
                let mut body = Vec::new();
                request.as_reader().read_to_end(&mut body).unwrap();
                let headers: Vec<(String, String)> = request
                    .headers()
                    .iter()
                    .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_owned()))
                    .collect();
                let envelope: Value = serde_json::from_slice(&body).unwrap_or_default();
                let resource = &envelope["resource"];
                let opened = open(
                    APIV3_KEY,
                    resource["nonce"].as_str().unwrap_or_default(),
                    resource["associated_data"].as_str().unwrap_or_default(),
                    resource["ciphertext"].as_str().unwrap_or_default(),
                );
                let status = if !verify_signed(&headers, &body, &public, PUBLIC_KEY_ID, now_ms()) {
                    401
                } else if opened.is_none() {
                    400
                } else if fail_once.swap(false, Ordering::SeqCst) {
                    500
                } else {
                    204
                };
                let _ = request.respond(tiny_http::Response::empty(status));
            }
        });
        format!("http://127.0.0.1:{port}/api/pay/notify")
    }

    #[test]
    fn orders_notifications_and_deductions_go_through_real_sockets() {
        let dir = std::env::temp_dir().join(format!("standin-pay-{}", std::process::id()));
        let config = crate::standin::Config {
            pay: Some(crate::standin::pay::config::PayConfig {
                keys_dir: dir.clone(),
                ..pay_config()
            }),
            ..config()
        };
        let server = bind(config, 0).unwrap();
        let base = format!("http://127.0.0.1:{}", server.port());
        std::thread::spawn(move || server.run());
        let standin = Standin::at(&base);
        let (merchant, platform) = pay_keys_in(&dir);
        let merchant = private_key_from_b64(&merchant).unwrap();
        let platform = public_key_from_b64(&platform).unwrap();
        let fail_once = Arc::new(AtomicBool::new(false));
        let notify_url = receiver(platform.clone(), Arc::clone(&fail_once));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let call = |method: &str, url: &str, body: &Value| -> (u16, Value) {
            let body = if method == "GET" {
                String::new()
            } else {
                body.to_string()
            };
            let auth = authorize(
                &merchant,
                MCH_ID,
                SERIAL,
                (method, url, body.as_bytes()),
                now_ms() / 1000,
                "0123456789ABCDEF0123456789ABCDEF",
            );
            let full = format!("{base}{url}");
            let mut response = if method == "GET" {
                agent.get(&full).header("Authorization", &auth).call()
            } else {
                agent
                    .post(&full)
                    .header("Authorization", &auth)
                    .header("Content-Type", "application/json")
                    .send(body.as_bytes())
            }
            .unwrap();
            let headers = headers_of(&response);
            let bytes = response.body_mut().read_to_vec().unwrap();
            assert!(verify_signed(
                &headers,
                &bytes,
                &platform,
                PUBLIC_KEY_ID,
                now_ms()
            ));
            (
                response.status().as_u16(),
                serde_json::from_slice(&bytes).unwrap_or_default(),
            )
        };

        // A JSAPI order, paid with a duplicated notification.
        let order = json!({
            "appid": APP_ID, "mchid": MCH_ID, "description": "停车费", "out_trade_no": "S20250615001",
            "notify_url": notify_url, "amount": {"total": 800, "currency": "CNY"},
            "payer": {"openid": "oSocket"},
        });
        let (status, prepay) = call("POST", "/v3/pay/transactions/jsapi", &order);
        assert_eq!(status, 200, "{prepay}");
        let paid = standin.pay_confirm("S20250615001", "twice");
        assert_eq!(paid["statuses"], json!([204, 204]), "{paid}");
        let query = format!("/v3/pay/transactions/out-trade-no/S20250615001?mchid={MCH_ID}");
        assert_eq!(
            call("GET", &query, &Value::Null).1["trade_state"],
            "SUCCESS"
        );
        let delivered = standin.pay_deliveries("S20250615001");
        assert_eq!(delivered.len(), 2);
        assert_eq!(delivered[0]["id"], delivered[1]["id"]);
        assert_eq!(
            delivered[0]["resource"]["transaction_id"],
            paid["transaction_id"]
        );

        // Forgeries are refused by a receiver that checks; the order is unchanged.
        assert_eq!(standin.pay_forged("S20250615001", "bad_signature"), 401);
        assert_eq!(standin.pay_forged("S20250615001", "wrong_serial"), 401);
        assert_eq!(standin.pay_forged("S20250615001", "stale_timestamp"), 401);
        assert_eq!(
            standin.pay_forged("S20250615001", "tampered_ciphertext"),
            400
        );
        let seen = standin.pay_order("S20250615001").unwrap();
        assert_eq!(seen["deliveries"].as_array().map(Vec::len), Some(6));
        assert_eq!(standin.pay_order("S20250615404"), None);

        // A refund settles in the background; its notification is retried after a 500.
        fail_once.store(true, Ordering::SeqCst);
        let refund = json!({
            "out_trade_no": "S20250615001", "out_refund_no": "RS1", "notify_url": notify_url,
            "amount": {"refund": 800, "total": 800, "currency": "CNY"},
        });
        assert_eq!(call("POST", "/v3/refund/domestic/refunds", &refund).0, 200);
        let after = standin.wait_for_deliveries("S20250615001", 7, Duration::from_secs(3));
        let refunded = after.last().unwrap();
        assert_eq!(refunded["event_type"], "REFUND.SUCCESS");
        let deadline = Instant::now() + Duration::from_secs(4);
        while standin.pay_deliveries("S20250615001")[6]["status"] != 204
            && Instant::now() < deadline
        {
            sleep(POLL);
        }
        assert_eq!(
            standin.pay_deliveries("S20250615001")[6]["attempts"],
            json!([500, 204])
        );
        assert_eq!(
            standin.pay_order("S20250615001").unwrap()["trade_state"],
            "REFUND"
        );

        // 支付分停车: a served plate enters, and its deductions settle with notifications.
        let plate = "粤B12345";
        standin.set_parking_service("oSocket", plate, "BLUE", "NORMAL");
        let find = format!(
            "/v3/vehicle/parking/services/find?appid={APP_ID}&plate_number={}&plate_color=BLUE&openid=oSocket",
            encode(plate)
        );
        assert_eq!(
            call("GET", &find, &Value::Null).1["service_state"],
            "NORMAL"
        );
        let entry = json!({
            "out_parking_no": "PS1", "plate_number": plate, "plate_color": "BLUE",
            "notify_url": notify_url, "start_time": "2025-06-15T20:00:00+08:00",
            "parking_name": "星河湾停车场", "free_duration": 900,
        });
        let (status, entered) = call("POST", "/v3/vehicle/parking/parkings", &entry);
        assert_eq!(status, 200, "{entered}");
        standin.fail_deduction(plate);
        for no in ["PD20250615001", "PD20250615002"] {
            let deduction = json!({
                "appid": APP_ID, "description": "停车费", "out_trade_no": no, "trade_scene": "PARKING",
                "notify_url": notify_url, "amount": {"total": 600, "currency": "CNY"},
                "parking_info": {
                    "parking_id": entered["id"], "plate_number": plate, "plate_color": "BLUE",
                    "start_time": "2025-06-15T20:00:00+08:00", "end_time": "2025-06-15T22:00:00+08:00",
                    "parking_name": "星河湾停车场", "charging_duration": 6300, "device_id": "gate-1",
                },
            });
            let (status, accepted) = call("POST", "/v3/vehicle/transactions/parking", &deduction);
            assert_eq!(
                (status, accepted["trade_state"].clone()),
                (200, json!("ACCEPTED"))
            );
            let delivered = standin.wait_for_deliveries(no, 1, Duration::from_secs(3));
            assert_eq!(delivered.len(), 1, "{no}");
            assert_eq!(delivered[0]["status"], 204);
        }
        assert_eq!(
            standin.pay_deliveries("PD20250615001")[0]["event_type"],
            "TRANSACTION.FAIL"
        );
        assert_eq!(
            standin.pay_deliveries("PD20250615002")[0]["event_type"],
            "TRANSACTION.SUCCESS"
        );
        let stats = standin.stats();
        assert_eq!(
            (stats["jsapi_orders"].clone(), stats["refunds"].clone()),
            (json!(1), json!(1))
        );
        assert_eq!(stats["notifications_sent"], 5);
        let _ = std::fs::remove_dir_all(dir);
    }
}
