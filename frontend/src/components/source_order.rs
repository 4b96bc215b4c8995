//! The owner's 无感支付 deduction order (SPEC §8): which sources are used, and in what order,
//! with big 上移/下移 buttons rather than dragging (easier with a thumb, and for screen readers).

use shared::payment::PaymentSource;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `sources` with `source` switched on (added last) or off; the last one stays on.
pub fn toggled(sources: &[PaymentSource], source: PaymentSource) -> Vec<PaymentSource> {
    if sources.contains(&source) {
        if sources.len() == 1 {
            return sources.to_vec();
        }
        sources.iter().copied().filter(|s| *s != source).collect()
    } else {
        sources.iter().copied().chain([source]).collect()
    }
}

/// `sources` with the one at `index` swapped with its neighbour above (`up`) or below.
pub fn moved(sources: &[PaymentSource], index: usize, up: bool) -> Vec<PaymentSource> {
    let mut next = sources.to_vec();
    let other = if up {
        index.checked_sub(1)
    } else {
        Some(index + 1)
    };
    if let Some(other) = other.filter(|o| *o < next.len() && index < next.len()) {
        next.swap(index, other);
    }
    next
}

/// What [`SourceOrder`] edits.
#[derive(Properties, PartialEq)]
pub struct SourceOrderProps {
    /// The sources used, first deducted first; never empty.
    pub sources: Vec<PaymentSource>,
    /// Called with the new order after each change.
    pub on_change: Callback<Vec<PaymentSource>>,
    /// While saving: look but don't touch.
    #[prop_or_default]
    pub disabled: bool,
}

