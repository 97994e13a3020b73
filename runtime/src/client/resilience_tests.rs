//! Retries, timeouts, per-request options and rate-limit budgeting, against a
//! wiremock server on loopback. Nothing sleeps for real: waits go to a [`ManualClock`]
//! that records them, or run on tokio's paused clock.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use http::Method;
use serde_json::json;
use tokio::time::Instant;
use wiremock::matchers::{any, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::clock::Clock;
use crate::{
    Client, ClientBuilder, Error, RateLimiter, Request, RequestOptions, RetryPolicy, TimeoutKind,
};

const TEMPLATE: &str = "https://{domain}.freshservice.com/api/v2";
const API_KEY: &str = "top-secret-key";

/// A clock whose `sleep` returns at once, moving its time forward and recording the wait.
struct ManualClock {
    start: Instant,
    state: Mutex<(Duration, Vec<Duration>)>,
}

impl ManualClock {
    fn new() -> Arc<Self> {
        Arc::new(ManualClock {
            start: Instant::now(),
            state: Mutex::new((Duration::ZERO, Vec::new())),
        })
    }

    fn sleeps(&self) -> Vec<Duration> {
        self.state.lock().unwrap().1.clone()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + self.state.lock().unwrap().0
    }

    fn sleep(&self, wait: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        let mut state = self.state.lock().unwrap();
        state.0 += wait;
        state.1.push(wait);
        Box::pin(std::future::ready(()))
    }
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Waits of 1 s, 2 s, 4 s, ... without jitter.
fn policy(attempts: u32) -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(attempts)
        .base_delay(secs(1))
        .jitter(0.0)
}

fn builder(base_url: String) -> ClientBuilder {
    ClientBuilder::new(TEMPLATE)
        .base_url(base_url)
        .api_key(API_KEY)
}

/// A client of `server` retrying by `policy`, with a manual clock.
fn client(server: &MockServer, policy: RetryPolicy) -> (Client, Arc<ManualClock>) {
    let clock = ManualClock::new();
    let client = builder(server.uri())
        .retry_policy(policy)
        .build()
        .unwrap()
        .with_clock(clock.clone());
    (client, clock)
}

/// Answers the first `times` requests with `first`, every later one with `then`.
async fn answer(server: &MockServer, first: ResponseTemplate, times: u64, then: ResponseTemplate) {
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .mount(server)
        .await;
    Mock::given(any()).respond_with(then).mount(server).await;
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": true}))
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
}

/// An address where a connection is refused.
fn closed_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

/// A listener that accepts connections (the kernel does) but never answers.
fn silent_listener() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    (listener, address)
}

#[tokio::test]
async fn get_is_retried_on_5xx_with_exponential_backoff() {
    let server = MockServer::start().await;
    answer(&server, status(503), 3, ok()).await;
    let (client, clock) = client(&server, policy(5));
    let response = client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(request_count(&server).await, 4);
    assert_eq!(clock.sleeps(), [secs(1), secs(2), secs(4)]);
}

#[tokio::test]
async fn jitter_shortens_waits_within_its_fraction() {
    let server = MockServer::start().await;
    answer(&server, status(502), 2, ok()).await;
    let (client, clock) = client(&server, policy(3).jitter(0.5));
    client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap();
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 2);
    assert!(
        (Duration::from_millis(500)..=secs(1)).contains(&sleeps[0]),
        "{sleeps:?}"
    );
    assert!((secs(1)..=secs(2)).contains(&sleeps[1]), "{sleeps:?}");
}

#[tokio::test]
async fn the_last_error_is_returned_when_attempts_run_out() {
    let server = MockServer::start().await;
    answer(&server, status(500), 1, status(504)).await;
    let (client, clock) = client(&server, policy(3));
    let err = client
        .execute(Request::new(Method::DELETE, "/tickets/{id}").path_param("id", &1))
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "DELETE /tickets/1 → 504 Gateway Timeout");
    assert_eq!(request_count(&server).await, 3);
    assert_eq!(clock.sleeps(), [secs(1), secs(2)]);
}

