//! The documentation's JSON samples, each tied to the spec operation it documents, and the
//! checks the sample tests (`tests/tests/doc_samples.rs`) run on them.
//!
//! A sample is either a response body (a JSON line after a `Response` heading and its run of
//! line numbers `1 2 3 ...`), or a request body: the argument of a curl `-d` (and its long
//! forms), or a JSON line after a `Request` heading. Each is tied to the nearest curl sample
//! or endpoint line at or before it, read with [`crate::coverage`]'s parsers and mapped to a
//! spec operation by method and normalised path, or by the operation's `x-documented-as`.
//!
//! A response sample is validated against the spec's response schema for its operation
//! ([`schema`]) and decoded with the generated client's response type; a request sample is
//! validated against the request body schema (decoding alone would ignore misspelt keys) and
//! decoded with the generated request body type. Decoding needs the generated crate, so the
//! checks take it as a callback; its table (`tests/tests/doc_samples/decoders.rs`) is emitted
//! from the client's IR by the generator (`codegen::emit::decoders_file`) and written by
//! `cargo xtask generate` ([`crate::freshness`]).
//! What the documentation itself breaks is listed in an allow-list ([`allowlist`]).

pub mod allowlist;
pub mod schema;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::coverage::{self, Endpoint, SpecOperation, Written};
use schema::Validator;

/// Which body of an operation a sample shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// A request body.
    Request,
    /// A response body.
    Response,
}

impl Direction {
    /// `request` or `response`, as the allow-list writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of an operation that a decoder reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// A 2xx response body.
    Success,
    /// An error (4xx, 5xx or `default`) response body.
    Error,
    /// The JSON request body.
    Request,
}

/// A curl sample or endpoint line that samples after it belong to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// Its 1-based line in the docs.
    pub line: usize,
    /// The method and path or URL it names.
    pub written: Written,
}

/// One JSON sample of the docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// The 1-based line of the JSON in the docs.
    pub line: usize,
    /// Request or response body.
    pub direction: Direction,
    /// The JSON as written (which may not be valid JSON).
    pub json: String,
    /// The nearest curl sample or endpoint line at or before it, if there is one.
    pub anchor: Option<Anchor>,
}

/// The curl options whose value is sent as the request body as is.
const BODY_FLAGS: [&str; 5] = [
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-ascii",
];

/// Every JSON sample of the docs, in line order.
pub fn extract(text: &str) -> Vec<Sample> {
    let lines: Vec<&str> = text.lines().collect();
    let mut samples = Vec::new();
    let mut anchor: Option<Anchor> = None;
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let curl = coverage::parse_curl(line);
        if let Some(written) = curl.clone().or_else(|| coverage::parse_endpoint_line(line)) {
            anchor = Some(Anchor {
                line: number,
                written,
            });
        }
        if let Some(json) = curl_body(line) {
            // A curl line cut off before its URL still belongs to the operation above it.
            samples.push(Sample {
                line: number,
                direction: Direction::Request,
                json,
                anchor: anchor.clone(),
            });
            continue;
        }
        let trimmed = line.trim();
        if !trimmed.starts_with(['{', '[']) {
            continue;
        }
        let Some(heading) = numbered_heading(&lines, index) else {
            continue;
        };
        let direction = if heading.trim() == "Request" {
            Direction::Request
        } else {
            Direction::Response
        };
        samples.push(Sample {
            line: number,
            direction,
            json: trimmed.to_owned(),
            anchor: anchor.clone(),
        });
    }
    samples
}

/// The line before the run of line numbers (`1`, `2`, ...) that ends just above `index`, if
/// there is such a run starting at `1`.
fn numbered_heading<'a>(lines: &[&'a str], index: usize) -> Option<&'a str> {
    let is_number = |line: &str| {
        let line = line.trim();
        !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit())
    };
    let mut start = index;
    while start > 0 && is_number(lines[start - 1]) {
        start -= 1;
    }
    if start == index || lines[start].trim() != "1" {
        return None;
    }
    Some(start.checked_sub(1).map_or("", |heading| lines[heading]))
}

