//! Heap allocations on the client thread: decoding a 100-ticket page through the generated
//! client's envelope decoding versus plain serde_json into the same types, and whole requests
//! through the generated client versus the same requests written by hand. Then the peak live
//! heap while streaming 10,000 tickets (100 pages) through the generated client's `items()`,
//! against fetching one page.
//!
//! Counts come from a counting global allocator and are exact (they do not depend on the
//! machine's load), so one run of each is enough.
//!
//! `cargo bench -p benches --bench decode_allocations`

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use benches::{
    created_body, generated_client, new_ticket, openapi_client_runtime, page_body, Bodies,
    BoxError, Handwritten, Server, TicketEnvelope, TicketsPage,
};
use freshservice::types::Ticket;
use openapi_client_runtime::{Method, Request, StreamExt};

/// Counts the allocations (and reallocations) made by each thread, and their bytes; and
/// the live heap of the whole process, with its peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrink(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn count(bytes: usize) {
    // `try_with` fails only while the thread is being torn down; those are not counted.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    let _ = BYTES.try_with(|n| n.set(n.get() + bytes as u64));
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        grow(layout.size());
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        grow(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        grow(new_size);
        shrink(layout.size());
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations and bytes made on this thread while `f` runs.
fn measure<T>(f: impl FnOnce() -> T) -> (u64, u64) {
    let (a0, b0) = (ALLOCATIONS.with(Cell::get), BYTES.with(Cell::get));
    black_box(f());
    (ALLOCATIONS.with(Cell::get) - a0, BYTES.with(Cell::get) - b0)
}

/// Pages of 100 tickets streamed in the pagination measurement.
const PAGES: u32 = 100;

/// The peak live heap of the process above its level at the start, while `f` runs.
fn peak_above_start<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let value = f();
    (value, PEAK.load(Ordering::Relaxed).saturating_sub(start))
}

/// Streams every ticket of every page, keeping none; the number of tickets seen.
async fn stream_all(client: &freshservice::Client) -> Result<u64, BoxError> {
    let mut items = client.tickets().list().per_page(100).items();
    let mut seen = 0;
    while let Some(item) = items.next().await {
        black_box(item?);
        seen += 1;
    }
    Ok(seen)
}

fn pagination(
    runtime: &tokio::runtime::Runtime,
    client: &freshservice::Client,
) -> Result<(), BoxError> {
    let (page, one_page) = peak_above_start(|| {
        let page = runtime.block_on(client.tickets().list().per_page(100).send());
        page.map_err(BoxError::from)
    });
    if page?.len() != 100 {
        return Err("the server sent a short page".into());
    }
    let (seen, streaming) = peak_above_start(|| runtime.block_on(stream_all(client)));
    let seen = seen?;
    if seen != u64::from(PAGES) * 100 {
        return Err(format!("streamed {seen} tickets, not {}", PAGES * 100).into());
    }
    let kib = |bytes: usize| bytes as f64 / 1024.0;
    println!("\npagination (peak live heap of the process above its level before)");
    let streamed = format!("streaming {seen} tickets ({PAGES} pages), items()");
    println!(
        "  {:<50} {:>8.1} KiB",
        "fetching one page of 100 tickets",
        kib(one_page)
    );
    println!("  {streamed:<50} {:>8.1} KiB", kib(streaming));
    let ratio = streaming as f64 / one_page.max(1) as f64;
    // One page decoded while the last items of the previous one are still buffered is the
    // most a one-page-at-a-time stream can hold.
    if ratio <= 2.0 {
        println!("  target (memory bounded by one page): met ({ratio:.2}× one page)");
    } else {
        println!("  target (memory bounded by one page): NOT met ({ratio:.2}× one page)");
    }
    Ok(())
}

/// The median count over a few runs of a whole request (buffer reuse varies a little).
fn typical(f: impl Fn() -> bool) -> (u64, u64) {
    let mut runs: Vec<(u64, u64)> = (0..5).map(|_| measure(&f)).collect();
    runs.sort_unstable();
    runs[runs.len() / 2]
}

fn line(label: &str, (allocations, bytes): (u64, u64)) {
    println!("  {label:<52} {allocations:>7} allocations {bytes:>10} bytes");
}

