//! `GET /`: 我的, drawn on the edge for a signed-in driver, so a phone paints the cards with the
//! page instead of after the wasm has loaded and run. The drivers' app renders it (frontend's
//! `render_mine`, the same components the browser runs) into index.html's frame, and the session
//! it drew goes along in the page, so the app's first render is the same page and asks nothing
//! again. Nobody signed in (or an ended session) gets index.html as it is.
//!
//! A drawn page also carries its stylesheet inline, allowed by its hash in the page's CSP: the
//! first paint waits for the stylesheet, and this saves the request for it. Measured with the
//! same page loaded alternately with the sheet linked and inline, medians of 12 cold loads at 4×
//! CPU: first paint 770 → 684 ms and 1,076 → 782 ms in two runs (196 → 168 ms at 1×).

use std::cell::RefCell;
use std::rc::Rc;

use base64::{engine::general_purpose::STANDARD, Engine};
use sha2::{Digest, Sha256};
use worker::{Headers, Method, Request, Response, Url};

use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::routes::session;

/// The page's Content-Security-Policy: the same as `frontend/static/_headers` gives the SPA's
/// files (the HTTP tests compare the two); a drawn page's `style-src` also names the hash of the
/// stylesheet it carries. The seed is JSON in a `<script type="application/json">`, which no
/// browser runs, so no inline script is allowed.
const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; frame-ancestors 'none'; \
    base-uri 'none'; form-action 'self'; object-src 'none'";

/// What the edge replaces in index.html: the frame (skeleton) the app draws over, and the
/// preload of the app's first request, which a rendered page has no need of.
const FRAME: (&str, &str) = ("<!--frame-->", "<!--/frame-->");
const SESSION_PRELOAD: (&str, &str) = ("<!--session-->", "<!--/session-->");
/// The stylesheet's `<link>`, which a drawn page replaces with the sheet itself.
const STYLE_LINK: (&str, &str) = ("<!--style-->", "<!--/style-->");

/// The stylesheet as a drawn page carries it.
struct InlineStyle {
    /// Its address (`/assets/style-<hash>.css`).
    href: String,
    /// Its text.
    css: String,
    /// The CSP source that allows exactly this text inline (`'sha256-…'`).
    source: String,
}

thread_local! {
    /// The stylesheet last inlined. Its name is content-hashed (scripts/build), so one name is
    /// always the same text: fetched once per isolate, kept while index.html names it.
    static STYLE: RefCell<Option<Rc<InlineStyle>>> = const { RefCell::new(None) };
}

/// `GET /` (and `HEAD /`).
pub async fn get(ctx: &Ctx, req: &Request) -> AppResult {
    let mut shell = ctx
        .env
        .assets("ASSETS")?
        .fetch_request(Request::new(req.url()?.as_str(), Method::Get)?)
        .await?;
    // The page never fails for want of the session: the app then asks, and says what went wrong.
    let session = match session::read(ctx, req, true).await {
        Ok(session) if session.user.is_some() && shell.status_code() == 200 => session,
        Ok(_) => {
            return page(
                shell.text().await?,
                shell.status_code(),
                None,
                PAGE_CSP,
                req,
            )
        }
        Err(err) => {
            worker::console_error!("我的 drawn without its session: {err:?}");
            return page(
                shell.text().await?,
                shell.status_code(),
                None,
                PAGE_CSP,
                req,
            );
        }
    };
    let html = shell.text().await?;
    let style = inline_style(ctx, &req.url()?, &html).await;
    let drawn = frontend::render_mine(session.clone()).await;
    let seed =
        seed_json(&serde_json::to_string(&session).map_err(|e| AppError::internal(e.to_string()))?);
    let rendered = replace_between(&html, FRAME, &drawn)
        .and_then(|html| replace_between(&html, SESSION_PRELOAD, ""))
        .map(|html| {
            html.replacen(
                "</body>",
                &format!(
                    "<script type=\"application/json\" id=\"{}\">{seed}</script>\n</body>",
                    frontend::SEED_ID
                ),
                1,
            )
        });
    let Some(rendered) = rendered else {
        // index.html lost its markers: the plain page still works (the app asks for itself).
        return page(html, 200, None, PAGE_CSP, req);
    };
    let styled = style.and_then(|style| {
        let sheet = format!("<style>{}</style>", style.css);
        let html = replace_between(&rendered, STYLE_LINK, &sheet)?;
        let csp = PAGE_CSP.replacen(
            "style-src 'self'",
            &format!("style-src 'self' {}", style.source),
            1,
        );
        Some((html, csp))
    });
    let (html, csp) = styled.unwrap_or((rendered, PAGE_CSP.to_owned()));
    page(html, 200, Some("private, no-cache"), &csp, req)
}

