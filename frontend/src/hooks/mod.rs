//! Hooks shared by pages: loading a resource from the API.

use serde::de::DeserializeOwned;
use yew::prelude::*;

use crate::api::{self, ClientError};

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

/// What [`use_get`] gives a page.
pub struct Get<T> {
    /// The resource.
    pub load: UseStateHandle<Load<T>>,
    /// Asks again; what was loaded stays on screen until the answer arrives.
    pub reload: Callback<()>,
}

/// `GET path` when the component mounts (and when `path` changes), with a way to ask again.
#[hook]
pub fn use_get<T>(path: String) -> Get<T>
where
    T: DeserializeOwned + Clone + PartialEq + 'static,
{
    let load = use_state(|| Load::<T>::Loading);
    let reload = {
        let load = load.clone();
        use_callback(path.clone(), move |(), path| {
            let (load, path) = (load.clone(), path.clone());
            wasm_bindgen_futures::spawn_local(async move {
                load.set(match api::get::<T>(&path).await {
                    Ok(value) => Load::Loaded(value),
                    Err(e) => Load::Failed(e),
                });
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(path, move |_| reload.emit(()));
    }
    Get { load, reload }
}
