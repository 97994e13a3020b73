//! Streams over paginated list operations.
//!
//! A list operation becomes a [`Pages`] stream: each item is one page, fetched when the
//! previous one has been consumed, so memory stays bounded by one page. [`Items`] flattens the
//! pages. How the next page is found depends on the operation's [`Paging`] scheme:
//!
//! - **Numbered** (`page=N`): the page named by the `Link: <...>; rel="next"` header; without
//!   any `Link` header, the following number while full pages come back.
//! - **Cursor** (custom object records' `next_page_link`): the cursor carried by the
//!   `rel="next"` link, sent back in the operation's cursor parameter.
//! - **Link** (lists without paging parameters): the `rel="next"` URL itself; without one,
//!   the first page is the only one.
//!
//! A `rel="next"` URL is only followed on the client's own origin (scheme, host and port) and
//! under its base path, so a response cannot send the credentials elsewhere: a link to
//! anywhere else ends the stream with [`Error::InvalidRequest`], even when it carries the page
//! number or cursor parameter. A page the stream has already fetched is never fetched again:
//! links that go round in a loop (A → B → A) end the stream with [`Error::InvalidRequest`]
//! instead of yielding the same items forever.
//!
//! If a page fails, the stream yields a [`PageError`] after every item already fetched, and
//! ends; the error says which page to resume from ([`Pages::starting_at`]).

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::future::BoxFuture;
use http::header::LINK;
use http::HeaderMap;

use crate::{Client, Decode, Error, RateLimit, Request, Response};

/// The request for one page, in flight.
type PageFuture<T> = BoxFuture<'static, Result<Response<Vec<T>>, Error>>;

/// Decodes one page's response into its items.
pub type DecodePage<T> = Decode<Vec<T>>;

/// How a list operation moves from one page to the next.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Paging {
    /// A page-number query parameter.
    Numbered {
        /// Its wire name (`page`).
        param: &'static str,
        /// The page size the server uses (the requested one, or its default); `None` when
        /// unknown, and then the stream goes on while pages are not empty.
        full_page: Option<u32>,
    },
    /// A cursor query parameter whose next value comes with the `rel="next"` link.
    Cursor {
        /// Its wire name (`next_page_link`).
        param: &'static str,
    },
    /// No paging parameter: only `rel="next"` links lead further.
    Link,
}

/// Where a page is: what to ask the server for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageRef {
    /// The page the request asks for as built (no page number or cursor set).
    First,
    /// A page number.
    Number(u32),
    /// A cursor, sent in the operation's cursor parameter.
    Cursor(String),
    /// A URL a `Link: <...>; rel="next"` header named.
    Link(String),
}

impl fmt::Display for PageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageRef::First => f.write_str("the first page"),
            PageRef::Number(number) => write!(f, "page {number}"),
            PageRef::Cursor(cursor) => write!(f, "cursor {cursor:?}"),
            PageRef::Link(_) => f.write_str("the linked page"),
        }
    }
}

/// One page of a list.
#[derive(Clone, Debug)]
pub struct Page<T> {
    /// Where this page is.
    pub at: PageRef,
    /// Its items.
    pub items: Vec<T>,
    /// The page that follows, if any.
    pub next: Option<PageRef>,
    /// The rate-limit counters of the response.
    pub rate_limit: RateLimit,
}

impl<T> Page<T> {
    /// The page number, for numbered lists.
    pub fn number(&self) -> Option<u32> {
        match self.at {
            PageRef::Number(number) => Some(number),
            _ => None,
        }
    }
}

/// A page that could not be fetched, and where to pick up again.
#[derive(Debug)]
pub struct PageError {
    /// Why the page failed.
    pub error: Error,
    /// The page to resume from (nothing before it is lost), for [`Pages::starting_at`].
    pub resume: PageRef,
    /// How many items the stream had yielded before the failure.
    pub items_before: u64,
}

impl PageError {
    /// The page number to resume from, for numbered lists.
    pub fn resume_page(&self) -> Option<u32> {
        match self.resume {
            PageRef::Number(number) => Some(number),
            _ => None,
        }
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} failed after {} items; resume from it)",
            self.error, self.resume, self.items_before
        )
    }
}

