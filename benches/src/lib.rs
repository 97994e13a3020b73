//! Shared pieces of the client-overhead benchmarks: a loopback HTTP server that answers like
//! the Freshservice tickets endpoints, the same requests written by hand with reqwest and
//! serde_json, and the clocks the benchmarks read.
//!
//! The benchmarks themselves are in `benches/`: `cargo bench -p benches`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use freshservice::types::{Ticket, TicketCreate, TicketPriority, TicketStatus};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use tokio::sync::oneshot;

/// Any error of a benchmark's setup or of a hand-written request.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The API key both clients send.
pub const API_KEY: &str = "bench-key";

/// A ticket as the API returns it, with id `id`.
pub fn ticket_json(id: i64) -> serde_json::Value {
    serde_json::json!({
        "id": id, "workspace_id": 2, "subject": format!("Printer on floor {} is out of toner", id % 7),
        "description": "<div>The printer next to the kitchen shows a toner warning and prints blank pages.</div>",
        "description_text": "The printer next to the kitchen shows a toner warning and prints blank pages.",
        "type": "Incident", "status": 2, "priority": 1 + id % 4, "source": 2, "urgency": 1, "impact": 1,
        "requester_id": 1_000_000_000 + id, "requested_for_id": 1_000_000_000 + id,
        "responder_id": null, "group_id": 7, "department_id": null, "email_config_id": null,
        "sla_policy_id": 3, "category": "Hardware", "sub_category": "Printer", "item_category": null,
        "cc_emails": ["facilities@example.com"], "fwd_emails": [], "reply_cc_emails": [],
        "to_emails": null, "tags": ["printer", "toner"],
        "custom_fields": {"floor": id % 7, "asset_tag": format!("PRN-{id:05}"), "vip": false},
        "attachments": [],
        "due_by": "2024-03-11T10:26:17Z", "fr_due_by": "2024-03-09T10:26:17Z",
        "is_escalated": false, "fr_escalated": false, "spam": false, "deleted": false,
        "created_within_business_hours": true,
        "created_at": "2024-03-08T10:26:17Z", "updated_at": "2024-03-08T11:02:45Z"
    })
}

/// The body of `GET /tickets` with `count` tickets: `{"tickets": [...]}`.
pub fn page_body(count: i64) -> Bytes {
    let tickets: Vec<_> = (1..=count).map(ticket_json).collect();
    Bytes::from(serde_json::json!({ "tickets": tickets }).to_string())
}

/// The body of `POST /tickets`: `{"ticket": {...}}`.
pub fn created_body() -> Bytes {
    Bytes::from(serde_json::json!({ "ticket": ticket_json(264) }).to_string())
}

/// The ticket both clients create.
pub fn new_ticket() -> TicketCreate {
    TicketCreate {
        email: Some("tom@example.com".into()),
        subject: Some("Printer on fire".into()),
        description: Some(
            "<div>Smoke is coming out of the printer next to the kitchen.</div>".into(),
        ),
        status: Some(TicketStatus::Open),
        priority: Some(TicketPriority::Urgent),
        workspace_id: Some(2),
        ..Default::default()
    }
}

/// `{"tickets": [...]}`, decoded by hand.
#[derive(Debug, Deserialize)]
pub struct TicketsPage {
    /// The page's tickets.
    pub tickets: Vec<Ticket>,
}

/// `{"ticket": {...}}`, decoded by hand.
#[derive(Debug, Deserialize)]
pub struct TicketEnvelope {
    /// The ticket.
    pub ticket: Ticket,
}

/// What the loopback server answers.
#[derive(Clone, Debug)]
pub struct Bodies {
    /// The body of `GET /tickets` (200) for pages 1 to `last_page`; later pages are empty.
    pub page: Bytes,
    /// The last page that is not empty.
    pub last_page: u32,
    /// The body of `POST /tickets` (201).
    pub created: Bytes,
}

