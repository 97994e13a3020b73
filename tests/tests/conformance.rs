//! Every operation of the spec, called through the generated client, against a mock server of
//! the spec itself: Prism (`@stoplight/prism-cli`), which validates each request against the
//! operation it matches (method, path, parameters and their serialisation, headers,
//! credentials, content type, body schema) and answers with a response of the spec.
//!
//! The calls are generated from the IR (`conformance/calls.rs`, written by
//! `cargo xtask generate`): per operation and request body media type, one with every
//! parameter and a full sample body, and one with only the required parameters and
//! properties (where the operation has anything optional). Each is sent for every status its operation documents
//! (`Prefer: code=N`), once for Prism's static answer (the spec's example, or one Prism builds
//! from the schema) and once for a dynamic one (random values generated from the response
//! schema, `Prefer: code=N, dynamic=true`). An operation is proven when every one of these
//! passes [`check`]: Prism accepts the request (it answers an invalid one with a 4xx and
//! `sl-violations`, whatever was asked for) and the client reads the answer: a 2xx into the
//! operation's result, an error status into `Error::Api` with a readable error body. The
//! check itself is tested without Prism, against a local server answering what Prism could
//! (`the_check_fails_every_answer_the_client_cannot_take`).
//!
//! Prism is found at `$PRISM_BIN`, else at `.ci/tools/node_modules/.bin/prism` (where `.ci/run`
//! installs it). Without it the test is skipped with one line on stderr, unless
//! `API_REFERENCE_REQUIRED=1` or `CI` is set, when it fails.
//!
//! What Prism does differently from the API, and how the test deals with it:
//! - Prism ignores the path of the `servers` URL (`/api/v2`) and matches request paths against
//!   the spec's paths alone (its FAQ: base paths are not supported). The test hands Prism a
//!   copy of the merged spec whose paths carry the server path in front, so the client keeps
//!   its real base URL shape, `http://127.0.0.1:PORT/api/v2`.
//! - Prism reads a multipart body into one string per part name, the last part winning, so an
//!   array property (`attachments[]`, sent as one part per item, as the API expects) never
//!   validates. Its form deserialiser wraps such a value into an array only when the media
//!   type has an `encoding` with `style: form, explode: true` for the property (what OpenAPI
//!   3.0 says of repeated form fields); the test adds that encoding to every array property
//!   of the multipart bodies in Prism's copy of the spec. Only the last item is then checked.
//! - Prism's dynamic answers change what its static answers are built from where a schema
//!   contains itself: after one dynamic answer of `GET /objects` (custom object fields whose
//!   choices nest), every static answer of it breaks its own schema (`nested_options.0.
//!   nested_options.0 must be object`). Static and dynamic answers come from two Prism
//!   processes, so the static one never generates a dynamic answer.
//! - Prism is started with `--errors`, so a response Prism generates that breaks its own
//!   schema (a spec example that does not fit) is an error answer too, not just a header.

use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use freshservice::types::ErrorBody;
use freshservice::{CallFuture, Client, Error, RequestOptions, Response};
use serde_json::{json, Value};

#[path = "conformance/calls.rs"]
mod calls;
mod prism;

use prism::Prism;

/// One generated call: an operation with one of its body media types.
pub struct Call {
    /// The operationId.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// The content type of the body it sends, if it sends one.
    pub body: Option<&'static str>,
    /// What it fills in: `all` parameters and properties, or the `required` ones only.
    pub fill: &'static str,
    /// Each documented status code, and whether the spec gives it a JSON body.
    pub responses: &'static [(u16, bool)],
    /// Sends it with the given options.
    pub send: fn(&Client, RequestOptions) -> Sent,
}

/// The answer to a call, its decoded value dropped once decoding succeeded.
pub type Sent = Pin<Box<dyn Future<Output = Result<Response<()>, Error>> + Send>>;

/// Turns what `send_with_response` returns into a [`Sent`].
pub fn sent<T: Send + 'static>(call: CallFuture<Response<T>>) -> Sent {
    Box::pin(async move { call.await.map(|response| response.map(drop)) })
}

/// How many calls are in flight at once.
const CONCURRENCY: usize = 8;

/// The two kinds of answer Prism gives; each comes from its own Prism process.
#[derive(Clone, Copy, Debug)]
enum Mode {
    /// The spec's example, or one built from the schema.
    Static = 0,
    /// Random values generated from the response schema.
    Dynamic = 1,
}

