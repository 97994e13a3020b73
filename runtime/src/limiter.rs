//! Opt-in client-side rate-limit budgeting: slow down before the API answers 429.
//!
//! Freshservice allows each account a number of calls per minute (by plan) and reports the
//! calls left in `X-Ratelimit-Remaining` on every response. A [`RateLimiter`] keeps an
//! estimate of that budget: it refills continuously at the per-minute limit, every request
//! takes one call from it, and every response lowers it to what the server reports when the
//! server reports less (other programs may be using the same account). While the budget is
//! above the reserve, requests go out at once; once a request would take it below the
//! reserve, the request waits until the budget has refilled, so a burst is spread out at the
//! allowed rate instead of running into 429s. A 429 holds every request back for its
//! `Retry-After` (at most a minute, one rate-limit window).
//!
//! The limiter is shared by every clone of the [`Client`](crate::Client) it is given to, and
//! one limiter can be given to several clients that use the same account.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http::StatusCode;
use tokio::time::Instant;

use crate::rate_limit::RateLimit;

/// The longest a 429's `Retry-After` holds every request back: one rate-limit window.
const MAX_PAUSE: Duration = Duration::from_secs(60);

/// A per-account call budget shared by clients; see the [module docs](self).
///
/// ```
/// use openapi_client_runtime::{ClientBuilder, RateLimiter};
///
/// // A plan allowing 200 calls a minute; keep 20 in reserve for other programs.
/// let limiter = RateLimiter::per_minute(200).reserve(20);
/// let client = ClientBuilder::new("https://{domain}.freshservice.com/api/v2")
///     .domain("acme")
///     .rate_limiter(limiter.clone())
///     .build()?;
/// # Ok::<(), openapi_client_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct RateLimiter {
    limit: u32,
    reserve: u32,
    state: Arc<Mutex<Bucket>>,
}

/// The estimated budget at `updated`.
struct Bucket {
    /// The calls per minute currently assumed: the configured limit, or less when the
    /// server reports a lower `X-Ratelimit-Total`.
    capacity: f64,
    /// Calls left; negative when requests are queued waiting for the budget to refill.
    tokens: f64,
    updated: Instant,
    /// No request is sent before this instant (set by a 429's `Retry-After`).
    paused_until: Option<Instant>,
}

impl Bucket {
    /// Calls regained per second.
    fn rate(&self) -> f64 {
        self.capacity / 60.0
    }

    /// Brings the estimate forward to `now`.
    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate()).min(self.capacity);
        self.updated = now;
    }
}

impl RateLimiter {
    /// A limiter for `limit` calls per minute (the plan's limit), starting with the whole
    /// budget and a reserve of a tenth of it. A limit of 0 is rejected by
    /// [`ClientBuilder::build`](crate::ClientBuilder::build).
    pub fn per_minute(limit: u32) -> Self {
        RateLimiter {
            limit,
            reserve: limit / 10,
            state: Arc::new(Mutex::new(Bucket {
                capacity: f64::from(limit),
                tokens: f64::from(limit),
                updated: Instant::now(),
                paused_until: None,
            })),
        }
    }

    /// Keeps `calls` of the budget unused: requests start waiting when the budget would
    /// drop below it (default: a tenth of the limit). Larger reserves slow down earlier.
    pub fn reserve(mut self, calls: u32) -> Self {
        self.reserve = calls;
        self
    }

    /// The configured calls per minute.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The estimated number of calls left now (negative while requests are waiting).
    pub fn estimated_remaining(&self) -> f64 {
        let mut bucket = self.lock();
        bucket.refill(Instant::now());
        bucket.tokens
    }

    /// The reason `build` rejects this limiter, if any.
    pub(crate) fn problem(&self) -> Option<String> {
        if self.limit == 0 {
            return Some("the rate limiter's per-minute limit must be at least 1".to_owned());
        }
        if self.reserve >= self.limit {
            return Some(format!(
                "the rate limiter's reserve ({}) must be below its per-minute limit ({})",
                self.reserve, self.limit
            ));
        }
        None
    }

    /// Takes one call from the budget at `now` and returns how long to wait before sending.
    ///
    /// When that wait would end after `deadline`, nothing is taken and `Err` carries the
    /// wait.
    pub(crate) fn acquire(
        &self,
        now: Instant,
        deadline: Option<Instant>,
    ) -> Result<Duration, Duration> {
        let mut bucket = self.lock();
        bucket.refill(now);
        let after = bucket.tokens - 1.0;
        let reserve = f64::from(self.reserve).min(bucket.capacity - 1.0);
        let mut wait = if after >= reserve {
            Duration::ZERO
        } else {
            Duration::try_from_secs_f64((reserve - after) / bucket.rate()).unwrap_or(Duration::MAX)
        };
        if let Some(until) = bucket.paused_until {
            wait = wait.max(until.saturating_duration_since(now));
        }
        if deadline.is_some_and(|deadline| now.checked_add(wait).is_none_or(|end| end > deadline)) {
            return Err(wait);
        }
        bucket.tokens = after;
        Ok(wait)
    }

