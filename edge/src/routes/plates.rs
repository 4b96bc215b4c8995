//! `POST /api/plates/check`: normalise and classify a typed plate (SPEC §2).

use shared::api::plates::{PlateCheckRequest, PlateCheckResponse};
use shared::plate::Plate;
use worker::Request;

use crate::error::AppResult;
use crate::http::{json, read_json};

/// The normalised plate, its class and type, and whether it is standard; 400 `invalid_plate`
/// with what is wrong otherwise.
pub async fn check(req: &mut Request) -> AppResult {
    let PlateCheckRequest { plate } = read_json(req).await?;
    let plate = Plate::parse(&plate)?;
    json(200, &PlateCheckResponse::from(&plate))
}
