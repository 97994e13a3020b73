//! The error type returned by every fallible operation of the runtime.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};

use crate::rate_limit::RateLimit;

/// How many characters of a response body are kept for error messages.
const SNIPPET_CHARS: usize = 200;

/// Everything that can go wrong while configuring a client, building a request,
/// sending it or decoding its response.
///
/// Messages show the HTTP method and the concrete request path (for example
/// `/api/v2/tickets/5`), never the host, the query string or credentials.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-2xx status other than 429.
    Api(Box<ApiError>),
    /// The server answered 429 Too Many Requests.
    RateLimited {
        /// The request method.
        method: Method,
        /// The concrete request path, without host or query string.
        path: String,
        /// How long to wait before retrying, from the `Retry-After` header
        /// (seconds or HTTP-date), when the server sent one.
        retry_after: Option<Duration>,
        /// The rate-limit headers of the response.
        rate_limit: RateLimit,
    },
    /// A time limit was reached: connecting, one attempt, or the whole operation.
    Timeout {
        /// The request method.
        method: Method,
        /// The concrete request path, without host or query string.
        path: String,
        /// Which limit was reached.
        kind: TimeoutKind,
    },
    /// The request could not be sent or its response could not be read
    /// (connection refused, TLS failure, reset connection, ...).
    Transport {
        /// The request method.
        method: Method,
        /// The concrete request path, without host or query string.
        path: String,
        /// The underlying error, with its URL removed.
        source: reqwest::Error,
    },
    /// A 2xx response body read whole (not a streamed download) was larger than the client's
    /// [`max_response_size`](crate::ClientBuilder::max_response_size); reading stopped there.
    /// Not retried: the same request would get the same answer.
    ResponseTooLarge {
        /// The request method.
        method: Method,
        /// The concrete request path, without host or query string.
        path: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A 2xx response body did not match the expected type.
    Decode(Box<DecodeError>),
    /// The request could not be built (empty path parameter, invalid header
    /// value, unserialisable body, ...). Nothing was sent.
    InvalidRequest {
        /// What is wrong, naming the parameter concerned.
        message: String,
    },
    /// A file to upload could not be read.
    File {
        /// The path of the file, as given.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The client configuration is invalid (see [`ClientBuilder::build`](crate::ClientBuilder::build)).
    Config {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// The HTTP status of the response, for errors that have one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Decode(decode) => Some(decode.status),
            _ => None,
        }
    }

    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => api.fmt(f),
            Error::RateLimited {
                method,
                path,
                retry_after,
                ..
            } => {
                write!(f, "{method} {path} → 429 Too Many Requests: ")?;
                match retry_after {
                    Some(d) => write!(f, "retry after {}s", d.as_secs()),
                    None => f.write_str("rate limit exceeded"),
                }
            }
            Error::Timeout { method, path, kind } => {
                write!(f, "{method} {path} → timed out")?;
                match kind {
                    TimeoutKind::Connect => f.write_str(" while connecting"),
                    TimeoutKind::Attempt => Ok(()),
                    TimeoutKind::Operation => f.write_str(" (operation time limit reached)"),
                }
            }
            Error::Transport {
                method,
                path,
                source,
            } => {
                write!(
                    f,
                    "{method} {path} → transport error: {}",
                    one_line(&source.to_string())
                )?;
                let mut cause = std::error::Error::source(source);
                while let Some(err) = cause {
                    write!(f, ": {}", one_line(&err.to_string()))?;
                    cause = err.source();
                }
                Ok(())
            }
            Error::ResponseTooLarge {
                method,
                path,
                limit,
            } => write!(
                f,
                "{method} {path} → response body larger than the limit of {limit} bytes (ClientBuilder::max_response_size)"
            ),
            Error::Decode(decode) => decode.fmt(f),
            Error::InvalidRequest { message } => {
                write!(f, "invalid request: {}", one_line(message))
            }
            Error::File { path, source } => write!(
                f,
                "cannot read file {path:?}: {}",
                one_line(&source.to_string())
            ),
            Error::Config { message } => {
                write!(f, "invalid client configuration: {}", one_line(message))
            }
        }
    }
}

