//! End-to-end tests against a real HTTP server on loopback (wiremock).

use std::time::{Duration, SystemTime};

use openapi_client_runtime::{
    Client, ClientBuilder, Error, FilePart, Form, Method, RateLimit, Request, RetryPolicy,
};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TEMPLATE: &str = "https://{domain}.freshservice.com/api/v2";
const API_KEY: &str = "key123";

#[derive(Debug, Deserialize, PartialEq)]
struct Ticket {
    id: u64,
    status: u8,
}

async fn server() -> MockServer {
    MockServer::start().await
}

/// A builder for the test template that sends every request once, so each test sees the
/// server's first answer (retries have their own tests).
fn test_builder() -> ClientBuilder {
    ClientBuilder::new(TEMPLATE).retry_policy(RetryPolicy::none())
}

fn client(server: &MockServer) -> Client {
    test_builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .api_key(API_KEY)
        .build()
        .unwrap()
}

/// Answers every request with `template`.
async fn respond(server: &MockServer, template: ResponseTemplate) {
    Mock::given(any())
        .respond_with(template)
        .mount(server)
        .await;
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn ok_json() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({}))
}

#[tokio::test]
async fn api_key_is_sent_as_basic_auth_with_x_password() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets"))
        .and(header("authorization", "Basic a2V5MTIzOlg="))
        .respond_with(ok_json())
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap();
}

#[tokio::test]
async fn bearer_token_and_no_credentials() {
    let server = server().await;
    respond(&server, ok_json()).await;
    let base = format!("{}/api/v2", server.uri());
    let bearer = test_builder()
        .base_url(&base)
        .api_key("replaced")
        .bearer_token("tok-1")
        .build()
        .unwrap();
    bearer
        .execute(Request::new(Method::GET, "/agents"))
        .await
        .unwrap();
    let anonymous = test_builder().base_url(&base).build().unwrap();
    anonymous
        .execute(Request::new(Method::GET, "/agents"))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers["authorization"], "Bearer tok-1");
    assert!(requests[1].headers.get("authorization").is_none());
}

#[tokio::test]
async fn user_agent_default_and_custom() {
    let server = server().await;
    respond(&server, ok_json()).await;
    client(&server)
        .execute(Request::new(Method::GET, "/a"))
        .await
        .unwrap();
    test_builder()
        .base_url(server.uri())
        .user_agent("my-app/1.0")
        .build()
        .unwrap()
        .execute(Request::new(Method::GET, "/a"))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let default = requests[0].headers["user-agent"].to_str().unwrap();
    assert_eq!(
        default,
        concat!("openapi-client-runtime/", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(requests[1].headers["user-agent"], "my-app/1.0");
}

#[tokio::test]
async fn path_parameters_stay_one_segment() {
    let server = server().await;
    respond(&server, ok_json()).await;
    let request = Request::new(Method::GET, "/tickets/{id}/tasks/{task_id}")
        .path_param("id", &5u64)
        .path_param("task_id", "a/b ..?x#y");
    client(&server).execute(request).await.unwrap();
    let received = only_request(&server).await;
    assert_eq!(
        received.url.path(),
        "/api/v2/tickets/5/tasks/a%2Fb%20..%3Fx%23y"
    );
    assert_eq!(received.url.query(), None);
}

#[tokio::test]
async fn invalid_path_parameters_are_rejected_before_sending() {
    let server = server().await;
    respond(&server, ok_json()).await;
    let client = client(&server);
    for (value, expected) in [
        (
            "",
            "invalid request: GET /tickets/{id}: path parameter `id` is empty",
        ),
        (
            "..",
            "invalid request: GET /tickets/{id}: path parameter `id` cannot be `.` or `..`",
        ),
        (
            ".",
            "invalid request: GET /tickets/{id}: path parameter `id` cannot be `.` or `..`",
        ),
    ] {
        let err = client
            .execute(Request::new(Method::GET, "/tickets/{id}").path_param("id", value))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
        assert_eq!(err.to_string(), expected);
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn query_scalars_optionals_and_lists() {
    let server = server().await;
    respond(&server, ok_json()).await;
    let request = Request::new(Method::GET, "/tickets/filter")
        .query("query", "\"priority:3 AND status:2\"")
        .query_opt("page", Some(&2u32))
        .query_opt::<u32>("per_page", None)
        .query("active", &true)
        .query_list("ids", &[1u64, 2], true)
        .query_list("include", &["stats", "requester"], false);
    client(&server).execute(request).await.unwrap();
    let received = only_request(&server).await;
    assert_eq!(
        received.url.query(),
        Some(
            "query=%22priority%3A3%20AND%20status%3A2%22&page=2&active=true\
             &ids=1&ids=2&include=stats,requester"
        )
    );
    let pairs: Vec<(String, String)> = received.url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0].1, "\"priority:3 AND status:2\"");
}

#[tokio::test]
async fn json_body_and_request_headers() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/tickets"))
        .and(header("content-type", "application/json"))
        .and(header("x-custom", "42"))
        .and(body_json(json!({"subject": "Help", "priority": 1})))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"ticket": {"id": 7, "status": 2}}))
                .insert_header("Location", "/api/v2/tickets/7"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = Request::new(Method::POST, "/tickets")
        .header("x-custom", &42)
        .json(&json!({"subject": "Help", "priority": 1}));
    let response = client(&server)
        .execute(request)
        .await
        .unwrap()
        .json_enveloped::<Ticket>("ticket")
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.location(), Some("/api/v2/tickets/7"));
    assert_eq!(response.into_inner(), Ticket { id: 7, status: 2 });
}