impl std::error::Error for PageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A stream of pages. Configure it with [`Pages::max_pages`] and [`Pages::starting_at`]
/// before polling.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    client: Client,
    request: Request,
    paging: Paging,
    decode: DecodePage<T>,
    next: Option<PageRef>,
    pages_left: Option<u32>,
    items_before: u64,
    in_flight: Option<(PageRef, PageFuture<T>)>,
    /// The URL of every page requested so far (one string per page).
    seen: HashSet<String>,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("paging", &self.paging)
            .field("next", &self.next)
            .field("pages_left", &self.pages_left)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Pages<T> {
    /// Pages of `request` sent with `client`, from `first` on (for a numbered list, `None`
    /// means page 1), each response decoded by `decode`.
    pub fn new(
        client: Client,
        request: Request,
        paging: Paging,
        first: Option<PageRef>,
        decode: DecodePage<T>,
    ) -> Self {
        let first = match (first, &paging) {
            (Some(PageRef::Number(number)), _) => PageRef::Number(number.max(1)),
            (Some(first), _) => first,
            (None, Paging::Numbered { .. }) => PageRef::Number(1),
            (None, _) => PageRef::First,
        };
        Pages {
            client,
            request,
            paging,
            decode,
            next: Some(first),
            pages_left: None,
            items_before: 0,
            in_flight: None,
            seen: HashSet::new(),
        }
    }

    /// Stops after `limit` pages.
    pub fn max_pages(mut self, limit: u32) -> Self {
        self.pages_left = Some(limit);
        self
    }

    /// Starts at `page` instead, e.g. the [`PageError::resume`] of an earlier stream over the
    /// same request.
    pub fn starting_at(mut self, page: PageRef) -> Self {
        self.next = Some(page);
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

    /// The request for the page at `at`.
    fn request_for(&self, at: &PageRef) -> Request {
        let request = self.request.clone();
        match (at, &self.paging) {
            (PageRef::First, _) => request,
            (PageRef::Number(number), Paging::Numbered { param, .. }) => {
                request.replace_query(param, number)
            }
            (PageRef::Cursor(cursor), Paging::Cursor { param }) => {
                request.replace_query(param, cursor)
            }
            (PageRef::Link(link), _) => request.at_link(link),
            (other, paging) => request.unusable(format!(
                "{other} cannot be requested from a list paged by {paging:?}"
            )),
        }
    }

    /// Ends the stream with `error`, reported at the page that would have come next.
    #[cfg(feature = "blocking")]
    pub(crate) fn fail(&mut self, error: Error) -> PageError {
        let resume = match self.in_flight.take() {
            Some((at, _)) => at,
            None => self.next.take().unwrap_or(PageRef::First),
        };
        self.next = None;
        PageError {
            error,
            resume,
            items_before: self.items_before,
        }
    }
}

impl<T> Unpin for Pages<T> {}

impl<T: Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>, PageError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.in_flight.is_none() {
            let Some(at) = this.next.take() else {
                return Poll::Ready(None);
            };
            if this.pages_left == Some(0) {
                return Poll::Ready(None);
            }
            let request = this.request_for(&at);
            // A request that cannot be built fails in `execute`, naming its problem.
            if let Ok(url) = request.url(this.client.base_url()) {
                if !this.seen.insert(url.as_str().to_owned()) {
                    // The path only: the query may hold a cursor or other secrets.
                    let error = Error::invalid_request(format!(
                        "{} {}: the next-page link leads back to {}, already fetched by this stream; stopped instead of looping",
                        request.method(),
                        request.path_template(),
                        url.path()
                    ));
                    return Poll::Ready(Some(Err(PageError {
                        error,
                        resume: at,
                        items_before: this.items_before,
                    })));
                }
            }
            let client = this.client.clone();
            let decode = this.decode;
            let future: PageFuture<T> = Box::pin(async move {
                let raw = client.execute(request).await?;
                let items = decode(&raw)?;
                Ok(raw.into_response(items))
            });
            this.in_flight = Some((at, future));
        }
        let Some((_, future)) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let result = match future.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        let Some((at, _)) = this.in_flight.take() else {
            return Poll::Ready(None);
        };
        match result {
            Err(error) => Poll::Ready(Some(Err(PageError {
                error,
                resume: at,
                items_before: this.items_before,
            }))),
            Ok(response) => {
                if let Some(left) = this.pages_left.as_mut() {
                    *left = left.saturating_sub(1);
                }
                let rate_limit = *response.rate_limit();
                let next = next_page(
                    this.client.base_url(),
                    response.headers(),
                    &this.paging,
                    &at,
                    response.value().len(),
                );
                let items = response.into_inner();
                this.items_before += items.len() as u64;
                this.next = next.clone();
                Poll::Ready(Some(Ok(Page {
                    at,
                    items,
                    next,
                    rate_limit,
                })))
            }
        }
    }
}

