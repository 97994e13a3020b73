//! Successful responses: the raw form returned by
//! [`Client::execute`](crate::Client::execute) and the decoded [`Response`].

use std::fmt;
use std::marker::PhantomData;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{LOCATION, RETRY_AFTER};
use http::{HeaderMap, Method, StatusCode};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::error::{decode_body, Error};
use crate::rate_limit::RateLimit;

/// Parses `Retry-After` as delay-seconds or as an HTTP-date (a date in the
/// past gives zero). Delay-seconds too large for a `u64` give [`Duration::MAX`]: longer than
/// any wait a retry policy accepts, so the call ends at once instead of ignoring the header.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse().map_or(Duration::MAX, Duration::from_secs));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Reads an operation's typed result out of a raw 2xx response: a generated crate passes
/// one such function per operation to [`Client::send`](crate::Client::send).
pub type Decode<T> = fn(&RawResponse) -> Result<T, Error>;

/// A 2xx response whose body has not been decoded yet.
#[derive(Clone, Debug)]
pub struct RawResponse {
    method: Method,
    path: String,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    /// A response as received.
    pub(crate) fn new(
        method: Method,
        path: String,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        RawResponse {
            method,
            path,
            status,
            headers,
            body,
        }
    }

    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the whole body as JSON.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let value = self.decode_json()?;
        Ok(self.into_response(value))
    }

    /// Decodes `{"<key>": T, ...}` straight into `T`, ignoring the other keys.
    /// A missing key is an [`Error::Decode`] naming it.
    pub fn json_enveloped<T: DeserializeOwned>(
        self,
        key: &'static str,
    ) -> Result<Response<T>, Error> {
        let value = self.decode_enveloped(key)?;
        Ok(self.into_response(value))
    }

    /// Ignores the body.
    pub fn empty(self) -> Response<()> {
        self.into_response(())
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(self) -> Response<String> {
        let text = self.body_text();
        self.into_response(text)
    }

    /// Keeps the body as bytes.
    pub fn bytes(self) -> Response<Bytes> {
        let body = self.body.clone();
        self.into_response(body)
    }

    /// Like [`RawResponse::json`], leaving the response as it is: the value alone.
    pub fn decode_json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        self.decode(PhantomData::<T>)
    }

    /// Like [`RawResponse::json_enveloped`], leaving the response as it is: the value alone.
    pub fn decode_enveloped<T: DeserializeOwned>(&self, key: &'static str) -> Result<T, Error> {
        self.decode(Envelope::<T> {
            key,
            marker: PhantomData,
        })
    }

    /// The body as text (invalid UTF-8 replaced), leaving the response as it is.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Decodes the body with `seed` (see [`decode_body`]).
    fn decode<'a, S: DeserializeSeed<'a> + Clone>(&'a self, seed: S) -> Result<S::Value, Error> {
        decode_body(&self.body, seed, &self.method, &self.path, self.status).map_err(Error::Decode)
    }

    /// The response with its decoded value.
    pub(crate) fn into_response<T>(self, value: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            rate_limit: OnceLock::new(),
            value,
        }
    }
}

/// Decodes the value under `key` of a JSON object, skipping the other entries.
struct Envelope<T> {
    key: &'static str,
    marker: PhantomData<T>,
}

impl<T> Clone for Envelope<T> {
    fn clone(&self) -> Self {
        Envelope {
            key: self.key,
            marker: PhantomData,
        }
    }
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Envelope<T> {
    type Value = T;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Envelope<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object with a `{}` key", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut found = None;
        while let Some(is_key) = map.next_key_seed(KeyIs(self.key))? {
            if !is_key {
                map.next_value::<IgnoredAny>()?;
            } else if found.is_some() {
                return Err(de::Error::duplicate_field(self.key));
            } else {
                found = Some(map.next_value::<T>()?);
            }
        }
        found.ok_or_else(|| {
            de::Error::custom(format_args!(
                "the envelope key `{}` is missing from the response",
                self.key
            ))
        })
    }
}

