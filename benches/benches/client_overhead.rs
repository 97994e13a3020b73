//! The generated client against the same requests written by hand with reqwest and
//! serde_json, on a loopback server: a GET of a 100-ticket page and a POST of a ticket, and
//! decoding the page alone.
//!
//! Criterion reports each one; then a paired run (the two clients alternating in batches, so
//! that load from other processes hits both alike) prints the ratio generated / hand-written
//! of the wall time and of the client thread's CPU time per request.
//!
//! `cargo bench -p benches --bench client_overhead` (criterion's usual options apply, e.g.
//! `-- --sample-size 20`).

use std::cell::Cell;
use std::future::Future;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use benches::{
    created_body, generated_client, median, new_ticket, openapi_client_runtime, page_body,
    thread_cpu_time, Bodies, BoxError, Handwritten, Server, TicketsPage,
};
use criterion::Criterion;
use freshservice::types::Ticket;
use openapi_client_runtime::{Method, Request};
use tokio::runtime::Runtime;

/// Rounds of the paired comparison, and requests per client per round.
const ROUNDS: usize = 15;
const BATCH: usize = 100;

struct Setup {
    _server: Server,
    runtime: Runtime,
    generated: freshservice::Client,
    handwritten: Handwritten,
    /// Requests that failed during the timed loops (they must not).
    failures: Cell<u64>,
}

impl Setup {
    fn new() -> Result<Setup, BoxError> {
        let server = Server::start(Bodies {
            page: page_body(100),
            last_page: 1,
            created: created_body(),
        })?;
        let setup = Setup {
            generated: generated_client(&server.base_url())?,
            handwritten: Handwritten::new(&server.base_url())?,
            runtime: openapi_client_runtime()?,
            _server: server,
            failures: Cell::new(0),
        };
        // Both clients must work, and agree, before anything is timed.
        let (a, b) = setup.runtime.block_on(async {
            let a = setup
                .generated
                .tickets()
                .list()
                .per_page(100)
                .send()
                .await?;
            let b = setup.handwritten.list_tickets(100).await?;
            Ok::<_, BoxError>((a, b))
        })?;
        if a.len() != 100 || a != b {
            return Err("the two clients decoded different pages".into());
        }
        Ok(setup)
    }

    async fn get_generated(&self) -> bool {
        let result = self.generated.tickets().list().per_page(100).send().await;
        self.record(result.map(|tickets| tickets.len() == 100))
    }

    async fn get_handwritten(&self) -> bool {
        let result = self.handwritten.list_tickets(100).await;
        self.record(result.map(|tickets| tickets.len() == 100))
    }

    async fn post_generated(&self) -> bool {
        let result = self.generated.tickets().create(new_ticket()).send().await;
        self.record(result.map(|ticket| ticket.id > 0))
    }

    async fn post_handwritten(&self) -> bool {
        let result = self.handwritten.create_ticket(&new_ticket()).await;
        self.record(result.map(|ticket| ticket.id > 0))
    }

    fn record<E>(&self, result: Result<bool, E>) -> bool {
        let ok = matches!(result, Ok(true));
        if !ok {
            self.failures.set(self.failures.get() + 1);
        }
        ok
    }
}

fn criterion_runs(c: &mut Criterion, setup: &Setup) -> Result<(), BoxError> {
    let rt = &setup.runtime;
    let mut group = c.benchmark_group("get_page_of_100_tickets");
    group.bench_function("generated", |b| {
        b.iter(|| rt.block_on(setup.get_generated()))
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| rt.block_on(setup.get_handwritten()))
    });
    group.finish();

    let mut group = c.benchmark_group("post_ticket");
    group.bench_function("generated", |b| {
        b.iter(|| rt.block_on(setup.post_generated()))
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| rt.block_on(setup.post_handwritten()))
    });
    group.finish();

    // Decoding alone: the runtime's envelope decoding against serde_json into the same types.
    let raw = rt.block_on(
        setup
            .generated
            .runtime()
            .execute(Request::new(Method::GET, "/tickets").query("per_page", &100)),
    )?;
    let mut group = c.benchmark_group("decode_page_of_100_tickets");
    group.bench_function("generated_envelope", |b| {
        b.iter_batched(
            || raw.clone(),
            |raw| black_box(raw.json_enveloped::<Vec<Ticket>>("tickets").is_ok()),
            criterion::BatchSize::SmallInput,
        )
    });
    group.bench_function("serde_json", |b| {
        b.iter(|| black_box(serde_json::from_slice::<TicketsPage>(raw.body()).is_ok()))
    });
    group.finish();
    Ok(())
}

