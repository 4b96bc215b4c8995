//! 我的车辆's single-page app: Yew components rendered in the phone's browser or WeChat webview.

mod api;
mod app;
mod components;
mod datetime;
mod hooks;
mod inbox;
mod input;
mod money;
mod pages;
mod photo;
mod session;
#[cfg(test)]
mod test_support;
mod wechat;
mod wechat_pay;

pub use app::App;

/// Entry point called by the wasm-bindgen glue once the module is loaded (not in component tests,
/// which mount what they test themselves).
#[cfg_attr(not(test), wasm_bindgen::prelude::wasm_bindgen(start))]
pub fn start() {
    // index.html paints the page's frame before the wasm arrives; the app takes its place.
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
