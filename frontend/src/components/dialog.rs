//! A modal dialog of SPEC §4 (温馨提示 and friends), drawn from shared's catalogue.

use shared::notice::{Dialog, DialogAction};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What [`ModalDialog`] shows and whom it tells about taps.
#[derive(Properties, PartialEq)]
pub struct ModalDialogProps {
    /// Title, text and buttons.
    pub dialog: Dialog,
    /// Called with the tapped button's action.
    pub on_action: Callback<DialogAction>,
    /// Called when the user closes the dialog without answering (Esc, or the phone's back):
    /// a notice stays pending and shows again on the next visit.
    pub on_dismiss: Callback<()>,
}

/// Centered over a dimmed page; focus starts on the first button and stays inside; Esc and the
/// back button close it without answering.
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
    // The phone's back button closes the dialog instead of leaving the page: an extra history
    // entry while it is open, and closing on its `popstate`.
    {
        let on_dismiss = props.on_dismiss.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            if let Some(history) = window.as_ref().and_then(|w| w.history().ok()) {
                let _ = history.push_state(&wasm_bindgen::JsValue::from_str("dialog"), "");
            }
            let listener = window.as_ref().map(|w| {
                gloo::events::EventListener::once(w, "popstate", move |_| on_dismiss.emit(()))
            });
            move || {
                // Closed by a button: drop the extra entry we pushed (without firing our listener).
                let still_ours = web_sys::window()
                    .and_then(|w| w.history().ok())
                    .and_then(|h| h.state().ok())
                    .is_some_and(|s| s.as_string().as_deref() == Some("dialog"));
                drop(listener);
                if still_ours {
                    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                        let _ = history.back();
                    }
                }
            }
        });
    }
    let dialog = &props.dialog;
    let panel = use_node_ref();
    let on_keydown = {
        let on_dismiss = props.on_dismiss.clone();
        let panel = panel.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => on_dismiss.emit(()),
            // Keep focus inside the dialog: Tab from the last button wraps to the first.
            "Tab" => {
                if let Some(panel) = panel.cast::<web_sys::Element>() {
                    wrap_focus(&panel, &e);
                }
            }
            _ => {}
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
            <div ref={panel} class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" aria-describedby="dialog-text">
                <h2 id="dialog-title" class="dialog-title">{ &dialog.title }</h2>
                <p id="dialog-text" class="dialog-text">{ &dialog.text }</p>
                if let Some(reason) = &dialog.reason {
                    <p class="dialog-reason">{ shared::notice::reason_line(reason) }</p>
                }
                <div class="dialog-buttons">{ for buttons }</div>
            </div>
        </div>
    }
}

/// Moves focus from the last control to the first (or back with Shift), inside `panel`.
fn wrap_focus(panel: &web_sys::Element, e: &KeyboardEvent) {
    let Ok(controls) = panel.query_selector_all("button, a") else {
        return;
    };
    let count = controls.length();
    if count == 0 {
        return;
    }
    let at = |i: u32| {
        controls
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let (first, last) = (at(0), at(count - 1));
    let is = |el: &Option<web_sys::HtmlElement>| match (el, &active) {
        (Some(el), Some(active)) => AsRef::<web_sys::Element>::as_ref(el) == active,
        _ => false,
    };
    let target = if e.shift_key() && is(&first) {
        last
    } else if !e.shift_key() && is(&last) {
        first
    } else {
        return;
    };
    if let Some(target) = target {
        e.prevent_default();
        let _ = target.focus();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::cell::RefCell;
    use std::rc::Rc;

    use shared::notice::{contact_support_dialog, notice_dialog};
    use shared::plate::Plate;
    use shared::vehicle::NoticeKind;
    use wasm_bindgen_test::*;

    use super::*;
    use crate::test_support::{click, mount, texts};

    wasm_bindgen_test_configure!(run_in_browser);

    fn props(dialog: Dialog) -> (ModalDialogProps, Rc<RefCell<Vec<DialogAction>>>) {
        let taps = Rc::new(RefCell::new(Vec::new()));
        let sink = taps.clone();
        let dismissed = taps.clone();
        let props = ModalDialogProps {
            dialog,
            on_action: Callback::from(move |a| sink.borrow_mut().push(a)),
            // Recorded as Cancel so a test can see the dismissal.
            on_dismiss: Callback::from(move |()| dismissed.borrow_mut().push(DialogAction::Cancel)),
        };
        (props, taps)
    }

    #[wasm_bindgen_test]
    async fn a_notice_shows_specs_text_and_its_buttons_act() {
        let plate = Plate::parse("闽D12337").unwrap();
        let (props, taps) = props(notice_dialog(NoticeKind::LostToOtherAppeal, &plate));
        let root = mount::<ModalDialog>(props).await;
        assert_eq!(texts(&root, "h2"), ["温馨提示"]);
        assert_eq!(
            texts(&root, "p"),
            ["车辆闽D12337的其他账号提交的认证申诉已通过，当前账号与车辆的认证关系已取消。"]
        );
        assert_eq!(texts(&root, "button"), ["我要申诉", "我知道了"]);
        assert!(root
            .query_selector("[role=dialog][aria-modal=true]")
            .unwrap()
            .is_some());
        click(&root, "button", "我要申诉");
        assert_eq!(*taps.borrow(), [DialogAction::Appeal]);
    }

    #[wasm_bindgen_test]
    async fn focus_starts_on_the_first_button_and_escape_dismisses() {
        let (props, taps) = props(contact_support_dialog("1508888888"));
        let root = mount::<ModalDialog>(props).await;
        let active = web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .active_element()
            .unwrap();
        assert!(root.contains(Some(&active)), "focus is inside the dialog");
        assert_eq!(active.text_content().as_deref(), Some("确定"));
        assert_eq!(
            active.get_attribute("href").as_deref(),
            Some("tel:1508888888")
        );
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Escape");
        init.set_bubbles(true);
        let escape =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        active.dispatch_event(&escape).unwrap();
        assert_eq!(*taps.borrow(), [DialogAction::Cancel]);
    }
}
