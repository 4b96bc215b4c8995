//! WeChat Pay API v3: signed requests with verified answers, verified and opened notifications
//! (the settings are in `settings.rs`). Production pays through it; without its settings a deployment offers no online
//! payment (never the sandbox wallet, which exists in dev runs only).

pub mod crypto;

use shared::providers::wechat_pay::{
    answer_message, authorization, request_message, PayError, CLOCK_WINDOW_SECS,
};
use shared::timestamp::Timestamp;
use worker::Method;

use crate::error::AppError;
use crate::outbound;
pub use crate::settings::PaySettings;

/// Why a call to WeChat Pay gave nothing usable.
#[derive(Debug)]
pub enum PayFailure {
    /// WeChat Pay answered with an error (`ORDER_NOT_EXIST`, `ORDERPAID`…).
    Refused {
        /// HTTP status.
        status: u16,
        /// Its code.
        code: String,
        /// Its message.
        message: String,
    },
    /// An answer whose signature, serial or time did not check out: not WeChat Pay's.
    Unverified(String),
    /// No answer.
    Unreachable(String),
}

impl std::fmt::Display for PayFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused {
                status,
                code,
                message,
            } => write!(f, "{status} {code} ({message})"),
            Self::Unverified(why) => write!(f, "unverified answer: {why}"),
            Self::Unreachable(why) => write!(f, "unreachable: {why}"),
        }
    }
}

/// Checks a signed message of WeChat Pay (an answer or a notification): the key it names, the
/// time, the signature over time, nonce and body. Probes (`WECHATPAY/SIGNTEST/…`) fail here too.
pub async fn check_signed(
    settings: &PaySettings,
    header: impl Fn(&str) -> Option<String>,
    body: &str,
    now: Timestamp,
) -> Result<(), String> {
    let get = |name: &str| header(name).ok_or_else(|| format!("no {name}"));
    let serial = get("wechatpay-serial")?;
    if serial != settings.public_key_id {
        return Err(format!("serial {serial} is not our WeChat Pay key"));
    }
    let timestamp = get("wechatpay-timestamp")?;
    let at: i64 = timestamp.parse().map_err(|_| "bad timestamp".to_owned())?;
    if (at - now.unix_millis() / 1000).abs() > CLOCK_WINDOW_SECS {
        return Err(format!("timestamp {at} outside the window"));
    }
    let nonce = get("wechatpay-nonce")?;
    let signature = get("wechatpay-signature")?;
    let message = answer_message(&timestamp, &nonce, body);
    match crypto::verify(&settings.public_der, &message, &signature).await {
        Ok(true) => Ok(()),
        Ok(false) => Err("bad signature".to_owned()),
        Err(err) => Err(format!("{err:?}")),
    }
}

/// One signed call; the answer's body when WeChat Pay says 2xx and its signature checks out.
pub async fn call(
    settings: &PaySettings,
    method: Method,
    path_and_query: &str,
    body: Option<String>,
    now: Timestamp,
) -> Result<String, PayFailure> {
    let unreachable = |e: AppError| PayFailure::Unreachable(format!("{e:?}"));
    let nonce = crate::crypto::random_hex(16).map_err(unreachable)?;
    let timestamp = now.unix_millis() / 1000;
    let text = body.clone().unwrap_or_default();
    let message = request_message(method.as_ref(), path_and_query, timestamp, &nonce, &text);
    let signature = crypto::sign(&settings.private_der, &message)
        .await
        .map_err(unreachable)?;
    let auth = authorization(
        &settings.mch_id,
        &nonce,
        timestamp,
        &settings.serial,
        &signature,
    );
    let url = format!("{}{path_and_query}", settings.api_url);
    let mut headers = vec![
        ("authorization", auth.as_str()),
        ("accept", "application/json"),
        ("user-agent", "my-vehicles/1 (Cloudflare Workers)"),
    ];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    let answer = outbound::send(method, &url, &headers, body)
        .await
        .map_err(PayFailure::Unreachable)?;
    let header = |name: &str| answer.header(name).map(str::to_owned);
    check_signed(settings, header, &answer.body, now)
        .await
        .map_err(PayFailure::Unverified)?;
    if (200..300).contains(&answer.status) {
        return Ok(answer.body);
    }
    let error: PayError = serde_json::from_str(&answer.body).unwrap_or(PayError {
        code: "UNKNOWN".to_owned(),
        message: answer.body.clone(),
    });
    Err(PayFailure::Refused {
        status: answer.status,
        code: error.code,
        message: error.message,
    })
}

/// The 支付分停车 service state of `plate` (with `color`) for the driver `openid`.
pub async fn service_state(
    settings: &PaySettings,
    plate: &shared::plate::Plate,
    color: shared::providers::wechat_pay::PlateColor,
    openid: &str,
    now: Timestamp,
) -> Result<shared::providers::wechat_pay::ServiceState, PayFailure> {
    use shared::providers::wechat::encode;
    use shared::providers::wechat_pay::{ParkingService, PARKING_SERVICE_PATH};
    let path = format!(
        "{PARKING_SERVICE_PATH}?appid={}&plate_number={}&plate_color={}&openid={}",
        encode(&settings.app_id),
        encode(plate.as_str()),
        color.code(),
        encode(openid)
    );
    let text = call(settings, Method::Get, &path, None, now).await?;
    let service: ParkingService = serde_json::from_str(&text)
        .map_err(|e| PayFailure::Unverified(format!("service answer: {e}")))?;
    Ok(service.service_state)
}