/// One answer asked of Prism for a call.
#[derive(Clone, Copy, Debug)]
struct Ask {
    /// A static or a dynamic answer.
    mode: Mode,
    /// The documented status asked for (`Prefer: code=...`).
    status: u16,
    /// Whether the spec gives that status a JSON body.
    json: bool,
}

impl Ask {
    /// The options that ask Prism for this answer; no retries, so a 429 comes back as is.
    fn options(self) -> RequestOptions {
        let prefer = match self.mode {
            Mode::Static => format!("code={}", self.status),
            Mode::Dynamic => format!("code={}, dynamic=true", self.status),
        };
        RequestOptions::new()
            .no_retries()
            .header("Prefer", prefer.as_str())
    }
}

/// A client of `prism`, under the server path the spec's paths were prefixed with.
fn client(prism: &Prism) -> Client {
    Client::builder()
        .base_url(format!("http://127.0.0.1:{}/api/v2", prism.port()))
        .api_key("dummy-api-key")
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a valid client configuration")
}

/// The merged spec as Prism is given it: every path prefixed with the server URL's path, and
/// every array property of a multipart body encoded as repeated parts (see the module docs).
fn spec_for_prism(dir: &Path) -> PathBuf {
    let document = codegen::load::load(&project_support::default_spec())
        .unwrap_or_else(|diagnostics| panic!("the spec does not load:\n{diagnostics}"));
    let mut json = document.json;
    let root = json.as_object_mut().expect("the spec is an object");
    root.remove("x-fragment-dir");
    let server = root["servers"][0]["url"]
        .as_str()
        .expect("the spec names a server")
        .to_owned();
    let base = server
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|at| rest[at..].to_owned()))
        .unwrap_or_default();
    let base = base.trim_end_matches('/');
    let paths = root["paths"].as_object_mut().expect("the spec has paths");
    *paths = std::mem::take(paths)
        .into_iter()
        .map(|(path, item)| (format!("{base}{path}"), item))
        .collect();
    encode_multipart_arrays(&mut json);
    std::fs::create_dir_all(dir).expect("a scratch directory");
    let file = dir.join("openapi.json");
    std::fs::write(&file, serde_json::to_string(&json).expect("JSON")).expect("the spec copy");
    file
}

/// Adds `encoding: {NAME: {style: form, explode: true}}` for each array property of each
/// multipart request body (see the module docs).
fn encode_multipart_arrays(json: &mut Value) {
    let whole = json.clone();
    let mut media_types: Vec<String> = Vec::new();
    if let Some(paths) = whole["paths"].as_object() {
        for (path, item) in paths {
            for method in item.as_object().into_iter().flat_map(|item| item.keys()) {
                let path = path.replace('~', "~0").replace('/', "~1");
                media_types.push(format!("/paths/{path}/{method}/requestBody"));
            }
        }
    }
    if let Some(shared) = whole["components"]["requestBodies"].as_object() {
        media_types.extend(
            shared
                .keys()
                .map(|name| format!("/components/requestBodies/{name}")),
        );
    }
    for body in media_types {
        let pointer = format!("{body}/content/multipart~1form-data");
        let Some(media) = whole.pointer(&pointer) else {
            continue;
        };
        let schema = resolve(&whole, &media["schema"]);
        let arrays: Vec<&String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, property)| resolve(&whole, property)["type"] == "array")
            .map(|(name, _)| name)
            .collect();
        let Some(media) = json.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        let encoding = media.entry("encoding").or_insert_with(|| json!({}));
        for name in arrays {
            encoding[name.as_str()]["style"] = json!("form");
            encoding[name.as_str()]["explode"] = json!(true);
        }
    }
}

/// `value`, or what its local `$ref` points to.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
            .unwrap_or(value),
        None => value,
    }
}

/// What went wrong with one call.
struct Failure {
    call: &'static Call,
    ask: Ask,
    problem: String,
    /// What Prism logged for the request: the request line with its query, and violations.
    logged: Vec<String>,
}

/// Sends a failed call again, alone, and keeps what Prism logs for it: the request as received
/// and each violation it found.
async fn explain(client: &Client, prism: &Prism, failure: &mut Failure) {
    let from = prism.log_len();
    let _ = (failure.call.send)(client, failure.ask.options()).await;
    // Prism writes its log asynchronously, after answering.
    tokio::time::sleep(Duration::from_millis(300)).await;
    failure.logged = prism
        .log_since(from)
        .lines()
        .filter(|line| line.contains("Request received") || line.contains('✖'))
        .map(|line| {
            line.split_once("› ")
                .map_or(line, |(_, rest)| rest)
                .trim()
                .to_owned()
        })
        .collect();
}

