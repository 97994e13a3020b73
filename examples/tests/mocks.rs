//! The example logic driven through the client's typed mocks (feature `test-util`), the way
//! a downstream crate tests its own code: answers built from the generated types, errors
//! and rate limits, call counts.

use std::time::Duration;

use freshservice::mock::{self, MockServer};
use freshservice::types::{ErrorBody, ErrorCode};
use freshservice::types::{Ticket, TicketStatus};
use freshservice::Error;
use freshservice_examples::open_tickets;

fn ticket(id: i64, status: TicketStatus) -> Ticket {
    Ticket {
        id,
        subject: Some(format!("ticket {id}")),
        status: Some(status),
        ..Default::default()
    }
}

#[tokio::test]
async fn open_tickets_keeps_the_open_ones_of_every_page() {
    let server = MockServer::start().await;
    let first = server
        .mount(
            mock::tickets::list()
                .query("page", &1)
                .query("per_page", &2)
                .returns(vec![
                    ticket(1, TicketStatus::Open),
                    ticket(2, TicketStatus::Closed),
                ])
                .expect(1),
        )
        .await;
    server
        .mount(
            mock::tickets::list()
                .query("page", &2)
                .returns(vec![ticket(3, TicketStatus::Open)])
                .expect(1),
        )
        .await;

    let open = open_tickets(&server.client(), 2).await.unwrap();
    assert_eq!(
        open,
        vec![ticket(1, TicketStatus::Open), ticket(3, TicketStatus::Open)]
    );
    assert_eq!(first.calls().await, 1);
    server.verify().await;
}

#[tokio::test]
async fn open_tickets_stops_at_a_rate_limited_page_and_returns_the_error() {
    let server = MockServer::start().await;
    server
        .mount(
            mock::tickets::list()
                .query("page", &1)
                .returns(vec![
                    ticket(1, TicketStatus::Open),
                    ticket(2, TicketStatus::Open),
                ])
                .expect(1),
        )
        .await;
    let second = server
        .mount(
            mock::tickets::list()
                .query("page", &2)
                .rate_limited(30)
                .expect(1),
        )
        .await;
    // No third page is asked for once the second failed.
    server
        .mount(
            mock::tickets::list()
                .query("page", &3)
                .returns(Vec::new())
                .expect(0),
        )
        .await;

    let error = open_tickets(&server.client(), 2).await.unwrap_err();
    let Error::RateLimited { retry_after, .. } = error else {
        panic!("expected Error::RateLimited, got {error:?}");
    };
    assert_eq!(retry_after, Some(Duration::from_secs(30)));
    assert_eq!(second.calls().await, 1);
    server.verify().await;
}

#[tokio::test]
async fn open_tickets_returns_the_api_error_of_a_refused_list() {
    let server = MockServer::start().await;
    let refusal = ErrorBody {
        code: Some(ErrorCode::AccessDenied),
        message: Some("You are not authorized to perform this action.".into()),
        ..Default::default()
    };
    server
        .mount(mock::tickets::list().fails(403, &refusal).expect(1))
        .await;

    let error = open_tickets(&server.client(), 30).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(api.body_as::<ErrorBody>().ok(), Some(refusal));
}

/// A downstream workflow against the stateful fake of tickets: create, reply, list a page at
/// a time, filter, resolve, filter again, as a service-desk automation would.
#[tokio::test]
async fn a_service_desk_workflow_runs_against_the_fake() {
    use freshservice::types::{
        ConversationReplyCreate, TicketCreate, TicketPriority, TicketUpdate,
    };
    use freshservice::StreamExt;

    let server = MockServer::start().await;
    let tickets = mock::tickets::fake().required("subject").nested(
        "reply",
        "conversations",
        "conversation",
        "conversations",
    );
    let fake = server.fake(tickets).await;
    let client = server.client();
    for (subject, priority) in [
        ("printer on fire", TicketPriority::Urgent),
        ("new mouse", TicketPriority::Low),
        ("VPN down", TicketPriority::Urgent),
    ] {
        client
            .tickets()
            .create(TicketCreate {
                subject: Some(subject.to_owned()),
                email: Some("tom@example.com".to_owned()),
                status: Some(TicketStatus::Open),
                priority: Some(priority),
                ..Default::default()
            })
            .send()
            .await
            .expect("created");
    }

    // An agent replies to the first ticket; the reply is among its conversations.
    let reply = client
        .conversations()
        .reply(
            1,
            ConversationReplyCreate {
                body: "<p>On our way with an extinguisher.</p>".to_owned(),
                ..Default::default()
            },
        )
        .send()
        .await
        .expect("replied");
    assert_eq!(reply.ticket_id, Some(1));
    let conversations = client.conversations().list(1).send().await.expect("listed");
    assert_eq!(
        conversations.iter().map(|c| c.id).collect::<Vec<_>>(),
        [reply.id]
    );

    // The example's own logic pages through the fake two tickets at a time.
    let open = open_tickets(&client, 2).await.expect("listed");
    assert_eq!(open.iter().map(|t| t.id).collect::<Vec<_>>(), [1, 2, 3]);

    let urgent_open = || async {
        let found = client
            .tickets()
            .filter("priority:4 AND status:2")
            .send()
            .await
            .expect("filtered");
        (
            found.total,
            found
                .tickets
                .unwrap_or_default()
                .iter()
                .map(|t| t.id)
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(urgent_open().await, (Some(2), vec![1, 3]));

    // Resolve the first urgent ticket; it leaves the filter's answer.
    client
        .tickets()
        .update(
            1,
            TicketUpdate {
                status: Some(TicketStatus::Resolved),
                ..Default::default()
            },
        )
        .send()
        .await
        .expect("resolved");
    assert_eq!(urgent_open().await, (Some(1), vec![3]));
    assert_eq!(
        fake.get::<Ticket>(1).and_then(|t| t.status),
        Some(TicketStatus::Resolved)
    );

    // A stream of every ticket still sees all three.
    let all: Vec<i64> = client
        .tickets()
        .list()
        .per_page(2)
        .items()
        .map(|item| item.expect("a ticket").id)
        .collect()
        .await;
    assert_eq!(all, [1, 2, 3]);
}
