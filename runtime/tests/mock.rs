//! The test doubles of `openapi_client_runtime::mock` on their own, over plain HTTP: how a
//! `Mock` matches and answers, and what a `FakeResource` serves at its edges.

use openapi_client_runtime::mock::{FakeResource, Mock, MockServer, NoJsonBody};
use openapi_client_runtime::Method;
use serde_json::{json, Value};

type Server = MockServer<()>;

async fn send(method: &str, url: String, body: Option<Value>) -> (u16, Option<String>, Value) {
    let client = reqwest::Client::new();
    let mut request = client.request(method.parse().unwrap(), url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let link = response
        .headers()
        .get("link")
        .map(|value| value.to_str().unwrap().to_owned());
    let bytes = response.bytes().await.unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, link, body)
}

#[tokio::test]
async fn a_mock_fills_its_template_encoded_and_wraps_its_answer() {
    let server = Server::start().await;
    let mock: Mock<Vec<i64>, NoJsonBody> = Mock::new(Method::GET, "/folders/{name}/ids", 200)
        .path_param("name", "a b/c")
        .envelope("ids")
        .query("page", &2)
        .returns(vec![1, 2]);
    let mounted = server.mount(mock).await;

    let url = format!("{}/folders/a%20b%2Fc/ids?page=2&x=1", server.uri());
    let (status, _, body) = send("GET", url, None).await;
    assert_eq!((status, body), (200, json!({"ids": [1, 2]})));
    // Without the query parameter, or on another path, the mock does not answer.
    let (status, _, _) = send(
        "GET",
        format!("{}/folders/a%20b%2Fc/ids", server.uri()),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(mounted.calls().await, 1);
}

#[tokio::test]
async fn unit_answers_have_no_body_and_headers_are_added() {
    let server = Server::start().await;
    let mock: Mock<(), NoJsonBody> = Mock::new(Method::DELETE, "/things/{id}", 204)
        .path_param("id", &3)
        .returns(())
        .header("x-note", "gone");
    server.mount(mock).await;
    let client = reqwest::Client::new();
    let response = client
        .delete(format!("{}/things/3", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.headers()["x-note"], "gone");
    assert!(response.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn sent_bodies_decode_into_the_request_type() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Note {
        text: String,
    }
    let server = Server::start().await;
    let mounted = server
        .mount(Mock::<(), Note>::new(Method::POST, "/notes", 201))
        .await;
    let url = format!("{}/notes", server.uri());
    send("POST", url.clone(), Some(json!({"text": "one"}))).await;
    send("POST", url, Some(json!({"text": "two"}))).await;
    let texts: Vec<String> = mounted
        .sent_bodies()
        .await
        .into_iter()
        .map(|note| note.text)
        .collect();
    assert_eq!(texts, ["one", "two"]);
    assert_eq!(mounted.sent_body().await, Note { text: "two".into() });
}

#[tokio::test]
async fn a_fake_pages_validates_and_stays_out_of_other_paths() {
    let server = Server::start().await;
    let fake = server
        .fake(FakeResource::new("/items", "item", "items").required("name"))
        .await;
    let base = server.uri();

    // Blank and missing required fields are refused, and use up no id.
    for body in [json!({"name": ""}), json!({"name": null}), json!({})] {
        let (status, _, answer) = send("POST", format!("{base}/items"), Some(body)).await;
        assert_eq!(status, 400);
        assert_eq!(answer["errors"][0]["field"], "name");
        assert_eq!(answer["errors"][0]["code"], "missing_field");
    }
    for name in ["a", "b", "c"] {
        let (status, _, answer) = send(
            "POST",
            format!("{base}/items"),
            Some(json!({ "name": name })),
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(answer["item"]["name"], name);
    }
    assert_eq!(fake.ids(), vec![1, 2, 3]);

    // Pages of two: a `Link` to the next page keeps the other parameters.
    let (status, link, answer) = send("GET", format!("{base}/items?per_page=2"), None).await;
    assert_eq!(status, 200);
    assert_eq!(answer["items"].as_array().unwrap().len(), 2);
    let link = link.expect("a next link");
    assert_eq!(
        link,
        format!("<{base}/items?per_page=2&page=2>; rel=\"next\"")
    );
    let (_, link, answer) = send("GET", format!("{base}/items?per_page=2&page=2"), None).await;
    assert_eq!(answer["items"], json!([{"name": "c", "id": 3}]));
    assert_eq!(link, None);
    let (_, link, answer) = send("GET", format!("{base}/items?page=9"), None).await;
    assert_eq!((answer, link), (json!({"items": []}), None));

    // A filter query is evaluated; one the fake cannot read is a validation error.
    let (status, _, _) = send("GET", format!("{base}/items/filter"), None).await;
    assert_eq!(status, 400, "a filter without a query");

    // Not a record id, a nested path, an unknown id: not found.
    for (method, path) in [
        ("GET", "/items/search"),
        ("GET", "/items/1/notes"),
        ("GET", "/items/9"),
        ("PUT", "/items/9"),
        ("DELETE", "/items/9"),
    ] {
        let body = (method == "PUT").then(|| json!({"name": "x"}));
        let (status, _, _) = send(method, format!("{base}{path}"), body).await;
        assert_eq!(status, 404, "{method} {path}");
    }

    // An update keeps the id and the fields it does not send.
    let (status, _, answer) = send(
        "PUT",
        format!("{base}/items/2"),
        Some(json!({"id": 7, "colour": "red"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        answer["item"],
        json!({"id": 2, "name": "b", "colour": "red"})
    );
    let stored: Value = fake.get(2).unwrap();
    assert_eq!(stored["colour"], "red");
}