#[tokio::test]
async fn multipart_body_shape() {
    let server = server().await;
    respond(&server, ok_json()).await;
    let form = Form::new()
        .text("subject", "Printer on fire")
        .text("priority", 3)
        .text(format!("custom_fields[{}]", "cost"), String::from("12.5"))
        .file(
            "attachments[]",
            FilePart::from_bytes("log.txt", &b"line 1\n"[..]),
        )
        .file(
            "attachments[]",
            FilePart::from_bytes("shot", vec![0u8, 159, 146, 150]).mime("image/png"),
        );
    let request = Request::new(Method::POST, "/tickets").multipart(form);
    client(&server).execute(request.clone()).await.unwrap();
    // A request can be sent again.
    client(&server).execute(request).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let received = &requests[0];
    let content_type = received.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("multipart content type");
    let body = &received.body;
    let text = String::from_utf8_lossy(body);
    for expected in [
        "Content-Disposition: form-data; name=\"subject\"\r\n\r\nPrinter on fire\r\n",
        "Content-Disposition: form-data; name=\"priority\"\r\n\r\n3\r\n",
        "Content-Disposition: form-data; name=\"custom_fields[cost]\"\r\n\r\n12.5\r\n",
        "Content-Disposition: form-data; name=\"attachments[]\"; filename=\"log.txt\"\r\n\
         Content-Type: text/plain\r\n\r\nline 1\n\r\n",
        "Content-Disposition: form-data; name=\"attachments[]\"; filename=\"shot\"\r\n\
         Content-Type: image/png\r\n\r\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text:?}");
    }
    assert!(body.windows(4).any(|w| w == [0u8, 159, 146, 150]));
    assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    assert_eq!(requests[1].body.len(), body.len());
}

#[tokio::test]
async fn files_from_disk_are_streamed_and_sent_again_on_retry() {
    let server = server().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    respond(&server, ok_json()).await;
    let dir = std::env::temp_dir().join(format!("runtime-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("big.log");
    // Several read chunks, so the body really is assembled from a stream.
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &content).unwrap();
    let form = Form::new().file("attachments[]", FilePart::from_path(&file).await.unwrap());
    let client = ClientBuilder::new(TEMPLATE)
        .base_url(format!("{}/api/v2", server.uri()))
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    client
        .execute(Request::new(Method::PUT, "/tickets/1").multipart(form))
        .await
        .expect("the second attempt succeeds");
    std::fs::remove_dir_all(&dir).unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "one 503, one retry");
    for received in &requests {
        let text = String::from_utf8_lossy(&received.body);
        assert!(text.contains("filename=\"big.log\"\r\nContent-Type: text/plain\r\n\r\n"));
        assert!(
            received
                .body
                .windows(content.len())
                .any(|w| w == content.as_slice()),
            "the whole file is in the body"
        );
    }
}

