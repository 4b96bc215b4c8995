//! The worker and the SPA answer from one origin: health, the error shape, the SPA fallback.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is the test failing

use integration::Api;
use shared::api::{ErrorBody, Health};

#[test]
fn health_reports_ok_and_the_product_version() {
    let reply = Api::from_env().get("/api/health");
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.starts_with("application/json"),
        "{}",
        reply.content_type
    );
    let health: Health = reply.json();
    assert_eq!(
        health,
        Health {
            status: "ok".into(),
            version: shared::VERSION.into()
        }
    );
}

#[test]
fn unknown_api_path_is_a_404_in_the_error_shape() {
    let reply = Api::from_env().get("/api/no-such-thing");
    assert_eq!(reply.status, 404);
    let error: ErrorBody = reply.json();
    assert_eq!(error.code, shared::api::ErrorCode::NotFound);
    assert!(
        !error.message.is_empty() && !error.message.is_ascii(),
        "message for people, in Chinese: {}",
        error.message
    );
}

#[test]
fn the_spa_is_served_in_chinese_for_phones() {
    let reply = Api::from_env().get("/");
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.starts_with("text/html"),
        "{}",
        reply.content_type
    );
    assert!(reply.body.contains(r#"<html lang="zh-CN">"#));
    assert!(
        reply.body.contains("viewport-fit=cover"),
        "safe-area insets need viewport-fit=cover"
    );
    assert!(reply.body.contains(r#"name="theme-color""#));
    // The page's frame paints before the app has loaded: a tab bar and card skeletons.
    assert!(reply.body.contains(r#"<div id="app">"#));
    assert!(reply.body.contains(r#"class="tab-bar""#));
    assert!(reply.body.contains("skeleton-card"));
}

#[test]
fn deep_links_fall_back_to_the_spa_and_assets_are_served() {
    let api = Api::from_env();
    let deep = api.get("/orders");
    assert_eq!(deep.status, 200);
    let index = api.get("/");
    assert_eq!(deep.body, index.body, "a deep link gets index.html");
    let wasm_path = index
        .body
        .split('"')
        .find(|p| p.starts_with("/assets/frontend_bg-") && p.ends_with(".wasm"))
        .expect("index.html preloads the wasm");
    let wasm = api.get(wasm_path);
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.content_type, "application/wasm");
    assert!(wasm.len > 1000, "the wasm module is served whole");
}