/// The stylesheet `html` links between its style markers, to carry inline; `None` (the page
/// keeps its link) when there is none or it cannot be had, which costs a request, nothing more.
async fn inline_style(ctx: &Ctx, url: &Url, html: &str) -> Option<Rc<InlineStyle>> {
    let (open, close) = STYLE_LINK;
    let start = html.find(open)? + open.len();
    let link = &html[start..start + html[start..].find(close)?];
    let href = link.split_once("href=\"")?.1.split_once('"')?.0;
    if let Some(kept) = STYLE
        .with_borrow(|kept| kept.clone())
        .filter(|s| s.href == href)
    {
        return Some(kept);
    }
    let css = match fetch_text(ctx, &url.join(href).ok()?).await {
        Ok(css) => css,
        Err(err) => {
            worker::console_error!("stylesheet {href} not inlined: {err:?}");
            return None;
        }
    };
    // Text that could close the element is left to the link (our own sheet never has any).
    if css.to_ascii_lowercase().contains("</style") {
        return None;
    }
    let source = format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(css.as_bytes()))
    );
    let style = Rc::new(InlineStyle {
        href: href.to_owned(),
        css,
        source,
    });
    STYLE.set(Some(style.clone()));
    Some(style)
}

/// The text of one of the assets, or why not.
async fn fetch_text(ctx: &Ctx, url: &Url) -> AppResult<String> {
    let mut answer = ctx
        .env
        .assets("ASSETS")?
        .fetch_request(Request::new(url.as_str(), Method::Get)?)
        .await?;
    if answer.status_code() != 200 {
        return Err(AppError::internal(format!(
            "the assets answered {}",
            answer.status_code()
        )));
    }
    Ok(answer.text().await?)
}

/// The HTML answer under the policy `csp`, tagged by its content: a returning visit whose page
/// has not changed (same cards, same unread count) gets a 304 and downloads nothing.
fn page(html: String, status: u16, cache: Option<&str>, csp: &str, req: &Request) -> AppResult {
    let etag = format!(
        "\"{}\"",
        hex::encode(&Sha256::digest(html.as_bytes())[..16])
    );
    let unchanged = req
        .headers()
        .get("if-none-match")?
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag));
    let headers = Headers::new();
    headers.set("content-type", "text/html; charset=utf-8")?;
    headers.set("content-security-policy", csp)?;
    // Who is signed in decides what `/` shows: no shared cache may keep it, and a browser asks
    // again each time (answered 304 when nothing changed).
    headers.set("cache-control", cache.unwrap_or("no-cache"))?;
    headers.set("vary", "cookie")?;
    headers.set("etag", &etag)?;
    let response = match (unchanged && status == 200, req.method()) {
        (true, _) => Response::empty()?.with_status(304),
        (false, Method::Head) => Response::empty()?.with_status(status),
        (false, _) => Response::ok(html)?.with_status(status),
    };
    Ok(response.with_headers(headers))
}

/// `html` with what lies between the two markers replaced (the markers stay), or `None` when
/// either marker is missing.
fn replace_between(html: &str, (open, close): (&str, &str), with: &str) -> Option<String> {
    let start = html.find(open)? + open.len();
    let end = start + html[start..].find(close)?;
    Some(format!("{}{with}{}", &html[..start], &html[end..]))
}

/// JSON made safe inside `<script>`: no `<`, `>` or `&` can end the element or start a comment
/// (JSON strings may carry them, escaped as `\u003c` and so on, which parse the same).
fn seed_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
