//! One parking or charging order as this viewer may see it (SPEC §6), with 缴费 when they may pay.

use shared::api::{PayRequest, PayResponse};
use shared::notify::format_duration;
use shared::payment::{Deduction, PaymentSource};
use shared::privacy::{FacilityKind, OrderView};
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::error_box::ErrorBox;
use crate::datetime::local_time;
use crate::money::yuan;
use crate::wechat_pay::{self, SheetOutcome};

/// A refusal the page says itself (no answer from the worker to show).
fn said(message: &str) -> ClientError {
    ClientError::Api {
        code: shared::api::ErrorCode::Conflict,
        message: message.to_owned(),
    }
}

/// What [`OrderCard`] shows.
#[derive(Properties, PartialEq)]
pub struct OrderCardProps {
    /// The order, redacted for this viewer by the worker.
    pub order: OrderView,
    /// Called once the order is paid.
    pub on_paid: Callback<PayResponse>,
}

/// Where the payment stands.
#[derive(Clone, PartialEq)]
enum Pay {
    /// Not started: the 缴费 button.
    Idle,
    /// Choosing 优惠券优先 or 钱包.
    Choosing,
    /// Sent, waiting for the answer.
    Paying,
    /// Refused: why.
    Failed(ClientError),
}

/// Plate, kind, status, place, times (owner), duration, amount, deductions (owner), 缴费.
#[component]
pub fn OrderCard(props: &OrderCardProps) -> Html {
    let pay = use_state(|| Pay::Idle);
    let o = &props.order;
    let charging = o.facility_kind == FacilityKind::ChargingStation;
    let (status, status_class) = match (o.duration_minutes, o.paid) {
        (None, _) if charging => ("充电中", "status-live"),
        (None, _) => ("在场中", "status-live"),
        (Some(_), true) if o.amount_fen == 0 => ("免费", "status-paid"),
        (Some(_), true) => ("已缴费", "status-paid"),
        (Some(_), false) => ("待缴费", "status-due"),
    };
    let (entered, exited) = if charging {
        ("开始充电", "结束充电")
    } else {
        ("进场", "出场")
    };
    let set = |next: Pay| {
        let pay = pay.clone();
        Callback::from(move |_| pay.set(next.clone()))
    };
    let pay_with = |source: PaymentSource| {
        let (pay, on_paid, id) = (pay.clone(), props.on_paid.clone(), o.id.clone());
        Callback::from(move |_| {
            let (pay, on_paid, id) = (pay.clone(), on_paid.clone(), id.clone());
            if source == PaymentSource::Wechat && !wechat_pay::available() {
                pay.set(Pay::Failed(said("请在微信中打开本页面，使用微信支付")));
                return;
            }
            pay.set(Pay::Paying);
            wasm_bindgen_futures::spawn_local(async move {
                let paid = match api::orders::pay(&id, &PayRequest { source }).await {
                    Ok(paid) => paid,
                    Err(e) => return pay.set(Pay::Failed(e)),
                };
                let Some(sheet) = paid.wechat_pay.clone() else {
                    pay.set(Pay::Idle);
                    return on_paid.emit(paid);
                };
                match wechat_pay::open(&sheet).await {
                    Some(SheetOutcome::Paid) => {
                        // Paid when WeChat Pay tells the worker, not when the sheet says so.
                        if wechat_pay::wait_until_paid(&id).await {
                            pay.set(Pay::Idle);
                            on_paid.emit(paid);
                        } else {
                            pay.set(Pay::Failed(said("支付结果确认中，请稍后刷新查看")));
                        }
                    }
                    outcome => {
                        // Closed or failed: the WeChat order is closed so it can be paid again.
                        let _ = api::orders::cancel_wechat(&id).await;
                        let why = match outcome {
                            Some(SheetOutcome::Cancelled) => "已取消支付",
                            _ => "支付未完成，请重试",
                        };
                        pay.set(Pay::Failed(said(why)));
                    }
                }
            });
        })
    };
    let offered = crate::session::payments();
    let wallet = offered.wallet;
    let pay_controls = match &*pay {
        Pay::Idle | Pay::Failed(_) => html! {
            <button type="button" class="btn-primary" onclick={set(Pay::Choosing)}>
                { format!("缴费 {}", yuan(o.amount_fen)) }
            </button>
        },
        Pay::Choosing => html! {
            <div class="pay-choices" role="group" aria-label="选择支付方式">
                <button type="button" class="btn-primary" onclick={pay_with(PaymentSource::Coupon)}>
                    { "优惠券优先" }
                    <small>{ if wallet { "先用本车优惠券，不足部分从钱包扣" } else { "使用本车优惠券抵扣" } }</small>
                </button>
                if wallet {
                    <button type="button" class="btn btn-outline" onclick={pay_with(PaymentSource::Wallet)}>{ "钱包支付" }</button>
                }
                if offered.wechat {
                    <button type="button" class="btn btn-wechat-pay" onclick={pay_with(PaymentSource::Wechat)}>
                        { "微信支付" }<small>{ "先用本车优惠券，其余在微信中支付" }</small>
                    </button>
                }
                <button type="button" class="btn" onclick={set(Pay::Idle)}>{ "取消" }</button>
            </div>
        },
        Pay::Paying => html! {
            <button type="button" class="btn-primary" disabled={true} aria-busy="true">{ "支付中…" }</button>
        },
    };
    html! {
        <li class="order-card" aria-label={format!("{}{}订单", o.plate, if charging { "充电" } else { "停车" })}>
            <div class="order-head">
                <span class="plate">{ o.plate.to_string() }</span>
                <span class="badge">{ if charging { "充电" } else { "停车" } }</span>
                <span class={classes!("order-status", status_class)}>{ status }</span>
            </div>
            <p class={classes!("order-facility", o.facility_name.is_none().then_some("order-facility-hidden"))}>
                { o.facility_name.clone().unwrap_or_else(|| "隐私保护".to_owned()) }
            </p>
            <dl class="order-info">
                if let Some(at) = o.entered_at {
                    <dt>{ entered }</dt><dd>{ local_time(at) }</dd>
                }
                if let Some(at) = o.exited_at {
                    <dt>{ exited }</dt><dd>{ local_time(at) }</dd>
                }
                if let Some(minutes) = o.duration_minutes {
                    <dt>{ "时长" }</dt><dd>{ format_duration(minutes) }</dd>
                    <dt>{ "金额" }</dt><dd class="amount">{ yuan(o.amount_fen) }</dd>
                } else {
                    <dt>{ "金额" }</dt><dd>{ "计费中" }</dd>
                }
            </dl>
            if let Some(line) = deductions_line(&o.deductions, o.automatic) {
                <p class="order-deductions">{ line }</p>
            }
            if o.payable {
                { pay_controls }
            }
            if let Pay::Failed(e) = &*pay {
                <ErrorBox error={e.clone()} />
            }
        </li>
    }
}

