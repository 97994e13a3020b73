//! A stateful fake of one collection resource (`/tickets` and `/tickets/{id}`), for tests of
//! a workflow rather than of one call.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use super::filter_eval::Query;

/// What a [`Fake`] serves: a collection at `path` whose records travel in the envelopes
/// `{"<one>": {...}}` and `{"<many>": [...]}`, the way the API's collections do.
///
/// Mounted with [`MockServer::fake`](super::MockServer::fake), it answers
///
/// | request | answer |
/// | --- | --- |
/// | `POST <path>` | `201` with the record sent and a new `id` (1, 2, ...); `400` with a validation error body when a [`required`](Self::required) field is missing, `null` or `""` |
/// | `GET <path>/{id}` | `200` with the record, `404` if there is none |
/// | `GET <path>?page=&per_page=` | `200` with a page of records by `id` (`per_page` 30 by default), and `Link: <..>; rel="next"` while more follow |
/// | `PUT <path>/{id}` | `200` with the record, the fields sent replacing its own; `404` if there is none |
///
/// ([`timestamps`](Self::timestamps) adds creation and update times to what `POST` and `PUT`
/// store.)
/// | `DELETE <path>/{id}` | `204`, `404` if there is none |
///
/// | `GET <path>/filter?query="status:2 AND priority:>3"` | `200` with a page of the records the query selects and their `total`; `400` with the reason for a query it cannot read (the language of [`Filter`](crate::Filter): `:`, `:>`, `:<`, `AND`, `OR`, parentheses) |
///
/// Other requests under `path` (nested paths) are not its business: any other segment that is
/// not an integer id is answered `404`, and nested paths do not match.
#[derive(Clone, Debug)]
pub struct FakeResource {
    path: String,
    one: String,
    many: String,
    required: Vec<String>,
    timestamps: Option<(String, String)>,
    nested: Vec<Nested>,
    mirrors: Vec<String>,
}

/// Records that belong to one record of the collection (a ticket's conversations).
#[derive(Clone, Debug)]
struct Nested {
    /// The segment after `{id}` that creates one (`reply`).
    create: String,
    /// The segment after `{id}` that lists them (`conversations`).
    list: String,
    /// The envelope keys of one and of a list (`conversation`, `conversations`).
    one: String,
    many: String,
}

impl FakeResource {
    /// A collection at `path` (`/tickets`), with the envelope keys `one` (`ticket`) and
    /// `many` (`tickets`).
    pub fn new(path: &str, one: &str, many: &str) -> Self {
        FakeResource {
            path: path.trim_end_matches('/').to_owned(),
            one: one.to_owned(),
            many: many.to_owned(),
            required: Vec::new(),
            timestamps: None,
            nested: Vec::new(),
            mirrors: Vec::new(),
        }
    }

    /// A field that a created record gets set to its id as well (`display_id`, the number an
    /// asset is shown and addressed by).
    pub fn mirror_id(mut self, field: &str) -> Self {
        self.mirrors.push(field.to_owned());
        self
    }

    /// Records that belong to one record: `POST <path>/{id}/<create>` adds one (answered
    /// `201` in the envelope `one`, with its own `id` and the parent's id under
    /// `<one envelope of the collection>_id`), `GET <path>/{id}/<list>` lists them in the
    /// envelope `many`; `404` when the parent does not exist. For a ticket's replies:
    /// `.nested("reply", "conversations", "conversation", "conversations")`.
    pub fn nested(mut self, create: &str, list: &str, one: &str, many: &str) -> Self {
        self.nested.push(Nested {
            create: create.to_owned(),
            list: list.to_owned(),
            one: one.to_owned(),
            many: many.to_owned(),
        });
        self
    }

    /// A field a created record must have: without it, creating answers `400` with
    /// `{"description": "Validation failed", "errors": [{"field": .., "message": "It
    /// should not be blank", "code": "missing_field"}]}`.
    pub fn required(mut self, field: &str) -> Self {
        self.required.push(field.to_owned());
        self
    }

    /// Stamps records with the current time (RFC 3339, UTC): the field `created` when
    /// created, `updated` when created or updated (`created_at`, `updated_at`).
    pub fn timestamps(mut self, created: &str, updated: &str) -> Self {
        self.timestamps = Some((created.to_owned(), updated.to_owned()));
        self
    }

