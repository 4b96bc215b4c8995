//! The routes of the SPA and the page each one shows. A car's pages carry a parsed [`Plate`]: an
//! address whose plate does not parse is 页面不存在.

use shared::api::auth::SessionResponse;
use shared::plate::Plate;
use shared::tenant::Feature;
use yew::prelude::*;
use yew_router::history::{AnyHistory, MemoryHistory};
use yew_router::prelude::*;

use crate::components::tab_bar::TabBar;
use crate::components::tenant_gate::TenantGate;
use crate::inbox::UnreadHandle;
use crate::pages::claim::{Claim, ClaimKind};
use crate::pages::{
    account_security::AccountSecurity,
    add_vehicle::AddVehicle,
    autopay::Autopay,
    coupons::Coupons,
    messages::Messages,
    mine::Mine,
    orders::Orders,
    placeholder::Placeholder,
    privacy::Privacy,
    settings::Settings,
    sign_in::{Purpose, SignIn},
    wallet::Wallet,
};
use crate::session::{use_auth_root, AuthHandle, HomeSlot};

/// Every address the drivers' app answers; the worker serves index.html for all of them but
/// `/workbench`, which is 工作台's own page and bundle (`workbench.html`, [`crate::WorkbenchApp`]).
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
        plate: Plate,
    },
    /// 设置 of one car.
    #[at("/vehicles/:plate/settings")]
    Settings {
        /// The car.
        plate: Plate,
    },
    /// 隐私设置 of one car (owner only).
    #[at("/vehicles/:plate/privacy")]
    Privacy {
        /// The car.
        plate: Plate,
    },
    /// 无感支付 of one car (owner only).
    #[at("/vehicles/:plate/autopay")]
    Autopay {
        /// The car.
        plate: Plate,
    },
    /// 我的车辆申诉 for one plate.
    #[at("/vehicles/:plate/appeal")]
    Appeal {
        /// The plate appealed.
        plate: Plate,
    },
    /// 消息: the inbox of vehicle notices.
    #[at("/messages")]
    Messages,
    /// 停车/充电记录, with 缴费 and 代缴费.
    #[at("/orders")]
    Orders,
    /// 我的卡券: the vehicle coupons.
    #[at("/coupons")]
    Coupons,
    /// 钱包: the sandbox wallet.
    #[at("/wallet")]
    Wallet,
    /// 账号与安全: the masked phone and 注销账号.
    #[at("/account")]
    Account,
    /// Sign in with phone + code.
    #[at("/login")]
    SignIn,
    /// 绑定手机号, after WeChat sign-in with a new openid.
    #[at("/bind-phone")]
    BindPhone,
    /// 主页: the platform's home, outside this module.
    #[at("/home")]
    Home,
    /// 随手拍: the platform's photo-report feature, outside this module.
    #[at("/snap")]
    Snap,
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    // A tenant that leaves a page out says so in its place (SPEC §9).
    let vehicles =
        |page: Html| html! { <TenantGate needs={Feature::Vehicles}>{ page }</TenantGate> };
    let claims =
        |page: Html| html! { <TenantGate needs={Feature::Certification}>{ page }</TenantGate> };
    match route {
        Route::Mine => html! { <Mine /> },
        Route::AddVehicle => vehicles(html! { <AddVehicle /> }),
        Route::Settings { plate } => vehicles(html! { <Settings plate={plate} /> }),
        Route::Privacy { plate } => vehicles(html! { <Privacy plate={plate} /> }),
        Route::Autopay { plate } => vehicles(html! { <Autopay plate={plate} /> }),
        Route::Messages => vehicles(html! { <Messages /> }),
        Route::Orders => vehicles(html! { <Orders /> }),
        Route::Coupons => vehicles(html! { <Coupons /> }),
        Route::Wallet => vehicles(html! { <Wallet /> }),
        Route::Account => html! { <AccountSecurity /> },
        Route::Certify { plate } => {
            claims(html! { <Claim plate={plate} kind={ClaimKind::Certify} /> })
        }
        Route::Appeal { plate } => {
            claims(html! { <Claim plate={plate} kind={ClaimKind::Appeal} /> })
        }
        Route::SignIn => html! { <SignIn /> },
        Route::BindPhone => html! { <SignIn purpose={Purpose::BindWechat} /> },
        Route::Home => html! { <Placeholder title="主页" /> },
        Route::Snap => html! { <Placeholder title="随手拍" /> },
        Route::NotFound => html! { <Placeholder title="页面不存在" /> },
    }
}

