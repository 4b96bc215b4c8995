//! Notifications (SPEC §7): who gets a vehicle's messages, and their text.
//!
//! The template names the plate, the facility and the duration, never a start or end time. The
//! facility is shown in full only to the owner; anyone else gets the mask of SPEC §6. A payment
//! receipt goes to the payer whatever the owner's switch says: it is about the payer's own
//! payment, not a vehicle notice (the switch silences the owner's vehicle notices).

use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::notice::notice_dialog;
use crate::order::Order;
use crate::plate::Plate;
use crate::privacy::{mask_facility, FacilityKind};
use crate::vehicle::{NoticeKind, Vehicle};

/// The stay a message is about: where and how long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stay {
    /// The facility's full name.
    pub facility_name: String,
    /// Car park or charging station.
    pub facility_kind: FacilityKind,
    /// Minutes stayed, once known.
    pub duration_minutes: Option<u64>,
}

impl Stay {
    /// The stay of `order`.
    pub fn of(order: &Order) -> Self {
        Self {
            facility_name: order.facility.name.clone(),
            facility_kind: order.facility.kind,
            duration_minutes: order.duration_minutes(),
        }
    }
}

/// What a message is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Occasion {
    /// 进场 (or charging started).
    Entry {
        /// Where.
        stay: Stay,
    },
    /// 出场 (or charging ended).
    Exit {
        /// Where and how long.
        stay: Stay,
        /// Whether the stay was paid before leaving (then nobody is told).
        paid: bool,
        /// What is due, in fen (the message says how much).
        #[serde(default)]
        due_fen: u64,
    },
    /// 缴费: someone paid.
    Payment {
        /// Where and how long.
        stay: Stay,
        /// Who paid.
        payer: UserId,
        /// How much, in fen.
        amount_fen: u64,
    },
    /// An operator issued a vehicle coupon to the plate.
    CouponIssued {
        /// Its title, e.g. 停车2小时免费券.
        title: String,
        /// Its value in fen.
        value_fen: u64,
    },
    /// 无感支付 could not take the fee, which is still due.
    AutopayFailed {
        /// The fee, in fen.
        amount_fen: u64,
    },
    /// The fee is above the owner's 单笔自动扣费上限: nothing was deducted, it is still due.
    AutopayOverLimit {
        /// The fee, in fen.
        amount_fen: u64,
        /// The owner's limit, in fen.
        limit_fen: u64,
    },
    /// 无感支付 would use 微信支付分停车, but the plate's service is not open (or paused), so the
    /// stay was not registered and nothing was deducted: the fee is still due.
    WechatParkingOff {
        /// The fee, in fen.
        amount_fen: u64,
    },
    /// Someone asked the owner to add the car (SPEC §7: the owner hears it).
    RequestReceived {
        /// Who asked.
        requester: UserId,
    },
    /// An operator decided `user`'s certification or appeal (SPEC §7: that user hears it, with
    /// the operator's reason).
    Decision {
        /// Whose case.
        user: UserId,
        /// Which case.
        case: Case,
        /// Approved or not.
        approved: bool,
        /// The operator's reason, if given.
        reason: Option<String>,
    },
    /// Someone other than the owner paid an order of the owner's car (SPEC §7).
    PaidByOther {
        /// How much, in fen.
        amount_fen: u64,
        /// The payer as the owner may know them: an authorized user's masked phone; `None` for
        /// anyone else (他人).
        by: Option<String>,
    },
    /// A SPEC §4 dialog now waits for `user` (their relation to the car changed by someone
    /// else's act): the inbox and a push tell them without their opening the app.
    Notice {
        /// Which dialog.
        kind: NoticeKind,
        /// Whose relation it is about.
        user: UserId,
    },
}

/// The kind of case an operator decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Case {
    /// 认证.
    Certification,
    /// 申诉.
    Appeal,
}