    /// Sets the time stamps of a record being created (`created`) or changed.
    fn stamp(&self, record: &mut Map<String, Value>, created: bool) {
        let Some((created_field, updated_field)) = &self.timestamps else {
            return;
        };
        let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
        let now = json!(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        if created {
            record.insert(created_field.clone(), now.clone());
        }
        record.insert(updated_field.clone(), now);
    }

    /// The path of a request relative to the collection: `None` outside it, `Some(None)` for
    /// the collection itself, `Some(Some(segment))` for one record.
    fn target<'a>(&self, path: &'a str) -> Option<Option<&'a str>> {
        let rest = path.strip_prefix(self.path.as_str())?;
        match rest.strip_prefix('/') {
            None if rest.is_empty() => Some(None),
            Some(segment) if !segment.is_empty() && !segment.contains('/') => Some(Some(segment)),
            _ => None,
        }
    }

    /// For `<path>/{id}/<segment>` where `segment` is one of the nested kinds: the parent's
    /// id, the kind, and whether the segment creates (else lists).
    fn nested_target(&self, path: &str) -> Option<(i64, &Nested, bool)> {
        let rest = path.strip_prefix(self.path.as_str())?.strip_prefix('/')?;
        let (id, segment) = rest.split_once('/')?;
        let id = id.parse::<i64>().ok()?;
        self.nested.iter().find_map(|nested| {
            if segment == nested.create {
                Some((id, nested, true))
            } else if segment == nested.list {
                Some((id, nested, false))
            } else {
                None
            }
        })
    }
}

/// The records of a mounted [`FakeResource`], shared with the server: what the code under
/// test left behind, or records to start from.
#[derive(Clone, Debug)]
pub struct Fake {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    records: BTreeMap<i64, Map<String, Value>>,
    last_id: i64,
    /// Nested records by (parent id, list segment), in the order they were made.
    nested: BTreeMap<(i64, String), Vec<Map<String, Value>>>,
    last_nested_id: i64,
}

impl Fake {
    pub(super) fn new() -> Self {
        Fake {
            state: Arc::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a record as if it had been created, with the next id, and returns that id.
    pub fn insert(&self, record: Value) -> i64 {
        let mut state = self.lock();
        state.last_id += 1;
        let id = state.last_id;
        let mut record = match record {
            Value::Object(fields) => fields,
            _ => Map::new(),
        };
        record.insert("id".to_owned(), json!(id));
        state.records.insert(id, record);
        id
    }

    /// The record `id`, decoded into `T` (a generated type), if there is one. Panics if it
    /// does not decode.
    pub fn get<T: DeserializeOwned>(&self, id: i64) -> Option<T> {
        let record = self.lock().records.get(&id).cloned()?;
        Some(
            serde_json::from_value(Value::Object(record)).unwrap_or_else(|error| {
                panic!("the fake's record {id} does not decode into the type asked for: {error}")
            }),
        )
    }

    /// The ids of the records there are, in order.
    pub fn ids(&self) -> Vec<i64> {
        self.lock().records.keys().copied().collect()
    }
}

/// The matcher and responder of a mounted fake.
#[derive(Clone)]
pub(super) struct Serve {
    pub(super) resource: FakeResource,
    pub(super) fake: Fake,
    /// The server's base URL, which next-page links start with (a received request's URL
    /// does not say on which host and port it arrived).
    pub(super) base: String,
}

impl wiremock::Match for Serve {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let path = request.url.path();
        self.resource.target(path).is_some() || self.resource.nested_target(path).is_some()
    }
}

impl wiremock::Respond for Serve {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let not_found = || {
            wiremock::ResponseTemplate::new(404).set_body_json(json!({"description": "Not found"}))
        };
        let one = |status: u16, record: &Map<String, Value>| {
            wiremock::ResponseTemplate::new(status)
                .set_body_json(json!({ self.resource.one.as_str(): record }))
        };
        let target = self.resource.target(request.url.path()).unwrap_or(Some(""));
        if let Some((parent, nested, creates)) = self.resource.nested_target(request.url.path()) {
            return self.nested(request, parent, nested, creates);
        }
        if target == Some("filter") && request.method.as_str() == "GET" {
            let state = self.fake.lock();
            return self.filter(request, &state);
        }
        let id = match target {
            None => None,
            Some(segment) => match segment.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => return not_found(),
            },
        };
        let sent = || match serde_json::from_slice::<Value>(&request.body) {
            Ok(Value::Object(fields)) => Some(fields),
            _ => None,
        };
        let mut state = self.fake.lock();
        match (request.method.as_str(), id) {
            ("POST", None) => {
                let Some(mut record) = sent() else {
                    return wiremock::ResponseTemplate::new(400)
                        .set_body_json(json!({"description": "The body is not a JSON object"}));
                };
                let missing: Vec<Value> = self
                    .resource
                    .required
                    .iter()
                    .filter(|field| {
                        matches!(record.get(field.as_str()), None | Some(Value::Null))
                            || record.get(field.as_str()) == Some(&json!(""))
                    })
                    .map(|field| {
                        json!({
                            "field": field,
                            "message": "It should not be blank",
                            "code": "missing_field",
                        })
                    })
                    .collect();
                if !missing.is_empty() {
                    return wiremock::ResponseTemplate::new(400).set_body_json(
                        json!({"description": "Validation failed", "errors": missing}),
                    );
                }
                state.last_id += 1;
                let id = state.last_id;
                record.insert("id".to_owned(), json!(id));
                for field in &self.resource.mirrors {
                    record.insert(field.clone(), json!(id));
                }
                self.resource.stamp(&mut record, true);
                let answer = one(201, &record);
                state.records.insert(id, record);
                answer
            }
            ("GET", Some(id)) => match state.records.get(&id) {
                Some(record) => one(200, record),
                None => not_found(),
            },
            ("PUT", Some(id)) => {
                let changes = sent().unwrap_or_default();
                match state.records.get_mut(&id) {
                    Some(record) => {
                        for (field, value) in changes {
                            if field != "id" {
                                record.insert(field, value);
                            }
                        }
                        self.resource.stamp(record, false);
                        one(200, record)
                    }
                    None => not_found(),
                }
            }
            ("DELETE", Some(id)) => match state.records.remove(&id) {
                Some(_) => wiremock::ResponseTemplate::new(204),
                None => not_found(),
            },
            ("GET", None) => {
                let records: Vec<&Map<String, Value>> = state.records.values().collect();
                self.page(request, &records, None)
            }
            _ => wiremock::ResponseTemplate::new(405),
        }
    }
}

