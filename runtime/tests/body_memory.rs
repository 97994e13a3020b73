//! Peak heap while a 50 MB JSON page is read whole and decoded, measured with a counting
//! global allocator (this test binary only). The server writes the body from one buffer
//! allocated before the measurement, so the figures are the client's.
//!
//! `cargo test -p openapi-client-runtime --release --test body_memory -- --nocapture` prints them.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use openapi_client_runtime::{ClientBuilder, Method, Request, RetryPolicy};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as a move: both blocks are live while the bytes are copied.
        let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(live, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Starts the peak over from what is live now, and returns that.
fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

/// A page of `{"tickets": [...]}` of about `size` bytes.
fn page(size: usize) -> Vec<u8> {
    let mut body = b"{\"tickets\":[".to_vec();
    let mut id = 0;
    while body.len() < size {
        if id > 0 {
            body.push(b',');
        }
        let ticket = format!(
            "{{\"id\":{id},\"subject\":\"Printer on fire, floor {}\",\"status\":2,\"priority\":1,\"tags\":[\"hardware\",\"urgent\"]}}",
            id % 40
        );
        body.extend_from_slice(ticket.as_bytes());
        id += 1;
    }
    body.extend_from_slice(b"]}");
    body
}

/// A loopback server answering every request with `body`, with or without `Content-Length`
/// (then with chunked encoding, as one chunk per 64 KiB).
async fn serve(body: &'static [u8], content_length: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                if content_length {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(body).await;
                } else {
                    let head = "HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n";
                    let _ = socket.write_all(head.as_bytes()).await;
                    for chunk in body.chunks(64 * 1024) {
                        let size = format!("{:x}\r\n", chunk.len());
                        let _ = socket.write_all(size.as_bytes()).await;
                        let _ = socket.write_all(chunk).await;
                        let _ = socket.write_all(b"\r\n").await;
                    }
                    let _ = socket.write_all(b"0\r\n\r\n").await;
                }
            });
        }
    });
    address
}

#[derive(serde::Deserialize)]
#[allow(dead_code)] // The fields are decoded for their memory, not read.
struct Ticket {
    id: u64,
    subject: String,
    status: u8,
    priority: u8,
    tags: Vec<String>,
}

#[tokio::test]
async fn a_50_mb_page_is_read_into_one_buffer() {
    let body: &'static [u8] = Vec::leak(page(50_000_000));
    let mib = |bytes: usize| bytes as f64 / f64::from(1 << 20);
    for content_length in [true, false] {
        let client = ClientBuilder::new("https://{domain}.example.com")
            .base_url(serve(body, content_length).await)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let base = reset_peak();
        let raw = client
            .execute(Request::new(Method::GET, "/tickets"))
            .await
            .unwrap();
        let read_peak = PEAK.load(Ordering::Relaxed) - base;
        assert_eq!(raw.body().len(), body.len());
        let tickets: Vec<Ticket> = raw.decode_enveloped("tickets").unwrap();
        let decode_peak = PEAK.load(Ordering::Relaxed) - base;
        println!(
            "{:.1} MiB page ({} tickets, {}): read peak {:.1} MiB ({:.2}x), read and decode peak {:.1} MiB ({:.2}x)",
            mib(body.len()),
            tickets.len(),
            if content_length { "Content-Length" } else { "chunked" },
            mib(read_peak),
            read_peak as f64 / body.len() as f64,
            mib(decode_peak),
            decode_peak as f64 / body.len() as f64,
        );
        // With a known length the body is read straight into a buffer of that size; without
        // one the buffer doubles as it fills (old and new block live while it moves).
        let bound = if content_length { 1.1 } else { 3.1 };
        assert!(
            (read_peak as f64) < bound * body.len() as f64,
            "read peak {read_peak} bytes for a body of {}",
            body.len()
        );
    }
}