#[tokio::test]
async fn a_streamed_part_is_sent_once_and_never_retried() {
    let server = server().await;
    respond(&server, ResponseTemplate::new(503)).await;
    let chunks = futures_util::stream::iter(
        ["first chunk, ", "second chunk"]
            .map(|text| Ok::<_, std::io::Error>(bytes::Bytes::from(text))),
    );
    let part = FilePart::from_stream("relay.txt", chunks, Some(25));
    let request =
        Request::new(Method::PUT, "/tickets/1").multipart(Form::new().file("attachments[]", part));
    let client = ClientBuilder::new(TEMPLATE)
        .base_url(format!("{}/api/v2", server.uri()))
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let err = client.execute(request.clone()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let received = only_request(&server).await;
    let text = String::from_utf8_lossy(&received.body);
    assert!(text.contains("filename=\"relay.txt\""), "{text}");
    assert!(text.contains("first chunk, second chunk"), "{text}");

    let again = client.execute(request).await.unwrap_err();
    assert!(matches!(again, Error::InvalidRequest { .. }), "{again:?}");
    assert!(again.to_string().contains("already sent"), "{again}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn downloads_stream_to_a_file() {
    use futures_util::StreamExt as _;
    let server = server().await;
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    respond(
        &server,
        ResponseTemplate::new(200)
            .insert_header("x-ratelimit-remaining", "40")
            .set_body_raw(content.clone(), "application/octet-stream"),
    )
    .await;
    let client = client(&server);
    let request = Request::new(Method::GET, "/attachments/{id}").path_param("id", &7);

    let response = client.execute_stream(request.clone()).await.unwrap();
    assert_eq!(response.rate_limit().remaining, Some(40));
    let mut stream = response.into_inner();
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        received.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(received, content);
    assert!(chunks >= 1);

    let dir = std::env::temp_dir().join(format!("runtime-download-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("a.bin");
    let written = client
        .execute_stream(request.clone())
        .await
        .unwrap()
        .into_inner()
        .write_to_file(&file)
        .await
        .unwrap();
    assert_eq!(written, content.len() as u64);
    assert_eq!(std::fs::read(&file).unwrap(), content);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_failed_download_is_an_api_error_with_the_body() {
    let server = server().await;
    respond(
        &server,
        ResponseTemplate::new(404).set_body_json(json!({"description": "Not found", "errors": []})),
    )
    .await;
    let err = client(&server)
        .execute_stream(Request::new(Method::GET, "/attachments/1"))
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.status.as_u16(), 404);
    let body = api.body_as::<serde_json::Value>().expect("a JSON body");
    assert_eq!(body["description"], "Not found");
}

#[tokio::test]
async fn invalid_multipart_content_type_is_an_invalid_request() {
    let server = server().await;
    respond(&server, ok_json()).await;
    let form = Form::new().file("f", FilePart::from_bytes("a", vec![1u8]).mime("bad type\n"));
    let err = client(&server)
        .execute(Request::new(Method::POST, "/x").multipart(form))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn envelope_and_rate_limit_headers() {
    let server = server().await;
    respond(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!({"meta": {"count": 1}, "tickets": [{"id": 1, "status": 2}]}))
            .insert_header("X-Ratelimit-Total", "3000")
            .insert_header("x-ratelimit-remaining", "998")
            .insert_header("X-RATELIMIT-USED-CURRENTREQUEST", "1"),
    )
    .await;
    let response = client(&server)
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap()
        .json_enveloped::<Vec<Ticket>>("tickets")
        .unwrap();
    assert_eq!(
        *response.rate_limit(),
        RateLimit {
            total: Some(3000),
            remaining: Some(998),
            used_by_request: Some(1)
        }
    );
    assert_eq!(response.location(), None);
    let count = response.map(|tickets| tickets.len());
    assert_eq!(*count.value(), 1);
}

#[tokio::test]
async fn empty_and_bytes_responses() {
    let server = server().await;
    respond(&server, ResponseTemplate::new(204)).await;
    let client = client(&server);
    let response = client
        .execute(Request::new(Method::DELETE, "/tickets/{id}").path_param("id", &1))
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.empty().status(), 204);
    let bytes = client
        .execute(Request::new(Method::GET, "/x"))
        .await
        .unwrap()
        .bytes();
    assert!(bytes.value().is_empty());
}

#[tokio::test]
async fn api_error_with_parsed_body() {
    let server = server().await;
    respond(
        &server,
        ResponseTemplate::new(404)
            .set_body_string(
                r#"{ "description":"Validation failed", "errors":[ { "field":"name", "message":"Mandatory attribute missing", "code":"missing_field" } ] }"#,
            )
            .insert_header("X-Ratelimit-Remaining", "5"),
    )
    .await;
    let err = client(&server)
        .execute(
            Request::new(Method::GET, "/tickets/{id}")
                .path_param("id", &5)
                .query("include", "stats"),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "GET /api/v2/tickets/5 → 404 Not Found: Validation failed \
         (name: Mandatory attribute missing [missing_field])"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let Error::Api(api) = err else {
        panic!("expected Error::Api")
    };
    assert_eq!(api.path, "/api/v2/tickets/5");
    assert_eq!(api.rate_limit.remaining, Some(5));
    assert_eq!(
        api.body_as::<serde_json::Value>().expect("a JSON body"),
        json!({
            "description": "Validation failed",
            "errors": [{"field": "name", "message": "Mandatory attribute missing", "code": "missing_field"}]
        })
    );
    assert!(api.raw.starts_with(b"{ \"description\""));
}

#[tokio::test]
async fn every_problem_of_an_error_body_is_displayed() {
    let server = server().await;
    respond(
        &server,
        ResponseTemplate::new(400).set_body_json(json!({
            "description": "Validation failed",
            "errors": [
                {"field": "ids", "message": "There is no record matching the id: 9218", "code": "invalid_id"},
                {"field": "email", "message": "It should be a valid email address", "code": "invalid_value"}
            ]
        })),
    )
    .await;
    let err = client(&server)
        .execute(Request::new(Method::PUT, "/tickets/bulk"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "PUT /api/v2/tickets/bulk → 400 Bad Request: Validation failed \
         (ids: There is no record matching the id: 9218 [invalid_id]; \
         email: It should be a valid email address [invalid_value])"
    );
}

#[tokio::test]
async fn rate_limited_with_retry_after_seconds() {
    let server = server().await;
    respond(
        &server,
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "30")
            .insert_header("X-Ratelimit-Total", "100")
            .insert_header("X-Ratelimit-Remaining", "0"),
    )
    .await;
    let err = client(&server)
        .execute(Request::new(Method::GET, "/tickets").query("page", &2))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "GET /api/v2/tickets → 429 Too Many Requests: retry after 30s"
    );
    match err {
        Error::RateLimited {
            retry_after,
            rate_limit,
            ..
        } => {
            assert_eq!(retry_after, Some(Duration::from_secs(30)));
            assert_eq!(rate_limit.total, Some(100));
            assert_eq!(rate_limit.remaining, Some(0));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn rate_limited_with_retry_after_http_date() {
    let server = server().await;
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    respond(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", in_an_hour.as_str()),
    )
    .await;
    let err = client(&server)
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap_err();
    let Error::RateLimited { retry_after, .. } = err else {
        panic!("expected RateLimited, got {err:?}")
    };
    let secs = retry_after.unwrap().as_secs();
    assert!((3500..=3600).contains(&secs), "{secs}");
}

#[tokio::test]
async fn html_502_is_an_api_error_with_a_snippet() {
    let server = server().await;
    let html = format!(
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>{}</body></html>",
        "x".repeat(300)
    );
    respond(
        &server,
        ResponseTemplate::new(502).set_body_raw(html.clone(), "text/html"),
    )
    .await;
    let err = client(&server)
        .execute(Request::new(Method::GET, "/tickets"))
        .await
        .unwrap_err();
    let line = err.to_string();
    assert!(
        line.starts_with(
            "GET /api/v2/tickets → 502 Bad Gateway (body starts: \"<html>\\n<head><title>502"
        ),
        "{line}"
    );
    assert!(!line.contains('\n'));
    assert!(line.ends_with("…\")"), "{line}");
    let Error::Api(api) = err else {
        panic!("expected Error::Api")
    };
    assert!(api.body_as::<serde_json::Value>().is_err());
    assert_eq!(api.raw, html.as_bytes());
}

#[tokio::test]
async fn html_body_on_success_is_a_decode_error() {
    let server = server().await;
    respond(
        &server,
        ResponseTemplate::new(200)
            .set_body_raw("<html><body>Maintenance</body></html>", "text/html"),
    )
    .await;
    let err = client(&server)
        .execute(Request::new(Method::GET, "/tickets/{id}").path_param("id", &5))
        .await
        .unwrap()
        .json_enveloped::<Ticket>("ticket")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "GET /api/v2/tickets/5 → 200 OK: cannot decode the body at .: \
         expected value at line 1 column 1 \
         (body starts: \"<html><body>Maintenance</body></html>\")"
    );
    match err {
        Error::Decode(decode) => {
            assert_eq!(decode.field_path, ".");
            assert_eq!(decode.status, 200);
            assert!(decode.snippet.starts_with("<html>"));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_field_type_shows_the_field_path() {
    let server = server().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"ticket": {"id": 5, "status": "open"}})),
    )
    .await;
    let err = client(&server)
        .execute(Request::new(Method::GET, "/tickets/{id}").path_param("id", &5))
        .await
        .unwrap()
        .json_enveloped::<Ticket>("ticket")
        .unwrap_err();
    let line = err.to_string();
    assert!(
        line.starts_with(
            "GET /api/v2/tickets/5 → 200 OK: cannot decode the body at ticket.status: \
             invalid type: string \"open\", expected u8"
        ),
        "{line}"
    );
    assert!(
        line.ends_with(
            "(body starts: \"{\\\"ticket\\\":{\\\"id\\\":5,\\\"status\\\":\\\"open\\\"}}\")"
        ),
        "{line}"
    );

    let err = client(&server)
        .execute(Request::new(Method::GET, "/tickets/5"))
        .await
        .unwrap()
        .json::<Vec<Ticket>>()
        .unwrap_err();
    let Error::Decode(decode) = err else {
        panic!("expected Decode")
    };
    assert_eq!(decode.field_path, ".");
}

#[tokio::test]
async fn missing_envelope_key_is_a_decode_error() {
    let server = server().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"tickets": []})),
    )
    .await;
    let err = client(&server)
        .execute(Request::new(Method::GET, "/tickets/5"))
        .await
        .unwrap()
        .json_enveloped::<Ticket>("ticket")
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)));
    assert!(
        err.to_string()
            .contains("the envelope key `ticket` is missing from the response"),
        "{err}"
    );
}

