//! API.md bodies: JSON shapes, round-trips, unknown fields refused on requests.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use shared::api::*;
use shared::ids::{FacilityId, MessageId, OrderId, ReviewId, UploadId, UserId};
use shared::order::Facility;
use shared::payment::PaymentSource;
use shared::privacy::{redact, FacilityKind, Order};
use shared::tenant::Tenant;
use shared::vehicle::{Actor, CommandError, CommandKind, ReviewKind, VehicleState};
use shared::{Phone, Plate, TenantPolicy, Timestamp};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, value, "{text}");
}

fn refuses_unknown<T: DeserializeOwned + std::fmt::Debug>(mut body: serde_json::Value) {
    serde_json::from_value::<T>(body.clone()).unwrap();
    body.as_object_mut()
        .unwrap()
        .insert("extra".into(), json!(1));
    assert!(serde_json::from_value::<T>(body).is_err());
}

fn t() -> Timestamp {
    Timestamp::from_unix_millis(1_738_281_600_000)
}

#[test]
fn requests_refuse_unknown_fields() {
    refuses_unknown::<CodeRequest>(json!({"phone": "13900000000"}));
    refuses_unknown::<LoginRequest>(json!({"phone": "13900000000", "code": "123456"}));
    refuses_unknown::<PlateCheckRequest>(json!({"plate": "闽D12337"}));
    refuses_unknown::<AddVehicleRequest>(json!({"plate": "闽D12337"}));
    refuses_unknown::<AddVehicleRequest>(json!({"plate": "闽D123456", "confirm_nonstandard": true,
        "certification": {"owner_name": "张三", "evidence": ["u1"]}}));
    refuses_unknown::<CertificationRequest>(json!({"owner_name": "张三", "evidence": ["u1"]}));
    refuses_unknown::<AppealRequest>(json!({"reason": "我的车", "evidence": ["u1"]}));
    refuses_unknown::<PrivacyRequest>(json!({"protect": true, "notify": false}));
    refuses_unknown::<AutopayRequest>(json!({"enabled": true, "sources": ["coupon", "wallet"]}));
    refuses_unknown::<ReviewsQuery>(json!({"kind": "appeal"}));
    refuses_unknown::<RejectRequest>(json!({"reason": "不清晰"}));
    refuses_unknown::<RevokeRequest>(json!({"reason": "异常"}));
    refuses_unknown::<GatewayEvent>(
        json!({"event_id": "e1", "facility_id": "f1", "kind": "exit",
        "plate": "闽D12337", "at": "2025-01-31T08:00:00+08:00", "fee_fen": 1500}),
    );
    refuses_unknown::<PayRequest>(json!({"source": "wallet"}));
    refuses_unknown::<MarkReadRequest>(json!({"ids": ["m1"]}));
    refuses_unknown::<IssueCouponRequest>(json!({"plate": "闽D12337", "title": "券",
        "value_fen": 500, "expires_at": "2025-02-01T00:00:00Z"}));
    refuses_unknown::<TopUpRequest>(json!({"amount_fen": 10000}));
    refuses_unknown::<Health>(json!({"status": "ok", "version": "0.1.0"}));
    refuses_unknown::<ErrorBody>(json!({"code": "conflict", "message": "不行"}));
}

#[test]
fn wrong_types_are_refused() {
    assert!(
        serde_json::from_value::<PrivacyRequest>(json!({"protect": "yes", "notify": true}))
            .is_err()
    );
    assert!(serde_json::from_value::<AutopayRequest>(
        json!({"enabled": true, "sources": ["cash"]})
    )
    .is_err());
    assert!(serde_json::from_value::<TopUpRequest>(json!({"amount_fen": -1})).is_err());
    assert!(
        serde_json::from_value::<GatewayEvent>(json!({"event_id": "e1", "facility_id": "f1",
        "kind": "exit", "plate": "闽D12337", "at": "yesterday"}))
        .is_err()
    );
}

