//! Contactless payment (无感支付, SPEC §8): the owner's settings and the deduction plan at an
//! unpaid exit. Moving money is the edge's job (a provider interface); this is only the plan.
//!
//! One vehicle coupon at most per order (as car parks apply them), chosen to cover the most of
//! the fee, then the earliest to expire; then the owner's other sources in the owner's order.

use serde::{Deserialize, Serialize};

use crate::api::ErrorCode;
use crate::coupon::{sees_coupons, VehicleCoupon};
use crate::ids::{CouponId, UserId};
use crate::money::Fen;
use crate::order::Order;
use crate::privacy::may_pay_for;
use crate::timestamp::Timestamp;
use crate::vehicle::Vehicle;

/// Where an automatic deduction can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentSource {
    /// A vehicle coupon of the plate.
    Coupon,
    /// The owner's wallet (the sandbox provider).
    Wallet,
    /// WeChat Pay (JSAPI, in WeChat's pay sheet): by hand only, for what coupons leave.
    Wechat,
    /// 微信支付分停车服务: 无感支付 through WeChat, for a stay registered at its entry.
    WechatParking,
}

impl PaymentSource {
    /// Every source of the owner's deduction order (无感支付).
    pub const ALL: [Self; 3] = [Self::Coupon, Self::Wallet, Self::WechatParking];

    /// The sources a payment by hand draws on, in order, when the payer picks `self`:
    /// 优惠券优先 takes the plate's coupon, then the payer's wallet; 钱包 the wallet only;
    /// 微信支付 the plate's coupon first, then WeChat Pay for the rest.
    pub fn manual_sources(self) -> Vec<Self> {
        match self {
            Self::Coupon => vec![Self::Coupon, Self::Wallet],
            Self::Wallet => vec![Self::Wallet],
            Self::Wechat => vec![Self::Coupon, Self::Wechat],
            // 无感支付 only: nothing is paid by hand with it.
            Self::WechatParking => Vec::new(),
        }
    }

    /// Whether WeChat Pay takes this part (settled by WeChat Pay's word, later).
    pub const fn is_wechat(self) -> bool {
        matches!(self, Self::Wechat | Self::WechatParking)
    }

    /// The name of a source as users read it.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Coupon => "车辆优惠券",
            Self::Wallet => "钱包余额",
            Self::Wechat => "微信支付",
            Self::WechatParking => "微信支付分停车",
        }
    }
}

/// 单笔自动扣费上限 when the owner has not set one (¥200).
pub const DEFAULT_AUTOPAY_LIMIT: Fen = Fen::new(20_000);
/// The highest 单笔自动扣费上限 an owner may set (¥5,000).
pub const MAX_AUTOPAY_LIMIT: Fen = Fen::new(500_000);

const fn default_limit_fen() -> u64 {
    DEFAULT_AUTOPAY_LIMIT.get()
}

/// The owner's 无感支付 settings: off by default; coupons first, then the wallet; at most ¥200 a
/// deduction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutopaySettings {
    /// Whether fees are deducted automatically at exit.
    pub enabled: bool,
    /// Deduction order, each source once.
    pub sources: Vec<PaymentSource>,
    /// 单笔自动扣费上限: a fee above it is not deducted; the owner is told and pays by hand.
    #[serde(default = "default_limit_fen")]
    pub limit_fen: u64,
}

impl Default for AutopaySettings {
    fn default() -> Self {
        Self {
            enabled: false,
            // Those a deployment does not offer drop out (`Offered`): coupons and 支付分停车 in
            // production, coupons and the sandbox wallet in dev runs.
            sources: PaymentSource::ALL.to_vec(),
            limit_fen: default_limit_fen(),
        }
    }
}

impl AutopaySettings {
    /// Autopay on with the default order (coupons first, then the wallet).
    pub fn default_enabled() -> Self {
        Self {
            enabled: true,
            ..Self::default()
        }
    }

    /// A limit of ¥0.01 to [`MAX_AUTOPAY_LIMIT`].
    pub fn limit_is_valid(&self) -> bool {
        (1..=MAX_AUTOPAY_LIMIT.get()).contains(&self.limit_fen)
    }

