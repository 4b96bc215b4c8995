//! Vehicle commands: run `shared::vehicle::execute`, store its events and the new state in one
//! commit, then write the plate's projection through to D1 (an alarm retries a failed write).

use shared::notify::occasions_of;
use shared::vehicle::{execute, Vehicle};

use super::protocol::{CommandReply, ReadVehicle, Reproject, RunCommand};
use super::VehicleDo;
use crate::durable::Answers;
use crate::error::AppResult;
use crate::store::projection;

impl Answers<RunCommand> for VehicleDo {
    async fn answer(&self, call: RunCommand) -> AppResult<CommandReply> {
        let reply = self.command(call)?;
        self.project(&reply.vehicle).await;
        self.flush().await;
        Ok(reply)
    }
}

impl Answers<ReadVehicle> for VehicleDo {
    async fn answer(&self, _: ReadVehicle) -> AppResult<Option<Vehicle>> {
        self.vehicle()
    }
}

impl Answers<Reproject> for VehicleDo {
    async fn answer(&self, _: Reproject) -> AppResult<()> {
        if let Some(vehicle) = self.vehicle()? {
            projection::write(&self.env.d1("DB")?, &vehicle).await?;
        }
        self.requeue_payers()?;
        self.flush().await;
        Ok(())
    }
}

impl VehicleDo {
    /// Runs one command and stores its events and the new state (synchronously: one commit).
    fn command(&self, call: RunCommand) -> AppResult<CommandReply> {
        let RunCommand {
            plate,
            command,
            actor,
            policy,
            now,
        } = call;
        let current = self.vehicle()?.unwrap_or_else(|| Vehicle::new(plate));
        let execution = execute(current, &command, &actor, now, policy);
        if !execution.new_events.is_empty() {
            self.store
                .save_command(execution.new_events.clone(), &execution.state)?;
            *self.cached.borrow_mut() = Some(execution.state.clone());
            // Whoever this command concerns hears it (requests, decisions, SPEC §4 dialogs).
            for occasion in occasions_of(&execution.new_events) {
                self.notify(&execution.state, occasion, now)?;
            }
        }
        Ok(CommandReply {
            outcome: execution.outcome,
            vehicle: execution.state,
        })
    }

    /// Writes the projection to D1; on failure schedules the alarm to try again (no index entry
    /// is ever lost: the projection is the whole plate, so the latest write repairs any older one).
    pub(super) async fn project(&self, vehicle: &Vehicle) {
        let result = match self.env.d1("DB") {
            Ok(db) => projection::write(&db, vehicle).await,
            Err(err) => Err(err),
        };
        if let Err(err) = result {
            worker::console_error!(
                "projection of {} failed, retrying by alarm: {err:?}",
                vehicle.plate()
            );
            self.retry_later().await;
        }
    }
}
