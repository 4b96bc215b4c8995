//! Mounting components in the test browser and looking at what they drew.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::BaseComponent;

/// Renders `props` of `C` into a fresh element of the page and waits until it is drawn.
pub async fn mount<C>(props: C::Properties) -> Element
where
    C: BaseComponent,
{
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

/// Texts of every element matching `selector` under `root`.
pub fn texts(root: &Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.text_content())
        .collect()
}

/// Clicks the first element matching `selector` whose text is `text`.
pub fn click(root: &Element, selector: &str, text: &str) {
    let nodes = root.query_selector_all(selector).unwrap();
    let node = (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .find(|n| n.text_content().as_deref() == Some(text))
        .unwrap_or_else(|| panic!("no {selector} with text {text}"));
    node.dyn_into::<HtmlElement>().unwrap().click();
}

/// Lets spawned tasks (a load's answer) run, then waits until what they changed is drawn.
pub async fn settle() {
    let tick = js_sys::Promise::resolve(&wasm_bindgen::JsValue::UNDEFINED);
    wasm_bindgen_futures::JsFuture::from(tick).await.unwrap();
    yew::scheduler::flush().await;
}
