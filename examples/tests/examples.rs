//! Runs the logic of each example program against a wiremock server on loopback.

use freshservice::{Client, Error, FilePart};
use freshservice_examples::{
    client_from, create_ticket_with_attachment, filtered_assets, open_tickets, parse_asset_args,
    parse_create_ticket_args, CreateTicketArgs, NewTicket, API_KEY_VAR, DOMAIN_VAR,
    FILTER_MAX_PAGES, FILTER_PAGE_SIZE,
};
use openapi_client_runtime::filter::Filter;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Basic auth header for API key `test-key` with the dummy password `X`.
const AUTH: &str = "Basic dGVzdC1rZXk6WA==";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key("test-key")
        .build()
        .expect("valid configuration")
}

fn ticket(id: i64, status: i64) -> Value {
    json!({
        "id": id, "subject": format!("ticket {id}"), "status": status, "priority": 1,
        "created_at": "2024-03-08T10:26:17Z", "updated_at": "2024-03-08T11:02:45Z"
    })
}

fn assets(first: usize, count: usize) -> Value {
    let assets: Vec<Value> = (first..first + count)
        .map(|id| {
            json!({
                "id": id, "display_id": id, "name": format!("laptop {id}"),
                "created_at": "2024-03-08T10:26:17Z", "updated_at": "2024-03-08T11:02:45Z"
            })
        })
        .collect();
    json!({ "assets": assets })
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|arg| (*arg).to_owned()).collect()
}

#[tokio::test]
async fn open_tickets_pages_until_a_short_page_and_keeps_the_open_ones() {
    let server = MockServer::start().await;
    let pages = [
        (1, vec![ticket(1, 2), ticket(2, 4)]),
        (2, vec![ticket(3, 3), ticket(4, 2)]),
        (3, vec![ticket(5, 2)]),
    ];
    for (page, tickets) in pages {
        Mock::given(method("GET"))
            .and(path("/tickets"))
            .and(header("authorization", AUTH))
            .and(query_param("page", page.to_string()))
            .and(query_param("per_page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "tickets": tickets })))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .and(query_param("page", "4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "tickets": [] })))
        .expect(0)
        .mount(&server)
        .await;

    let open = open_tickets(&client(&server), 2).await.expect("listed");
    let ids: Vec<_> = open.iter().map(|ticket| ticket.id).collect();
    assert_eq!(ids, [1, 4, 5]);
}

#[tokio::test]
async fn open_tickets_stops_on_an_empty_first_page_and_reports_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "tickets": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let open = open_tickets(&client(&server), 100).await.expect("listed");
    assert!(open.is_empty());

    let failing = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({ "code": "access_denied", "message": "no access" })),
        )
        .mount(&failing)
        .await;
    let err = open_tickets(&client(&failing), 100)
        .await
        .expect_err("forbidden");
    assert_eq!(err.status().map(|status| status.as_u16()), Some(403));
}

#[tokio::test]
async fn create_ticket_sends_the_fields_and_the_file_as_multipart() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tickets"))
        .and(header("authorization", AUTH))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "ticket": {
                "id": 77, "subject": "Printer on fire", "status": 2, "priority": 1,
                "created_at": "2024-03-08T10:26:17Z", "updated_at": "2024-03-08T11:02:45Z",
                "attachments": [{
                    "id": 9, "name": "notes.txt", "content_type": "text/plain", "size": 13,
                    "created_at": "2024-03-08T10:26:17Z", "updated_at": "2024-03-08T11:02:45Z"
                }]
            }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let created = create_ticket_with_attachment(
        &client(&server),
        NewTicket {
            email: "tom@example.com".into(),
            subject: "Printer on fire".into(),
            description: "Smoke is coming out of it.".into(),
            attachment: FilePart::from_bytes("notes.txt", &b"hello, world!"[..]),
        },
    )
    .await
    .expect("created");
    assert_eq!(created.id, 77);
    assert_eq!(created.attachments.map(|files| files.len()), Some(1));

    let requests = server.received_requests().await.expect("recording is on");
    let [request] = requests.as_slice() else {
        panic!("expected one request, got {}", requests.len());
    };
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart body");
    let body = String::from_utf8_lossy(&request.body);
    let parts: Vec<&str> = body
        .split(&format!("--{boundary}"))
        .map(str::trim)
        .filter(|part| !part.is_empty() && *part != "--")
        .collect();
    let field = |name: &str| {
        let disposition = format!("content-disposition: form-data; name=\"{name}\"");
        parts
            .iter()
            .find(|part| part.to_ascii_lowercase().starts_with(&disposition))
            .copied()
    };
    for (name, value) in [
        ("email", "tom@example.com"),
        ("subject", "Printer on fire"),
        ("description", "Smoke is coming out of it."),
        ("status", "2"),
        ("priority", "1"),
    ] {
        let part = field(name).unwrap_or_else(|| panic!("no `{name}` field in {body}"));
        assert!(part.ends_with(&format!("\r\n\r\n{value}")), "{part:?}");
    }
    let file = field("attachments[]").expect("a file part");
    let lower = file.to_ascii_lowercase();
    assert!(lower.contains("filename=\"notes.txt\""), "{file:?}");
    assert!(lower.contains("content-type: text/plain"), "{file:?}");
    assert!(file.ends_with("\r\n\r\nhello, world!"), "{file:?}");
    assert_eq!(parts.len(), 6, "{body}");
}

