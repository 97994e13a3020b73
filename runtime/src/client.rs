//! The configured HTTP client and its builder.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use bytes::{Bytes, BytesMut};
use http::header::{HeaderValue, AUTHORIZATION, USER_AGENT};
use http::{HeaderMap, StatusCode};
use tracing::field::Empty;
use tracing::Instrument as _;
use url::Url;

use crate::auth::{Applied, Credential, Credentials as SchemeCredentials};
use crate::clock::{Clock, TokioClock};
use crate::download::ByteStream;
use crate::error::{ApiError, Error, TimeoutKind};
use crate::limiter::RateLimiter;
use crate::rate_limit::RateLimit;
use crate::request::Request;
use crate::response::{retry_after, Decode, RawResponse, Response};
use crate::retry::{is_idempotent, is_retryable_status, RetryPolicy};

const DEFAULT_USER_AGENT: &str = concat!("openapi-client-runtime/", env!("CARGO_PKG_VERSION"));

/// The credentials sent with every request.
#[derive(Clone)]
enum Auth {
    /// `Authorization: Basic base64("{key}:X")`.
    Basic(HeaderValue),
    /// `Authorization: Bearer {token}`.
    Bearer(HeaderValue),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Basic(_) => f.write_str("Basic(<redacted>)"),
            Auth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

/// Credentials as given to the builder, checked in [`ClientBuilder::build`].
#[derive(Clone)]
enum Credentials {
    ApiKey(String),
    BearerToken(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Credentials::BearerToken(_) => f.write_str("BearerToken(<redacted>)"),
        }
    }
}

impl Credentials {
    fn into_auth(self) -> Result<Auth, Error> {
        let (scheme, secret, what) = match &self {
            Credentials::ApiKey(key) => ("Basic", key, "API key"),
            Credentials::BearerToken(token) => ("Bearer", token, "bearer token"),
        };
        if secret.is_empty() {
            return Err(Error::config(format!("the {what} is empty")));
        }
        let text = match &self {
            Credentials::ApiKey(key) => {
                base64::engine::general_purpose::STANDARD.encode(format!("{key}:X"))
            }
            Credentials::BearerToken(token) => token.clone(),
        };
        let mut value = HeaderValue::from_str(&format!("{scheme} {text}")).map_err(|_| {
            Error::config(format!(
                "the {what} contains characters not allowed in a header"
            ))
        })?;
        value.set_sensitive(true);
        Ok(match self {
            Credentials::ApiKey(_) => Auth::Basic(value),
            Credentials::BearerToken(_) => Auth::Bearer(value),
        })
    }
}

struct Inner {
    base_url: Url,
    auth: Option<Auth>,
    /// Credentials by security scheme, for requests that name their schemes.
    credentials: SchemeCredentials,
    http: reqwest::Client,
    user_agent: HeaderValue,
    /// The per-attempt limit set explicitly, for every call.
    timeout: Option<Duration>,
    /// The per-attempt limit of buffered calls when none is set explicitly.
    default_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_response_size: u64,
    retry_policy: RetryPolicy,
    limiter: Option<RateLimiter>,
    clock: Arc<dyn Clock>,
}

/// A configured API client: base URL, credentials, user agent, timeouts, retry policy,
/// an optional rate limiter and a connection pool. Cheap to clone (the configuration, the
/// pool and the rate limiter are shared).
///
/// `Debug` never shows credentials.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Client");
        debug.field("base_url", &self.inner.base_url.as_str());
        match &self.inner.auth {
            Some(auth) => debug.field("auth", auth),
            None => debug.field("auth", &format_args!("None")),
        };
        debug
            .field("credentials", &self.inner.credentials)
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("default_timeout", &self.inner.default_timeout)
            .field("operation_timeout", &self.inner.operation_timeout)
            .field("max_response_size", &self.inner.max_response_size)
            .field("retry_policy", &self.inner.retry_policy)
            .field("limiter", &self.inner.limiter)
            .finish_non_exhaustive()
    }
}

/// The future of one API call, as a generated operation's `send` returns it: it owns the
/// client and the request (`'static`, `Send`), so it can be spawned or stored.
#[must_use = "a call does nothing until it is awaited"]
pub struct CallFuture<T> {
    inner: Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>,
}

impl<T> CallFuture<T> {
    fn new(future: impl Future<Output = Result<T, Error>> + Send + 'static) -> Self {
        CallFuture {
            inner: Box::pin(future),
        }
    }
}

impl<T> Future for CallFuture<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl<T> fmt::Debug for CallFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallFuture").finish_non_exhaustive()
    }
}

/// Whether a failed attempt may be sent again.
enum Retry {
    /// No: the error is final.
    Never,
    /// Yes, after the wait the server asked for (`Retry-After`), else after the policy's
    /// backoff.
    After(Option<Duration>),
}

/// What one call needs to classify the outcome of its attempts.
struct Call<'a> {
    method: &'a http::Method,
    path: &'a str,
    policy: &'a RetryPolicy,
    /// The method is idempotent or the caller allowed repeating it.
    may_repeat: bool,
    /// The body can be sent again (a streamed upload cannot).
    replayable: bool,
}

