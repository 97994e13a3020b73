//! The settings every generated client builder forwards to [`ClientBuilder`](crate::ClientBuilder).
//!
//! A generated crate's `ClientBuilder` holds the runtime's builder in a field called `inner`
//! and adds a method per server variable and per security scheme of its description; the
//! settings that do not depend on the description (base URL, timeouts, retries, ...) come
//! from this one macro, so they are written once, here, for every generated crate.

/// Gives a generated client builder `$builder` (a struct whose `inner` field holds an
/// `openapi_client_runtime::ClientBuilder<$client>`) the runtime builder's settings and
/// `build`, and a private `with` to change `inner` by value.
#[macro_export]
macro_rules! client_builder_methods {
    ($builder:ident, $client:ty) => {
        impl $builder {
            /// Applies `change` to the runtime builder underneath.
            fn with(
                self,
                change: impl ::std::ops::FnOnce(
                    $crate::ClientBuilder<$client>,
                ) -> $crate::ClientBuilder<$client>,
            ) -> Self {
                Self {
                    inner: change(self.inner),
                }
            }

            /// Sends requests to `url` instead of the description's server (tests, proxies);
            /// see `openapi_client_runtime::ClientBuilder::base_url`.
            pub fn base_url(self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.with(|inner| inner.base_url(url))
            }

            /// Sets a variable of the server URL by name; see
            /// `openapi_client_runtime::ClientBuilder::server_variable`.
            pub fn server_variable(
                self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.with(|inner| inner.server_variable(name, value))
            }

            /// Stores a credential for a security scheme by name; see
            /// `openapi_client_runtime::ClientBuilder::credential`.
            pub fn credential(self, scheme: &'static str, credential: $crate::Credential) -> Self {
                self.with(|inner| inner.credential(scheme, credential))
            }

            /// Limits each attempt; see `openapi_client_runtime::ClientBuilder::timeout`.
            pub fn timeout(self, limit: ::std::time::Duration) -> Self {
                self.with(|inner| inner.timeout(limit))
            }

            /// Limits a whole call, retries included; see
            /// `openapi_client_runtime::ClientBuilder::operation_timeout`.
            pub fn operation_timeout(self, limit: ::std::time::Duration) -> Self {
                self.with(|inner| inner.operation_timeout(limit))
            }

            /// Limits connecting; see `openapi_client_runtime::ClientBuilder::connect_timeout`.
            pub fn connect_timeout(self, limit: ::std::time::Duration) -> Self {
                self.with(|inner| inner.connect_timeout(limit))
            }

            /// Limits the wait for each piece of a response; see
            /// `openapi_client_runtime::ClientBuilder::read_timeout`.
            pub fn read_timeout(self, limit: ::std::time::Duration) -> Self {
                self.with(|inner| inner.read_timeout(limit))
            }

            /// Turns the default timeouts off; see
            /// `openapi_client_runtime::ClientBuilder::without_default_timeouts`.
            pub fn without_default_timeouts(self) -> Self {
                self.with(|inner| inner.without_default_timeouts())
            }

            /// Limits the size of response bodies read whole; see
            /// `openapi_client_runtime::ClientBuilder::max_response_size`.
            pub fn max_response_size(self, bytes: u64) -> Self {
                self.with(|inner| inner.max_response_size(bytes))
            }

            /// Sets when calls are retried; see
            /// `openapi_client_runtime::ClientBuilder::retry_policy`.
            pub fn retry_policy(self, policy: $crate::RetryPolicy) -> Self {
                self.with(|inner| inner.retry_policy(policy))
            }

            /// Paces calls by a shared budget; see
            /// `openapi_client_runtime::ClientBuilder::rate_limiter`.
            pub fn rate_limiter(self, limiter: $crate::RateLimiter) -> Self {
                self.with(|inner| inner.rate_limiter(limiter))
            }

            /// Sets the `User-Agent` header; see
            /// `openapi_client_runtime::ClientBuilder::user_agent`.
            pub fn user_agent(
                self,
                agent: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.with(|inner| inner.user_agent(agent))
            }

            /// Sends through a caller's `reqwest::Client`; see
            /// `openapi_client_runtime::ClientBuilder::http_client`.
            pub fn http_client(self, client: $crate::reqwest::Client) -> Self {
                self.with(|inner| inner.http_client(client))
            }

            /// **Dangerous**: allows credentials over plain http to a host that is not
            /// loopback; see `openapi_client_runtime::ClientBuilder::danger_allow_insecure_http`.
            pub fn danger_allow_insecure_http(self) -> Self {
                self.with(|inner| inner.danger_allow_insecure_http())
            }

            /// Checks the configuration and builds the client; see
            /// `openapi_client_runtime::ClientBuilder::build`.
            pub fn build(self) -> ::std::result::Result<$client, $crate::Error> {
                self.inner.build()
            }
        }
    };
}
