//! Runtime support for API clients generated from OpenAPI descriptions.
//!
//! Generated crates describe each operation as a [`Request`] (method, path
//! template, parameters, body), send it with [`Client::execute`] and decode the
//! [`RawResponse`] into a typed [`Response`]. Everything that can fail returns
//! [`Error`], whose `Display` is one line naming the method, the request path
//! and the status, never the host, query string or credentials.
//!
//! ```no_run
//! use client_runtime::{ClientBuilder, Method, Request};
//!
//! #[derive(Debug, serde::Deserialize)]
//! struct Ticket {
//!     id: u64,
//!     subject: String,
//! }
//!
//! # async fn example() -> Result<(), client_runtime::Error> {
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

mod body;
mod client;
pub mod de;
mod error;
pub mod multipart;
mod request;
mod response;

pub use bytes::Bytes;
pub use http::Method;

pub use body::Body;
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, Error, ErrorBody, ErrorCode, ErrorDetail};
pub use multipart::{FilePart, Form};
pub use request::{ParamValue, Request};
pub use response::{RateLimit, RawResponse, Response};