impl Call<'_> {
    fn timeout(&self, kind: TimeoutKind) -> Error {
        Error::Timeout {
            method: self.method.clone(),
            path: self.path.to_owned(),
            kind,
        }
    }

    /// Turns a non-2xx response into its error and retry decision.
    fn status_failure(
        &self,
        status: StatusCode,
        rate_limit: RateLimit,
        server_wait: Option<Duration>,
        body: Bytes,
    ) -> (Error, Retry) {
        // A server wait longer than the policy allows ends the call at once.
        let retry = match server_wait {
            _ if !self.replayable => Retry::Never,
            Some(wait) if wait > self.policy.retry_after_limit() => Retry::Never,
            wait => Retry::After(wait),
        };
        if status == StatusCode::TOO_MANY_REQUESTS {
            let error = Error::RateLimited {
                method: self.method.clone(),
                path: self.path.to_owned(),
                retry_after: server_wait,
                rate_limit,
            };
            return (error, retry);
        }
        let error = Error::Api(Box::new(ApiError::new(
            self.method.clone(),
            self.path.to_owned(),
            status,
            body,
            rate_limit,
        )));
        if self.may_repeat && is_retryable_status(status) {
            (error, retry)
        } else {
            (error, Retry::Never)
        }
    }

    /// Classifies an error of the HTTP client: a failed connection is retried for every
    /// method (nothing was sent); anything later only when the request may be repeated.
    fn transport_failure(&self, err: reqwest::Error, limit_kind: TimeoutKind) -> (Error, Retry) {
        let connect = err.is_connect();
        // A redirect loop stays one on the next attempt.
        let redirect = err.is_redirect();
        let (error, retry) = if err.is_timeout() {
            let kind = if connect {
                TimeoutKind::Connect
            } else {
                limit_kind
            };
            let retry = match kind {
                TimeoutKind::Connect => true,
                TimeoutKind::Operation => false,
                _ => self.may_repeat,
            };
            (self.timeout(kind), retry)
        } else {
            let error = Error::Transport {
                method: self.method.clone(),
                path: self.path.to_owned(),
                source: err.without_url(),
            };
            (error, !redirect && (connect || self.may_repeat))
        };
        (
            error,
            if retry && self.replayable {
                Retry::After(None)
            } else {
                Retry::Never
            },
        )
    }
}

impl Client {
    /// The base URL that request paths are appended to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// Sends the request, retrying as the retry policy allows, and reads the whole
    /// response.
    ///
    /// Returns the raw response for any 2xx status. 429 becomes
    /// [`Error::RateLimited`] (with `Retry-After` as seconds or HTTP-date);
    /// any other status becomes [`Error::Api`], which keeps the body (see
    /// [`ApiError::body_as`](crate::ApiError::body_as)). When retries are exhausted, the
    /// last attempt's error is returned.
    ///
    /// The [`RequestOptions`](crate::RequestOptions) of the request replace the client's
    /// timeouts and retry policy. Each call runs in a `tracing` span named `request`
    /// (fields `method`, `path` (the template), `status`, `attempts`), each attempt in a
    /// span named `attempt` (`attempt`, `status`); credentials, query strings and bodies
    /// are never recorded.
    pub async fn execute(&self, request: Request) -> Result<RawResponse, Error> {
        let answer = self.instrumented(&request, Delivery::Buffered).await?;
        let body = match answer.payload {
            Payload::Bytes(body) => body,
            Payload::Stream(response) => {
                response.bytes().await.map_err(|err| Error::Transport {
                    method: answer.method.clone(),
                    path: answer.path.clone(),
                    source: err.without_url(),
                })?
            }
        };
        Ok(RawResponse::new(
            answer.method,
            answer.path,
            answer.status,
            answer.headers,
            body,
        ))
    }

    /// Sends the request like [`Client::execute`], but returns a 2xx body as a stream of
    /// chunks read as they arrive, for downloads too large to hold in memory. Retries cover
    /// the attempts up to the response headers; an error while the body streams ends the
    /// stream with [`Error::Transport`] (or [`Error::Timeout`] when the attempt's time
    /// limit, which also covers the body, runs out).
    pub async fn execute_stream(&self, request: Request) -> Result<Response<ByteStream>, Error> {
        let answer = self.instrumented(&request, Delivery::Streamed).await?;
        let body = match answer.payload {
            Payload::Stream(response) => {
                ByteStream::from_response(answer.method.clone(), answer.path.clone(), response)
            }
            Payload::Bytes(bytes) => ByteStream::from_bytes(bytes),
        };
        Ok(RawResponse::new(
            answer.method,
            answer.path,
            answer.status,
            answer.headers,
            Bytes::new(),
        )
        .into_response(body))
    }

