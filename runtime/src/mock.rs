//! Test doubles for code that uses a generated client (cargo feature `mock`).
//!
//! The design has three parts:
//!
//! - [`MockServer`]: a real HTTP server on loopback (a [`wiremock`] server underneath), whose
//!   [`client`](MockServer::client) is the generated client aimed at it, with a placeholder
//!   credential for every security scheme and retries turned off, so that what a mock answers
//!   is what the code under test sees.
//! - [`Mock`]: one expected request and its answer. A generated crate's `mock` module (its
//!   feature `test-util`) has a function per operation that returns one, typed by the
//!   operation: it matches the operation's method and path, with the path parameters given
//!   percent-encoded as the client sends them, and [`Mock::returns`] takes the very type the
//!   operation returns (wrapped in the response's envelope object, if it has one). Errors
//!   ([`Mock::fails`]), rate limits ([`Mock::rate_limited`]), query parameters to match
//!   ([`Mock::query`]) and call counts ([`Mock::expect`]) work the same for every operation.
//! - [`Mounted`]: what [`MockServer::mount`] gives back, to look at what was sent: how many
//!   calls ([`Mounted::calls`]), the query parameters ([`Mounted::sent_query`]), and the
//!   JSON bodies decoded into the operation's typed request body ([`Mounted::sent_body`]).
//!
//!
//! For tests of a workflow rather than of one call, [`MockServer::fake`] serves a
//! [`FakeResource`]: a small stateful collection (create, get, list with `Link` paging,
//! update, delete) whose records the test can look at ([`Fake`]).
//!
//! Expectations set with [`Mock::expect`] are checked by [`MockServer::verify`], and again
//! when the server is dropped: an unmet one panics with the requests the server received.
//! A request no mock matches is answered `404` with an empty body.

use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::param::ParamValue;
use crate::request::encode;
use crate::Method;

mod fake;
mod filter_eval;

pub use fake::{Fake, FakeResource};
pub use wiremock::Request as ReceivedRequest;

/// A generated client that a [`MockServer`] can build, aimed at itself.
///
/// Generated crates implement it for their `Client` (feature `test-util`).
pub trait MockClient: Sized {
    /// A client sending every request to `base_url`, with a placeholder credential for every
    /// security scheme of the description and no retries.
    fn for_mock_server(base_url: &str) -> Self;
}

/// A loopback HTTP server answering with the [`Mock`]s mounted on it; `C` is the generated
/// client type [`client`](Self::client) returns.
///
/// Dropping it checks the expectations of its mocks, like [`verify`](Self::verify) (the
/// server lives on while a [`Mounted`] handle of it does, and is checked when the last goes).
pub struct MockServer<C> {
    inner: Arc<wiremock::MockServer>,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for MockServer<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.inner.uri())
            .finish()
    }
}

impl<C> MockServer<C> {
    /// Starts a server on a free loopback port (inside a tokio runtime).
    pub async fn start() -> Self {
        MockServer {
            inner: Arc::new(wiremock::MockServer::start().await),
            client: PhantomData,
        }
    }

    /// The server's base URL (`http://127.0.0.1:<port>`), for a client configured by hand
    /// (with retries, say): `Client::builder().base_url(server.uri())`.
    pub fn uri(&self) -> String {
        self.inner.uri()
    }

    /// Mounts `mock`: from now on, the requests it matches get its answer. The returned
    /// handle reads what those requests sent.
    pub async fn mount<T, B>(&self, mock: Mock<T, B>) -> Mounted<B> {
        let mut matching = wiremock::Mock::given(wiremock::matchers::method(mock.method.as_str()))
            .and(wiremock::matchers::path(mock.path.as_str()));
        for (name, value) in &mock.query {
            matching = matching.and(wiremock::matchers::query_param(
                name.as_str(),
                value.as_str(),
            ));
        }
        let mut answer = mock
            .answer
            .unwrap_or_else(|| wiremock::ResponseTemplate::new(mock.success));
        for (name, value) in &mock.headers {
            answer = answer.append_header(name.as_str(), value.as_str());
        }
        let mut mounted = matching
            .respond_with(answer)
            .named(format!("{} {}", mock.method, mock.template));
        if let Some(times) = mock.expected {
            mounted = mounted.expect(times);
        }
        mounted.mount(&self.inner).await;
        Mounted {
            server: Arc::clone(&self.inner),
            method: mock.method,
            path: mock.path,
            query: mock.query,
            body: PhantomData,
        }
    }

