//! 我的车辆's single-page app: Yew components rendered in the phone's browser or WeChat webview.

mod api;
mod app;
mod components;
mod pages;
mod photo;
mod session;

pub use app::App;

/// Entry point called by the wasm-bindgen glue once the module is loaded.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<App>::new().render();
}
