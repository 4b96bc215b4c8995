//! Times as a driver reads them: in the phone's own time zone, to the minute.

use shared::timestamp::Timestamp;
use wasm_bindgen::JsValue;

/// `2026-11-28 17:40` in the phone's time zone (the API speaks UTC).
pub fn local_time(t: Timestamp) -> String {
    // f64 holds every millisecond of the years people park in exactly.
    let date = js_sys::Date::new(&JsValue::from_f64(t.unix_millis() as f64));
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// `2026-11-28` in the phone's time zone.
pub fn local_date(t: Timestamp) -> String {
    local_time(t).chars().take(10).collect()
}

/// The moment now, from the phone's clock (only to grey out expired coupons).
pub fn now() -> Timestamp {
    Timestamp::from_unix_millis(js_sys::Date::now() as i64)
}

/// `2026-11-28 11:40` (UTC): minutes are enough for an operator to read a queue or a history.
pub fn short_time(t: Timestamp) -> String {
    t.to_string()
        .get(..16)
        .unwrap_or_default()
        .replace('T', " ")
}