    /// Sends the request on a clone of this client and decodes the response with
    /// `decode`: the future a generated operation's `send_with_response` returns. The
    /// future owns everything it needs (`'static`), so it can be spawned.
    ///
    /// Generated crates pass a plain function per operation, so the request and retry
    /// machinery is compiled once here rather than once per operation.
    pub fn send_with_response<T: Send + 'static>(
        &self,
        request: Request,
        decode: Decode<T>,
    ) -> CallFuture<Response<T>> {
        let client = self.clone();
        CallFuture::new(async move {
            let raw = client.execute(request).await?;
            let value = decode(&raw)?;
            Ok(raw.into_response(value))
        })
    }

    /// Like [`Client::send_with_response`], keeping only the decoded value: the future a
    /// generated operation's `send` returns.
    pub fn send<T: Send + 'static>(&self, request: Request, decode: Decode<T>) -> CallFuture<T> {
        let client = self.clone();
        CallFuture::new(async move { decode(&client.execute(request).await?) })
    }

    /// [`Client::execute_stream`] on a clone of this client, as a `'static` future: what a
    /// generated download's `send_stream` returns.
    pub fn send_stream(&self, request: Request) -> CallFuture<Response<ByteStream>> {
        let client = self.clone();
        CallFuture::new(async move { client.execute_stream(request).await })
    }

    /// [`Client::run`] inside the `request` span.
    async fn instrumented(&self, request: &Request, delivery: Delivery) -> Result<Answer, Error> {
        let span = tracing::info_span!(
            "request",
            method = %request.method(),
            path = request.path_template(),
            status = Empty,
            attempts = Empty,
        );
        self.run(request, &span, delivery)
            .instrument(span.clone())
            .await
    }

    /// The attempt loop of [`Client::execute`], inside `request_span`.
    async fn run(
        &self,
        request: &Request,
        request_span: &tracing::Span,
        delivery: Delivery,
    ) -> Result<Answer, Error> {
        let url = request.url(&self.inner.base_url)?;
        let options = request.request_options();
        let call = Call {
            method: request.method(),
            path: url.path(),
            policy: options
                .retry_policy
                .as_ref()
                .unwrap_or(&self.inner.retry_policy),
            may_repeat: is_idempotent(request.method()) || options.retry_non_idempotent,
            replayable: request.is_replayable(),
        };
        let attempt_timeout = options.timeout.or(self.inner.timeout).or(match delivery {
            Delivery::Buffered => self.inner.default_timeout,
            // A download may take long; the read timeout still catches a stalled one.
            Delivery::Streamed => None,
        });
        let deadline = options
            .operation_timeout
            .or(self.inner.operation_timeout)
            .and_then(|limit| self.inner.clock.now().checked_add(limit));

        let mut attempt = 1;
        loop {
            request_span.record("attempts", attempt);
            let builder = self.prepare(request, &url)?;
            if let Some(limiter) = &self.inner.limiter {
                let wait = limiter
                    .acquire(self.inner.clock.now(), deadline)
                    .map_err(|_| call.timeout(TimeoutKind::Operation))?;
                if !wait.is_zero() {
                    tracing::debug!(wait_ms = millis(wait), "waiting for the rate-limit budget");
                    self.inner.clock.sleep(wait).await;
                }
            }

            // The attempt gets its own limit or what is left of the operation's, if less.
            let left =
                deadline.map(|deadline| deadline.saturating_duration_since(self.inner.clock.now()));
            let (limit, limit_kind) = match (attempt_timeout, left) {
                (_, Some(Duration::ZERO)) => return Err(call.timeout(TimeoutKind::Operation)),
                (Some(own), Some(left)) if left <= own => (Some(left), TimeoutKind::Operation),
                (Some(own), _) => (Some(own), TimeoutKind::Attempt),
                (None, left) => (left, TimeoutKind::Operation),
            };
            let builder = match limit {
                Some(limit) => builder.timeout(limit),
                None => builder,
            };

            let attempt_span = tracing::debug_span!("attempt", attempt, status = Empty);
            let started = tokio::time::Instant::now();
            let sent = send(builder, delivery, self.inner.max_response_size)
                .instrument(attempt_span.clone())
                .await;
            let (error, retry) = match sent {
                Ok((status, headers, payload)) => {
                    attempt_span.record("status", status.as_u16());
                    request_span.record("status", status.as_u16());
                    if status.is_success() {
                        // A success's rate-limit headers are read when someone asks: the
                        // limiter now, the caller through `Response::rate_limit`.
                        if self.inner.limiter.is_some() {
                            self.observe(status, &headers);
                        }
                        return Ok(Answer {
                            method: call.method.clone(),
                            path: call.path.to_owned(),
                            status,
                            headers,
                            payload,
                        });
                    }
                    let (rate_limit, server_wait) = self.observe(status, &headers);
                    let body = match payload {
                        Payload::Bytes(body) => body,
                        Payload::Stream(_) => Bytes::new(),
                    };
                    call.status_failure(status, rate_limit, server_wait, body)
                }
                Err(Failure::TooLarge) => {
                    let error = Error::ResponseTooLarge {
                        method: call.method.clone(),
                        path: call.path.to_owned(),
                        limit: self.inner.max_response_size,
                    };
                    (error, Retry::Never)
                }
                Err(Failure::Http(err)) => {
                    // A timeout before the attempt's limit is the read timeout: a stall.
                    let stalled = limit.is_none_or(|limit| started.elapsed() < limit);
                    let kind = if stalled {
                        TimeoutKind::Attempt
                    } else {
                        limit_kind
                    };
                    call.transport_failure(err, kind)
                }
            };

            let server_wait = match retry {
                Retry::After(wait) if attempt < call.policy.attempts() => wait,
                _ => return Err(error),
            };
            let wait = server_wait.unwrap_or_else(|| call.policy.backoff(attempt, fastrand::f64()));
            let too_late = deadline.is_some_and(|deadline| {
                self.inner
                    .clock
                    .now()
                    .checked_add(wait)
                    .is_none_or(|end| end >= deadline)
            });
            if too_late {
                return Err(error);
            }
            tracing::info!(attempt, wait_ms = millis(wait), error = %error, "retrying");
            self.inner.clock.sleep(wait).await;
            attempt += 1;
        }
    }

    /// Reads a response's rate-limit counters and `Retry-After`, and feeds them to the
    /// rate limiter, if there is one.
    fn observe(&self, status: StatusCode, headers: &HeaderMap) -> (RateLimit, Option<Duration>) {
        let rate_limit = RateLimit::from_headers(headers);
        let server_wait = retry_after(headers, SystemTime::now());
        if let Some(limiter) = &self.inner.limiter {
            limiter.observe(self.inner.clock.now(), status, &rate_limit, server_wait);
        }
        (rate_limit, server_wait)
    }

    /// A request builder with the client's and the request's headers, the credentials the
    /// request accepts, and the body.
    fn prepare(&self, request: &Request, url: &Url) -> Result<reqwest::RequestBuilder, Error> {
        let applied = match request.security_requirement() {
            Some(security) => self.inner.credentials.for_security(security),
            None => Vec::new(),
        };
        let mut url = url.clone();
        for credential in &applied {
            if let Applied::Query(name, key) = credential {
                url.query_pairs_mut().append_pair(name, key);
            }
        }
        let mut builder = self
            .inner
            .http
            .request(request.method().clone(), url)
            .header(USER_AGENT, self.inner.user_agent.clone());
        if request.security_requirement().is_none() {
            if let Some(Auth::Basic(value) | Auth::Bearer(value)) = &self.inner.auth {
                builder = builder.header(AUTHORIZATION, value.clone());
            }
        }
        let mut cookies = Vec::new();
        for credential in applied {
            match credential {
                Applied::Header(name, value) => builder = builder.header(name, value.clone()),
                Applied::Cookie(pair) => cookies.push(pair.as_str()),
                Applied::Query(..) => {}
            }
        }
        request.apply(builder, &cookies)
    }
}