/// Per-request wall and client-thread CPU time of one batch.
#[derive(Clone, Copy)]
struct BatchTime {
    wall: Duration,
    cpu: Option<Duration>,
}

fn batch<F: Future<Output = bool>>(rt: &Runtime, mut request: impl FnMut() -> F) -> BatchTime {
    let cpu_start = thread_cpu_time();
    let start = Instant::now();
    rt.block_on(async {
        for _ in 0..BATCH {
            black_box(request().await);
        }
    });
    let wall = start.elapsed() / BATCH as u32;
    let cpu = thread_cpu_time()
        .zip(cpu_start)
        .map(|(end, start)| end.saturating_sub(start) / BATCH as u32);
    BatchTime { wall, cpu }
}

/// Alternates the two clients (which one goes first alternates too) and prints the median
/// per-request times and the median of the per-round ratios.
fn paired<FA, FB>(
    label: &str,
    rt: &Runtime,
    mut generated: impl FnMut() -> FA,
    mut handwritten: impl FnMut() -> FB,
) where
    FA: Future<Output = bool>,
    FB: Future<Output = bool>,
{
    let mut a = Vec::with_capacity(ROUNDS);
    let mut b = Vec::with_capacity(ROUNDS);
    // One untimed round to warm both connection pools.
    batch(rt, &mut generated);
    batch(rt, &mut handwritten);
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            a.push(batch(rt, &mut generated));
            b.push(batch(rt, &mut handwritten));
        } else {
            b.push(batch(rt, &mut handwritten));
            a.push(batch(rt, &mut generated));
        }
    }
    let ratio = |x: Duration, y: Duration| x.as_secs_f64() / y.as_secs_f64().max(f64::MIN_POSITIVE);
    let wall_ratios: Vec<f64> = a
        .iter()
        .zip(&b)
        .map(|(x, y)| ratio(x.wall, y.wall))
        .collect();
    let us = |d: Option<Duration>| {
        d.map_or("?".to_owned(), |d| {
            format!("{:.1} µs", d.as_secs_f64() * 1e6)
        })
    };
    let wall_a = median(&a.iter().map(|t| t.wall).collect::<Vec<_>>());
    let wall_b = median(&b.iter().map(|t| t.wall).collect::<Vec<_>>());
    println!(
        "{label}: wall per request generated {} / hand-written {}; ratio {:.3}× (median of {ROUNDS} rounds of {BATCH})",
        us(wall_a),
        us(wall_b),
        median(&wall_ratios).unwrap_or(f64::NAN),
    );
    let cpu_a: Option<Vec<Duration>> = a.iter().map(|t| t.cpu).collect();
    let cpu_b: Option<Vec<Duration>> = b.iter().map(|t| t.cpu).collect();
    if let (Some(cpu_a), Some(cpu_b)) = (cpu_a, cpu_b) {
        let cpu_ratios: Vec<f64> = cpu_a
            .iter()
            .zip(&cpu_b)
            .map(|(x, y)| ratio(*x, *y))
            .collect();
        println!(
            "{label}: client-thread CPU per request generated {} / hand-written {}; ratio {:.3}×",
            us(median(&cpu_a)),
            us(median(&cpu_b)),
            median(&cpu_ratios).unwrap_or(f64::NAN),
        );
    }
}

fn main() -> ExitCode {
    let setup = match Setup::new() {
        Ok(setup) => setup,
        Err(error) => {
            eprintln!("client_overhead: setup failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    if let Err(error) = criterion_runs(&mut criterion, &setup) {
        eprintln!("client_overhead: {error}");
        return ExitCode::FAILURE;
    }
    criterion.final_summary();

    println!("\npaired comparison (target: generated ≤ 1.05× hand-written)");
    let rt = &setup.runtime;
    paired(
        "GET 100 tickets",
        rt,
        || setup.get_generated(),
        || setup.get_handwritten(),
    );
    paired(
        "POST ticket",
        rt,
        || setup.post_generated(),
        || setup.post_handwritten(),
    );
    let failures = setup.failures.get();
    if failures > 0 {
        eprintln!("client_overhead: {failures} requests failed; the figures above are not valid");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
