//! The generated Freshservice client against a real HTTP server on loopback: the request it
//! sends (method, path, query, auth, body) and how it decodes answers and errors.

use freshservice::types::{ErrorBody, ErrorCode};
use freshservice::types::{
    TicketCreate, TicketPriority, TicketStatus, TicketUpdate, TicketsGetIncludeItem,
};
use freshservice::{Client, Error, Nullable};
use serde_json::json;
use wiremock::matchers::{body_json, body_string, header, method, path, query_param};
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
        .create(body)
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
    assert_eq!(ticket.id, 264);
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
        // Any collection: an array here.
        .include([
            TicketsGetIncludeItem::Requester,
            TicketsGetIncludeItem::Stats,
        ])
        .send()
        .await
        .expect("found");
    assert_eq!(ticket.id, 20);
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
async fn a_ticket_without_a_required_field_is_a_decode_error_naming_it() {
    let server = MockServer::start().await;
    let mut no_id = ticket_json(2, "No id");
    no_id.as_object_mut().map(|ticket| ticket.remove("id"));
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "tickets": [ticket_json(1, "Fine"), no_id] })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .await
        .tickets()
        .list()
        .send()
        .await
        .expect_err("the second ticket has no id");
    let Error::Decode(decode) = &error else {
        panic!("not a decode error: {error:?}");
    };
    assert_eq!(decode.field_path, "tickets[1]");
    assert!(
        decode.message.starts_with("missing field `id`"),
        "{}",
        decode.message
    );
    assert!(error.to_string().contains("missing field `id`"), "{error}");
}

