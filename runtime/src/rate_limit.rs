//! The rate-limit counters a response reports in its headers.

use http::header::HeaderName;
use http::HeaderMap;

/// The rate-limit state reported by the `X-Ratelimit-Total`,
/// `X-Ratelimit-Remaining` and `X-Ratelimit-Used-CurrentRequest` headers.
/// A field is `None` when its header is missing or not a number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Calls allowed in the current window.
    pub total: Option<u32>,
    /// Calls left in the current window.
    pub remaining: Option<u32>,
    /// Calls consumed by this request.
    pub used_by_request: Option<u32>,
}

impl RateLimit {
    /// Reads the rate-limit headers (names are case-insensitive).
    pub fn from_headers(headers: &HeaderMap) -> Self {
        const TOTAL: HeaderName = HeaderName::from_static("x-ratelimit-total");
        const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
        const USED: HeaderName = HeaderName::from_static("x-ratelimit-used-currentrequest");
        let number = |name: &HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok())
        };
        RateLimit {
            total: number(&TOTAL),
            remaining: number(&REMAINING),
            used_by_request: number(&USED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn rate_limit_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("X-RateLimit-Total", HeaderValue::from_static("3000"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static(" 998 "));
        headers.insert(
            "X-Ratelimit-Used-CurrentRequest",
            HeaderValue::from_static("many"),
        );
        assert_eq!(
            RateLimit::from_headers(&headers),
            RateLimit {
                total: Some(3000),
                remaining: Some(998),
                used_by_request: None
            }
        );
    }
}