/// What the events of one command tell people: requests to the owner, operators' decisions
/// (with their reasons) to the user whose case it was, and each SPEC §4 dialog left for someone
/// whose relation another's act ended (申诉成功/失败 are told as decisions).
pub fn occasions_of(events: &[crate::vehicle::Event]) -> Vec<Occasion> {
    use crate::vehicle::{Change, NoticeKind};
    let notice = |kind: NoticeKind, user: &UserId| {
        Some(Occasion::Notice {
            kind,
            user: user.clone(),
        })
    };
    events
        .iter()
        .filter_map(|e| match &e.change {
            Change::AuthorizationRequested { user } => Some(Occasion::RequestReceived {
                requester: user.clone(),
            }),
            Change::CertificationApproved { user, .. } => {
                Some(decision(user, Case::Certification, true, None))
            }
            Change::CertificationRejected { user, reason, .. } => {
                Some(decision(user, Case::Certification, false, Some(reason)))
            }
            Change::AppealApproved { user, .. } => Some(decision(user, Case::Appeal, true, None)),
            Change::AppealRejected { user, reason, .. } => {
                Some(decision(user, Case::Appeal, false, Some(reason)))
            }
            Change::NoticeIssued { user, kind, .. } => notice((*kind).into(), user),
            Change::CertificationRevoked { user, .. } => {
                notice(NoticeKind::RevokedByOperator, user)
            }
            Change::RequestDenied { user, .. } => notice(NoticeKind::AuthorizationDenied, user),
            Change::AuthorizationRevoked { user, .. } => {
                notice(NoticeKind::AuthorizationRevoked, user)
            }
            _ => None,
        })
        .collect()
}

fn decision(user: &UserId, case: Case, approved: bool, reason: Option<&String>) -> Occasion {
    Occasion::Decision {
        user: user.clone(),
        case,
        approved,
        reason: reason.cloned(),
    }
}

/// One vehicle message to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleMessage {
    /// What it is about.
    pub occasion: Occasion,
    /// The car.
    pub plate: Plate,
}

/// Who receives `message`: see SPEC §7. `vehicle` is `None` for a plate nobody added;
/// `latest_payer` is the last user who paid for the plate.
pub fn recipients(
    message: &VehicleMessage,
    vehicle: Option<&Vehicle>,
    latest_payer: Option<&UserId>,
) -> Vec<UserId> {
    let owner = vehicle.and_then(Vehicle::owner);
    let listening_owner = owner.filter(|o| o.privacy.notify).map(|o| o.user.clone());
    match &message.occasion {
        Occasion::Entry { .. } | Occasion::Exit { paid: false, .. } => {
            listening_owner.into_iter().collect()
        }
        Occasion::Exit { paid: true, .. } => Vec::new(),
        Occasion::Payment { payer, .. } => vec![payer.clone()],
        // About the user's own standing, like a receipt: not silenced by the owner's switch.
        Occasion::Notice { user, .. } | Occasion::Decision { user, .. } => vec![user.clone()],
        Occasion::RequestReceived { .. } | Occasion::PaidByOther { .. } => {
            listening_owner.into_iter().collect()
        }
        // Other vehicle notices: with no owner, the latest payer (SPEC §7).
        Occasion::CouponIssued { .. }
        | Occasion::AutopayFailed { .. }
        | Occasion::AutopayOverLimit { .. }
        | Occasion::WechatParkingOff { .. } => match owner {
            Some(_) => listening_owner.into_iter().collect(),
            None => latest_payer.cloned().into_iter().collect(),
        },
    }
}

/// Formats minutes as 2小时5分钟 / 45分钟 / 不足1分钟.
pub fn format_duration(minutes: u64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, 0) => "不足1分钟".to_owned(),
        (0, m) => format!("{m}分钟"),
        (h, 0) => format!("{h}小时"),
        (h, m) => format!("{h}小时{m}分钟"),
    }
}

/// Fen as yuan with two decimals: 1500 → 15.00.
fn yuan(fen: u64) -> String {
    crate::money::Fen::new(fen).yuan()
}

/// How much of the place a recipient may see (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The full name: the owner.
    Full,
    /// 万达**停车场: anyone else while privacy is off.
    Masked,
    /// Not named: anyone but the owner while privacy is on.
    Hidden,
}

