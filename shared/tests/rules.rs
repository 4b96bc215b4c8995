//! SPEC §5–§9 tables: privacy, notifications, coupons, contactless payment, API errors and DTOs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use proptest::prelude::*;
use rstest::rstest;
use shared::api::{self, ErrorCode};
use shared::coupon::{sees_claim_prompt, sees_coupons, visible_coupons, VehicleCoupon};
use shared::ids::{CouponId, FacilityId, OrderId, UserId};
use shared::notify::{
    format_duration, message_for, recipients, render, Occasion, Place, Stay, VehicleMessage,
};
use shared::order::Facility;
use shared::payment::{
    after_exit, check_payer, deduction_plan, may_see_deductions, payment_plan, AfterExit,
    AutopaySettings, Deduction, PayRefusal, PaymentSource,
};
use shared::privacy::{
    mask_facility, may_pay_for, pay_for_view, redact, viewer_role, FacilityKind, Order,
    PrivacySettings, ViewerRole,
};
use shared::vehicle::{Actor, Change, CommandError, CommandKind, PlateColor, VehicleDetails};
use shared::{Plate, TenantPolicy, Timestamp};

const P: TenantPolicy = TenantPolicy::Platform;

/// u0 owns (privacy as given); u1 authorized; u2 waiting; u3 appealing; u4 nothing.
fn owned(protect: bool, notify: bool) -> World {
    let mut w = World::new();
    let u = |n: &str| Actor::User(user(n));
    w.run(
        &u("u0"),
        CommandKind::Add {
            certification: Some(certification()),
        },
        P,
    )
    .unwrap();
    let review = w.review_of("u0");
    w.run(&operator(), CommandKind::ApproveReview { review }, P)
        .unwrap();
    w.run(
        &u("u1"),
        CommandKind::Add {
            certification: None,
        },
        P,
    )
    .unwrap();
    w.run(
        &u("u0"),
        CommandKind::ApproveRequest { user: user("u1") },
        P,
    )
    .unwrap();
    w.run(
        &u("u2"),
        CommandKind::Add {
            certification: None,
        },
        P,
    )
    .unwrap();
    w.run(&u("u3"), CommandKind::Appeal(appeal()), P).unwrap();
    w.run(
        &u("u0"),
        CommandKind::SetPrivacy(PrivacySettings { protect, notify }),
        P,
    )
    .unwrap();
    w
}

/// Nobody owns; u1 added; u2 certifying.
fn unowned() -> World {
    let mut w = World::new();
    w.run(
        &Actor::User(user("u1")),
        CommandKind::Add {
            certification: None,
        },
        P,
    )
    .unwrap();
    w.run(
        &Actor::User(user("u2")),
        CommandKind::Add {
            certification: Some(certification()),
        },
        P,
    )
    .unwrap();
    w
}

/// When the fixture's stay began: a day after the worlds' first command, so after u0 became the
/// owner.
const STAY_BEGAN: i64 = 1_738_281_600_000 + 24 * 3_600_000;

fn order(payer: Option<&str>) -> Order {
    let mut order = Order::open(
        OrderId::new(plate(), 1),
        Facility {
            id: FacilityId::new("fac-wanda"),
            name: "万达广场停车场".to_owned(),
            kind: FacilityKind::CarPark,
        },
        Timestamp::from_unix_millis(STAY_BEGAN),
    );
    order
        .close(
            Timestamp::from_unix_millis(STAY_BEGAN + 125 * 60_000),
            1_500,
        )
        .unwrap();
    if let Some(payer) = payer {
        order
            .begin_payment(1, UserId::new(payer), Vec::new(), false)
            .unwrap();
        order
            .complete_payment(1, Timestamp::from_unix_millis(1))
            .unwrap();
    }
    order
}

#[derive(Debug, PartialEq)]
enum Sees {
    Full,
    Masked,
    AmountOnly,
    NotListed,
}

fn sees(w: &World, o: &Order, viewer: &str) -> Sees {
    match redact(o, &w.vehicle, &user(viewer)) {
        None => Sees::NotListed,
        Some(v) => {
            assert_eq!(v.duration_minutes, Some(125));
            assert_eq!(v.amount_fen, 1_500);
            match (v.facility_name.as_deref(), v.entered_at) {
                (Some("万达广场停车场"), Some(_)) => Sees::Full,
                (Some("万达**停车场"), None) => Sees::Masked,
                (None, None) => Sees::AmountOnly,
                other => panic!("unexpected view {other:?}"),
            }
        }
    }
}

// SPEC §6, row by row.
#[rstest]
#[case::owner_sees_everything(false, None, "u0", Sees::Full)]
#[case::owner_with_privacy_sees_everything(true, None, "u0", Sees::Full)]
#[case::related_privacy_off_masked(false, None, "u1", Sees::Masked)]
#[case::related_privacy_on_not_listed(true, None, "u1", Sees::NotListed)]
#[case::waiting_user_not_listed(false, None, "u2", Sees::NotListed)]
#[case::appellant_not_listed(false, None, "u3", Sees::NotListed)]
#[case::stranger_not_listed(false, None, "u4", Sees::NotListed)]
#[case::payer_privacy_off_masked(false, Some("u4"), "u4", Sees::Masked)]
#[case::payer_privacy_on_amount_only(true, Some("u1"), "u1", Sees::AmountOnly)]
#[case::other_order_payer_privacy_on_not_listed(true, Some("u1"), "u4", Sees::NotListed)]
fn order_privacy(
    #[case] protect: bool,
    #[case] payer: Option<&str>,
    #[case] viewer: &str,
    #[case] expected: Sees,
) {
    let w = owned(protect, true);
    assert_eq!(sees(&w, &order(payer), viewer), expected);
}

