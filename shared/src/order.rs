//! A parking or charging order (SPEC §6–§8) from entry to payment.
//!
//! An order opens when a car enters (or starts charging), closes at exit with the fee the car
//! park reports, and is then paid once. A payment first reserves its coupon and waits for the
//! wallet (`Pending`), so two payments of one order can never both go through; if the wallet
//! refuses, the order is unpaid again and the coupon is back.

use serde::{Deserialize, Serialize};

use crate::ids::{FacilityId, OrderId, UserId};
use crate::payment::Deduction;
use crate::plate::Plate;
use crate::timestamp::Timestamp;

/// A car park or a charging station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FacilityKind {
    /// 车场: a car park.
    CarPark,
    /// 充电站: a charging station.
    ChargingStation,
}

impl FacilityKind {
    /// The generic word for the kind: 停车场 or 充电站.
    pub const fn generic_name(self) -> &'static str {
        match self {
            Self::CarPark => "停车场",
            Self::ChargingStation => "充电站",
        }
    }
}

/// A facility as its orders remember it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Facility {
    /// The id the car park signs its events with.
    pub id: FacilityId,
    /// Its full name, e.g. 万达广场停车场.
    pub name: String,
    /// Car park or charging station.
    pub kind: FacilityKind,
}

/// Where an order's payment stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Payment {
    /// Nothing paid yet (the car may still be inside).
    Unpaid,
    /// Nothing to pay: a free stay, or paid at the car park's own machine.
    Free,
    /// A payment under way: its coupon is reserved, the wallet is being charged.
    Pending {
        /// Which try this is (the wallet's reference): a late answer to an older try of the
        /// same order can never settle this one.
        #[serde(default)]
        attempt: u64,
        /// Who pays.
        payer: UserId,
        /// What is being taken, in order.
        steps: Vec<Deduction>,
        /// Whether 无感支付 started it.
        automatic: bool,
    },
    /// Paid.
    Paid {
        /// The try that paid.
        #[serde(default)]
        attempt: u64,
        /// Who paid.
        payer: UserId,
        /// What was taken, in order.
        steps: Vec<Deduction>,
        /// Whether 无感支付 paid it.
        automatic: bool,
        /// When.
        at: Timestamp,
    },
}

/// Why an order cannot do what was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// Exit for an order that is already closed.
    #[error("该订单已结束")]
    AlreadyClosed,
    /// Paying before the car left: the fee is not known yet.
    #[error("车辆尚未离场，暂不能缴费")]
    StillInside,
    /// Paying an order that is paid (or free).
    #[error("该订单已缴费")]
    AlreadyPaid,
    /// Paying while another payment of it is under way.
    #[error("该订单正在缴费中，请稍后刷新")]
    PaymentPending,
    /// Completing or aborting a payment that is not under way.
    #[error("该订单没有进行中的缴费")]
    NoPendingPayment,
    /// The wallet took money for a try that was no longer the order's pending one.
    #[error("该订单的缴费已取消，扣款已退回钱包")]
    Refunded,
}

/// A parking stay or a charging session of one plate at one facility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The order id (`plate-n`).
    pub id: OrderId,
    /// The car.
    pub plate: Plate,
    /// Where.
    pub facility: Facility,
    /// Entry (or charge start).
    pub entered_at: Timestamp,
    /// Exit (or charge end); `None` while the car is still there.
    pub exited_at: Option<Timestamp>,
    /// The fee in fen, known at exit.
    pub amount_fen: u64,
    /// Where the payment stands.
    pub payment: Payment,
}

impl Order {
    /// A new order: the car entered `facility` at `at`.
    pub fn open(id: OrderId, facility: Facility, at: Timestamp) -> Self {
        Self {
            plate: id.plate().clone(),
            id,
            facility,
            entered_at: at,
            exited_at: None,
            amount_fen: 0,
            payment: Payment::Unpaid,
        }
    }

