//! One of the user's cars, found by its plate in 我的车辆's list.

use shared::api::vehicles::VehicleItem;
use shared::plate::Plate;
use yew::prelude::*;

use super::load::{use_load, Loader};
use crate::api::{self, ClientError};

/// The card of `plate` among the user's cars; `None` when it is not one of them.
///
/// # Errors
/// [`ClientError`] when the list cannot be loaded.
pub async fn find_vehicle(plate: &Plate) -> Result<Option<VehicleItem>, ClientError> {
    let list = api::vehicles::list().await?;
    Ok(list.vehicles.into_iter().find(|v| v.plate == *plate))
}

/// Loads the card of `plate` (`Loaded(None)` when it is not one of the user's cars).
#[hook]
pub fn use_vehicle(plate: &Plate) -> Loader<Option<VehicleItem>> {
    use_load(
        plate.clone(),
        |plate| async move { find_vehicle(&plate).await },
    )
}