/// The page after `at`, which held `len` items: what the `rel="next"` link names, or, for a
/// numbered list answered without any `Link` header, the following number when this page was
/// full (or not empty, when the page size is unknown). The page number or cursor is only taken
/// from a link under `base`; any other link is kept as a [`PageRef::Link`], which the request
/// then refuses to follow.
fn next_page(
    base: &url::Url,
    headers: &HeaderMap,
    paging: &Paging,
    at: &PageRef,
    len: usize,
) -> Option<PageRef> {
    let links: Vec<&str> = headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if let Some(link) = next_link(&links) {
        let param = |name: &str| {
            let url = crate::request::link_target(base, link).ok()?;
            let value = url.query_pairs().find(|(key, _)| key == name)?.1;
            Some(value.into_owned())
        };
        let follow = || PageRef::Link(link.to_owned());
        let next = match paging {
            Paging::Numbered { param: name, .. } => param(name)
                .and_then(|value| value.parse().ok())
                .map_or_else(follow, PageRef::Number),
            Paging::Cursor { param: name } => param(name).map_or_else(follow, PageRef::Cursor),
            Paging::Link => follow(),
        };
        // A link back to this page or an earlier number would loop forever.
        let backwards = match (&next, at) {
            (PageRef::Number(next), PageRef::Number(current)) => next <= current,
            (next, current) => next == current,
        };
        return (!backwards).then_some(next);
    }
    let Paging::Numbered { full_page, .. } = paging else {
        return None;
    };
    let number = match at {
        PageRef::Number(number) => *number,
        PageRef::First => 1,
        _ => return None,
    };
    let full = full_page.map_or(1, |n| n.max(1) as usize);
    (links.is_empty() && len > 0 && len >= full).then(|| PageRef::Number(number.saturating_add(1)))
}

/// The target of the first `rel="next"` link among `Link` header values.
fn next_link<'a>(values: &[&'a str]) -> Option<&'a str> {
    values
        .iter()
        .flat_map(|value| split_links(value))
        .find_map(|link| {
            let (target, params) = link.split_once(';')?;
            let is_next = params.split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            let target = target.trim();
            is_next
                .then(|| target.strip_prefix('<')?.strip_suffix('>'))
                .flatten()
        })
}

