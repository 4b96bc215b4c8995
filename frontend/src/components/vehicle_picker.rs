//! 从我的车辆选择 (SPEC §5, the seed's 车辆使用规范 1): the user's cars with the default one
//! preselected, and 添加车辆 right there, for every page that needs a plate.

use shared::plate::Plate;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::app::Route;

/// What [`VehiclePicker`] reports.
#[derive(Properties, PartialEq)]
pub struct VehiclePickerProps {
    /// The plate picked (the default one once the list has loaded).
    pub on_pick: Callback<Plate>,
    /// The plate now chosen on the page, if any.
    pub picked: Option<Plate>,
}

/// The user's cars as buttons, the default preselected; 添加车辆 when there is none yet.
#[component]
pub fn VehiclePicker(props: &VehiclePickerProps) -> Html {
    let plates = use_state(|| None::<Vec<(Plate, bool)>>);
    {
        let (plates, on_pick) = (plates.clone(), props.on_pick.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(list) = api::vehicles::list().await else {
                    return plates.set(Some(Vec::new()));
                };
                let mine: Vec<(Plate, bool)> = list
                    .vehicles
                    .into_iter()
                    .map(|v| (v.plate, v.is_default))
                    .collect();
                if let Some((default, _)) = mine.iter().find(|(_, d)| *d) {
                    on_pick.emit(default.clone());
                }
                plates.set(Some(mine));
            });
        });
    }
    let Some(mine) = &*plates else {
        return html! {};
    };
    html! {
        <div class="vehicle-picker" role="group" aria-label="从我的车辆选择">
            <span class="picker-label">{ "从我的车辆选择" }</span>
            { for mine.iter().map(|(plate, is_default)| {
                let chosen = props.picked.as_ref() == Some(plate);
                let onclick = {
                    let (on_pick, plate) = (props.on_pick.clone(), plate.clone());
                    Callback::from(move |_| on_pick.emit(plate.clone()))
                };
                html! {
                    <button type="button" class={classes!("picker-plate", chosen.then_some("picked"))}
                        aria-pressed={chosen.to_string()} {onclick}>
                        { plate.to_string() }
                        if *is_default { <span class="badge badge-default">{ "默认" }</span> }
                    </button>
                }
            }) }
            <Link<Route> to={Route::AddVehicle} classes="picker-add">{ "+添加车辆" }</Link<Route>>
        </div>
    }
}