    /// At least one source and none twice.
    pub fn sources_are_valid(&self) -> bool {
        let mut seen = Vec::with_capacity(self.sources.len());
        for s in &self.sources {
            if seen.contains(s) {
                return false;
            }
            seen.push(*s);
        }
        !seen.is_empty()
    }
}

/// One automatic deduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deduction {
    /// Where the money comes from.
    pub source: PaymentSource,
    /// The coupon used, for a coupon deduction.
    pub coupon: Option<CouponId>,
    /// How much, in fen (never more than what was left to pay).
    pub amount_fen: u64,
}

/// What 无感支付 will deduct for one fee, in order, and what stays unpaid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeductionPlan {
    /// The deductions in order.
    pub steps: Vec<Deduction>,
    /// What is still owed after them (0 when fully paid).
    pub remaining_fen: u64,
}

/// The deduction plan for a fee at an unpaid exit; `None` when there is no owner or 无感支付 is
/// off. `coupons` are the plate's coupons, `wallet_fen` the owner's wallet balance; 支付分停车
/// takes the rest only if `wechat_parking` (the stay was registered with it at its entry).
pub fn deduction_plan(
    vehicle: &Vehicle,
    fee_fen: u64,
    coupons: &[VehicleCoupon],
    wallet_fen: u64,
    wechat_parking: bool,
    now: Timestamp,
) -> Option<DeductionPlan> {
    let autopay = vehicle.autopay().filter(|a| a.enabled)?;
    let sources: Vec<PaymentSource> = autopay
        .sources
        .iter()
        .copied()
        .filter(|s| wechat_parking || *s != PaymentSource::WechatParking)
        .collect();
    let usable: Vec<VehicleCoupon> = coupons
        .iter()
        .filter(|c| &c.plate == vehicle.plate())
        .cloned()
        .collect();
    Some(payment_plan(&sources, fee_fen, &usable, wallet_fen, now))
}

/// How a fee is paid from `sources` in order: at most one usable coupon (the one covering the
/// most, then the earliest to expire), then the wallet up to `wallet_fen`. A manual payment
/// (代缴费 included) uses it too, with the payer's own wallet.
pub fn payment_plan(
    sources: &[PaymentSource],
    fee_fen: u64,
    coupons: &[VehicleCoupon],
    wallet_fen: u64,
    now: Timestamp,
) -> DeductionPlan {
    let mut remaining = fee_fen;
    let mut steps = Vec::new();
    for source in sources {
        if remaining == 0 {
            break;
        }
        let (amount, coupon) = match source {
            PaymentSource::Coupon => {
                let best = coupons.iter().filter(|c| c.is_usable(now)).min_by(|a, b| {
                    let key = |c: &VehicleCoupon| {
                        (
                            std::cmp::Reverse(c.value_fen.min(remaining)),
                            c.expires_at,
                            c.value_fen,
                            c.id.clone(),
                        )
                    };
                    key(a).cmp(&key(b))
                });
                match best {
                    Some(c) => (c.value_fen.min(remaining), Some(c.id.clone())),
                    None => (0, None),
                }
            }
            PaymentSource::Wallet => (wallet_fen.min(remaining), None),
            // WeChat pays whatever is left (the pay sheet, or 支付分停车), confirmed later.
            PaymentSource::Wechat | PaymentSource::WechatParking => (remaining, None),
        };
        if amount > 0 {
            remaining -= amount;
            steps.push(Deduction {
                source: *source,
                coupon,
                amount_fen: amount,
            });
        }
    }
    DeductionPlan {
        steps,
        remaining_fen: remaining,
    }
}

impl DeductionPlan {
    /// What WeChat Pay is asked for (by hand or by 支付分停车).
    pub fn wechat_fen(&self) -> u64 {
        wechat_part(&self.steps)
    }

    /// What the wallet is asked for.
    pub fn wallet_fen(&self) -> u64 {
        self.steps
            .iter()
            .filter(|s| s.source == PaymentSource::Wallet)
            .map(|s| s.amount_fen)
            .sum()
    }
}