/// The request body of a curl command line: the value of its first `-d` (or long form),
/// unless that is empty. Where the docs glue the URL to the body's closing quote
/// (`-d '{...}''https://...'`), the URL is cut off again.
pub fn curl_body(line: &str) -> Option<String> {
    let line = line.trim();
    if !line.starts_with("curl ") {
        return None;
    }
    let words = coverage::shell_words(line);
    let position = words
        .iter()
        .position(|w| BODY_FLAGS.contains(&w.as_str()))?;
    let value = words.get(position + 1)?;
    let body = strip_glued_url(value).trim();
    (!body.is_empty()).then(|| body.to_owned())
}

/// `body` without an API URL glued to its end after a closing `}` or `]`.
fn strip_glued_url(body: &str) -> &str {
    for scheme in ["https://", "http://"] {
        if let Some(at) = body.rfind(scheme) {
            let (before, url) = body.split_at(at);
            let glued = before.trim_end().ends_with(['}', ']'])
                && url.contains("api/v2")
                && !url.contains(char::is_whitespace);
            if glued {
                return before;
            }
        }
    }
    body
}

/// The schemas of one spec operation's bodies, resolved out of `components/responses` and
/// `components/requestBodies` (schema `$ref`s are left for the [`Validator`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OperationSchemas {
    /// The JSON schema of each 2xx response that has one, with its status.
    pub success: Vec<(String, Value)>,
    /// The JSON schema of each 4xx, 5xx or `default` response that has one, with its status.
    pub error: Vec<(String, Value)>,
    /// The JSON schema of the request body, if it has a JSON variant.
    pub request: Option<Value>,
}

/// The spec, as far as the sample checks need it.
#[derive(Debug)]
pub struct SpecIndex {
    /// Every operationId, by the endpoints it answers to (its own and `x-documented-as`).
    by_endpoint: BTreeMap<Endpoint, String>,
    /// The body schemas of every operation, by operationId.
    schemas: BTreeMap<String, OperationSchemas>,
}

impl SpecIndex {
    /// Indexes `operations` (from [`coverage::spec_operations`]) and the merged spec `json`.
    /// Fails when two operations answer to the same documented endpoint, or when a response
    /// or request body `$ref` does not resolve.
    pub fn new(operations: &[SpecOperation], json: &Value) -> Result<Self, String> {
        let mut by_endpoint: BTreeMap<Endpoint, String> = BTreeMap::new();
        let mut problems = Vec::new();
        for operation in operations {
            let claimed = std::iter::once(&operation.endpoint)
                .chain(operation.documented_as.iter().map(|(_, endpoint)| endpoint));
            for endpoint in claimed {
                match by_endpoint.get(endpoint) {
                    Some(other) if other != &operation.name => problems.push(format!(
                        "{endpoint} is claimed by both {other} and {}",
                        operation.name
                    )),
                    _ => {
                        by_endpoint.insert(endpoint.clone(), operation.name.clone());
                    }
                }
            }
        }
        let schemas = operation_schemas(json, &mut problems);
        if problems.is_empty() {
            Ok(SpecIndex {
                by_endpoint,
                schemas,
            })
        } else {
            Err(problems.join("\n"))
        }
    }

    /// The operation that a documented method and path names.
    pub fn operation(&self, written: &Written) -> Option<&str> {
        self.by_endpoint
            .get(&written.endpoint())
            .map(String::as_str)
    }

    /// The body schemas of `operation`.
    pub fn schemas(&self, operation: &str) -> Option<&OperationSchemas> {
        self.schemas.get(operation)
    }
}

/// The HTTP methods of a path item, lowercase as OpenAPI writes them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The body schemas of every operation with an operationId in the merged spec `json`.
fn operation_schemas(
    json: &Value,
    problems: &mut Vec<String>,
) -> BTreeMap<String, OperationSchemas> {
    let mut found = BTreeMap::new();
    let Some(paths) = json.get("paths").and_then(Value::as_object) else {
        return found;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let at = format!("{} {path} ({id})", method.to_ascii_uppercase());
            let mut schemas = OperationSchemas::default();
            let responses = operation.get("responses").and_then(Value::as_object);
            for (status, response) in responses.into_iter().flatten() {
                let Some(response) = resolve(json, response, &at, problems) else {
                    continue;
                };
                let Some(schema) = json_schema(response) else {
                    continue;
                };
                let entry = (status.clone(), schema.clone());
                if status.starts_with('2') {
                    schemas.success.push(entry);
                } else if status.starts_with(['4', '5']) || status == "default" {
                    schemas.error.push(entry);
                }
            }
            if let Some(body) = operation.get("requestBody") {
                schemas.request = resolve(json, body, &at, problems)
                    .and_then(json_schema)
                    .cloned();
            }
            found.insert(id.to_owned(), schemas);
        }
    }
    found
}

