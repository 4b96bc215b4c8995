//! 认证 and 我的车辆申诉: one form, a statement (the owner's name, or the reason) and 1–4
//! evidence photos; the car then shows 认证中 or 申诉中.

use shared::api::vehicles::{AppealRequest, CertificationRequest};
use shared::plate::Plate;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;
use crate::components::evidence::{Evidence, EvidencePicker};

/// Which claim the form makes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// 认证: prove ownership of a car without an owner.
    Certify,
    /// 申诉: claim a car someone else holds.
    Appeal,
}

impl ClaimKind {
    fn title(self) -> &'static str {
        match self {
            Self::Certify => "车辆认证",
            Self::Appeal => "我的车辆申诉",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Certify => "车主姓名",
            Self::Appeal => "申诉理由",
        }
    }

    fn placeholder(self) -> &'static str {
        match self {
            Self::Certify => "与行驶证上的车主姓名一致",
            Self::Appeal => "请说明该车辆属于您的理由",
        }
    }

    fn submit(self) -> &'static str {
        match self {
            Self::Certify => "提交认证",
            Self::Appeal => "提交申诉",
        }
    }
}

/// What [`Claim`] claims.
#[derive(Properties, PartialEq)]
pub struct ClaimProps {
    /// The plate in the address.
    pub plate: Plate,
    /// Certification or appeal.
    pub kind: ClaimKind,
}

/// The form; on success the user is back on 我的 with the car pending review.
#[component]
pub fn Claim(props: &ClaimProps) -> Html {
    let navigator = use_navigator();
    let statement = use_state(String::new);
    let evidence = use_state(Evidence::default);
    let error = use_state(|| None::<String>);
    let kind = props.kind;
    let on_statement = {
        let statement = statement.clone();
        Callback::from(move |e: InputEvent| {
            statement.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_submit = {
        let (statement, evidence, error, plate) = (
            statement.clone(),
            evidence.clone(),
            error.clone(),
            props.plate.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (text, ids) = (statement.trim().to_owned(), evidence.ids.clone());
            let (error, navigator, plate) = (error.clone(), navigator.clone(), plate.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = match kind {
                    ClaimKind::Certify => {
                        let body = CertificationRequest {
                            owner_name: text,
                            evidence: ids,
                        };
                        api::vehicles::certify(&plate, &body).await
                    }
                    ClaimKind::Appeal => {
                        let body = AppealRequest {
                            reason: text,
                            evidence: ids,
                        };
                        api::vehicles::appeal(&plate, &body).await
                    }
                };
                match result {
                    Ok(()) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Mine);
                        }
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            });
        })
    };
    let ready = !evidence.ids.is_empty() && !statement.trim().is_empty();
    html! {
        <section class="claim">
            <h1 class="page-title">{ kind.title() }</h1>
            <p class="plate-line">{ format!("车牌：{}", props.plate) }</p>
            <form class="form" onsubmit={on_submit}>
                <label class="field field-block">
                    <span>{ kind.label() }</span>
                    <textarea rows={if kind == ClaimKind::Appeal { "4" } else { "1" }} maxlength="500"
                        placeholder={kind.placeholder()} value={(*statement).clone()} oninput={on_statement} />
                </label>
                <EvidencePicker value={(*evidence).clone()} on_change={{ let evidence = evidence.clone(); Callback::from(move |v| evidence.set(v)) }} />
                if let Some(message) = &*error {
                    <p class="error" role="alert">{ message }</p>
                }
                <button type="submit" class="btn-primary" disabled={!ready}>{ kind.submit() }</button>
            </form>
        </section>
    }
}
