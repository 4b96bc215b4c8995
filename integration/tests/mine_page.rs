//! `GET /` for a signed-in driver: 我的 drawn by the edge with the page (the cards paint before
//! the wasm has run), the session it was drawn with in the page for the app to start from, and
//! nothing of it for anyone else (edge/src/routes/mine_page.rs).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::{engine::general_purpose::STANDARD, Engine};
use integration::{reject, unique_plate, Api, Reply, Session};
use sha2::{Digest, Sha256};
use shared::api::auth::SessionResponse;
use shared::notice;

/// The session a page was drawn with (`<script type="application/json" id="seed">`), if any.
fn seed_of(page: &Reply) -> Option<SessionResponse> {
    let open = r#"<script type="application/json" id="seed">"#;
    let start = page.body.find(open)? + open.len();
    let end = start + page.body[start..].find("</script>")?;
    Some(serde_json::from_str(&page.body[start..end]).expect("the seed is JSON"))
}

/// The text of the page's one `<style>` element, if it has one.
fn inline_style(page: &Reply) -> Option<&str> {
    let start = page.body.find("<style>")? + "<style>".len();
    assert_eq!(page.body.matches("<style").count(), 1, "one sheet");
    Some(&page.body[start..start + page.body[start..].find("</style>")?])
}

