//! Retention (shared::retention): the upload quota, and the hourly sweep run through wrangler's
//! local scheduled endpoint with a clock in the future.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::gateway::CarPark;
use integration::{approve, unique_plate, Api, Session};
use serde_json::{json, Value};

const HOUR_MS: i64 = 3600 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Adds a new plate and submits its certification citing `photo`; the plate.
fn certify_with(user: &Session, photo: &str) -> String {
    let plate = unique_plate();
    user.add(&plate);
    let body = json!({ "owner_name": "张三", "evidence": [photo] });
    user.post(&format!("/api/vehicles/{plate}/certification"), body)
        .expect(202);
    plate
}

/// Runs the worker's scheduled handler as if the cron fired at unix ms `at`
/// (`/cdn-cgi/local/scheduled`, which `wrangler dev` serves; `time` sets `scheduledTime`).
fn sweep_at(api: &Api, at: i64) {
    let reply = api
        .call(
            "GET",
            &format!("/cdn-cgi/local/scheduled?cron=17+*+*+*+*&time={at}"),
        )
        .send();
    assert_eq!(reply.status, 200, "scheduled handler: {}", reply.body);
}

fn photo_status(user: &Session, id: &str) -> u16 {
    user.get(&format!("/api/uploads/{id}")).status
}

#[test]
fn at_most_twenty_uncited_photos_and_citing_one_frees_a_place() {
    let api = Api::from_env();
    let user = api.new_user();
    let photos: Vec<String> = (0..20).map(|_| user.upload_photo()).collect();
    let refused = user
        .call("POST", "/api/uploads")
        .body("image/jpeg", integration::tiny_jpeg())
        .send();
    // The wait is until the oldest uncited photo is swept: 24 hours at most.
    refused.expect_rate_limited(24 * 3600);
    let message = refused.json::<Value>()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("20张"), "{message}");
    certify_with(&user, &photos[0]);
    user.upload_photo();
}

#[test]
#[ignore = "sweeps the whole server as of a future time: scripts/test runs it alone, after the other suites"]
fn the_sweep_deletes_what_has_been_kept_long_enough() {
    let api = Api::from_env();
    let start = now_ms();
    // A photo whose certification was decided, one whose certification waits, one never cited.
    let owner = api.new_user();
    let decided = owner.upload_photo();
    let plate = certify_with(&owner, &decided);
    approve("certification", &plate, &owner);
    let claimant = api.new_user();
    let pending = claimant.upload_photo();
    certify_with(&claimant, &pending);
    let uncited = owner.upload_photo();
    CarPark::parking(&api).entry(&plate).expect(200);
    // 认证已通过 and the entry notice.
    let told = owner.messages()["messages"].as_array().unwrap().len();
    assert_eq!(told, 2);

    // A day later: only the photo nobody cited is gone.
    sweep_at(&api, start + 25 * HOUR_MS);
    assert_eq!(photo_status(&owner, &uncited), 404);
    assert_eq!(photo_status(&owner, &decided), 200);
    assert_eq!(photo_status(&claimant, &pending), 200);
    assert_eq!(owner.messages()["messages"].as_array().unwrap().len(), told);

    // 181 days later: the decided photo and the message are gone, and every session (expired
    // by then); the photo of the review still waiting stays.
    sweep_at(&api, start + 181 * DAY_MS);
    owner.get("/api/me").expect_error(401, "unauthenticated");
    let owner = api.login(&owner.phone);
    let claimant = api.login(&claimant.phone);
    assert_eq!(photo_status(&owner, &decided), 404);
    assert_eq!(owner.messages()["messages"], json!([]));
    assert_eq!(photo_status(&claimant, &pending), 200);
    assert_eq!(owner.card_state(&plate).as_deref(), Some("certified"));
}
