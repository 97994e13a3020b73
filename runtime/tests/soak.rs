//! A soak test: thousands of calls (GETs, POSTs, page streams) against a loopback server that
//! records every request it reads and answers with random faults: 429 with `Retry-After: 0`
//! or `1`, 503, connections reset after the request was read, slow bodies and bodies that
//! stall past the client's read timeout.
//!
//! It runs for `SOAK_SECONDS` (default 3) with the seed `SOAK_SEED` (default: from the clock;
//! printed, so a failure can be replayed), and checks:
//!
//! - **No duplicate POST.** The runtime sends a POST again only when the server cannot have
//!   acted on it: it answered 429, or the request never reached it (a refused connection, or
//!   a pooled connection found closed before the request was written, which the server never
//!   reads). So among the receipts the server records for one POST, every one but the last is
//!   a 429: after any other answer (2xx, 503, a reset or a stall after the request was read)
//!   the same POST never arrives again. A POST the client saw succeed arrived exactly once
//!   with that success.
//! - **No lost or duplicated page.** A page stream, resumed from each `PageError::resume`
//!   like a caller would, yields every item of the list once, in order.
//! - **No panic**, in the client or the server tasks.
//! - **Memory roughly flat**: between the end of a warm-up (the first quarter of the run) and
//!   the end, the resident set grows by less than 64 MiB plus the test's own log of every
//!   request (allowed 512 bytes a request; it takes about 150).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use openapi_client_runtime::{
    Client, ClientBuilder, Error, Method, PageRef, Pages, Paging, RawResponse, Request,
    RetryPolicy, StreamExt,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// Items per full page of the list.
const PAGE_SIZE: u64 = 5;
/// Full pages in the list; the page after them holds `LAST_PAGE_ITEMS` items.
const FULL_PAGES: u64 = 6;
const LAST_PAGE_ITEMS: u64 = 2;
/// The client's read timeout; stalled bodies pause longer than this.
const READ_TIMEOUT: Duration = Duration::from_millis(100);

/// How the server answered one request it read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    /// A 2xx with the whole body, possibly slowly.
    Success,
    /// 429 Too Many Requests: the request was not acted on.
    RateLimited,
    /// 503 Service Unavailable.
    Unavailable,
    /// The connection was reset without an answer.
    Reset,
    /// Part of a 2xx body, then nothing until after the client's read timeout.
    Stalled,
}

/// What the server saw: the answers given to each operation id, in order.
#[derive(Default)]
struct Log {
    receipts: HashMap<u64, Vec<(Method, Answer)>>,
}

struct Server {
    rng: Mutex<fastrand::Rng>,
    log: Mutex<Log>,
}

impl Server {
    fn pick(&self) -> (Answer, Option<u64>) {
        let mut rng = self.rng.lock().unwrap();
        let answer = match rng.u32(0..100) {
            0..=67 => Answer::Success,
            68..=79 => Answer::RateLimited,
            80..=89 => Answer::Unavailable,
            90..=97 => Answer::Reset,
            _ => Answer::Stalled,
        };
        // Retry-After 1 now and then, else 0; slow bodies pause a little.
        let extra = match answer {
            Answer::RateLimited => Some(u64::from(rng.u32(0..50) == 0)),
            Answer::Success => (rng.u32(0..10) == 0).then(|| rng.u64(1..20)),
            _ => None,
        };
        (answer, extra)
    }
}

/// One request as read off the wire.
struct Incoming {
    method: Method,
    target: String,
    op: u64,
}

/// Reads one request (head and `Content-Length` body) from `socket`, keeping what follows it
/// in `buffer`; `None` when the client closed the connection.
async fn read_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Incoming> {
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = Method::from_bytes(request_line.next()?.as_bytes()).ok()?;
    let target = request_line.next()?.to_owned();
    let (mut length, mut op) = (0usize, 0u64);
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().ok()?,
            "x-op" => op = value.trim().parse().ok()?,
            _ => {}
        }
    }
    while buffer.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    buffer.drain(..head_end + length);
    Some(Incoming { method, target, op })
}

/// The 2xx body for `request`: the item, the created item, or a page of the list.
fn success_body(request: &Incoming) -> (u16, String) {
    if let Some(page) = request.target.split_once("page=").map(|(_, n)| n) {
        let page: u64 = page.split('&').next().unwrap().parse().unwrap();
        let count = match page {
            p if p <= FULL_PAGES => PAGE_SIZE,
            p if p == FULL_PAGES + 1 => LAST_PAGE_ITEMS,
            _ => 0,
        };
        let items: Vec<u64> = (0..count).map(|i| (page - 1) * PAGE_SIZE + i).collect();
        return (200, serde_json::json!({ "items": items }).to_string());
    }
    let status = if request.method == Method::POST {
        201
    } else {
        200
    };
    (status, serde_json::json!({ "op": request.op }).to_string())
}