/// Whether a 2xx body is read before the call returns or handed over as a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Delivery {
    Buffered,
    Streamed,
}

/// A response body: read whole, or still to be read (2xx answers of streamed calls).
enum Payload {
    Bytes(Bytes),
    Stream(reqwest::Response),
}

/// The successful answer of [`Client::run`].
struct Answer {
    method: http::Method,
    path: String,
    status: StatusCode,
    headers: HeaderMap,
    payload: Payload,
}

/// Why an attempt got no answer to classify.
enum Failure {
    /// The HTTP client failed (connection, timeout, protocol, redirects).
    Http(reqwest::Error),
    /// A 2xx body was larger than the client's maximum response size.
    TooLarge,
}

/// Sends one attempt and reads the whole body, except the 2xx body of a streamed call. A body
/// read whole may hold `max_size` bytes: a larger 2xx body is a failure, a larger error body is
/// cut there (its status says what happened).
async fn send(
    builder: reqwest::RequestBuilder,
    delivery: Delivery,
    max_size: u64,
) -> Result<(StatusCode, HeaderMap, Payload), Failure> {
    let mut response = builder.send().await.map_err(Failure::Http)?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    if delivery == Delivery::Streamed && status.is_success() {
        return Ok((status, headers, Payload::Stream(response)));
    }
    let cut = !status.is_success();
    if !cut && response.content_length().is_some_and(|len| len > max_size) {
        return Err(Failure::TooLarge);
    }
    // Counted chunk by chunk: `Content-Length` may be absent or lie.
    let expected = response.content_length().unwrap_or(0).min(max_size);
    let mut body = BytesMut::with_capacity(usize::try_from(expected).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(Failure::Http)? {
        let room = max_size.saturating_sub(body.len() as u64);
        if chunk.len() as u64 > room {
            if !cut {
                return Err(Failure::TooLarge);
            }
            // `room` is below `chunk.len()`, a `usize`.
            body.extend_from_slice(&chunk[..room as usize]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, headers, Payload::Bytes(body.freeze())))
}

/// A duration in whole milliseconds, for log fields.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Configures a [`Client`]. `Debug` never shows credentials.
///
/// ```
/// use openapi_client_runtime::ClientBuilder;
///
/// let client = ClientBuilder::new("https://{domain}.freshservice.com/api/v2")
///     .domain("acme")
///     .api_key("my-api-key")
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://acme.freshservice.com/api/v2");
/// # Ok::<(), openapi_client_runtime::Error>(())
/// ```
///
/// The type parameter is what [`ClientBuilder::build`] returns: the runtime [`Client`] by
/// default, or a generated API client that wraps one.
#[derive(Clone, Debug)]
pub struct ClientBuilder<C = Client> {
    output: PhantomData<fn() -> C>,
    server_template: &'static str,
    server_variables: Vec<(String, String)>,
    base_url: Option<BaseUrlArg>,
    credentials: Option<Credentials>,
    scheme_credentials: Vec<(&'static str, Credential)>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    default_timeouts: bool,
    operation_timeout: Option<Duration>,
    max_response_size: u64,
    retry_policy: RetryPolicy,
    rate_limiter: Option<RateLimiter>,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
}

/// A base URL as given to [`ClientBuilder::base_url`]; `Debug` hides any user info in it.
#[derive(Clone)]
struct BaseUrlArg(String);

impl fmt::Debug for BaseUrlArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = &self.0;
        let authority_start = text.find("://").map_or(0, |i| i + 3);
        let authority_end = text[authority_start..]
            .find(['/', '?', '#'])
            .map_or(text.len(), |i| authority_start + i);
        match text[authority_start..authority_end].rfind('@') {
            Some(at) => write!(
                f,
                "{:?}",
                format!(
                    "{}<redacted>{}",
                    &text[..authority_start],
                    &text[authority_start + at..]
                )
            ),
            None => fmt::Debug::fmt(text, f),
        }
    }
}

impl ClientBuilder {
    /// The default [`connect_timeout`](ClientBuilder::connect_timeout): 10 s.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default per-attempt [`timeout`](ClientBuilder::timeout) of calls whose body is
    /// read whole (not streamed downloads): 60 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
    /// The default [`read_timeout`](ClientBuilder::read_timeout): 30 s.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
    /// The default [`max_response_size`](ClientBuilder::max_response_size): 64 MiB.
    pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;

    /// A builder for the spec's server URL, e.g.
    /// `"https://{domain}.freshservice.com/api/v2"`.
    pub fn new(server_template: &'static str) -> Self {
        Self::new_for(server_template)
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder whose [`build`](ClientBuilder::build) returns a `C` (a generated client).
    pub fn new_for(server_template: &'static str) -> Self {
        ClientBuilder {
            output: PhantomData,
            server_template,
            server_variables: Vec::new(),
            base_url: None,
            credentials: None,
            scheme_credentials: Vec::new(),
            timeout: None,
            connect_timeout: None,
            read_timeout: None,
            default_timeouts: true,
            operation_timeout: None,
            max_response_size: ClientBuilder::DEFAULT_MAX_RESPONSE_SIZE,
            retry_policy: RetryPolicy::new(),
            rate_limiter: None,
            user_agent: None,
            http_client: None,
            allow_insecure_http: false,
        }
    }

    /// Sets the value of the `{name}` variable of the server template.
    ///
    /// Values may only contain letters, digits, `-`, `.`, `_` and `~`; the
    /// `domain` variable is checked as described in [`ClientBuilder::domain`].
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let (name, value) = (name.into(), value.into());
        match self.server_variables.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.server_variables.push((name, value)),
        }
        self
    }

    /// Sets the `domain` server variable: the account's subdomain, e.g. `acme`
    /// for `acme.freshservice.com`. Checked by `build`: 1 to 63 letters, digits
    /// or `-`, not starting or ending with `-`.
    pub fn domain(self, domain: impl Into<String>) -> Self {
        self.server_variable("domain", domain)
    }

    /// Uses this base URL instead of the server template (tests, proxies).
    ///
    /// Unlike the template, it may use `http://`, but only to a loopback host
    /// (`127.0.0.0/8`, `::1`, `localhost`) when credentials are set: anywhere else they
    /// would cross the network unencrypted, so [`build`](ClientBuilder::build) refuses it
    /// unless [`danger_allow_insecure_http`](ClientBuilder::danger_allow_insecure_http)
    /// was called.
    ///
    /// User info (`https://user:pass@host`) is refused by `build` rather than turned into
    /// credentials: the API authenticates with [`api_key`](ClientBuilder::api_key) or
    /// [`bearer_token`](ClientBuilder::bearer_token), a password hidden in a URL ends up in
    /// logs and configuration dumps, and the HTTP client would send it as a second
    /// `Authorization` header beside the configured one.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(BaseUrlArg(url.into()));
        self
    }

    /// **Dangerous**: allows credentials to be sent over plain `http://` to a host that is
    /// not loopback, for test rigs whose fake server lives on another machine of a private
    /// network. Anyone on the network path can read the API key or token. Never use it
    /// against a real account.
    pub fn danger_allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Stores the credential for the security scheme `scheme` of the API description
    /// (replacing one stored before). Requests that name their schemes
    /// ([`Request::security`]) carry the credentials of the first alternative they accept
    /// whose every scheme has one; see [`auth`](crate::auth). Generated clients give each
    /// scheme a builder method of its own that calls this.
    pub fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        match self
            .scheme_credentials
            .iter_mut()
            .find(|(s, _)| *s == scheme)
        {
            Some(slot) => slot.1 = credential,
            None => self.scheme_credentials.push((scheme, credential)),
        }
        self
    }

    /// Authenticates with an API key: `Authorization: Basic base64("{key}:X")`, on requests
    /// that name no security schemes (see [`credential`](ClientBuilder::credential) for
    /// those that do). Replaces any bearer token set before.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::ApiKey(key.into()));
        self
    }

    /// Authenticates with an OAuth access token: `Authorization: Bearer {token}`, on
    /// requests that name no security schemes. Replaces any API key set before.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::BearerToken(token.into()));
        self
    }

    /// Limits each attempt, from connecting to the end of the response body
    /// ([`Error::Timeout`] with [`TimeoutKind::Attempt`](crate::TimeoutKind::Attempt)).
    /// A timed-out `GET`, `PUT` or `DELETE` is retried as the retry policy allows.
    ///
    /// Default: [`DEFAULT_TIMEOUT`](ClientBuilder::DEFAULT_TIMEOUT) (60 s) for calls whose
    /// body is read whole; none for streamed downloads ([`Client::execute_stream`]), which may
    /// take long and are only cut by the [`read_timeout`](ClientBuilder::read_timeout) when
    /// they stall. A limit set here applies to both. See also
    /// [`without_default_timeouts`](ClientBuilder::without_default_timeouts).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Limits a whole call: rate-limit waits, every attempt and the waits between them
    /// ([`Error::Timeout`] with [`TimeoutKind::Operation`](crate::TimeoutKind::Operation)).
    /// When the wait before a retry would end after this limit, the last attempt's error
    /// is returned at once instead of waiting.
    pub fn operation_timeout(mut self, d: Duration) -> Self {
        self.operation_timeout = Some(d);
        self
    }

    /// Retries failed requests by `policy` (see [`RetryPolicy`] for what is retried).
    /// The default is [`RetryPolicy::new()`]: connection failures and 429s are retried, and
    /// 408/5xx for idempotent methods only; [`RetryPolicy::none()`] sends every request once.
    /// Requests can override it with [`RequestOptions`](crate::RequestOptions).
    ///
    /// ```
    /// use openapi_client_runtime::{ClientBuilder, RetryPolicy};
    ///
    /// let client = ClientBuilder::new("https://{domain}.freshservice.com/api/v2")
    ///     .domain("acme")
    ///     .retry_policy(RetryPolicy::new())
    ///     .build()?;
    /// # Ok::<(), openapi_client_runtime::Error>(())
    /// ```
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Paces requests by `limiter`, a per-minute call budget shared by every clone of the
    /// client (and by other clients given the same limiter); see [`RateLimiter`]. Off by
    /// default.
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Limits the time to establish a connection. Cannot be combined with
    /// [`ClientBuilder::http_client`] (set it on that client instead). Default:
    /// [`DEFAULT_CONNECT_TIMEOUT`](ClientBuilder::DEFAULT_CONNECT_TIMEOUT) (10 s), except with
    /// a caller-supplied client.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }

    /// Limits how long a response may stall: waiting for its headers, or for the next chunk
    /// of its body, downloads included. The clock restarts whenever data arrives, so a slow
    /// but steady download is never cut. A stall ends the attempt with [`Error::Timeout`]
    /// ([`TimeoutKind::Attempt`](crate::TimeoutKind::Attempt)), retried like other attempt
    /// timeouts. Cannot be combined with [`ClientBuilder::http_client`]. Default:
    /// [`DEFAULT_READ_TIMEOUT`](ClientBuilder::DEFAULT_READ_TIMEOUT) (30 s), except with a
    /// caller-supplied client.
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = Some(d);
        self
    }

    /// Limits the size of a response body read whole (JSON, text, error bodies), so a huge or
    /// endless answer cannot exhaust memory: a larger 2xx body ends the call with
    /// [`Error::ResponseTooLarge`] as soon as the limit is passed (at once when
    /// `Content-Length` says so, else counting what arrives), and a larger error body is cut
    /// at the limit. Streamed downloads ([`Client::execute_stream`]) are not limited. Default:
    /// [`DEFAULT_MAX_RESPONSE_SIZE`](ClientBuilder::DEFAULT_MAX_RESPONSE_SIZE) (64 MiB).
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Drops the default connect, per-attempt and read timeouts; only those set explicitly
    /// ([`connect_timeout`](ClientBuilder::connect_timeout),
    /// [`timeout`](ClientBuilder::timeout), [`read_timeout`](ClientBuilder::read_timeout),
    /// before or after this call) apply. A call may then wait forever on a server that stops
    /// answering.
    pub fn without_default_timeouts(mut self) -> Self {
        self.default_timeouts = false;
        self
    }

    /// Sets the `User-Agent` header (default `openapi-client-runtime/<version>`).
    pub fn user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = Some(ua.into());
        self
    }

    /// Sends requests with this `reqwest::Client` (its proxy, TLS, pool and redirect
    /// settings). The [`timeout`](ClientBuilder::timeout) set here is applied to each
    /// request. Its redirect policy is the caller's: the client's own follows redirects only
    /// on the request's origin, at most 10 of them, and returns any other 3xx as
    /// [`Error::Api`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// [`Error::Config`] names what is wrong: a template variable without a
    /// value, an invalid domain or variable value, a template URL that is not
    /// `https`, an unparsable `base_url`, a `base_url` with user info, credentials over plain
    /// `http` to a host that is not loopback, invalid credentials or user agent, a
    /// rate limiter with a limit of 0 or a reserve not below its limit.
    /// No credentials at all is allowed (some calls need none).
    pub fn build(self) -> Result<C, Error> {
        let base_url = match &self.base_url {
            Some(BaseUrlArg(url)) => parse_base_url(url)?,
            None => self.expand_template()?,
        };
        let auth = self.credentials.map(Credentials::into_auth).transpose()?;
        let credentials = SchemeCredentials::new(self.scheme_credentials)?;
        if (auth.is_some() || !credentials.is_empty())
            && base_url.scheme() == "http"
            && !is_loopback(&base_url)
            && !self.allow_insecure_http
        {
            return Err(Error::config(
                "base_url uses plain http to a host that is not loopback, so the credentials would cross the network unencrypted; use https (or, for a test rig only, .danger_allow_insecure_http())",
            ));
        }
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| {
            Error::config("the user agent contains characters not allowed in a header")
        })?;
        if let Some(problem) = self.rate_limiter.as_ref().and_then(RateLimiter::problem) {
            return Err(Error::config(problem));
        }
        let default = |d: Duration| self.default_timeouts.then_some(d);
        let http = match self.http_client {
            Some(_) if self.connect_timeout.is_some() || self.read_timeout.is_some() => {
                return Err(Error::config(
                    "connect_timeout and read_timeout cannot be applied to a caller-supplied reqwest::Client; set them on that client",
                ))
            }
            Some(client) => client,
            None => {
                // Redirects cannot downgrade an https client to plain http.
                let mut builder = reqwest::Client::builder()
                    .https_only(base_url.scheme() == "https")
                    .redirect(reqwest::redirect::Policy::custom(same_origin_redirect));
                let connect = self
                    .connect_timeout
                    .or(default(ClientBuilder::DEFAULT_CONNECT_TIMEOUT));
                if let Some(d) = connect {
                    builder = builder.connect_timeout(d);
                }
                let read = self
                    .read_timeout
                    .or(default(ClientBuilder::DEFAULT_READ_TIMEOUT));
                if let Some(d) = read {
                    builder = builder.read_timeout(d);
                }
                builder
                    .build()
                    .map_err(|err| Error::config(format!("cannot create the HTTP client: {err}")))?
            }
        };
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                base_url,
                auth,
                credentials,
                http,
                user_agent,
                timeout: self.timeout,
                default_timeout: default(ClientBuilder::DEFAULT_TIMEOUT),
                operation_timeout: self.operation_timeout,
                max_response_size: self.max_response_size,
                retry_policy: self.retry_policy,
                limiter: self.rate_limiter,
                clock: Arc::new(TokioClock),
            }),
        }))
    }

    /// Fills the server template's `{variables}` and checks the result.
    fn expand_template(&self) -> Result<Url, Error> {
        let mut url = String::new();
        let mut rest = self.server_template;
        while let Some((before, after)) = rest.split_once('{') {
            url.push_str(before);
            let (name, after) = after.split_once('}').ok_or_else(|| {
                Error::config(format!(
                    "unclosed `{{` in the server URL template {:?}",
                    self.server_template
                ))
            })?;
            let value = self
                .server_variables
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v)
                .ok_or_else(|| {
                    let hint = " (set it with the builder method of that name, or give the whole address with .base_url(..))";
                    Error::config(format!("server variable `{name}` is not set{hint}"))
                })?;
            check_server_variable(name, value)?;
            url.push_str(value);
            rest = after;
        }
        url.push_str(rest);
        let parsed = match Url::parse(&url) {
            Ok(parsed) => parsed,
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                return Err(Error::config(format!(
                    "the description's server URL {url:?} is relative: set the API's address with .base_url(..)"
                )))
            }
            Err(err) => {
                return Err(Error::config(format!(
                    "the server URL {url:?} is not a valid URL: {err}"
                )))
            }
        };
        if !matches!(parsed.scheme(), "https" | "http") {
            return Err(Error::config(format!(
                "the server URL {url:?} is not an http or https URL"
            )));
        }
        check_base(parsed, "the server URL")
    }
}

