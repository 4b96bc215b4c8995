//! The plate keyboard of 添加车辆: provinces first, then letters (no I or O) and digits, the
//! special suffixes at the last place, and delete. Phones' own keyboards make plates hard to type.

use shared::plate::{PROVINCES, SPECIAL_SUFFIXES};
use yew::prelude::*;

/// Letters a plate can carry (GA 36: never I or O, they read as 1 and 0).
const LETTERS: &str = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &str = "1234567890";

/// What [`PlateKeyboard`] edits.
#[derive(Properties, PartialEq)]
pub struct PlateKeyboardProps {
    /// The plate typed so far.
    pub value: AttrValue,
    /// 7 characters, or 8 with the 新能源 switch on.
    pub max_len: usize,
    /// Called with the new text after each key.
    pub on_change: Callback<String>,
}

/// The keys for the next place of the plate.
#[component]
pub fn PlateKeyboard(props: &PlateKeyboardProps) -> Html {
    let typed: Vec<char> = props.value.chars().collect();
    let full = typed.len() >= props.max_len;
    let press = |c: char| {
        let (value, on_change) = (props.value.to_string(), props.on_change.clone());
        Callback::from(move |_| on_change.emit(format!("{value}{c}")))
    };
    let key = |c: char, enabled: bool| {
        html! {
            <button type="button" class="key" disabled={!enabled} onclick={press(c)}
                aria-label={format!("输入{c}")}>{ c }</button>
        }
    };
    let delete = {
        let (typed, on_change) = (typed.clone(), props.on_change.clone());
        Callback::from(move |_| {
            on_change.emit(typed[..typed.len().saturating_sub(1)].iter().collect())
        })
    };
    // The first place is the province (or 使 for an embassy plate).
    let rows: Html = if typed.is_empty() {
        html! {
            <div class="keys keys-province" role="group" aria-label="省份简称">
                { for PROVINCES.chars().chain(std::iter::once('使')).map(|c| key(c, true)) }
            </div>
        }
    } else {
        // Suffixes only fit the last place of a 7-character plate.
        let suffix_ok = typed.len() == 6 && props.max_len == 7;
        html! {
            <>
                <div class="keys" role="group" aria-label="数字">{ for DIGITS.chars().map(|c| key(c, !full)) }</div>
                <div class="keys" role="group" aria-label="字母">{ for LETTERS.chars().map(|c| key(c, !full)) }</div>
                <div class="keys" role="group" aria-label="特殊号牌">{ for SPECIAL_SUFFIXES.chars().map(|c| key(c, suffix_ok)) }</div>
            </>
        }
    };
    html! {
        <div class="plate-keyboard">
            { rows }
            <div class="keys keys-actions">
                <button type="button" class="key key-wide" onclick={delete} disabled={typed.is_empty()}>{ "删除" }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen_test::*;

    use super::*;
    use crate::test_support::{click, mount, texts};

    wasm_bindgen_test_configure!(run_in_browser);

    fn props(value: &str, max_len: usize) -> (PlateKeyboardProps, Rc<RefCell<Option<String>>>) {
        let typed = Rc::new(RefCell::new(None));
        let sink = typed.clone();
        let on_change = Callback::from(move |v: String| *sink.borrow_mut() = Some(v));
        (
            PlateKeyboardProps {
                value: value.to_owned().into(),
                max_len,
                on_change,
            },
            typed,
        )
    }

    fn enabled_keys(root: &web_sys::Element) -> Vec<String> {
        texts(root, "button.key:not([disabled])")
    }

    #[wasm_bindgen_test]
    async fn an_empty_plate_offers_the_provinces_first() {
        let (props, typed) = props("", 7);
        let root = mount::<PlateKeyboard>(props).await;
        let keys = enabled_keys(&root);
        assert!(keys.contains(&"粤".to_owned()) && keys.contains(&"使".to_owned()));
        assert!(
            !keys.contains(&"A".to_owned()),
            "no letters before the province"
        );
        click(&root, "button.key", "闽");
        assert_eq!(typed.borrow().as_deref(), Some("闽"));
    }

    #[wasm_bindgen_test]
    async fn letters_never_include_i_or_o_and_suffixes_wait_for_the_last_place() {
        let (props, _) = props("闽D1", 7);
        let root = mount::<PlateKeyboard>(props).await;
        let keys = enabled_keys(&root);
        assert!(keys.contains(&"A".to_owned()) && keys.contains(&"0".to_owned()));
        assert!(!keys.iter().any(|k| k == "I" || k == "O"));
        assert!(
            !keys.contains(&"警".to_owned()),
            "警 only at the last place"
        );

        let (props, typed) = props_at_last_place();
        let root = mount::<PlateKeyboard>(props).await;
        assert!(enabled_keys(&root).contains(&"警".to_owned()));
        click(&root, "button.key", "警");
        assert_eq!(typed.borrow().as_deref(), Some("川A0001警"));
    }

    fn props_at_last_place() -> (PlateKeyboardProps, Rc<RefCell<Option<String>>>) {
        props("川A0001", 7)
    }

    #[wasm_bindgen_test]
    async fn a_full_plate_takes_no_more_keys_and_delete_removes_the_last() {
        let (props, typed) = props("闽D12337", 7);
        let root = mount::<PlateKeyboard>(props).await;
        assert_eq!(enabled_keys(&root), vec!["删除".to_owned()]);
        click(&root, "button.key", "删除");
        assert_eq!(typed.borrow().as_deref(), Some("闽D1233"));
    }
}
