//! Blocking calls (cargo feature `blocking`): the same client, driven from synchronous code.
//!
//! Calls run on one background runtime shared by the whole process (a single worker thread,
//! started on first use), so the connection pool, retries, timeouts and the rate limiter work
//! exactly as in async code.
//!
//! Blocking calls must not stall the thread of a current-thread tokio runtime (its
//! `block_on`, or a task it runs): its other tasks would stop, and the call would deadlock
//! when it needs one of them (a pooled connection opened there). That is refused with
//! [`Error::Config`] instead, before anything is sent. A blocking-pool thread
//! ([`tokio::task::spawn_blocking`]) may block; so may any thread of a multi-threaded runtime,
//! where the call goes through [`tokio::task::block_in_place`] so that the worker's other
//! tasks move to another thread meanwhile.
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
/// the current thread. On the thread of a current-thread runtime (see the
/// [module docs](self)), or when the background runtime cannot be started, returns
/// [`Error::Config`] without running it.
pub fn block_on<T>(future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    run(runtime()?, future)
}

/// Whether the current thread belongs to a multi-threaded tokio runtime (or to its blocking
/// pool).
fn on_multi_thread_runtime() -> bool {
    use tokio::runtime::{Handle, RuntimeFlavor};
    Handle::try_current().is_ok_and(|handle| handle.runtime_flavor() == RuntimeFlavor::MultiThread)
}

/// Runs `future` on `runtime`, blocking the current thread (checked by [`runtime`]).
fn run<F: Future>(runtime: &tokio::runtime::Runtime, future: F) -> F::Output {
    if on_multi_thread_runtime() {
        // A worker hands its tasks over to another thread first; a thread that has entered
        // the runtime (its `block_on`) leaves it, as tokio starts no runtime inside another;
        // a blocking-pool thread just runs the closure.
        tokio::task::block_in_place(|| runtime.block_on(future))
    } else {
        runtime.block_on(future)
    }
}

/// The background runtime, started on first use, after checking that the caller is not the
/// thread of a current-thread runtime.
fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    if tokio::runtime::worker_index().is_some() && !on_multi_thread_runtime() {
        return Err(Error::Config {
            message:
                "a blocking call was made inside an async runtime; await the async method instead, or make the call from tokio::task::spawn_blocking"
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
            Ok(runtime) => run(runtime, self.pages.next()),
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
            Ok(runtime) => return run(runtime, self.items.next()),
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

    /// A client of a loopback server answering every request with `{"id": 1}`.
    async fn loopback() -> (wiremock::MockServer, crate::Client) {
        use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 1})))
            .mount(&server)
            .await;
        let client = crate::ClientBuilder::new("https://{domain}.example.com")
            .base_url(server.uri())
            .api_key("key")
            .build()
            .unwrap();
        (server, client)
    }

    fn get(client: &crate::Client) -> Result<http::StatusCode, Error> {
        let request = crate::Request::new(http::Method::GET, "/tickets");
        block_on(client.execute(request)).map(|response| response.status())
    }

    #[tokio::test]
    async fn a_call_blocks_on_a_spawn_blocking_thread_of_a_current_thread_runtime() {
        let (server, client) = loopback().await;
        let status = tokio::task::spawn_blocking(move || get(&client))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(status, 200);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_call_in_a_task_of_a_current_thread_runtime_is_refused_without_sending() {
        let (server, client) = loopback().await;
        let task = tokio::spawn(async move { get(&client) });
        let result = tokio::time::timeout(std::time::Duration::from_secs(10), task)
            .await
            .expect("refused at once, not deadlocked")
            .unwrap();
        let err = result.unwrap_err();
        assert!(err.to_string().contains("inside an async runtime"), "{err}");
        assert!(server.received_requests().await.unwrap().is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_call_blocks_in_a_task_of_a_multi_threaded_runtime() {
        let (server, client) = loopback().await;
        let on_worker = tokio::spawn(async move { get(&client) });
        assert_eq!(on_worker.await.unwrap().unwrap(), 200);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}