/// The most redirects followed for one attempt.
const MAX_REDIRECTS: usize = 10;

/// The redirect policy of the client's own HTTP client: a redirect is followed only to the
/// origin (scheme, host and port) of the request, without user info, at most
/// [`MAX_REDIRECTS`] times. Anything else is not followed, so neither the credentials nor a
/// request body (re-sent on 307 and 308) ever reach another host: the 3xx response itself is
/// the answer, an [`Error::Api`]. Too many redirects is an [`Error::Transport`].
fn same_origin_redirect(attempt: reqwest::redirect::Attempt<'_>) -> reqwest::redirect::Action {
    let Some(origin) = attempt.previous().first() else {
        return attempt.stop();
    };
    let next = attempt.url();
    let same_origin = next.scheme() == origin.scheme()
        && next.host_str() == origin.host_str()
        && next.port_or_known_default() == origin.port_or_known_default()
        && next.username().is_empty()
        && next.password().is_none();
    if !same_origin {
        attempt.stop()
    } else if attempt.previous().len() > MAX_REDIRECTS {
        attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
    } else {
        attempt.follow()
    }
}

/// Parses a caller-given base URL. The URL itself is not echoed: it may hold
/// credentials.
fn parse_base_url(url: &str) -> Result<Url, Error> {
    let parsed = Url::parse(url)
        .map_err(|err| Error::config(format!("base_url is not a valid URL: {err}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "base_url must use http or https, not `{}`",
            parsed.scheme()
        )));
    }
    check_base(parsed, "base_url")
}

