//! `POST /api/gateway/events`: car parks and charging stations report cars in and out.
//!
//! Checked in this order, so nothing is read into the system before the sender is known:
//! the timestamp window, the facility, the signature over `timestamp + "." + body`, then the
//! event itself. A facility signs with its own key; a replayed `event_id` answers as before.

use shared::api::{ErrorCode, GatewayEvent};
use shared::car_park::check_event;
use shared::ids::FacilityId;
use worker::Request;

use crate::crypto;
use crate::error::{AppError, AppResult};
use crate::http::{json, parse_json, read_body, Ctx};
use crate::store;
use crate::vehicle_do::{self, RecordEvent};

/// How far a car park's clock may be from ours (API.md: ± 300 s).
pub const WINDOW_SECONDS: i64 = 300;
/// Largest event body.
const MAX_EVENT_BYTES: usize = 4 * 1024;
/// The refusal of an unknown facility or a wrong signature.
const BAD_SIGNATURE: &str = "签名无效或车场未登记";

fn refused(message: &str) -> AppError {
    AppError::with_message(ErrorCode::Unauthenticated, message)
}

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// `POST /api/gateway/events`.
pub async fn event(ctx: &Ctx, req: &mut Request) -> AppResult {
    let timestamp = header(req, "x-timestamp").ok_or_else(|| refused("缺少 X-Timestamp"))?;
    let signature = header(req, "x-signature").ok_or_else(|| refused("缺少 X-Signature"))?;
    let seconds: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| refused("X-Timestamp 应为 Unix 秒数"))?;
    let now_seconds = ctx.now.unix_millis() / 1000;
    if now_seconds.abs_diff(seconds) > WINDOW_SECONDS.unsigned_abs() {
        return Err(refused(
            "X-Timestamp 超出允许范围（±300 秒），请校准车场时钟",
        ));
    }
    let body = read_body(
        req,
        MAX_EVENT_BYTES,
        || AppError::invalid("事件内容过大"),
        "事件内容无法读取",
    )
    .await?;
    // Only the facility id is read before the signature is checked: it names the key.
    let facility_id = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("facility_id")?.as_str().map(FacilityId::new))
        .ok_or_else(|| AppError::invalid("事件不是有效的 JSON 或缺少 facility_id"))?;
    let facility = store::facilities::kept(&ctx.db()?, &facility_id, ctx.now.unix_millis())
        .await?
        // The same answer as a bad signature: nobody learns which facility ids exist.
        .ok_or_else(|| refused(BAD_SIGNATURE))?;
    let mut signed = timestamp.into_bytes();
    signed.push(b'.');
    signed.extend_from_slice(&body);
    if !crypto::hmac_verify(facility.secret.as_bytes(), &signed, &signature) {
        return Err(refused(BAD_SIGNATURE));
    }
    let event: GatewayEvent = parse_json(&body)?;
    let event = check_event(event, facility.terms)?;
    let plate = event.plate.clone();
    let call = RecordEvent {
        facility: facility.facility,
        event,
        now: ctx.now,
    };
    let answer = vehicle_do::ask(&ctx.env, &plate, &call).await?;
    json(200, &answer)
}