/// Sends one call asking for one answer, and says what is wrong, if anything: a 2xx answer
/// must decode into the operation's result (and carry no violations), a 429 must be
/// `Error::RateLimited`, any other status `Error::Api` with that status and, where the spec
/// documents a JSON body, a body that decodes as the spec's [`ErrorBody`].
async fn check(client: &Client, call: &Call, ask: Ask) -> Option<String> {
    let answer = (call.send)(client, ask.options()).await;
    match (ask.status, answer) {
        (200..=299, Ok(response)) if response.status().as_u16() != ask.status => Some(format!(
            "Prism answered {} instead of {}",
            response.status(),
            ask.status
        )),
        (200..=299, Ok(response)) => response.headers().get("sl-violations").map(|violations| {
            format!("Prism's violations: {}", violations.to_str().unwrap_or("?"))
        }),
        (429, Err(Error::RateLimited { .. })) => None,
        (status, Err(Error::Api(api))) if api.status.as_u16() == status && status >= 300 => {
            if !ask.json {
                return None;
            }
            serde_json::from_slice::<ErrorBody>(&api.raw)
                .err()
                .map(|error| {
                    format!(
                        "the error body does not decode: {error}: {}",
                        String::from_utf8_lossy(&api.raw)
                    )
                })
        }
        (_, Err(Error::Api(api))) => Some(format!(
            "Prism answered {}: {}",
            api.status,
            String::from_utf8_lossy(&api.raw)
        )),
        (_, Err(Error::Decode(decode))) => Some(format!("the answer does not decode: {decode}")),
        (_, Err(other)) => Some(other.to_string()),
        (_, Ok(response)) => Some(format!("Prism answered {}", response.status())),
    }
}

