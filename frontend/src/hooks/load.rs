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
    let state = use_state(|| Load::<T>::Loading);
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
        use_effect_with(args, move |_| reload.emit(()));
    }
    Loader { state, reload }
}

#[cfg(test)]
mod tests {
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
