//! The socket side: a few threads take requests from tiny_http, copy them into a [`Request`],
//! answer under one lock at the current time, and log every refusal to stderr so a failing test's
//! log says which check the worker's call failed.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{handle, pay, Config, Request, Response, State};

/// Enough for the suite's parallel tests; each answer takes microseconds under the lock.
const THREADS: usize = 4;
/// Provider bodies are small; anything bigger is refused before it is read whole.
const MAX_BODY: u64 = 1 << 20;

/// A bound stand-in, not yet answering.
pub struct Server {
    listener: Arc<tiny_http::Server>,
    port: u16,
    state: Arc<Mutex<State>>,
}

/// Makes the WeChat Pay keys if pay is configured (writing them for the scripts), then binds
/// 127.0.0.1:`port` (0: any free port).
///
/// # Errors
/// When the keys cannot be made or written, or the port cannot be bound.
pub fn bind(config: Config, port: u16) -> Result<Server, Box<dyn std::error::Error + Send + Sync>> {
    let mut state = State::new(config);
    pay::start(&mut state).map_err(|e| format!("WeChat Pay keys: {e}"))?;
    let listener = Arc::new(tiny_http::Server::http(("127.0.0.1", port))?);
    let port = listener
        .server_addr()
        .to_ip()
        .map_or(port, |addr| addr.port());
    Ok(Server {
        listener,
        port,
        state: Arc::new(Mutex::new(state)),
    })
}

impl Server {
    /// The port bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Answers requests until the process ends.
    pub fn run(self) {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                let (listener, state) = (Arc::clone(&self.listener), Arc::clone(&self.state));
                std::thread::spawn(move || loop {
                    match listener.recv() {
                        Ok(request) => answer(request, &state),
                        Err(e) => eprintln!("standin: accept failed: {e}"),
                    }
                })
            })
            .collect();
        for worker in workers {
            if worker.join().is_err() {
                eprintln!("standin: a worker thread panicked");
            }
        }
    }
}

/// Listens on 127.0.0.1:`port` (0: any free port), prints
/// `standin listening on http://127.0.0.1:PORT`, and serves until the process ends.
///
/// # Errors
/// When the port cannot be bound or stdout is gone.
pub fn serve(config: Config, port: u16) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let server = bind(config, port)?;
    let mut stdout = std::io::stdout();
    writeln!(
        stdout,
        "standin listening on http://127.0.0.1:{}",
        server.port()
    )?;
    stdout.flush()?;
    server.run();
    Ok(())
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn answer(mut incoming: tiny_http::Request, state: &Arc<Mutex<State>>) {
    let mut req = Request::new(incoming.method().as_str(), incoming.url());
    req.headers = incoming
        .headers()
        .iter()
        .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_owned()))
        .collect();
    let mut body = Vec::new();
    let read = incoming
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body);
    let reply = match read {
        Err(e) => Response::with(400, "text/plain; charset=utf-8", format!("body: {e}")),
        Ok(_) if body.len() as u64 > MAX_BODY => {
            Response::with(413, "text/plain; charset=utf-8", "body too large")
        }
        Ok(_) => {
            req.body = body;
            let (reply, outbox) = {
                let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
                let reply = handle(&req, &mut state, now_ms());
                (reply, pay::take_outbox(&mut state))
            };
            // Notifications leave after the lock is released: the worker may call back.
            pay::send::finish(reply, outbox, state)
        }
    };
    if let Some(why) = &reply.refusal {
        eprintln!("standin: {} {} refused: {why}", req.method, req.path());
    }
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    for (name, value) in &reply.headers {
        match tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            Ok(header) => response.add_header(header),
            Err(()) => eprintln!("standin: header {name} is not ASCII"),
        }
    }
    if let Err(e) = incoming.respond(response) {
        eprintln!("standin: answer lost: {e}");
    }
}