    /// The car left at `at` owing `fee_fen`; a zero fee means nothing is due.
    pub fn close(&mut self, at: Timestamp, fee_fen: u64) -> Result<(), OrderError> {
        if self.exited_at.is_some() {
            return Err(OrderError::AlreadyClosed);
        }
        // A clock skewed between entry and exit cannot make a negative stay.
        self.exited_at = Some(at.max(self.entered_at));
        self.amount_fen = fee_fen;
        if fee_fen == 0 {
            self.payment = Payment::Free;
        }
        Ok(())
    }

    /// Whether the car is still inside.
    pub fn is_open(&self) -> bool {
        self.exited_at.is_none()
    }

    /// Whole minutes stayed; `None` while the car is still there.
    pub fn duration_minutes(&self) -> Option<u64> {
        self.exited_at.map(|out| self.entered_at.minutes_until(out))
    }

    /// Who paid, once paid.
    pub fn payer(&self) -> Option<&UserId> {
        match &self.payment {
            Payment::Paid { payer, .. } => Some(payer),
            Payment::Unpaid | Payment::Free | Payment::Pending { .. } => None,
        }
    }

    /// Whether nothing more is owed (paid, or free).
    pub fn is_paid(&self) -> bool {
        matches!(self.payment, Payment::Paid { .. } | Payment::Free)
    }

    /// Whether the car left and its fee waits to be paid.
    pub fn is_due(&self) -> bool {
        !self.is_open() && matches!(self.payment, Payment::Unpaid)
    }

    /// Starts try `attempt` of paying: the steps are reserved until
    /// [`Order::complete_payment`] or [`Order::abort_payment`] of the same try.
    pub fn begin_payment(
        &mut self,
        attempt: u64,
        payer: UserId,
        steps: Vec<Deduction>,
        automatic: bool,
    ) -> Result<(), OrderError> {
        self.payable()?;
        self.payment = Payment::Pending {
            attempt,
            payer,
            steps,
            automatic,
        };
        Ok(())
    }

    /// Whether a payment may start now, and if not, why.
    pub fn payable(&self) -> Result<(), OrderError> {
        match &self.payment {
            Payment::Unpaid if self.is_open() => Err(OrderError::StillInside),
            Payment::Unpaid => Ok(()),
            Payment::Pending { .. } => Err(OrderError::PaymentPending),
            Payment::Paid { .. } | Payment::Free => Err(OrderError::AlreadyPaid),
        }
    }

    /// Try `attempt` went through at `at`.
    pub fn complete_payment(&mut self, attempt: u64, at: Timestamp) -> Result<(), OrderError> {
        match std::mem::replace(&mut self.payment, Payment::Unpaid) {
            Payment::Pending {
                attempt: pending,
                payer,
                steps,
                automatic,
            } if pending == attempt => {
                self.payment = Payment::Paid {
                    attempt,
                    payer,
                    steps,
                    automatic,
                    at,
                };
                Ok(())
            }
            other => {
                self.payment = other;
                Err(OrderError::NoPendingPayment)
            }
        }
    }

    /// Try `attempt` failed: the order is due again; returns the released steps (their coupon
    /// goes back to the plate).
    pub fn abort_payment(&mut self, attempt: u64) -> Result<Vec<Deduction>, OrderError> {
        match std::mem::replace(&mut self.payment, Payment::Unpaid) {
            Payment::Pending {
                attempt: pending,
                steps,
                ..
            } if pending == attempt => Ok(steps),
            other => {
                self.payment = other;
                Err(OrderError::NoPendingPayment)
            }
        }
    }

    /// The try under way, if any.
    pub fn pending_attempt(&self) -> Option<u64> {
        match &self.payment {
            Payment::Pending { attempt, .. } => Some(*attempt),
            Payment::Unpaid | Payment::Free | Payment::Paid { .. } => None,
        }
    }

    /// Whether try `attempt` is the one that paid.
    pub fn paid_by(&self, attempt: u64) -> bool {
        matches!(self.payment, Payment::Paid { attempt: a, .. } if a == attempt)
    }

    /// The payment's deductions, once paid.
    pub fn deductions(&self) -> &[Deduction] {
        match &self.payment {
            Payment::Paid { steps, .. } => steps,
            Payment::Unpaid | Payment::Free | Payment::Pending { .. } => &[],
        }
    }

