//! One review queue of 工作台 (认证审核 or 申诉审核), oldest first, and the operator's decisions.

use shared::api::ops::RejectRequest;
use shared::ids::ReviewId;
use shared::vehicle::ReviewKind;
use yew::prelude::*;

use super::review_card::ReviewCard;
use crate::api;
use crate::hooks::{use_load, Load};

/// Which queue [`Queue`] shows.
#[derive(Properties, PartialEq)]
pub struct QueueProps {
    /// Certifications or appeals.
    pub kind: ReviewKind,
}

/// One review queue, oldest first.
#[component]
pub fn Queue(props: &QueueProps) -> Html {
    let reviews = use_load(props.kind, api::ops::reviews);
    let error = use_state(|| None::<String>);
    let decide = {
        let (reload, error) = (reviews.reload.clone(), error.clone());
        Callback::from(move |(id, reason): (ReviewId, Option<String>)| {
            let (reload, error) = (reload.clone(), error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = match reason {
                    None => api::ops::approve(&id).await,
                    Some(reason) => api::ops::reject(&id, &RejectRequest { reason }).await,
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
    let list = match &*reviews.state {
        Load::Loading => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
        Load::Failed(e) => html! { <p class="error" role="alert">{ e.message() }</p> },
        Load::Loaded(list) if list.is_empty() => {
            html! { <p class="empty">{ "暂无待审核记录" }</p> }
        }
        Load::Loaded(list) => html! {
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
