//! Notices pushed as WeChat 公众号 template messages: which template a message uses, the fields
//! it fills and the page a tap opens. A push says what the inbox says (same plate, same place
//! as SPEC §6 lets the recipient see it, a duration or an amount, never a time), in the four
//! fields every template of this project has.

use serde::{Deserialize, Serialize};

use crate::money::Fen;
use crate::notify::{format_duration, Case, Occasion, Place, Stay, VehicleMessage};
use crate::privacy::{mask_facility, FacilityKind};
use crate::providers::wechat::fit;
use crate::vehicle::NoticeKind;

/// The keys of every template, in order: plate, what happened, where (or about what), detail.
pub const KEYS: [&str; 4] = ["car_number1", "thing2", "thing3", "thing4"];

/// The template a deployment picks for each kind of notice (configuration names one id each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// Entry and unpaid exit (车辆进出场提醒).
    Parking,
    /// Payments and 无感支付 results (缴费结果通知).
    Payment,
    /// A vehicle coupon received (优惠券到账提醒).
    Coupon,
    /// A change to the user's relation to the car (车辆状态变更提醒).
    Vehicle,
}

impl TemplateKind {
    /// Every kind.
    pub const ALL: [Self; 4] = [Self::Parking, Self::Payment, Self::Coupon, Self::Vehicle];

    /// The variable that holds this kind's template id.
    pub const fn setting(self) -> &'static str {
        match self {
            Self::Parking => "WECHAT_TEMPLATE_PARKING",
            Self::Payment => "WECHAT_TEMPLATE_PAYMENT",
            Self::Coupon => "WECHAT_TEMPLATE_COUPON",
            Self::Vehicle => "WECHAT_TEMPLATE_VEHICLE",
        }
    }
}

/// One push, before it is addressed: template kind, the four field values, the page to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Push {
    /// Which template.
    pub kind: TemplateKind,
    /// The values of [`KEYS`], in order, already cut to WeChat's limits.
    pub values: [String; 4],
    /// The app's path a tap opens (`/orders`, `/coupons`, `/`).
    pub path: String,
}

impl Push {
    /// The fields as key/value pairs.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &str)> {
        KEYS.into_iter().zip(self.values.iter().map(String::as_str))
    }
}

/// The push of `message` for a recipient who may see the place as `place` allows.
pub fn push_of(message: &VehicleMessage, place: Place) -> Push {
    let where_ = |stay: &Stay| match place {
        Place::Full => stay.facility_name.clone(),
        Place::Masked => mask_facility(&stay.facility_name, stay.facility_kind),
        Place::Hidden => "隐私保护，不显示".to_owned(),
    };
    let how_long = |stay: &Stay| {
        stay.duration_minutes
            .map(|m| format!("时长{}", format_duration(m)))
            .unwrap_or_else(|| "进行中".to_owned())
    };
    let charging = |stay: &Stay| stay.facility_kind == FacilityKind::ChargingStation;
    let amount = |fen: u64| format!("{}元", Fen::new(fen).yuan());
    let (kind, headline, about, detail, path) = match &message.occasion {
        Occasion::Entry { stay } => (
            TemplateKind::Parking,
            if charging(stay) {
                "开始充电"
            } else {
                "车辆已进场"
            }
            .to_owned(),
            where_(stay),
            "请留意停车费用".to_owned(),
            "/orders",
        ),
        Occasion::Exit { stay, due_fen, .. } => (
            TemplateKind::Parking,
            format!(
                "{}，待缴{}",
                if charging(stay) {
                    "充电结束"
                } else {
                    "车辆已出场"
                },
                amount(*due_fen)
            ),
            where_(stay),
            how_long(stay),
            "/orders",
        ),
        Occasion::Payment {
            stay, amount_fen, ..
        } => (
            TemplateKind::Payment,
            format!("已缴费{}", amount(*amount_fen)),
            where_(stay),
            how_long(stay),
            "/orders",
        ),
        Occasion::AutopayFailed { amount_fen } => (
            TemplateKind::Payment,
            "无感支付扣费失败".to_owned(),
            "请尽快手动缴费".to_owned(),
            format!("待缴{}", amount(*amount_fen)),
            "/orders",
        ),
        Occasion::AutopayOverLimit {
            amount_fen,
            limit_fen,
        } => (
            TemplateKind::Payment,
            "超过单笔自动扣费上限".to_owned(),
            format!("上限{}，请手动缴费", amount(*limit_fen)),
            format!("待缴{}", amount(*amount_fen)),
            "/orders",
        ),
        Occasion::WechatParkingOff { amount_fen } => (
            TemplateKind::Payment,
            "支付分停车未开通".to_owned(),
            "请在无感支付中开通".to_owned(),
            format!("待缴{}", amount(*amount_fen)),
            "/orders",
        ),
        Occasion::CouponIssued { title, value_fen } => (
            TemplateKind::Coupon,
            "获得车辆优惠券".to_owned(),
            title.clone(),
            format!("面值{}", amount(*value_fen)),
            "/coupons",
        ),
        Occasion::RequestReceived { .. } => (
            TemplateKind::Vehicle,
            "收到授权申请".to_owned(),
            "有用户申请添加您的车辆".to_owned(),
            "请在车辆设置中处理".to_owned(),
            "/",
        ),
        Occasion::Decision {
            case,
            approved,
            reason,
            ..
        } => (
            TemplateKind::Vehicle,
            match (case, approved) {
                (Case::Certification, true) => "认证已通过",
                (Case::Certification, false) => "认证未通过",
                (Case::Appeal, true) => "申诉已通过",
                (Case::Appeal, false) => "申诉未通过",
            }
            .to_owned(),
            reason.clone().unwrap_or_else(|| "车辆已认证".to_owned()),
            "点击查看详情".to_owned(),
            "/",
        ),
        Occasion::PaidByOther { amount_fen, by } => (
            TemplateKind::Payment,
            format!("他人代缴{}", amount(*amount_fen)),
            by.clone()
                .map_or("缴费人：他人".to_owned(), |p| format!("授权用户{p}")),
            "点击查看停车记录".to_owned(),
            "/orders",
        ),
        Occasion::Notice { kind, .. } => (
            TemplateKind::Vehicle,
            notice_headline(*kind).to_owned(),
            notice_reason(*kind).to_owned(),
            "点击查看详情".to_owned(),
            "/",
        ),
    };
    let values = [message.plate.to_string(), headline, about, detail];
    let values = std::array::from_fn(|i| fit(KEYS[i], &values[i]));
    Push {
        kind,
        values,
        path: path.to_owned(),
    }
}

