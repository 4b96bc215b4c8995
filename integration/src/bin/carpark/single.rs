//! One signed event from the command line (`entry`, `exit`, `charge-start`, `charge-end`): sent
//! as the car park would, its answer printed.

use std::process::ExitCode;

use integration::gateway::{minutes_ago, CarPark, FACILITIES, XINGHE_CHARGING, XINGHE_PARKING};
use integration::Api;
use shared::api::GatewayEventKind;

use crate::Flags;

/// One event from the command line; prints the answer.
pub(crate) fn run(kind: GatewayEventKind, flags: &Flags) -> Result<ExitCode, String> {
    flags.only(&[
        "plate",
        "facility",
        "fee",
        "minutes-ago",
        "event-id",
        "secret",
    ])?;
    let plate = flags.text("plate").ok_or("--plate is required")?;
    let charging = matches!(
        kind,
        GatewayEventKind::ChargeStart | GatewayEventKind::ChargeEnd
    );
    let default = if charging {
        XINGHE_CHARGING
    } else {
        XINGHE_PARKING
    };
    let facility_id = flags.text("facility").unwrap_or(default.id);
    let secret = match flags.text("secret") {
        Some(secret) => secret,
        None => FACILITIES
            .iter()
            .find(|f| f.id == facility_id)
            .map(|f| f.secret)
            .ok_or_else(|| format!("no known key for facility {facility_id:?}: give --secret"))?,
    };
    let closes = matches!(kind, GatewayEventKind::Exit | GatewayEventKind::ChargeEnd);
    let fee = match flags.text("fee") {
        Some(_) => Some(flags.number("fee", 0u64)?),
        None if closes => Some(0),
        None => None,
    };
    let minutes: u64 = flags.number("minutes-ago", 0)?;
    let park = CarPark::new(&Api::from_env(), facility_id, secret);
    let mut event = park.event(kind, plate, minutes_ago(minutes), fee);
    if let Some(id) = flags.text("event-id") {
        event.event_id = id.to_owned();
    }
    match park.try_send(&event) {
        Ok(reply) => {
            println!("{}", reply.body);
            if reply.status == 200 {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "carpark: HTTP {} for event {}",
                    reply.status, event.event_id
                );
                Ok(ExitCode::FAILURE)
            }
        }
        Err(e) => {
            eprintln!(
                "carpark: no answer from {}: {e}",
                std::env::var("BASE_URL").unwrap_or_default()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