/// A stay 无感支付 paid (the seed: 抵扣订单仅认证车主可见) is listed for the owner alone.
#[rstest]
#[case::owner("u0", Sees::Full)]
#[case::related_not_listed("u1", Sees::NotListed)]
#[case::waiting_not_listed("u2", Sees::NotListed)]
#[case::stranger_not_listed("u4", Sees::NotListed)]
fn a_stay_autopay_paid_is_the_owners_alone(#[case] viewer: &str, #[case] expected: Sees) {
    let w = owned(false, true);
    let mut paid = order(None);
    paid.begin_payment(1, user("u0"), Vec::new(), true).unwrap();
    paid.complete_payment(1, Timestamp::from_unix_millis(1))
        .unwrap();
    assert_eq!(sees(&w, &paid, viewer), expected);
    // The same stay paid by hand stays visible, masked, to those with a relation.
    if viewer == "u1" {
        assert_eq!(sees(&w, &order(Some("u0")), viewer), Sees::Masked);
    }
}

#[rstest]
#[case::no_owner_added_masked("u1", None, Sees::Masked)]
#[case::no_owner_certifying_masked("u2", None, Sees::Masked)]
#[case::no_owner_payer_masked("u4", Some("u4"), Sees::Masked)]
#[case::no_owner_stranger_not_listed("u4", None, Sees::NotListed)]
fn order_privacy_without_owner(
    #[case] viewer: &str,
    #[case] payer: Option<&str>,
    #[case] expected: Sees,
) {
    assert_eq!(sees(&unowned(), &order(payer), viewer), expected);
}

#[rstest]
#[case::privacy_off_anyone(false, "u4", true)]
#[case::privacy_on_owner(true, "u0", true)]
#[case::privacy_on_authorized(true, "u1", true)]
#[case::privacy_on_waiting(true, "u2", false)]
#[case::privacy_on_stranger(true, "u4", false)]
fn pay_for(#[case] protect: bool, #[case] payer: &str, #[case] allowed: bool) {
    assert_eq!(
        may_pay_for(&owned(protect, true).vehicle, &user(payer)),
        allowed
    );
}

#[test]
fn anyone_may_pay_for_a_plate_without_owner() {
    assert!(may_pay_for(&unowned().vehicle, &user("u4")));
}

#[rstest]
#[case::car_park("万达广场停车场", FacilityKind::CarPark, "万达**停车场")]
#[case::charging("星星科技园充电站", FacilityKind::ChargingStation, "星星**充电站")]
#[case::underground("国贸中心地下停车场", FacilityKind::CarPark, "国贸**地下停车场")]
#[case::no_known_suffix("万象城", FacilityKind::CarPark, "万象**停车场")]
#[case::short_stem("万达停车场", FacilityKind::CarPark, "万**停车场")]
#[case::bare_suffix("停车场", FacilityKind::CarPark, "**停车场")]
fn facility_mask(#[case] name: &str, #[case] kind: FacilityKind, #[case] masked: &str) {
    assert_eq!(mask_facility(name, kind), masked);
}

proptest! {
    /// No viewer but the owner ever gets a full facility name or a time of a private car's
    /// order (nor, privacy off, a time at all).
    #[test]
    fn only_the_owner_sees_names_and_times(
        name in "[\\u4e00-\\u9fa5A-Za-z0-9]{1,12}(停车场|充电站|车库|)",
        protect in any::<bool>(),
        viewer in 0..USERS.len(),
        payer in proptest::option::of(0..USERS.len()),
        with_owner in any::<bool>(),
        kind in prop_oneof![Just(FacilityKind::CarPark), Just(FacilityKind::ChargingStation)],
    ) {
        let w = if with_owner { owned(protect, true) } else { unowned() };
        let mut o = order(payer.map(|p| USERS[p]));
        o.facility.name = name.clone();
        o.facility.kind = kind;
        let viewer = user(USERS[viewer]);
        if let Some(view) = redact(&o, &w.vehicle, &viewer) {
            if !w.vehicle.is_owner(&viewer) {
                prop_assert_ne!(view.facility_name.as_deref(), Some(name.as_str()));
                prop_assert!(view.entered_at.is_none() && view.exited_at.is_none());
                if with_owner && protect {
                    prop_assert!(view.facility_name.is_none());
                    prop_assert_eq!(o.payer(), Some(&viewer));
                }
            }
        }
    }
}

fn message(occasion: Occasion) -> VehicleMessage {
    VehicleMessage {
        occasion,
        plate: plate(),
    }
}

/// 2 hours 5 minutes at 万达广场停车场.
fn stay() -> Stay {
    Stay {
        facility_name: "万达广场停车场".to_owned(),
        facility_kind: FacilityKind::CarPark,
        duration_minutes: Some(125),
    }
}

fn coupon_issued() -> Occasion {
    Occasion::CouponIssued {
        title: "停车2小时免费券".into(),
        value_fen: 800,
    }
}

fn names(users: Vec<UserId>) -> Vec<String> {
    users.into_iter().map(|u| u.to_string()).collect()
}