/// `node`, or what its `$ref` points at.
fn resolve<'a>(
    json: &'a Value,
    node: &'a Value,
    at: &str,
    problems: &mut Vec<String>,
) -> Option<&'a Value> {
    let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
        return Some(node);
    };
    let target = reference
        .strip_prefix('#')
        .and_then(|pointer| json.pointer(pointer));
    if target.is_none() {
        problems.push(format!("{at}: $ref {reference} does not resolve"));
    }
    target
}

/// The schema of the JSON media type of a response or request body, if it has one.
fn json_schema(body: &Value) -> Option<&Value> {
    let content = body.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| {
            let media = media.split(';').next().unwrap_or_default().trim();
            media == "application/json" || media.ends_with("+json")
        })
        .and_then(|(_, media)| media.get("schema"))
}

/// The check a sample failed first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The sample is not JSON.
    Json,
    /// The sample belongs to no spec operation, or the operation has no such JSON body.
    Operation,
    /// The body does not validate against the spec's schema.
    Schema,
    /// The generated client's type does not decode it.
    Decode,
}

impl Stage {
    /// The stage as the allow-list writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Json => "json",
            Stage::Operation => "operation",
            Stage::Schema => "schema",
            Stage::Decode => "decode",
        }
    }

    /// The stage written as `text` in the allow-list.
    pub fn parse(text: &str) -> Option<Self> {
        [Stage::Json, Stage::Operation, Stage::Schema, Stage::Decode]
            .into_iter()
            .find(|stage| stage.as_str() == text)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a sample failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The first check it failed.
    pub stage: Stage,
    /// What went wrong.
    pub message: String,
}

impl Failure {
    fn new(stage: Stage, message: impl Into<String>) -> Self {
        Failure {
            stage,
            message: message.into(),
        }
    }
}

/// What checking one sample found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The sample's docs line.
    pub line: usize,
    /// Request or response.
    pub direction: Direction,
    /// The operation it documents, when one was found.
    pub operation: Option<String>,
    /// `None` when it passed every check.
    pub failure: Option<Failure>,
}

/// Decodes `json` as the `body` of operation `operation` with the generated client's types:
/// one result per type the body may have (any may succeed), none when there is no such JSON
/// body; `None` when the operation is unknown to the decoder table.
pub type Decode<'a> = dyn Fn(&str, Body, &str) -> Option<Vec<Result<(), String>>> + 'a;

/// Checks one sample: it is JSON, it documents a spec operation that has such a JSON body,
/// it validates against that operation's schema for the body (a response showing an error
/// against the error schema), and the generated type decodes it.
pub fn check(
    sample: &Sample,
    index: &SpecIndex,
    validator: &Validator<'_>,
    decode: &Decode<'_>,
) -> Outcome {
    let operation = sample
        .anchor
        .as_ref()
        .and_then(|anchor| index.operation(&anchor.written))
        .map(str::to_owned);
    let failure = check_sample(sample, operation.as_deref(), index, validator, decode).err();
    Outcome {
        line: sample.line,
        direction: sample.direction,
        operation,
        failure,
    }
}