#[tokio::test]
async fn post_is_never_retried_after_a_5xx_or_408() {
    for code in [500, 503, 408] {
        let server = MockServer::start().await;
        answer(&server, status(code), 2, ok()).await;
        let (client, clock) = client(&server, policy(5));
        for method in [Method::POST, Method::PATCH] {
            let err = client
                .execute(Request::new(method, "/tickets").json(&json!({"subject": "x"})))
                .await
                .unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(code), "{err}");
        }
        assert_eq!(request_count(&server).await, 2, "one POST and one PATCH");
        assert!(clock.sleeps().is_empty());
    }
}

#[tokio::test]
async fn post_is_retried_after_a_5xx_when_the_caller_opts_in() {
    let server = MockServer::start().await;
    answer(&server, status(500), 1, status(201)).await;
    let (client, clock) = client(&server, policy(3));
    let request = Request::new(Method::POST, "/tickets")
        .json(&json!({"subject": "x"}))
        .options(RequestOptions::new().retry_non_idempotent(true));
    let response = client.execute(request).await.unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(request_count(&server).await, 2);
    assert_eq!(clock.sleeps(), [secs(1)]);
}

#[tokio::test]
async fn statuses_a_retry_cannot_fix_are_not_retried() {
    for code in [400, 401, 404, 501, 505] {
        let server = MockServer::start().await;
        answer(&server, status(code), 1, ok()).await;
        let (client, clock) = client(&server, policy(5));
        let err = client
            .execute(Request::new(Method::GET, "/tickets"))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(code));
        assert_eq!(request_count(&server).await, 1, "{code}");
        assert!(clock.sleeps().is_empty());
    }
}

#[tokio::test]
async fn a_post_answered_429_is_retried_after_retry_after_seconds() {
    let server = MockServer::start().await;
    answer(
        &server,
        status(429).insert_header("Retry-After", "7"),
        1,
        status(201),
    )
    .await;
    let (client, clock) = client(&server, policy(3));
    let response = client
        .execute(Request::new(Method::POST, "/tickets").json(&json!({})))
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(request_count(&server).await, 2);
    assert_eq!(clock.sleeps(), [secs(7)]);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + secs(5));
    answer(
        &server,
        status(429).insert_header("Retry-After", date.as_str()),
        1,
        ok(),
    )
    .await;
    let (client, clock) = client(&server, policy(2));
    client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap();
    let sleeps = clock.sleeps();
    // The date has whole seconds: the wait is a little over 4 s up to 5 s.
    assert!(
        sleeps.len() == 1 && (secs(3)..=secs(5)).contains(&sleeps[0]),
        "{sleeps:?}"
    );
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off() {
    let server = MockServer::start().await;
    answer(&server, status(429), 2, ok()).await;
    let (client, clock) = client(&server, policy(3));
    client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), [secs(1), secs(2)]);
}

