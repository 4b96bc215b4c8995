//! 证明材料: 1–4 photos from the camera or album, each scaled down and uploaded at once with a
//! progress bar, and a retry when the network fails.

use shared::ids::UploadId;
use web_sys::{Blob, HtmlInputElement};
use yew::prelude::*;

use crate::api::uploads::upload;
use crate::photo::scale_down;

/// Most photos one certification or appeal takes in the app.
pub const MAX_PHOTOS: usize = 4;

/// The uploaded photos, in the order chosen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Upload ids to cite as evidence.
    pub ids: Vec<UploadId>,
}

#[derive(Clone, PartialEq)]
enum Photo {
    Uploading(u32),
    Done(UploadId),
    Failed(String, Blob),
}

/// What [`EvidencePicker`] reports.
#[derive(Properties, PartialEq)]
pub struct EvidencePickerProps {
    /// The photos uploaded so far.
    pub value: Evidence,
    /// Called whenever a photo finishes uploading or is removed.
    pub on_change: Callback<Evidence>,
}

/// The picker: a file input (camera or album) and one row per photo.
#[component]
pub fn EvidencePicker(props: &EvidencePickerProps) -> Html {
    let photos = use_state(Vec::<Photo>::new);
    // Photos change from async tasks: keep the latest list in a ref they can all read.
    let latest = use_mut_ref(Vec::<Photo>::new);
    let set = {
        let (photos, latest, on_change) = (photos.clone(), latest.clone(), props.on_change.clone());
        Callback::from(move |(index, photo): (usize, Option<Photo>)| {
            let mut list = latest.borrow_mut();
            match photo {
                Some(p) if index < list.len() => list[index] = p,
                Some(p) => list.push(p),
                None if index < list.len() => {
                    list.remove(index);
                }
                None => {}
            }
            let ids = list.iter().filter_map(|p| match p {
                Photo::Done(id) => Some(id.clone()),
                Photo::Uploading(_) | Photo::Failed(..) => None,
            });
            on_change.emit(Evidence { ids: ids.collect() });
            photos.set(list.clone());
        })
    };
    let start = {
        let set = set.clone();
        Callback::from(move |(index, blob): (usize, Blob)| {
            let set = set.clone();
            set.emit((index, Some(Photo::Uploading(0))));
            wasm_bindgen_futures::spawn_local(async move {
                let scaled = scale_down(&blob).await;
                let progress = {
                    let set = set.clone();
                    move |pct: u32| set.emit((index, Some(Photo::Uploading(pct))))
                };
                match upload(&scaled, progress).await {
                    Ok(reply) => set.emit((index, Some(Photo::Done(reply.id)))),
                    Err(e) => set.emit((index, Some(Photo::Failed(e.message(), blob)))),
                }
            });
        })
    };
    let on_file = {
        let (start, latest) = (start.clone(), latest.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                let index = latest.borrow().len();
                start.emit((index, file.into()));
            }
            input.set_value("");
        })
    };
    let rows = photos.iter().enumerate().map(|(i, photo)| {
        let remove = set.reform(move |_| (i, None));
        match photo {
            Photo::Uploading(pct) => html! {
                <li class="photo">
                    <span>{ format!("照片{} 上传中", i + 1) }</span>
                    <progress max="100" value={pct.to_string()} aria-label={format!("照片{}上传进度", i + 1)} />
                </li>
            },
            Photo::Done(_) => html! {
                <li class="photo">
                    <span>{ format!("照片{} 已上传", i + 1) }</span>
                    <button type="button" class="btn-link" onclick={remove}>{ "删除" }</button>
                </li>
            },
            Photo::Failed(message, blob) => {
                let retry = { let (start, blob) = (start.clone(), blob.clone()); Callback::from(move |_| start.emit((i, blob.clone()))) };
                html! {
                    <li class="photo photo-failed">
                        <span>{ format!("照片{} 上传失败：{message}", i + 1) }</span>
                        <button type="button" class="btn-link" onclick={retry}>{ "重试" }</button>
                        <button type="button" class="btn-link" onclick={remove}>{ "删除" }</button>
                    </li>
                }
            }
        }
    });
    let full = photos.len() >= MAX_PHOTOS;
    html! {
        <div class="evidence">
            <label class="field field-block">
                <span>{ format!("证明材料（行驶证等照片，{} / {MAX_PHOTOS} 张）", props.value.ids.len()) }</span>
                <input type="file" accept="image/*" disabled={full} onchange={on_file} />
            </label>
            <ul class="photos">{ for rows }</ul>
        </div>
    }
}