// SPEC §7, row by row.
#[rstest]
#[case::entry_owner_only(Occasion::Entry { stay: stay() }, true, &["u0"])]
#[case::entry_owner_silenced(Occasion::Entry { stay: stay() }, false, &[])]
#[case::exit_paid_nobody(Occasion::Exit { stay: stay(), paid: true, due_fen: 1500 }, true, &[])]
#[case::exit_unpaid_owner(Occasion::Exit { stay: stay(), paid: false, due_fen: 1500 }, true, &["u0"])]
#[case::exit_unpaid_owner_silenced(Occasion::Exit { stay: stay(), paid: false, due_fen: 1500 }, false, &[])]
#[case::payment_the_payer(Occasion::Payment { stay: stay(), payer: user("u4"), amount_fen: 1500 }, true, &["u4"])]
#[case::other_owner(coupon_issued(), true, &["u0"])]
#[case::other_owner_silenced(coupon_issued(), false, &[])]
fn notification_recipients_with_owner(
    #[case] occasion: Occasion,
    #[case] notify: bool,
    #[case] expected: &[&str],
) {
    let w = owned(false, notify);
    let got = recipients(&message(occasion), Some(&w.vehicle), Some(&user("u4")));
    assert_eq!(names(got), expected);
}

#[rstest]
#[case::entry_no_owner_nobody(Occasion::Entry { stay: stay() }, &[])]
#[case::exit_no_owner_nobody(Occasion::Exit { stay: stay(), paid: false, due_fen: 1500 }, &[])]
#[case::other_no_owner_latest_payer(coupon_issued(), &["u4"])]
fn notification_recipients_without_owner(#[case] occasion: Occasion, #[case] expected: &[&str]) {
    let w = unowned();
    let got = recipients(
        &message(occasion.clone()),
        Some(&w.vehicle),
        Some(&user("u4")),
    );
    assert_eq!(names(got), expected);
    let got = recipients(&message(occasion), None, Some(&user("u4")));
    assert_eq!(names(got), expected);
}

#[rstest]
#[case::entry(Occasion::Entry { stay: stay() })]
#[case::exit(Occasion::Exit { stay: stay(), paid: false, due_fen: 1500 })]
#[case::payment(Occasion::Payment { stay: stay(), payer: user("u4"), amount_fen: 1500 })]
#[case::other(coupon_issued())]
fn notification_text_has_plate_facility_and_no_times(#[case] occasion: Occasion) {
    let w = owned(false, true);
    let m = message(occasion.clone());
    let owner_text = message_for(&m, Some(&w.vehicle), &user("u0"));
    let other_text = message_for(&m, Some(&w.vehicle), &user("u4"));
    for text in [&owner_text, &other_text] {
        assert!(text.contains("闽D12337"), "{text}");
        for time in ["2025", "08:00", "10:05", "00:00", "02:05"] {
            assert!(!text.contains(time), "{text}");
        }
    }
    if !matches!(occasion, Occasion::CouponIssued { .. }) {
        assert!(owner_text.contains("万达广场停车场"), "{owner_text}");
        assert!(other_text.contains("万达**停车场"), "{other_text}");
    }
    if matches!(occasion, Occasion::Exit { .. } | Occasion::Payment { .. }) {
        assert!(owner_text.contains("2小时5分钟"), "{owner_text}");
        // How much is due (or was paid) is said, to everyone the message goes to.
        assert!(owner_text.contains("15.00元"), "{owner_text}");
        assert!(render(&m, Place::Hidden).contains("15.00元"));
    }
    assert_eq!(render(&m, Place::Full), owner_text);
}

#[test]
fn under_privacy_a_payer_who_is_not_the_owner_is_not_told_the_place() {
    let w = owned(true, true);
    let m = message(Occasion::Payment {
        stay: stay(),
        payer: user("u1"),
        amount_fen: 1500,
    });
    let text = message_for(&m, Some(&w.vehicle), &user("u1"));
    assert_eq!(text, "车辆闽D12337的费用15.00元已缴纳，时长2小时5分钟。");
    assert!(message_for(&m, Some(&w.vehicle), &user("u0")).contains("万达广场停车场"));
}

#[rstest]
#[case::under_a_minute(0, "不足1分钟")]
#[case::minutes(45, "45分钟")]
#[case::hours(120, "2小时")]
#[case::both(125, "2小时5分钟")]
fn durations(#[case] minutes: u64, #[case] text: &str) {
    assert_eq!(format_duration(minutes), text);
}

/// Coupon ids by name in the tables below (ids are numbered per plate).
fn cid(name: &str) -> CouponId {
    let n = match name {
        "c1" => 1,
        "c200" => 2,
        "c500" => 3,
        "expired" => 4,
        "used" => 5,
        // Generated names: c<k> → 100 + k.
        other => {
            100 + other
                .strip_prefix('c')
                .and_then(|k| k.parse::<u64>().ok())
                .unwrap_or_else(|| panic!("no coupon named {other}"))
        }
    };
    CouponId::new(plate(), n)
}

fn coupon(id: &str, value_fen: u64, expires_min: i64, used: bool) -> VehicleCoupon {
    VehicleCoupon {
        id: cid(id),
        plate: plate(),
        title: "停车券".into(),
        value_fen,
        expires_at: Timestamp::from_unix_millis(1_738_281_600_000 + expires_min * 60_000),
        used,
    }
}

// SPEC §8: coupons.
#[rstest]
#[case::owner_sees_and_claims("u0", true, true)]
#[case::authorized_sees("u1", true, false)]
#[case::waiting_does_not_see("u2", false, false)]
#[case::appellant_does_not_see("u3", false, false)]
#[case::stranger_does_not_see("u4", false, false)]
fn coupon_visibility(#[case] viewer: &str, #[case] sees: bool, #[case] prompt: bool) {
    let w = owned(false, true);
    let u = user(viewer);
    assert_eq!(sees_coupons(&w.vehicle, &u), sees);
    assert_eq!(sees_claim_prompt(&w.vehicle, &u), prompt);
    let all = [coupon("c1", 500, 60, false)];
    assert_eq!(
        visible_coupons(&w.vehicle, &u, &all).len(),
        usize::from(sees)
    );
}

