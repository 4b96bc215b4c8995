//! The one way a page loads data: an API call when it mounts (and when what it asks about
//! changes), its state as `Loading | Loaded | Failed`, and a way to ask again.

use std::future::Future;

use yew::prelude::*;

use crate::api::ClientError;
use crate::components::error_box::ErrorBox;

/// A resource as a page has it.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    /// Asked for, no answer yet.
    Loading,
    /// The latest answer.
    Loaded(T),
    /// The last ask failed.
    Failed(ClientError),
}

/// What [`use_load`] gives a page.
pub struct Loader<T> {
    /// The resource (a page may also set it, e.g. to the answer of a change it made).
    pub state: UseStateHandle<Load<T>>,
    /// Asks again; what was loaded stays on screen until the answer arrives.
    pub reload: Callback<()>,
}

impl<T> Loader<T> {
    /// 加载中… while loading, the error with 重试 when the load failed, else `loaded` of the value.
    pub fn view(&self, loaded: impl FnOnce(&T) -> Html) -> Html {
        match &*self.state {
            Load::Loading => html! { <p class="loading" aria-busy="true">{ "加载中…" }</p> },
            Load::Failed(e) => {
                html! { <ErrorBox error={e.clone()} on_retry={self.reload.clone()} /> }
            }
            Load::Loaded(value) => loaded(value),
        }
    }
}

/// Calls `request(args)` when the component mounts and whenever `args` change, with a way to ask
/// again. `request` is one of [`crate::api`]'s functions, or an async block around them.
#[hook]
pub fn use_load<A, T, F, Fut>(args: A, request: F) -> Loader<T>
where
    A: PartialEq + Clone + 'static,
    T: 'static,
    F: Fn(A) -> Fut + 'static,
    Fut: Future<Output = Result<T, ClientError>> + 'static,
{
    use_load_from(args, None, request)
}

/// [`use_load`], starting `Loaded` with `first` when the page already has it (brought by the
/// app's first request, or by the page the edge rendered): no request when it mounts then, and
/// the first render shows it, on the edge too.
#[hook]
pub fn use_load_from<A, T, F, Fut>(args: A, first: Option<T>, request: F) -> Loader<T>
where
    A: PartialEq + Clone + 'static,
    T: 'static,
    F: Fn(A) -> Fut + 'static,
    Fut: Future<Output = Result<T, ClientError>> + 'static,
{
    let had_first = use_mut_ref(|| first.is_some());
    let state = use_state(move || first.map_or(Load::Loading, Load::Loaded));
    let reload = {
        let state = state.clone();
        use_callback(args.clone(), move |(), args| {
            let (state, answer) = (state.clone(), request(args.clone()));
            wasm_bindgen_futures::spawn_local(async move {
                state.set(match answer.await {
                    Ok(value) => Load::Loaded(value),
                    Err(e) => Load::Failed(e),
                });
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(args, move |_| {
            // Only the mount can have had its answer already.
            if !had_first.replace(false) {
                reload.emit(());
            }
        });
    }
    Loader { state, reload }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use wasm_bindgen_test::*;

    use super::*;
    use crate::test_support::{mount, settle, texts};

    wasm_bindgen_test_configure!(run_in_browser);

    #[derive(Properties, PartialEq)]
    struct ProbeProps {
        /// The answer to the load; none ever comes without one.
        answer: Option<Result<u32, ClientError>>,
    }

    #[component]
    fn Probe(props: &ProbeProps) -> Html {
        let loader = use_load(props.answer.clone(), |answer| async move {
            match answer {
                Some(answer) => answer,
                None => std::future::pending().await,
            }
        });
        loader.view(|n| html! { <p class="value">{ n }</p> })
    }

    #[derive(Properties, PartialEq)]
    struct SeededProps {
        /// What the page already has.
        first: Option<u32>,
    }

    /// Counts its requests in `data-asked`; each answers 7.
    #[component]
    fn Seeded(props: &SeededProps) -> Html {
        let asked = use_mut_ref(|| 0);
        let loader = {
            let asked = asked.clone();
            use_load_from((), props.first, move |()| {
                *asked.borrow_mut() += 1;
                async { Ok(7) }
            })
        };
        let shown = loader.view(|n| html! { <p class="value">{ n }</p> });
        html! { <div data-asked={asked.borrow().to_string()}>{ shown }</div> }
    }

    #[wasm_bindgen_test]
    async fn a_load_with_its_first_answer_shows_it_at_once_and_asks_only_when_told() {
        let root = mount::<Seeded>(SeededProps { first: Some(3) }).await;
        assert_eq!(texts(&root, ".value"), ["3"], "the first render");
        settle().await;
        assert_eq!(texts(&root, ".value"), ["3"], "not asked again on mount");
        let asked = |root: &web_sys::Element| {
            root.query_selector("[data-asked]")
                .unwrap()
                .unwrap()
                .get_attribute("data-asked")
        };
        assert_eq!(asked(&root).as_deref(), Some("0"));
        // Without one, it asks as any load does.
        let root = mount::<Seeded>(SeededProps { first: None }).await;
        settle().await;
        assert_eq!(texts(&root, ".value"), ["7"]);
    }

    #[wasm_bindgen_test]
    async fn a_load_shows_loading_until_its_answer() {
        let root = mount::<Probe>(ProbeProps { answer: None }).await;
        assert_eq!(texts(&root, ".loading"), ["加载中…"]);
        let root = mount::<Probe>(ProbeProps {
            answer: Some(Ok(3)),
        })
        .await;
        settle().await;
        assert!(texts(&root, ".loading").is_empty());
        assert_eq!(texts(&root, ".value"), ["3"]);
    }

    #[wasm_bindgen_test]
    async fn a_failed_load_shows_why_with_a_retry() {
        let root = mount::<Probe>(ProbeProps {
            answer: Some(Err(ClientError::Network)),
        })
        .await;
        settle().await;
        assert_eq!(
            texts(&root, "[role=alert] p"),
            ["网络连接失败，请检查网络后重试"]
        );
        assert_eq!(texts(&root, "button"), ["重试"]);
    }
}
