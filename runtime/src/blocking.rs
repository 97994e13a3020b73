//! Blocking calls (cargo feature `blocking`): the same client, driven from synchronous code.
//!
//! Calls run on one background runtime shared by the whole process (a single worker thread,
//! started on first use), so the connection pool, retries, timeouts and the rate limiter work
//! exactly as in async code. Blocking calls must not be made from inside an async runtime:
//! that would stall its thread, so it is refused with [`Error::Config`] instead.
//!
//! ```no_run
//! use openapi_client_runtime::{ClientBuilder, Method, Request};
//!
//! let client = ClientBuilder::new("https://{domain}.freshservice.com/api/v2")
//!     .domain("acme")
//!     .api_key("your-api-key")
//!     .build()?;
//! let response = openapi_client_runtime::blocking::block_on(
//!     client.execute(Request::new(Method::GET, "/tickets/{id}").path_param("id", &42)),
//! )?;
//! println!("{}", response.status());
//! # Ok::<(), openapi_client_runtime::Error>(())
//! ```

use std::future::Future;
use std::sync::OnceLock;

use futures_util::StreamExt as _;

use crate::pagination::{Items, Page, PageError, Pages};
use crate::Error;

/// The process-wide runtime blocking calls run on, or why it could not be started.
static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();

/// Runs `future` (a call of the client) to completion on the background runtime, blocking
/// the current thread. Inside an async runtime, or when the background runtime cannot be
/// started, returns [`Error::Config`] without running it.
pub fn block_on<T>(future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    runtime()?.block_on(future)
}

/// The background runtime, started on first use, after checking that the caller is not
/// itself inside an async runtime.
fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Config {
            message:
                "a blocking call was made inside an async runtime; await the async method instead"
                    .to_owned(),
        });
    }
    let started = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("openapi-client-runtime-blocking")
            .enable_all()
            .build()
            .map_err(|err| format!("cannot start the runtime for blocking calls: {err}"))
    });
    started.as_ref().map_err(|message| Error::Config {
        message: message.clone(),
    })
}

/// The pages of a list, one blocking fetch per `next()` (from [`Pages::blocking`]).
#[derive(Debug)]
#[must_use = "iterators do nothing unless iterated"]
pub struct PagesIter<T> {
    pages: Pages<T>,
}

impl<T: Send + 'static> Pages<T> {
    /// The pages as a blocking iterator (cargo feature `blocking`), for synchronous code.
    pub fn blocking(self) -> PagesIter<T> {
        PagesIter { pages: self }
    }
}

impl<T: Send + 'static> Iterator for PagesIter<T> {
    type Item = Result<Page<T>, PageError>;

    fn next(&mut self) -> Option<Self::Item> {
        match runtime() {
            Ok(runtime) => runtime.block_on(self.pages.next()),
            Err(error) => Some(Err(self.pages.fail(error))),
        }
    }
}

/// The items of a list, fetching a page whenever the previous one is used up (from
/// [`Items::blocking`]).
#[derive(Debug)]
#[must_use = "iterators do nothing unless iterated"]
pub struct ItemsIter<T> {
    items: Items<T>,
}

impl<T: Send + 'static> Items<T> {
    /// The items as a blocking iterator (cargo feature `blocking`), for synchronous code.
    pub fn blocking(self) -> ItemsIter<T> {
        ItemsIter { items: self }
    }
}

impl<T: Send + 'static> Iterator for ItemsIter<T> {
    type Item = Result<T, PageError>;

    fn next(&mut self) -> Option<Self::Item> {
        let error = match runtime() {
            Ok(runtime) => return runtime.block_on(self.items.next()),
            Err(error) => error,
        };
        // Items already fetched come first, then the error.
        let (pages, current, failed) = self.items.parts();
        if let Some(item) = current.pop_front() {
            return Some(Ok(item));
        }
        Some(Err(failed.take().unwrap_or_else(|| pages.fail(error))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_futures_outside_async_code() {
        let value = block_on(async { Ok::<_, Error>(7) }).unwrap();
        assert_eq!(value, 7);
        let twice = block_on(async { Ok::<_, Error>(8) }).unwrap();
        assert_eq!(twice, 8);
    }

    #[tokio::test]
    async fn refuses_to_block_inside_an_async_runtime() {
        let err = block_on(async { Ok::<_, Error>(()) }).unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains("inside an async runtime"), "{err}");
    }
}