#[test]
fn without_owner_every_added_user_sees_coupons_and_nobody_the_prompt() {
    let w = unowned();
    assert!(sees_coupons(&w.vehicle, &user("u1")));
    assert!(!sees_claim_prompt(&w.vehicle, &user("u1")));
}

fn autopay_world(settings: AutopaySettings) -> World {
    let mut w = owned(false, true);
    w.run(
        &Actor::User(user("u0")),
        CommandKind::SetAutopay(settings),
        P,
    )
    .unwrap();
    w
}

fn step(source: PaymentSource, coupon: Option<&str>, amount_fen: u64) -> Deduction {
    Deduction {
        source,
        coupon: coupon.map(cid),
        amount_fen,
    }
}

// SPEC §8: contactless payment.
#[rstest]
#[case::coupon_first_then_wallet(vec![PaymentSource::Coupon, PaymentSource::Wallet], 1500, 10_000, vec![step(PaymentSource::Coupon, Some("c500"), 500), step(PaymentSource::Wallet, None, 1000)], 0)]
#[case::wallet_first_when_ordered(vec![PaymentSource::Wallet, PaymentSource::Coupon], 1500, 10_000, vec![step(PaymentSource::Wallet, None, 1500)], 0)]
#[case::short_wallet_leaves_remainder(vec![PaymentSource::Coupon, PaymentSource::Wallet], 1500, 300, vec![step(PaymentSource::Coupon, Some("c500"), 500), step(PaymentSource::Wallet, None, 300)], 700)]
#[case::coupon_larger_than_fee(vec![PaymentSource::Coupon, PaymentSource::Wallet], 200, 10_000, vec![step(PaymentSource::Coupon, Some("c200"), 200)], 0)]
#[case::free_stay(vec![PaymentSource::Coupon, PaymentSource::Wallet], 0, 10_000, vec![], 0)]
fn deduction_plans(
    #[case] sources: Vec<PaymentSource>,
    #[case] fee: u64,
    #[case] wallet: u64,
    #[case] steps: Vec<Deduction>,
    #[case] remaining: u64,
) {
    let w = autopay_world(AutopaySettings {
        enabled: true,
        sources,
        ..AutopaySettings::default()
    });
    // c200 and c500 usable (c200 expires sooner); expired and used ones never.
    let coupons = [
        coupon("c500", 500, 120, false),
        coupon("c200", 200, 60, false),
        coupon("expired", 9_000, -1, false),
        coupon("used", 9_000, 600, true),
    ];
    let now = Timestamp::from_unix_millis(1_738_281_600_000);
    let plan = deduction_plan(&w.vehicle, fee, &coupons, wallet, false, now).unwrap();
    assert_eq!(plan.steps, steps);
    assert_eq!(plan.remaining_fen, remaining);
    assert_eq!(
        plan.steps.iter().map(|s| s.amount_fen).sum::<u64>() + remaining,
        fee
    );
}

#[test]
fn no_plan_without_autopay_or_owner() {
    let now = Timestamp::from_unix_millis(0);
    assert!(deduction_plan(&owned(false, true).vehicle, 100, &[], 1000, false, now).is_none());
    assert!(deduction_plan(&unowned().vehicle, 100, &[], 1000, false, now).is_none());
}

#[test]
fn autopay_switches_off_when_the_owner_changes() {
    let mut w = autopay_world(AutopaySettings::default_enabled());
    w.run(&Actor::User(user("u4")), CommandKind::Appeal(appeal()), P)
        .unwrap();
    let review = w.review_of("u4");
    w.run(&operator(), CommandKind::ApproveReview { review }, P)
        .unwrap();
    assert!(w.vehicle.is_owner(&user("u4")));
    assert_eq!(w.vehicle.autopay(), Some(&AutopaySettings::default()));
    assert!(!w.vehicle.autopay().unwrap().enabled);
}

#[rstest]
#[case::owner("u0", true)]
#[case::authorized("u1", false)]
#[case::stranger("u4", false)]
fn deduction_order_visibility(#[case] viewer: &str, #[case] visible: bool) {
    assert_eq!(
        may_see_deductions(&owned(false, true).vehicle, &user(viewer)),
        visible
    );
}

proptest! {
    /// Money never goes negative and never more than the fee is deducted.
    #[test]
    fn plans_never_overdraw(
        fee in 0u64..1_000_000,
        wallet in 0u64..1_000_000,
        values in proptest::collection::vec(0u64..100_000, 0..4),
        wallet_first in any::<bool>(),
    ) {
        let sources = if wallet_first {
            vec![PaymentSource::Wallet, PaymentSource::Coupon]
        } else {
            vec![PaymentSource::Coupon, PaymentSource::Wallet]
        };
        let w = autopay_world(AutopaySettings { enabled: true, sources, ..AutopaySettings::default() });
        let coupons: Vec<_> = values.iter().enumerate()
            .map(|(i, v)| coupon(&format!("c{i}"), *v, 60, false)).collect();
        let plan = deduction_plan(&w.vehicle, fee, &coupons, wallet, false, Timestamp::from_unix_millis(1_738_281_600_000)).unwrap();
        let paid: u64 = plan.steps.iter().map(|s| s.amount_fen).sum();
        prop_assert_eq!(paid + plan.remaining_fen, fee);
        let from_wallet: u64 = plan.steps.iter().filter(|s| s.source == PaymentSource::Wallet).map(|s| s.amount_fen).sum();
        prop_assert!(from_wallet <= wallet);
        prop_assert!(plan.steps.iter().filter(|s| s.source == PaymentSource::Coupon).count() <= 1);
        prop_assert!(plan.steps.iter().all(|s| s.amount_fen > 0));
    }
}

