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

pub use app::{App, AppProps};
pub use workbench_app::WorkbenchApp;

/// Entry point called by the wasm-bindgen glue once the module is loaded (not in component tests,
/// which mount what they test themselves, nor on the edge, which only renders). One crate, two
/// bundles: the drivers' app, and with the `workbench` feature 工作台's; each leaves the other's
/// pages out of its wasm.
#[cfg_attr(
    not(any(test, feature = "ssr")),
    wasm_bindgen::prelude::wasm_bindgen(start)
)]
pub fn start() {
    #[cfg(not(feature = "workbench"))]
    mount::<App>(AppProps {
        seed: seed_of_page(),
    });
    #[cfg(feature = "workbench")]
    mount::<WorkbenchApp>(());
}

/// The id of the element in which the edge leaves the session it rendered 我的 with.
pub const SEED_ID: &str = "seed";

/// The session the edge rendered this page with (`<script type="application/json" id="seed">`),
/// if it did and the page is current.
#[cfg(not(feature = "workbench"))]
fn seed_of_page() -> Option<shared::api::auth::SessionResponse> {
    let window = web_sys::window()?;
    if !page_is_current(&window) {
        return None;
    }
    let json = window
        .document()?
        .get_element_by_id(SEED_ID)?
        .text_content()?;
    serde_json::from_str(&json).ok()
}

/// Whether this page came over the network just now (sent, or confirmed unchanged by a 304), not
/// replayed from the browser's cache by a back or forward step, which may show an old copy: only
/// then is the edge's seed what the account is now. Unknown (an old webview) counts as not.
#[cfg(not(feature = "workbench"))]
fn page_is_current(window: &web_sys::Window) -> bool {
    let Some(entry) = window
        .performance()
        .map(|p| p.get_entries_by_type("navigation").get(0))
    else {
        return false;
    };
    let field = |name: &str| js_sys::Reflect::get(&entry, &name.into()).ok();
    let over_network = field("transferSize")
        .and_then(|v| v.as_f64())
        .is_some_and(|bytes| bytes > 0.0);
    let replayed = field("type").and_then(|v| v.as_string()).as_deref() == Some("back_forward");
    over_network && !replayed
}

/// Renders `C` in place of the page's frame (or the page the edge drew), which the browser
/// painted before the wasm arrived. Both go in the same turn, before the next paint.
fn mount<C: yew::BaseComponent>(props: C::Properties) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<C>::with_root_and_props(root, props).render();
        }
        None => {
            yew::Renderer::<C>::with_props(props).render();
        }
    }
}

/// 我的 as the drivers' app first draws it for this signed-in `session`, as HTML for the edge to
/// put in the page; the app, once loaded, draws the same from the same session.
#[cfg(feature = "ssr")]
pub async fn render_mine(session: shared::api::auth::SessionResponse) -> String {
    yew::LocalServerRenderer::<app::MineOnEdge>::with_props(AppProps {
        seed: Some(session),
    })
    .hydratable(false)
    .render()
    .await
}