/// 优惠券抵扣 ¥5.00 · 钱包 ¥7.50 · 无感支付 (the owner's view of how an order was paid).
pub fn deductions_line(deductions: &[Deduction], automatic: bool) -> Option<String> {
    let total = |source: PaymentSource| -> u64 {
        deductions
            .iter()
            .filter(|d| d.source == source)
            .map(|d| d.amount_fen)
            .sum()
    };
    let mut parts = Vec::new();
    if deductions.iter().any(|d| d.source == PaymentSource::Coupon) {
        parts.push(format!("优惠券抵扣 {}", yuan(total(PaymentSource::Coupon))));
    }
    if deductions.iter().any(|d| d.source == PaymentSource::Wallet) {
        parts.push(format!("钱包 {}", yuan(total(PaymentSource::Wallet))));
    }
    if automatic {
        parts.push("无感支付".to_owned());
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use shared::ids::{CouponId, OrderId};
    use shared::plate::Plate;
    use shared::timestamp::Timestamp;
    use wasm_bindgen_test::*;

    use super::*;
    use crate::test_support::{click, mount, texts};

    wasm_bindgen_test_configure!(run_in_browser);

    fn order(owner: bool) -> OrderView {
        let plate = Plate::parse("闽D12337").unwrap();
        let at = |m: i64| Some(Timestamp::from_unix_millis(1_764_300_000_000 + m * 60_000));
        OrderView {
            id: OrderId::new(plate.clone(), 3),
            plate: plate.clone(),
            facility_name: owner.then(|| "星河湾停车场".to_owned()),
            facility_kind: FacilityKind::CarPark,
            entered_at: if owner { at(0) } else { None },
            exited_at: if owner { at(125) } else { None },
            duration_minutes: Some(125),
            amount_fen: 1550,
            paid: owner,
            payable: !owner,
            deductions: if owner {
                vec![
                    Deduction {
                        source: PaymentSource::Coupon,
                        coupon: Some(CouponId::new(plate, 1)),
                        amount_fen: 1000,
                    },
                    Deduction {
                        source: PaymentSource::Wallet,
                        coupon: None,
                        amount_fen: 550,
                    },
                ]
            } else {
                Vec::new()
            },
            automatic: owner,
        }
    }

    #[wasm_bindgen_test]
    async fn the_owner_sees_the_place_times_and_how_it_was_paid() {
        let root = mount::<OrderCard>(OrderCardProps {
            order: order(true),
            on_paid: Callback::noop(),
        })
        .await;
        assert_eq!(texts(&root, ".order-facility"), vec!["星河湾停车场"]);
        assert_eq!(
            texts(&root, ".order-info dt"),
            vec!["进场", "出场", "时长", "金额"]
        );
        assert_eq!(
            texts(&root, ".order-info dd")[2..],
            ["2小时5分钟", "¥15.50"]
        );
        assert_eq!(
            texts(&root, ".order-deductions"),
            vec!["优惠券抵扣 ¥10.00 · 钱包 ¥5.50 · 无感支付"]
        );
        assert_eq!(texts(&root, ".order-status"), vec!["已缴费"]);
        assert!(texts(&root, "button").is_empty(), "nothing to pay");
    }

    #[wasm_bindgen_test]
    async fn others_under_privacy_see_no_place_or_times_and_choose_how_to_pay() {
        crate::session::set_payments(shared::payment::Offered::for_deployment(true));
        let root = mount::<OrderCard>(OrderCardProps {
            order: order(false),
            on_paid: Callback::noop(),
        })
        .await;
        assert_eq!(texts(&root, ".order-facility"), vec!["隐私保护"]);
        assert_eq!(texts(&root, ".order-info dt"), vec!["时长", "金额"]);
        assert!(texts(&root, ".order-deductions").is_empty());
        assert_eq!(texts(&root, ".order-status"), vec!["待缴费"]);
        click(&root, "button", "缴费 ¥15.50");
        yew::scheduler::flush().await;
        let choices = texts(&root, ".pay-choices button");
        assert_eq!(choices.len(), 3);
        assert!(choices[0].starts_with("优惠券优先"));
        assert_eq!(choices[1..], ["钱包支付", "取消"]);
    }

    #[wasm_bindgen_test]
    async fn where_the_sandbox_wallet_is_not_offered_only_coupons_are() {
        crate::session::set_payments(shared::payment::Offered::for_deployment(false));
        let root = mount::<OrderCard>(OrderCardProps {
            order: order(false),
            on_paid: Callback::noop(),
        })
        .await;
        click(&root, "button", "缴费 ¥15.50");
        yew::scheduler::flush().await;
        let choices = texts(&root, ".pay-choices button");
        assert_eq!(choices, ["优惠券优先使用本车优惠券抵扣", "取消"]);
        crate::session::set_payments(shared::payment::Offered::for_deployment(true));
    }
}
