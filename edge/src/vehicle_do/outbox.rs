//! The outbox: what D1 must learn from this plate (messages to users, who paid which order),
//! queued in the same commit as the change that caused it, then delivered. A failed delivery is
//! retried by the alarm; D1 ignores a message id it already has, so nothing arrives twice. Once a
//! message is in the inbox, its WeChat push is handed to the push object (`wechat_do`), which
//! also ignores an id it has.

use serde::{Deserialize, Serialize};
use shared::api::orders::MessageKind;
use shared::ids::{MessageId, UserId};
use shared::notify::{place_for, recipients, render, Occasion, VehicleMessage};
use shared::order::Order;
use shared::push::push_of;
use shared::timestamp::Timestamp;
use shared::vehicle::Vehicle;

use super::storage::Counter;
use super::VehicleDo;
use crate::error::AppResult;
use crate::store::{self, messages::OutgoingMessage, messages::PayerRow};

/// One queued item.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Outgoing {
    /// A message for one user's inbox.
    Message(OutgoingMessage),
    /// Who paid an order (D1's payer index).
    Payer(PayerRow),
}

impl VehicleDo {
    /// Queues the message of `occasion` for each of its recipients (SPEC §7), in the text each
    /// may read.
    pub(super) fn notify(
        &self,
        vehicle: &Vehicle,
        occasion: Occasion,
        now: Timestamp,
    ) -> AppResult<()> {
        let message = VehicleMessage {
            occasion,
            plate: vehicle.plate().clone(),
        };
        let latest_payer = self.store.latest_payer()?;
        let kind = MessageKind::from(&message.occasion);
        for user in recipients(&message, Some(vehicle), latest_payer.as_ref()) {
            let place = place_for(Some(vehicle), &user);
            let outgoing = OutgoingMessage {
                id: MessageId::numbered(vehicle.plate(), self.store.next(Counter::Message)?),
                user_id: user.clone(),
                plate: vehicle.plate().clone(),
                kind,
                text: render(&message, place),
                created_at: now,
                push: Some(push_of(&message, place)),
            };
            self.store
                .queue(&outgoing.id.to_string(), &Outgoing::Message(outgoing))?;
        }
        Ok(())
    }

    /// Records who paid an order for D1's payer index (delivered with the messages).
    pub(super) fn queue_payer(&self, order: &Order, payer: &UserId) -> AppResult<()> {
        let row = PayerRow {
            order_id: order.id.to_string(),
            plate: order.plate.clone(),
            payer_id: payer.clone(),
        };
        // One row per order: a newer payer replaces a queued one.
        self.store
            .queue(&format!("payer:{}", order.id), &Outgoing::Payer(row))
    }

    /// Every paid order's payer again (rebuild of D1's index).
    pub(super) fn requeue_payers(&self) -> AppResult<()> {
        for order in self.store.closed_orders()? {
            if let Some(payer) = order.payer() {
                self.queue_payer(&order, payer)?;
            }
        }
        Ok(())
    }

    /// Delivers the outbox to D1; on failure the alarm tries again.
    pub(super) async fn flush(&self) {
        if let Err(err) = self.try_flush().await {
            worker::console_error!("outbox delivery failed, retrying by alarm: {err:?}");
            self.retry_later().await;
        }
    }

    async fn try_flush(&self) -> AppResult<()> {
        let queued: Vec<(String, Outgoing)> = self.store.queued()?;
        if queued.is_empty() {
            return Ok(());
        }
        let mut ids = Vec::with_capacity(queued.len());
        let mut messages = Vec::new();
        let mut payers = Vec::new();
        for (id, item) in queued {
            ids.push(id);
            match item {
                Outgoing::Message(m) => messages.push(m),
                Outgoing::Payer(p) => payers.push(p),
            }
        }
        store::messages::deliver(&self.env.d1("DB")?, &messages, &payers).await?;
        // Pushes after the inbox has them; a failure here retries both, and both ignore repeats.
        crate::wechat::push::hand_over(&self.env, &messages).await?;
        self.store.dequeue(&ids)
    }
}
