//! The contract between a generated request builder and the runtime.
//!
//! A generated crate describes each operation of its API description as a builder type that
//! implements [`Operation`]: it says which request the builder makes
//! ([`into_request`](Operation::into_request)) and how a successful response becomes its
//! result ([`decode`](Operation::decode)); sending, with or without the response's metadata,
//! and blocking are provided here, once for every operation. A list operation also implements
//! [`PagedOperation`], which provides [`pages`](PagedOperation::pages) and
//! [`items`](PagedOperation::items).
//!
//! So that callers need not import these traits, a generated crate gives its builders
//! inherent methods of the same names with [`operation_methods!`](crate::operation_methods)
//! and [`paged_operation_methods!`](crate::paged_operation_methods), which only forward here.

use crate::pagination::{DecodePage, Items, PageRef, Pages, Paging};
use crate::{CallFuture, Client, Error, RawResponse, Request, Response};

/// One operation of an API description, ready to be sent.
pub trait Operation: Sized {
    /// What a successful call returns.
    type Output: Send + 'static;

    /// The client the call goes through, and the request it sends.
    fn into_request(self) -> (Client, Request);

    /// Reads the result out of a successful (2xx) response.
    fn decode(response: &RawResponse) -> Result<Self::Output, Error>;

    /// Sends the request and returns the decoded result.
    fn send(self) -> CallFuture<Self::Output> {
        let (client, request) = self.into_request();
        client.send(request, Self::decode)
    }

    /// Sends the request and returns the decoded result with the response's status, headers
    /// and rate-limit counters.
    fn send_with_response(self) -> CallFuture<Response<Self::Output>> {
        let (client, request) = self.into_request();
        client.send_with_response(request, Self::decode)
    }

    /// Sends the request like [`send`](Self::send), blocking the current thread until the
    /// result arrives; see [`blocking`](crate::blocking) for where that may be done.
    #[cfg(feature = "blocking")]
    fn send_blocking(self) -> Result<Self::Output, Error> {
        crate::blocking::block_on(self.send())
    }
}

/// An operation whose result is one page of a list.
pub trait PagedOperation: Operation {
    /// One element of the list.
    type Item: Send + 'static;

    /// How the operation moves from page to page, and the page this call asks for (`None`:
    /// the first).
    fn paging(&self) -> (Paging, Option<PageRef>);

    /// The list held by one page's result.
    fn items_of(page: Self::Output) -> Vec<Self::Item>;

    /// Streams the results page by page from the page this call asks for; a failed page
    /// ends the stream with an error that names the page to resume from (see [`Pages`]).
    fn pages(self) -> Pages<Self::Item> {
        let (paging, first) = self.paging();
        let (client, request) = self.into_request();
        let decode: DecodePage<Self::Item> = |response| Self::decode(response).map(Self::items_of);
        Pages::new(client, request, paging, first, decode)
    }

    /// Streams every item of every page, in order (see [`pages`](Self::pages)).
    fn items(self) -> Items<Self::Item> {
        self.pages().items()
    }
}

/// Gives generated builder types (each an [`Operation`] with a field
/// `options: RequestOptions`) the inherent methods `options`, `send`, `send_with_response`
/// and, under the calling crate's `blocking` feature, `send_blocking`, so that callers use
/// them without importing the trait.
#[macro_export]
macro_rules! operation_methods {
    ($($builder:ident),* $(,)?) => {$(
        impl $builder {
            /// Overrides the client's settings for this call: timeouts, retries, extra headers.
            pub fn options(mut self, value: $crate::RequestOptions) -> Self {
                self.options = value;
                self
            }

            /// Sends the request and returns the decoded result.
            pub fn send(self) -> $crate::CallFuture<<Self as $crate::Operation>::Output> {
                $crate::Operation::send(self)
            }

            /// Sends the request and returns the decoded result with the response's status,
            /// headers and rate-limit counters.
            pub fn send_with_response(
                self,
            ) -> $crate::CallFuture<$crate::Response<<Self as $crate::Operation>::Output>> {
                $crate::Operation::send_with_response(self)
            }

            /// Sends the request like `send`, blocking the current thread until the result
            /// arrives (cargo feature `blocking`): from synchronous code, a `spawn_blocking`
            /// thread or a multi-threaded runtime; on a current-thread runtime's own thread it
            /// returns `Error::Config` instead of stalling that runtime.
            #[cfg(feature = "blocking")]
            pub fn send_blocking(
                self,
            ) -> ::std::result::Result<<Self as $crate::Operation>::Output, $crate::Error> {
                $crate::Operation::send_blocking(self)
            }
        }
    )*};
}

/// [`operation_methods!`](crate::operation_methods) for list operations (each a
/// [`PagedOperation`]), adding the inherent `pages` and `items`.
#[macro_export]
macro_rules! paged_operation_methods {
    ($($builder:ident),* $(,)?) => {$(
        $crate::operation_methods!($builder);

        impl $builder {
            /// Streams the results page by page, starting at the page set (or the first),
            /// following the API's next-page links or page numbers. A failed page ends the
            /// stream with an error that names the page to resume from.
            pub fn pages(self) -> $crate::Pages<<Self as $crate::PagedOperation>::Item> {
                $crate::PagedOperation::pages(self)
            }

            /// Streams every item of every page, in order (see `pages`).
            pub fn items(self) -> $crate::Items<<Self as $crate::PagedOperation>::Item> {
                $crate::PagedOperation::items(self)
            }
        }
    )*};
}