fn check_sample(
    sample: &Sample,
    operation: Option<&str>,
    index: &SpecIndex,
    validator: &Validator<'_>,
    decode: &Decode<'_>,
) -> Result<(), Failure> {
    let value: Value = serde_json::from_str(&sample.json)
        .map_err(|error| Failure::new(Stage::Json, format!("invalid JSON: {error}")))?;
    let operation = operation.ok_or_else(|| {
        let message = match &sample.anchor {
            Some(anchor) => format!(
                "no spec operation for {} {} (docs line {})",
                anchor.written.method, anchor.written.path, anchor.line
            ),
            None => "no curl sample or endpoint line before it".to_owned(),
        };
        Failure::new(Stage::Operation, message)
    })?;
    let schemas = index.schemas(operation).ok_or_else(|| {
        Failure::new(
            Stage::Operation,
            format!("{operation} has no schemas in the spec"),
        )
    })?;
    let body = match sample.direction {
        Direction::Request => {
            let Some(schema) = &schemas.request else {
                return Err(Failure::new(
                    Stage::Operation,
                    format!("{operation} takes no JSON request body"),
                ));
            };
            let request = [(String::new(), schema.clone())];
            validate_any(validator, operation, Body::Request, &request, &value)?;
            Body::Request
        }
        Direction::Response => {
            let (body, candidates) = if is_error_body(&value, schemas, validator) {
                (Body::Error, &schemas.error)
            } else {
                (Body::Success, &schemas.success)
            };
            validate_any(validator, operation, body, candidates, &value)?;
            body
        }
    };
    let results = decode(operation, body, &sample.json).ok_or_else(|| {
        Failure::new(
            Stage::Operation,
            format!("{operation} is not in the decoder table; run `cargo xtask generate`"),
        )
    })?;
    if results.is_empty() {
        return Err(Failure::new(
            Stage::Decode,
            format!(
                "the generated client has no JSON type for the {} body of {operation}",
                body_name(body)
            ),
        ));
    }
    if results.iter().any(Result::is_ok) {
        return Ok(());
    }
    let errors: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    Err(Failure::new(Stage::Decode, errors.join("; or ")))
}

/// `success`, `error` or `request`.
fn body_name(body: Body) -> &'static str {
    match body {
        Body::Success => "success",
        Body::Error => "error",
        Body::Request => "request",
    }
}

/// Whether a response sample shows an error body: an object whose every key is a property
/// of the operation's error schema, with at least one key the success schema does not have.
fn is_error_body(value: &Value, schemas: &OperationSchemas, validator: &Validator<'_>) -> bool {
    let Some(object) = value.as_object().filter(|object| !object.is_empty()) else {
        return false;
    };
    let declared = |candidates: &[(String, Value)], key: &str| {
        candidates
            .iter()
            .any(|(_, schema)| validator.declares_property(schema, key))
    };
    object.keys().all(|key| declared(&schemas.error, key))
        && object.keys().any(|key| !declared(&schemas.success, key))
}

