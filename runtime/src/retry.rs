//! When and how long to wait before sending a failed request again.
//!
//! A [`RetryPolicy`] is set for every request with
//! [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy) and can be replaced
//! for one request with [`RequestOptions::retry_policy`](crate::RequestOptions::retry_policy).
//!
//! What is retried:
//!
//! - a connection that could not be established (the request never left the client), for
//!   every method;
//! - `429 Too Many Requests`, for every method (the server did not process the request),
//!   after the `Retry-After` delay (seconds or HTTP-date); when that delay is longer than
//!   [`RetryPolicy::max_retry_after`], [`Error::RateLimited`](crate::Error::RateLimited) is
//!   returned at once;
//! - `408 Request Timeout`, `5xx` (except `501 Not Implemented` and `505 HTTP Version Not
//!   Supported`, which a retry cannot fix), timeouts and broken connections, only for the
//!   idempotent methods `GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT` and `DELETE`: a `POST` or
//!   `PATCH` that may have reached the server is sent again only when the caller opts in
//!   with [`RequestOptions::retry_non_idempotent`](crate::RequestOptions::retry_non_idempotent),
//!   so a create is never duplicated behind the caller's back.
//!
//! Waits grow exponentially (`base_delay`, twice that, four times, ... up to `max_delay`)
//! and are shortened by a random fraction (the jitter) so that many clients failing at the
//! same moment do not come back at the same moment. A `Retry-After` sent with a `503` is
//! honoured too.

use std::time::Duration;

use http::{Method, StatusCode};

/// How often and how patiently a request is retried. See the [module docs](self) for
/// which failures are retried.
///
/// ```
/// use std::time::Duration;
/// use openapi_client_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::new()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(250))
///     .max_delay(Duration::from_secs(10))
///     .jitter(0.5)
///     .max_retry_after(Duration::from_secs(60));
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// assert_eq!(policy.attempts(), 5);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    jitter: f64,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Same as [`RetryPolicy::new`].
    fn default() -> Self {
        RetryPolicy::new()
    }
}

impl RetryPolicy {
    /// The recommended policy: 3 attempts, waits from 500 ms doubling up to 30 s, jitter
    /// 0.5, and `Retry-After` honoured up to 60 s (Freshservice's rate-limit window).
    pub fn new() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            jitter: 0.5,
            max_retry_after: Duration::from_secs(60),
        }
    }

    /// Never retries: every request is sent once (the client's default).
    pub fn none() -> Self {
        RetryPolicy::new().max_attempts(1)
    }

    /// How many times a request may be sent in all, the first time included (`1` means
    /// no retries; `0` is taken as `1`).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; each further retry waits twice as long as the
    /// one before, up to [`max_delay`](RetryPolicy::max_delay).
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between two attempts when the server did not say how long to wait.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// How much of each backoff wait may be cut at random, from `0.0` (waits are exactly
    /// `base_delay × 2ⁿ`) to `1.0` (anywhere between zero and that). Values outside the
    /// range are clamped; NaN is taken as `0.0`. `Retry-After` waits are never shortened.
    pub fn jitter(mut self, fraction: f64) -> Self {
        self.jitter = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        self
    }

    /// The longest `Retry-After` the client waits for. When the server asks for a longer
    /// wait, the error (for a 429, [`Error::RateLimited`](crate::Error::RateLimited) with
    /// the `retry_after` it asked for) is returned at once, without waiting.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// How many times a request may be sent in all (at least 1).
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` honoured.
    pub(crate) fn retry_after_limit(&self) -> Duration {
        self.max_retry_after
    }

    /// The wait before retry number `retry` (1 for the first retry), with `random` in
    /// `[0, 1)` choosing how much jitter is cut.
    pub(crate) fn backoff(&self, retry: u32, random: f64) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let factor = 1.0 - self.jitter * random.clamp(0.0, 1.0);
        Duration::try_from_secs_f64(full.as_secs_f64() * factor).unwrap_or(full)
    }
}

/// Whether sending `method` twice has the same effect as sending it once (RFC 9110 §9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE
    )
}

/// Whether a response with this status is worth sending again (429 aside, which is
/// always retried).
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || (status.is_server_error()
            && status != StatusCode::NOT_IMPLEMENTED
            && status != StatusCode::HTTP_VERSION_NOT_SUPPORTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let policy = RetryPolicy::new()
            .base_delay(ms(100))
            .max_delay(ms(1000))
            .jitter(0.0);
        let waits: Vec<_> = (1..=6).map(|n| policy.backoff(n, 0.9)).collect();
        assert_eq!(
            waits,
            [ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)]
        );
        assert_eq!(policy.backoff(u32::MAX, 0.5), ms(1000));
    }

    #[test]
    fn jitter_cuts_at_most_its_fraction() {
        let policy = RetryPolicy::new()
            .base_delay(ms(1000))
            .max_delay(ms(60_000))
            .jitter(0.25);
        assert_eq!(policy.backoff(1, 0.0), ms(1000));
        assert_eq!(policy.backoff(1, 1.0), ms(750));
        assert_eq!(policy.backoff(2, 0.5), ms(1750));
        for _ in 0..100 {
            let wait = policy.backoff(1, fastrand::f64());
            assert!((ms(750)..=ms(1000)).contains(&wait), "{wait:?}");
        }
    }

    #[test]
    fn out_of_range_settings_are_tamed() {
        let policy = RetryPolicy::new().max_attempts(0).jitter(f64::NAN);
        assert_eq!(policy.attempts(), 1);
        assert_eq!(policy.backoff(1, 0.7), ms(500));
        assert_eq!(RetryPolicy::new().jitter(7.0).backoff(1, 1.0), ms(0));
        assert_eq!(RetryPolicy::new().jitter(-1.0).backoff(1, 1.0), ms(500));
    }

    #[test]
    fn idempotent_methods_and_retryable_statuses() {
        for method in [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ] {
            assert!(is_idempotent(&method), "{method}");
        }
        for method in [Method::POST, Method::PATCH, Method::CONNECT] {
            assert!(!is_idempotent(&method), "{method}");
        }
        for code in [408, 500, 502, 503, 504, 599] {
            assert!(
                is_retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
        for code in [200, 400, 404, 409, 429, 501, 505] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
    }
}