#[tokio::test]
async fn undeclared_keys_of_a_response_are_kept_in_extra() {
    let server = MockServer::start().await;
    let mut ticket = ticket_json(5, "Extra");
    ticket["sla_escalation_level"] = json!(2);
    ticket["ai_summary"] = json!({"text": "printer", "confidence": 0.9});
    Mock::given(method("GET"))
        .and(path("/tickets/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "ticket": ticket })))
        .expect(1)
        .mount(&server)
        .await;
    let ticket = client(&server)
        .await
        .tickets()
        .get(5)
        .send()
        .await
        .expect("found");
    assert_eq!(ticket.extra.get("sla_escalation_level"), Some(&json!(2)));
    assert_eq!(ticket.extra["ai_summary"]["confidence"], json!(0.9));
    assert_eq!(ticket.extra.len(), 2, "declared keys stay in their fields");
    assert_eq!(ticket.subject.as_deref(), Some("Extra"));
    // Written back with the declared fields (`serde-both`).
    let written = serde_json::to_value(&ticket).expect("encodes");
    assert_eq!(written["sla_escalation_level"], json!(2));
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
        .update(7, update)
        .send()
        .await
        .expect("updated");
    assert_eq!(ticket.subject.as_deref(), Some("Updated"));
}

#[tokio::test]
async fn update_sends_null_to_clear_a_field_and_leaves_absent_ones_out() {
    let server = MockServer::start().await;
    // The exact bytes: `null` for the cleared field, no key for anything left absent.
    Mock::given(method("PUT"))
        .and(path("/tickets/7"))
        .and(body_string(r#"{"responder_id":null}"#))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "ticket": ticket_json(7, "Unassigned") })),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/tickets/8"))
        .and(body_string(r#"{"responder_id":12,"group_id":null}"#))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "ticket": ticket_json(8, "Reassigned") })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let unassign = TicketUpdate {
        responder_id: Nullable::Null,
        ..Default::default()
    };
    // With `serde-both`, a body read from JSON keeps the three states and writes them back.
    let read: TicketUpdate =
        serde_json::from_value(json!({ "responder_id": null, "group_id": 3 })).expect("decodes");
    assert_eq!(
        (read.responder_id, read.group_id, read.department_id),
        (Nullable::Null, Nullable::Value(3), Nullable::Absent)
    );
    assert_eq!(
        serde_json::to_value(&read).expect("encodes"),
        json!({ "responder_id": null, "group_id": 3 })
    );
    assert!(unassign.group_id.is_absent());
    let ticket = client
        .tickets()
        .update(7, unassign)
        .send()
        .await
        .expect("unassigned");
    assert_eq!(ticket.responder_id, None);
    let reassign = TicketUpdate {
        responder_id: 12.into(),
        group_id: None.into(),
        ..Default::default()
    };
    client
        .tickets()
        .update(8, reassign)
        .send()
        .await
        .expect("reassigned");
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
        .create(TicketCreate::default())
        .send()
        .await
        .expect_err("rejected");
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    let body: ErrorBody = api.body_as().expect("the declared error body");
    assert_eq!(body.description.as_deref(), Some("Validation failed"));
    let errors = body.errors.expect("a list of problems");
    assert_eq!(errors[0].code, Some(ErrorCode::MissingField));
    assert_eq!(
        errors[1].code,
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

fn tickets_page(ids: std::ops::RangeInclusive<i64>) -> serde_json::Value {
    json!({ "tickets": ids.map(|id| ticket_json(id, "t")).collect::<Vec<_>>() })
}

#[tokio::test]
async fn items_follow_link_headers_across_three_pages() {
    use freshservice::StreamExt;
    let server = MockServer::start().await;
    let next = |page: u32| {
        format!(
            "<{}/tickets?per_page=2&page={page}>; rel=\"next\"",
            server.uri()
        )
    };
    for (page, ids, link) in [
        (1, 1..=2, Some(next(2))),
        (2, 3..=4, Some(next(3))),
        (3, 5..=5, None),
    ] {
        let mut response = ResponseTemplate::new(200).set_body_json(tickets_page(ids));
        if let Some(link) = link {
            response = response.insert_header("link", link.as_str());
        }
        Mock::given(method("GET"))
            .and(path("/tickets"))
            .and(query_param("page", page.to_string()))
            .and(query_param("per_page", "2"))
            .respond_with(response)
            .expect(1)
            .mount(&server)
            .await;
    }
    let ids: Vec<i64> = client(&server)
        .await
        .tickets()
        .list()
        .per_page(2)
        .items()
        .map(|item| item.expect("every page arrives").id)
        .collect()
        .await;
    assert_eq!(ids, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_failed_page_comes_after_the_fetched_items_and_says_where_to_resume() {
    use freshservice::StreamExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .and(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tickets_page(1..=2)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({ "description": "Validation failed", "errors": [] })),
        )
        .mount(&server)
        .await;
    let results: Vec<_> = client(&server)
        .await
        .tickets()
        .list()
        .per_page(2)
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two items, then the error");
    assert!(results[0].is_ok() && results[1].is_ok());
    let error = results[2].as_ref().expect_err("page 2 failed");
    assert_eq!(error.resume_page(), Some(2));
    assert_eq!(error.resume, freshservice::PageRef::Number(2));
    assert_eq!(error.items_before, 2);
    assert!(matches!(error.error, Error::Api(_)));
}

#[tokio::test]
async fn pages_stop_at_the_cap_and_when_a_page_is_short() {
    use freshservice::StreamExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tickets_page(1..=30)))
        .mount(&server)
        .await;
    let pages: Vec<_> = client(&server)
        .await
        .tickets()
        .list()
        .pages()
        .max_pages(3)
        .collect()
        .await;
    assert_eq!(
        pages.len(),
        3,
        "full pages of the default size 30 go on until the cap"
    );
    assert_eq!(pages[2].as_ref().ok().and_then(|p| p.number()), Some(3));
}

#[tokio::test]
async fn per_page_above_the_documented_maximum_is_rejected_before_sending() {
    let server = MockServer::start().await;
    let error = client(&server)
        .await
        .tickets()
        .list()
        .per_page(101)
        .send()
        .await
        .expect_err("too large");
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("`per_page` is 101; it must be between 1 and 100"),
        "{error}"
    );
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

/// Retries without real waiting: a policy with a negligible backoff.
fn quick_retries() -> freshservice::RequestOptions {
    freshservice::RequestOptions::new().retry_policy(
        freshservice::RetryPolicy::new()
            .max_attempts(3)
            .base_delay(std::time::Duration::from_millis(1))
            .max_delay(std::time::Duration::from_millis(2)),
    )
}

#[tokio::test]
async fn a_get_is_retried_after_a_5xx() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets/3"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/tickets/3"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "ticket": ticket_json(3, "Back") })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let ticket = client(&server)
        .await
        .tickets()
        .get(3)
        .options(quick_retries())
        .send()
        .await
        .expect("retried");
    assert_eq!(ticket.subject.as_deref(), Some("Back"));
}

#[tokio::test]
async fn a_create_is_not_retried_after_a_500() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tickets"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .await
        .tickets()
        .create(TicketCreate::default())
        .options(quick_retries())
        .send()
        .await
        .expect_err("no duplicate tickets");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn per_request_options_add_headers() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/tickets/4"))
        .and(header("x-request-tag", "cleanup"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .await
        .tickets()
        .delete(4)
        .options(freshservice::RequestOptions::new().header("x-request-tag", "cleanup"))
        .send()
        .await
        .expect("deleted");
}

#[tokio::test]
async fn the_filter_builder_feeds_filter_operations() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets/filter"))
        .and(query_param(
            "query",
            "\"priority:3 AND (status:2 OR agent_id:null)\"",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "tickets": [], "total": 0 })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let query = freshservice::Filter::eq("priority", 3)
        .and(freshservice::Filter::eq("status", 2).or(freshservice::Filter::is_null("agent_id")))
        .build()
        .expect("expressible");
    client(&server)
        .await
        .tickets()
        .filter(query)
        .send()
        .await
        .expect("filtered");
}

fn records_page(ids: std::ops::RangeInclusive<i64>) -> serde_json::Value {
    let records: Vec<_> = ids
        .map(|id| json!({ "data": { "bo_display_id": id, "item_name": format!("item {id}") } }))
        .collect();
    json!({ "records": records, "meta": { "total_records": 5 } })
}

#[tokio::test]
async fn custom_object_records_follow_the_cursor_of_the_next_link() {
    use freshservice::StreamExt;
    use wiremock::matchers::query_param_is_missing;
    let server = MockServer::start().await;
    let next = |cursor: &str| {
        format!(
            "<{}/objects/7/records?page_size=2&next_page_link={cursor}>; rel=\"next\"",
            server.uri()
        )
    };
    Mock::given(method("GET"))
        .and(path("/objects/7/records"))
        .and(query_param("page_size", "2"))
        .and(query_param_is_missing("next_page_link"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", next("c%2F2").as_str())
                .set_body_json(records_page(1..=2)),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/objects/7/records"))
        .and(query_param("page_size", "2"))
        .and(query_param("next_page_link", "c/2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", next("c3").as_str())
                .set_body_json(records_page(3..=4)),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/objects/7/records"))
        .and(query_param("next_page_link", "c3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(records_page(5..=5)))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client(&server)
        .await
        .custom_objects()
        .list_records(7)
        .page_size(2)
        .pages()
        .collect()
        .await;
    let pages: Vec<_> = pages.into_iter().map(|page| page.expect("page")).collect();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0].at, freshservice::PageRef::First);
    assert_eq!(pages[1].at, freshservice::PageRef::Cursor("c/2".to_owned()));
    assert_eq!(pages[2].next, None);
    let ids: Vec<i64> = pages
        .iter()
        .flat_map(|page| &page.items)
        .filter_map(|record| record.data.as_ref()?.bo_display_id)
        .collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn lists_without_paging_parameters_follow_next_links_only() {
    use freshservice::StreamExt;
    let server = MockServer::start().await;
    let activity = |content: &str| json!({ "actor": { "id": 1, "name": "A" }, "content": content, "sub_contents": [], "created_at": "2021-06-09T18:03:01Z" });
    Mock::given(method("GET"))
        .and(path("/tickets/9/activities"))
        .and(wiremock::matchers::query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header(
                    "link",
                    format!(
                        "<{}/tickets/9/activities?page=2>; rel=\"next\"",
                        server.uri()
                    )
                    .as_str(),
                )
                .set_body_json(json!({ "activities": [activity("created"), activity("updated")] })),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/tickets/9/activities"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "activities": [activity("closed")] })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let contents: Vec<String> = client(&server)
        .await
        .tickets()
        .list_activities(9)
        .items()
        .map(|item| item.expect("activity").content.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(contents, ["created", "updated", "closed"]);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    use freshservice::StreamExt;
    let server = MockServer::start().await;
    let link = "<https://attacker.example/api/v2/tickets/9/activities?page=2>; rel=\"next\"";
    Mock::given(method("GET"))
        .and(path("/tickets/9/activities"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", link)
                .set_body_json(json!({ "activities": [{
                    "content": "created", "created_at": "2021-06-09T18:03:01Z"
                }] })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let results: Vec<_> = client(&server)
        .await
        .tickets()
        .list_activities(9)
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2, "the activity, then the refusal");
    let error = results[1].as_ref().expect_err("the link is refused");
    assert!(
        matches!(error.error, Error::InvalidRequest { .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("outside the API's base URL"),
        "{error}"
    );
    assert_eq!(
        error.resume,
        freshservice::PageRef::Link(
            "https://attacker.example/api/v2/tickets/9/activities?page=2".to_owned()
        )
    );
}

#[tokio::test]
async fn filter_pages_take_the_list_out_of_the_answer_object() {
    use freshservice::StreamExt;
    let server = MockServer::start().await;
    for (page, ids) in [("1", 1..=30), ("2", 31..=35)] {
        let tickets: Vec<_> = ids.map(|id| ticket_json(id, "t")).collect();
        Mock::given(method("GET"))
            .and(path("/tickets/filter"))
            .and(query_param("query", "\"priority:4\""))
            .and(query_param("page", page))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "tickets": tickets, "total": 35 })),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let count = client(&server)
        .await
        .tickets()
        .filter("priority:4")
        .items()
        .map(|item| item.expect("ticket"))
        .count()
        .await;
    assert_eq!(count, 35);
}

#[tokio::test]
async fn attachments_download_as_a_stream() {
    let server = MockServer::start().await;
    let content: Vec<u8> = (0..100_000u32).map(|i| (i % 7) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/attachments/12"))
        .and(header("authorization", AUTH))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(content.clone(), "application/octet-stream"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server).await;
    let streamed = client
        .attachments()
        .download(12)
        .send_stream()
        .await
        .expect("download")
        .into_inner()
        .collect_bytes()
        .await
        .expect("body");
    assert_eq!(streamed.as_ref(), content.as_slice());
    let whole = client
        .attachments()
        .download(12)
        .send()
        .await
        .expect("download");
    assert_eq!(whole.as_ref(), content.as_slice());
}

/// The blocking client: same builders, `send_blocking` and blocking iterators, from plain
/// synchronous code (the loopback server runs on its own runtime).
#[test]
fn the_blocking_client_sends_and_pages() {
    let server_runtime = tokio::runtime::Runtime::new().expect("runtime for the server");
    let server = server_runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/tickets/5"))
            .and(header("authorization", AUTH))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "ticket": ticket_json(5, "Blocked") })),
            )
            .expect(1)
            .mount(&server)
            .await;
        for (page, ids) in [("1", 1..=2), ("2", 3..=3)] {
            Mock::given(method("GET"))
                .and(path("/tickets"))
                .and(query_param("page", page))
                .respond_with(ResponseTemplate::new(200).set_body_json(tickets_page(ids)))
                .expect(1)
                .mount(&server)
                .await;
        }
        server
    });
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("secret-key")
        .build()
        .expect("valid configuration");

    let ticket = client.tickets().get(5).send_blocking().expect("ticket");
    assert_eq!(ticket.subject.as_deref(), Some("Blocked"));
    let ids: Vec<i64> = client
        .tickets()
        .list()
        .per_page(2)
        .items()
        .blocking()
        .map(|item| item.expect("ticket").id)
        .collect();
    assert_eq!(ids, [1, 2, 3]);
    server_runtime.block_on(server.verify());
}

#[tokio::test]
async fn the_blocking_client_refuses_to_run_inside_async_code() {
    let server = MockServer::start().await;
    let error = client(&server)
        .await
        .tickets()
        .get(5)
        .send_blocking()
        .expect_err("refused");
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_are_futures_that_can_be_spawned_and_awaited_later() {
    let server = MockServer::start().await;
    for id in [1, 2] {
        Mock::given(method("GET"))
            .and(path(format!("/tickets/{id}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "ticket": ticket_json(id, "spawned") })),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server).await;
    // The future owns the client and the request: the builder and the handle can go.
    let first: freshservice::CallFuture<freshservice::types::Ticket> =
        client.tickets().get(1).send();
    let second = tokio::spawn(client.tickets().get(2).send());
    drop(client);
    let second = second.await.expect("the task ran").expect("second");
    let first = first.await.expect("first");
    assert_eq!((first.id, second.id), (1, 2));
}

#[tokio::test]
async fn operations_from_freshworks_description_send_and_decode_as_written() {
    use freshservice::types::{SurveyInput, SurveyTriggerEvent};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/surveys"))
        .and(body_json(json!({
            "name": "After closing", "survey_trigger_event": "Ticket Closure"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "survey": {"id": 7, "name": "After closing", "active": false,
                       "survey_trigger_event": "Ticket Closure", "order_of_options": "Good to Bad",
                       "options": {"option_1": {"text": "Fantastic"}}}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/surveys/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "surveys": [{"id": 7, "name": "After closing"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/surveys/7/activate"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/assets/3/components/9"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server).await;
    let created = client
        .surveys()
        .create(SurveyInput {
            name: Some("After closing".into()),
            survey_trigger_event: Some(SurveyTriggerEvent::TicketClosure),
            ..Default::default()
        })
        .send()
        .await
        .expect("created");
    assert_eq!(created.id, Some(7));
    let first = created.options.and_then(|options| options.option_1);
    assert_eq!(
        first.and_then(|option| option.text).as_deref(),
        Some("Fantastic")
    );
    // Freshworks' description answers a single survey as a list of one.
    let fetched = client.surveys().get(7).send().await.expect("fetched");
    assert_eq!(fetched.len(), 1);
    client
        .surveys()
        .activate(7)
        .send()
        .await
        .expect("activated");
    // A 200 without a body, as that description writes the component delete.
    client
        .assets()
        .delete_component(3, 9)
        .send()
        .await
        .expect("deleted");
}

#[tokio::test]
async fn an_error_body_decodes_into_the_type_the_spec_declares() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/tickets"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "description": "Validation failed",
            "errors": [{"field": "email", "message": "It should be a valid email", "code": "invalid_value"}]
        })))
        .mount(&server)
        .await;
    let result = client(&server)
        .await
        .tickets()
        .create(TicketCreate::default())
        .send()
        .await;
    let Err(Error::Api(api)) = result else {
        panic!("expected an API error, got {result:?}");
    };
    let body = api.body_as::<ErrorBody>().expect("the declared error body");
    assert_eq!(body.description.as_deref(), Some("Validation failed"));
    let detail = &body.errors.expect("errors")[0];
    assert_eq!(detail.field.as_deref(), Some("email"));
    assert_eq!(
        detail.code,
        Some(freshservice::types::ErrorCode::InvalidValue)
    );
    let wrong = api.body_as::<freshservice::types::Ticket>().unwrap_err();
    assert!(wrong.message.contains("missing field"), "{wrong}");
    assert!(!api.raw.is_empty(), "the raw body is kept");
}