/// Validates `value` against each candidate schema (with its status, for responses); passes
/// when any accepts it.
fn validate_any(
    validator: &Validator<'_>,
    operation: &str,
    body: Body,
    candidates: &[(String, Value)],
    value: &Value,
) -> Result<(), Failure> {
    if candidates.is_empty() {
        return Err(Failure::new(
            Stage::Operation,
            format!("{operation} documents no JSON {} response", body_name(body)),
        ));
    }
    let mut reports = Vec::new();
    for (status, schema) in candidates {
        let violations = validator.validate(schema, value);
        if violations.is_empty() {
            return Ok(());
        }
        let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
        let what = match body {
            Body::Request => "the request body".to_owned(),
            Body::Success | Body::Error => format!("the {status} response"),
        };
        reports.push(format!("as {what}: {}", listed.join("; ")));
    }
    Err(Failure::new(Stage::Schema, reports.join(" | ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCS: &str = "\
View a ticket
get /api/v2/tickets/[id]
Sample code | Curl
1
curl -v -u api_key:X -X GET 'https://domain.freshservice.com/api/v2/tickets/1'
EXPAND ↓
Response
1
2
{ \"ticket\": { \"id\": 1 } }
EXPAND ↓
Create a ticket
post /api/v2/tickets
1
curl -v -u api_key:X -H 'Content-Type: application/json' -d '{ \"subject\": \"Hi\" }' -X POST 'https://domain.freshservice.com/api/v2/tickets'
Response
1
{ \"ticket\": { \"id\": \"x\" } }
Errors
1
2
3
{ \"description\": \"Validation failed\", \"errors\": [ { \"field\": \"email\", \"code\": \"invalid_value\" } ] }
Request
1
{ broken
Prose with a brace, not a sample:
{ \"ticket\": 1 }
3
{ \"numbered\": \"but not from 1\" }
";

    #[test]
    fn extracts_samples_with_their_anchors() {
        let samples = extract(DOCS);
        let summary: Vec<(usize, Direction, usize)> = samples
            .iter()
            .map(|s| (s.line, s.direction, s.anchor.as_ref().map_or(0, |a| a.line)))
            .collect();
        assert_eq!(
            summary,
            [
                (10, Direction::Response, 5),
                (15, Direction::Request, 15),
                (18, Direction::Response, 15),
                (23, Direction::Response, 15),
                (26, Direction::Request, 15),
            ]
        );
        assert_eq!(samples[1].json, "{ \"subject\": \"Hi\" }");
        assert_eq!(samples[4].json, "{ broken");
        assert_eq!(
            samples[0]
                .anchor
                .as_ref()
                .map(|a| a.written.method.as_str()),
            Some("GET")
        );
    }

    #[test]
    fn curl_bodies() {
        let quoted = "curl -u k:X -H \"Content-Type: application/json\" -X PUT -d \"{\\\"a\\\": 1}\" 'https://d.freshservice.com/api/v2/tickets/1'";
        assert_eq!(curl_body(quoted).as_deref(), Some("{\"a\": 1}"));
        let glued = "curl -u k:X -X POST -d '{ \"body\":\"x\" }''https://domain.freshservice.com/api/v2/tickets/141/reply'";
        assert_eq!(curl_body(glued).as_deref(), Some("{ \"body\":\"x\" }"));
        let long = "curl --request POST --data-raw '[1]' 'https://d.freshservice.com/api/v2/x'";
        assert_eq!(curl_body(long).as_deref(), Some("[1]"));
        // Empty bodies, forms and lines that are no curl commands carry no sample.
        assert_eq!(
            curl_body("curl -X PUT -d '' 'https://d.freshservice.com/api/v2/tickets/1/restore'"),
            None
        );
        assert_eq!(
            curl_body("curl -F 'a=@x.png' 'https://d.freshservice.com/api/v2/tickets'"),
            None
        );
        assert_eq!(curl_body("see -d '{}'"), None);
        // Broken JSON is still a sample: the checks report it.
        assert_eq!(
            curl_body("curl -d '{ a: 1 }' https://d.freshservice.com/api/v2/x").as_deref(),
            Some("{ a: 1 }")
        );
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /tickets/{id}:
    get:
      operationId: tickets_get
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  ticket: {$ref: '#/components/schemas/Ticket'}
        default: {$ref: '#/components/responses/Error'}
  /tickets:
    post:
      operationId: tickets_create
      x-documented-as: ["PUT /api/v2/tickets"]
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Ticket'}
      responses:
        '201':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  ticket: {$ref: '#/components/schemas/Ticket'}
        default: {$ref: '#/components/responses/Error'}
components:
  responses:
    Error:
      description: error
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
  schemas:
    Ticket:
      type: object
      properties:
        id: {type: integer, format: int64}
        subject: {type: string}
    Error:
      type: object
      properties:
        description: {type: string}
        errors: {type: array, items: {type: object}}
"##;

    fn index(document: &codegen::load::Document) -> SpecIndex {
        let operations = coverage::spec_operations(document).expect("operations");
        SpecIndex::new(&operations, &document.json).expect("index")
    }

    fn load() -> codegen::load::Document {
        codegen::load::load_str(SPEC, std::path::Path::new("spec.yaml"))
            .expect("the test spec loads")
    }

    #[test]
    fn maps_documented_forms_to_operations() {
        let document = load();
        let index = index(&document);
        let written = |method: &str, path: &str| Written {
            method: method.to_owned(),
            path: path.to_owned(),
        };
        assert_eq!(
            index.operation(&written("GET", "/api/v2/tickets/[id]")),
            Some("tickets_get")
        );
        assert_eq!(
            index.operation(&written("PUT", "https://d.freshservice.com/api/v2/tickets")),
            Some("tickets_create")
        );
        assert_eq!(
            index.operation(&written("DELETE", "/api/v2/tickets/[id]")),
            None
        );
        let schemas = index.schemas("tickets_create").expect("schemas");
        assert_eq!(schemas.success.len(), 1);
        assert_eq!(schemas.error.len(), 1);
        assert!(schemas.request.is_some());
    }

    #[test]
    fn rejects_an_endpoint_claimed_twice() {
        let clash = SPEC.replace("PUT /api/v2/tickets", "GET /api/v2/tickets/[id]");
        let document =
            codegen::load::load_str(&clash, std::path::Path::new("spec.yaml")).expect("loads");
        let operations = coverage::spec_operations(&document).expect("operations");
        let error = SpecIndex::new(&operations, &document.json).expect_err("a clash");
        assert!(
            error.contains("tickets_get") && error.contains("tickets_create"),
            "{error}"
        );
    }

    #[test]
    fn checks_each_stage() {
        let document = load();
        let index = index(&document);
        let validator = Validator::new(&document.json);
        // A stand-in for the generated decoders: responses need an `id`, and so on.
        let decode = |operation: &str, body: Body, json: &str| -> Option<Vec<Result<(), String>>> {
            if operation == "unknown" {
                return None;
            }
            let value: Value = serde_json::from_str(json).map_err(|e| e.to_string()).ok()?;
            Some(vec![match body {
                Body::Success if value.pointer("/ticket/id").is_some() => Ok(()),
                Body::Success => Err("missing field `id`".to_owned()),
                Body::Error | Body::Request => Ok(()),
            }])
        };
        let outcomes: Vec<Outcome> = extract(DOCS)
            .iter()
            .map(|sample| check(sample, &index, &validator, &decode))
            .collect();
        let stages: Vec<Option<Stage>> = outcomes
            .iter()
            .map(|o| o.failure.as_ref().map(|f| f.stage))
            .collect();
        assert_eq!(
            stages,
            [None, None, Some(Stage::Schema), None, Some(Stage::Json)],
            "{outcomes:#?}"
        );
        assert_eq!(outcomes[0].operation.as_deref(), Some("tickets_get"));
        assert_eq!(outcomes[1].operation.as_deref(), Some("tickets_create"));
        let schema_failure = outcomes[2].failure.as_ref().map(|f| f.message.as_str());
        assert_eq!(
            schema_failure,
            Some("as the 201 response: at /ticket/id: expected an integer, found a string")
        );

        // A response that the schema accepts but the generated type does not decode.
        let sample = Sample {
            line: 1,
            direction: Direction::Response,
            json: "{ \"ticket\": {} }".to_owned(),
            anchor: extract(DOCS)[0].anchor.clone(),
        };
        let outcome = check(&sample, &index, &validator, &decode);
        assert_eq!(outcome.failure.map(|f| f.stage), Some(Stage::Decode));

        // No operation documents this endpoint; and one the decoder table lacks.
        let stray = Sample {
            anchor: Some(Anchor {
                line: 1,
                written: Written {
                    method: "DELETE".to_owned(),
                    path: "/api/v2/tickets/1".to_owned(),
                },
            }),
            ..sample.clone()
        };
        let failure = check(&stray, &index, &validator, &decode).failure;
        assert_eq!(failure.as_ref().map(|f| f.stage), Some(Stage::Operation));
        assert!(failure.is_some_and(|f| f.message.contains("DELETE /api/v2/tickets/1")));
        let unknown = |_: &str, body: Body, json: &str| decode("unknown", body, json);
        let failure = check(&extract(DOCS)[0], &index, &validator, &unknown).failure;
        assert!(failure.is_some_and(|f| f.message.contains("cargo xtask generate")));

        // A request body with a key its schema does not declare, which decoding would ignore.
        let misspelt = Sample {
            json: "{ \"subjet\": \"Hi\" }".to_owned(),
            ..extract(DOCS)[1].clone()
        };
        let failure = check(&misspelt, &index, &validator, &decode).failure;
        assert_eq!(
            failure.map(|f| (f.stage, f.message)),
            Some((
                Stage::Schema,
                "as the request body: at /subjet: a property the schema does not declare"
                    .to_owned()
            ))
        );

        // A request body for an operation that takes none.
        let request = Sample {
            direction: Direction::Request,
            ..extract(DOCS)[0].clone()
        };
        let failure = check(&request, &index, &validator, &decode).failure;
        assert!(failure.is_some_and(|f| f.message == "tickets_get takes no JSON request body"));
    }
}