/// An HTTP/1.1 server on 127.0.0.1 (a free port) answering `GET /tickets[?page=N]` and
/// `POST /tickets` with fixed bodies, on its own thread. Dropping it stops it.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts the server.
    pub fn start(bodies: Bodies) -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (shutdown, stop) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("loopback-server".into())
            .spawn(move || runtime.block_on(serve(listener, bodies, stop)))?;
        Ok(Server {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may have stopped already; then there is nobody to tell.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections until `stop` fires (or accepting fails).
async fn serve(listener: std::net::TcpListener, bodies: Bodies, mut stop: oneshot::Receiver<()>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let stream = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => return,
            },
        };
        let _ = stream.set_nodelay(true);
        let bodies = bodies.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request| respond(request, bodies.clone()));
            // A connection the client drops ends here; nothing to report.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn respond(
    request: Request<Incoming>,
    bodies: Bodies,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (status, body) = match (request.method(), request.uri().path()) {
        (&Method::GET, "/tickets") => {
            let page = request
                .uri()
                .query()
                .unwrap_or_default()
                .split('&')
                .find_map(|pair| pair.strip_prefix("page="))
                .map_or(Some(1), |n| n.parse::<u32>().ok());
            match page {
                Some(n) if n <= bodies.last_page => (StatusCode::OK, bodies.page),
                Some(_) => (StatusCode::OK, Bytes::from_static(br#"{"tickets":[]}"#)),
                None => (StatusCode::BAD_REQUEST, Bytes::new()),
            }
        }
        (&Method::POST, "/tickets") => {
            // Read the whole request body, as a real server would.
            match request.into_body().collect().await {
                Ok(_) => (StatusCode::CREATED, bodies.created),
                Err(_) => (StatusCode::BAD_REQUEST, Bytes::new()),
            }
        }
        _ => (StatusCode::NOT_FOUND, Bytes::new()),
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert("x-ratelimit-total", HeaderValue::from_static("5000"));
    headers.insert("x-ratelimit-remaining", HeaderValue::from_static("4999"));
    headers.insert(
        "x-ratelimit-used-currentrequest",
        HeaderValue::from_static("1"),
    );
    Ok(response)
}

/// The generated client, pointed at `base_url`.
pub fn generated_client(base_url: &str) -> Result<freshservice::Client, BoxError> {
    let client = freshservice::Client::builder()
        .base_url(base_url)
        .api_key(API_KEY)
        .build()?;
    Ok(client)
}

/// The same two requests written by hand with reqwest and serde_json.
#[derive(Clone, Debug)]
pub struct Handwritten {
    http: reqwest::Client,
    tickets_url: reqwest::Url,
    auth: HeaderValue,
}

impl Handwritten {
    /// A client for the API at `base_url`, with Basic auth from [`API_KEY`].
    pub fn new(base_url: &str) -> Result<Handwritten, BoxError> {
        let http = reqwest::Client::builder()
            .user_agent("handwritten/0.1")
            .build()?;
        let tickets_url = reqwest::Url::parse(&format!("{base_url}/tickets"))?;
        // Let reqwest encode the credentials once, as the generated client does.
        let probe = http
            .get(tickets_url.clone())
            .basic_auth(API_KEY, Some("X"))
            .build()?;
        let auth = probe
            .headers()
            .get(AUTHORIZATION)
            .cloned()
            .ok_or("reqwest set no Authorization header")?;
        Ok(Handwritten {
            http,
            tickets_url,
            auth,
        })
    }

    /// `GET /tickets?per_page=N`, decoded as `{"tickets": [...]}`.
    pub async fn list_tickets(&self, per_page: u32) -> Result<Vec<Ticket>, BoxError> {
        let response = self
            .http
            .get(self.tickets_url.clone())
            .query(&[("per_page", per_page)])
            .header(AUTHORIZATION, self.auth.clone())
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        Ok(serde_json::from_slice::<TicketsPage>(&body)?.tickets)
    }

    /// `POST /tickets` with a JSON body, decoded as `{"ticket": {...}}`.
    pub async fn create_ticket(&self, ticket: &TicketCreate) -> Result<Ticket, BoxError> {
        let response = self
            .http
            .post(self.tickets_url.clone())
            .header(AUTHORIZATION, self.auth.clone())
            .json(ticket)
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        Ok(serde_json::from_slice::<TicketEnvelope>(&body)?.ticket)
    }
}

/// A single-threaded tokio runtime for the client side of a benchmark.
pub fn openapi_client_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// The time the calling thread has run on a CPU (Linux: `/proc/thread-self/schedstat`);
/// `None` elsewhere.
pub fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// The median of `values` (the upper one of the middle two for an even count); `None` when
/// empty.
pub fn median<T: Copy + PartialOrd>(values: &[T]) -> Option<T> {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    sorted.get(sorted.len() / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Server, tokio::runtime::Runtime) {
        let bodies = Bodies {
            page: page_body(100),
            last_page: 1,
            created: created_body(),
        };
        let server = Server::start(bodies).expect("server starts");
        (server, openapi_client_runtime().expect("runtime"))
    }

    #[test]
    fn both_clients_read_the_same_page() {
        let (server, runtime) = setup();
        let generated = generated_client(&server.base_url()).expect("client");
        let handwritten = Handwritten::new(&server.base_url()).expect("client");
        let (a, b) = runtime.block_on(async {
            let a = generated.tickets().list().per_page(100).send().await;
            let b = handwritten.list_tickets(100).await;
            (a, b)
        });
        let (a, b) = (a.expect("generated"), b.expect("handwritten"));
        assert_eq!(a.len(), 100);
        assert_eq!(a, b);
        assert_eq!(a[99].id, 100);
        assert_eq!(a[0].custom_fields.as_ref().map(|f| f.len()), Some(3));
    }

    #[test]
    fn both_clients_create_the_same_ticket() {
        let (server, runtime) = setup();
        let generated = generated_client(&server.base_url()).expect("client");
        let handwritten = Handwritten::new(&server.base_url()).expect("client");
        let (a, b) = runtime.block_on(async {
            let a = generated.tickets().create(new_ticket()).send().await;
            let b = handwritten.create_ticket(&new_ticket()).await;
            (a, b)
        });
        let (a, b) = (a.expect("generated"), b.expect("handwritten"));
        assert_eq!(a, b);
        assert_eq!(a.id, 264);
    }

    #[test]
    fn pages_after_the_last_are_empty() {
        let (server, runtime) = setup();
        let generated = generated_client(&server.base_url()).expect("client");
        let (first, second) = runtime.block_on(async {
            let first = generated.tickets().list().page(1).send().await;
            let second = generated.tickets().list().page(2).send().await;
            (first, second)
        });
        assert_eq!(first.expect("page 1").len(), 100);
        assert_eq!(second.expect("page 2").len(), 0);
    }

    #[test]
    fn unknown_paths_are_not_found() {
        let (server, runtime) = setup();
        let generated = generated_client(&server.base_url()).expect("client");
        let result = runtime.block_on(generated.tickets().get(1).send());
        let error = result.expect_err("404");
        assert!(error.to_string().contains("404"), "{error}");
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3, 1, 2]), Some(2));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(3.0));
        assert_eq!(median::<u8>(&[]), None);
    }
}
