//! 工作台 (operators only, SPEC §10): the review queues oldest first with the evidence photos,
//! approve / reject with a reason, and a plate's search with its full history, 取消认证 and
//! 发放优惠券 (a vehicle coupon for that plate, SPEC §8).

use shared::api::auth::Role;
use shared::api::ops::{OpsVehicle, RejectRequest, ReviewItem, RevokeRequest};
use shared::api::IssueCouponRequest;
use shared::coupon::VehicleCoupon;
use shared::order::{Order, Payment};
use shared::plate::Plate;
use shared::timestamp::Timestamp;
use shared::vehicle::Actor;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::datetime::now;
use crate::money::{parse_yuan, yuan};
use crate::session::{use_auth, Auth};

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Certifications,
    Appeals,
    Search,
}

/// The back-office; anyone but an operator is told it is not for them.
#[component]
pub fn Workbench() -> Html {
    let auth = use_auth();
    let tab = use_state(|| Tab::Certifications);
    let is_operator = matches!(&*auth, Auth::SignedIn(me) if me.roles.contains(&Role::Operator));
    if !is_operator {
        return html! {
            <section class="workbench">
                <h1 class="page-title">{ "工作台" }</h1>
                <p class="empty">{ "仅平台运营人员可以使用工作台" }</p>
            </section>
        };
    }
    let tab_button = |t: Tab, label: &'static str| {
        let tab = tab.clone();
        let selected = *tab == t;
        html! {
            <button type="button" role="tab" aria-selected={selected.to_string()}
                class={classes!("seg", selected.then_some("seg-active"))}
                onclick={Callback::from(move |_| tab.set(t))}>{ label }</button>
        }
    };
    html! {
        <section class="workbench">
            <h1 class="page-title">{ "工作台" }</h1>
            <div class="segments" role="tablist">
                { tab_button(Tab::Certifications, "认证审核") }
                { tab_button(Tab::Appeals, "申诉审核") }
                { tab_button(Tab::Search, "车辆查询") }
            </div>
            { match *tab {
                Tab::Certifications => html! { <Queue kind="certification" /> },
                Tab::Appeals => html! { <Queue kind="appeal" /> },
                Tab::Search => html! { <PlateSearch /> },
            } }
        </section>
    }
}

/// Which queue [`Queue`] shows.
#[derive(Properties, PartialEq)]
pub struct QueueProps {
    /// `certification` or `appeal`.
    pub kind: AttrValue,
}

