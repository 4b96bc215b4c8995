//! 钱包 for a signed-in user: the balance, quick and custom top-ups, and the latest movements.

use shared::api::TopUpRequest;
use shared::money::{Fen, TopUpOutOfRange};
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::error_box::ErrorBox;
use crate::datetime::local_time;
use crate::hooks::{use_load, Load};
use crate::input::typed_into;
use crate::money::{parse_yuan, signed_yuan, yuan};

/// The quick top-up amounts, in fen.
const PRESETS: [u64; 3] = [1_000, 5_000, 10_000];

/// Where a top-up stands.
#[derive(Clone, PartialEq)]
enum TopUp {
    Idle,
    Sending,
    Done(u64),
    Invalid,
    Failed(ClientError),
}

/// Balance, top-up and movements, for a signed-in user.
#[component]
pub fn WalletBody() -> Html {
    let wallet = use_load((), |()| api::wallet::get());
    let custom = use_state(String::new);
    let top_up = use_state(|| TopUp::Idle);
    let send = {
        let (load, top_up, custom) = (wallet.state.clone(), top_up.clone(), custom.clone());
        Callback::from(move |amount_fen: u64| {
            let (load, top_up, custom) = (load.clone(), top_up.clone(), custom.clone());
            top_up.set(TopUp::Sending);
            wasm_bindgen_futures::spawn_local(async move {
                let body = TopUpRequest { amount_fen };
                match api::wallet::top_up(&body).await {
                    Ok(w) => {
                        custom.set(String::new());
                        load.set(Load::Loaded(w));
                        top_up.set(TopUp::Done(amount_fen));
                    }
                    Err(e) => top_up.set(TopUp::Failed(e)),
                }
            });
        })
    };
    let on_custom = {
        let (custom, send, top_up) = (custom.clone(), send.clone(), top_up.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let amount = parse_yuan(&custom).map(|f| shared::money::TopUp::parse(Fen::new(f)));
            match amount {
                Some(Ok(top_up)) => send.emit(top_up.amount().get()),
                Some(Err(_)) | None => top_up.set(TopUp::Invalid),
            }
        })
    };
    let on_input = typed_into(&custom);
    let busy = *top_up == TopUp::Sending;
    wallet.view(|w| html! {
        <>
            <div class="balance">
                <span class="balance-label">{ "余额" }</span>
                <span class="balance-value">{ yuan(w.balance_fen) }</span>
                <small class="sandbox-note">{ "沙盒钱包，仅用于演示，不涉及真实资金" }</small>
            </div>
            <h2 class="section-title">{ "充值" }</h2>
            <div class="top-up-presets" role="group" aria-label="快捷充值">
                { for PRESETS.iter().map(|&fen| html! {
                    <button type="button" class="btn btn-outline" disabled={busy}
                        onclick={send.reform(move |_| fen)}>{ yuan(fen) }</button>
                }) }
            </div>
            <form class="search-form" onsubmit={on_custom}>
                <input type="text" inputmode="decimal" placeholder="其他金额（元）" aria-label="充值金额（元）"
                    autocomplete="off" value={(*custom).clone()} oninput={on_input} />
                <button type="submit" class="btn btn-ok" disabled={busy}>{ "充值" }</button>
            </form>
            { match &*top_up {
                TopUp::Idle => html! {},
                TopUp::Sending => html! { <p class="loading" aria-busy="true">{ "充值中…" }</p> },
                TopUp::Done(fen) => html! { <p class="success" role="status">{ format!("已充值 {}", yuan(*fen)) }</p> },
                TopUp::Invalid => html! {
                    <p class="error" role="alert">{ TopUpOutOfRange.to_string() }</p>
                },
                TopUp::Failed(e) => html! { <ErrorBox error={e.clone()} /> },
            } }
            <h2 class="section-title">{ "收支明细" }</h2>
            if w.entries.is_empty() {
                <p class="empty">{ "暂无收支记录" }</p>
            } else {
                <ul class="wallet-entries" aria-label="收支明细">
                    { for w.entries.iter().map(|entry| html! {
                        <li class="wallet-entry">
                            <span class="entry-note">{ &entry.note }<small>{ local_time(entry.at) }</small></span>
                            <span class={classes!("entry-amount", (entry.delta_fen > 0).then_some("entry-in"))}>
                                { signed_yuan(entry.delta_fen) }
                            </span>
                        </li>
                    }) }
                </ul>
            }
        </>
    })
}