fn check_base(url: Url, what: &str) -> Result<Url, Error> {
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::config(format!("{what} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!(
            "{what} contains a user name or password; set credentials with .api_key(..) or .bearer_token(..) instead"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "{what} cannot have a query string or fragment"
        )));
    }
    Ok(url)
}

/// Whether `url`'s host is this machine: `localhost`, `127.0.0.0/8` or `::1`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn check_server_variable(name: &str, value: &str) -> Result<(), Error> {
    let valid = if name == "domain" {
        (1..=63).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-')
    } else {
        !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    };
    if valid {
        return Ok(());
    }
    let rule = if name == "domain" {
        "expected the account subdomain only (e.g. `acme` for acme.freshservice.com): 1-63 letters, digits or `-`, not starting or ending with `-`"
    } else {
        "expected 1 or more letters, digits, `-`, `.`, `_` or `~`"
    };
    Err(Error::config(format!("invalid {name} {value:?}: {rule}")))
}

#[cfg(test)]
impl Client {
    /// The same client reading the time from `clock` (for a client not yet cloned).
    pub(crate) fn with_clock(mut self, clock: Arc<dyn Clock>) -> Client {
        match Arc::get_mut(&mut self.inner) {
            Some(inner) => inner.clock = clock,
            None => panic!("with_clock needs a client that has not been cloned"),
        }
        self
    }
}

