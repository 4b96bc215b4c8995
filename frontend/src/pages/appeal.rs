//! 我的车辆申诉: why the car is mine, with evidence photos; the car then shows 申诉中.

use shared::api::vehicles::AppealRequest;
use shared::ids::UploadId;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;

/// What [`Appeal`] appeals.
#[derive(Properties, PartialEq)]
pub struct AppealProps {
    /// The plate as in the address.
    pub plate: AttrValue,
}

/// The appeal form: a reason and 1–4 photos, each uploaded as soon as it is chosen.
#[component]
pub fn Appeal(props: &AppealProps) -> Html {
    let navigator = use_navigator();
    let reason = use_state(String::new);
    let photos = use_state(Vec::<UploadId>::new);
    let uploading = use_state(|| false);
    let error = use_state(|| None::<String>);

    let on_reason = {
        let reason = reason.clone();
        Callback::from(move |e: InputEvent| {
            reason.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_file = {
        let (photos, uploading, error) = (photos.clone(), uploading.clone(), error.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let (photos, uploading, error) = (photos.clone(), uploading.clone(), error.clone());
            uploading.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::upload(&file).await {
                    Ok(reply) => {
                        let mut list = (*photos).clone();
                        list.push(reply.id);
                        photos.set(list);
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e.message())),
                }
                uploading.set(false);
            });
        })
    };
    let on_submit = {
        let (reason, photos, error, plate) = (
            reason.clone(),
            photos.clone(),
            error.clone(),
            props.plate.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = AppealRequest {
                reason: (*reason).clone(),
                evidence: (*photos).clone(),
            };
            let (error, navigator, plate) = (error.clone(), navigator.clone(), plate.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::post_unit(&format!("/api/vehicles/{plate}/appeal"), &body).await {
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
    let full = photos.len() >= 4;
    html! {
        <section class="appeal">
            <h1 class="page-title">{ "我的车辆申诉" }</h1>
            <p class="plate-line">{ format!("车牌:{}", props.plate) }</p>
            <form class="form" onsubmit={on_submit}>
                <label class="field field-block">
                    <span>{ "申诉理由" }</span>
                    <textarea rows="4" maxlength="500" placeholder="请说明该车辆属于您的理由"
                        value={(*reason).clone()} oninput={on_reason} />
                </label>
                <label class="field field-block">
                    <span>{ format!("证明材料(行驶证等照片,已上传 {} 张,最多 4 张)", photos.len()) }</span>
                    <input type="file" accept="image/jpeg,image/png,image/webp" disabled={full || *uploading} onchange={on_file} />
                </label>
                if *uploading {
                    <p class="loading" aria-busy="true">{ "照片上传中…" }</p>
                }
                if let Some(message) = &*error {
                    <p class="error" role="alert">{ message }</p>
                }
                <button type="submit" class="btn-primary" disabled={photos.is_empty() || reason.trim().is_empty()}>
                    { "提交申诉" }
                </button>
            </form>
        </section>
    }
}