#[tokio::test]
async fn timeouts_become_timeout_errors() {
    let server = server().await;
    respond(&server, ok_json().set_delay(Duration::from_secs(30))).await;
    let client = test_builder()
        .base_url(server.uri())
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = client
        .execute(Request::new(Method::GET, "/slow"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(err.to_string(), "GET /slow → timed out");
}

#[tokio::test]
async fn connection_errors_hide_the_host() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = test_builder()
        .base_url(format!("http://{address}/api/v2"))
        .api_key(API_KEY)
        .build()
        .unwrap();
    let err = client
        .execute(Request::new(Method::GET, "/tickets").query("secret", "q"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());
    let line = err.to_string();
    assert!(
        line.starts_with("GET /api/v2/tickets → transport error: "),
        "{line}"
    );
    assert!(
        !line.contains("127.0.0.1") && !line.contains("secret"),
        "{line}"
    );
}

#[test]
fn public_types_are_thread_safe() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let client = test_builder().domain("a").build().unwrap();
    let request = Request::new(Method::GET, "/x");
    send_sync(&client);
    send_sync(&request);
    send_sync(&Error::InvalidRequest {
        message: String::new(),
    });
    // The futures of `execute` and of a generated operation's `send` can be spawned on a
    // multi-threaded runtime.
    send(&client.execute(request));
    let decode: openapi_client_runtime::Decode<()> = |_| Ok(());
    let call = client.send(Request::new(Method::GET, "/x"), decode);
    fn spawnable<T: Send + 'static>(_: &T) {}
    spawnable(&call);
}

#[test]
fn errors_stay_small_enough_to_return_cheaply() {
    // Large payloads (API and decode errors) are boxed, so `Result<T, Error>` stays small.
    assert!(
        std::mem::size_of::<Error>() <= 96,
        "Error is {} bytes",
        std::mem::size_of::<Error>()
    );
}

#[test]
fn debug_never_shows_credentials() {
    let builder = test_builder().domain("acme").api_key("sekrit-key");
    let builder_debug = format!("{builder:?}");
    assert!(!builder_debug.contains("sekrit"), "{builder_debug}");
    assert!(
        builder_debug.contains("ApiKey(<redacted>)"),
        "{builder_debug}"
    );

    let client = builder.build().unwrap();
    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains("sekrit"), "{client_debug}");
    // Neither the key nor its base64 form.
    assert!(!client_debug.contains("c2Vrcml0"), "{client_debug}");
    assert!(
        client_debug.contains("auth: Basic(<redacted>)"),
        "{client_debug}"
    );
    assert!(client_debug.contains("https://acme.freshservice.com/api/v2"));

    let bearer = test_builder()
        .domain("acme")
        .bearer_token("tok-sekrit")
        .build()
        .unwrap();
    assert!(format!("{bearer:?}").contains("auth: Bearer(<redacted>)"));
}