    /// Serves `resource` statefully from now on (see [`FakeResource`]); the returned [`Fake`]
    /// holds its records. Where a [`Mock`] matches too, the mock answers, whenever it was
    /// mounted (to inject an error into a workflow).
    pub async fn fake(&self, resource: FakeResource) -> Fake {
        let fake = Fake::new();
        let serve = fake::Serve {
            resource,
            fake: fake.clone(),
            base: self.inner.uri(),
        };
        wiremock::Mock::given(serve.clone())
            .respond_with(serve)
            .with_priority(u8::MAX)
            .named("fake")
            .mount(&self.inner)
            .await;
        fake
    }

    /// Panics, listing the requests received, unless every mock's [`Mock::expect`] is met.
    pub async fn verify(&self) {
        self.inner.verify().await;
    }

    /// Every request the server received, matched by a mock or not, in order.
    pub async fn received_requests(&self) -> Vec<ReceivedRequest> {
        self.inner.received_requests().await.unwrap_or_default()
    }
}

impl<C: MockClient> MockServer<C> {
    /// The generated client aimed at this server: placeholder credentials, no retries.
    pub fn client(&self) -> C {
        C::for_mock_server(&self.inner.uri())
    }
}

/// The marker for the request body of an operation that takes no JSON body: such a
/// [`Mounted`] has no [`sent_body`](Mounted::sent_body).
#[derive(Clone, Copy, Debug)]
pub struct NoJsonBody;

/// One expected request and its answer: `T` is what the operation returns, `B` its JSON
/// request body ([`NoJsonBody`] when it takes none).
///
/// Generated crates make them per operation (`mock::tickets::get(42)`); without an answer
/// set, the operation's success status is sent with an empty body.
#[must_use = "a mock does nothing until it is mounted with `MockServer::mount`"]
pub struct Mock<T, B> {
    method: Method,
    template: &'static str,
    path: String,
    query: Vec<(String, String)>,
    envelope: Option<&'static str>,
    success: u16,
    answer: Option<wiremock::ResponseTemplate>,
    headers: Vec<(String, String)>,
    expected: Option<u64>,
    types: PhantomData<fn(T) -> B>,
}

impl<T, B> std::fmt::Debug for Mock<T, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mock")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}

impl<T, B> Mock<T, B> {
    /// A mock of the operation `method template` (path relative to the server URL, as the
    /// description writes it), whose successful answer has the status `success`. Its
    /// `{placeholders}` are filled with [`path_param`](Self::path_param).
    pub fn new(method: Method, template: &'static str, success: u16) -> Self {
        Mock {
            method,
            template,
            path: template.to_owned(),
            query: Vec::new(),
            envelope: None,
            success,
            answer: None,
            headers: Vec::new(),
            expected: None,
            types: PhantomData,
        }
    }

