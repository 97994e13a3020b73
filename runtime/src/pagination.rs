//! Streams over paginated list operations.
//!
//! A list operation that takes a page number becomes a [`Pages`] stream: each item is one
//! page, fetched when the previous one has been consumed, so memory stays bounded by one page.
//! The next page is the one the `Link: <...>; rel="next"` header names; without a `Link`
//! header the stream moves on while full pages come back. [`Items`] flattens the pages.
//!
//! If a page fails, the stream yields a [`PageError`] after every item already fetched, and
//! ends; the error tells which page to resume from (set it with the builder's `page` setter).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::future::BoxFuture;
use http::header::LINK;
use http::HeaderMap;

use crate::{Error, RateLimit, Response};

/// The request for one page, in flight.
type PageFuture<T> = BoxFuture<'static, Result<Response<Vec<T>>, Error>>;

/// Fetches one page by number.
type FetchPage<T> = Box<dyn FnMut(u32) -> PageFuture<T> + Send>;

/// One page of a list.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// The page number.
    pub number: u32,
    /// Its items.
    pub items: Vec<T>,
    /// The page that follows, if any.
    pub next: Option<u32>,
    /// The rate-limit counters of the response.
    pub rate_limit: RateLimit,
}

/// A page that could not be fetched, and where to pick up again.
#[derive(Debug)]
pub struct PageError {
    /// Why the page failed.
    pub error: Error,
    /// The page to request to resume (nothing before it is lost).
    pub resume_page: u32,
    /// How many items the stream had yielded before the failure.
    pub items_before: u64,
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (page {} failed after {} items; resume from page {})",
            self.error, self.resume_page, self.items_before, self.resume_page
        )
    }
}

impl std::error::Error for PageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A stream of pages. Configure it with [`Pages::max_pages`] before polling.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    fetch: FetchPage<T>,
    next: Option<u32>,
    full_page: Option<u32>,
    pages_left: Option<u32>,
    items_before: u64,
    in_flight: Option<(u32, PageFuture<T>)>,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .field("full_page", &self.full_page)
            .field("pages_left", &self.pages_left)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Pages<T> {
    /// Pages from `first` on; `full_page` is the page size the server uses (the requested
    /// `per_page`, or its default; `None` when unknown, and then the stream goes on while
    /// pages are not empty), and `fetch` requests one page by number.
    pub fn new<F, Fut>(first: u32, full_page: Option<u32>, mut fetch: F) -> Self
    where
        F: FnMut(u32) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Response<Vec<T>>, Error>> + Send + 'static,
    {
        Pages {
            fetch: Box::new(move |page| Box::pin(fetch(page))),
            next: Some(first.max(1)),
            full_page: full_page.map(|n| n.max(1)),
            pages_left: None,
            items_before: 0,
            in_flight: None,
        }
    }

    /// Stops after `limit` pages.
    pub fn max_pages(mut self, limit: u32) -> Self {
        self.pages_left = Some(limit);
        self
    }

    /// A stream of the items of every page.
    pub fn items(self) -> Items<T> {
        Items {
            pages: self,
            current: VecDeque::new(),
            failed: None,
        }
    }
}

impl<T> Unpin for Pages<T> {}

impl<T: Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>, PageError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.in_flight.is_none() {
            let Some(page) = this.next else {
                return Poll::Ready(None);
            };
            if this.pages_left == Some(0) {
                this.next = None;
                return Poll::Ready(None);
            }
            this.in_flight = Some((page, (this.fetch)(page)));
        }
        let Some((page, future)) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let page = *page;
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.in_flight = None;
        match result {
            Err(error) => {
                this.next = None;
                Poll::Ready(Some(Err(PageError {
                    error,
                    resume_page: page,
                    items_before: this.items_before,
                })))
            }
            Ok(response) => {
                if let Some(left) = this.pages_left.as_mut() {
                    *left = left.saturating_sub(1);
                }
                let rate_limit = *response.rate_limit();
                let next = next_page(
                    response.headers(),
                    page,
                    response.value().len(),
                    this.full_page,
                );
                let items = response.into_inner();
                this.items_before += items.len() as u64;
                this.next = next;
                Poll::Ready(Some(Ok(Page {
                    number: page,
                    items,
                    next,
                    rate_limit,
                })))
            }
        }
    }
}

/// The page after `page`: the one `Link rel="next"` names, or, with no `Link` header at all,
/// the following page when this one was full (or not empty, when the page size is unknown).
fn next_page(headers: &HeaderMap, page: u32, len: usize, full_page: Option<u32>) -> Option<u32> {
    let links: Vec<&str> = headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if links.is_empty() {
        let full = full_page.map_or(1, |n| n as usize);
        return (len > 0 && len >= full).then(|| page.saturating_add(1));
    }
    links
        .iter()
        .flat_map(|value| value.split(','))
        .find_map(|link| {
            let (target, params) = link.split_once(';')?;
            let is_next = params.split(';').any(|p| {
                p.trim()
                    .replace(' ', "")
                    .eq_ignore_ascii_case("rel=\"next\"")
                    || p.trim().eq_ignore_ascii_case("rel=next")
            });
            if !is_next {
                return None;
            }
            let url = target.trim().trim_start_matches('<').trim_end_matches('>');
            let query = url.split_once('?')?.1;
            query.split('&').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                (name == "page").then(|| value.parse().ok()).flatten()
            })
        })
}

/// A stream of the items of every page, in order.
#[must_use = "streams do nothing unless polled"]
pub struct Items<T> {
    pages: Pages<T>,
    current: VecDeque<T>,
    failed: Option<PageError>,
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}

impl<T> Unpin for Items<T> {}

impl<T: Send + 'static> Stream for Items<T> {
    type Item = Result<T, PageError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.current.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = this.failed.take() {
                return Poll::Ready(Some(Err(error)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Ok(page))) => this.current.extend(page.items),
                Poll::Ready(Some(Err(error))) => this.failed = Some(error),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn link(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LINK, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn next_page_follows_link_then_full_pages() {
        let next =
            link("<https://a.freshservice.com/api/v2/tickets?per_page=2&page=3>; rel=\"next\"");
        assert_eq!(next_page(&next, 2, 2, Some(2)), Some(3));
        let other = link("<https://a.freshservice.com/api/v2/tickets?page=1>; rel=\"prev\"");
        assert_eq!(
            next_page(&other, 2, 2, Some(2)),
            None,
            "a Link header without next ends the list"
        );
        assert_eq!(next_page(&HeaderMap::new(), 4, 30, Some(30)), Some(5));
        assert_eq!(next_page(&HeaderMap::new(), 4, 29, Some(30)), None);
        assert_eq!(next_page(&HeaderMap::new(), 4, 0, Some(30)), None);
        assert_eq!(next_page(&HeaderMap::new(), 4, 1, None), Some(5));
    }
}
