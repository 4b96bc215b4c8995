//! 消息 for a signed-in user: the messages newest first; opening it marks the unread ones read
//! in the background.

use shared::api::{MarkReadRequest, MessageItem};
use shared::ids::MessageId;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::error_box::ErrorBox;
use crate::datetime::local_time;
use crate::hooks::use_load;
use crate::inbox::use_unread;

/// The list, for a signed-in user.
#[component]
pub fn Inbox() -> Html {
    let mark_error = use_state(|| None::<ClientError>);
    let unread = use_unread();
    let messages = {
        let mark_error = mark_error.clone();
        use_load((), move |()| {
            let (mark_error, unread) = (mark_error.clone(), unread.clone());
            async move {
                let list = api::messages::list().await?;
                let ids: Vec<MessageId> = list
                    .messages
                    .iter()
                    .filter(|m| !m.read)
                    .map(|m| m.id.clone())
                    .collect();
                let total = list.unread;
                unread.set(Some(total));
                if !ids.is_empty() {
                    // In the background: the list shows at once, still marked 未读 until the next visit.
                    wasm_bindgen_futures::spawn_local(async move {
                        let marked = ids.len() as u64;
                        match api::messages::mark_read(&MarkReadRequest { ids }).await {
                            Ok(()) => unread.set(Some(total.saturating_sub(marked))),
                            Err(e) => mark_error.set(Some(e)),
                        }
                    });
                }
                Ok(list)
            }
        })
    };
    messages.view(|list| {
        if list.messages.is_empty() {
            return html! { <p class="empty">{ "暂无消息。车辆进出场、缴费等通知会显示在这里" }</p> };
        }
        html! {
            <>
                <ul class="message-list" aria-label="消息列表">
                    { for list.messages.iter().map(message) }
                </ul>
                if let Some(e) = &*mark_error {
                    <ErrorBox error={e.clone()} />
                }
            </>
        }
    })
}

fn message(m: &MessageItem) -> Html {
    let kind = m.kind.label();
    html! {
        <li class={classes!("message", (!m.read).then_some("message-unread"))}>
            <div class="message-head">
                <span class="badge">{ kind }</span>
                <span class="message-plate">{ m.plate.to_string() }</span>
                if !m.read {
                    <span class="unread-dot" role="img" aria-label="未读"></span>
                }
                <time class="message-time" datetime={m.created_at.to_string()}>{ local_time(m.created_at) }</time>
            </div>
            <p class="message-text">{ &m.text }</p>
        </li>
    }
}
