//! 工作台's own app (`workbench.html`, built with the `workbench` feature): the back-office for
//! operators, kept out of the bundle every driver downloads.

use yew::prelude::*;

use crate::components::tab_bar::TabBar;
use crate::inbox::UnreadHandle;
use crate::pages::workbench::Workbench;
use crate::session::{use_auth_root, AuthHandle};

/// 工作台 above the platform's tab bar, with the signed-in user in context.
#[component]
pub fn WorkbenchApp() -> Html {
    let auth = use_auth_root(None, None);
    let unread = use_state(|| None::<u64>);
    html! {
        <ContextProvider<AuthHandle> context={auth}>
        <ContextProvider<UnreadHandle> context={unread}>
            <main class="page">
                <Workbench />
            </main>
            <TabBar in_workbench={true} />
        </ContextProvider<UnreadHandle>>
        </ContextProvider<AuthHandle>>
    }
}