/// One review queue, oldest first.
#[component]
pub fn Queue(props: &QueueProps) -> Html {
    let items = use_state(|| None::<Result<Vec<ReviewItem>, ClientError>>);
    let error = use_state(|| None::<String>);
    let reload = {
        let (items, kind) = (items.clone(), props.kind.clone());
        Callback::from(move |_: ()| {
            let (items, kind) = (items.clone(), kind.clone());
            wasm_bindgen_futures::spawn_local(async move {
                items.set(Some(
                    api::get(&format!("/api/ops/reviews?kind={kind}")).await,
                ));
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(props.kind.clone(), move |_| reload.emit(()));
    }
    let decide = {
        let (reload, error) = (reload.clone(), error.clone());
        Callback::from(move |(id, reason): (String, Option<String>)| {
            let (reload, error) = (reload.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = match reason {
                    None => api::post_empty(&format!("/api/ops/reviews/{id}/approve")).await,
                    Some(reason) => {
                        api::post_unit(
                            &format!("/api/ops/reviews/{id}/reject"),
                            &RejectRequest { reason },
                        )
                        .await
                    }
                };
                match result {
                    Ok(()) => {
                        error.set(None);
                        reload.emit(());
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    let list = match &*items {
        None => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ e.message() }</p> },
        Some(Ok(list)) if list.is_empty() => html! { <p class="empty">{ "暂无待审核记录" }</p> },
        Some(Ok(list)) => html! {
            <ul class="reviews" aria-label="待审核">
                { for list.iter().map(|r| html! { <ReviewCard review={r.clone()} on_decide={decide.clone()} /> }) }
            </ul>
        },
    };
    html! {
        <>
            if let Some(message) = &*error { <p class="error" role="alert">{ message }</p> }
            { list }
        </>
    }
}

/// What [`ReviewCard`] shows.
#[derive(Properties, PartialEq)]
pub struct ReviewCardProps {
    /// The review.
    pub review: ReviewItem,
    /// Approve (`None`) or reject with a reason.
    pub on_decide: Callback<(String, Option<String>)>,
}

/// One review: who, since when, the statement, the photos large, and the decision.
#[component]
pub fn ReviewCard(props: &ReviewCardProps) -> Html {
    let reason = use_state(String::new);
    let r = &props.review;
    let id = r.id.to_string();
    let approve = {
        let (on, id) = (props.on_decide.clone(), id.clone());
        Callback::from(move |_| on.emit((id.clone(), None)))
    };
    let reject = {
        let (on, id, reason) = (props.on_decide.clone(), id.clone(), reason.clone());
        Callback::from(move |_| on.emit((id.clone(), Some(reason.trim().to_owned()))))
    };
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| {
            reason.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <li class="review" aria-label={format!("审核{}", r.plate)}>
            <p class="review-head"><span class="plate">{ r.plate.to_string() }</span>
                <span class="since">{ format!("{} · {}", r.phone_masked, short_time(r.submitted_at)) }</span></p>
            if let Some(statement) = &r.reason { <p class="statement">{ statement }</p> }
            <div class="evidence-photos">
                { for r.evidence.iter().map(|url| html! { <a href={url.clone()} target="_blank"><img src={url.clone()} alt="证明材料" loading="lazy" /></a> }) }
            </div>
            <div class="review-actions">
                <input type="text" placeholder="驳回原因" aria-label="驳回原因" value={(*reason).clone()} oninput={on_reason} />
                <button type="button" class="btn btn-danger" disabled={reason.trim().is_empty()} onclick={reject}>{ "驳回" }</button>
                <button type="button" class="btn btn-ok" onclick={approve}>{ "通过" }</button>
            </div>
        </li>
    }
}

/// Search a plate: its owner, everyone's relation, and the full history; 取消认证 with a reason.
#[component]
pub fn PlateSearch() -> Html {
    let query = use_state(String::new);
    let found = use_state(|| None::<Result<OpsVehicle, ClientError>>);
    let reason = use_state(String::new);
    let search = {
        let (query, found) = (query.clone(), found.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (plate, found) = (query.trim().to_owned(), found.clone());
            wasm_bindgen_futures::spawn_local(async move {
                found.set(Some(api::get(&format!("/api/ops/vehicles/{plate}")).await));
            });
        })
    };
    let revoke = {
        let (found, reason) = (found.clone(), reason.clone());
        Callback::from(move |_| {
            let Some(Ok(vehicle)) = &*found else { return };
            let (plate, found, body) = (
                vehicle.plate.to_string(),
                found.clone(),
                RevokeRequest {
                    reason: reason.trim().to_owned(),
                },
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::post_unit(&format!("/api/ops/vehicles/{plate}/revoke"), &body).await {
                    Ok(()) => {
                        found.set(Some(api::get(&format!("/api/ops/vehicles/{plate}")).await))
                    }
                    Err(e) => found.set(Some(Err(e))),
                }
            });
        })
    };
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| {
            reason.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let who = |actor: &Actor| match actor {
        Actor::User(id) => format!("用户 {id}"),
        Actor::Operator(id) => format!("运营 {id}"),
    };
    html! {
        <div class="search">
            <form class="search-form" onsubmit={search}>
                <input type="search" placeholder="输入车牌号" aria-label="车牌号" value={(*query).clone()} oninput={on_query} />
                <button type="submit" class="btn">{ "查询" }</button>
            </form>
            { match &*found {
                None => html! {},
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.message() }</p> },
                Some(Ok(v)) => html! {
                    <>
                        <dl class="info">
                            <dt>{ "车牌" }</dt><dd>{ v.plate.to_string() }</dd>
                            <dt>{ "车主" }</dt><dd>{ v.owner.as_ref().map_or("无".to_owned(), ToString::to_string) }</dd>
                        </dl>
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
                            { for v.history.iter().map(|e| html! {
                                <li><span class="since">{ short_time(e.at) }</span>{ " " }{ e.change.label() }{ " · " }{ who(&e.actor) }</li>
                            }) }
                        </ol>
                    </>
                },
            } }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct IssueCouponProps {
    pub plate: Plate,
}

/// How long an issued coupon stays usable.
const COUPON_DAYS: i64 = 30;

/// 发放优惠券: a title and a value in yuan; the coupon is usable for 30 days.
#[component]
pub fn IssueCoupon(props: &IssueCouponProps) -> Html {
    let title = use_state(|| "停车2小时免费券".to_owned());
    let amount = use_state(|| "10".to_owned());
    let outcome = use_state(|| None::<Result<VehicleCoupon, ClientError>>);
    let value_fen = parse_yuan(&amount).filter(|fen| *fen > 0);
    let issue = {
        let (title, outcome, plate) = (title.clone(), outcome.clone(), props.plate.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(value_fen) = value_fen else { return };
            let body = IssueCouponRequest {
                plate: plate.to_string(),
                title: title.trim().to_owned(),
                value_fen,
                expires_at: Timestamp::from_unix_millis(
                    now().unix_millis() + COUPON_DAYS * 24 * 3600 * 1000,
                ),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(Some(api::post("/api/ops/coupons", &body).await));
            });
        })
    };
    let on_title = {
        let title = title.clone();
        Callback::from(move |e: InputEvent| {
            title.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_amount = {
        let amount = amount.clone();
        Callback::from(move |e: InputEvent| {
            amount.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <form class="issue-coupon" onsubmit={issue} aria-label="发放优惠券">
            <h2 class="section-title">{ "发放优惠券" }</h2>
            <input type="text" aria-label="优惠券名称" value={(*title).clone()} oninput={on_title} />
            <input type="text" inputmode="decimal" aria-label="面额(元)" value={(*amount).clone()} oninput={on_amount} />
            <button type="submit" class="btn" disabled={value_fen.is_none() || title.trim().is_empty()}>
                { format!("发放(有效期{COUPON_DAYS}天)") }
            </button>
            { match &*outcome {
                None => html! {},
                Some(Ok(c)) => html! {
                    <p class="success" role="status">{ format!("已发放「{}」{}", c.title, yuan(c.value_fen)) }</p>
                },
                Some(Err(e)) => html! { <p class="error" role="alert">{ e.message() }</p> },
            } }
        </form>
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

/// `2026-11-28 11:40` (UTC): minutes are enough to read a queue or a history.
fn short_time(t: shared::timestamp::Timestamp) -> String {
    t.to_string()
        .get(..16)
        .unwrap_or_default()
        .replace('T', " ")
}
