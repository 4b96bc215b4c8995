//! HTTP as plain values: a request and an answer the handlers take and give, so every check is a
//! function tests call without a socket (the server in `server.rs` only copies bytes in and out).

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::Serialize;

/// WeChat answers JSON with this content type (sic: `encoding`, not `charset`).
const WECHAT_JSON: &str = "application/json; encoding=utf-8";
/// Tencent Cloud and the control endpoints.
const JSON: &str = "application/json";

/// One request as the server read it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `GET`, `POST`…
    pub method: String,
    /// The path and query, as sent (`/cgi-bin/token?grant_type=…`).
    pub url: String,
    /// Every header, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Request {
    /// A request with no headers and no body.
    pub fn new(method: &str, url: &str) -> Self {
        Self {
            method: method.to_owned(),
            url: url.to_owned(),
            ..Self::default()
        }
    }

    /// This request with one more header.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// This request with a body.
    #[must_use]
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.url.split_once('?').map_or(&self.url, |(path, _)| path)
    }

    /// The query's pairs, decoded, in order.
    pub fn query(&self) -> Query {
        let raw = self.url.split_once('?').map_or("", |(_, query)| query);
        Query(
            form_urlencoded::parse(raw.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }
}

/// A decoded query string.
#[derive(Debug, Clone, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The names in the order sent.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|(k, _)| k.as_str()).collect()
    }
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// Headers to send (ASCII values only).
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
    /// Why a provider call was refused, for the stand-in's log (never sent).
    pub refusal: Option<String>,
}

impl Response {
    /// A body of `content_type`.
    pub fn with(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.into(),
            refusal: None,
        }
    }

    /// `value` as JSON (Tencent Cloud, the control endpoints).
    pub fn json(status: u16, value: &impl Serialize) -> Self {
        Self::with(status, JSON, serde_json::to_vec(value).unwrap_or_default())
    }

    /// `value` as WeChat answers: always HTTP 200, JSON.
    pub fn wechat(value: &impl Serialize) -> Self {
        Self::with(
            200,
            WECHAT_JSON,
            serde_json::to_vec(value).unwrap_or_default(),
        )
    }

    /// A small Chinese HTML page, as WeChat shows in the browser.
    pub fn page(status: u16, message: &str) -> Self {
        let html = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>微信</title></head><body><p>{message}</p></body></html>"
        );
        Self::with(status, "text/html; charset=utf-8", html).refused(message)
    }

    /// No body.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            refusal: None,
        }
    }

    /// 302 to `location` (anything not printable ASCII percent-encoded, as headers must be).
    pub fn redirect(location: &str) -> Self {
        const UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>');
        let mut answer = Self::empty(302);
        answer.headers.push((
            "Location".to_owned(),
            utf8_percent_encode(location, UNSAFE).to_string(),
        ));
        answer
    }

    /// 404 for a path no provider has.
    pub fn not_found() -> Self {
        Self::with(404, "text/plain; charset=utf-8", "not found")
    }

    /// This answer, noted as a refusal for the log.
    #[must_use]
    pub fn refused(mut self, why: impl Into<String>) -> Self {
        self.refusal = Some(why.into());
        self
    }

    /// The header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` when it is not).
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_decoded_in_order() {
        let req = Request::new("GET", "/a?x=1&redirect_uri=http%3A%2F%2Fh%2Fp&phone=%2B86");
        assert_eq!(req.path(), "/a");
        let query = req.query();
        assert_eq!(query.names(), ["x", "redirect_uri", "phone"]);
        assert_eq!(query.get("redirect_uri"), Some("http://h/p"));
        assert_eq!(query.get("phone"), Some("+86"));
    }

    #[test]
    fn a_location_is_ascii() {
        let answer = Response::redirect("http://h/停?code=a");
        assert_eq!(answer.header("location"), Some("http://h/%E5%81%9C?code=a"));
    }
}