/// Deserialises a map key into "is it this key?", without allocating.
struct KeyIs(&'static str);

impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

/// A decoded 2xx response: the value plus status, headers, rate-limit state
/// and `Location`.
#[derive(Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    /// Read from `headers` the first time it is asked for.
    rate_limit: OnceLock<RateLimit>,
    value: T,
}

impl<T> Response<T> {
    /// The response status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit headers of the response.
    pub fn rate_limit(&self) -> &RateLimit {
        self.rate_limit
            .get_or_init(|| RateLimit::from_headers(&self.headers))
    }

    /// The `Location` header, e.g. the URL of a created resource.
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, dropping the rest.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Transforms the value, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            rate_limit: self.rate_limit,
            value: f(self.value),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("rate_limit", self.rate_limit())
            .field("location", &self.location())
            .field("value", &self.value)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn raw(body: &'static str) -> RawResponse {
        RawResponse::new(
            Method::GET,
            "/api/v2/tickets/5".into(),
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::from_static(body.as_bytes()),
        )
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Ticket {
        id: u64,
        status: u8,
    }

    #[test]
    fn envelope_skips_other_keys_and_reports_paths() {
        let ticket = raw(r#"{"meta":{"x":[1,2]},"ticket":{"id":5,"status":2},"more":null}"#)
            .json_enveloped::<Ticket>("ticket")
            .unwrap()
            .into_inner();
        assert_eq!(ticket, Ticket { id: 5, status: 2 });

        let err = raw(r#"{"ticket":{"id":5,"status":"open"}}"#)
            .json_enveloped::<Ticket>("ticket")
            .unwrap_err();
        match &err {
            Error::Decode(decode) => assert_eq!(decode.field_path, "ticket.status"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn envelope_errors() {
        let missing = raw(r#"{"tickets":[]}"#)
            .json_enveloped::<Ticket>("ticket")
            .unwrap_err();
        assert!(
            missing
                .to_string()
                .contains("envelope key `ticket` is missing"),
            "{missing}"
        );

        let dup = raw(r#"{"ticket":{"id":1,"status":2},"ticket":{"id":1,"status":2}}"#)
            .json_enveloped::<Ticket>("ticket")
            .unwrap_err();
        assert!(
            dup.to_string().contains("duplicate field `ticket`"),
            "{dup}"
        );

        let not_object = raw("[1]").json_enveloped::<Ticket>("ticket").unwrap_err();
        assert!(
            not_object
                .to_string()
                .contains("a JSON object with a `ticket` key"),
            "{not_object}"
        );

        let trailing = raw(r#"{"ticket":{"id":1,"status":2}} x"#)
            .json_enveloped::<Ticket>("ticket")
            .unwrap_err();
        assert!(
            trailing.to_string().contains("trailing characters"),
            "{trailing}"
        );
    }

    #[test]
    fn top_level_decode_error_path_is_dot() {
        let err = raw("").json::<Ticket>().unwrap_err();
        match err {
            Error::Decode(decode) => assert_eq!(decode.field_path, "."),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
        let parse = |v: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from_static(v));
            retry_after(&headers, now)
        };
        assert_eq!(parse("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:29:30 GMT"),
            Some(Duration::from_secs(90))
        );
        assert_eq!(parse("Wed, 21 Oct 2015 07:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse("soon"), None);
        assert_eq!(parse("-5"), None);
        assert_eq!(
            parse("18446744073709551615"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(parse("99999999999999999999"), Some(Duration::MAX));
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn map_keeps_metadata() {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_static("/api/v2/tickets/9"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("41"));
        let response = RawResponse::new(
            Method::POST,
            "/x".into(),
            StatusCode::CREATED,
            headers,
            Bytes::new(),
        )
        .empty()
        .map(|()| 9);
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.location(), Some("/api/v2/tickets/9"));
        assert_eq!(response.rate_limit().remaining, Some(41));
        assert_eq!(*response.value(), 9);
        let debug = format!("{response:?}");
        assert!(debug.contains("remaining: Some(41)"), "{debug}");
    }
}
