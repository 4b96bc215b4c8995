//! One Durable Object per plate: the single writer of that vehicle, its orders, coupons and
//! car-park events. This file is only the object and its dispatch; each call is answered in the
//! module that does that job:
//!
//! | module | job |
//! |---|---|
//! | `protocol` | the calls the worker can send, each with its path and reply |
//! | `storage` | the SQLite schema and every statement |
//! | `commands` | vehicle commands (`shared::vehicle::execute`) and the projection to D1 |
//! | `car_park` | car-park events: stays open and close |
//! | `payment` | the payment saga: reserve → charge → settle or release, and 无感支付 |
//! | `coupons` | issuing vehicle coupons |
//! | `outbox` | messages and payer rows queued in the same commit, delivered to D1 |
//! | `views` | read-only answers: orders, 代缴费, coupons, 工作台 |
//!
//! Everything one step decides is written with no `await` in between, so it commits whole; the
//! alarm retries whatever did not reach D1 or the payment provider.

// `#[durable_object]` generates public JS glue methods without docs.
#![allow(missing_docs)]

use std::cell::RefCell;
use std::collections::HashSet;

use shared::plate::Plate;
use shared::timestamp::Timestamp;
use shared::vehicle::Vehicle;
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State, Stub};

use crate::durable::{self, dispatch, Call};
use crate::error::AppResult;

mod car_park;
mod commands;
mod coupons;
mod outbox;
mod payment;
pub mod protocol;
mod storage;
mod views;
mod wechat_pay;

pub use protocol::*;
use storage::Storage;

/// The aggregate of one plate, addressed by the normalised plate (`get_by_name`).
#[durable_object]
pub struct VehicleDo {
    state: State,
    env: Env,
    store: Storage,
    /// The aggregate as last stored, so a command does not re-read it.
    cached: RefCell<Option<Vehicle>>,
    /// Payment tries and 无感支付 runs this instance is in the middle of (the alarm leaves
    /// them to their request).
    busy: RefCell<HashSet<payment::Work>>,
}

impl DurableObject for VehicleDo {
    fn new(state: State, env: Env) -> Self {
        let store = Storage::open(&state.storage());
        Self {
            state,
            env,
            store,
            cached: RefCell::new(None),
            busy: RefCell::default(),
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        dispatch!(
            self,
            req,
            [
                RunCommand,
                ReadVehicle,
                Reproject,
                RecordEvent,
                ListOrders,
                DueOrders,
                PayOrder,
                WechatPaid,
                WechatFailed,
                CancelWechatPay,
                OpsView,
                ListCoupons,
                IssueCoupon,
            ]
        )
    }

    /// Retries whatever did not land: the projection, pending payments, 无感支付, the outbox.
    async fn alarm(&self) -> Result<Response> {
        match self.vehicle() {
            Ok(Some(vehicle)) => self.project(&vehicle).await,
            Ok(None) => {}
            Err(err) => worker::console_error!("loading the vehicle: {err:?}"),
        }
        let now = Timestamp::from_unix_millis(worker::Date::now().as_millis() as i64);
        if let Err(err) = self.settle_pending(now).await {
            worker::console_error!("settling pending payments: {err:?}");
        }
        if let Err(err) = self.resume_autopay(now).await {
            worker::console_error!("resuming 无感支付: {err:?}");
        }
        self.flush().await;
        Response::empty()
    }
}

impl VehicleDo {
    /// The stored aggregate, if this plate was ever commanded.
    fn vehicle(&self) -> AppResult<Option<Vehicle>> {
        if let Some(vehicle) = self.cached.borrow().as_ref() {
            return Ok(Some(vehicle.clone()));
        }
        let vehicle = self.store.aggregate()?;
        self.cached.borrow_mut().clone_from(&vehicle);
        Ok(vehicle)
    }

    /// Schedules the alarm that retries what failed.
    async fn retry_later(&self) {
        if let Err(err) = self.state.storage().set_alarm(1_000).await {
            worker::console_error!("could not schedule a retry: {err}");
        }
    }
}

/// The object of `plate`.
fn stub(env: &Env, plate: &Plate) -> AppResult<Stub> {
    Ok(env.durable_object("VEHICLE")?.get_by_name(plate.as_str())?)
}

/// Sends `call` to the object of `plate` and returns its answer.
///
/// # Errors
/// The object's refusal as it made it, or `internal` when it could not be reached.
pub async fn ask<C: Call>(env: &Env, plate: &Plate, call: &C) -> AppResult<C::Reply> {
    durable::ask(&stub(env, plate)?, call).await
}
