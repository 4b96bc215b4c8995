//! Evidence photos keep no metadata: the worker strips a JPEG's EXIF (GPS position, camera
//! serial), XMP and comments before storing it, whatever the client sent.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::{operator, unique_plate, Api};
use serde_json::Value;

const EXIF: &[u8] = b"Exif\0\0GPSLatitude 24.4798 GPSLongitude 118.0894";
const COMMENT: &[u8] = b"owner 13800000001";

/// A JPEG whose APP1 carries an EXIF GPS position and whose comment names the phone.
fn photo_with_exif() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    let mut segment = |marker: u8, payload: &[u8]| {
        bytes.extend_from_slice(&[0xFF, marker]);
        bytes.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        bytes.extend_from_slice(payload);
    };
    segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    segment(0xE1, EXIF);
    segment(0xFE, COMMENT);
    bytes.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
    bytes
}

#[test]
fn a_stored_photo_has_no_gps_position_or_comment() {
    let api = Api::from_env();
    let user = api.new_user();
    let original = photo_with_exif();
    let reply = user
        .call("POST", "/api/uploads")
        .body("image/jpeg", original.clone())
        .send();
    reply.expect(201);
    let id = reply.json::<Value>()["id"].as_str().unwrap().to_owned();

    let stored = user.get(&format!("/api/uploads/{id}"));
    stored.expect(200);
    assert!(!stored.body.contains("GPSLatitude"), "EXIF kept");
    assert!(!stored.body.contains("13800000001"), "comment kept");
    assert!(stored.body.contains("JFIF"), "the JFIF header stays");
    assert_eq!(
        stored.len,
        original.len() - (4 + EXIF.len()) - (4 + COMMENT.len()),
        "only the two metadata segments went"
    );
}

#[test]
fn operators_see_a_photo_only_once_a_review_cites_it() {
    let api = Api::from_env();
    let user = api.new_user();
    let photo = user.upload_photo();
    let path = format!("/api/uploads/{photo}");
    operator().get(&path).expect_error(404, "not_found");
    api.new_user().get(&path).expect_error(404, "not_found");
    user.get(&path).expect(200);

    let plate = unique_plate();
    user.add(&plate);
    user.post(
        &format!("/api/vehicles/{plate}/certification"),
        serde_json::json!({ "owner_name": "车主", "evidence": [photo] }),
    )
    .expect(202);
    operator().get(&path).expect(200);
    api.new_user().get(&path).expect_error(404, "not_found");
}
