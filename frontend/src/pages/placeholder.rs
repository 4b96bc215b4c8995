//! A page of the platform that lives outside this module: only its title.

use yew::prelude::*;

/// What [`Placeholder`] shows.
#[derive(Properties, PartialEq)]
pub struct PlaceholderProps {
    /// The page's title.
    pub title: AttrValue,
}

/// A titled empty page, so every tab leads somewhere.
#[component]
pub fn Placeholder(props: &PlaceholderProps) -> Html {
    html! {
        <section class="placeholder">
            <h1>{ props.title.clone() }</h1>
        </section>
    }
}