/// The text of `message` showing the place as `place` allows.
pub fn render(message: &VehicleMessage, place: Place) -> String {
    let plate = &message.plate;
    let facility = |stay: &Stay| match place {
        Place::Full => stay.facility_name.clone(),
        Place::Masked => mask_facility(&stay.facility_name, stay.facility_kind),
        Place::Hidden => String::new(),
    };
    let duration = |stay: &Stay| {
        stay.duration_minutes
            .map(|m| format!("，时长{}", format_duration(m)))
            .unwrap_or_default()
    };
    let charging = |stay: &Stay| stay.facility_kind == FacilityKind::ChargingStation;
    match &message.occasion {
        Occasion::Entry { stay } if charging(stay) => {
            format!("车辆{plate}已在{}开始充电。", facility(stay))
        }
        Occasion::Entry { stay } => format!("车辆{plate}已进入{}。", facility(stay)),
        Occasion::Exit { stay, due_fen, .. } if charging(stay) => format!(
            "车辆{plate}已在{}结束充电{}，费用{}元尚未缴纳。",
            facility(stay),
            duration(stay),
            yuan(*due_fen)
        ),
        Occasion::Exit { stay, due_fen, .. } => format!(
            "车辆{plate}已离开{}{}，费用{}元尚未缴纳。",
            facility(stay),
            duration(stay),
            yuan(*due_fen)
        ),
        Occasion::Payment {
            stay, amount_fen, ..
        } if place == Place::Hidden => format!(
            "车辆{plate}的费用{}元已缴纳{}。",
            yuan(*amount_fen),
            duration(stay)
        ),
        Occasion::Payment {
            stay, amount_fen, ..
        } => format!(
            "车辆{plate}在{}的费用{}元已缴纳{}。",
            facility(stay),
            yuan(*amount_fen),
            duration(stay)
        ),
        Occasion::CouponIssued { title, value_fen } => format!(
            "车辆{plate}：获得车辆优惠券「{title}」（{}元），缴费时可抵扣。",
            yuan(*value_fen)
        ),
        Occasion::AutopayOverLimit {
            amount_fen,
            limit_fen,
        } => format!(
            "车辆{plate}：本次费用{}元超过无感支付单笔扣费上限{}元，未自动扣费，请尽快手动缴费。",
            yuan(*amount_fen),
            yuan(*limit_fen)
        ),
        Occasion::AutopayFailed { amount_fen } => format!(
            "车辆{plate}：无感支付扣费失败（余额或优惠券不足），{}元费用尚未缴纳，请尽快缴费。",
            yuan(*amount_fen)
        ),
        Occasion::WechatParkingOff { amount_fen } => format!(
            "车辆{plate}：微信支付分停车服务未开通或已暂停，本次{}元未能自动扣费，请尽快缴费。",
            yuan(*amount_fen)
        ),
        Occasion::RequestReceived { .. } => {
            format!("车辆{plate}收到一条新的授权申请，请在车辆设置中处理。")
        }
        Occasion::Decision {
            case,
            approved,
            reason,
            ..
        } => {
            let what = match case {
                Case::Certification => "认证",
                Case::Appeal => "申诉",
            };
            let reason = reason
                .as_deref()
                .map(crate::notice::reason_line)
                .unwrap_or_default();
            match (case, approved) {
                (Case::Certification, true) => format!("车辆{plate}的认证已通过。"),
                (Case::Appeal, true) => {
                    format!("车辆{plate}的申诉已通过，当前账号已成功添加并认证该车辆。")
                }
                (_, false) => format!("车辆{plate}的{what}未通过。{reason}"),
            }
        }
        Occasion::PaidByOther { amount_fen, by } => format!(
            "车辆{plate}的费用{}元已由{}代为缴纳。",
            yuan(*amount_fen),
            by.as_deref()
                .map_or("他人".to_owned(), |p| format!("授权用户{p}"))
        ),
        Occasion::Notice { kind, .. } => notice_dialog(*kind, plate).text,
    }
}

/// The text `recipient` gets: the full facility name only if they own the car; no name at all
/// for anyone else while the owner's privacy protection is on.
pub fn message_for(
    message: &VehicleMessage,
    vehicle: Option<&Vehicle>,
    recipient: &UserId,
) -> String {
    render(message, place_for(vehicle, recipient))
}

/// How much of the place `recipient` may see (SPEC §6): in full if they own the car, not at all
/// for anyone else while the owner's privacy protection is on, masked otherwise.
pub fn place_for(vehicle: Option<&Vehicle>, recipient: &UserId) -> Place {
    match vehicle {
        Some(v) if v.is_owner(recipient) => Place::Full,
        Some(v) if v.privacy().is_some_and(|p| p.protect) => Place::Hidden,
        Some(_) | None => Place::Masked,
    }
}