    /// Whether 无感支付 paid it.
    pub fn paid_automatically(&self) -> bool {
        matches!(
            self.payment,
            Payment::Paid {
                automatic: true,
                ..
            }
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

    use super::*;
    use crate::payment::PaymentSource;

    fn order() -> Order {
        let plate = Plate::parse("闽D12337").unwrap();
        let facility = Facility {
            id: FacilityId::new("fac-1"),
            name: "万达广场停车场".into(),
            kind: FacilityKind::CarPark,
        };
        Order::open(
            OrderId::new(plate, 1),
            facility,
            Timestamp::from_unix_millis(0),
        )
    }

    fn wallet(fen: u64) -> Vec<Deduction> {
        vec![Deduction {
            source: PaymentSource::Wallet,
            coupon: None,
            amount_fen: fen,
        }]
    }

    #[test]
    fn a_stay_is_paid_once_after_exit() {
        let mut o = order();
        let u = UserId::new("u1");
        assert_eq!(
            o.begin_payment(1, u.clone(), wallet(500), false),
            Err(OrderError::StillInside)
        );
        o.close(Timestamp::from_unix_millis(125 * 60_000), 500)
            .unwrap();
        assert_eq!(o.duration_minutes(), Some(125));
        assert!(o.is_due());
        o.begin_payment(2, u.clone(), wallet(500), false).unwrap();
        assert_eq!(
            o.begin_payment(3, UserId::new("u2"), wallet(500), false),
            Err(OrderError::PaymentPending)
        );
        assert_eq!(o.payer(), None, "not paid until the wallet agreed");
        assert_eq!(o.pending_attempt(), Some(2));
        o.complete_payment(2, Timestamp::from_unix_millis(1))
            .unwrap();
        assert_eq!(o.payer(), Some(&u));
        assert!(o.is_paid() && !o.is_due() && o.paid_by(2) && !o.paid_by(3));
        assert_eq!(
            o.begin_payment(4, u, wallet(500), false),
            Err(OrderError::AlreadyPaid)
        );
        assert_eq!(
            o.close(Timestamp::from_unix_millis(2), 1),
            Err(OrderError::AlreadyClosed)
        );
    }

    #[test]
    fn an_aborted_payment_leaves_the_order_due_and_returns_its_steps() {
        let mut o = order();
        o.close(Timestamp::from_unix_millis(60_000), 800).unwrap();
        o.begin_payment(1, UserId::new("u1"), wallet(800), true)
            .unwrap();
        assert_eq!(o.abort_payment(1), Ok(wallet(800)));
        assert!(o.is_due());
        assert_eq!(o.abort_payment(1), Err(OrderError::NoPendingPayment));
        assert_eq!(
            o.complete_payment(1, Timestamp::from_unix_millis(1)),
            Err(OrderError::NoPendingPayment)
        );
        assert!(o.is_due(), "a stray completion changes nothing");
    }

    #[test]
    fn a_late_answer_to_an_older_try_settles_nothing() {
        let mut o = order();
        o.close(Timestamp::from_unix_millis(60_000), 800).unwrap();
        o.begin_payment(1, UserId::new("u1"), wallet(800), false)
            .unwrap();
        o.abort_payment(1).unwrap();
        o.begin_payment(2, UserId::new("u2"), wallet(800), false)
            .unwrap();
        assert_eq!(
            o.complete_payment(1, Timestamp::from_unix_millis(1)),
            Err(OrderError::NoPendingPayment)
        );
        assert_eq!(o.abort_payment(1), Err(OrderError::NoPendingPayment));
        assert_eq!(o.pending_attempt(), Some(2), "try 2 is untouched");
    }

    #[test]
    fn a_free_stay_is_never_due_and_an_early_clock_cannot_make_a_negative_stay() {
        let mut o = order();
        o.entered_at = Timestamp::from_unix_millis(600_000);
        o.close(Timestamp::from_unix_millis(0), 0).unwrap();
        assert_eq!(o.duration_minutes(), Some(0));
        assert!(o.is_paid() && !o.is_due());
        assert_eq!(o.payer(), None);
    }
}
