//! One review in a 工作台 queue: who, since when, the statement, the photos large, and
//! 通过 / 驳回 with a reason.

use shared::api::ops::ReviewItem;
use shared::ids::ReviewId;
use yew::prelude::*;

use crate::datetime::short_time;
use crate::input::typed_into;

/// What [`ReviewCard`] shows.
#[derive(Properties, PartialEq)]
pub struct ReviewCardProps {
    /// The review.
    pub review: ReviewItem,
    /// Approve (`None`) or reject with a reason.
    pub on_decide: Callback<(ReviewId, Option<String>)>,
}

/// One review: who, since when, the statement, the photos large, and the decision.
#[component]
pub fn ReviewCard(props: &ReviewCardProps) -> Html {
    let reason = use_state(String::new);
    let r = &props.review;
    let approve = {
        let (on, id) = (props.on_decide.clone(), r.id.clone());
        Callback::from(move |_| on.emit((id.clone(), None)))
    };
    let reject = {
        let (on, id, reason) = (props.on_decide.clone(), r.id.clone(), reason.clone());
        Callback::from(move |_| on.emit((id.clone(), Some(reason.trim().to_owned()))))
    };
    let on_reason = typed_into(&reason);
    html! {
        <li class="review" aria-label={format!("审核{}", r.plate)}>
            <p class="review-head"><span class="plate">{ r.plate.to_string() }</span>
                <span class="since">{ format!("{} · {}", r.phone_masked, short_time(r.submitted_at)) }</span></p>
            if let Some(statement) = &r.reason {
                <p class="statement"><span class="statement-label">{ format!("{}：", r.statement_label()) }</span>{ statement }</p>
            }
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