/// The links of one `Link` header value, split at the commas between them (a comma inside
/// `<...>` belongs to the URL).
fn split_links(value: &str) -> Vec<&str> {
    let mut links = Vec::new();
    let (mut start, mut in_target) = (0, false);
    for (i, c) in value.char_indices() {
        match c {
            '<' => in_target = true,
            '>' => in_target = false,
            ',' if !in_target => {
                links.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    links.push(&value[start..]);
    links
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

impl<T> Items<T> {
    /// The pages underneath, for the blocking iterator.
    #[cfg(feature = "blocking")]
    pub(crate) fn parts(&mut self) -> (&mut Pages<T>, &mut VecDeque<T>, &mut Option<PageError>) {
        (&mut self.pages, &mut self.current, &mut self.failed)
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

    fn base() -> url::Url {
        url::Url::parse("https://a.freshservice.com/api/v2").unwrap()
    }

    const NUMBERED: Paging = Paging::Numbered {
        param: "page",
        full_page: Some(2),
    };

    #[test]
    fn numbered_lists_follow_the_link_then_full_pages() {
        let at = PageRef::Number(2);
        let next =
            link("<https://a.freshservice.com/api/v2/tickets?per_page=2&page=3>; rel=\"next\"");
        assert_eq!(
            next_page(&base(), &next, &NUMBERED, &at, 2),
            Some(PageRef::Number(3))
        );
        let other = link("<https://a.freshservice.com/api/v2/tickets?page=1>; rel=\"prev\"");
        assert_eq!(
            next_page(&base(), &other, &NUMBERED, &at, 2),
            None,
            "a Link header without next ends the list"
        );
        let empty = HeaderMap::new();
        assert_eq!(
            next_page(&base(), &empty, &NUMBERED, &PageRef::Number(4), 2),
            Some(PageRef::Number(5))
        );
        assert_eq!(
            next_page(&base(), &empty, &NUMBERED, &PageRef::Number(4), 1),
            None
        );
        assert_eq!(
            next_page(&base(), &empty, &NUMBERED, &PageRef::Number(4), 0),
            None
        );
        let unknown_size = Paging::Numbered {
            param: "page",
            full_page: None,
        };
        assert_eq!(
            next_page(&base(), &empty, &unknown_size, &PageRef::Number(4), 1),
            Some(PageRef::Number(5))
        );
    }

    #[test]
    fn a_next_link_without_the_page_parameter_is_followed_as_is() {
        let next = link("</api/v2/tickets?cursor=abc>; rel=next");
        assert_eq!(
            next_page(&base(), &next, &NUMBERED, &PageRef::Number(1), 2),
            Some(PageRef::Link("/api/v2/tickets?cursor=abc".to_owned()))
        );
    }

    #[test]
    fn cursor_lists_take_the_cursor_from_the_link() {
        let cursor = Paging::Cursor {
            param: "next_page_link",
        };
        let next = link(
            "<https://a.freshservice.com/api/v2/objects/1/records?page_size=5&next_page_link=a%2Cb%3D>; rel=\"next\", <https://a.freshservice.com/api/v2/objects/1/records>; rel=\"first\"",
        );
        assert_eq!(
            next_page(&base(), &next, &cursor, &PageRef::First, 5),
            Some(PageRef::Cursor("a,b=".to_owned()))
        );
        assert_eq!(
            next_page(&base(), &HeaderMap::new(), &cursor, &PageRef::First, 5),
            None,
            "no link, no next page"
        );
    }

    #[test]
    fn link_lists_follow_urls_and_stop_without_one() {
        let next = link(
            "<https://a.freshservice.com/api/v2/tickets/1/activities?page=2>; rel=\"last next\"",
        );
        assert_eq!(
            next_page(&base(), &next, &Paging::Link, &PageRef::First, 30),
            Some(PageRef::Link(
                "https://a.freshservice.com/api/v2/tickets/1/activities?page=2".to_owned()
            ))
        );
        assert_eq!(
            next_page(
                &base(),
                &HeaderMap::new(),
                &Paging::Link,
                &PageRef::First,
                30
            ),
            None
        );
    }

    #[test]
    fn links_that_go_back_end_the_list() {
        let same = link("<https://a.freshservice.com/api/v2/tickets?page=2>; rel=\"next\"");
        assert_eq!(
            next_page(&base(), &same, &NUMBERED, &PageRef::Number(2), 2),
            None
        );
        assert_eq!(
            next_page(&base(), &same, &NUMBERED, &PageRef::Number(5), 2),
            None
        );
        let cursor = Paging::Cursor { param: "cursor" };
        let again = link("<https://a.freshservice.com/api/v2/x?cursor=c1>; rel=\"next\"");
        assert_eq!(
            next_page(
                &base(),
                &again,
                &cursor,
                &PageRef::Cursor("c1".to_owned()),
                2
            ),
            None
        );
        let url = "https://a.freshservice.com/api/v2/x?p=1";
        let loop_link = link(&format!("<{url}>; rel=\"next\""));
        assert_eq!(
            next_page(
                &base(),
                &loop_link,
                &Paging::Link,
                &PageRef::Link(url.to_owned()),
                2
            ),
            None
        );
    }

    #[test]
    fn paging_parameters_are_taken_only_from_links_under_the_base_url() {
        for foreign in [
            "https://evil.example.com/api/v2/tickets?page=2",
            "http://a.freshservice.com/api/v2/tickets?page=2",
            "https://a.freshservice.com:444/api/v2/tickets?page=2",
            "https://a.freshservice.com/other/tickets?page=2",
        ] {
            let next = link(&format!("<{foreign}>; rel=\"next\""));
            assert_eq!(
                next_page(&base(), &next, &NUMBERED, &PageRef::Number(1), 2),
                Some(PageRef::Link(foreign.to_owned())),
                "{foreign}"
            );
            let cursor = Paging::Cursor { param: "page" };
            assert_eq!(
                next_page(&base(), &next, &cursor, &PageRef::First, 2),
                Some(PageRef::Link(foreign.to_owned())),
                "{foreign}"
            );
        }
    }

    #[test]
    fn commas_inside_link_targets_do_not_split_links() {
        let values = ["<https://x/a?ids=1,2&page=2>; rel=\"next\""];
        assert_eq!(next_link(&values), Some("https://x/a?ids=1,2&page=2"));
    }
}
