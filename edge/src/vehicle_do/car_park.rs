//! Car-park events (SPEC §6–§8): an entry opens a stay, an exit closes it with its fee. Each
//! event is remembered with its answer, so a replay answers the same and changes nothing.

use shared::api::{GatewayEventKind, GatewayEventResponse};
use shared::ids::OrderId;
use shared::notify::Occasion;
use shared::order::Order;

use super::protocol::CarParkEvent;
use super::storage::Counter;
use super::VehicleDo;
use crate::durable::Answers;
use crate::error::AppResult;

impl Answers<CarParkEvent> for VehicleDo {
    async fn answer(&self, call: CarParkEvent) -> AppResult<GatewayEventResponse> {
        let answer = self.car_park_event(call).await;
        self.flush().await;
        answer
    }
}

impl VehicleDo {
    /// Records a car park's event once; a repeat answers as the first time.
    async fn car_park_event(&self, call: CarParkEvent) -> AppResult<GatewayEventResponse> {
        let CarParkEvent {
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
        let response = match event.kind {
            GatewayEventKind::Entry | GatewayEventKind::ChargeStart => {
                let id = OrderId::new(vehicle.plate().clone(), self.store.next(Counter::Order)?);
                let order = Order::open(id.clone(), facility.clone(), event.at);
                self.store.save_order(&order)?;
                self.notify(&vehicle, &order, Occasion::Entry, now)?;
                answer(Some(id))
            }
            GatewayEventKind::Exit | GatewayEventKind::ChargeEnd => {
                match self.store.open_order_at(&facility.id)? {
                    // No entry seen (the car was added while inside): nothing to close, but the
                    // event is remembered so a late replay cannot close a later stay.
                    None => answer(None),
                    Some(mut order) => {
                        order.close(event.at, event.fee_fen.unwrap_or(0))?;
                        self.store.save_order(&order)?;
                        let autopay = vehicle.autopay().is_some_and(|a| a.enabled);
                        if order.is_due() && autopay {
                            // Owed until paid or the owner is told; the alarm resumes it if
                            // this instance stops half-way.
                            self.store.set_autopay_owed(&order.id, true)?;
                            autopay_order = Some(order.id.clone());
                        } else if order.is_due() {
                            self.notify(&vehicle, &order, Occasion::Exit { paid: false }, now)?;
                        }
                        answer(Some(order.id))
                    }
                }
            }
        };
        self.store
            .record_event(&facility.id, &event.event_id, event.at, &response)?;
        if let Some(order) = autopay_order {
            self.retry_later().await;
            // The event is recorded whatever happens to the payment; a failure was logged and
            // left the order due (or pending for the alarm).
            let _ = self.autopay(&order, now).await;
        }
        Ok(response)
    }
}
