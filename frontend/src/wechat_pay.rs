//! WeChat's pay sheet: WeixinJSBridge `getBrandWCPayRequest` with the sheet the worker signed.
//! The sheet's answer only says what the payer did; the order is paid when WeChat Pay tells the
//! worker, so the page then waits for the worker to say so.

use js_sys::{Function, Object, Promise, Reflect};
use shared::providers::wechat_pay::PaySheet;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What the payer did in the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetOutcome {
    /// `get_brand_wcpay_request:ok`: paid (as far as the sheet knows).
    Paid,
    /// `…:cancel`: closed the sheet.
    Cancelled,
    /// `…:fail` or anything else.
    Failed,
}

/// Opens the pay sheet; `None` when this page has no WeixinJSBridge (not in WeChat).
pub async fn open(sheet: &PaySheet) -> Option<SheetOutcome> {
    let window = web_sys::window()?;
    let bridge = Reflect::get(&window, &"WeixinJSBridge".into()).ok()?;
    let invoke: Function = Reflect::get(&bridge, &"invoke".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let params = Object::new();
    for (key, value) in [
        ("appId", &sheet.app_id),
        ("timeStamp", &sheet.time_stamp),
        ("nonceStr", &sheet.nonce_str),
        ("package", &sheet.package),
        ("signType", &sheet.sign_type),
        ("paySign", &sheet.pay_sign),
    ] {
        Reflect::set(&params, &key.into(), &value.into()).ok()?;
    }
    let answered = Promise::new(&mut |resolve, _| {
        let on_error = resolve.clone();
        let done = wasm_bindgen::closure::Closure::once_into_js(move |res: JsValue| {
            let message = Reflect::get(&res, &"err_msg".into()).unwrap_or_default();
            let _ = resolve.call1(&JsValue::NULL, &message);
        });
        let name: JsValue = "getBrandWCPayRequest".into();
        if invoke.call3(&bridge, &name, &params, &done).is_err() {
            let _ = on_error.call1(&JsValue::NULL, &"get_brand_wcpay_request:fail".into());
        }
    });
    let message = JsFuture::from(answered)
        .await
        .ok()?
        .as_string()
        .unwrap_or_default();
    Some(match message.as_str() {
        "get_brand_wcpay_request:ok" => SheetOutcome::Paid,
        "get_brand_wcpay_request:cancel" => SheetOutcome::Cancelled,
        _ => SheetOutcome::Failed,
    })
}

/// Whether this page can open WeChat's pay sheet.
pub fn available() -> bool {
    web_sys::window()
        .and_then(|w| Reflect::has(&w, &"WeixinJSBridge".into()).ok())
        .unwrap_or(false)
}

/// Waits (up to about 20 s) for the worker to say order `id` is paid.
pub async fn wait_until_paid(id: &shared::ids::OrderId) -> bool {
    for _ in 0..20 {
        if let Ok(list) = crate::api::orders::list().await {
            if list.orders.iter().any(|o| &o.id == id && o.paid) {
                return true;
            }
        }
        gloo_timers::future::TimeoutFuture::new(1_000).await;
    }
    false
}

/// Opens a mini-program page from the 公众号 page (`launchMiniProgram`) and waits until the
/// driver is back; nothing happens outside WeChat.
pub async fn launch_mini_program(app_id: &str, path: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(bridge) = Reflect::get(&window, &"WeixinJSBridge".into()) else {
        return;
    };
    let Some(invoke) = Reflect::get(&bridge, &"invoke".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return;
    };
    let params = Object::new();
    let _ = Reflect::set(&params, &"targetAppId".into(), &app_id.into());
    let _ = Reflect::set(&params, &"path".into(), &path.into());
    let back = Promise::new(&mut |resolve, _| {
        let on_error = resolve.clone();
        let done = wasm_bindgen::closure::Closure::once_into_js(move |res: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &res);
        });
        let name: JsValue = "launchMiniProgram".into();
        if invoke.call3(&bridge, &name, &params, &done).is_err() {
            let _ = on_error.call1(&JsValue::NULL, &JsValue::NULL);
        }
    });
    let _ = JsFuture::from(back).await;
}