    /// Updates the budget from the status and rate-limit headers of a response received
    /// at `now`.
    pub(crate) fn observe(
        &self,
        now: Instant,
        status: StatusCode,
        rate_limit: &RateLimit,
        retry_after: Option<Duration>,
    ) {
        let mut bucket = self.lock();
        bucket.refill(now);
        if let Some(total) = rate_limit.total.filter(|total| *total > 0) {
            bucket.capacity = f64::from(total.min(self.limit));
            bucket.tokens = bucket.tokens.min(bucket.capacity);
        }
        if let Some(remaining) = rate_limit.remaining {
            bucket.tokens = bucket.tokens.min(f64::from(remaining));
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            bucket.tokens = bucket.tokens.min(0.0);
            if let Some(until) = retry_after.and_then(|wait| now.checked_add(wait.min(MAX_PAUSE))) {
                bucket.paused_until = Some(bucket.paused_until.map_or(until, |u| u.max(until)));
            }
        }
    }

    /// The state, even if another thread panicked while holding it (it stays consistent:
    /// every update is a few arithmetic steps).
    fn lock(&self) -> MutexGuard<'_, Bucket> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.limit)
            .field("reserve", &self.reserve)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(total: u32, remaining: u32) -> RateLimit {
        RateLimit {
            total: Some(total),
            remaining: Some(remaining),
            used_by_request: Some(1),
        }
    }

    fn secs(n: f64) -> Duration {
        Duration::from_secs_f64(n)
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_runs_free_down_to_the_reserve_then_at_the_allowed_rate() {
        // 60 a minute: one call a second once the 54 above the reserve of 6 are used.
        let limiter = RateLimiter::per_minute(60);
        for _ in 0..54 {
            assert_eq!(limiter.acquire(Instant::now(), None), Ok(Duration::ZERO));
        }
        let waits: Vec<_> = (0..3)
            .map(|_| limiter.acquire(Instant::now(), None))
            .collect();
        assert_eq!(waits, [Ok(secs(1.0)), Ok(secs(2.0)), Ok(secs(3.0))]);

        tokio::time::advance(secs(3.0)).await;
        assert_eq!(limiter.acquire(Instant::now(), None), Ok(secs(1.0)));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_requests_are_spaced_at_the_refill_rate() {
        let limiter = RateLimiter::per_minute(120).reserve(0);
        limiter.observe(Instant::now(), StatusCode::OK, &headers(120, 0), None);
        let start = Instant::now();
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    let wait = limiter
                        .acquire(Instant::now(), None)
                        .unwrap_or(Duration::MAX);
                    tokio::time::sleep(wait).await;
                    start.elapsed()
                })
            })
            .collect();
        let mut done = Vec::new();
        for task in tasks {
            done.push(task.await.unwrap());
        }
        done.sort();
        assert_eq!(done, [secs(0.5), secs(1.0), secs(1.5), secs(2.0)]);
    }

    #[tokio::test(start_paused = true)]
    async fn server_reports_lower_the_budget_never_raise_it() {
        let limiter = RateLimiter::per_minute(100).reserve(0);
        limiter.observe(Instant::now(), StatusCode::OK, &headers(100, 2), None);
        assert_eq!(limiter.estimated_remaining(), 2.0);
        limiter.observe(Instant::now(), StatusCode::OK, &headers(100, 90), None);
        assert_eq!(limiter.estimated_remaining(), 2.0);
        // A lower total from the server caps the budget and slows the refill.
        limiter.observe(Instant::now(), StatusCode::OK, &headers(30, 1), None);
        tokio::time::advance(secs(10.0)).await;
        assert_eq!(limiter.estimated_remaining(), 6.0);
        tokio::time::advance(secs(600.0)).await;
        assert_eq!(limiter.estimated_remaining(), 30.0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_holds_requests_back_for_its_retry_after() {
        let limiter = RateLimiter::per_minute(6000).reserve(0);
        limiter.observe(
            Instant::now(),
            StatusCode::TOO_MANY_REQUESTS,
            &RateLimit::default(),
            Some(secs(30.0)),
        );
        // The budget is empty (0.01 s per call) but the pause is longer.
        assert_eq!(limiter.acquire(Instant::now(), None), Ok(secs(30.0)));
        tokio::time::advance(secs(30.0)).await;
        assert_eq!(limiter.acquire(Instant::now(), None), Ok(Duration::ZERO));
    }

    #[tokio::test(start_paused = true)]
    async fn an_absurd_retry_after_pauses_one_window_at_most() {
        let limiter = RateLimiter::per_minute(6000).reserve(0);
        limiter.observe(
            Instant::now(),
            StatusCode::TOO_MANY_REQUESTS,
            &RateLimit::default(),
            Some(Duration::MAX),
        );
        assert_eq!(limiter.acquire(Instant::now(), None), Ok(secs(60.0)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_past_the_deadline_takes_nothing() {
        let limiter = RateLimiter::per_minute(60).reserve(0);
        limiter.observe(Instant::now(), StatusCode::OK, &headers(60, 0), None);
        let deadline = Instant::now() + secs(0.5);
        assert_eq!(
            limiter.acquire(Instant::now(), Some(deadline)),
            Err(secs(1.0))
        );
        assert_eq!(limiter.estimated_remaining(), 0.0);
        assert_eq!(limiter.acquire(Instant::now(), None), Ok(secs(1.0)));
    }

    #[test]
    fn invalid_settings_are_named() {
        assert!(RateLimiter::per_minute(0)
            .problem()
            .is_some_and(|p| p.contains("at least 1")));
        assert!(RateLimiter::per_minute(10)
            .reserve(10)
            .problem()
            .is_some_and(|p| p.contains("reserve (10)")));
        assert_eq!(RateLimiter::per_minute(1).problem(), None);
    }
}