#[tokio::test]
async fn a_retry_after_over_the_maximum_returns_rate_limited_at_once() {
    let server = MockServer::start().await;
    answer(
        &server,
        status(429)
            .insert_header("Retry-After", "120")
            .insert_header("X-Ratelimit-Remaining", "0"),
        1,
        ok(),
    )
    .await;
    let (client, clock) = client(&server, policy(5).max_retry_after(secs(60)));
    let err = client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap_err();
    match &err {
        Error::RateLimited {
            retry_after,
            rate_limit,
            ..
        } => {
            assert_eq!(*retry_after, Some(secs(120)));
            assert_eq!(rate_limit.remaining, Some(0));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "GET /tickets → 429 Too Many Requests: retry after 120s"
    );
    assert_eq!(request_count(&server).await, 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_retry_after_too_large_for_a_duration_returns_rate_limited_at_once() {
    let server = MockServer::start().await;
    answer(
        &server,
        status(429).insert_header("Retry-After", "99999999999999999999"),
        1,
        ok(),
    )
    .await;
    let (client, clock) = client(&server, policy(5));
    let err = client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap_err();
    match &err {
        Error::RateLimited { retry_after, .. } => assert_eq!(*retry_after, Some(Duration::MAX)),
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(request_count(&server).await, 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_503_retry_after_is_honoured_for_idempotent_requests() {
    let server = MockServer::start().await;
    answer(
        &server,
        status(503).insert_header("Retry-After", "4"),
        1,
        ok(),
    )
    .await;
    let (client, clock) = client(&server, policy(2));
    client
        .execute(Request::new(Method::PUT, "/tickets/{id}").path_param("id", &3))
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), [secs(4)]);
}

#[tokio::test]
async fn refused_connections_are_retried_even_for_post() {
    let clock = ManualClock::new();
    let client = builder(closed_address())
        .retry_policy(policy(3))
        .build()
        .unwrap()
        .with_clock(clock.clone());
    let err = client
        .execute(Request::new(Method::POST, "/tickets").json(&json!({})))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(clock.sleeps(), [secs(1), secs(2)]);
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_post_is_not_retried() {
    let (_listener, address) = silent_listener();
    let client = builder(address)
        .retry_policy(policy(3))
        .timeout(secs(2))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client
        .execute(Request::new(Method::POST, "/tickets").json(&json!({})))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "POST /tickets → timed out");
    assert_eq!(start.elapsed(), secs(2));
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_get_is_retried() {
    let (_listener, address) = silent_listener();
    let client = builder(address)
        .retry_policy(policy(3))
        .timeout(secs(2))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // Three attempts of 2 s with waits of 1 s and 2 s between them.
    assert_eq!(start.elapsed(), secs(9));
}

#[tokio::test(start_paused = true)]
async fn the_operation_timeout_bounds_attempts_and_waits_together() {
    let (_listener, address) = silent_listener();
    let client = builder(address)
        .retry_policy(policy(10))
        .timeout(secs(2))
        .operation_timeout(secs(5))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Operation,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "GET /tickets → timed out (operation time limit reached)"
    );
    // 2 s, a wait of 1 s, then the 2 s left of the operation.
    assert_eq!(start.elapsed(), secs(5));
}

#[tokio::test]
async fn a_retry_wait_past_the_operation_deadline_returns_the_last_error_at_once() {
    let server = MockServer::start().await;
    answer(&server, status(503), 5, ok()).await;
    let (client, clock) = client(&server, policy(10));
    let request = Request::new(Method::GET, "/tickets")
        .options(RequestOptions::new().operation_timeout(Duration::from_millis(2500)));
    let err = client.execute(request).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    // After 1 s, the next wait (2 s) would end past 2.5 s.
    assert_eq!(clock.sleeps(), [secs(1)]);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn request_options_override_the_client_policy() {
    let server = MockServer::start().await;
    answer(&server, status(503), 1, ok()).await;
    let (lenient, clock) = client(&server, RetryPolicy::none());
    let request =
        Request::new(Method::GET, "/a").options(RequestOptions::new().retry_policy(policy(2)));
    lenient.execute(request).await.unwrap();
    assert_eq!(clock.sleeps(), [secs(1)]);

    let server = MockServer::start().await;
    answer(&server, status(503), 1, ok()).await;
    let (strict, clock) = client(&server, policy(5));
    let request = Request::new(Method::GET, "/a").options(RequestOptions::new().no_retries());
    assert!(strict.execute(request).await.is_err());
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn extra_headers_are_sent_and_replace_the_defaults() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer per-request"))
        .and(header("x-correlation-id", "job-42"))
        .and(header("x-from-operation", "2"))
        .respond_with(ok())
        .expect(1)
        .mount(&server)
        .await;
    let (client, _) = client(&server, RetryPolicy::none());
    let options = RequestOptions::new()
        .header("Authorization", "Bearer per-request")
        .header("X-Correlation-Id", "job-42")
        .header("x-from-operation", &2);
    let request = Request::new(Method::GET, "/a")
        .header("x-from-operation", "1")
        .options(options);
    client.execute(request).await.unwrap();
    let sent = &server.received_requests().await.unwrap()[0];
    assert_eq!(sent.headers.get_all("authorization").iter().count(), 1);
    assert_eq!(sent.headers.get_all("x-from-operation").iter().count(), 1);
}

#[tokio::test]
async fn an_invalid_extra_header_is_reported_before_sending() {
    let server = MockServer::start().await;
    let (client, _) = client(&server, policy(3));
    let request =
        Request::new(Method::GET, "/a").options(RequestOptions::new().header("x-a", "line\nbreak"));
    let err = client.execute(request).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request: GET /a: extra header `x-a` has an invalid value"
    );
    assert_eq!(request_count(&server).await, 0);
}

/// Answers with `X-Ratelimit-Total: 60` and `X-Ratelimit-Remaining: 3`.
async fn low_budget_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ok().insert_header("X-Ratelimit-Total", "60")
                .insert_header("X-Ratelimit-Remaining", "3"),
        )
        .mount(&server)
        .await;
    server
}

/// Sends `count` GETs one after the other, alternating between `client` and a clone,
/// and returns how long that took.
async fn burst(client: &Client, count: usize) -> Duration {
    let clone = client.clone();
    let start = Instant::now();
    for i in 0..count {
        let sender = if i % 2 == 0 { client } else { &clone };
        sender
            .execute(Request::new(Method::GET, "/tickets"))
            .await
            .unwrap();
    }
    start.elapsed()
}

#[tokio::test(start_paused = true)]
async fn the_rate_limiter_slows_a_burst_once_the_budget_runs_low() {
    // Without idle-connection timers or default timeouts, tokio's paused clock moves only
    // for the limiter.
    let http = || {
        reqwest::Client::builder()
            .pool_idle_timeout(None)
            .build()
            .unwrap()
    };
    let server = low_budget_server().await;
    let unlimited = builder(server.uri())
        .http_client(http())
        .without_default_timeouts()
        .build()
        .unwrap();
    assert_eq!(burst(&unlimited, 5).await, Duration::ZERO);

    // 60 a minute with a reserve of 6: the first call goes at once; the server then
    // reports 3 left, so each further call waits until the budget is back above the
    // reserve, 4 s at one call per second. Clones share the budget.
    let limited = builder(server.uri())
        .http_client(http())
        .without_default_timeouts()
        .rate_limiter(RateLimiter::per_minute(60))
        .build()
        .unwrap();
    assert_eq!(burst(&limited, 5).await, secs(16));
}

#[tokio::test]
async fn a_limiter_wait_past_the_operation_deadline_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok()).mount(&server).await;
    let clock = ManualClock::new();
    let client = builder(server.uri())
        .rate_limiter(RateLimiter::per_minute(1).reserve(0))
        .build()
        .unwrap()
        .with_clock(clock.clone());
    client
        .execute(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    let request =
        Request::new(Method::GET, "/a").options(RequestOptions::new().operation_timeout(secs(5)));
    let err = client.execute(request).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                kind: TimeoutKind::Operation,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(request_count(&server).await, 1);
    // Without a deadline the call waits for the budget (a minute for one call).
    client
        .execute(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), [secs(60)]);
}

