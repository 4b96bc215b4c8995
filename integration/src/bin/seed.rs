//! Demo data for local runs, made through the API like a real user would (scripts/dev runs it
//! once per state folder): plates in every state of SPEC §3, and for 闽D12337 a paid and an
//! unpaid stay, a charging session, a coupon and money in alice's wallet (SPEC §6–§8); a
//! pending request on alice's car, a rejected certification with its reason, the car's details,
//! a stay bob paid for alice's car, and a user of an `open` and of a `hidden` tenant (SPEC §9).
//!
//! `BASE_URL=http://127.0.0.1:8787 cargo run -p integration --bin seed`

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed step should stop the seeding loudly

use integration::gateway::{minutes_ago, CarPark};
use integration::{approve, operator, Api};
use serde_json::{json, Value};
use shared::api::GatewayEventKind;

fn main() {
    let api = Api::from_env();
    let alice = api.login("13800000001");
    let bob = api.login("13800000002");
    let carol = api.login("13800000003"); // 保利, `mandatory`
    let dave = api.login("13800000004"); // 自由停车, `open`
    api.login("13800000005"); // 金茂, `hidden`: 我的 shows only the account

    alice.add("闽D12337");
    alice.certify("闽D12337");
    approve("certification", "闽D12337", &alice); // alice: 已认证
    alice.call("PUT", "/api/vehicles/闽D12337/default").send();
    alice
        .put(
            "/api/vehicles/闽D12337/details",
            json!({ "brand": "比亚迪", "model": "汉", "body_color": "白色", "nickname": "小白" }),
        )
        .expect(204);
    alice.add("闽D12333"); // alice: 去认证, after a rejected certification
    alice.certify("闽D12333");
    integration::reject(
        "certification",
        "闽D12333",
        &alice,
        "行驶证照片不清晰，请重新拍摄",
    );
    alice.add("闽DD12345");
    alice.certify("闽DD12345"); // alice: 认证中
    bob.add("闽D12337"); // bob: 等待授权 (alice sees the request)

    let photo = carol.upload_photo();
    let certification = json!({ "owner_name": "演示车主", "evidence": [photo] });
    let reply = carol.post(
        "/api/vehicles",
        json!({ "plate": "京A12345", "certification": certification }),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    approve("certification", "京A12345", &carol); // carol: 已认证
    let photo = bob.upload_photo();
    let reply = bob.post(
        "/api/vehicles/京A12345/appeal",
        json!({ "reason": "这是我的车", "evidence": [photo] }),
    );
    assert_eq!(reply.status, 202, "appeal: {}", reply.body); // bob: 申诉中

    // Parking and charging for 闽D12337 (alice owns it): a stay she paid, a charging session
    // still due, a coupon, and ¥50 in her wallet. Every stay begins now, after her approval: an
    // owner sees in full only the stays that began while they owned the car (SPEC §6).
    let plate = "闽D12337";
    let car_park = CarPark::parking(&api);
    let station = CarPark::charging(&api);
    let event = |park: &CarPark, kind, fee| {
        let reply = park.send(&park.event(kind, plate, minutes_ago(0), fee));
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json::<Value>()["order_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    event(&car_park, GatewayEventKind::Entry, None);
    let stay = event(&car_park, GatewayEventKind::Exit, Some(1500));
    alice
        .post("/api/wallet/top-up", json!({ "amount_fen": 6500 }))
        .expect(200);
    alice
        .post(
            &format!("/api/orders/{stay}/pay"),
            json!({ "source": "wallet" }),
        )
        .expect(200);
    event(&station, GatewayEventKind::ChargeStart, None);
    event(&station, GatewayEventKind::ChargeEnd, Some(2350));
    operator()
        .post(
            "/api/ops/coupons",
            json!({ "plate": plate, "title": "停车2小时免费券", "value_fen": 1000,
                    "expires_at": "2099-12-31T00:00:00.000Z" }),
        )
        .expect(201);
    // A stay bob (not authorized) paid for alice's car: alice is told it was paid by 他人.
    event(&car_park, GatewayEventKind::Entry, None);
    let paid_by_bob = event(&car_park, GatewayEventKind::Exit, Some(800));
    bob.post("/api/wallet/top-up", json!({ "amount_fen": 800 }))
        .expect(200);
    bob.post(
        &format!("/api/orders/{paid_by_bob}/pay"),
        json!({ "source": "wallet" }),
    )
    .expect(200);
    event(&car_park, GatewayEventKind::Entry, None);

    // 自由停车 (`open`): any plate, no certification.
    dave.add("闽D88888");

    println!(
        "seeded: 闽D12337 已认证 (13800000001, 小白) with a request by 13800000002; 闽D12333 \
         added, certification rejected with its reason; 闽DD12345 认证中; 京A12345 已认证 \
         (13800000003), 申诉中 by 13800000002; 闽D12337 parked now, a paid stay, one paid by \
         13800000002, a charging session due, a coupon, ¥50 in the wallet; 闽D88888 added by \
         13800000004 (open tenant); 13800000005 in a hidden tenant"
    );
}
