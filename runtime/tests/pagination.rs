//! Page streams against a real HTTP server on loopback (wiremock): links that loop or leave
//! the API end the stream with an error.

use openapi_client_runtime::{
    ClientBuilder, Decode, Error, Method, PageRef, Pages, Paging, RawResponse, Request,
    RetryPolicy, StreamExt,
};
use serde_json::json;
use wiremock::matchers::{any, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn decode(raw: &RawResponse) -> Result<Vec<u64>, Error> {
    raw.decode_enveloped("items")
}

const DECODE: Decode<Vec<u64>> = decode;

fn client(server: &MockServer) -> openapi_client_runtime::Client {
    ClientBuilder::new("https://{domain}.example.com")
        .base_url(format!("{}/api/v2", server.uri()))
        .api_key("key")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Answers `?cursor={at}` with `items` and a `rel="next"` link to `next`.
async fn page(server: &MockServer, at: &str, items: &[u64], next: &str) {
    Mock::given(query_param("cursor", at))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("<{next}>; rel=\"next\"").as_str())
                .set_body_json(json!({ "items": items })),
        )
        .mount(server)
        .await;
}

/// Every page of the stream, then its error (the stream must end after it).
async fn drain(mut pages: Pages<u64>) -> (Vec<Vec<u64>>, openapi_client_runtime::PageError) {
    let mut seen = Vec::new();
    let mut limit = 10;
    loop {
        match pages.next().await {
            Some(Ok(page)) => seen.push(page.items),
            Some(Err(error)) => {
                assert!(
                    pages.next().await.is_none(),
                    "the stream ends after its error"
                );
                return (seen, error);
            }
            None => panic!("the stream ended without an error after {seen:?}"),
        }
        limit -= 1;
        assert!(limit > 0, "still going after {seen:?}");
    }
}

#[tokio::test]
async fn a_cursor_cycle_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    page(&server, "A", &[1, 2], "/api/v2/things?cursor=B").await;
    page(&server, "B", &[3, 4], "/api/v2/things?cursor=A").await;
    let pages = Pages::new(
        client(&server),
        Request::new(Method::GET, "/things").query("cursor", "A"),
        Paging::Cursor { param: "cursor" },
        None,
        DECODE,
    );
    let (seen, error) = drain(pages).await;
    assert_eq!(seen, [vec![1, 2], vec![3, 4]]);
    assert!(
        matches!(error.error, Error::InvalidRequest { .. }),
        "{error}"
    );
    let message = error.error.to_string();
    assert!(message.contains("already fetched"), "{message}");
    assert!(message.contains("/api/v2/things"), "{message}");
    assert!(!message.contains("cursor="), "no query in {message}");
    assert_eq!(error.items_before, 4);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_link_cycle_through_the_first_page_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let first = format!("{}/api/v2/things?cursor=A", server.uri());
    page(&server, "A", &[1], "/api/v2/things?cursor=B").await;
    page(&server, "B", &[2], "/api/v2/things?cursor=C").await;
    page(&server, "C", &[3], &first).await;
    let pages = Pages::new(
        client(&server),
        Request::new(Method::GET, "/things").query("cursor", "A"),
        Paging::Link,
        None,
        DECODE,
    );
    let (seen, error) = drain(pages).await;
    assert_eq!(seen, [vec![1], vec![2], vec![3]]);
    assert!(
        matches!(error.error, Error::InvalidRequest { .. }),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_next_link_to_another_host_carrying_a_page_number_is_not_followed() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "items": [9] })))
        .mount(&elsewhere)
        .await;
    let foreign = format!("{}/api/v2/things?page=2", elsewhere.uri());
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("<{foreign}>; rel=\"next\"").as_str())
                .set_body_json(json!({ "items": [1, 2] })),
        )
        .mount(&server)
        .await;
    let pages = Pages::new(
        client(&server),
        Request::new(Method::GET, "/things"),
        Paging::Numbered {
            param: "page",
            full_page: Some(2),
        },
        None,
        DECODE,
    );
    let (seen, error) = drain(pages).await;
    assert_eq!(seen, [vec![1, 2]]);
    assert!(
        matches!(error.error, Error::InvalidRequest { .. }),
        "{error}"
    );
    assert!(
        matches!(error.resume, PageRef::Link(_)),
        "{:?}",
        error.resume
    );
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received.len(),
        1,
        "page 2 of our own host was not asked for"
    );
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
