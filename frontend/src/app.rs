//! The routes of the SPA and the page each one shows.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::tab_bar::TabBar;
use crate::pages::claim::{Claim, ClaimKind};
use crate::pages::{
    add_vehicle::AddVehicle, mine::Mine, placeholder::Placeholder, privacy::Privacy,
    settings::Settings, sign_in::SignIn, workbench::Workbench,
};
use crate::session::{use_auth_root, AuthHandle};

/// Every address the SPA answers; the worker serves index.html for all of them.
#[derive(Clone, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    /// 我的: the driver's own page with their cars (the module's front door).
    #[at("/")]
    Mine,
    /// 添加车辆.
    #[at("/vehicles/add")]
    AddVehicle,
    /// 认证 of one plate.
    #[at("/vehicles/:plate/certify")]
    Certify {
        /// The plate certified.
        plate: String,
    },
    /// 设置 of one car.
    #[at("/vehicles/:plate/settings")]
    Settings {
        /// The car.
        plate: String,
    },
    /// 隐私设置 of one car (owner only).
    #[at("/vehicles/:plate/privacy")]
    Privacy {
        /// The car.
        plate: String,
    },
    /// 我的车辆申诉 for one plate.
    #[at("/vehicles/:plate/appeal")]
    Appeal {
        /// The plate appealed.
        plate: String,
    },
    /// Sign in with phone + code.
    #[at("/login")]
    SignIn,
    /// 主页: the platform's home, outside this module.
    #[at("/home")]
    Home,
    /// 工作台: the operators' back-office.
    #[at("/workbench")]
    Workbench,
    /// 随手拍: the platform's photo-report feature, outside this module.
    #[at("/snap")]
    Snap,
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Mine => html! { <Mine /> },
        Route::AddVehicle => html! { <AddVehicle /> },
        Route::Settings { plate } => html! { <Settings plate={plate} /> },
        Route::Privacy { plate } => html! { <Privacy plate={plate} /> },
        Route::Certify { plate } => html! { <Claim plate={plate} kind={ClaimKind::Certify} /> },
        Route::Appeal { plate } => html! { <Claim plate={plate} kind={ClaimKind::Appeal} /> },
        Route::SignIn => html! { <SignIn /> },
        Route::Home => html! { <Placeholder title="主页" /> },
        Route::Workbench => html! { <Workbench /> },
        Route::Snap => html! { <Placeholder title="随手拍" /> },
        Route::NotFound => html! { <Placeholder title="页面不存在" /> },
    }
}

/// The whole app: the current page above the bottom tab bar, with the signed-in user in context.
#[component]
pub fn App() -> Html {
    let auth = use_auth_root();
    html! {
        <ContextProvider<AuthHandle> context={auth}>
            <BrowserRouter>
                <main class="page">
                    <Switch<Route> render={switch} />
                </main>
                <TabBar />
            </BrowserRouter>
        </ContextProvider<AuthHandle>>
    }
}