/// Runs every call for each documented status in both modes, `CONCURRENCY` at a time, each
/// mode against its own Prism (`clients[mode as usize]`).
async fn run_all(clients: &[Client; 2]) -> Vec<Failure> {
    let jobs: Arc<Vec<(&'static Call, Ask)>> = Arc::new(
        calls::CALLS
            .iter()
            .flat_map(|call| {
                call.responses.iter().flat_map(move |&(status, json)| {
                    [Mode::Static, Mode::Dynamic].map(|mode| (call, Ask { mode, status, json }))
                })
            })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (jobs, next, failures, clients) = (
                jobs.clone(),
                next.clone(),
                failures.clone(),
                clients.clone(),
            );
            tokio::spawn(async move {
                while let Some(&(call, ask)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    if let Some(problem) = check(&clients[ask.mode as usize], call, ask).await {
                        failures.lock().expect("no worker panicked").push(Failure {
                            call,
                            ask,
                            problem,
                            logged: Vec::new(),
                        });
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a worker finished");
    }
    let mut failures = std::mem::take(&mut *failures.lock().expect("no worker panicked"));
    failures.sort_by_key(|failure| {
        (
            failure.call.operation,
            failure.call.body,
            failure.call.fill,
            failure.ask.status,
            failure.ask.mode as u8,
        )
    });
    failures
}

#[test]
fn every_operation_is_accepted_and_decoded_by_a_mock_of_the_spec() {
    let Some(bin) =
        prism::bin_or_skip("every_operation_is_accepted_and_decoded_by_a_mock_of_the_spec")
    else {
        return;
    };
    // A request Prism finds invalid is answered with a 4xx and `sl-violations` whatever status
    // was asked for; only a 2xx answer shows that no violation was found.
    let without_success: Vec<&str> = calls::CALLS
        .iter()
        .filter(|call| {
            !call
                .responses
                .iter()
                .any(|(status, _)| (200..300).contains(status))
        })
        .map(|call| call.operation)
        .collect();
    assert!(
        without_success.is_empty(),
        "operations without a documented 2xx status: {without_success:?}"
    );
    let started = Instant::now();
    let dir = std::env::temp_dir().join(format!("conformance-{}", std::process::id()));
    let spec = spec_for_prism(&dir);
    // One Prism per mode: after a dynamic answer from a schema that contains itself, Prism's
    // static answers from that schema break it (seen with `GET /objects`, whose field choices
    // nest: `nested_options.0.nested_options.0 must be object`), so the static answers come
    // from a Prism that never generates a dynamic one.
    let mut mocks = [
        Prism::start(&bin, &spec, dir.join("prism-static.log")),
        Prism::start(&bin, &spec, dir.join("prism-dynamic.log")),
    ];
    for prism in &mut mocks {
        prism.wait_until_listening();
    }
    let clients = [client(&mocks[0]), client(&mocks[1])];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut failures = runtime.block_on(run_all(&clients));
    runtime.block_on(async {
        for failure in &mut failures {
            let mode = failure.ask.mode as usize;
            explain(&clients[mode], &mocks[mode], failure).await;
        }
    });

    let mut operations: Vec<&str> = calls::CALLS.iter().map(|call| call.operation).collect();
    operations.dedup();
    let mut failed: Vec<&str> = failures
        .iter()
        .map(|failure| failure.call.operation)
        .collect();
    failed.dedup();
    let proven = operations.len() - failed.len();
    let requests: usize = calls::CALLS
        .iter()
        .map(|call| 2 * call.responses.len())
        .sum();
    // Straight to stderr, past the test harness's capture, so a passing run shows it too.
    let _ = writeln!(
        std::io::stderr(),
        "operations proven {proven}/{} ({} calls, {requests} requests: each documented status, static and dynamic, in {:.1?})",
        operations.len(),
        calls::CALLS.len(),
        started.elapsed()
    );
    let report: Vec<String> = failures
        .iter()
        .map(|failure| {
            let call = failure.call;
            let body = call
                .body
                .map(|ty| format!(" ({ty} body)"))
                .unwrap_or_default();
            let mut text = format!(
                "{} [{} filled in, {:?} {}]: {} {}{body}: {}",
                call.operation,
                call.fill,
                failure.ask.mode,
                failure.ask.status,
                call.method,
                call.path,
                failure.problem
            );
            for line in &failure.logged {
                text.push_str("\n    prism: ");
                text.push_str(line);
            }
            text
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} operations failed against Prism:\n{}\n(Prism's copy of the spec and the logs of both Prisms are in {})",
        failed.len(),
        operations.len(),
        report.join("\n"),
        dir.display()
    );
    drop(mocks);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ci_installs_the_prism_version_this_test_names() {
    let script = std::fs::read_to_string(project_support::workspace_root().join(".ci/run"))
        .expect(".ci/run is readable");
    let package = prism::INSTALL
        .split_whitespace()
        .last()
        .expect("the install command names the package");
    assert!(
        script.contains(package),
        ".ci/run does not install {package}, which this test names"
    );
}

/// What [`check`] says of `answer` to `agent_groups_get` asked for `status`, from a local
/// server standing in for Prism.
async fn verdict(answer: wiremock::ResponseTemplate, status: u16) -> Option<String> {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("dummy-api-key")
        .build()
        .expect("a valid client configuration");
    let call = calls::CALLS
        .iter()
        .find(|call| call.operation == "agent_groups_get")
        .expect("agent_groups_get is called");
    let ask = Ask {
        mode: Mode::Static,
        status,
        json: true,
    };
    check(&client, call, ask).await
}

#[tokio::test]
async fn the_check_fails_every_answer_the_client_cannot_take() {
    use wiremock::ResponseTemplate;
    let group = json!({"group": {
        "id": 1, "name": "Hardware",
        "created_at": "2024-03-08T10:26:17Z", "updated_at": "2024-03-08T11:02:45Z"
    }});
    let error = json!({"description": "Not found", "errors": []});
    assert_eq!(
        verdict(ResponseTemplate::new(200).set_body_json(&group), 200).await,
        None
    );
    assert_eq!(
        verdict(ResponseTemplate::new(404).set_body_json(&error), 404).await,
        None
    );
    let failures = [
        // Prism found a violation but answered anyway.
        (
            ResponseTemplate::new(200)
                .set_body_json(&group)
                .insert_header("sl-violations", "[{\"code\":\"format\"}]"),
            200,
            "Prism's violations",
        ),
        // Another status than asked for.
        (
            ResponseTemplate::new(201).set_body_json(&group),
            200,
            "instead of 200",
        ),
        // A body that does not fit the result type.
        (
            ResponseTemplate::new(200).set_body_json(json!({"group": {"id": "one"}})),
            200,
            "does not decode",
        ),
        // Prism rejecting the request.
        (
            ResponseTemplate::new(422).set_body_json(&error),
            200,
            "Prism answered 422",
        ),
        // An error body the runtime cannot read.
        (
            ResponseTemplate::new(404).set_body_json(json!({"errors": "none"})),
            404,
            "error body does not decode",
        ),
    ];
    for (answer, status, expected) in failures {
        let problem = verdict(answer, status).await;
        assert!(
            problem
                .as_deref()
                .is_some_and(|text| text.contains(expected)),
            "expected a problem with {expected:?}, got {problem:?}"
        );
    }
}