/// The payment sources a deployment offers. Vehicle coupons always; the sandbox wallet only in
/// local dev runs, since a deployment that let anyone top up a balance by saying so would let
/// them park for free; WeChat Pay when its merchant settings are complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offered {
    /// The sandbox wallet (top-up, 钱包支付, the wallet in 无感支付).
    pub wallet: bool,
    /// WeChat Pay (微信支付 by hand).
    #[serde(default)]
    pub wechat: bool,
}

impl Offered {
    /// What a deployment offers: `dev` is `ENVIRONMENT = "dev"`; no WeChat Pay.
    pub const fn for_deployment(dev: bool) -> Self {
        Self {
            wallet: dev,
            wechat: false,
        }
    }

    /// The same, with WeChat Pay when `wechat` (its settings are complete).
    pub const fn with_wechat(self, wechat: bool) -> Self {
        Self { wechat, ..self }
    }

    /// Whether `source` can be used here.
    pub const fn offers(self, source: PaymentSource) -> bool {
        match source {
            PaymentSource::Coupon => true,
            PaymentSource::Wallet => self.wallet,
            PaymentSource::Wechat | PaymentSource::WechatParking => self.wechat,
        }
    }

    /// Every source offered, in the owner's default order.
    pub fn sources(self) -> Vec<PaymentSource> {
        PaymentSource::ALL
            .into_iter()
            .filter(|s| self.offers(*s))
            .collect()
    }

    /// The sources a payment by hand draws on when the payer picks `picked`, as far as they
    /// are offered; a source not offered is refused.
    pub fn manual_sources(self, picked: PaymentSource) -> Result<Vec<PaymentSource>, PayRefusal> {
        let sources: Vec<PaymentSource> = picked
            .manual_sources()
            .into_iter()
            .filter(|s| self.offers(*s))
            .collect();
        match self.offers(picked) && !sources.is_empty() {
            true => Ok(sources),
            false => Err(PayRefusal::NotOffered),
        }
    }

    /// Why a payment by hand from coupons alone cannot go through when they do not cover the
    /// fee: WeChat Pay is the way where it is offered; otherwise nothing online is.
    pub const fn coupons_short(self) -> PayRefusal {
        match self.wechat {
            true => PayRefusal::UseWechat,
            false => PayRefusal::NotOffered,
        }
    }

    /// Refuses owner settings (无感支付's deduction order) that name a source not offered, or
    /// one paid by hand only (微信支付: 无感支付 with WeChat is 支付分停车).
    pub fn check_settings(self, sources: &[PaymentSource]) -> Result<(), PayRefusal> {
        let automatic = |s: &PaymentSource| PaymentSource::ALL.contains(s);
        match sources.iter().all(|s| self.offers(*s) && automatic(s)) {
            true => Ok(()),
            false => Err(PayRefusal::NotOffered),
        }
    }
}

/// The part of `steps` WeChat Pay takes (by hand or by 支付分停车).
pub fn wechat_part(steps: &[Deduction]) -> u64 {
    steps
        .iter()
        .filter(|s| s.source.is_wechat())
        .map(|s| s.amount_fen)
        .sum()
}

/// Whether `user` may see the deduction order and the automatic deductions: the owner only.
pub fn may_see_deductions(vehicle: &Vehicle, user: &UserId) -> bool {
    vehicle.is_owner(user)
}

/// Why a user may not pay an order of a vehicle (the order itself may be payable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PayRefusal {
    /// The owner turned privacy protection on: only the owner and the users they authorized
    /// may pay (SPEC §6), and only they may look the plate's fees up.
    #[error("车主已开启隐私保护，仅车主和授权用户可以缴费")]
    PrivacyProtected,
    /// A vehicle coupon belongs to the plate: only users with a live relation may spend it.
    #[error("只有添加了该车辆的用户可以使用车辆优惠券")]
    CouponNeedsRelation,
    /// The source is not offered here (the sandbox wallet outside dev), or coupons alone cannot
    /// cover the fee and nothing else is offered.
    #[error("暂未开通在线支付，可使用车辆优惠券抵扣，或在出口处缴费")]
    NotOffered,
    /// Coupons alone do not cover the fee and WeChat Pay is offered for the rest.
    #[error("车辆优惠券不足以支付全部费用，请使用微信支付")]
    UseWechat,
}

