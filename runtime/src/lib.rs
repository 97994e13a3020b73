//! Runtime support for API clients generated from OpenAPI descriptions.
//!
//! A generated crate describes each operation as a builder implementing [`Operation`]: the
//! [`Request`] it makes (method, path template, parameters, body) and how the typed result is
//! read out of the [`RawResponse`]; sending, paging ([`PagedOperation`]) and blocking are
//! provided here. By hand, a request goes through [`Client::execute`] and its raw response is
//! decoded into a [`Response`]. Everything that can fail returns
//! [`Error`], whose `Display` is one line naming the method, the request path
//! and the status, never the host, query string or credentials.
//!
//! ```no_run
//! use openapi_client_runtime::{ClientBuilder, Method, Request};
//!
//! #[derive(Debug, serde::Deserialize)]
//! struct Ticket {
//!     id: u64,
//!     subject: String,
//! }
//!
//! # async fn example() -> Result<(), openapi_client_runtime::Error> {
//! let client = ClientBuilder::new("https://{domain}.freshservice.com/api/v2")
//!     .domain("acme")
//!     .api_key("your-api-key")
//!     .build()?;
//!
//! let request = Request::new(Method::GET, "/tickets/{id}")
//!     .path_param("id", &42u64)
//!     .query("include", "requester");
//! let response = client.execute(request).await?.json_enveloped::<Ticket>("ticket")?;
//! println!("{:?} ({:?} calls left)", response.value(), response.rate_limit().remaining);
//! # Ok(())
//! # }
//! ```
//!
//! ## Resilience
//!
//! - **Retries** ([`retry`]): a [`RetryPolicy`] on the builder (default:
//!   [`RetryPolicy::new`], 3 attempts in all) retries refused connections, 429 (honouring `Retry-After`, up to a maximum wait beyond which
//!   [`Error::RateLimited`] comes back at once) and, for idempotent methods only, 408, 5xx,
//!   timeouts and broken connections, with exponential backoff and jitter. A `POST` or
//!   `PATCH` that may have reached the server is never sent twice unless the request opts in.
//! - **Timeouts**: connect (default 10 s), read (a response stalled for 30 s), per attempt
//!   (default 60 s, except for streamed downloads) and whole operation (across retries and
//!   waits; none by default), each an [`Error::Timeout`] whose [`TimeoutKind`] says which.
//! - **Redirects**: followed only on the request's origin (scheme, host and port), at most 10;
//!   a redirect elsewhere comes back as the 3xx [`Error::Api`], so neither the credentials nor
//!   a body leave the API.
//! - **Bounded memory**: a body read whole may hold 64 MiB by default
//!   ([`ClientBuilder::max_response_size`], else [`Error::ResponseTooLarge`]); downloads
//!   stream unbounded.
//! - **No credentials in clear**: [`ClientBuilder::build`] refuses a plain `http://` base URL
//!   to a host that is not loopback when credentials are set, and a base URL with user info.
//! - **Per-request options**: [`RequestOptions`] (timeouts, retry policy, extra headers),
//!   given to [`Request::options`].
//! - **Rate-limit budgeting** ([`limiter`], opt-in): a [`RateLimiter`] shared by clones of
//!   the client, fed by `X-Ratelimit-Remaining`, that spreads bursts out before the API
//!   answers 429.
//! - **Tracing**: a `request` span per call (`method`, `path` template, `status`,
//!   `attempts`) and an `attempt` span per attempt; credentials are never recorded.
//!
//! ```no_run
//! use std::time::Duration;
//! use openapi_client_runtime::{ClientBuilder, Method, RateLimiter, Request, RequestOptions, RetryPolicy};
//!
//! # async fn example() -> Result<(), openapi_client_runtime::Error> {
//! let client = ClientBuilder::new("https://{domain}.freshservice.com/api/v2")
//!     .domain("acme")
//!     .api_key("your-api-key")
//!     .retry_policy(RetryPolicy::new())
//!     .timeout(Duration::from_secs(30))
//!     .operation_timeout(Duration::from_secs(120))
//!     .rate_limiter(RateLimiter::per_minute(200))
//!     .build()?;
//!
//! // The caller knows this create is safe to repeat: allow retries after a 5xx.
//! let create = Request::new(Method::POST, "/tickets")
//!     .json(&serde_json::json!({"subject": "Printer on fire", "email": "tom@example.com"}))
//!     .options(RequestOptions::new().retry_non_idempotent(true));
//! client.execute(create).await?;
//! # Ok(())
//! # }
//! ```

// On docs.rs, every item shows the cargo features it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod builder_methods;
mod client;
mod clock;
pub mod de;
mod download;
mod error;
pub mod filter;
mod form_body;
pub mod limiter;
#[cfg(feature = "mock")]
pub mod mock;
pub mod multipart;
mod nullable;
pub mod operation;
mod options;
pub mod pagination;
mod param;
mod rate_limit;
mod request;
mod response;
pub mod retry;
pub mod ser;

pub use bytes::Bytes;
pub use http::Method;
/// The HTTP client underneath, for [`ClientBuilder::http_client`].
pub use reqwest;

pub use auth::{Credential, KeyLocation, Security};
pub use body::Body;
pub use client::{CallFuture, Client, ClientBuilder};
pub use download::ByteStream;
pub use error::{ApiError, DecodeError, Error, TimeoutKind};
pub use filter::{Filter, FilterQuery};
pub use futures_util::StreamExt;
pub use limiter::RateLimiter;
pub use multipart::{FilePart, Form};
pub use nullable::Nullable;
pub use operation::{Operation, PagedOperation};
pub use options::RequestOptions;
pub use pagination::{DecodePage, Items, Page, PageError, PageRef, Pages, Paging};
pub use param::ParamValue;
pub use rate_limit::RateLimit;
pub use request::Request;
pub use response::{Decode, RawResponse, Response};
pub use retry::RetryPolicy;

/// The README's example, compiled as a doctest so the crate page cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
