//! The `tracing` spans of a call record method, path template, status and attempt, and
//! never a credential. One test in its own process, so its global subscriber sees every
//! callsite.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use openapi_client_runtime::{ClientBuilder, Method, Request, RequestOptions, RetryPolicy};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "top-secret-key";
/// `base64("top-secret-key:X")`, as sent in the Authorization header.
const API_KEY_BASE64: &str = "dG9wLXNlY3JldC1rZXk6WA==";

/// Every span and event field recorded, as `span.field=value` or `event.field=value`.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    spans: Arc<Mutex<HashMap<u64, &'static str>>>,
    next_id: Arc<AtomicU64>,
}

impl Capture {
    fn push(&self, prefix: &str, fields: impl FnOnce(&mut dyn Visit)) {
        let mut lines = self.lines.lock().unwrap();
        fields(&mut Fields {
            prefix,
            lines: &mut lines,
        });
    }
}

struct Fields<'a> {
    prefix: &'a str,
    lines: &'a mut Vec<String>,
}

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.lines
            .push(format!("{}.{}={value:?}", self.prefix, field.name()));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.lines
            .push(format!("{}.{}={value}", self.prefix, field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let name = span.metadata().name();
        self.spans.lock().unwrap().insert(id, name);
        self.push(name, |visit| span.record(visit));
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let name = self.spans.lock().unwrap()[&span.into_u64()];
        self.push(name, |visit| values.record(visit));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.push("event", |visit| event.record(visit));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test(start_paused = true)]
async fn spans_record_method_path_status_and_attempt_but_no_secret() {
    let capture = Capture::default();
    tracing::subscriber::set_global_default(capture.clone()).unwrap();

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = ClientBuilder::new("https://{domain}.freshservice.com/api/v2")
        .base_url(server.uri())
        .api_key(API_KEY)
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(2)
                .base_delay(Duration::from_secs(1))
                .jitter(0.0),
        )
        .build()
        .unwrap();
    let request = Request::new(Method::GET, "/tickets/{id}")
        .path_param("id", &5)
        .query("email", "someone@example.com")
        .options(RequestOptions::new().header("X-Api-Token", "other-secret"));
    client.execute(request).await.unwrap();

    let lines = capture.lines.lock().unwrap().clone();
    for expected in [
        "request.method=GET",
        "request.path=/tickets/{id}",
        "request.attempts=2",
        "request.status=200",
        "attempt.attempt=1",
        "attempt.status=503",
        "attempt.attempt=2",
        "attempt.status=200",
        "event.message=retrying",
        "event.wait_ms=1000",
        "event.error=GET /tickets/5 → 503 Service Unavailable",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected} missing from {lines:#?}"
        );
    }
    let all = lines.join("\n");
    for secret in [
        API_KEY,
        API_KEY_BASE64,
        "other-secret",
        "someone@example.com",
    ] {
        assert!(!all.contains(secret), "{secret} recorded in {all}");
    }
}