    /// Fills the `{name}` placeholder, percent-encoded as one path segment like the client
    /// sends it (`a/b` becomes `a%2Fb`).
    pub fn path_param<V: ParamValue + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.path = self
            .path
            .replace(&format!("{{{name}}}"), &encode(&value.to_param()));
        self
    }

    /// Wraps what [`returns`](Self::returns) is given in the one-property object the
    /// operation's response is (`{"ticket": ...}`), as the API sends it.
    pub fn envelope(mut self, key: &'static str) -> Self {
        self.envelope = Some(key);
        self
    }

    /// Matches only requests whose query string has `name=value` (other parameters may be
    /// there too).
    pub fn query<V: ParamValue + ?Sized>(mut self, name: &str, value: &V) -> Self {
        self.query
            .push((name.to_owned(), value.to_param().into_owned()));
        self
    }

    /// Answers with the operation's success status and `value` as its JSON body (in the
    /// operation's envelope, if any); `()` sends no body. Panics if `value` cannot be
    /// written as JSON (a map with non-string keys).
    pub fn returns(self, value: T) -> Self
    where
        T: Serialize,
    {
        let json = serde_json::to_value(&value).expect("a mock's answer serialises as JSON");
        let json = match (self.envelope, json) {
            (_, serde_json::Value::Null) => None,
            (Some(key), json) => Some(serde_json::json!({ key: json })),
            (None, json) => Some(json),
        };
        let status = self.success;
        match json {
            Some(json) => self.returns_json(status, json),
            None => self.answer(wiremock::ResponseTemplate::new(status)),
        }
    }

    /// Answers with `status` and `body` as it is (no envelope added): for answers the
    /// operation's type cannot express.
    pub fn returns_json(self, status: u16, body: serde_json::Value) -> Self {
        self.answer(wiremock::ResponseTemplate::new(status).set_body_json(body))
    }

    /// Answers with an error `status` and `body` as JSON (the error schema of the API
    /// description, or any value), which the client reads into `Error::Api`.
    pub fn fails(self, status: u16, body: &impl Serialize) -> Self {
        self.answer(wiremock::ResponseTemplate::new(status).set_body_json(body))
    }

    /// Answers `429 Too Many Requests` with `Retry-After: <seconds>`, which the client reads
    /// into `Error::RateLimited` (or, with retries, waits for and sends again).
    pub fn rate_limited(self, retry_after_seconds: u64) -> Self {
        self.answer(
            wiremock::ResponseTemplate::new(429)
                .insert_header("retry-after", retry_after_seconds.to_string().as_str())
                .set_body_json(serde_json::json!({ "description": "Too many requests" })),
        )
    }

    /// Adds a header to the answer, whichever it is: a `Link: <url>; rel="next"` for a page
    /// stream to follow (a URL under [`MockServer::uri`]), rate-limit counters, `Location`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Expects exactly `times` matching requests, checked by [`MockServer::verify`] and when
    /// the server is dropped.
    pub fn expect(mut self, times: u64) -> Self {
        self.expected = Some(times);
        self
    }

    fn answer(mut self, template: wiremock::ResponseTemplate) -> Self {
        self.answer = Some(template);
        self
    }
}

/// A mounted [`Mock`]: reads the requests that matched it.
pub struct Mounted<B> {
    server: Arc<wiremock::MockServer>,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: PhantomData<fn() -> B>,
}

impl<B> std::fmt::Debug for Mounted<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mounted")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

impl<B> Mounted<B> {
    /// The requests the server received that this mock matches, in order.
    pub async fn requests(&self) -> Vec<ReceivedRequest> {
        let mut requests = self.server.received_requests().await.unwrap_or_default();
        requests.retain(|request| {
            request.method.as_str() == self.method.as_str()
                && request.url.path() == self.path
                && self.query.iter().all(|(name, value)| {
                    request
                        .url
                        .query_pairs()
                        .any(|(n, v)| n == name.as_str() && v == value.as_str())
                })
        });
        requests
    }

    /// How many requests this mock matched.
    pub async fn calls(&self) -> usize {
        self.requests().await.len()
    }

    /// The query parameters of the last matching request, decoded, in the order sent.
    /// Panics if no request matched.
    pub async fn sent_query(&self) -> Vec<(String, String)> {
        let request = self
            .requests()
            .await
            .pop()
            .unwrap_or_else(|| panic!("no request was sent to {} {}", self.method, self.path));
        request
            .url
            .query_pairs()
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect()
    }
}

impl<B: DeserializeOwned> Mounted<B> {
    /// The JSON bodies of the matching requests, decoded into the operation's request body
    /// type, in order. Panics on a body that does not decode.
    pub async fn sent_bodies(&self) -> Vec<B> {
        self.requests()
            .await
            .iter()
            .map(|request| {
                serde_json::from_slice(&request.body).unwrap_or_else(|error| {
                    panic!(
                        "the body sent to {} {} is not the operation's request type: {error}",
                        self.method, self.path
                    )
                })
            })
            .collect()
    }

    /// The body of the last matching request, decoded into the operation's request body
    /// type. Panics if no request matched.
    pub async fn sent_body(&self) -> B {
        self.sent_bodies()
            .await
            .pop()
            .unwrap_or_else(|| panic!("no request was sent to {} {}", self.method, self.path))
    }
}