#[test]
fn build_errors_name_the_problem() {
    let config = |builder: ClientBuilder| match builder.build() {
        Err(Error::Config { message }) => message,
        other => panic!("expected a config error, got {other:?}"),
    };
    let bad_domain = config(test_builder().domain("acme.freshservice.com"));
    assert!(
        bad_domain.starts_with("invalid domain \"acme.freshservice.com\""),
        "{bad_domain}"
    );

    let unfilled = config(test_builder());
    assert!(
        unfilled.contains("server variable `domain` is not set"),
        "{unfilled}"
    );

    // A plain-http server is fine without credentials, refused with them.
    ClientBuilder::new("http://{domain}.example.com")
        .domain("a")
        .build()
        .unwrap();
    let plain_http = config(
        ClientBuilder::new("http://{domain}.example.com")
            .domain("a")
            .api_key("k"),
    );
    assert!(plain_http.contains("plain http"), "{plain_http}");

    let relative = config(ClientBuilder::new("/api/v3"));
    assert_eq!(
        relative,
        "the description's server URL \"/api/v3\" is relative: set the API's address with .base_url(..)"
    );
    ClientBuilder::new("/api/v3")
        .base_url("https://api.example.com/api/v3")
        .build()
        .unwrap();

    let unparsable = config(test_builder().base_url("not a url"));
    assert!(
        unparsable.starts_with("base_url is not a valid URL"),
        "{unparsable}"
    );

    let err = test_builder().build().unwrap_err();
    assert!(err
        .to_string()
        .starts_with("invalid client configuration: "));

    // No credentials at all is fine.
    test_builder().domain("acme").build().unwrap();
}

