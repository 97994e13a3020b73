//! The typed test doubles of the generated client (feature `test-util`): per-operation mocks
//! built from the generated types, served on loopback, answering what the client decodes,
//! and reading back what it sent.

use std::time::Duration;

use freshservice::mock::{self, MockServer};
use freshservice::types::{ErrorBody, ErrorDetail};
use freshservice::types::{
    PmProjectJob, Ticket, TicketCreate, TicketPriority, TicketStatus, TicketUpdate,
};
use freshservice::{Error, StreamExt};
use openapi_client_runtime::mock::FakeResource;

fn ticket(id: i64, subject: &str) -> Ticket {
    Ticket {
        id,
        subject: Some(subject.to_owned()),
        status: Some(TicketStatus::Open),
        priority: Some(TicketPriority::High),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_typed_answer_is_what_the_client_returns() {
    let server = MockServer::start().await;
    let expected = ticket(42, "Printer on fire");
    server
        .mount(mock::tickets::get(42).returns(expected.clone()).expect(1))
        .await;

    let got = server.client().tickets().get(42).send().await.unwrap();
    assert_eq!(got, expected);
    // The mock wraps the answer in `{"ticket": ..}`, which the client unwraps.
    let requests = server.received_requests().await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/tickets/42");
    server.verify().await;
}

#[tokio::test]
async fn a_mock_matches_only_its_own_path_parameters() {
    let server = MockServer::start().await;
    server
        .mount(mock::tickets::get(42).returns(ticket(42, "mine")))
        .await;
    let error = server.client().tickets().get(43).send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn path_parameters_are_matched_percent_encoded_as_the_client_sends_them() {
    let server = MockServer::start().await;
    let job = PmProjectJob::default();
    let mounted = server
        .mount(mock::pm_projects::get_job("batch/7 a").returns(job.clone()))
        .await;

    let got = server
        .client()
        .pm_projects()
        .get_job("batch/7 a")
        .send()
        .await
        .unwrap();
    assert_eq!(got, job);
    let requests = mounted.requests().await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/pm/jobs/batch%2F7%20a");
}

#[tokio::test]
async fn an_error_answer_is_error_api_with_its_status_and_body() {
    let server = MockServer::start().await;
    let body = ErrorBody {
        description: Some("Validation failed".into()),
        errors: Some(vec![ErrorDetail {
            field: Some("subject".into()),
            message: Some("It should not be blank".into()),
            ..Default::default()
        }]),
        ..Default::default()
    };
    server
        .mount(mock::tickets::get(404).fails(404, &body))
        .await;

    let error = server.client().tickets().get(404).send().await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.body_as::<ErrorBody>().ok(), Some(body));
}

#[tokio::test]
async fn a_rate_limited_answer_is_error_rate_limited_with_its_retry_after() {
    let server = MockServer::start().await;
    let mounted = server
        .mount(mock::tickets::delete(9).rate_limited(2).expect(1))
        .await;

    // The mock server's client does not retry: the 429 is what the caller sees.
    let error = server
        .client()
        .tickets()
        .delete(9)
        .send()
        .await
        .unwrap_err();
    let Error::RateLimited { retry_after, .. } = error else {
        panic!("expected Error::RateLimited, got {error:?}");
    };
    assert_eq!(retry_after, Some(Duration::from_secs(2)));
    assert_eq!(mounted.calls().await, 1);
}

#[tokio::test]
async fn a_client_with_retries_waits_for_a_rate_limit_and_sends_again() {
    let server = MockServer::start().await;
    let limited = server
        .mount(mock::tickets::delete(9).rate_limited(0).expect(3))
        .await;
    let client = freshservice::Client::builder()
        .base_url(server.uri())
        .api_key("key")
        .retry_policy(freshservice::RetryPolicy::new().max_attempts(3))
        .build()
        .unwrap();

    let error = client.tickets().delete(9).send().await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(limited.calls().await, 3);
}

#[tokio::test]
async fn the_body_sent_reads_back_as_the_typed_request() {
    let server = MockServer::start().await;
    let updated = ticket(7, "Resolved by a restart");
    let mounted = server
        .mount(mock::tickets::update(7).returns(updated.clone()).expect(1))
        .await;
    let change = TicketUpdate {
        subject: Some("Resolved by a restart".into()),
        status: Some(TicketStatus::Resolved),
        tags: Some(vec!["printer".into()]),
        ..Default::default()
    };

    let got = server
        .client()
        .tickets()
        .update(7, change.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(got, updated);
    assert_eq!(mounted.sent_body().await, change);
    assert_eq!(mounted.sent_bodies().await, vec![change]);
    assert_eq!(mounted.calls().await, 1);
}

#[tokio::test]
async fn query_parameters_select_the_mock_and_can_be_read_back() {
    let server = MockServer::start().await;
    let second = server
        .mount(
            mock::tickets::list()
                .query("page", &2)
                .returns(vec![ticket(3, "third")]),
        )
        .await;
    let first = server
        .mount(
            mock::tickets::list()
                .query("page", &1)
                .returns(vec![ticket(1, "first"), ticket(2, "second")]),
        )
        .await;
    let client = server.client();

    let page = client.tickets().list().page(2).send().await.unwrap();
    assert_eq!(page, vec![ticket(3, "third")]);
    let page = client.tickets().list().page(1).send().await.unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!((first.calls().await, second.calls().await), (1, 1));
    assert_eq!(
        second.sent_query().await,
        vec![("page".to_owned(), "2".to_owned())]
    );
}

#[tokio::test]
async fn the_query_a_builder_sends_reads_back() {
    let server = MockServer::start().await;
    let listed = server
        .mount(mock::tickets::list().returns(Vec::new()).expect(1))
        .await;
    server
        .client()
        .tickets()
        .list()
        .per_page(50)
        .page(3)
        .send()
        .await
        .unwrap();
    let query = listed.sent_query().await;
    assert!(
        query.contains(&("per_page".to_owned(), "50".to_owned())),
        "{query:?}"
    );
    assert!(
        query.contains(&("page".to_owned(), "3".to_owned())),
        "{query:?}"
    );
}

#[tokio::test]
async fn an_operation_without_a_body_answers_its_success_status() {
    let server = MockServer::start().await;
    let mounted = server.mount(mock::tickets::delete(5).returns(())).await;
    server.client().tickets().delete(5).send().await.unwrap();
    assert_eq!(mounted.calls().await, 1);
}

#[tokio::test]
#[should_panic(expected = "DELETE /tickets/{id}")]
async fn an_unmet_expectation_fails_verification() {
    let server = MockServer::start().await;
    server
        .mount(mock::tickets::delete(5).returns(()).expect(1))
        .await;
    server.verify().await;
}

#[tokio::test]
#[should_panic(expected = "DELETE /tickets/{id}")]
async fn an_unmet_expectation_fails_when_the_server_is_dropped() {
    let server = MockServer::start().await;
    server
        .mount(mock::tickets::delete(5).returns(()).expect(1))
        .await;
    drop(server);
}

#[tokio::test]
#[should_panic(expected = "no request was sent to PUT /tickets/8")]
async fn reading_a_body_that_was_never_sent_fails() {
    let server = MockServer::start().await;
    let mounted = server
        .mount(mock::tickets::update(8).returns(ticket(8, "x")))
        .await;
    mounted.sent_body().await;
}

#[tokio::test]
async fn answer_headers_drive_a_page_stream_over_link_headers() {
    let server = MockServer::start().await;
    let next = format!("<{}/tickets?page=2>; rel=\"next\"", server.uri());
    server
        .mount(
            mock::tickets::list()
                .query("page", &1)
                .returns(vec![ticket(1, "first")])
                .header("link", &next)
                .expect(1),
        )
        .await;
    server
        .mount(
            mock::tickets::list()
                .query("page", &2)
                .returns(vec![ticket(2, "second")])
                .expect(1),
        )
        .await;

    let ids: Vec<i64> = server
        .client()
        .tickets()
        .list()
        .page(1)
        .items()
        .map(|item| item.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, vec![1, 2]);
    server.verify().await;
}

fn new_ticket(subject: Option<&str>) -> TicketCreate {
    TicketCreate {
        email: Some("tom@example.com".into()),
        subject: subject.map(str::to_owned),
        description: Some("Details".into()),
        status: Some(TicketStatus::Open),
        priority: Some(TicketPriority::Low),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_fake_collection_carries_a_ticket_workflow() {
    let server = MockServer::start().await;
    let fake = server.fake(mock::tickets::fake().required("subject")).await;
    let client = server.client();

    // A ticket without a subject is refused with the API's validation error body.
    let error = client
        .tickets()
        .create(new_ticket(None))
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 400);
    let body: ErrorBody = api.body_as().expect("an error body");
    let errors = body.errors.expect("a list of problems");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field.as_deref(), Some("subject"));

    // Created tickets get ids 1, 2, 3.
    let mut ids = Vec::new();
    for subject in ["first", "second", "third"] {
        let created = client
            .tickets()
            .create(new_ticket(Some(subject)))
            .send()
            .await
            .unwrap();
        assert_eq!(created.subject.as_deref(), Some(subject));
        ids.push(created.id);
    }
    assert_eq!(ids, vec![1, 2, 3]);
    let second = client.tickets().get(2).send().await.unwrap();
    assert_eq!(second.subject.as_deref(), Some("second"));

    // Two tickets a page: the stream follows the fake's `Link` to the second page.
    let listed: Vec<i64> = client
        .tickets()
        .list()
        .per_page(2)
        .items()
        .map(|item| item.unwrap().id)
        .collect()
        .await;
    assert_eq!(listed, vec![1, 2, 3]);
    let list_requests = server
        .received_requests()
        .await
        .iter()
        .filter(|request| request.method.as_str() == "GET" && request.url.path() == "/tickets")
        .count();
    assert_eq!(list_requests, 2);

    // Resolving changes the stored record.
    let resolved = client
        .tickets()
        .update(
            2,
            TicketUpdate {
                status: Some(TicketStatus::Resolved),
                ..Default::default()
            },
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resolved.status, Some(TicketStatus::Resolved));
    assert_eq!(resolved.subject.as_deref(), Some("second"));
    let stored: Ticket = fake.get(2).expect("ticket 2");
    assert_eq!(stored.status, Some(TicketStatus::Resolved));

    // Deleted tickets are gone.
    client.tickets().delete(1).send().await.unwrap();
    let error = client.tickets().get(1).send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(fake.ids(), vec![2, 3]);
}

#[tokio::test]
async fn a_mock_answers_before_the_fake_it_overlaps() {
    let server = MockServer::start().await;
    let fake = server
        .fake(
            FakeResource::new("/tickets", "ticket", "tickets")
                .timestamps("created_at", "updated_at"),
        )
        .await;
    let id = fake.insert(serde_json::json!({"subject": "seeded"}));
    assert_eq!(id, 1);
    server
        .mount(mock::tickets::get(id).rate_limited(1).expect(1))
        .await;
    let client = server.client();

    let error = client.tickets().get(id).send().await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    client.tickets().delete(id).send().await.unwrap();
    assert!(fake.ids().is_empty());
}

#[tokio::test]
async fn a_generated_fake_checks_the_fields_the_create_body_requires() {
    use freshservice::types::AgentGroupCreate;

    let server = MockServer::start().await;
    let fake = server.fake(mock::agent_groups::fake()).await;
    let client = server.client();

    // `name` is required by the create body: a blank one is refused.
    let blank = AgentGroupCreate {
        name: String::new(),
        ..Default::default()
    };
    let error = client
        .agent_groups()
        .create(blank)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert!(fake.ids().is_empty());

    let named = AgentGroupCreate {
        name: "Network".into(),
        ..Default::default()
    };
    let created = client.agent_groups().create(named).send().await.unwrap();
    let fetched = client.agent_groups().get(created.id).send().await.unwrap();
    assert_eq!(fetched.name, created.name);
    assert_eq!(fake.ids(), vec![created.id]);
}

#[tokio::test]
async fn the_assets_fake_numbers_display_ids_and_serves_them_back() {
    use freshservice::types::AssetCreate;
    let server = MockServer::start().await;
    let fake = server.fake(mock::assets::fake()).await;
    let client = server.client();
    let created = client
        .assets()
        .create(AssetCreate {
            name: "Laptop 7".to_owned(),
            asset_type_id: 12,
            ..Default::default()
        })
        .send()
        .await
        .expect("created");
    assert_eq!((created.id, created.display_id), (1, 1));
    let fetched = client
        .assets()
        .get(created.display_id)
        .send()
        .await
        .expect("found");
    assert_eq!(fetched.name.as_deref(), Some("Laptop 7"));
    assert_eq!(fake.ids(), [1]);
}