/// The plates on the cards the page draws, in order.
fn drawn_plates(page: &Reply) -> Vec<String> {
    page.body
        .split(r#"<li class="car-card">"#)
        .skip(1)
        .map(|card| {
            let plate = card.split_once(r#"class="plate"#).unwrap().1;
            let plate = plate.split_once('>').unwrap().1;
            plate.split_once('<').unwrap().0.to_owned()
        })
        .collect()
}

#[test]
fn a_signed_in_driver_gets_their_cards_with_the_page_and_the_session_it_was_drawn_with() {
    let api = Api::from_env();
    let driver = api.new_user();
    let (first, second) = (unique_plate(), unique_plate());
    driver.add(&first);
    driver.add(&second);

    let page = driver.get("/");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.content_type.starts_with("text/html"), "{page:?}");
    // The cards as 我的 lists them, drawn: the same order as GET /api/vehicles.
    let listed: Vec<String> = driver.vehicles()["vehicles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["plate"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(drawn_plates(&page), listed);
    assert!(page.body.contains(notice::ADD_VEHICLE), "{}", page.body);
    assert!(
        page.body.contains(&driver.phone_masked()),
        "the account line"
    );
    assert!(
        page.body.contains(r#"<a href="/" class="tab tab-active">"#),
        "the tab bar, 我的 current: {}",
        page.body
    );

    // The app starts from what the page was drawn with, and asks nothing again.
    let seed = seed_of(&page).expect("the page carries its session");
    let me = seed.user.as_ref().expect("signed in");
    assert_eq!(me.phone_masked, driver.phone_masked());
    let home = seed.home.as_ref().expect("我的's data");
    let seeded: Vec<&str> = home
        .vehicles
        .vehicles
        .iter()
        .map(|v| v.plate.as_str())
        .collect();
    assert_eq!(seeded, listed);
    assert!(
        !page.body.contains("/api/session?home=1"),
        "no preload of a request the app will not make"
    );
    // A page per user: never kept by a shared cache, asked again by the browser each visit.
    assert_eq!(page.header("cache-control"), Some("private, no-cache"));
    assert_eq!(page.header("vary"), Some("cookie"));
    // The page carries the stylesheet the plain page links, as it is, instead of the link.
    let anonymous = api.get("/");
    let style = anonymous
        .body
        .split('"')
        .find(|p| p.starts_with("/assets/style-"))
        .unwrap();
    let sheet = api.get(style);
    assert_eq!(sheet.status, 200);
    assert!(!page.body.contains(style), "no request for the sheet");
    let inline = inline_style(&page).expect("the sheet is in the page");
    assert_eq!(inline, sheet.body);
    // The page's policy is the SPA's files' (frontend/static/_headers), its styles allowing that
    // one sheet by its hash: nothing else inline is styled, nothing inline runs.
    let csp = page.header("content-security-policy").unwrap();
    let files_csp = sheet.header("content-security-policy").unwrap();
    assert_eq!(Some(files_csp), anonymous.header("content-security-policy"));
    let hash = STANDARD.encode(Sha256::digest(inline.as_bytes()));
    assert_eq!(
        csp,
        files_csp.replacen(
            "style-src 'self'",
            &format!("style-src 'self' 'sha256-{hash}'"),
            1
        )
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(
        page.body.matches("<script").count(),
        page.body.matches(r#"<script type="module" src="/"#).count() + 1,
        "module files and the one JSON seed, which no browser runs: {}",
        page.body
    );
}

#[test]
fn nobody_else_sees_a_drivers_page() {
    let api = Api::from_env();
    let driver = api.new_user();
    let plate = unique_plate();
    driver.add(&plate);
    assert_eq!(drawn_plates(&driver.get("/")), std::slice::from_ref(&plate));

    // Another driver: their own (empty) 我的.
    let other = api.new_user().get("/");
    assert!(drawn_plates(&other).is_empty(), "{}", other.body);
    assert!(!other.body.contains(&plate), "{}", other.body);
    assert!(
        other.body.contains("还没有车辆，添加一辆吧"),
        "{}",
        other.body
    );
    assert!(seed_of(&other)
        .unwrap()
        .home
        .unwrap()
        .vehicles
        .vehicles
        .is_empty());

    // Nobody signed in, or a session that has ended: the page's frame, no seed, no cards.
    for (who, page) in [
        ("no cookie", api.get("/")),
        ("a made-up session", {
            api.call("GET", "/")
                .header("Cookie", "__Host-session=0123456789abcdef")
                .send()
        }),
        ("a session logged out", {
            let gone = api.new_user();
            gone.add(&unique_plate());
            assert_eq!(gone.post_empty("/api/auth/logout").status, 204);
            gone.get("/")
        }),
    ] {
        assert_eq!(page.status, 200, "{who}");
        assert!(seed_of(&page).is_none(), "{who}: {}", page.body);
        assert!(drawn_plates(&page).is_empty(), "{who}");
        assert!(page.body.contains("skeleton-card"), "{who}: the frame");
        assert!(inline_style(&page).is_none(), "{who}: the sheet linked");
        assert!(
            page.body.contains("/api/session?home=1"),
            "{who}: the preload"
        );
    }
}

#[test]
fn an_unchanged_page_is_not_sent_again_and_a_changed_one_is() {
    let api = Api::from_env();
    let driver = api.new_user();
    driver.add(&unique_plate());
    let page = driver.get("/");
    let etag = page.header("etag").expect("a tag").to_owned();
    let revisit =
        |who: &Session, tag: &str| who.call("GET", "/").header("If-None-Match", tag).send();

    assert_eq!(revisit(&driver, &etag).status, 304, "nothing changed");
    // A new car: the page is drawn again, with it.
    let added = unique_plate();
    driver.add(&added);
    let changed = revisit(&driver, &etag);
    assert_eq!(changed.status, 200);
    assert!(drawn_plates(&changed).contains(&added));
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
    // Another driver's tag never stands for this driver's page.
    let other = api.new_user();
    assert_eq!(revisit(&other, &etag).status, 200);
}

#[test]
fn an_operators_reason_with_markup_stays_text_on_the_card_and_in_the_seed() {
    let api = Api::from_env();
    let driver = api.new_user();
    let plate = unique_plate();
    driver.add(&plate);
    driver.certify(&plate);
    let reason = "</script><script>alert(1)</script><!--";
    reject("certification", &plate, &driver, reason);

    let page = driver.get("/");
    assert_eq!(
        page.body.matches("</script>").count(),
        page.body.matches("<script").count(),
        "no element ended or begun by the reason: {}",
        page.body
    );
    assert!(!page.body.contains("<script>alert"), "{}", page.body);
    assert!(!page.body.contains(reason), "{}", page.body);
    // The driver still reads it as written, and the app starts from it intact.
    let seed = seed_of(&page).unwrap();
    let card = &seed.home.unwrap().vehicles.vehicles[0];
    assert_eq!(card.rejection_reason.as_deref(), Some(reason));
    assert!(
        page.body.contains("&lt;/script&gt;&lt;script&gt;alert(1)"),
        "shown as text: {}",
        page.body
    );
}
