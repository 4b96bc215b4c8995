//! Security headers on every answer: the SPA's files (Cloudflare applies `frontend/static/_headers`
//! to static assets) and the worker's `/api` answers, success and error alike
//! (`edge/src/http.rs`), with evidence photos sandboxed on top.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use integration::{Api, Reply};

/// What every answer must carry, whoever serves it.
#[track_caller]
fn assert_common(what: &str, reply: &Reply) {
    let header = |name: &str| {
        reply
            .header(name)
            .unwrap_or_else(|| panic!("{what}: no {name} header in {:?}", reply.headers))
    };
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert!(
        header("strict-transport-security").starts_with("max-age=63072000"),
        "{what}: {}",
        header("strict-transport-security")
    );
    assert_eq!(
        header("referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
    let permissions = header("permissions-policy");
    for feature in [
        "camera=(self)",
        "microphone=()",
        "geolocation=()",
        "payment=()",
    ] {
        assert!(
            permissions.split(", ").any(|f| f == feature),
            "{what}: {feature} in {permissions}"
        );
    }
    assert!(
        header("content-security-policy").contains("frame-ancestors 'none'")
            || header("content-security-policy") == "sandbox",
        "{what}: {}",
        header("content-security-policy")
    );
}

/// The SPA's policy: this origin only, wasm allowed to compile, nothing inline.
#[track_caller]
fn assert_spa(what: &str, reply: &Reply) {
    assert_eq!(reply.status, 200, "{what}: {}", reply.body);
    assert_common(what, reply);
    let csp = reply.header("content-security-policy").unwrap();
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for expected in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ] {
        assert!(
            directives.contains(&expected),
            "{what}: {expected} in {csp}"
        );
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
}

/// What the worker adds to each of its answers.
#[track_caller]
fn assert_api(what: &str, reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    assert_common(what, reply);
    assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
    assert_eq!(
        reply.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'"),
        "{what}"
    );
}

#[test]
fn the_spa_files_and_its_fallback_carry_the_policy() {
    let api = Api::from_env();
    let index = api.get("/");
    assert_spa("/", &index);
    assert!(index.content_type.starts_with("text/html"), "{index:?}");
    // With `script-src 'self'`, an inline script would not run: every script is a file.
    let scripts = index.body.matches("<script").count();
    assert!(scripts > 0, "{}", index.body);
    assert_eq!(
        index
            .body
            .matches("<script type=\"module\" src=\"/")
            .count(),
        scripts,
        "no inline script: {}",
        index.body
    );
    assert!(!index.body.contains("style="), "no inline style");

    let mut assets = asset_paths(&index.body);
    assert_eq!(
        assets.len(),
        4,
        "style, module preload, wasm preload, boot: {assets:?}"
    );
    // boot.js names the app's JS and wasm.
    let boot = assets
        .iter()
        .find(|p| p.contains("/boot_"))
        .unwrap()
        .clone();
    assets.extend(asset_paths(&api.get(&boot).body));
    for path in &assets {
        assert_spa(path, &api.get(path));
    }
    // An app path no file has: index.html through the single-page fallback, same headers.
    let deep = api.get("/vehicles/no-such-page/anything");
    assert_spa("SPA fallback", &deep);
    assert_eq!(deep.body, index.body);
    // The rules file itself is not served.
    assert!(!api
        .get("/_headers")
        .body
        .contains("Content-Security-Policy"));
}

/// The `/assets/…` paths a text names (index.html's links and script, boot.js's imports).
fn asset_paths(text: &str) -> Vec<String> {
    text.split('"')
        .filter(|part| part.starts_with("/assets/"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_returning_visit_revalidates_only_the_page_and_keeps_the_hashed_files() {
    let api = Api::from_env();
    let index = api.get("/");
    // index.html is asked for again on every visit (it names this build's files)…
    let page_cache = index.header("cache-control").unwrap_or_default();
    assert!(!page_cache.contains("immutable"), "{page_cache}");
    let etag = index
        .header("etag")
        .expect("index.html has an ETag")
        .to_owned();
    let again = api.call("GET", "/").header("If-None-Match", &etag).send();
    assert_eq!(again.status, 304, "an unchanged page is not sent again");
    // …and every file it names has a content hash in its name and is kept for a year.
    let paths = asset_paths(&index.body);
    assert!(!paths.is_empty(), "{}", index.body);
    for path in paths {
        let name = path.rsplit('/').next().unwrap();
        let hash = name.split(['-', '.']).nth(1).unwrap_or_default();
        assert!(
            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{name} is named by its content"
        );
        let reply = api.get(&path);
        assert_eq!(
            reply.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
    }
}

#[test]
fn drivers_never_download_the_workbench_and_operators_get_their_own_bundle() {
    let api = Api::from_env();
    let wasm_of = |page: &str| -> Vec<String> {
        let reply = api.get(page);
        assert_eq!(reply.status, 200, "{page}");
        asset_paths(&reply.body)
            .into_iter()
            .filter(|p| p.ends_with(".wasm"))
            .collect()
    };
    // Any drivers' address (a deep link too) gets the drivers' app, 工作台 its own.
    let drivers = wasm_of("/");
    assert_eq!(drivers.len(), 1, "{drivers:?}");
    assert_eq!(wasm_of("/vehicles/add"), drivers);
    let workbench = wasm_of("/workbench");
    assert_eq!(workbench.len(), 1, "{workbench:?}");
    assert_ne!(workbench, drivers);
    assert!(
        workbench[0].starts_with("/assets/workbench_bg-"),
        "{workbench:?}"
    );
    assert!(
        drivers[0].starts_with("/assets/frontend_bg-"),
        "{drivers:?}"
    );
    // Each page preloads the very first request its app makes.
    assert!(api.get("/").body.contains(r#"href="/api/session?home=1""#));
    assert!(api
        .get("/workbench")
        .body
        .contains(r#"href="/api/session""#));
}

#[test]
fn every_api_answer_is_uncached_and_hardened() {
    let api = Api::from_env();
    assert_api("health", &api.get("/api/health"), 200);
    assert_api("signed out", &api.get("/api/vehicles"), 401);
    assert_api("no such endpoint", &api.get("/api/no-such-thing"), 404);
    let not_json = api
        .call("POST", "/api/plates/check")
        .csrf()
        .body("application/json", b"{not json".to_vec())
        .send();
    assert_api("not JSON", &not_json, 400);
    assert_eq!(not_json.code(), "invalid_request");
    let no_csrf = api
        .call("POST", "/api/plates/check")
        .body("application/json", b"{}".to_vec())
        .send();
    assert_api("no CSRF header", &no_csrf, 403);

    let user = api.new_user();
    assert_api("my vehicles", &user.get("/api/vehicles"), 200);
    let code = api.code(&integration::unique_phone());
    assert_api("sign-in code", &code, 200);
    assert!(code.set_cookie.is_none());
}

#[test]
fn evidence_photos_are_sandboxed_and_never_cached() {
    let api = Api::from_env();
    let user = api.new_user();
    let id = user.upload_photo();
    let photo = user.get(&format!("/api/uploads/{id}"));
    assert_eq!(photo.status, 200, "{}", photo.body);
    assert_eq!(photo.content_type, "image/jpeg");
    assert_common("photo", &photo);
    assert_eq!(photo.header("cache-control"), Some("no-store"));
    assert_eq!(photo.header("content-security-policy"), Some("sandbox"));
}
