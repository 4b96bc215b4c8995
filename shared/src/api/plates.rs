//! `POST /api/plates/check`.

use serde::{Deserialize, Serialize};

use crate::plate::{Plate, PlateClass, VehicleType};

/// Check a typed plate before adding it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlateCheckRequest {
    /// The plate as typed (normalised by the server).
    pub plate: String,
}

/// The normalised plate and its classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlateCheckResponse {
    /// The normalised plate.
    pub plate: Plate,
    /// Ordinary, new-energy or special.
    pub class: PlateClass,
    /// 小汽车 or 能源车.
    pub vehicle_type: VehicleType,
    /// False: the add page shows the non-standard warning and asks to confirm.
    pub standard: bool,
}

impl From<&Plate> for PlateCheckResponse {
    fn from(plate: &Plate) -> Self {
        Self {
            plate: plate.clone(),
            class: plate.class(),
            vehicle_type: plate.vehicle_type(),
            standard: plate.is_standard(),
        }
    }
}
