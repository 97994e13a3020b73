//! Every JSON sample of the official documentation, checked against the spec and decoded with
//! the generated client: each response sample validates against its operation's response
//! schema and decodes into the client's response type (after the envelope the client
//! unwraps); each request sample (a curl `-d` body or a `Request` block) validates against
//! the request body schema and decodes into the client's request body type. What the documentation itself breaks is listed, with the
//! reason, in `tests/doc-samples-allowlist.toml`; the test fails on any other failing sample,
//! and on an entry whose sample passes now, fails differently or no longer exists.
//!
//! The decoder table (`doc_samples/decoders.rs`) is emitted from the client's IR by the
//! generator and written by `cargo xtask generate`; `tests/tests/freshness.rs` fails when it is
//! stale. Run with `--nocapture` to see the counts.

#[path = "doc_samples/decoders.rs"]
mod decoders;

use std::any::type_name;

use project_support::samples::{self, allowlist, schema::Validator, Body, SpecIndex};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The result of decoding one body with one generated type.
type Decoded = Result<(), String>;

/// Decodes the whole of `json` as `T`.
fn plain<T: DeserializeOwned>(json: &str) -> Decoded {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .map(drop)
        .map_err(|error| described::<T>(&error))
}

/// Decodes `{"<key>": T, ...}` into `T`, ignoring the other keys, as the client unwraps an
/// envelope.
fn enveloped<T: DeserializeOwned>(json: &str, key: &str) -> Decoded {
    let mut object: serde_json::Map<String, Value> =
        serde_json::from_str(json).map_err(|error| format!("not a JSON object: {error}"))?;
    let inner = object
        .remove(key)
        .ok_or_else(|| format!("no {key:?} envelope around the {}", short::<T>()))?;
    serde_path_to_error::deserialize::<_, T>(inner)
        .map(drop)
        .map_err(|error| described::<T>(&error))
}

/// A decoding error with the type and the path of the offending field.
fn described<T>(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    format!(
        "as {}: at {}: {}",
        short::<T>(),
        error.path(),
        error.inner()
    )
}

/// `T`'s name without the crate paths (`Vec<Ticket>`).
fn short<T>() -> String {
    type_name::<T>()
        .split(['<', '>', ','])
        .fold(type_name::<T>().to_owned(), |name, part| {
            match part.trim().rsplit_once("::") {
                Some((path, _)) => name.replace(&format!("{path}::"), ""),
                None => name,
            }
        })
}

#[test]
fn decoder_table_knows_every_operation() {
    let document = codegen::load::load(&project_support::default_spec())
        .unwrap_or_else(|error| panic!("{error}"));
    let operations = project_support::coverage::spec_operations(&document)
        .unwrap_or_else(|error| panic!("{error}"));
    let mut names: Vec<&str> = operations.iter().map(|op| op.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, decoders::OPERATIONS);
}

#[test]
fn decoders_use_the_generated_types() {
    let ticket = r#"{"ticket": {"id": 1, "subject": "Hi", "status": 2, "priority": 1,
        "created_at": "2024-03-08T10:26:17Z", "updated_at": "2024-03-08T11:02:45Z"}}"#;
    assert_eq!(
        decoders::decode("tickets_get", Body::Success, ticket),
        [Ok(())]
    );
    let untimed = r#"{"ticket": {"id": 1, "updated_at": "2024-03-08T11:02:45Z"}}"#;
    assert_eq!(
        decoders::decode("tickets_get", Body::Success, untimed),
        [Err("as Ticket: at .: missing field `created_at`".to_owned())]
    );
    let wrong = r#"{"ticket": {"id": "one"}}"#;
    let results = decoders::decode("tickets_get", Body::Success, wrong);
    let message = results.first().and_then(|r| r.clone().err());
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.starts_with("as Ticket: at id:")),
        "{message:?}"
    );
    let bare = r#"{"id": 1}"#;
    let message = decoders::decode("tickets_get", Body::Success, bare)
        .first()
        .and_then(|r| r.clone().err());
    assert_eq!(
        message.as_deref(),
        Some("no \"ticket\" envelope around the Ticket")
    );
    assert!(decoders::decode("tickets_delete", Body::Success, "{}").is_empty());
    assert!(decoders::decode("no_such_operation", Body::Success, "{}").is_empty());
}

#[test]
fn every_documented_sample_checks_or_is_allow_listed() {
    let Some(docs_path) = project_support::reference::input(
        project_support::reference::FRESHSERVICE_DOCS,
        "every_documented_sample_checks_or_is_allow_listed",
    ) else {
        return;
    };
    let docs = std::fs::read_to_string(&docs_path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", docs_path.display()));
    let document = codegen::load::load(&project_support::default_spec())
        .unwrap_or_else(|error| panic!("{error}"));
    let operations = project_support::coverage::spec_operations(&document)
        .unwrap_or_else(|error| panic!("{error}"));
    let index =
        SpecIndex::new(&operations, &document.json).unwrap_or_else(|error| panic!("{error}"));
    let validator = Validator::new(&document.json);
    let decode = |operation: &str, body: Body, json: &str| {
        decoders::OPERATIONS
            .contains(&operation)
            .then(|| decoders::decode(operation, body, json))
    };

    let found = samples::extract(&docs);
    assert!(
        found.len() > 400,
        "only {} samples found in the docs",
        found.len()
    );
    let outcomes: Vec<samples::Outcome> = found
        .iter()
        .map(|sample| samples::check(sample, &index, &validator, &decode))
        .collect();

    let list_path = allowlist::default_path();
    let list = std::fs::read_to_string(&list_path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", list_path.display()));
    let entries =
        allowlist::parse(&list).unwrap_or_else(|error| panic!("{}: {error}", list_path.display()));
    let summary = allowlist::reconcile(&outcomes, &entries);
    println!("{summary}");
    assert!(summary.problems.is_empty(), "{summary}");
}