#[tokio::test]
async fn filtered_assets_sends_the_built_query_and_pages_until_a_short_page() {
    let server = MockServer::start().await;
    let expected = "asset_state:'IN STOCK' AND created_at:>'2018-08-10'";
    for (page, first, count) in [(1, 1, FILTER_PAGE_SIZE), (2, 31, 5)] {
        Mock::given(method("GET"))
            .and(path("/assets"))
            .and(query_param("filter", format!("\"{expected}\"")))
            .and(query_param("page", page.to_string()))
            .and(query_param_is_missing("per_page"))
            .respond_with(ResponseTemplate::new(200).set_body_json(assets(first, count)))
            .expect(1)
            .mount(&server)
            .await;
    }

    let filter = parse_asset_args(args(&["IN STOCK", "2018-08-10"])).expect("valid arguments");
    let found = filtered_assets(&client(&server), &filter)
        .await
        .expect("listed");
    assert_eq!(found.assets.len(), FILTER_PAGE_SIZE + 5);
    assert_eq!(found.assets.last().map(|asset| asset.display_id), Some(35));
    assert!(!found.truncated);
}

#[tokio::test]
async fn filtered_assets_stops_at_the_last_page_the_api_serves() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/assets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(assets(1, FILTER_PAGE_SIZE)))
        .expect(u64::from(FILTER_MAX_PAGES))
        .mount(&server)
        .await;
    let found = filtered_assets(&client(&server), &Filter::is_null("location_id"))
        .await
        .expect("listed");
    assert!(found.truncated);
    let pages = usize::try_from(FILTER_MAX_PAGES).expect("positive");
    assert_eq!(found.assets.len(), pages * FILTER_PAGE_SIZE);
}

#[tokio::test]
async fn an_invalid_filter_fails_before_anything_is_sent() {
    let server = MockServer::start().await;
    let filter = Filter::eq("name", "say \"hi\"");
    let err = filtered_assets(&client(&server), &filter)
        .await
        .expect_err("invalid filter");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(err.to_string().contains("condition `name:`"), "{err}");
    let requests = server.received_requests().await.expect("recording is on");
    assert!(requests.is_empty());
}

#[test]
fn missing_settings_are_named() {
    let none = client_from(|_| None).expect_err("nothing set");
    assert!(
        none.contains(DOMAIN_VAR) && none.contains(API_KEY_VAR),
        "{none}"
    );
    let empty_key = client_from(|name| {
        (name == DOMAIN_VAR)
            .then(|| "acme".to_owned())
            .or_else(|| Some("  ".to_owned()))
    })
    .expect_err("empty key");
    assert!(
        empty_key.contains(API_KEY_VAR) && !empty_key.contains(DOMAIN_VAR),
        "{empty_key}"
    );
    let bad_domain = client_from(|name| {
        Some(
            if name == DOMAIN_VAR {
                "-acme"
            } else {
                "s3cr3t"
            }
            .to_owned(),
        )
    })
    .expect_err("invalid domain");
    assert!(bad_domain.contains("domain"), "{bad_domain}");
    assert!(!bad_domain.contains("s3cr3t"), "{bad_domain}");
    let client =
        client_from(|name| Some(if name == DOMAIN_VAR { "acme" } else { "secret" }.to_owned()))
            .expect("configured");
    assert_eq!(
        client.runtime().base_url().as_str(),
        "https://acme.freshservice.com/api/v2"
    );
}

#[test]
fn example_arguments_are_checked() {
    assert_eq!(
        parse_create_ticket_args(args(&["tom@example.com", "a.png"])),
        Ok(CreateTicketArgs {
            email: "tom@example.com".into(),
            file: "a.png".into(),
            subject: "Ticket with an attachment".into(),
        })
    );
    for (list, expected) in [
        (&[][..], "missing the requester's email address"),
        (&["tom"][..], "\"tom\" is not an email address"),
        (&["tom@example.com"][..], "missing the file"),
        (&["t@e.com", "a", "s", "x"][..], "unexpected argument \"x\""),
    ] {
        let message = parse_create_ticket_args(args(list)).expect_err("invalid");
        assert!(message.contains(expected), "{message}");
        assert!(message.contains("usage: create_ticket"), "{message}");
    }

    let default = parse_asset_args(Vec::new()).expect("valid");
    assert_eq!(
        default.build().expect("valid").as_str(),
        "asset_state:'IN USE'"
    );
    let message = parse_asset_args(args(&["IN USE", "10/08/2018"])).expect_err("bad date");
    assert!(
        message.contains("the second argument \"10/08/2018\" is not a date"),
        "{message}"
    );
    let message = parse_asset_args(args(&["a", "2018-08-10", "x"])).expect_err("extra");
    assert!(message.contains("unexpected argument \"x\""), "{message}");
}
