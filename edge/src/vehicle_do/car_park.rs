//! Car-park events (SPEC §6–§8): an entry opens a stay, an exit closes it with its fee. Each
//! event is remembered with its answer, so a replay answers the same and changes nothing.

use shared::api::GatewayEventResponse;
use shared::car_park::StayChange;
use shared::ids::OrderId;
use shared::notify::{Occasion, Stay};
use shared::order::Order;
use shared::payment::{after_exit, AfterExit};

use super::protocol::RecordEvent;
use super::storage::Counter;
use super::VehicleDo;
use crate::durable::Answers;
use crate::error::AppResult;

impl Answers<RecordEvent> for VehicleDo {
    async fn answer(&self, call: RecordEvent) -> AppResult<GatewayEventResponse> {
        let answer = self.car_park_event(call).await;
        self.flush().await;
        answer
    }
}

impl VehicleDo {
    /// Records a car park's event once; a repeat answers as the first time.
    async fn car_park_event(&self, call: RecordEvent) -> AppResult<GatewayEventResponse> {
        let RecordEvent {
            facility,
            event,
            now,
        } = call;
        if let Some(answer) = self.store.recorded_event(&facility.id, &event.event_id)? {
            return Ok(answer);
        }
        let answer = |order_id: Option<OrderId>| GatewayEventResponse {
            event_id: event.event_id.clone(),
            order_id,
        };
        // A plate nobody ever added is not ours: acknowledged, nothing kept.
        let Some(vehicle) = self.vehicle()? else {
            return Ok(answer(None));
        };
        let mut autopay_order = None;
        let mut entered = None;
        let response = match event.change {
            StayChange::Opens { at } => {
                let id = OrderId::new(vehicle.plate().clone(), self.store.next(Counter::Order)?);
                let order = Order::open(id.clone(), facility.clone(), at);
                self.store.save_order(&order)?;
                let stay = Stay::of(&order);
                self.notify(&vehicle, Occasion::Entry { stay }, now)?;
                entered = Some(order);
                answer(Some(id))
            }
            StayChange::Closes { at, fee } => {
                match self.store.open_order_at(&facility.id)? {
                    // No entry seen (the car was added while inside): nothing to close, but the
                    // event is remembered so a late replay cannot close a later stay.
                    None => answer(None),
                    Some(mut order) => {
                        order.close(at, fee.get())?;
                        self.store.save_order(&order)?;
                        match after_exit(&vehicle, &order) {
                            AfterExit::Nothing => {}
                            AfterExit::Autopay => {
                                // Owed until paid or the owner is told; the alarm resumes it if
                                // this instance stops half-way.
                                self.store.set_autopay_owed(&order.id, true)?;
                                autopay_order = Some(order.id.clone());
                            }
                            AfterExit::TellOwner => {
                                let unpaid = Occasion::Exit {
                                    stay: Stay::of(&order),
                                    paid: false,
                                    due_fen: order.amount_fen,
                                };
                                self.notify(&vehicle, unpaid, now)?;
                            }
                            AfterExit::OverLimit { limit_fen } => {
                                let over = Occasion::AutopayOverLimit {
                                    amount_fen: order.amount_fen,
                                    limit_fen,
                                };
                                self.tell_unpaid(&vehicle, &order, over, now)?;
                            }
                        }
                        answer(Some(order.id))
                    }
                }
            }
        };
        let at = event.change.at();
        self.store
            .record_event(&facility.id, &event.event_id, at, &response)?;
        if let Some(order) = entered {
            // 支付分停车 learns of the stay now, so the exit can be deducted (best effort: a
            // stay it does not know is paid by hand, and the owner is told at the exit).
            self.register_parking(&vehicle, &order, now).await;
        }
        if let Some(order) = autopay_order {
            self.retry_later().await;
            // The event is recorded whatever happens to the payment; a failure was logged and
            // left the order due (or pending for the alarm).
            let _ = self.autopay(&order, now).await;
        }
        Ok(response)
    }
}
