//! A modal dialog of SPEC §4 (温馨提示 and friends), drawn from shared's catalogue.

use shared::notice::{Dialog, DialogAction};
use yew::prelude::*;

/// What [`ModalDialog`] shows and whom it tells about taps.
#[derive(Properties, PartialEq)]
pub struct ModalDialogProps {
    /// Title, text and buttons.
    pub dialog: Dialog,
    /// Called with the tapped button's action (Esc counts as the last button: 我知道了 / 取消).
    pub on_action: Callback<DialogAction>,
}

/// Centered over a dimmed page; focus starts on the first button and Esc closes.
#[component]
pub fn ModalDialog(props: &ModalDialogProps) -> Html {
    let first = use_node_ref();
    {
        let first = first.clone();
        use_effect_with(props.dialog.clone(), move |_| {
            if let Some(button) = first.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let dialog = &props.dialog;
    let on_keydown = {
        let on_action = props.on_action.clone();
        let fallback = dialog.buttons.last().map(|b| b.action);
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                if let Some(action) = fallback {
                    on_action.emit(action);
                }
            }
        })
    };
    let buttons = dialog.buttons.iter().enumerate().map(|(i, b)| {
        let node = if i == 0 { first.clone() } else { NodeRef::default() };
        let primary = i + 1 == dialog.buttons.len();
        let class = classes!("dialog-btn", primary.then_some("dialog-btn-primary"));
        match (b.action, &dialog.tel) {
            // Dialing is a link so the phone (and WeChat) hands it to the dialer.
            (DialogAction::Dial, Some(tel)) => {
                let on_action = props.on_action.clone();
                html! {
                    <a ref={node} class={class} href={tel.clone()} role="button"
                        onclick={Callback::from(move |_| on_action.emit(DialogAction::Dial))}>{ &b.label }</a>
                }
            }
            (action, _) => {
                let on_action = props.on_action.clone();
                html! {
                    <button ref={node} type="button" class={class}
                        onclick={Callback::from(move |_| on_action.emit(action))}>{ &b.label }</button>
                }
            }
        }
    });
    html! {
        <div class="dialog-mask" onkeydown={on_keydown}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" aria-describedby="dialog-text">
                <h2 id="dialog-title" class="dialog-title">{ &dialog.title }</h2>
                <p id="dialog-text" class="dialog-text">{ &dialog.text }</p>
                <div class="dialog-buttons">{ for buttons }</div>
            </div>
        </div>
    }
}
