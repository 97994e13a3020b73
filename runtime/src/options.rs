//! Settings for one request that replace the client's: timeouts, retries, extra headers.

use std::fmt;
use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::param::ParamValue;
use crate::retry::RetryPolicy;

/// Per-request overrides, given to [`Request::options`](crate::Request::options) (generated
/// request builders expose it as `.options(..)`). Anything left unset falls back to the
/// client's configuration.
///
/// ```
/// use std::time::Duration;
/// use openapi_client_runtime::{Method, Request, RequestOptions, RetryPolicy};
///
/// // A create that is safe to repeat because the caller checks for duplicates itself.
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .operation_timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::new().max_attempts(4))
///     .retry_non_idempotent(true)
///     .header("X-Correlation-Id", "job-42");
/// let request = Request::new(Method::POST, "/tickets").options(options);
/// ```
///
/// `Debug` shows the names of extra headers, never their values.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry_policy: Option<RetryPolicy>,
    pub(crate) retry_non_idempotent: bool,
    pub(crate) headers: HeaderMap,
    /// The first invalid header, reported when the request is sent.
    pub(crate) problem: Option<String>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Limits each attempt, from connecting to the end of the response body, instead of
    /// the client's [`timeout`](crate::ClientBuilder::timeout).
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = Some(limit);
        self
    }

    /// Limits the whole call (rate-limit waits, every attempt and the waits between them)
    /// instead of the client's [`operation_timeout`](crate::ClientBuilder::operation_timeout).
    pub fn operation_timeout(mut self, limit: Duration) -> Self {
        self.operation_timeout = Some(limit);
        self
    }

    /// Retries this request by `policy` instead of the client's
    /// [`retry_policy`](crate::ClientBuilder::retry_policy).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Sends this request once, whatever the client's retry policy.
    pub fn no_retries(self) -> Self {
        self.retry_policy(RetryPolicy::none())
    }

    /// Allows a `POST` or `PATCH` to be sent again after a failure that may have reached
    /// the server (a 5xx, a timeout, a broken connection). Only for requests that are safe
    /// to repeat: a retried create can create twice. Off by default.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// Sends this header too, replacing a header of the same name that the client or the
    /// operation would send (including `Authorization`). An invalid name or value is
    /// reported as [`Error::InvalidRequest`](crate::Error::InvalidRequest) when the request
    /// is sent.
    pub fn header<T: ParamValue + ?Sized>(mut self, name: &str, value: &T) -> Self {
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.record(format!("extra header {name:?} is not a valid header name"));
            return self;
        };
        match HeaderValue::from_str(&value.to_param()) {
            Ok(mut header_value) => {
                header_value.set_sensitive(true);
                self.headers.insert(header_name, header_value);
            }
            Err(_) => self.record(format!("extra header `{header_name}` has an invalid value")),
        }
        self
    }

    fn record(&mut self, problem: String) {
        if self.problem.is_none() {
            self.problem = Some(problem);
        }
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_header_values() {
        let options = RequestOptions::new()
            .header("Authorization", "Bearer hunter2")
            .retry_non_idempotent(true);
        let debug = format!("{options:?}");
        assert!(debug.contains("authorization"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }

    #[test]
    fn first_invalid_header_is_kept() {
        let options = RequestOptions::new()
            .header("x-ok", "1")
            .header("bad name", "1")
            .header("x-bad-value", "a\nb");
        assert_eq!(
            options.problem.as_deref(),
            Some("extra header \"bad name\" is not a valid header name")
        );
        assert_eq!(options.headers.len(), 1);
    }

    #[test]
    fn a_later_header_replaces_an_earlier_one() {
        let options = RequestOptions::new().header("x-a", "1").header("X-A", &2);
        assert_eq!(options.headers.get_all("x-a").iter().count(), 1);
        assert_eq!(options.headers["x-a"], "2");
    }
}