#[test]
fn responses_round_trip_with_api_md_shapes() {
    let plate = Plate::parse("闽D123456").unwrap();
    let check = PlateCheckResponse::from(&plate);
    assert_eq!(
        serde_json::to_value(&check).unwrap(),
        json!({"plate": "闽D123456", "class": "new_energy", "vehicle_type": "能源车", "standard": false})
    );
    round_trip(&check);

    let me = Me {
        id: UserId::new("u1"),
        phone_masked: Phone::parse("13900000000").unwrap().masked(),
        roles: vec![Role::User, Role::Operator],
        tenant: Tenant {
            id: "poly".into(),
            name: "保利".into(),
            policy: TenantPolicy::Mandatory,
            support_phone: "1508888888".into(),
        },
    };
    assert_eq!(me.phone_masked, "139****0000");
    let v = serde_json::to_value(&me).unwrap();
    assert_eq!(v["roles"], json!(["user", "operator"]));
    assert_eq!(v["tenant"]["policy"], json!("mandatory"));
    round_trip(&LoginResponse { user: me });
    round_trip(&CodeResponse {
        dev_code: Some("123456".into()),
    });
    assert_eq!(
        serde_json::to_value(CodeResponse::default()).unwrap(),
        json!({})
    );

    round_trip(&AddVehicleResponse {
        plate: plate.clone(),
        state: VehicleState::AwaitingAuthorization,
    });
    assert_eq!(
        serde_json::to_value(VehicleState::AwaitingAuthorization).unwrap(),
        json!("awaiting_authorization")
    );
    round_trip(&UploadResponse {
        id: UploadId::new("up-1"),
    });
    round_trip(&ReviewItem {
        id: ReviewId::new(plate.clone(), 3),
        kind: ReviewKind::Appeal,
        plate: plate.clone(),
        user_id: UserId::new("u1"),
        phone_masked: "139****0000".into(),
        submitted_at: t(),
        evidence: vec!["/api/uploads/up-1".into()],
        reason: Some("我的车".into()),
    });
    round_trip(&GatewayEventResponse {
        event_id: "e1".into(),
        order_id: Some(OrderId::new(plate.clone(), 1)),
    });
    round_trip(&PayResponse {
        order_id: OrderId::new(plate.clone(), 1),
        paid_fen: 1500,
        deductions: vec![],
        wechat_pay: None,
    });
    round_trip(&PayResponse {
        order_id: OrderId::new(plate.clone(), 1),
        paid_fen: 1500,
        deductions: vec![],
        wechat_pay: Some(shared::providers::wechat_pay::PaySheet {
            app_id: "wx1".into(),
            time_stamp: "1554208460".into(),
            nonce_str: "n".into(),
            package: "prepay_id=wx2".into(),
            sign_type: "RSA".into(),
            pay_sign: "c2ln".into(),
        }),
    });
    round_trip(&MessageList {
        messages: vec![MessageItem {
            id: MessageId::new("m1"),
            kind: MessageKind::Exit,
            plate: plate.clone(),
            text: "车辆闽D123456已离开万达**停车场".into(),
            created_at: t(),
            read: false,
        }],
        unread: 1,
    });
    round_trip(&CouponList {
        coupons: vec![CouponItem {
            coupon: shared::coupon::VehicleCoupon {
                id: shared::ids::CouponId::new(plate.clone(), 1),
                plate: plate.clone(),
                title: "停车券".into(),
                value_fen: 500,
                expires_at: t(),
                used: false,
            },
            claim_prompt: true,
        }],
    });
    round_trip(&WalletResponse {
        balance_fen: 100,
        entries: vec![WalletEntry {
            delta_fen: -500,
            note: "停车缴费".into(),
            at: t(),
        }],
    });
    round_trip(&PayRequest {
        source: PaymentSource::Coupon,
    });
}

/// A lived-in vehicle: list, notices, authorizations, ops view and orders all serialise.
#[test]
fn views_of_a_vehicle_round_trip() {
    let mut w = World::new();
    let p = TenantPolicy::Platform;
    let u = |n: &str| Actor::User(user(n));
    w.run(
        &u("u1"),
        CommandKind::Add {
            certification: None,
        },
        p,
    )
    .unwrap();
    w.run(
        &u("u0"),
        CommandKind::Add {
            certification: Some(certification()),
        },
        p,
    )
    .unwrap();
    let review = w.review_of("u0");
    w.run(
        &operator(),
        CommandKind::RejectReview {
            review,
            reason: "照片不清晰".into(),
        },
        p,
    )
    .unwrap();
    let card = VehicleItem::for_user(&w.vehicle, &user("u0"), true).unwrap();
    assert_eq!(card.state, VehicleState::Added);
    assert_eq!(card.rejection_reason.as_deref(), Some("照片不清晰"));
    w.run(
        &u("u0"),
        CommandKind::SubmitCertification(certification()),
        p,
    )
    .unwrap();
    let review = w.review_of("u0");
    w.run(&operator(), CommandKind::ApproveReview { review }, p)
        .unwrap();
    w.run(
        &u("u2"),
        CommandKind::Add {
            certification: None,
        },
        p,
    )
    .unwrap();

    let list = VehicleList {
        vehicles: VehicleItem::for_user(&w.vehicle, &user("u0"), true)
            .into_iter()
            .collect(),
        notices: NoticeItem::for_user(&w.vehicle, &user("u1"))
            .into_iter()
            .collect(),
    };
    let v = serde_json::to_value(&list).unwrap();
    assert_eq!(v["vehicles"][0]["state"], json!("certified"));
    assert_eq!(
        v["vehicles"][0]["privacy"],
        json!({"protect": false, "notify": true})
    );
    assert_eq!(v["notices"][0]["kind"], json!("certified_by_other"));
    assert_eq!(
        v["notices"][0]["text"],
        json!("车辆闽D12337已被其他账号认证，当前账号将移除该车辆。")
    );
    assert_eq!(v["notices"][0]["actions"], json!(["appeal", "ack"]));
    round_trip(&list);

    let auth = AuthorizationList::from_vehicle(&w.vehicle, |_| "139****0000".into());
    assert_eq!(auth.requests.len(), 1);
    assert_eq!(auth.requests[0].user_id, user("u2"));
    round_trip(&auth);

    let ops = OpsVehicle::new(&w.vehicle, w.history());
    assert_eq!(ops.owner, Some(user("u0")));
    assert!(ops.history.len() >= 7);
    round_trip(&ops);

    let order = Order::open(
        OrderId::new(Plate::parse("闽D12337").unwrap(), 1),
        Facility {
            id: FacilityId::new("fac-wanda"),
            name: "万达广场停车场".into(),
            kind: FacilityKind::CarPark,
        },
        t(),
    );
    let orders = OrderList {
        orders: redact(&order, &w.vehicle, &user("u0"))
            .into_iter()
            .collect(),
    };
    round_trip(&orders);
}