// API.md: every error code with its status.
#[rstest]
#[case::invalid_plate(ErrorCode::InvalidPlate, "invalid_plate", 400)]
#[case::invalid_request(ErrorCode::InvalidRequest, "invalid_request", 400)]
#[case::nonstandard_plate(ErrorCode::NonstandardPlate, "nonstandard_plate", 400)]
#[case::unauthenticated(ErrorCode::Unauthenticated, "unauthenticated", 401)]
#[case::forbidden(ErrorCode::Forbidden, "forbidden", 403)]
#[case::not_found(ErrorCode::NotFound, "not_found", 404)]
#[case::conflict(ErrorCode::Conflict, "conflict", 409)]
#[case::rate_limited(ErrorCode::RateLimited, "rate_limited", 429)]
#[case::internal(ErrorCode::Internal, "internal", 500)]
fn error_codes(#[case] code: ErrorCode, #[case] text: &str, #[case] status: u16) {
    assert_eq!(code.as_str(), text);
    assert_eq!(code.status(), status);
    assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{text}\""));
    let body = code.body();
    assert_eq!(body.code, code);
    assert!(!body.message.is_empty());
    assert!(ErrorCode::ALL.contains(&code));
}

#[test]
fn plate_errors_become_invalid_plate_bodies() {
    let body: api::ErrorBody = Plate::parse("X").unwrap_err().into();
    assert_eq!(body.code, ErrorCode::InvalidPlate);
    assert!(body.message.contains("省份"));
}

/// A stay that ended owing 1500 and waits to be paid.
fn due_order() -> Order {
    order(None)
}

// 代缴费 lookup: who finds a due order by plate, and what they see of it.
#[rstest]
#[case::stranger_privacy_off(false, "u4", Some(Some("万达**停车场")))]
#[case::stranger_privacy_on(true, "u4", None)]
#[case::authorized_privacy_on(true, "u1", Some(None))]
#[case::authorized_privacy_off(false, "u1", Some(Some("万达**停车场")))]
#[case::owner_privacy_on(true, "u0", Some(Some("万达广场停车场")))]
fn pay_for_lookup(#[case] protect: bool, #[case] viewer: &str, #[case] name: Option<Option<&str>>) {
    let w = owned(protect, true);
    let view = pay_for_view(&due_order(), &w.vehicle, &user(viewer));
    assert_eq!(
        view.as_ref().map(|v| v.facility_name.as_deref()),
        name,
        "{viewer} privacy {protect}"
    );
    if let Some(v) = view {
        assert!(v.payable && !v.paid && v.amount_fen == 1_500);
        assert_eq!(
            v.entered_at.is_some(),
            viewer == "u0",
            "times for the owner only"
        );
    }
}

#[test]
fn pay_for_lookup_lists_only_due_orders() {
    let w = owned(false, true);
    assert!(pay_for_view(&order(Some("u4")), &w.vehicle, &user("u4")).is_none());
    let mut inside = due_order();
    inside.exited_at = None;
    assert!(pay_for_view(&inside, &w.vehicle, &user("u4")).is_none());
}

// A manual payment: the payer's choice of sources, the payer's wallet.
#[rstest]
#[case::coupon_then_wallet(vec![PaymentSource::Coupon, PaymentSource::Wallet], 300, vec![step(PaymentSource::Coupon, Some("c500"), 500), step(PaymentSource::Wallet, None, 300)], 0)]
#[case::wallet_only_ignores_coupons(vec![PaymentSource::Wallet], 5_000, vec![step(PaymentSource::Wallet, None, 800)], 0)]
#[case::short_wallet(vec![PaymentSource::Wallet], 100, vec![step(PaymentSource::Wallet, None, 100)], 700)]
fn manual_payment_plans(
    #[case] sources: Vec<PaymentSource>,
    #[case] wallet: u64,
    #[case] steps: Vec<Deduction>,
    #[case] remaining: u64,
) {
    let coupons = [
        coupon("c500", 500, 120, false),
        coupon("used", 9_000, 600, true),
    ];
    let now = Timestamp::from_unix_millis(1_738_281_600_000);
    let plan = payment_plan(&sources, 800, &coupons, wallet, now);
    assert_eq!(plan.steps, steps);
    assert_eq!(plan.remaining_fen, remaining);
    assert_eq!(
        plan.wallet_fen(),
        steps
            .iter()
            .filter(|s| s.source == PaymentSource::Wallet)
            .map(|s| s.amount_fen)
            .sum::<u64>()
    );
}