impl Serve {
    /// Creates or lists the records nested under record `parent`.
    fn nested(
        &self,
        request: &wiremock::Request,
        parent: i64,
        nested: &Nested,
        creates: bool,
    ) -> wiremock::ResponseTemplate {
        let mut state = self.fake.lock();
        if !state.records.contains_key(&parent) {
            return wiremock::ResponseTemplate::new(404)
                .set_body_json(json!({"description": "Not found"}));
        }
        let key = (parent, nested.list.clone());
        match (request.method.as_str(), creates) {
            ("POST", true) => {
                let Ok(Value::Object(mut record)) = serde_json::from_slice::<Value>(&request.body)
                else {
                    return wiremock::ResponseTemplate::new(400)
                        .set_body_json(json!({"description": "The body is not a JSON object"}));
                };
                state.last_nested_id += 1;
                record.insert("id".to_owned(), json!(state.last_nested_id));
                record.insert(format!("{}_id", self.resource.one), json!(parent));
                self.resource.stamp(&mut record, true);
                let answer = wiremock::ResponseTemplate::new(201)
                    .set_body_json(json!({ nested.one.as_str(): &record }));
                state.nested.entry(key).or_default().push(record);
                answer
            }
            ("GET", false) => {
                let records = state.nested.get(&key).cloned().unwrap_or_default();
                wiremock::ResponseTemplate::new(200)
                    .set_body_json(json!({ nested.many.as_str(): records }))
            }
            _ => wiremock::ResponseTemplate::new(405),
        }
    }

    /// The records a filter query selects, a page at a time with their `total`; `400` with
    /// the reason for a query the fake cannot read.
    fn filter(&self, request: &wiremock::Request, state: &State) -> wiremock::ResponseTemplate {
        let text = request
            .url
            .query_pairs()
            .find(|(key, _)| key == "query")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        match Query::parse(&text) {
            Ok(query) => {
                let records: Vec<&Map<String, Value>> = state
                    .records
                    .values()
                    .filter(|record| query.matches(record))
                    .collect();
                let total = records.len();
                self.page(request, &records, Some(total))
            }
            Err(reason) => wiremock::ResponseTemplate::new(400).set_body_json(json!({
                "description": "Validation failed",
                "errors": [{"field": "query", "message": reason, "code": "invalid_value"}],
            })),
        }
    }

    /// One page of `records` (with `total` when given), with a `Link` to the next while there
    /// is one.
    fn page(
        &self,
        request: &wiremock::Request,
        all: &[&Map<String, Value>],
        total: Option<usize>,
    ) -> wiremock::ResponseTemplate {
        let number = |name: &str, default: usize| {
            request
                .url
                .query_pairs()
                .find(|(key, _)| key == name)
                .and_then(|(_, value)| value.parse::<usize>().ok())
                .unwrap_or(default)
                .max(1)
        };
        let (page, per_page) = (number("page", 1), number("per_page", 30));
        let records: Vec<&&Map<String, Value>> = all
            .iter()
            .skip((page - 1).saturating_mul(per_page))
            .take(per_page)
            .collect();
        let more = all.len() > page.saturating_mul(per_page);
        let mut body = json!({ self.resource.many.as_str(): records });
        if let Some(total) = total {
            body["total"] = json!(total);
        }
        let answer = wiremock::ResponseTemplate::new(200).set_body_json(body);
        if !more {
            return answer;
        }
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in request.url.query_pairs().filter(|(key, _)| key != "page") {
            query.append_pair(&key, &value);
        }
        query.append_pair("page", &(page + 1).to_string());
        let next = format!("{}{}?{}", self.base, request.url.path(), query.finish());
        answer.insert_header("link", format!("<{next}>; rel=\"next\"").as_str())
    }
}
