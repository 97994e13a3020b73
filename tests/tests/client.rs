//! The generated Freshservice client against a real HTTP server on loopback: the request it
//! sends (method, path, query, auth, body) and how it decodes answers and errors.

use freshservice::types::{
    TicketCreate, TicketPriority, TicketStatus, TicketUpdate, TicketsGetIncludeItem,
};
use freshservice::{Client, Error, ErrorCode};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Basic auth header for API key `secret-key` with the dummy password `X`.
const AUTH: &str = "Basic c2VjcmV0LWtleTpY";

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key("secret-key")
        .build()
        .expect("valid configuration")
}

fn ticket_json(id: i64, subject: &str) -> serde_json::Value {
    json!({
        "id": id, "subject": subject, "status": 2, "priority": 1, "source": 2,
        "requester_id": 1000000675, "responder_id": null, "group_id": null,
        "cc_emails": ["ram@freshservice.com"], "fwd_emails": [], "tags": [],
        "custom_fields": {"auto_checkbox": null},
        "created_at": "2017-09-08T10:26:17Z", "updated_at": "2017-09-08T10:26:17Z",
        "due_by": "2017-09-11T10:26:17Z", "fr_due_by": "2017-09-09T10:26:17Z",
        "description": "<div>Details</div>", "description_text": "Details",
        "type": "Incident", "is_escalated": false, "attachments": [], "workspace_id": 3
    })
}

#[tokio::test]
async fn create_sends_json_with_basic_auth_and_unwraps_the_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tickets"))
        .and(header("authorization", AUTH))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "email": "tom@outerspace.com", "subject": "Support Needed...",
            "description": "Details about the issue...", "status": 2, "priority": 1, "workspace_id": 3
        })))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("location", "https://acme.freshservice.com/api/v2/tickets/264")
                .insert_header("x-ratelimit-remaining", "998")
                .set_body_json(json!({ "ticket": ticket_json(264, "Support Needed...") })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let body = TicketCreate {
        email: Some("tom@outerspace.com".into()),
        subject: Some("Support Needed...".into()),
        description: Some("Details about the issue...".into()),
        status: Some(TicketStatus::Open),
        priority: Some(TicketPriority::Low),
        workspace_id: Some(3),
        ..Default::default()
    };
    let response = client(&server)
        .await
        .tickets()
        .create()
        .body(body)
        .send_with_response()
        .await
        .expect("created");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(
        response.location(),
        Some("https://acme.freshservice.com/api/v2/tickets/264")
    );
    assert_eq!(response.rate_limit().remaining, Some(998));
    let ticket = response.into_inner();
    assert_eq!(ticket.id, Some(264));
    assert_eq!(ticket.status, Some(TicketStatus::Open));
    assert_eq!(ticket.r#type.as_deref(), Some("Incident"));
    assert_eq!(
        ticket
            .custom_fields
            .as_ref()
            .and_then(|f| f.get("auto_checkbox")),
        Some(&serde_json::Value::Null)
    );
}

#[tokio::test]
async fn get_fills_the_path_and_sends_include_as_a_comma_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets/20"))
        .and(query_param("include", "requester,stats"))
        .and(header("authorization", AUTH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "ticket": ticket_json(20, "Printer") })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let ticket = client(&server)
        .await
        .tickets()
        .get(20)
        .include(vec![
            TicketsGetIncludeItem::Requester,
            TicketsGetIncludeItem::Stats,
        ])
        .send()
        .await
        .expect("found");
    assert_eq!(ticket.id, Some(20));
    assert_eq!(ticket.subject.as_deref(), Some("Printer"));
}

#[tokio::test]
async fn list_sends_paging_and_keeps_unknown_status_codes() {
    let server = MockServer::start().await;
    let mut custom_status = ticket_json(2, "Custom status");
    custom_status["status"] = json!(17);
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .and(query_param("page", "2"))
        .and(query_param("per_page", "100"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "tickets": [ticket_json(1, "First"), custom_status] })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let tickets = client(&server)
        .await
        .tickets()
        .list()
        .page(2)
        .per_page(100)
        .send()
        .await
        .expect("listed");
    assert_eq!(tickets.len(), 2);
    assert_eq!(tickets[1].status, Some(TicketStatus::Unknown(17)));
}

#[tokio::test]
async fn filter_wraps_the_query_in_double_quotes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets/filter"))
        .and(query_param("query", "\"priority:1 AND status:2\""))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "tickets": [], "total": 0 })),
        )
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .await
        .tickets()
        .filter("priority:1 AND status:2")
        .send()
        .await
        .expect("filtered");
}

#[tokio::test]
async fn filter_rejects_queries_over_the_limit_without_sending() {
    let server = MockServer::start().await;
    let long = "a".repeat(513);
    let error = client(&server)
        .await
        .tickets()
        .filter(long)
        .send()
        .await
        .expect_err("too long");
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(error.to_string().contains("at most 512"), "{error}");
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn update_sends_put_with_only_the_fields_set() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/tickets/7"))
        .and(body_json(json!({ "priority": 4, "status": 4 })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "ticket": ticket_json(7, "Updated") })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let update = TicketUpdate {
        priority: Some(TicketPriority::Urgent),
        status: Some(TicketStatus::Resolved),
        ..Default::default()
    };
    let ticket = client(&server)
        .await
        .tickets()
        .update(7)
        .body(update)
        .send()
        .await
        .expect("updated");
    assert_eq!(ticket.subject.as_deref(), Some("Updated"));
}

#[tokio::test]
async fn delete_accepts_an_empty_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/tickets/9"))
        .and(header("authorization", AUTH))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .await
        .tickets()
        .delete(9)
        .send()
        .await
        .expect("deleted");
}

#[tokio::test]
async fn errors_carry_status_and_the_parsed_error_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tickets"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "description": "Validation failed",
            "errors": [
                { "field": "email", "message": "Mandatory attribute missing", "code": "missing_field" },
                { "field": "x", "message": "Something new", "code": "brand_new_code" }
            ]
        })))
        .mount(&server)
        .await;
    let error = client(&server)
        .await
        .tickets()
        .create()
        .body(TicketCreate::default())
        .send()
        .await
        .expect_err("rejected");
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    let body = api.body.as_ref().expect("parsed error body");
    assert_eq!(body.description.as_deref(), Some("Validation failed"));
    assert_eq!(body.errors[0].code, Some(ErrorCode::MissingField));
    assert_eq!(
        body.errors[1].code,
        Some(ErrorCode::Unknown("brand_new_code".into()))
    );
    let line = error.to_string();
    assert!(
        line.starts_with("POST /tickets → 400 Bad Request: Validation failed"),
        "{line}"
    );
    assert!(!line.contains("secret-key"));
}

#[tokio::test]
async fn a_missing_required_body_is_reported_before_sending() {
    let server = MockServer::start().await;
    let error = client(&server)
        .await
        .tickets()
        .create()
        .send()
        .await
        .expect_err("no body");
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn domain_builds_the_documented_base_url() {
    let client = Client::builder()
        .domain("acme")
        .api_key("super-secret")
        .build()
        .expect("valid");
    assert_eq!(
        client.runtime().base_url().as_str(),
        "https://acme.freshservice.com/api/v2"
    );
    let debug = format!("{client:?}");
    assert!(
        !debug.contains("super-secret") && !debug.contains("c3VwZXItc2VjcmV0"),
        "{debug}"
    );
    assert!(Client::builder()
        .domain("acme.evil.com/x")
        .api_key("k")
        .build()
        .is_err());
}