// Who may pay by hand, from which sources (SPEC §6, §8).
#[rstest]
#[case::owner_with_coupon(true, "u0", PaymentSource::Coupon, Ok(()))]
#[case::authorized_with_coupon(true, "u1", PaymentSource::Coupon, Ok(()))]
#[case::waiting_under_privacy(true, "u2", PaymentSource::Wallet, Err(PayRefusal::PrivacyProtected))]
#[case::stranger_under_privacy(
    true,
    "u4",
    PaymentSource::Coupon,
    Err(PayRefusal::PrivacyProtected)
)]
#[case::stranger_wallet(false, "u4", PaymentSource::Wallet, Ok(()))]
#[case::stranger_coupon(
    false,
    "u4",
    PaymentSource::Coupon,
    Err(PayRefusal::CouponNeedsRelation)
)]
#[case::claimant_of_an_owned_plate_coupon(
    false,
    "u3",
    PaymentSource::Coupon,
    Err(PayRefusal::CouponNeedsRelation)
)]
fn payers_and_their_sources(
    #[case] protect: bool,
    #[case] payer: &str,
    #[case] source: PaymentSource,
    #[case] expected: Result<(), PayRefusal>,
) {
    let w = owned(protect, true);
    let result = check_payer(&w.vehicle, &user(payer), &source.manual_sources());
    assert_eq!(result, expected);
    if let Err(refusal) = result {
        assert_eq!(refusal.code(), ErrorCode::Forbidden);
    }
}

#[test]
fn coupon_first_falls_back_to_the_wallet_and_wallet_means_wallet_only() {
    assert_eq!(
        PaymentSource::Coupon.manual_sources(),
        vec![PaymentSource::Coupon, PaymentSource::Wallet]
    );
    assert_eq!(
        PaymentSource::Wallet.manual_sources(),
        vec![PaymentSource::Wallet]
    );
}

// What an exit leads to (SPEC §7, §8).
#[rstest]
#[case::due_with_autopay(true, 1500, AfterExit::Autopay)]
#[case::due_without_autopay(false, 1500, AfterExit::TellOwner)]
#[case::free_with_autopay(true, 0, AfterExit::Nothing)]
#[case::free_without_autopay(false, 0, AfterExit::Nothing)]
fn after_an_exit(#[case] autopay: bool, #[case] fee: u64, #[case] expected: AfterExit) {
    let w = autopay_world(AutopaySettings {
        enabled: autopay,
        ..AutopaySettings::default()
    });
    let mut o = Order::open(
        OrderId::new(plate(), 1),
        Facility {
            id: FacilityId::new("fac"),
            name: "万达广场停车场".to_owned(),
            kind: FacilityKind::CarPark,
        },
        Timestamp::from_unix_millis(0),
    );
    assert_eq!(
        after_exit(&w.vehicle, &o),
        AfterExit::Nothing,
        "still inside"
    );
    o.close(Timestamp::from_unix_millis(60_000), fee).unwrap();
    assert_eq!(after_exit(&w.vehicle, &o), expected);
}

#[test]
fn an_order_already_being_paid_needs_nothing_more() {
    let w = unowned();
    let mut o = order(None);
    o.begin_payment(1, user("u1"), Vec::new(), false).unwrap();
    assert_eq!(after_exit(&w.vehicle, &o), AfterExit::Nothing);
}

// Only the owner reads a plate's authorizations.
#[rstest]
#[case::owner("u0", true)]
#[case::authorized("u1", false)]
#[case::waiting("u2", false)]
#[case::stranger("u4", false)]
fn authorizations_are_the_owners(#[case] viewer: &str, #[case] reads: bool) {
    let w = owned(false, true);
    let result = api::vehicles::authorizations_for(Some(w.vehicle.clone()), &user(viewer));
    assert_eq!(result.is_ok(), reads);
    assert!(api::vehicles::authorizations_for(None, &user("u0")).is_err());
}

#[test]
fn a_code_from_a_newer_worker_reads_as_its_status() {
    let body: api::ErrorBody =
        serde_json::from_value(serde_json::json!({"code": "payment_paused", "message": "暂停"}))
            .unwrap();
    assert_eq!(body.code, ErrorCode::Unknown);
    assert_eq!(body.code.or_status(409), ErrorCode::Conflict);
    assert_eq!(body.code.or_status(418), ErrorCode::Internal);
    assert!(!ErrorCode::ALL.contains(&ErrorCode::Unknown));
    for code in ErrorCode::ALL {
        assert_eq!(code.or_status(500), code, "a known code stays itself");
        assert_eq!(ErrorCode::for_status(code.status()).status(), code.status());
    }
}

#[rstest]
#[case::coupon(
    coupon_issued(),
    "车辆闽D12337：获得车辆优惠券「停车2小时免费券」（8.00元），缴费时可抵扣。"
)]
#[case::autopay_failed(Occasion::AutopayFailed { amount_fen: 1500 }, "车辆闽D12337：无感支付扣费失败（余额或优惠券不足），15.00元费用尚未缴纳，请尽快缴费。")]
fn notices_about_no_stay_name_no_place(#[case] occasion: Occasion, #[case] text: &str) {
    let m = message(occasion);
    for place in [Place::Full, Place::Masked, Place::Hidden] {
        assert_eq!(render(&m, place), text);
    }
    assert_eq!(api::MessageKind::from(&m.occasion), api::MessageKind::Other);
}

#[test]
fn an_autopay_failure_goes_to_the_owner_who_listens() {
    let m = message(Occasion::AutopayFailed { amount_fen: 1500 });
    let listening = owned(false, true);
    assert_eq!(
        names(recipients(&m, Some(&listening.vehicle), Some(&user("u4")))),
        ["u0"]
    );
    let silenced = owned(false, false);
    assert!(recipients(&m, Some(&silenced.vehicle), Some(&user("u4"))).is_empty());
}

// PIPL (SPEC §6): a new owner sees only their own time in full.

