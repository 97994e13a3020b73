//! Credentials by security scheme, on a real HTTP server on loopback: each request carries
//! exactly the credentials of the first alternative it accepts that the client can satisfy.

use openapi_client_runtime::{
    Client, ClientBuilder, Credential, KeyLocation, Method, Request, RetryPolicy,
};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client of `server` with credentials for the schemes `basic`, `header_key`, `query_key`
/// and `cookie_key` (none for `bearer`).
async fn client(server: &MockServer) -> Client {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(server)
        .await;
    ClientBuilder::new("https://api.example.com")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .credential(
            "basic",
            Credential::Basic {
                username: "key123".into(),
                password: "X".into(),
            },
        )
        .credential(
            "header_key",
            Credential::ApiKey {
                location: KeyLocation::Header,
                name: "X-Api-Key",
                key: "h-secret".into(),
            },
        )
        .credential(
            "query_key",
            Credential::ApiKey {
                location: KeyLocation::Query,
                name: "api_key",
                key: "q secret&".into(),
            },
        )
        .credential(
            "cookie_key",
            Credential::ApiKey {
                location: KeyLocation::Cookie,
                name: "session",
                key: "c-secret".into(),
            },
        )
        .build()
        .unwrap()
}

/// The last request the server received.
async fn last(server: &MockServer) -> wiremock::Request {
    server
        .received_requests()
        .await
        .unwrap()
        .pop()
        .expect("a request")
}

fn header(request: &wiremock::Request, name: &str) -> Option<String> {
    let values: Vec<String> = request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(values.len() <= 1, "{name} sent {} times", values.len());
    values.into_iter().next()
}

async fn send(client: &Client, request: Request) {
    client.execute(request).await.unwrap();
}

#[tokio::test]
async fn each_scheme_travels_where_it_says() {
    let server = MockServer::start().await;
    let client = client(&server).await;

    send(
        &client,
        Request::new(Method::GET, "/a").security(&[&["basic"]]),
    )
    .await;
    let sent = last(&server).await;
    assert_eq!(
        header(&sent, "authorization").as_deref(),
        Some("Basic a2V5MTIzOlg=")
    );
    assert_eq!(header(&sent, "x-api-key"), None);

    send(
        &client,
        Request::new(Method::GET, "/b").security(&[&["header_key", "query_key"]]),
    )
    .await;
    let sent = last(&server).await;
    assert_eq!(header(&sent, "x-api-key").as_deref(), Some("h-secret"));
    assert_eq!(sent.url.query(), Some("api_key=q+secret%26"));
    assert_eq!(header(&sent, "authorization"), None);

    send(
        &client,
        Request::new(Method::GET, "/c")
            .cookie("theme", Some("dark"))
            .security(&[&["cookie_key"]]),
    )
    .await;
    let sent = last(&server).await;
    assert_eq!(
        header(&sent, "cookie").as_deref(),
        Some("theme=dark; session=c-secret"),
        "one Cookie header, the credential joined to the request's own"
    );
}

#[tokio::test]
async fn the_first_alternative_the_client_can_satisfy_is_used() {
    let server = MockServer::start().await;
    let client = client(&server).await;

    // No bearer token was given: the second alternative is used.
    send(
        &client,
        Request::new(Method::GET, "/a").security(&[&["bearer"], &["header_key"]]),
    )
    .await;
    let sent = last(&server).await;
    assert_eq!(header(&sent, "x-api-key").as_deref(), Some("h-secret"));
    assert_eq!(header(&sent, "authorization"), None);

    // Nothing satisfiable: sent without credentials (the server decides).
    send(
        &client,
        Request::new(Method::GET, "/b").security(&[&["bearer"]]),
    )
    .await;
    let sent = last(&server).await;
    assert_eq!(header(&sent, "authorization"), None);
    assert_eq!(header(&sent, "x-api-key"), None);

    // `[]`: the operation takes no credentials.
    send(&client, Request::new(Method::GET, "/c").security(&[])).await;
    let sent = last(&server).await;
    assert_eq!(header(&sent, "authorization"), None);
    assert_eq!(sent.url.query(), None);
}

#[tokio::test]
async fn requests_without_a_requirement_keep_the_clients_default_credentials() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = ClientBuilder::new("https://api.example.com")
        .base_url(server.uri())
        .api_key("legacy")
        .credential("bearer", Credential::Bearer("t0k3n".into()))
        .build()
        .unwrap();
    send(&client, Request::new(Method::GET, "/a")).await;
    assert_eq!(
        header(&last(&server).await, "authorization").as_deref(),
        Some("Basic bGVnYWN5Olg=")
    );
    send(
        &client,
        Request::new(Method::GET, "/b").security(&[&["bearer"]]),
    )
    .await;
    assert_eq!(
        header(&last(&server).await, "authorization").as_deref(),
        Some("Bearer t0k3n"),
        "a request naming its schemes carries only their credentials"
    );
}

#[test]
fn scheme_credentials_are_checked_hidden_and_kept_off_plain_http() {
    let with_key = |url: &str| {
        ClientBuilder::new("https://api.example.com")
            .base_url(url)
            .credential(
                "k",
                Credential::ApiKey {
                    location: KeyLocation::Query,
                    name: "api_key",
                    key: "s3cr3t".into(),
                },
            )
            .build()
    };
    let refused = with_key("http://api.example.com").unwrap_err();
    assert!(refused.to_string().contains("plain http"), "{refused}");
    let client = with_key("http://127.0.0.1:9").unwrap();
    let shown = format!("{client:?}");
    assert!(shown.contains("credentials: [\"k\"]"), "{shown}");
    assert!(!shown.contains("s3cr3t"), "{shown}");

    let empty = ClientBuilder::new("https://api.example.com")
        .credential("bearer", Credential::Bearer(String::new()))
        .build()
        .unwrap_err();
    assert!(
        empty
            .to_string()
            .contains("the token for the security scheme `bearer` is empty"),
        "{empty}"
    );
}