fn verdict(generated: (u64, u64), baseline: (u64, u64)) {
    let ratio = generated.0 as f64 / baseline.0.max(1) as f64;
    if generated.0 <= baseline.0 {
        println!("  target (no more allocations than serde_json): met ({ratio:.2}×)");
    } else {
        println!(
            "  target (no more allocations than serde_json): NOT met ({ratio:.2}×, {} more)",
            generated.0 - baseline.0
        );
    }
}

fn run() -> Result<(), BoxError> {
    let server = Server::start(Bodies {
        page: page_body(100),
        last_page: PAGES,
        created: created_body(),
    })?;
    let runtime = openapi_client_runtime()?;
    let generated = generated_client(&server.base_url())?;
    let handwritten = Handwritten::new(&server.base_url())?;
    let request = || Request::new(Method::GET, "/tickets").query("per_page", &100);
    let raw = runtime.block_on(generated.runtime().execute(request()))?;
    println!(
        "decoding a page of 100 tickets ({} bytes of JSON)",
        raw.body().len()
    );

    // Check once that both decode the same tickets, then count fresh runs.
    let a = raw
        .clone()
        .json_enveloped::<Vec<Ticket>>("tickets")?
        .into_inner();
    let b = serde_json::from_slice::<TicketsPage>(raw.body())?.tickets;
    if a.len() != 100 || a != b {
        return Err("the two decoders disagree".into());
    }
    let copy = raw.clone();
    let envelope = measure(|| copy.json_enveloped::<Vec<Ticket>>("tickets").is_ok());
    let plain = measure(|| serde_json::from_slice::<TicketsPage>(raw.body()).is_ok());
    let array =
        serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(raw.body())?["tickets"])?;
    let bare = measure(|| serde_json::from_slice::<Vec<Ticket>>(&array).is_ok());
    line("generated: RawResponse::json_enveloped", envelope);
    line("serde_json::from_slice::<TicketsPage>", plain);
    line("serde_json::from_slice::<Vec<Ticket>> (array only)", bare);
    let tracked = measure(|| {
        let mut json = serde_json::Deserializer::from_slice(raw.body());
        serde_path_to_error::deserialize::<_, TicketsPage>(&mut json).is_ok()
    });
    line("serde_path_to_error over serde_json, TicketsPage", tracked);
    verdict(envelope, plain);

    let created = Request::new(Method::POST, "/tickets").json(&new_ticket());
    let raw = runtime.block_on(generated.runtime().execute(created))?;
    println!(
        "\ndecoding one created ticket ({} bytes of JSON)",
        raw.body().len()
    );
    let copy = raw.clone();
    let envelope = measure(|| copy.json_enveloped::<Ticket>("ticket").is_ok());
    let plain = measure(|| serde_json::from_slice::<TicketEnvelope>(raw.body()).is_ok());
    line("generated: RawResponse::json_enveloped", envelope);
    line("serde_json::from_slice::<TicketEnvelope>", plain);
    verdict(envelope, plain);

    // Whole requests, client thread only (the server runs on its own thread). The first call
    // of each has opened its connection already.
    let get_generated = || {
        runtime.block_on(async {
            matches!(generated.tickets().list().per_page(100).send().await, Ok(t) if t.len() == 100)
        })
    };
    let get_handwritten = || {
        runtime.block_on(async {
            matches!(handwritten.list_tickets(100).await, Ok(t) if t.len() == 100)
        })
    };
    let post_generated = || {
        runtime.block_on(async {
            generated
                .tickets()
                .create(new_ticket())
                .send()
                .await
                .is_ok()
        })
    };
    let post_handwritten =
        || runtime.block_on(async { handwritten.create_ticket(&new_ticket()).await.is_ok() });
    for warm in [
        get_generated(),
        get_handwritten(),
        post_generated(),
        post_handwritten(),
    ] {
        if !warm {
            return Err("a warm-up request failed".into());
        }
    }
    println!("\nwhole requests (client thread: build, send, receive, decode)");
    line("GET 100 tickets, generated", typical(get_generated));
    line("GET 100 tickets, hand-written", typical(get_handwritten));
    line("POST ticket, generated", typical(post_generated));
    line("POST ticket, hand-written", typical(post_handwritten));

    pagination(&runtime, &generated)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("decode_allocations: {error}");
            ExitCode::FAILURE
        }
    }
}