/// Which time limit an [`Error::Timeout`] reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing the connection took longer than the
    /// [`connect_timeout`](crate::ClientBuilder::connect_timeout). Nothing was sent.
    Connect,
    /// One attempt (from connecting to the end of the response body) took longer than the
    /// per-attempt [`timeout`](crate::ClientBuilder::timeout), or stalled: no data arrived
    /// for the [`read_timeout`](crate::ClientBuilder::read_timeout).
    Attempt,
    /// The whole call, across rate-limit waits, retries and the waits between them, took
    /// longer than the [`operation_timeout`](crate::ClientBuilder::operation_timeout).
    Operation,
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::File { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A 2xx response whose body did not match the expected type ([`Error::Decode`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The request method.
    pub method: Method,
    /// The concrete request path, without host or query string.
    pub path: String,
    /// The response status.
    pub status: StatusCode,
    /// Where in the body decoding failed, e.g. `ticket.status`; `.` at the top.
    pub field_path: String,
    /// What went wrong there.
    pub message: String,
    /// The first ~200 characters of the body (lossy UTF-8).
    pub snippet: String,
}

/// Decodes `body` (the answer of `method path` with `status`) with `seed`. The fast path is
/// plain serde_json; only when it fails is the body decoded again with path tracking, so the
/// error names the failing field.
pub(crate) fn decode_body<'a, S: serde::de::DeserializeSeed<'a> + Clone>(
    body: &'a [u8],
    seed: S,
    method: &Method,
    path: &str,
    status: StatusCode,
) -> Result<S::Value, Box<DecodeError>> {
    let mut json = serde_json::Deserializer::from_slice(body);
    if let Ok(value) = seed
        .clone()
        .deserialize(&mut json)
        .and_then(|value| json.end().map(|()| value))
    {
        return Ok(value);
    }
    let mut track = serde_path_to_error::Track::new();
    let mut json = serde_json::Deserializer::from_slice(body);
    seed.deserialize(serde_path_to_error::Deserializer::new(
        &mut json, &mut track,
    ))
    .and_then(|value| json.end().map(|()| value))
    .map_err(|err| {
        Box::new(DecodeError {
            method: method.clone(),
            path: path.to_owned(),
            status,
            field_path: track.path().to_string(),
            message: err.to_string(),
            snippet: snippet(body),
        })
    })
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} → {}: cannot decode the body at {}: {} (body starts: {:?})",
            self.method,
            self.path,
            StatusText(self.status),
            self.field_path,
            one_line(&self.message),
            self.snippet
        )
    }
}

/// A non-2xx (other than 429) response.
///
/// The body is kept as sent; [`body_as`](Self::body_as) decodes it as the error schema the
/// API description declares (a generated operation's documentation names it).
#[derive(Clone, Debug)]
pub struct ApiError {
    /// The request method.
    pub method: Method,
    /// The concrete request path, e.g. `/api/v2/tickets/5` (no host, no query).
    pub path: String,
    /// The response status.
    pub status: StatusCode,
    /// The raw response body.
    pub raw: Bytes,
    /// The rate-limit headers of the response.
    pub rate_limit: RateLimit,
}

impl ApiError {
    /// The error of a response with this status and body.
    pub(crate) fn new(
        method: Method,
        path: String,
        status: StatusCode,
        raw: Bytes,
        rate_limit: RateLimit,
    ) -> Self {
        ApiError {
            method,
            path,
            status,
            raw,
            rate_limit,
        }
    }

    /// The raw body decoded as `T`: the error schema the API description declares for the
    /// operation and status (a generated operation's documentation names it), or any type
    /// that fits. When it does not decode, the error says where, and [`raw`](Self::raw)
    /// still holds the body.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, Box<DecodeError>> {
        decode_body(
            &self.raw,
            std::marker::PhantomData::<T>,
            &self.method,
            &self.path,
            self.status,
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} → {}",
            self.method,
            self.path,
            StatusText(self.status)
        )?;
        match summary(&self.raw) {
            Some(summary) => write!(f, ": {summary}"),
            None if self.raw.is_empty() => Ok(()),
            None => write!(f, " (body starts: {:?})", snippet(&self.raw)),
        }
    }
}

/// A one-line summary of a JSON error body, from the members most APIs use: a text
/// (`description`, `message`, `error_description`, `title`, `detail`, or `error` when it is a
/// string), a `code`, and an `errors` list of problems (`field`, `message`, `code`, or plain
/// strings). `None` when the body is not a JSON object with any of them.
fn summary(raw: &[u8]) -> Option<String> {
    let serde_json::Value::Object(body) = serde_json::from_slice(raw).ok()? else {
        return None;
    };
    let text = |value: &serde_json::Value| value.as_str().map(one_line);
    let mut parts: Vec<String> = Vec::new();
    for key in [
        "description",
        "message",
        "error_description",
        "title",
        "detail",
        "error",
    ] {
        if let Some(line) = body.get(key).and_then(text) {
            if !parts.contains(&line) {
                parts.push(line);
            }
        }
    }
    if let Some(code) = body.get("code").and_then(text) {
        parts.push(format!("[{code}]"));
    }
    let problems: Vec<String> = body
        .get("errors")
        .and_then(|errors| errors.as_array())
        .into_iter()
        .flatten()
        .map(|problem| {
            if let Some(line) = text(problem) {
                return line;
            }
            let field = problem.get("field").and_then(text);
            let message = problem.get("message").and_then(text);
            let mut line = match (field, message) {
                (Some(field), Some(message)) => format!("{field}: {message}"),
                (Some(one), None) | (None, Some(one)) => one,
                (None, None) => "error".to_owned(),
            };
            if let Some(code) = problem.get("code").and_then(text) {
                line.push_str(&format!(" [{code}]"));
            }
            line
        })
        .collect();
    if !problems.is_empty() {
        parts.push(format!("({})", problems.join("; ")));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Displays a status as `404 Not Found` (or just `599` when it has no reason phrase).
struct StatusText(StatusCode);

impl fmt::Display for StatusText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.canonical_reason() {
            Some(reason) => write!(f, "{} {reason}", self.0.as_str()),
            None => f.write_str(self.0.as_str()),
        }
    }
}

