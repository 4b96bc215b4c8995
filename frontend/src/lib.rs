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
mod workbench_app;

pub use app::App;
pub use workbench_app::WorkbenchApp;
use yew::BaseComponent;

/// Entry point called by the wasm-bindgen glue once the module is loaded (not in component tests,
/// which mount what they test themselves). One crate, two bundles: the drivers' app, and with the
/// `workbench` feature 工作台's; each leaves the other's pages out of its wasm.
#[cfg_attr(not(test), wasm_bindgen::prelude::wasm_bindgen(start))]
pub fn start() {
    #[cfg(not(feature = "workbench"))]
    mount::<App>();
    #[cfg(feature = "workbench")]
    mount::<WorkbenchApp>();
}

/// Renders `C` in place of the page's frame, which the HTML painted before the wasm arrived.
fn mount<C: BaseComponent<Properties = ()>>() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<C>::with_root(root).render();
        }
        None => {
            yew::Renderer::<C>::new().render();
        }
    }
}