/// The used sources numbered in order with 上移/下移, then the unused ones to switch on.
#[component]
pub fn SourceOrder(props: &SourceOrderProps) -> Html {
    let sources = &props.sources;
    let change = |next: Vec<PaymentSource>| {
        let on_change = props.on_change.clone();
        Callback::from(move |_| on_change.emit(next.clone()))
    };
    let toggle = |source: PaymentSource| {
        let (on_change, next) = (props.on_change.clone(), toggled(sources, source));
        Callback::from(move |e: Event| {
            // The last source cannot be switched off: put the box back as it was.
            let input = e.target_unchecked_into::<HtmlInputElement>();
            input.set_checked(next.contains(&source));
            on_change.emit(next.clone());
        })
    };
    let last = sources.len().saturating_sub(1);
    let only_one = sources.len() == 1;
    let offered = crate::session::payments();
    let unused = PaymentSource::ALL
        .iter()
        .copied()
        .filter(|s| offered.offers(*s) && !sources.contains(s));
    html! {
        <ol class="sources" aria-label="扣费顺序">
            { for sources.iter().enumerate().map(|(i, &source)| {
                let label = source.label();
                html! {
                    <li class="source">
                        <span class="source-rank" aria-hidden="true">{ i + 1 }</span>
                        <label class="source-name">
                            <input type="checkbox" checked={true} onchange={toggle(source)}
                                disabled={props.disabled || only_one} />
                            { label }
                        </label>
                        <button type="button" class="btn source-move" aria-label={format!("{label}上移")}
                            disabled={props.disabled || i == 0} onclick={change(moved(sources, i, true))}>{ "上移" }</button>
                        <button type="button" class="btn source-move" aria-label={format!("{label}下移")}
                            disabled={props.disabled || i == last} onclick={change(moved(sources, i, false))}>{ "下移" }</button>
                    </li>
                }
            }) }
            { for unused.map(|source| html! {
                <li class="source source-off">
                    <span class="source-rank" aria-hidden="true">{ "–" }</span>
                    <label class="source-name">
                        <input type="checkbox" checked={false} onchange={toggle(source)} disabled={props.disabled} />
                        { source.label() }
                        <small>{ "未使用" }</small>
                    </label>
                </li>
            }) }
        </ol>
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::*;
    use crate::test_support::{mount, texts};
    use PaymentSource::{Coupon, Wallet};

    wasm_bindgen_test_configure!(run_in_browser);

    type Sink = Rc<RefCell<Option<Vec<PaymentSource>>>>;

    fn props(sources: Vec<PaymentSource>) -> (SourceOrderProps, Sink) {
        let changed = Rc::new(RefCell::new(None));
        let sink = changed.clone();
        let on_change = Callback::from(move |v| *sink.borrow_mut() = Some(v));
        let props = SourceOrderProps {
            sources,
            on_change,
            disabled: false,
        };
        (props, changed)
    }

    fn button(root: &web_sys::Element, label: &str) -> web_sys::HtmlElement {
        root.query_selector(&format!("button[aria-label='{label}']"))
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap()
    }

    #[wasm_bindgen_test]
    fn order_moves_and_the_last_source_stays_on() {
        assert_eq!(moved(&[Coupon, Wallet], 0, false), vec![Wallet, Coupon]);
        assert_eq!(moved(&[Coupon, Wallet], 1, true), vec![Wallet, Coupon]);
        assert_eq!(moved(&[Coupon, Wallet], 0, true), vec![Coupon, Wallet]);
        assert_eq!(moved(&[Coupon, Wallet], 1, false), vec![Coupon, Wallet]);
        assert_eq!(toggled(&[Coupon, Wallet], Coupon), vec![Wallet]);
        assert_eq!(toggled(&[Wallet], Wallet), vec![Wallet]);
        assert_eq!(toggled(&[Wallet], Coupon), vec![Wallet, Coupon]);
    }

    #[wasm_bindgen_test]
    async fn coupons_come_first_and_move_down_below_the_wallet() {
        let (props, changed) = props(vec![Coupon, Wallet]);
        let root = mount::<SourceOrder>(props).await;
        assert_eq!(texts(&root, ".source-name"), vec!["车辆优惠券", "钱包余额"]);
        let disabled = |label| button(&root, label).has_attribute("disabled");
        assert!(disabled("车辆优惠券上移"), "the first cannot go up");
        assert!(disabled("钱包余额下移"), "the last cannot go down");
        assert!(!disabled("车辆优惠券下移"));
        button(&root, "车辆优惠券下移").click();
        assert_eq!(changed.borrow().clone(), Some(vec![Wallet, Coupon]));
    }

    #[wasm_bindgen_test]
    async fn a_single_source_cannot_be_switched_off_and_the_other_can_be_added() {
        // A dev run: coupons and the sandbox wallet, no WeChat Pay.
        crate::session::set_payments(shared::payment::Offered::for_deployment(true));
        let (props, changed) = props(vec![Wallet]);
        let root = mount::<SourceOrder>(props).await;
        let boxes = root.query_selector_all("input[type=checkbox]").unwrap();
        let used: web_sys::HtmlInputElement = boxes.item(0).unwrap().dyn_into().unwrap();
        let unused: web_sys::HtmlInputElement = boxes.item(1).unwrap().dyn_into().unwrap();
        assert!(used.checked() && used.disabled());
        assert!(!unused.checked() && !unused.disabled());
        assert_eq!(
            texts(&root, ".source-off .source-name"),
            vec!["车辆优惠券未使用"]
        );
        unused.click();
        assert_eq!(changed.borrow().clone(), Some(vec![Wallet, Coupon]));
    }

    #[wasm_bindgen_test]
    async fn only_the_sources_this_deployment_offers_can_be_added() {
        // Production with WeChat Pay: coupons and 微信支付分停车, never the sandbox wallet.
        let live = shared::payment::Offered::for_deployment(false).with_wechat(true);
        crate::session::set_payments(live);
        let (props, _) = props(vec![Coupon]);
        let root = mount::<SourceOrder>(props).await;
        assert_eq!(
            texts(&root, ".source-off .source-name"),
            vec!["微信支付分停车未使用"]
        );
        crate::session::set_payments(shared::payment::Offered::for_deployment(true));
    }
}