async fn serve_connection(server: Arc<Server>, mut socket: TcpStream) {
    // A body written in two parts must not wait for the client's delayed acknowledgement.
    let _ = socket.set_nodelay(true);
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut socket, &mut buffer).await {
        let (answer, extra) = server.pick();
        server
            .log
            .lock()
            .unwrap()
            .receipts
            .entry(request.op)
            .or_default()
            .push((request.method.clone(), answer));
        let (status, body) = success_body(&request);
        let head = |status: u16, reason: &str, length: usize, more: &str| {
            format!("HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n{more}\r\n")
        };
        let written = match answer {
            Answer::Success => {
                let (first, rest) = body.as_bytes().split_at(body.len() / 2);
                let mut out = head(status, "OK", body.len(), "").into_bytes();
                out.extend_from_slice(first);
                let sent = socket.write_all(&out).await;
                if let Some(pause) = extra {
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                }
                match sent {
                    Ok(()) => socket.write_all(rest).await,
                    err => err,
                }
            }
            Answer::RateLimited => {
                let more = format!("Retry-After: {}\r\n", extra.unwrap_or(0));
                let out = head(429, "Too Many Requests", 0, &more);
                socket.write_all(out.as_bytes()).await
            }
            Answer::Unavailable => {
                let out = head(503, "Service Unavailable", 0, "");
                socket.write_all(out.as_bytes()).await
            }
            Answer::Reset => {
                // Linger 0: closing sends a reset instead of an orderly end.
                let _ = socket.set_zero_linger();
                return;
            }
            Answer::Stalled => {
                let mut out = head(status, "OK", body.len(), "").into_bytes();
                out.extend_from_slice(&body.as_bytes()[..body.len() / 2]);
                let _ = socket.write_all(&out).await;
                tokio::time::sleep(READ_TIMEOUT * 2).await;
                return;
            }
        };
        if written.is_err() {
            return;
        }
    }
}

async fn start_server(seed: u64) -> (Arc<Server>, String) {
    let server = Arc::new(Server {
        rng: Mutex::new(fastrand::Rng::with_seed(seed)),
        log: Mutex::new(Log::default()),
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}/api/v2", listener.local_addr().unwrap());
    let accepting = server.clone();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            tokio::spawn(serve_connection(accepting.clone(), socket));
        }
    });
    (server, address)
}

fn decode_op(raw: &RawResponse) -> Result<u64, Error> {
    raw.decode_enveloped("op")
}

fn decode_page(raw: &RawResponse) -> Result<Vec<u64>, Error> {
    raw.decode_enveloped("items")
}

/// Outcomes the client saw, to check against the server's log.
#[derive(Default)]
struct Seen {
    gets: u64,
    posts: Vec<(u64, bool)>,
    streams: u64,
    resumes: u64,
    failures: HashMap<String, u64>,
}

fn kind(error: &Error) -> String {
    match error {
        Error::Api(api) => format!("status {}", api.status.as_u16()),
        Error::RateLimited { .. } => "429".to_owned(),
        Error::Timeout { .. } => "timeout".to_owned(),
        Error::Transport { .. } => "transport".to_owned(),
        other => panic!("unexpected error: {other}"),
    }
}

/// Reads every item of the list, resuming after each failed page.
async fn read_list(client: &Client, op: u64, seen: &mut Seen) -> Vec<u64> {
    let request = Request::new(Method::GET, "/pages").header("x-op", &op);
    let paging = Paging::Numbered {
        param: "page",
        full_page: Some(PAGE_SIZE as u32),
    };
    let mut items = Vec::new();
    let mut from: Option<PageRef> = None;
    loop {
        let mut pages = Pages::new(
            client.clone(),
            request.clone(),
            paging.clone(),
            from.take(),
            decode_page,
        );
        let mut failed = None;
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => items.extend(page.items),
                Err(error) => {
                    *seen.failures.entry(kind(&error.error)).or_default() += 1;
                    failed = Some(error.resume);
                }
            }
        }
        match failed {
            Some(resume) => {
                seen.resumes += 1;
                from = Some(resume);
            }
            None => return items,
        }
    }
}

