//! Request bodies sent without a length (chunked) are read with a running cap: the worker answers
//! 400 `invalid_request` as soon as the bytes received pass the limit, without waiting for (or
//! buffering) the rest. The client here never ends its body: only a reader that stops at the cap
//! can answer at all.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use integration::{tiny_jpeg, Api};
use serde_json::{json, Value};
use shared::upload::MAX_UPLOAD_BYTES;

/// The JSON limit of `edge/src/http.rs` (`MAX_JSON_BYTES`).
const MAX_JSON_BYTES: usize = 64 * 1024;
const CHUNK: usize = 16 * 1024;

/// A request whose body goes out in chunks, written by hand over TCP (no client adds a length).
struct Chunked {
    stream: TcpStream,
}

impl Chunked {
    /// Sends the request line and headers of `POST path` with `Transfer-Encoding: chunked`.
    fn post(path: &str, content_type: &str, cookie: Option<&str>) -> Self {
        let base = std::env::var("BASE_URL").expect("BASE_URL (run through scripts/test)");
        let host = base.trim_start_matches("http://").trim_end_matches('/');
        let stream = TcpStream::connect(host).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut head = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\
             Content-Type: {content_type}\r\nX-Requested-With: vehicles\r\n"
        );
        if let Some(cookie) = cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        head.push_str("\r\n");
        let mut request = Self { stream };
        request.stream.write_all(head.as_bytes()).unwrap();
        request
    }

    fn chunk(&mut self, bytes: &[u8]) {
        write!(self.stream, "{:x}\r\n", bytes.len()).unwrap();
        self.stream.write_all(bytes).unwrap();
        self.stream.write_all(b"\r\n").unwrap();
        self.stream.flush().unwrap();
    }

    /// Sends `total` bytes of `byte` in chunks, and does not end the body.
    fn stream_bytes(&mut self, byte: u8, total: usize) {
        let mut sent = 0;
        while sent < total {
            let n = CHUNK.min(total - sent);
            self.chunk(&vec![byte; n]);
            sent += n;
        }
    }

    fn finish(&mut self) {
        self.stream.write_all(b"0\r\n\r\n").unwrap();
    }

    /// The answer's status and body (by its length or its chunks).
    fn reply(self) -> (u16, String) {
        let mut reader = BufReader::new(self.stream);
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .expect("an answer before the body ends");
        let status: u16 = line.split(' ').nth(1).unwrap().parse().unwrap();
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let header = line.trim_end().to_ascii_lowercase();
            if header.is_empty() {
                break;
            }
            if let Some(v) = header.strip_prefix("content-length:") {
                length = Some(v.trim().parse::<usize>().unwrap());
            }
            chunked |= header == "transfer-encoding: chunked";
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let n = usize::from_str_radix(line.trim(), 16).unwrap();
                let mut part = vec![0; n + 2];
                reader.read_exact(&mut part).unwrap();
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&part[..n]);
            }
        } else {
            body.resize(length.unwrap_or(0), 0);
            reader.read_exact(&mut body).unwrap();
        }
        (status, String::from_utf8(body).unwrap())
    }
}

#[track_caller]
fn assert_too_large(status: u16, body: &str) {
    assert_eq!(status, 400, "{body}");
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["code"], "invalid_request", "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("不能超过"),
        "{body}"
    );
}

#[test]
fn a_json_body_without_a_length_is_refused_once_it_passes_the_cap() {
    let mut request = Chunked::post("/api/plates/check", "application/json", None);
    request.stream_bytes(b' ', MAX_JSON_BYTES + CHUNK);
    let (status, body) = request.reply();
    assert_too_large(status, &body);
}

#[test]
fn a_photo_without_a_length_is_refused_once_it_passes_the_cap() {
    let user = Api::from_env().new_user();
    let mut request = Chunked::post("/api/uploads", "image/jpeg", Some(user.cookie()));
    request.chunk(&tiny_jpeg()[..4]);
    request.stream_bytes(0, MAX_UPLOAD_BYTES + CHUNK);
    let (status, body) = request.reply();
    assert_too_large(status, &body);
}

#[test]
fn chunked_bodies_within_the_cap_still_work() {
    let mut request = Chunked::post("/api/plates/check", "application/json", None);
    let plate = serde_json::to_vec(&json!({ "plate": "粤B12345" })).unwrap();
    // Split inside a multi-byte character: the body is only parsed whole.
    request.chunk(&plate[..12]);
    request.chunk(&plate[12..]);
    request.finish();
    let (status, body) = request.reply();
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["plate"],
        "粤B12345"
    );

    let user = Api::from_env().new_user();
    let mut request = Chunked::post("/api/uploads", "image/jpeg", Some(user.cookie()));
    let photo = tiny_jpeg();
    request.chunk(&photo[..10]);
    request.chunk(&photo[10..]);
    request.finish();
    let (status, body) = request.reply();
    assert_eq!(status, 201, "{body}");
    let id = serde_json::from_str::<Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(user.get(&format!("/api/uploads/{id}")).len, photo.len());
}
