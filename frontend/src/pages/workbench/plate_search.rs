//! 车辆查询 in 工作台: a plate's owner, its orders and coupons, its full history, 取消认证 with a
//! reason, and 发放优惠券.

use shared::api::ops::{shown_phone, HistoryEntry, OpsVehicle, RevokeRequest};
use shared::order::{Order, Payment};
use shared::plate::Plate;
use shared::vehicle::Change;
use yew::prelude::*;

use super::issue_coupon::IssueCoupon;
use crate::api;
use crate::datetime::short_time;
use crate::input::typed_into;
use crate::money::yuan;

/// What a search found: the plate's record, or why not (a typed plate that does not parse is
/// told without asking the worker, in the words the worker would use).
type Found = Option<Result<OpsVehicle, String>>;

/// Search a plate: its owner, everyone's relation, and the full history; 取消认证 with a reason.
#[component]
pub fn PlateSearch() -> Html {
    let query = use_state(String::new);
    let found = use_state(|| None as Found);
    let reason = use_state(String::new);
    let search = {
        let (query, found) = (query.clone(), found.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let found = found.clone();
            match Plate::parse(query.trim()) {
                Ok(plate) => wasm_bindgen_futures::spawn_local(async move {
                    found.set(Some(
                        api::ops::vehicle(&plate).await.map_err(|e| e.message()),
                    ));
                }),
                Err(e) => found.set(Some(Err(e.to_string()))),
            }
        })
    };
    let revoke = {
        let (found, reason) = (found.clone(), reason.clone());
        Callback::from(move |_| {
            let Some(Ok(vehicle)) = &*found else { return };
            let (plate, found, body) = (
                vehicle.plate.clone(),
                found.clone(),
                RevokeRequest {
                    reason: reason.trim().to_owned(),
                },
            );
            wasm_bindgen_futures::spawn_local(async move {
                let result = match api::ops::revoke(&plate, &body).await {
                    Ok(()) => api::ops::vehicle(&plate).await,
                    Err(e) => Err(e),
                };
                found.set(Some(result.map_err(|e| e.message())));
            });
        })
    };
    let on_query = typed_into(&query);
    let on_reason = typed_into(&reason);
    html! {
        <div class="search">
            <form class="search-form" onsubmit={search}>
                <input type="search" placeholder="输入车牌号" aria-label="车牌号" value={(*query).clone()} oninput={on_query} />
                <button type="submit" class="btn">{ "查询" }</button>
            </form>
            { match &*found {
                None => html! {},
                Some(Err(message)) => html! { <p class="error" role="alert">{ message }</p> },
                Some(Ok(v)) => html! {
                    <>
                        <dl class="info">
                            <dt>{ "车牌" }</dt><dd>{ v.plate.to_string() }</dd>
                            <dt>{ "车主" }</dt><dd>{ owner_line(v) }</dd>
                        </dl>
                        <h2 class="section-title">{ "当前关系" }</h2>
                        if v.relations.is_empty() { <p class="empty">{ "暂无用户" }</p> }
                        <ul class="people" aria-label="当前关系">
                            { for v.relations.iter().map(|r| html! {
                                <li class="person"><span>{ shown_phone(&r.phone_masked) }</span><span class="since">{ r.state.label() }</span></li>
                            }) }
                        </ul>
                        if v.owner.is_some() {
                            <div class="review-actions">
                                <input type="text" placeholder="取消认证原因" aria-label="取消认证原因" value={(*reason).clone()} oninput={on_reason} />
                                <button type="button" class="btn btn-danger" disabled={reason.trim().is_empty()} onclick={revoke}>{ "取消认证" }</button>
                            </div>
                        }
                        <IssueCoupon plate={v.plate.clone()} />
                        if !v.orders.is_empty() {
                            <h2 class="section-title">{ "停车/充电订单" }</h2>
                            <ol class="history" aria-label="停车/充电订单">
                                { for v.orders.iter().map(|o| html! { <li>{ order_line(o) }</li> }) }
                            </ol>
                        }
                        if !v.coupons.is_empty() {
                            <h2 class="section-title">{ "优惠券" }</h2>
                            <ol class="history" aria-label="优惠券">
                                { for v.coupons.iter().map(|c| html! {
                                    <li>
                                        <span class="since">{ short_time(c.issued_at) }</span>
                                        { format!(" 「{}」{} · {} · 运营 {}", c.coupon.title, yuan(c.coupon.value_fen),
                                            if c.coupon.used { "已使用" } else { "未使用" }, c.issued_by) }
                                    </li>
                                }) }
                            </ol>
                        }
                        <h2 class="section-title">{ "历史记录" }</h2>
                        <ol class="history" aria-label="历史记录">
                            { for v.history.iter().map(history_item) }
                        </ol>
                    </>
                },
            } }
        </div>
    }
}

/// One order for the operator: where, since when, and who paid how.
fn order_line(o: &Order) -> String {
    let payment = match &o.payment {
        Payment::Unpaid if o.is_open() => "在场中".to_owned(),
        Payment::Unpaid => format!("待缴费 {}", yuan(o.amount_fen)),
        Payment::Free => "无需缴费".to_owned(),
        Payment::Pending { payer, .. } => format!("缴费中 · 用户 {payer}"),
        Payment::Paid {
            payer,
            automatic,
            at,
            ..
        } => format!(
            "{} 由用户 {payer} {}于 {}",
            yuan(o.amount_fen),
            if *automatic { "无感支付" } else { "缴纳" },
            short_time(*at)
        ),
    };
    format!(
        "{} {} · {}",
        short_time(o.entered_at),
        o.facility.name,
        payment
    )
}

/// 车主: the owner's masked phone and account id, or 无.
fn owner_line(v: &OpsVehicle) -> String {
    let Some(owner) = &v.owner else {
        return "无".to_owned();
    };
    let phone = v
        .relations
        .iter()
        .find(|r| &r.user_id == owner)
        .map_or("", |r| r.phone_masked.as_str());
    format!("{}（{owner}）", shown_phone(phone))
}

/// One history line: when, what, who acted and whom it affected, and its notes (the owner's
/// name, the reason given, why it was refused, the settings chosen).
fn history_item(h: &HistoryEntry) -> Html {
    let refused = matches!(h.event.change, Change::Refused { .. });
    html! {
        <li class={classes!("history-entry", refused.then_some("history-refused"))}>
            <span class="since">{ short_time(h.event.at) }</span>
            { " " }<strong>{ h.event.change.label() }</strong>
            { " · " }{ h.actor_label() }
            if let Some(subject) = &h.subject_phone {
                { format!(" → {}", shown_phone(subject)) }
            }
            { for h.event.change.notes().into_iter().map(|(name, value)| html! {
                <span class="history-note">{ format!("{name}：{value}") }</span>
            }) }
        </li>
    }
}
