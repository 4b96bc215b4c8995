//! Reading what the user types into a text box.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The `oninput` of a text box that keeps `text` equal to what is typed.
pub fn typed_into(text: &UseStateHandle<String>) -> Callback<InputEvent> {
    let text = text.clone();
    Callback::from(move |e: InputEvent| {
        text.set(e.target_unchecked_into::<HtmlInputElement>().value())
    })
}