/// A SPEC §4 notice's headline (its dialog title is often just 温馨提示).
const fn notice_headline(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::CertifiedByOther | NoticeKind::LostToOtherAppeal => "车辆已被他人认证",
        NoticeKind::RevokedByOperator => "车辆认证已取消",
        NoticeKind::AppealFailed => "申诉失败",
        NoticeKind::AppealSucceeded => "申诉成功",
        NoticeKind::AuthorizationRevoked | NoticeKind::AuthorizationDenied => "车辆已移除",
    }
}

/// What a SPEC §4 notice comes down to, in a template's few characters.
const fn notice_reason(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::CertifiedByOther => "车辆已被其他账号认证",
        NoticeKind::LostToOtherAppeal => "其他账号的认证申诉已通过",
        NoticeKind::RevokedByOperator => "认证关系存在异常，已取消",
        NoticeKind::AppealFailed => "申诉未通过",
        NoticeKind::AppealSucceeded => "申诉已通过，车辆已认证",
        NoticeKind::AuthorizationRevoked => "车主已取消授权",
        NoticeKind::AuthorizationDenied => "车主拒绝授权",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::plate::Plate;
    use crate::providers::wechat::value_limit;

    fn plate() -> Plate {
        Plate::parse("闽D12337").unwrap_or_else(|e| panic!("{e}"))
    }

    fn stay(minutes: Option<u64>) -> Stay {
        Stay {
            facility_name: "万达广场地下停车场".to_owned(),
            facility_kind: FacilityKind::CarPark,
            duration_minutes: minutes,
        }
    }

    fn message(occasion: Occasion) -> VehicleMessage {
        VehicleMessage {
            occasion,
            plate: plate(),
        }
    }

    fn every_occasion() -> Vec<Occasion> {
        vec![
            Occasion::Entry { stay: stay(None) },
            Occasion::Exit {
                stay: stay(Some(135)),
                paid: false,
                due_fen: 1500,
            },
            Occasion::Payment {
                stay: stay(Some(135)),
                payer: UserId::new("u-1"),
                amount_fen: 1500,
            },
            Occasion::CouponIssued {
                title: "停车2小时免费券，周末全天有效，仅限本市".to_owned(),
                value_fen: 1000,
            },
            Occasion::AutopayFailed { amount_fen: 800 },
            Occasion::AutopayOverLimit {
                amount_fen: 30000,
                limit_fen: 20000,
            },
            Occasion::Notice {
                kind: NoticeKind::LostToOtherAppeal,
                user: UserId::new("u-2"),
            },
        ]
    }

    #[test]
    fn every_push_fits_wechats_limits_and_names_the_plate() {
        for occasion in every_occasion() {
            for place in [Place::Full, Place::Masked, Place::Hidden] {
                let push = push_of(&message(occasion.clone()), place);
                assert_eq!(push.values[0], "闽D12337");
                for (key, value) in push.fields() {
                    assert!(!value.is_empty(), "{key} empty for {occasion:?}");
                    let limit = value_limit(key).unwrap_or(0);
                    assert!(value.chars().count() <= limit, "{key}={value} over {limit}");
                }
            }
        }
    }

    #[test]
    fn the_place_is_shown_only_as_far_as_the_recipient_may_see_it() {
        let exit = message(Occasion::Exit {
            stay: stay(Some(135)),
            paid: false,
            due_fen: 1500,
        });
        assert_eq!(push_of(&exit, Place::Full).values[2], "万达广场地下停车场");
        let masked = &push_of(&exit, Place::Masked).values[2];
        assert_ne!(masked, "万达广场地下停车场");
        assert!(masked.contains('*'));
        let hidden = push_of(&exit, Place::Hidden);
        assert!(hidden.fields().all(|(_, v)| !v.contains("万达")));
    }

    #[test]
    fn a_push_carries_a_duration_never_a_time() {
        let exit = push_of(
            &message(Occasion::Exit {
                stay: stay(Some(135)),
                paid: false,
                due_fen: 1500,
            }),
            Place::Full,
        );
        assert_eq!(exit.values[3], "时长2小时15分钟");
        assert_eq!(exit.values[1], "车辆已出场，待缴15.00元");
        for occasion in every_occasion() {
            let push = push_of(&message(occasion), Place::Full);
            assert!(push.fields().all(|(_, v)| !v.contains(':')), "{push:?}");
        }
    }

    #[test]
    fn each_push_opens_the_page_it_is_about() {
        let paths: Vec<String> = every_occasion()
            .into_iter()
            .map(|o| push_of(&message(o), Place::Full).path)
            .collect();
        assert_eq!(
            paths,
            ["/orders", "/orders", "/orders", "/coupons", "/orders", "/orders", "/"]
        );
    }
}