/// The first ~200 characters of a body, lossy UTF-8, with `…` when cut.
pub(crate) fn snippet(body: &[u8]) -> String {
    // 4 bytes per char at most: never decode more than needed.
    let head = &body[..body.len().min(SNIPPET_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out: String = text.chars().take(SNIPPET_CHARS).collect();
    if head.len() < body.len() || text.chars().nth(SNIPPET_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Collapses line breaks and runs of whitespace so a message stays on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_body_decodes_into_the_declared_type() {
        #[derive(Debug, serde::Deserialize, PartialEq)]
        struct Problem {
            title: String,
            status: u16,
        }
        let error = ApiError::new(
            Method::GET,
            "/pets/1".to_owned(),
            StatusCode::NOT_FOUND,
            Bytes::from_static(br#"{"title": "No such pet", "status": 404}"#),
            RateLimit::default(),
        );
        assert_eq!(
            error.body_as::<Problem>().unwrap(),
            Problem {
                title: "No such pet".to_owned(),
                status: 404
            }
        );
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)] // only decoding is tested
        struct Other {
            code: u32,
        }
        let failed = error.body_as::<Other>().unwrap_err();
        assert_eq!(failed.status, StatusCode::NOT_FOUND);
        assert!(failed.message.contains("missing field `code`"), "{failed}");
    }

    #[test]
    fn snippet_cuts_long_bodies_and_is_lossy() {
        let long = "x".repeat(500);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), 201);
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"short"), "short");
        assert_eq!(snippet(&[0x66, 0xff, 0x6f]), "f\u{fffd}o");
        assert_eq!(snippet(b""), "");
    }

    #[test]
    fn every_kind_displays_on_one_line() {
        let timeout = |kind| Error::Timeout {
            method: Method::GET,
            path: "/api/v2/tickets".into(),
            kind,
        };
        let errors = [
            timeout(TimeoutKind::Connect),
            timeout(TimeoutKind::Attempt),
            timeout(TimeoutKind::Operation),
            Error::invalid_request("header\nbroken\r\n  here"),
            Error::config("two\nlines"),
            Error::File {
                path: "a\nb.txt".into(),
                source: std::io::Error::other("disk\non fire"),
            },
            Error::RateLimited {
                method: Method::POST,
                path: "/api/v2/tickets".into(),
                retry_after: None,
                rate_limit: RateLimit::default(),
            },
        ];
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        for line in &lines {
            assert!(!line.contains(['\n', '\r']), "{line:?}");
        }
        assert_eq!(lines[0], "GET /api/v2/tickets → timed out while connecting");
        assert_eq!(lines[1], "GET /api/v2/tickets → timed out");
        assert_eq!(
            lines[2],
            "GET /api/v2/tickets → timed out (operation time limit reached)"
        );
        assert_eq!(lines[3], "invalid request: header broken here");
        assert_eq!(
            lines[6],
            "POST /api/v2/tickets → 429 Too Many Requests: rate limit exceeded"
        );
    }

    #[test]
    fn snippet_of_multibyte_text_is_not_marked_cut() {
        assert_eq!(snippet("héllo wörld".as_bytes()), "héllo wörld");
    }

    #[test]
    fn api_error_display_lists_the_problems_of_a_body() {
        let err = ApiError::new(
            Method::POST,
            "/tickets".into(),
            StatusCode::BAD_REQUEST,
            Bytes::from_static(
                br#"{"description":"Validation failed","errors":[{"field":"email","message":"It should be a valid email","code":"invalid_value"},"also this"]}"#,
            ),
            RateLimit::default(),
        );
        assert_eq!(
            err.to_string(),
            "POST /tickets → 400 Bad Request: Validation failed (email: It should be a valid email [invalid_value]; also this)"
        );
    }

    #[test]
    fn api_error_display_flat_body() {
        let err = ApiError::new(
            Method::GET,
            "/api/v2/agents".into(),
            StatusCode::FORBIDDEN,
            Bytes::from_static(br#"{"code":"access_denied","message":"You are not\nauthorized."}"#),
            RateLimit::default(),
        );
        assert_eq!(
            err.to_string(),
            "GET /api/v2/agents → 403 Forbidden: You are not authorized. [access_denied]"
        );
    }

    #[test]
    fn api_error_with_unrelated_json_keeps_no_body() {
        let err = ApiError::new(
            Method::DELETE,
            "/x".into(),
            StatusCode::from_u16(599).unwrap(),
            Bytes::from_static(br#"{"other":1}"#),
            RateLimit::default(),
        );
        assert_eq!(
            err.to_string(),
            r#"DELETE /x → 599 (body starts: "{\"other\":1}")"#
        );
    }

    #[test]
    fn api_error_with_empty_body() {
        let err = ApiError::new(
            Method::PUT,
            "/x".into(),
            StatusCode::NOT_FOUND,
            Bytes::new(),
            RateLimit::default(),
        );
        assert_eq!(err.to_string(), "PUT /x → 404 Not Found");
    }
}