async fn worker(client: Client, seed: u64, ops: Arc<AtomicU64>, until: Instant) -> Seen {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut seen = Seen::default();
    let expected: Vec<u64> = (0..FULL_PAGES * PAGE_SIZE + LAST_PAGE_ITEMS).collect();
    while Instant::now() < until {
        let op = ops.fetch_add(1, Ordering::Relaxed);
        match rng.u32(0..10) {
            0..=4 => {
                let request = Request::new(Method::GET, "/items/{id}")
                    .path_param("id", &op)
                    .header("x-op", &op);
                match client.send(request, decode_op).await {
                    Ok(echo) => assert_eq!(echo, op),
                    Err(error) => *seen.failures.entry(kind(&error)).or_default() += 1,
                }
                seen.gets += 1;
            }
            5..=8 => {
                let request = Request::new(Method::POST, "/items")
                    .header("x-op", &op)
                    .json(&serde_json::json!({ "op": op }));
                let ok = match client.send(request, decode_op).await {
                    Ok(echo) => {
                        assert_eq!(echo, op);
                        true
                    }
                    Err(error) => {
                        *seen.failures.entry(kind(&error)).or_default() += 1;
                        false
                    }
                };
                seen.posts.push((op, ok));
            }
            _ => {
                let items = read_list(&client, op, &mut seen).await;
                assert_eq!(items, expected, "stream {op}: lost or duplicated items");
                seen.streams += 1;
            }
        }
    }
    seen
}

/// The resident set size of this process, in bytes.
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_with_random_faults() {
    let seconds: f64 = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let seed: u64 = std::env::var("SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("soak: {seconds} s, seed {seed} (replay with SOAK_SEED={seed})");

    let (server, address) = start_server(seed).await;
    let client = ClientBuilder::new("https://{domain}.example.com")
        .base_url(address)
        .api_key("soak-key")
        .read_timeout(READ_TIMEOUT)
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(4)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5))
                .max_retry_after(Duration::from_secs(2)),
        )
        .build()
        .unwrap();

    let start = Instant::now();
    let until = start + Duration::from_secs_f64(seconds);
    let warm_up = start + Duration::from_secs_f64(seconds / 4.0);
    let ops = Arc::new(AtomicU64::new(1));
    let workers: Vec<_> = (0..32)
        .map(|i| tokio::spawn(worker(client.clone(), seed ^ (i + 1), ops.clone(), until)))
        .collect();
    tokio::time::sleep_until(warm_up.into()).await;
    let rss_after_warm_up = resident_bytes();

    let mut total = Seen::default();
    for worker in workers {
        let seen = worker.await.expect("no worker panicked");
        total.gets += seen.gets;
        total.posts.extend(seen.posts);
        total.streams += seen.streams;
        total.resumes += seen.resumes;
        for (kind, n) in seen.failures {
            *total.failures.entry(kind).or_default() += n;
        }
    }
    let rss_at_end = resident_bytes();

    let log = server.log.lock().unwrap();
    let requests: usize = log.receipts.values().map(Vec::len).sum();
    println!(
        "soak: {} GETs, {} POSTs, {} page streams ({} resumed) in {:.1} s; {requests} requests served; final failures {:?}",
        total.gets,
        total.posts.len(),
        total.streams,
        total.resumes,
        start.elapsed().as_secs_f64(),
        total.failures
    );
    println!(
        "soak: resident set {} MiB after warm-up, {} MiB at the end",
        rss_after_warm_up >> 20,
        rss_at_end >> 20
    );

    for (op, succeeded) in &total.posts {
        let receipts = log.receipts.get(op).map_or(&[][..], Vec::as_slice);
        if let Some((_, before_last)) = receipts.split_last() {
            assert!(
                before_last
                    .iter()
                    .all(|(_, answer)| *answer == Answer::RateLimited),
                "POST {op} sent again after the server may have acted on it: {receipts:?}"
            );
        }
        if *succeeded {
            assert_eq!(
                receipts.last().map(|(_, answer)| *answer),
                Some(Answer::Success),
                "POST {op}: {receipts:?}"
            );
        }
    }
    assert!(total.gets > 0 && !total.posts.is_empty() && total.streams > 0);
    assert!(
        total.posts.iter().any(|(_, ok)| *ok) && total.resumes > 0,
        "the faults were exercised"
    );
    let allowed = (64 << 20) + 512 * requests as u64;
    assert!(
        rss_at_end < rss_after_warm_up + allowed,
        "memory grew from {rss_after_warm_up} to {rss_at_end} bytes ({requests} requests logged)"
    );
}
