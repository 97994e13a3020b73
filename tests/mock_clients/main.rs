//! Generated clients calling a mock server started from their own descriptions.
//!
//! `generated_clients_talk_to_a_mock_of_their_description` (tests/tests/mock_clients.rs)
//! generates the OAI's petstore-expanded and the `auth` fixture into a scratch workspace,
//! starts Prism on each description, and runs this program there with the servers' URLs in
//! `PETSTORE_URL` and `AUTH_URL`. Prism checks every request against the description (path,
//! query style, headers, credentials, body) and answers from it; the client must decode the
//! answer. Each check panics naming what broke.

use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let petstore = std::env::var("PETSTORE_URL").expect("PETSTORE_URL is set");
    let auth = std::env::var("AUTH_URL").expect("AUTH_URL is set");
    petstore_calls(&petstore).await;
    credentials_travel_as_the_description_says(&auth).await;
    println!("the generated clients talk to their mock servers");
}

/// A query with an exploded array, a JSON body, path parameters and typed answers.
async fn petstore_calls(url: &str) {
    use corpus_petstore::types::NewPet;
    let client = corpus_petstore::Client::builder()
        .base_url(url)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a plain-http mock needs no credentials");

    let found = client
        .pets()
        .find_pets()
        .tags(vec!["dog".to_owned(), "cat".to_owned()])
        .limit(10)
        .send()
        .await
        .expect("findPets is accepted and its answer decodes");
    assert!(found.iter().all(|pet| !pet.name.is_empty()), "{found:?}");

    let created = client
        .pets()
        .add_pet(NewPet {
            name: "Rex".to_owned(),
            tag: Some("dog".to_owned()),
        })
        .send()
        .await
        .expect("addPet's body is accepted and the pet decodes");
    assert!(!created.name.is_empty(), "{created:?}");

    let pet = client
        .pets()
        .find_pet_by_id(7)
        .send()
        .await
        .expect("a path parameter is accepted");
    assert!(!pet.name.is_empty(), "{pet:?}");

    client
        .pets()
        .delete_pet(7)
        .send()
        .await
        .expect("a body-less 204 is accepted");
}

/// Each operation sends the credentials of the schemes it accepts, where the description
/// says they travel; Prism answers 401 to a request without them.
async fn credentials_travel_as_the_description_says(url: &str) {
    let anonymous = fixture_auth::Client::builder()
        .base_url(url)
        .build()
        .expect("no credentials");
    match anonymous.items().list_items().send().await {
        Err(fixture_auth::Error::Api(error)) => {
            assert_eq!(error.status.as_u16(), 401, "{error}")
        }
        other => panic!("listItems without credentials should be refused, got {other:?}"),
    }
    anonymous
        .public()
        .get_public()
        .send()
        .await
        .expect("an operation with `security: []` needs none");

    let client = fixture_auth::Client::builder()
        .base_url(url)
        .header_key("h-key")
        .basic("user", "password")
        .query_key("q-key")
        .cookie_key("c-key")
        .build()
        .expect("every credential is valid");
    client
        .items()
        .list_items()
        .send()
        .await
        .expect("the API key goes in its header");
    client
        .items()
        .create_item()
        .send()
        .await
        .expect("basic authentication and the query key go together");
    client
        .session()
        .get_session()
        .send()
        .await
        .expect("the cookie key is accepted");
}