/// What the drivers' app starts with.
#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The session the page was rendered with by the edge (signed in, with 我的's first data):
    /// the app's first render is that page, and nothing is asked again.
    #[prop_or_default]
    pub seed: Option<SessionResponse>,
}

/// The whole app: the current page above the bottom tab bar, with the signed-in user, 我的's first
/// data and the unread messages' count in context.
#[component]
pub fn App(props: &AppProps) -> Html {
    html! {
        <Frame seed={props.seed.clone()}>
            <Switch<Route> render={switch} />
        </Frame>
    }
}

/// 我的 as [`App`] draws it at `/` for the session `seed`, for the edge to render: the same frame
/// around 我的 alone, so the edge carries 我的's components and not every page's.
#[cfg(feature = "ssr")]
#[component]
pub fn MineOnEdge(props: &AppProps) -> Html {
    html! {
        <Frame seed={props.seed.clone()} at="/">
            <Mine />
        </Frame>
    }
}

#[derive(Properties, PartialEq)]
struct FrameProps {
    /// The session the page was drawn with, if the edge drew it ([`AppProps::seed`]).
    seed: Option<SessionResponse>,
    /// Rendering on the edge: the address rendered (a browser uses its own location).
    #[prop_or_default]
    at: Option<AttrValue>,
    /// The page.
    children: Html,
}

/// The contexts, the router, the page and the tab bar.
#[component]
fn Frame(props: &FrameProps) -> Html {
    let home = use_memo((), |()| HomeSlot::default());
    let first_unread = props
        .seed
        .as_ref()
        .and_then(|s| s.home.as_ref())
        .map(|h| h.unread);
    let auth = use_auth_root(Some((*home).clone()), props.seed.clone());
    let unread = use_state(|| first_unread);
    let pages = html! {
        <>
            <main class="page">{ props.children.clone() }</main>
            <TabBar in_workbench={false} />
        </>
    };
    html! {
        <ContextProvider<AuthHandle> context={auth}>
        <ContextProvider<HomeSlot> context={(*home).clone()}>
        <ContextProvider<UnreadHandle> context={unread}>
            if let Some(at) = &props.at {
                <Router history={AnyHistory::from(MemoryHistory::with_entries([at.to_string()]))}>{ pages }</Router>
            } else {
                <BrowserRouter>{ pages }</BrowserRouter>
            }
        </ContextProvider<UnreadHandle>>
        </ContextProvider<HomeSlot>>
        </ContextProvider<AuthHandle>>
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use wasm_bindgen_test::*;

    use super::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_cars_address_carries_its_parsed_plate_and_a_bad_plate_is_not_found() {
        let plate = Plate::parse("闽D12337").unwrap();
        let settings = Route::Settings {
            plate: plate.clone(),
        };
        assert_eq!(settings.to_path(), "/vehicles/%E9%97%BDD12337/settings");
        assert_eq!(
            Route::recognize("/vehicles/%E9%97%BDD12337/settings"),
            Some(settings)
        );
        assert_eq!(
            Route::recognize("/vehicles/闽D12337/autopay"),
            Some(Route::Autopay { plate })
        );
        for bad in [
            "/vehicles/abc/settings",
            "/vehicles/%E9%97%BDDI2337/privacy",
        ] {
            assert_eq!(Route::recognize(bad), Some(Route::NotFound), "{bad}");
        }
        assert_eq!(Route::recognize("/vehicles/add"), Some(Route::AddVehicle));
    }
}