#[tokio::test]
async fn a_307_to_another_origin_is_not_followed() {
    let api = server().await;
    let elsewhere = server().await;
    respond(&elsewhere, ResponseTemplate::new(201)).await;
    let api_port = api.address().port();
    for target in [
        format!("{}/api/v2/tickets", elsewhere.uri()),
        format!("http://localhost:{api_port}/api/v2/tickets"),
    ] {
        api.reset().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(307).insert_header("location", target.as_str()))
            .mount(&api)
            .await;
        let err = client(&api)
            .execute(Request::new(Method::POST, "/tickets").json(&json!({"subject": "x"})))
            .await
            .unwrap_err();
        assert_eq!(
            err.status().map(|s| s.as_u16()),
            Some(307),
            "{target}: {err}"
        );
        assert_eq!(
            err.to_string(),
            "POST /api/v2/tickets → 307 Temporary Redirect"
        );
        assert_eq!(only_request(&api).await.method.as_str(), "POST", "{target}");
    }
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn same_origin_redirects_are_followed_a_bounded_number_of_times() {
    let server = server().await;
    Mock::given(path("/api/v2/old"))
        .respond_with(ResponseTemplate::new(308).insert_header("location", "/api/v2/new"))
        .mount(&server)
        .await;
    Mock::given(path("/api/v2/new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"moved": true})))
        .mount(&server)
        .await;
    let client = test_builder()
        .base_url(format!("{}/api/v2", server.uri()))
        .api_key(API_KEY)
        .retry_policy(RetryPolicy::new().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let moved = client
        .execute(Request::new(Method::PUT, "/old").json(&json!({"a": 1})))
        .await
        .unwrap();
    assert_eq!(moved.body().as_ref(), br#"{"moved":true}"#);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body, br#"{"a":1}"#, "308 keeps the body");
    assert_eq!(requests[1].headers["authorization"], "Basic a2V5MTIzOlg=");

    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/api/v2/loop"))
        .mount(&server)
        .await;
    let err = client
        .execute(Request::new(Method::GET, "/loop"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("more than 10 redirects"), "{err}");
    // The first request and 10 redirects, not retried: a loop stays a loop.
    assert_eq!(server.received_requests().await.unwrap().len(), 11);
}