#[test]
fn invalid_rate_limiters_are_config_errors() {
    let err = ClientBuilder::new(TEMPLATE)
        .domain("acme")
        .rate_limiter(RateLimiter::per_minute(0))
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid client configuration: the rate limiter's per-minute limit must be at least 1"
    );
}

/// A loopback server that answers every connection by reading the request head, then
/// writing each of `parts` after its pause, then keeping the connection open without a word.
async fn scripted_server(parts: Vec<(Duration, &'static [u8])>) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let parts = parts.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                for (pause, bytes) in parts {
                    tokio::time::sleep(pause).await;
                    if socket.write_all(bytes).await.is_err() {
                        return;
                    }
                }
                tokio::time::sleep(secs(3600)).await;
            });
        }
    });
    address
}

fn is_attempt_timeout(err: &Error) -> bool {
    matches!(
        err,
        Error::Timeout {
            kind: TimeoutKind::Attempt,
            ..
        }
    )
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_fails_the_call_by_the_default_read_timeout() {
    let (_listener, address) = silent_listener();
    let client = builder(address)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let start = Instant::now();
    let call = client.execute(Request::new(Method::GET, "/tickets"));
    let err = tokio::time::timeout(secs(3600), call)
        .await
        .expect("the call ends by itself")
        .unwrap_err();
    assert!(is_attempt_timeout(&err), "{err:?}");
    assert_eq!(start.elapsed(), ClientBuilder::DEFAULT_READ_TIMEOUT);
}

#[tokio::test]
async fn a_silent_server_fails_the_call_within_a_short_read_timeout() {
    let (_listener, address) = silent_listener();
    let client = builder(address)
        .retry_policy(RetryPolicy::none())
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let start = std::time::Instant::now();
    let err = client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap_err();
    assert!(is_attempt_timeout(&err), "{err:?}");
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn a_body_that_stalls_midway_times_out() {
    let address = scripted_server(vec![(
        Duration::ZERO,
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 100\r\n\r\n{\"first\": \"ten\"",
    )])
    .await;
    let client = builder(address)
        .retry_policy(RetryPolicy::none())
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap_err();
    assert!(is_attempt_timeout(&err), "{err:?}");

    let mut body = client
        .execute_stream(Request::new(Method::GET, "/export"))
        .await
        .unwrap()
        .into_inner();
    let first = crate::StreamExt::next(&mut body).await.unwrap().unwrap();
    assert_eq!(&first[..], b"{\"first\": \"ten\"");
    let err = crate::StreamExt::next(&mut body)
        .await
        .unwrap()
        .unwrap_err();
    assert!(is_attempt_timeout(&err), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn the_default_attempt_timeout_spares_streamed_downloads() {
    // 30 bytes, 10 every 25 s: never stalled for the read timeout, but 75 s in all.
    let address = scripted_server(vec![
        (
            Duration::ZERO,
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 30\r\n\r\n",
        ),
        (secs(25), b"0123456789"),
        (secs(25), b"0123456789"),
        (secs(25), b"0123456789"),
    ])
    .await;
    let client = builder(address)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let start = Instant::now();
    let body = client
        .execute_stream(Request::new(Method::GET, "/export"))
        .await
        .unwrap()
        .into_inner()
        .collect_bytes()
        .await
        .unwrap();
    assert_eq!(body.len(), 30);
    assert_eq!(start.elapsed(), secs(75));

    let start = Instant::now();
    let err = client
        .execute(Request::new(Method::GET, "/export"))
        .await
        .unwrap_err();
    assert!(is_attempt_timeout(&err), "{err:?}");
    assert_eq!(start.elapsed(), ClientBuilder::DEFAULT_TIMEOUT);
}

#[tokio::test(start_paused = true)]
async fn default_timeouts_can_be_turned_off() {
    let address = scripted_server(vec![
        (
            Duration::ZERO,
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n",
        ),
        (secs(100), b"{}"),
    ])
    .await;
    let client = builder(address)
        .retry_policy(RetryPolicy::none())
        .without_default_timeouts()
        .build()
        .unwrap();
    let response = client
        .execute(Request::new(Method::GET, "/slow"))
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"{}");
}

/// A client of `address` reading bodies of at most 1000 bytes, sending every request once.
fn small_client(address: String) -> Client {
    builder(address)
        .retry_policy(RetryPolicy::none())
        .max_response_size(1000)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_body_over_the_maximum_size_is_refused() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/big"))
        .respond_with(status(200).set_body_bytes(vec![b'x'; 1001]))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/fits"))
        .respond_with(status(200).set_body_bytes(vec![b'x'; 1000]))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/failed"))
        .respond_with(status(500).set_body_bytes(vec![b'e'; 5000]))
        .mount(&server)
        .await;
    let client = small_client(server.uri());
    let err = client
        .execute(Request::new(Method::GET, "/big"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1000, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "GET /big → response body larger than the limit of 1000 bytes (ClientBuilder::max_response_size)"
    );
    let fits = client
        .execute(Request::new(Method::GET, "/fits"))
        .await
        .unwrap();
    assert_eq!(fits.body().len(), 1000);
    // An error body is cut, keeping the status.
    match client.execute(Request::new(Method::GET, "/failed")).await {
        Err(Error::Api(api)) => assert_eq!((api.status.as_u16(), api.raw.len()), (500, 1000)),
        other => panic!("expected an API error, got {other:?}"),
    }
    // Downloads stream whatever their size.
    let download = client
        .execute_stream(Request::new(Method::GET, "/big"))
        .await
        .unwrap()
        .into_inner()
        .collect_bytes()
        .await
        .unwrap();
    assert_eq!(download.len(), 1001);
}

#[tokio::test]
async fn a_chunked_body_without_content_length_is_counted_as_it_arrives() {
    // Three chunks of 600 bytes, then the body would go on forever (it never ends).
    let mut body = Vec::new();
    for _ in 0..3 {
        body.extend_from_slice(b"258\r\n");
        body.extend_from_slice(&[b'x'; 600]);
        body.extend_from_slice(b"\r\n");
    }
    let address = scripted_server(vec![
        (
            Duration::ZERO,
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n",
        ),
        (Duration::ZERO, Vec::leak(body)),
    ])
    .await;
    let client = small_client(address);
    let err = client
        .execute(Request::new(Method::GET, "/endless"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 1000, .. }),
        "{err:?}"
    );
}