#[cfg(test)]
mod resilience_tests;

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "https://{domain}.freshservice.com/api/v2";

    fn config_error(builder: ClientBuilder) -> String {
        match builder.build() {
            Err(Error::Config { message }) => message,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    #[test]
    fn domain_validation() {
        for ok in ["acme", "a", "ACME-2", &"a".repeat(63)] {
            ClientBuilder::new(TEMPLATE).domain(ok).build().unwrap();
        }
        for bad in [
            "",
            "-acme",
            "acme-",
            "acme.freshservice.com",
            "a/b",
            "é",
            &"a".repeat(64),
        ] {
            let message = config_error(ClientBuilder::new(TEMPLATE).domain(bad));
            assert!(message.starts_with("invalid domain"), "{message}");
        }
    }

    #[test]
    fn other_server_variables() {
        let template = "https://{domain}.example.com/{version}";
        let client = ClientBuilder::new(template)
            .domain("a")
            .server_variable("version", "v2")
            .server_variable("version", "v3")
            .build()
            .unwrap();
        assert_eq!(client.base_url().as_str(), "https://a.example.com/v3");
        let message = config_error(ClientBuilder::new(template).domain("a"));
        assert!(
            message.contains("server variable `version` is not set"),
            "{message}"
        );
        let message = config_error(
            ClientBuilder::new(template)
                .domain("a")
                .server_variable("version", "../x"),
        );
        assert!(message.starts_with("invalid version"), "{message}");
    }

    #[test]
    fn base_url_checks() {
        let message = config_error(ClientBuilder::new(TEMPLATE).base_url("ftp://x"));
        assert!(message.contains("http or https"), "{message}");
        let message = config_error(ClientBuilder::new(TEMPLATE).base_url("http://x/?a=1"));
        assert!(message.contains("query string"), "{message}");
        let message = config_error(ClientBuilder::new(TEMPLATE).base_url("https://user:secret@"));
        assert!(!message.contains("secret"), "{message}");
    }

    #[test]
    fn credential_checks() {
        let message = config_error(ClientBuilder::new(TEMPLATE).domain("a").api_key(""));
        assert_eq!(message, "the API key is empty");
        let message = config_error(
            ClientBuilder::new(TEMPLATE)
                .domain("a")
                .bearer_token("a\nb"),
        );
        assert!(message.contains("bearer token contains"), "{message}");
        let message = config_error(ClientBuilder::new(TEMPLATE).domain("a").user_agent("x\r\n"));
        assert!(message.contains("user agent"), "{message}");
    }

    #[test]
    fn credentials_over_plain_http_need_a_loopback_host() {
        for host in [
            "acme.example.com",
            "10.0.0.7",
            "[fe80::1]",
            "localhost.example.com",
        ] {
            let builder = ClientBuilder::new(TEMPLATE).base_url(format!("http://{host}/api"));
            builder
                .clone()
                .build()
                .expect("no credentials, nothing to leak");
            for with_key in [
                builder.clone().api_key("key"),
                builder.clone().bearer_token("token"),
            ] {
                let message = config_error(with_key.clone());
                assert!(message.contains("plain http"), "{host}: {message}");
                with_key.danger_allow_insecure_http().build().unwrap();
            }
        }
        for host in [
            "127.0.0.1:8080",
            "127.1.2.3",
            "[::1]:99",
            "localhost",
            "LOCALHOST:1",
        ] {
            ClientBuilder::new(TEMPLATE)
                .base_url(format!("http://{host}/api"))
                .api_key("key")
                .build()
                .unwrap_or_else(|err| panic!("{host}: {err}"));
        }
        ClientBuilder::new(TEMPLATE)
            .base_url("https://acme.example.com/api")
            .api_key("key")
            .build()
            .unwrap();
    }

    #[test]
    fn user_info_in_the_base_url_is_refused_and_never_shown() {
        for url in [
            "https://user:hunter2@acme.example.com/api",
            "https://hunter2@acme.example.com",
            "http://user:hunter2@127.0.0.1:8080",
        ] {
            let builder = ClientBuilder::new(TEMPLATE).base_url(url).api_key("key");
            let debug = format!("{builder:?}");
            assert!(!debug.contains("hunter2"), "{debug}");
            assert!(debug.contains("<redacted>@"), "{debug}");
            let err = builder.build().unwrap_err();
            let (display, debug) = (err.to_string(), format!("{err:?}"));
            assert!(display.contains("user name or password"), "{display}");
            assert!(
                !display.contains("hunter2") && !debug.contains("hunter2"),
                "{debug}"
            );
        }
    }

    #[test]
    fn connect_timeout_with_own_client_is_rejected() {
        let message = config_error(
            ClientBuilder::new(TEMPLATE)
                .domain("a")
                .http_client(reqwest::Client::new())
                .connect_timeout(Duration::from_secs(1)),
        );
        assert!(message.contains("connect_timeout"), "{message}");
        let message = config_error(
            ClientBuilder::new(TEMPLATE)
                .domain("a")
                .http_client(reqwest::Client::new())
                .read_timeout(Duration::from_secs(1)),
        );
        assert!(message.contains("read_timeout"), "{message}");
    }
}