#[test]
fn ids_are_deterministic_and_retries_answer_the_same() {
    let run = || {
        let mut w = World::new();
        let out = w
            .run(
                &Actor::User(user("u1")),
                CommandKind::Add {
                    certification: Some(certification()),
                },
                TenantPolicy::Platform,
            )
            .unwrap();
        (w, out)
    };
    let (w1, out1) = run();
    let (w2, out2) = run();
    assert_eq!(out1, out2);
    assert_eq!(w1.vehicle, w2.vehicle);
    assert_eq!(w1.review_of("u1").to_string(), "闽D12337-2");

    // A refused request is remembered too: the same id gets the same refusal even after the
    // state changed so that it would now succeed.
    let mut w = World::new();
    let cmd = shared::vehicle::Command {
        request_id: shared::ids::RequestId::new("same"),
        kind: CommandKind::SubmitCertification(certification()),
    };
    let first = w.run_command(&Actor::User(user("u1")), &cmd, TenantPolicy::Platform);
    assert_eq!(first, Err(CommandError::NotAdded));
    assert_eq!(first.as_ref().unwrap_err().code(), ErrorCode::Conflict);
    w.run(
        &Actor::User(user("u1")),
        CommandKind::Add {
            certification: None,
        },
        TenantPolicy::Platform,
    )
    .unwrap();
    let before = w.vehicle.clone();
    assert_eq!(
        w.run_command(&Actor::User(user("u1")), &cmd, TenantPolicy::Platform),
        first
    );
    assert_eq!(w.vehicle, before);
}

// 工作台's history (issue 14 item 12): each entry names who acted and whom it affected by masked
// phone, and carries its reason or refusal; the owner's name of a certification is labelled.
#[test]
fn the_operators_history_names_who_whom_and_why() {
    let mut w = World::new();
    let a = Actor::User(user("u1"));
    w.run(
        &a,
        CommandKind::Add {
            certification: Some(certification()),
        },
        TenantPolicy::Platform,
    )
    .unwrap();
    let review = w.review_of("u1");
    w.run(
        &operator(),
        CommandKind::RejectReview {
            review,
            reason: "照片不清晰".into(),
        },
        TenantPolicy::Platform,
    )
    .unwrap();
    // A refused command is in the history too, with why.
    w.run(&a, CommandKind::CancelRequest, TenantPolicy::Platform)
        .unwrap_err();
    let view = ops::OpsVehicle::new(&w.vehicle, w.log())
        .with_phones(|u| (u.as_str() != "gone").then(|| format!("{}****0000", &u.as_str()[..1])));
    assert_eq!(view.people().len(), 2, "u1 and the operator");
    let by_type = |t: &str| {
        view.history
            .iter()
            .find(|h| serde_json::to_value(&h.event.change).unwrap()["type"] == t)
            .unwrap()
    };
    let submitted = by_type("certification_submitted");
    assert_eq!(submitted.actor_label(), "用户 u****0000");
    assert_eq!(submitted.subject_phone, None, "the actor themself");
    assert_eq!(
        submitted.event.change.notes(),
        [("车主姓名", certification().owner_name)]
    );
    let rejected = by_type("certification_rejected");
    assert!(rejected.actor_label().starts_with("运营 "));
    assert_eq!(rejected.subject_phone.as_deref(), Some("u****0000"));
    assert_eq!(
        rejected.event.change.notes(),
        [("原因", "照片不清晰".to_owned())]
    );
    let refused = by_type("refused");
    assert_eq!(
        refused.event.change.notes(),
        [(
            "拒绝原因",
            CommandError::NoRequestToCancel.message().into_owned()
        )]
    );
    // The JSON keeps the event's own fields beside the phones.
    let json = serde_json::to_value(&view).unwrap();
    assert_eq!(json["history"][0]["change"]["type"], "added");
    assert_eq!(json["history"][0]["actor_phone"], "u****0000");
    assert_eq!(json["relations"][0]["phone_masked"], "u****0000");
    round_trip(&view);
    // A closed account is named as such, never by a stale phone.
    let closed = ops::OpsVehicle::new(&w.vehicle, w.log()).with_phones(|_| None);
    assert_eq!(closed.history[0].actor_label(), "用户 （已注销）");
}