/// u0's car with a stay of u0's time, then won by u4's appeal.
fn sold_to_u4() -> (World, Order) {
    let mut w = owned(false, true);
    let mut before = order(None);
    before.entered_at = w.now();
    w.run(&Actor::User(user("u4")), CommandKind::Appeal(appeal()), P)
        .unwrap();
    let review = w.review_of("u4");
    w.run(&operator(), CommandKind::ApproveReview { review }, P)
        .unwrap();
    assert!(w.vehicle.is_owner(&user("u4")));
    (w, before)
}
#[test]
fn a_new_owner_sees_the_stays_before_their_time_as_anyone_else_does() {
    let (w, before) = sold_to_u4();
    let mut after = order(None);
    after.entered_at = w.now();

    let earlier = redact(&before, &w.vehicle, &user("u4")).unwrap();
    assert_eq!(earlier.facility_name.as_deref(), Some("万达**停车场"));
    assert!(earlier.entered_at.is_none() && earlier.exited_at.is_none());
    assert!(earlier.deductions.is_empty() && !earlier.automatic);
    assert_eq!(
        viewer_role(&before, &w.vehicle, &user("u4")),
        ViewerRole::Related
    );

    let own = redact(&after, &w.vehicle, &user("u4")).unwrap();
    assert_eq!(own.facility_name.as_deref(), Some("万达广场停车场"));
    assert!(own.entered_at.is_some());
    assert_eq!(
        viewer_role(&after, &w.vehicle, &user("u4")),
        ViewerRole::Owner
    );
}

#[test]
fn a_new_owner_with_privacy_on_does_not_list_the_earlier_stays() {
    let (mut w, before) = sold_to_u4();
    w.run(
        &Actor::User(user("u4")),
        CommandKind::SetPrivacy(PrivacySettings {
            protect: true,
            notify: true,
        }),
        P,
    )
    .unwrap();
    assert!(redact(&before, &w.vehicle, &user("u4")).is_none());
}

// 单笔自动扣费上限 (SPEC §8): above it nothing is deducted and the owner is told.
#[rstest]
#[case::at_the_default_limit(20_000, None, AfterExit::Autopay)]
#[case::above_the_default_limit(20_001, None, AfterExit::OverLimit { limit_fen: 20_000 })]
#[case::under_a_raised_limit(30_000, Some(50_000), AfterExit::Autopay)]
#[case::above_a_lowered_limit(1_500, Some(1_000), AfterExit::OverLimit { limit_fen: 1_000 })]
fn the_owners_limit_for_one_deduction(
    #[case] fee: u64,
    #[case] limit: Option<u64>,
    #[case] expected: AfterExit,
) {
    let settings: AutopaySettings = api::vehicles::AutopayRequest {
        enabled: true,
        sources: vec![PaymentSource::Wallet],
        limit_fen: limit,
    }
    .into();
    let w = autopay_world(settings);
    let mut o = order(None);
    o.payment = shared::order::Payment::Unpaid;
    o.amount_fen = fee;
    assert_eq!(after_exit(&w.vehicle, &o), expected);
}

#[rstest]
#[case::nothing(0)]
#[case::above_the_highest(500_001)]
fn a_limit_out_of_range_is_refused(#[case] limit: u64) {
    let mut w = owned(false, true);
    let refused = w
        .run(
            &Actor::User(user("u0")),
            CommandKind::SetAutopay(AutopaySettings {
                enabled: true,
                limit_fen: limit,
                ..AutopaySettings::default()
            }),
            P,
        )
        .unwrap_err();
    assert_eq!(refused, shared::vehicle::CommandError::AutopayLimitInvalid);
    assert_eq!(refused.code(), ErrorCode::InvalidRequest);
}

#[test]
fn a_limit_defaults_to_two_hundred_yuan_even_in_settings_stored_before_it() {
    let stored: AutopaySettings =
        serde_json::from_value(serde_json::json!({"enabled": true, "sources": ["wallet"]}))
            .unwrap();
    assert_eq!(stored.limit_fen, 20_000);
    assert_eq!(AutopaySettings::default().limit_fen, 20_000);
}

#[test]
fn an_over_limit_notice_names_the_fee_and_the_limit_to_the_owner() {
    let m = message(Occasion::AutopayOverLimit {
        amount_fen: 25_000,
        limit_fen: 20_000,
    });
    assert_eq!(
        render(&m, Place::Full),
        "车辆闽D12337：本次费用250.00元超过无感支付单笔扣费上限200.00元，未自动扣费，请尽快手动缴费。"
    );
    let w = owned(false, true);
    assert_eq!(
        names(recipients(&m, Some(&w.vehicle), Some(&user("u4")))),
        ["u0"]
    );
}

// ---- SPEC §7 as the whole-seed issue completed it ---------------------------------------

/// The events of each step tell: a request → the owner; each operator decision → that user,
/// with the reason when one was given.
#[test]
fn requests_and_decisions_become_messages_for_the_right_people() {
    use shared::notify::{occasions_of, Case};
    let w = owned(false, true);
    let occasions = occasions_of(&w.history());
    let decisions: Vec<&Occasion> = occasions
        .iter()
        .filter(|o| matches!(o, Occasion::Decision { .. }))
        .collect();
    assert_eq!(
        decisions,
        [&Occasion::Decision {
            user: user("u0"),
            case: Case::Certification,
            approved: true,
            reason: None,
        }]
    );
    let requests = occasions
        .iter()
        .filter(|o| matches!(o, Occasion::RequestReceived { .. }))
        .count();
    assert_eq!(requests, 2, "u1 and u2 asked");
    // A request goes to the owner who listens; a decision to its user whatever the switch.
    let request = message(Occasion::RequestReceived {
        requester: user("u2"),
    });
    assert_eq!(names(recipients(&request, Some(&w.vehicle), None)), ["u0"]);
    let silenced = owned(false, false);
    assert!(recipients(&request, Some(&silenced.vehicle), None).is_empty());
    let rejected = message(Occasion::Decision {
        user: user("u3"),
        case: Case::Appeal,
        approved: false,
        reason: Some("证据不足".to_owned()),
    });
    assert_eq!(
        names(recipients(&rejected, Some(&silenced.vehicle), None)),
        ["u3"]
    );
    assert_eq!(
        render(&rejected, Place::Full),
        "车辆闽D12337的申诉未通过。原因：证据不足"
    );
}