impl PayRefusal {
    /// The API error code: 403 for who may pay, 400 for a source this deployment lacks.
    pub const fn code(self) -> ErrorCode {
        match self {
            Self::PrivacyProtected | Self::CouponNeedsRelation => ErrorCode::Forbidden,
            Self::NotOffered | Self::UseWechat => ErrorCode::InvalidRequest,
        }
    }
}

/// Whether `payer` may pay for `vehicle` from `sources` (privacy first, then the coupon).
///
/// # Errors
/// The [`PayRefusal`] that stops them.
pub fn check_payer(
    vehicle: &Vehicle,
    payer: &UserId,
    sources: &[PaymentSource],
) -> Result<(), PayRefusal> {
    if !may_pay_for(vehicle, payer) {
        return Err(PayRefusal::PrivacyProtected);
    }
    if sources.contains(&PaymentSource::Coupon) && !sees_coupons(vehicle, payer) {
        return Err(PayRefusal::CouponNeedsRelation);
    }
    Ok(())
}

/// What follows a car's exit (SPEC §7–§8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterExit {
    /// Nothing is due (a free stay, paid at the car park, or the stay is still open): nobody is
    /// told.
    Nothing,
    /// A fee is due and the owner has 无感支付 on: deduct it (the owner is told if that fails).
    Autopay,
    /// A fee is due above the owner's 单笔自动扣费上限: nothing is deducted, the owner is told.
    OverLimit {
        /// The owner's limit, in fen.
        limit_fen: u64,
    },
    /// A fee is due and nothing pays it automatically: the owner is told what is due.
    TellOwner,
}

/// What follows the exit that closed `order`.
pub fn after_exit(vehicle: &Vehicle, order: &Order) -> AfterExit {
    let autopay = vehicle.autopay().filter(|a| a.enabled);
    match (order.is_due(), autopay) {
        (false, _) => AfterExit::Nothing,
        (true, Some(a)) if order.amount_fen > a.limit_fen => AfterExit::OverLimit {
            limit_fen: a.limit_fen,
        },
        (true, Some(_)) => AfterExit::Autopay,
        (true, None) => AfterExit::TellOwner,
    }
}

#[cfg(test)]
mod offered_tests {
    use super::*;

    #[test]
    fn the_sandbox_wallet_exists_only_in_dev() {
        let production = Offered::for_deployment(false);
        let dev = Offered::for_deployment(true);
        assert_eq!(production.sources(), vec![PaymentSource::Coupon]);
        assert_eq!(
            dev.sources(),
            vec![PaymentSource::Coupon, PaymentSource::Wallet]
        );
        let live = production.with_wechat(true);
        assert_eq!(
            live.sources(),
            vec![PaymentSource::Coupon, PaymentSource::WechatParking]
        );
        assert_eq!(
            live.manual_sources(PaymentSource::Wechat),
            Ok(vec![PaymentSource::Coupon, PaymentSource::Wechat])
        );
        assert_eq!(
            live.check_settings(&[PaymentSource::Wechat]),
            Err(PayRefusal::NotOffered)
        );
        assert_eq!(live.check_settings(&[PaymentSource::WechatParking]), Ok(()));
        assert_eq!(
            production.manual_sources(PaymentSource::Wallet),
            Err(PayRefusal::NotOffered)
        );
        assert_eq!(
            production.manual_sources(PaymentSource::Coupon),
            Ok(vec![PaymentSource::Coupon])
        );
        assert_eq!(
            dev.manual_sources(PaymentSource::Coupon),
            Ok(vec![PaymentSource::Coupon, PaymentSource::Wallet])
        );
        assert_eq!(
            production.check_settings(&[PaymentSource::Coupon, PaymentSource::Wallet]),
            Err(PayRefusal::NotOffered)
        );
        assert_eq!(production.check_settings(&[PaymentSource::Coupon]), Ok(()));
        assert_eq!(PayRefusal::NotOffered.code(), ErrorCode::InvalidRequest);
    }
}