/// 授权申请 N counts the users waiting for the owner.
#[test]
fn the_owners_card_counts_the_requests_waiting() {
    let w = owned(false, true);
    assert_eq!(w.vehicle.pending_requests(), 1, "u2 waits");
    let card = api::vehicles::VehicleItem::for_user(&w.vehicle, &user("u0"), true).unwrap();
    assert_eq!(card.pending_requests, 1);
    let theirs = api::vehicles::VehicleItem::for_user(&w.vehicle, &user("u1"), false).unwrap();
    assert_eq!(theirs.pending_requests, 0);
}

/// Someone else paying the owner's car: an authorized user by masked phone, anyone else 他人;
/// the owner hears it unless they silenced the car.
#[rstest]
#[case::authorized(
    Some("139****0001"),
    "车辆闽D12337的费用8.00元已由授权用户139****0001代为缴纳。"
)]
#[case::stranger(None, "车辆闽D12337的费用8.00元已由他人代为缴纳。")]
fn the_owner_hears_who_paid(#[case] by: Option<&str>, #[case] text: &str) {
    let m = message(Occasion::PaidByOther {
        amount_fen: 800,
        by: by.map(str::to_owned),
    });
    assert_eq!(render(&m, Place::Full), text);
    assert_eq!(
        names(recipients(&m, Some(&owned(false, true).vehicle), None)),
        ["u0"]
    );
    assert!(recipients(&m, Some(&owned(false, false).vehicle), None).is_empty());
    assert_eq!(
        api::MessageKind::from(&m.occasion),
        api::MessageKind::Payment
    );
}

// 维护车辆信息 (SPEC §11): the owner keeps the details; while nobody owns the car, anyone with a
// relation does. Every edit is an event of the plate's history; a refused one changes nothing.
fn details() -> VehicleDetails {
    VehicleDetails {
        plate_color: Some(PlateColor::Yellow),
        brand: Some("比亚迪".into()),
        model: Some("汉".into()),
        body_color: Some("白色".into()),
        nickname: Some("小白".into()),
    }
}

#[rstest]
#[case::owner("u0", None)]
#[case::authorized("u1", Some(CommandError::DetailsOwnerOnly))]
#[case::waiting("u2", Some(CommandError::DetailsOwnerOnly))]
#[case::appealing("u3", Some(CommandError::DetailsOwnerOnly))]
#[case::stranger("u4", Some(CommandError::NotAdded))]
fn who_keeps_an_owned_cars_details(#[case] who: &str, #[case] refused: Option<CommandError>) {
    let mut w = owned(false, true);
    let before = w.vehicle.details().clone();
    let outcome = w.run(
        &Actor::User(user(who)),
        CommandKind::SetDetails(details()),
        P,
    );
    assert_eq!(outcome.as_ref().err(), refused.as_ref());
    if refused.is_some() {
        assert_eq!(w.vehicle.details(), &before);
        assert!(!w.vehicle.may_edit_details(&user(who)));
    } else {
        assert_eq!(w.vehicle.details(), &details());
        assert!(matches!(
            &w.history().last().unwrap().change,
            Change::DetailsSet { details: d } if d == &details()
        ));
    }
}

#[rstest]
#[case::added("u1", true)]
#[case::certifying("u2", true)]
#[case::stranger("u4", false)]
fn without_an_owner_anyone_with_a_relation_keeps_the_details(
    #[case] who: &str,
    #[case] allowed: bool,
) {
    let mut w = unowned();
    let outcome = w.run(
        &Actor::User(user(who)),
        CommandKind::SetDetails(details()),
        P,
    );
    assert_eq!(outcome.is_ok(), allowed, "{outcome:?}");
    assert_eq!(w.vehicle.details() == &details(), allowed);
}

#[test]
fn the_details_stay_with_the_car_when_it_changes_hands() {
    let mut w = owned(false, true);
    w.run(
        &Actor::User(user("u0")),
        CommandKind::SetDetails(details()),
        P,
    )
    .unwrap();
    w.run(&Actor::User(user("u4")), CommandKind::Appeal(appeal()), P)
        .unwrap();
    let review = w.review_of("u4");
    w.run(&operator(), CommandKind::ApproveReview { review }, P)
        .unwrap();
    assert_eq!(w.vehicle.details(), &details());
    assert!(w.vehicle.may_edit_details(&user("u4")));
    assert!(!w.vehicle.may_edit_details(&user("u0")));
}

#[test]
fn an_overlong_nickname_is_refused_before_anything_else() {
    let mut w = owned(false, true);
    let long = VehicleDetails {
        nickname: Some("我的第一辆新能源小汽车".into()),
        ..VehicleDetails::default()
    };
    let refused = w
        .run(&Actor::User(user("u4")), CommandKind::SetDetails(long), P)
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidRequest);
    assert_eq!(refused.message(), "车辆昵称不能超过10个字");
    assert!(w.vehicle.details().is_empty());
}
