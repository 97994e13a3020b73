//! `cargo xtask coverage`: which operations of the official documentation the spec lacks.
//!
//! The documentation names an operation in two ways: an endpoint line (`get
//! /api/v2/tickets/[id]`, a lowercase method at the start of a line) and curl samples
//! (`curl ... -X PUT 'https://domain.freshservice.com/api/v2/tickets/1/restore'`). Both are
//! reduced to a method and a normalised path ([`normalise_path`]): no host, no `/api/v2`, no
//! query string, and every ID-like segment replaced by [`PLACEHOLDER`]. Spec paths are
//! normalised the same way, so `/tickets/[id]/tasks/[id]` in the docs and
//! `/tickets/{ticket_id}/tasks/{id}` in the spec compare equal.
//!
//! Where the spec deliberately departs from what the docs write (a wrong method in a curl
//! sample, a misspelled path), the spec operation says so itself, next to its `Documentation
//! note:`, with the extension `x-documented-as: ["GET /api/v2/tickets/[id]/restore"]`: the
//! documented method and path as written, normalised like any other documented path. There is
//! no list of exceptions here.
//!
//! A second source is Freshworks' own description of the API (an OpenAPI document in the
//! reference folder, [`crate::reference::FRESHWORKS_SPEC`]). It knows some operations the
//! public documentation does not list; the spec adds them marked with [`SOURCE`]
//! (`x-source: freshworks-sdk`). Its operations are compared the same way (method and
//! normalised path), and where that description writes an operation the spec has at another
//! path (`/problem/{problem_id}` for `/problems/{id}`), the spec operation claims that form
//! with [`FRESHWORKS_AS`], as it claims documented forms with [`DOCUMENTED_AS`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use codegen::load::Document;

/// What every ID-like path segment becomes once normalised.
pub const PLACEHOLDER: &str = "{}";

/// The extension by which a spec operation claims documented forms that differ from its own.
pub const DOCUMENTED_AS: &str = "x-documented-as";

/// The extension by which a spec operation claims forms of Freshworks' description that differ
/// from its own path.
pub const FRESHWORKS_AS: &str = "x-freshworks-as";

/// The extension naming where an operation comes from when it is not in the public
/// documentation.
pub const SOURCE: &str = "x-source";

/// The value of [`SOURCE`] for operations taken from Freshworks' own description.
pub const SOURCE_FRESHWORKS: &str = "freshworks-sdk";

/// The least number of operations of Freshworks' description the spec must cover: all of them
/// (217 distinct method and path pairs). `cargo xtask coverage` fails below it.
pub const FRESHWORKS_MINIMUM: usize = 217;

/// The HTTP methods an endpoint line may start with (lowercase, as the docs write them).
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// An operation reduced to what coverage compares: the method (uppercase) and the normalised
/// path. Ordered by path first, so that a report lists the operations of a resource together.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Endpoint {
    /// The normalised path (see [`normalise_path`]).
    pub path: String,
    /// The HTTP method, uppercase.
    pub method: String,
}

impl Endpoint {
    /// `method` (any case) with `path` (a URL, a documented path or a spec path) normalised.
    pub fn new(method: &str, path: &str) -> Self {
        Endpoint {
            path: normalise_path(path),
            method: method.to_ascii_uppercase(),
        }
    }

    /// Parses `METHOD PATH` as written in an `x-documented-as` entry.
    pub fn parse(text: &str) -> Option<Self> {
        let (method, path) = text.trim().split_once(char::is_whitespace)?;
        let path = path.trim();
        if method.is_empty()
            || !method.chars().all(|c| c.is_ascii_alphabetic())
            || path.is_empty()
            || path.contains(char::is_whitespace)
        {
            return None;
        }
        Some(Endpoint::new(method, path))
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Normalises a documented URL or path, or a spec path, for comparison.
///
/// Drops the scheme and host, the query string and fragment, a leading `/api/v2`, empty
/// segments (so `//` collapses and a trailing `/` goes) and replaces every ID-like segment
/// with [`PLACEHOLDER`]. The result starts with `/` (`/` alone for the root).
pub fn normalise_path(raw: &str) -> String {
    let mut rest = raw.trim();
    if let Some(at) = rest.find("://") {
        let after = &rest[at + 3..];
        rest = after.find('/').map_or("", |slash| &after[slash..]);
    }
    if let Some(end) = rest.find(['?', '#']) {
        rest = &rest[..end];
    }
    let mut segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    if segments.len() >= 2 && segments[0] == "api" && segments[1] == "v2" {
        segments.drain(..2);
    }
    let normalised: Vec<&str> = segments
        .into_iter()
        .map(|segment| {
            if is_id_like(segment) {
                PLACEHOLDER
            } else {
                segment
            }
        })
        .collect();
    format!("/{}", normalised.join("/"))
}

/// Whether a path segment stands for a value rather than a fixed name: a template (`{id}`),
/// a documentation placeholder (`[ticket_id]`, also with a missing or stray bracket such as
/// `id]` or `[id]]`), a number or a UUID (hex digits and dashes, with at least one digit), or
/// the word `id` written literally in place of one.
fn is_id_like(segment: &str) -> bool {
    segment.starts_with(['[', '{'])
        || segment.ends_with([']', '}'])
        || segment == "id"
        || (segment.bytes().any(|b| b.is_ascii_digit())
            && segment.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
}

/// A method and a path or URL as one place in the docs writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The method, uppercase.
    pub method: String,
    /// The path or URL, verbatim.
    pub path: String,
}

impl Written {
    fn new(method: &str, path: &str) -> Self {
        Written {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
        }
    }

    /// The endpoint this names.
    pub fn endpoint(&self) -> Endpoint {
        Endpoint::new(&self.method, &self.path)
    }
}

/// Reads an endpoint line: a lowercase method at the start of the line (indentation is
/// allowed), then a path that contains `api/v2` (with or without the leading slash, possibly
/// with a query string).
pub fn parse_endpoint_line(line: &str) -> Option<Written> {
    let mut words = line.split_whitespace();
    let method = words.next()?;
    if !METHODS.contains(&method) {
        return None;
    }
    let path = words.next()?;
    let is_api_path = path.starts_with("/api/v2") || path.starts_with("api/v2");
    is_api_path.then(|| Written::new(method, path))
}

/// Reads a curl sample: the method of `-X`/`--request` (before or after the URL), or, without
/// one, POST when data is sent (`-d`, `-F` and their long forms) and GET otherwise; the URL
/// is the first argument that is an `http(s)` URL into `/api/v2`. Malformed quoting in the
/// docs (a URL glued to the closing quote of `-d`, a missing quote) is tolerated by falling
/// back to the last such URL anywhere on the line. Lines that are not curl commands, and
/// samples whose URL is missing (some are cut off in the docs), give `None`.
pub fn parse_curl(line: &str) -> Option<Written> {
    let line = line.trim();
    if !line.starts_with("curl ") {
        return None;
    }
    let words = shell_words(line);
    let mut method: Option<String> = None;
    let mut url: Option<String> = None;
    let mut sends_data = false;
    let mut forces_get = false;
    let mut rest = words.iter().skip(1);
    while let Some(word) = rest.next() {
        let word = word.as_str();
        match word {
            "-X" | "--request" => {
                if let Some(value) = rest.next() {
                    // `-X 'GET https://...'`: a method and the URL in one quoted argument.
                    let mut parts = value.split_whitespace();
                    method = parts.next().map(str::to_owned).or(method);
                    if url.is_none() {
                        url = parts.find_map(api_url).map(str::to_owned);
                    }
                }
            }
            "--url" => {
                if let Some(value) = rest.next() {
                    if url.is_none() {
                        url = api_url(value).map(str::to_owned);
                    }
                }
            }
            "-G" | "--get" => forces_get = true,
            _ if DATA_FLAGS.contains(&word) => {
                sends_data = true;
                rest.next();
            }
            _ if VALUE_FLAGS.contains(&word) => {
                rest.next();
            }
            _ if word.starts_with("-X") && word.len() > 2 => method = Some(word[2..].to_owned()),
            _ if url.is_none() && api_url(word).is_some() => {
                url = api_url(word).map(str::to_owned);
            }
            _ => {}
        }
    }
    let url = url.or_else(|| last_api_url(line).map(str::to_owned))?;
    let method = match method {
        Some(method) => method,
        None if sends_data && !forces_get => "POST".to_owned(),
        None => "GET".to_owned(),
    };
    Some(Written::new(&method, &url))
}

/// curl options that send a request body (and so make the default method POST).
const DATA_FLAGS: [&str; 9] = [
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-ascii",
    "--data-urlencode",
    "-F",
    "--form",
    "--form-string",
];

/// Other curl options that take a value, which is never the URL.
const VALUE_FLAGS: [&str; 18] = [
    "-u",
    "--user",
    "-H",
    "--header",
    "-o",
    "--output",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-T",
    "--upload-file",
    "-w",
    "--write-out",
];

/// The URL that `text` starts with, if it is an `http(s)` URL into `api/v2`.
fn api_url(text: &str) -> Option<&str> {
    let url = &text[..url_end(text)];
    let is_http = url.starts_with("https://") || url.starts_with("http://");
    (is_http && url.contains("api/v2")).then_some(url)
}

/// Where a URL at the start of `text` ends: at whitespace or at a quote, ASCII or
/// typographic (the docs close some URLs with `’`).
fn url_end(text: &str) -> usize {
    text.find(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | '`' | '‘' | '’' | '“' | '”'))
        .unwrap_or(text.len())
}

/// The last `http(s)://` URL into `api/v2` anywhere in `line`.
fn last_api_url(line: &str) -> Option<&str> {
    let mut found = None;
    let mut from = 0;
    while let Some(offset) = line[from..].find("http") {
        let start = from + offset;
        let tail = &line[start..];
        found = api_url(tail).or(found);
        from = start + url_end(tail).max(4);
    }
    found
}

/// Splits a command line into words the way a POSIX shell would (single quotes, double
/// quotes with backslash escapes, backslash escapes outside quotes). An unterminated quote
/// runs to the end of the line instead of failing, since the docs contain some.
pub(crate) fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// One documented operation: where the docs name it and how they first write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Documented {
    /// The 1-based numbers of the lines that name it, ascending.
    pub lines: Vec<usize>,
    /// The first form in which the docs write it.
    pub first: Written,
}

/// Every operation the docs name in an endpoint line or a curl sample, by endpoint.
pub fn documented_operations(text: &str) -> BTreeMap<Endpoint, Documented> {
    let mut found: BTreeMap<Endpoint, Documented> = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let Some(written) = parse_endpoint_line(line).or_else(|| parse_curl(line)) else {
            continue;
        };
        found
            .entry(written.endpoint())
            .or_insert_with(|| Documented {
                lines: Vec::new(),
                first: written,
            })
            .lines
            .push(index + 1);
    }
    found
}

/// One operation of the spec, with the documented forms it claims via `x-documented-as`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecOperation {
    /// The operationId, or `METHOD path` when there is none.
    pub name: String,
    /// The operation's own method and normalised path.
    pub endpoint: Endpoint,
    /// The `x-documented-as` entries: verbatim, and normalised.
    pub documented_as: Vec<(String, Endpoint)>,
    /// The `x-freshworks-as` entries: verbatim, and normalised.
    pub freshworks_as: Vec<(String, Endpoint)>,
    /// The `x-source` value, for operations that are not in the public documentation.
    pub source: Option<String>,
}

/// Every operation of the spec. Fails on a path item given as a `$ref` (not followed), on an
/// `x-documented-as` or `x-freshworks-as` that is not a list of `METHOD PATH` strings and on
/// an `x-source` that is not a string.
pub fn spec_operations(document: &Document) -> Result<Vec<SpecOperation>, String> {
    let mut operations = Vec::new();
    for (path, item) in document.openapi.paths.paths.iter() {
        let Some(item) = item.as_item() else {
            return Err(format!(
                "path {path}: a path item given as a $ref is not supported"
            ));
        };
        for (method, operation) in item.iter() {
            let name = operation
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{} {path}", method.to_ascii_uppercase()));
            let extension = |key| operation.extensions.get(key);
            let documented_as = claimed_forms(&name, extension(DOCUMENTED_AS), DOCUMENTED_AS)?;
            let freshworks_as = claimed_forms(&name, extension(FRESHWORKS_AS), FRESHWORKS_AS)?;
            let source = match operation.extensions.get(SOURCE) {
                None => None,
                Some(value) => Some(
                    value
                        .as_str()
                        .ok_or_else(|| format!("{name}: {SOURCE} must be a string"))?
                        .to_owned(),
                ),
            };
            operations.push(SpecOperation {
                name,
                endpoint: Endpoint::new(method, path),
                documented_as,
                freshworks_as,
                source,
            });
        }
    }
    Ok(operations)
}

/// The entries of the list extension `key` (given as `value`) of operation `name`: verbatim,
/// and normalised.
fn claimed_forms(
    name: &str,
    value: Option<&serde_json::Value>,
    key: &str,
) -> Result<Vec<(String, Endpoint)>, String> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let entries = value
        .as_array()
        .ok_or_else(|| format!("{name}: {key} must be a list of \"METHOD PATH\" strings"))?;
    entries
        .iter()
        .map(|entry| {
            entry
                .as_str()
                .and_then(|text| Endpoint::parse(text).map(|e| (text.to_owned(), e)))
                .ok_or_else(|| format!("{name}: {key} entry {entry} is not \"METHOD PATH\""))
        })
        .collect()
}

/// The outcome of comparing the docs with the spec.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Documented operations the spec neither has nor claims, in endpoint order.
    pub missing: Vec<(Endpoint, Documented)>,
    /// `x-documented-as` entries that match nothing in the docs: (operation, entry).
    pub unused: Vec<(String, String)>,
    /// Operations marked with `x-source` (not in the public documentation) that the docs do
    /// name after all: (operation, its endpoint). The mark is stale.
    pub marked_but_documented: Vec<(String, Endpoint)>,
    /// How many distinct documented operations the spec covers.
    pub covered: usize,
    /// How many distinct documented operations there are.
    pub total: usize,
}

impl Report {
    /// True when every documented operation is covered.
    pub fn is_complete(&self) -> bool {
        self.covered == self.total
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (endpoint, documented) in &self.missing {
            let lines: Vec<String> = documented.lines.iter().map(ToString::to_string).collect();
            let label = if lines.len() == 1 { "line" } else { "lines" };
            writeln!(
                f,
                "missing: {endpoint}  (docs {label} {}: {} {})",
                lines.join(", "),
                documented.first.method,
                documented.first.path
            )?;
        }
        for (operation, entry) in &self.unused {
            writeln!(
                f,
                "unused: {operation} {DOCUMENTED_AS} \"{entry}\" matches nothing in the docs"
            )?;
        }
        for (operation, endpoint) in &self.marked_but_documented {
            writeln!(
                f,
                "marked: {operation} ({endpoint}) has {SOURCE} but the docs name it; drop the mark"
            )?;
        }
        write!(f, "covered {}/{}", self.covered, self.total)
    }
}

/// Compares the documented operations with the spec's: a documented operation is covered
/// when a spec operation has its method and normalised path, or claims it in
/// `x-documented-as`.
pub fn compare(documented: &BTreeMap<Endpoint, Documented>, spec: &[SpecOperation]) -> Report {
    let mut known: BTreeSet<&Endpoint> = spec.iter().map(|op| &op.endpoint).collect();
    let mut unused = Vec::new();
    for operation in spec {
        for (text, endpoint) in &operation.documented_as {
            known.insert(endpoint);
            if !documented.contains_key(endpoint) {
                unused.push((operation.name.clone(), text.clone()));
            }
        }
    }
    let missing: Vec<(Endpoint, Documented)> = documented
        .iter()
        .filter(|(endpoint, _)| !known.contains(endpoint))
        .map(|(endpoint, documented)| (endpoint.clone(), documented.clone()))
        .collect();
    let marked_but_documented = spec
        .iter()
        .filter(|op| op.source.is_some() && documented.contains_key(&op.endpoint))
        .map(|op| (op.name.clone(), op.endpoint.clone()))
        .collect();
    Report {
        covered: documented.len() - missing.len(),
        total: documented.len(),
        missing,
        unused,
        marked_but_documented,
    }
}

/// Reads the docs at `docs` and the spec rooted at `spec`, and compares them.
pub fn run(docs: &Path, spec: &Path) -> Result<Report, String> {
    if !docs.exists() {
        return Err(crate::reference::missing(docs, "cargo xtask coverage"));
    }
    let text = std::fs::read_to_string(docs)
        .map_err(|error| format!("cannot read the documentation {}: {error}", docs.display()))?;
    let document = codegen::load::load(spec).map_err(|diagnostics| diagnostics.to_string())?;
    let operations = spec_operations(&document)?;
    Ok(compare(&documented_operations(&text), &operations))
}

/// One operation of Freshworks' description: its operationId and how it writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Described {
    /// The operationId, when it has one.
    pub operation_id: Option<String>,
    /// The method and the path as the description writes them.
    pub written: Written,
}

/// Every operation of Freshworks' description (any OpenAPI document), by endpoint. Paths are
/// normalised like the spec's, so `/api/v2/assets/{display_id}/components/{component_id}`
/// is `/assets/{}/components/{}`. The first of two operations with one endpoint is kept.
pub fn described_operations(document: &Document) -> Result<BTreeMap<Endpoint, Described>, String> {
    let mut found = BTreeMap::new();
    for (path, item) in document.openapi.paths.paths.iter() {
        let Some(item) = item.as_item() else {
            return Err(format!(
                "Freshworks' description: path {path} is a $ref, which is not followed"
            ));
        };
        for (method, operation) in item.iter() {
            let written = Written::new(method, path);
            found
                .entry(written.endpoint())
                .or_insert_with(|| Described {
                    operation_id: operation.operation_id.clone(),
                    written,
                });
        }
    }
    Ok(found)
}

/// The outcome of comparing Freshworks' description with the spec.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FreshworksReport {
    /// Operations of the description the spec neither has nor claims, in endpoint order.
    pub missing: Vec<(Endpoint, Described)>,
    /// `x-freshworks-as` entries that match nothing in the description: (operation, entry).
    pub unused: Vec<(String, String)>,
    /// Operations marked `x-source: freshworks-sdk` that the description does not have.
    pub unsourced: Vec<(String, Endpoint)>,
    /// How many distinct operations of the description the spec covers.
    pub covered: usize,
    /// How many distinct operations the description has.
    pub total: usize,
}

impl FreshworksReport {
    /// True when the spec covers at least `minimum` operations of the description.
    pub fn meets(&self, minimum: usize) -> bool {
        self.covered >= minimum
    }
}

impl fmt::Display for FreshworksReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (endpoint, described) in &self.missing {
            writeln!(
                f,
                "missing: {endpoint}  (Freshworks' description: {} {}{})",
                described.written.method,
                described.written.path,
                described
                    .operation_id
                    .as_ref()
                    .map_or_else(String::new, |id| format!(", {id}"))
            )?;
        }
        for (operation, entry) in &self.unused {
            writeln!(
                f,
                "unused: {operation} {FRESHWORKS_AS} \"{entry}\" matches nothing in Freshworks' description"
            )?;
        }
        for (operation, endpoint) in &self.unsourced {
            writeln!(
                f,
                "unsourced: {operation} ({endpoint}) has {SOURCE}: {SOURCE_FRESHWORKS} but Freshworks' description lacks it"
            )?;
        }
        write!(f, "covered {}/{}", self.covered, self.total)
    }
}

/// Compares Freshworks' description with the spec: one of its operations is covered when a
/// spec operation has its method and normalised path, or claims it in `x-freshworks-as`.
pub fn compare_freshworks(
    described: &BTreeMap<Endpoint, Described>,
    spec: &[SpecOperation],
) -> FreshworksReport {
    let mut known: BTreeSet<&Endpoint> = spec.iter().map(|op| &op.endpoint).collect();
    let mut unused = Vec::new();
    for operation in spec {
        for (text, endpoint) in &operation.freshworks_as {
            known.insert(endpoint);
            if !described.contains_key(endpoint) {
                unused.push((operation.name.clone(), text.clone()));
            }
        }
    }
    let missing: Vec<(Endpoint, Described)> = described
        .iter()
        .filter(|(endpoint, _)| !known.contains(endpoint))
        .map(|(endpoint, found)| (endpoint.clone(), found.clone()))
        .collect();
    let unsourced = spec
        .iter()
        .filter(|op| op.source.as_deref() == Some(SOURCE_FRESHWORKS))
        .filter(|op| {
            !described.contains_key(&op.endpoint)
                && !op
                    .freshworks_as
                    .iter()
                    .any(|(_, endpoint)| described.contains_key(endpoint))
        })
        .map(|op| (op.name.clone(), op.endpoint.clone()))
        .collect();
    FreshworksReport {
        covered: described.len() - missing.len(),
        total: described.len(),
        missing,
        unused,
        unsourced,
    }
}

/// Reads Freshworks' description at `description` and the spec rooted at `spec`, and
/// compares them. The caller decides what an absent description means.
pub fn run_freshworks(description: &Path, spec: &Path) -> Result<FreshworksReport, String> {
    let other = codegen::load::load(description).map_err(|diagnostics| {
        format!(
            "cannot load Freshworks' description {}: {diagnostics}",
            description.display()
        )
    })?;
    let document = codegen::load::load(spec).map_err(|diagnostics| diagnostics.to_string())?;
    let operations = spec_operations(&document)?;
    Ok(compare_freshworks(
        &described_operations(&other)?,
        &operations,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(method: &str, path: &str) -> Option<Written> {
        Some(Written::new(method, path))
    }

    fn endpoint(method: &str, path: &str) -> Endpoint {
        Endpoint {
            method: method.to_owned(),
            path: path.to_owned(),
        }
    }

    #[test]
    fn endpoint_lines() {
        assert_eq!(
            parse_endpoint_line("get /api/v2/tickets/[id]"),
            written("GET", "/api/v2/tickets/[id]")
        );
        assert_eq!(
            parse_endpoint_line("put /api/v2/tickets/[id]/move_workspace"),
            written("PUT", "/api/v2/tickets/[id]/move_workspace")
        );
        // Without the leading slash, and with a query string.
        assert_eq!(
            parse_endpoint_line("get api/v2/tickets/[id]/tasks/[id]"),
            written("GET", "api/v2/tickets/[id]/tasks/[id]")
        );
        assert_eq!(
            parse_endpoint_line("get /api/v2/tickets/filter?query=[query]"),
            written("GET", "/api/v2/tickets/filter?query=[query]")
        );
        assert_eq!(
            parse_endpoint_line("patch /api/v2/cabs/[id]"),
            written("PATCH", "/api/v2/cabs/[id]")
        );
        // Prose, uppercase methods and paths outside the API are not endpoint lines.
        assert_eq!(
            parse_endpoint_line("get the list from /api/v2/tickets"),
            None
        );
        assert_eq!(parse_endpoint_line("GET /api/v2/tickets"), None);
        assert_eq!(parse_endpoint_line("get /tickets"), None);
        assert_eq!(
            parse_endpoint_line("stats /api/v2/tickets?include=stats"),
            None
        );
        assert_eq!(parse_endpoint_line("get"), None);
    }

    #[test]
    fn curl_method_before_and_after_the_url() {
        let before = "curl -v -u api_key:X -H \"Content-Type: application/json\" -X PUT -d '' \
                      'https://domain.freshservice.com/api/v2/tickets/1/restore'";
        assert_eq!(
            parse_curl(before),
            written(
                "PUT",
                "https://domain.freshservice.com/api/v2/tickets/1/restore"
            )
        );
        let after = "curl --request GET 'https://domain.freshservice.com/api/v2/solutions/articles/search?search_term=x' --header 'Authorization: Basic k'";
        assert_eq!(
            parse_curl(after),
            written(
                "GET",
                "https://domain.freshservice.com/api/v2/solutions/articles/search?search_term=x"
            )
        );
        let trailing = "curl -u k:X 'https://domain.freshservice.com/api/v2/tickets/1' -X DELETE";
        assert_eq!(
            parse_curl(trailing),
            written("DELETE", "https://domain.freshservice.com/api/v2/tickets/1")
        );
        // The method and the URL in one quoted argument.
        let joined = "curl -v -u k:X -X 'GET https://domain.freshservice.com/api/v2/tickets'";
        assert_eq!(
            parse_curl(joined),
            written("GET", "https://domain.freshservice.com/api/v2/tickets")
        );
        assert_eq!(
            parse_curl("curl -XPOST https://d.freshservice.com/api/v2/tickets"),
            written("POST", "https://d.freshservice.com/api/v2/tickets")
        );
    }

    #[test]
    fn curl_default_methods() {
        let data = "curl -u k:X -H 'Content-Type: application/json' -d '{\"a\": 1}' \
                    'https://domain.freshservice.com/api/v2/tickets'";
        assert_eq!(
            parse_curl(data),
            written("POST", "https://domain.freshservice.com/api/v2/tickets")
        );
        let form = "curl -u k:X -F 'attachments[]=@/tmp/a.png' -F 'body=Hi' \
                    'https://domain.freshservice.com/api/v2/tickets/1/reply'";
        assert_eq!(
            parse_curl(form),
            written(
                "POST",
                "https://domain.freshservice.com/api/v2/tickets/1/reply"
            )
        );
        let plain = "curl -u k:X 'https://domain.freshservice.com/api/v2/tickets?page=2'";
        assert_eq!(
            parse_curl(plain),
            written(
                "GET",
                "https://domain.freshservice.com/api/v2/tickets?page=2"
            )
        );
        let get = "curl -G -d 'q=1' 'https://domain.freshservice.com/api/v2/tickets'";
        assert_eq!(
            parse_curl(get),
            written("GET", "https://domain.freshservice.com/api/v2/tickets")
        );
    }

    #[test]
    fn curl_broken_quoting_and_non_samples() {
        // The URL glued to the body's closing quote.
        let glued = "curl -u k:X -X POST -d '{ \"body\":\"x\" }''https://domain.freshservice.com/api/v2/tickets/141/reply'";
        assert_eq!(
            parse_curl(glued),
            written(
                "POST",
                "https://domain.freshservice.com/api/v2/tickets/141/reply"
            )
        );
        // The body's closing quote missing.
        let unbalanced = "curl -u k:X -X PUT -d '{ \"body\":\"x\" } 'https://domain.freshservice.com/api/v2/conversations/5'";
        assert_eq!(
            parse_curl(unbalanced),
            written(
                "PUT",
                "https://domain.freshservice.com/api/v2/conversations/5"
            )
        );
        // Closed with a typographic quote.
        let typographic =
            "curl -u k:X -X DELETE 'https://domain.freshservice.com/api/v2/products/7’";
        assert_eq!(
            parse_curl(typographic),
            written(
                "DELETE",
                "https://domain.freshservice.com/api/v2/products/7"
            )
        );
        // A URL inside the body is not the request URL.
        let body_url =
            "curl -X POST -d '{\"link\": \"https://x.freshservice.com/api/v2/tickets/9\"}' \
                        'https://domain.freshservice.com/api/v2/tickets'";
        assert_eq!(
            parse_curl(body_url),
            written("POST", "https://domain.freshservice.com/api/v2/tickets")
        );
        // Cut off before the URL; not a curl command; not the API.
        assert_eq!(parse_curl("curl -u k:X -X PUT -d '{ \"a\": 1 }'"), None);
        assert_eq!(
            parse_curl("the curl command to use is: https://d.freshservice.com/api/v2/x"),
            None
        );
        assert_eq!(
            parse_curl("curl -X GET 'https://example.com/file.png'"),
            None
        );
    }

    #[test]
    fn normalisation() {
        let restore = "/tickets/{}/restore";
        assert_eq!(normalise_path("/api/v2/tickets/[id]/restore"), restore);
        assert_eq!(
            normalise_path("https://domain.freshservice.com/api/v2/tickets/1/restore"),
            restore
        );
        assert_eq!(normalise_path("/tickets/{id}/restore"), restore);
        // Placeholder names do not matter.
        assert_eq!(
            normalise_path("/api/v2/tickets/[id]/tasks/[id]"),
            normalise_path("/tickets/{ticket_id}/tasks/{id}")
        );
        // Typos in placeholders.
        assert_eq!(
            normalise_path("/api/v2/projects/[project_id]/tasks/[id]]"),
            "/projects/{}/tasks/{}"
        );
        assert_eq!(
            normalise_path("/api/v2/tickets/id]/csat_response"),
            "/tickets/{}/csat_response"
        );
        assert_eq!(
            normalise_path("/api/v2/onboarding_requests/id"),
            "/onboarding_requests/{}"
        );
        assert_eq!(
            normalise_path("/api/v2/onboarding_requests/id/tickets"),
            "/onboarding_requests/{}/tickets"
        );
        // Slashes, query strings, missing leading slash.
        assert_eq!(
            normalise_path("https://domain.freshservice.com//api/v2/problems/1"),
            "/problems/{}"
        );
        assert_eq!(normalise_path("/api/v2/roles/"), "/roles");
        assert_eq!(normalise_path("api/v2/applications/"), "/applications");
        assert_eq!(
            normalise_path("/api/v2/tickets/filter?query=[query]"),
            "/tickets/filter"
        );
        assert_eq!(
            normalise_path("/api/v2/relationships?ids={ids}"),
            "/relationships"
        );
        assert_eq!(
            normalise_path("https://d.freshservice.com/api/v2/tickets?a=/b/1#x"),
            "/tickets"
        );
        // Names that merely contain `id` stay.
        assert_eq!(
            normalise_path("/api/v2/tickets/[id]/requested_items"),
            "/tickets/{}/requested_items"
        );
        assert_eq!(normalise_path("/api/v2"), "/");
        assert_eq!(
            normalise_path("/api/v2/jobs/25cf5d0b-b2cd-4224-9715-bd48cb89896d"),
            "/jobs/{}"
        );
        assert_eq!(
            normalise_path("/api/v2/relationships/bulk-create"),
            "/relationships/bulk-create"
        );
    }

    #[test]
    fn parse_documented_as() {
        assert_eq!(
            Endpoint::parse("GET /api/v2/tickets/[id]/restore"),
            Some(endpoint("GET", "/tickets/{}/restore"))
        );
        assert_eq!(
            Endpoint::parse("put  api/v2/contracts "),
            Some(endpoint("PUT", "/contracts"))
        );
        assert_eq!(Endpoint::parse("/api/v2/tickets"), None);
        assert_eq!(Endpoint::parse("GET"), None);
        assert_eq!(Endpoint::parse("GET /a /b"), None);
    }

    #[test]
    fn documented_operations_merge_lines() {
        let docs = "\
Restore a ticket
get /api/v2/tickets/[id]/restore
curl -v -u api_key:X -X PUT -d '' 'https://domain.freshservice.com/api/v2/tickets/1/restore'
View a ticket
get /api/v2/tickets/[id]
curl -v -u api_key:X -X GET 'https://domain.freshservice.com/api/v2/tickets/20?include=stats'
";
        let found = documented_operations(docs);
        let keys: Vec<String> = found.keys().map(ToString::to_string).collect();
        assert_eq!(
            keys,
            [
                "GET /tickets/{}",
                "GET /tickets/{}/restore",
                "PUT /tickets/{}/restore"
            ]
        );
        assert_eq!(found[&endpoint("GET", "/tickets/{}")].lines, [5, 6]);
        assert_eq!(found[&endpoint("PUT", "/tickets/{}/restore")].lines, [3]);
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /tickets/{id}:
    get:
      operationId: tickets_get
      responses: {'200': {description: ok}}
  /tickets/{id}/restore:
    put:
      operationId: tickets_restore
      description: "Documentation note: the endpoint line says GET."
      x-documented-as: ["GET /api/v2/tickets/[id]/restore", "GET /api/v2/tickets/[id]/undelete"]
      responses: {'204': {description: ok}}
"#;

    fn spec(text: &str) -> Result<Vec<SpecOperation>, String> {
        let document = codegen::load::load_str(text, Path::new("spec.yaml"))
            .map_err(|diagnostics| diagnostics.to_string())?;
        spec_operations(&document)
    }

    #[test]
    fn documented_as_matching() {
        let operations = spec(SPEC).expect("the test spec loads");
        assert_eq!(operations.len(), 2);
        assert_eq!(
            operations[1].endpoint,
            endpoint("PUT", "/tickets/{}/restore")
        );
        let docs = "\
get /api/v2/tickets/[id]
get /api/v2/tickets/[id]/restore
curl -X PUT -d '' 'https://domain.freshservice.com/api/v2/tickets/1/restore'
delete /api/v2/tickets/[id]
";
        let report = compare(&documented_operations(docs), &operations);
        assert_eq!((report.covered, report.total), (3, 4));
        assert!(!report.is_complete());
        let missing: Vec<String> = report.missing.iter().map(|(e, _)| e.to_string()).collect();
        assert_eq!(missing, ["DELETE /tickets/{}"]);
        assert_eq!(
            report.unused,
            [(
                "tickets_restore".to_owned(),
                "GET /api/v2/tickets/[id]/undelete".to_owned()
            )]
        );
        let text = report.to_string();
        assert!(text.starts_with(
            "missing: DELETE /tickets/{}  (docs line 4: DELETE /api/v2/tickets/[id])\n"
        ));
        assert!(text.ends_with("\ncovered 3/4"));

        // Without the extension, the GET form of restore is missing too.
        let plain: Vec<SpecOperation> = operations
            .into_iter()
            .map(|op| SpecOperation {
                documented_as: Vec::new(),
                ..op
            })
            .collect();
        let report = compare(&documented_operations(docs), &plain);
        assert_eq!((report.covered, report.total), (2, 4));
        assert!(report.unused.is_empty());
    }

    #[test]
    fn malformed_documented_as() {
        let not_a_list = SPEC.replace(
            r#"["GET /api/v2/tickets/[id]/restore", "GET /api/v2/tickets/[id]/undelete"]"#,
            r#""GET /api/v2/tickets/[id]/restore""#,
        );
        let error = spec(&not_a_list).expect_err("a string is not a list");
        assert!(error.contains("tickets_restore"), "{error}");
        let no_method = SPEC.replace(
            "GET /api/v2/tickets/[id]/undelete",
            "/api/v2/tickets/[id]/undelete",
        );
        let error = spec(&no_method).expect_err("an entry needs a method");
        assert!(error.contains("undelete"), "{error}");
    }

    const FRESHWORKS: &str = r#"
openapi: 3.0.0
info: {title: f, version: "2"}
paths:
  /api/v2/tickets/{ticket_id}:
    get:
      operationId: get-ticket
      responses: {'200': {description: ok}}
  /api/v2/tickets/{ticket_id}/restore:
    get:
      operationId: restore-ticket
      responses: {'200': {description: ok}}
  /api/v2/surveys/{survey_id}/activate:
    put:
      operationId: activate-survey
      responses: {'204': {description: ok}}
  /api/v2/problem/{problem_id}:
    delete:
      operationId: delete-problem
      responses: {'204': {description: ok}}
"#;

    fn described(text: &str) -> BTreeMap<Endpoint, Described> {
        let document = codegen::load::load_str(text, Path::new("freshworks.yml"))
            .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
        described_operations(&document).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn described_paths_are_normalised_whatever_their_placeholder_names() {
        let found = described(FRESHWORKS);
        let keys: Vec<String> = found.keys().map(ToString::to_string).collect();
        assert_eq!(
            keys,
            [
                "DELETE /problem/{}",
                "PUT /surveys/{}/activate",
                "GET /tickets/{}",
                "GET /tickets/{}/restore"
            ]
        );
        // `{ticket_id}` in one description and `{id}` in the other are the same endpoint.
        assert_eq!(
            Endpoint::new("get", "/api/v2/tickets/{ticket_id}"),
            Endpoint::new("GET", "/tickets/{id}")
        );
        // Its server URL, deeper templates and a trailing slash normalise the same way.
        assert_eq!(
            normalise_path(
                "https://api.freshservice.com/api/v2/catalog/item/{service_item_id}/fields/"
            ),
            "/catalog/item/{}/fields"
        );
        assert_eq!(
            Endpoint::new(
                "put",
                "/api/v2/assets/{display_id}/components/{component_id}"
            ),
            Endpoint::new("PUT", "/assets/{display_id}/components/{id}")
        );
        let activate = &found[&endpoint("PUT", "/surveys/{}/activate")];
        assert_eq!(activate.operation_id.as_deref(), Some("activate-survey"));
        assert_eq!(
            activate.written.path,
            "/api/v2/surveys/{survey_id}/activate"
        );
    }

    #[test]
    fn freshworks_coverage_counts_claims_and_marks() {
        let ours = SPEC.replace(
            "      responses: {'204': {description: ok}}\n",
            "      x-freshworks-as: [\"GET /api/v2/tickets/{ticket_id}/restore\", \"GET /api/v2/ticket/{id}/restore\"]\n      responses: {'204': {description: ok}}\n",
        ) + r#"  /surveys/{id}/activate:
    put:
      operationId: surveys_activate
      x-source: freshworks-sdk
      responses: {'204': {description: ok}}
  /surveys/{id}/results:
    get:
      operationId: surveys_results
      x-source: freshworks-sdk
      responses: {'200': {description: ok}}
"#;
        let operations = spec(&ours).expect("the test spec loads");
        assert_eq!(operations[2].source.as_deref(), Some(SOURCE_FRESHWORKS));
        let report = compare_freshworks(&described(FRESHWORKS), &operations);
        assert_eq!((report.covered, report.total), (3, 4));
        assert!(report.meets(3));
        assert!(!report.meets(4));
        let missing: Vec<String> = report.missing.iter().map(|(e, _)| e.to_string()).collect();
        assert_eq!(missing, ["DELETE /problem/{}"]);
        assert_eq!(
            report.unused,
            [(
                "tickets_restore".to_owned(),
                "GET /api/v2/ticket/{id}/restore".to_owned()
            )]
        );
        assert_eq!(
            report.unsourced,
            [(
                "surveys_results".to_owned(),
                endpoint("GET", "/surveys/{}/results")
            )]
        );
        let text = report.to_string();
        assert!(
            text.starts_with(
                "missing: DELETE /problem/{}  (Freshworks' description: DELETE /api/v2/problem/{problem_id}, delete-problem)\n"
            ),
            "{text}"
        );
        assert!(text.ends_with("\ncovered 3/4"), "{text}");

        // A marked operation that the docs name is reported there.
        let docs = "put /api/v2/surveys/[id]/activate\n";
        let report = compare(&documented_operations(docs), &operations);
        assert_eq!(
            report.marked_but_documented,
            [(
                "surveys_activate".to_owned(),
                endpoint("PUT", "/surveys/{}/activate")
            )]
        );
    }

    #[test]
    fn malformed_source_and_freshworks_as() {
        let not_a_string = SPEC.replace(
            "      operationId: tickets_get\n",
            "      operationId: tickets_get\n      x-source: [freshworks-sdk]\n",
        );
        let error = spec(&not_a_string).expect_err("x-source is a string");
        assert!(
            error.contains("tickets_get") && error.contains(SOURCE),
            "{error}"
        );
        let not_a_list = SPEC.replace(
            "      operationId: tickets_get\n",
            "      operationId: tickets_get\n      x-freshworks-as: \"GET /api/v2/ticket/{id}\"\n",
        );
        let error = spec(&not_a_list).expect_err("x-freshworks-as is a list");
        assert!(error.contains(FRESHWORKS_AS), "{error}");
    }

    /// Every operation of the project's spec marked `x-source` names a known source and says
    /// in a `Documentation note:` of its description that the public documentation lacks it.
    #[test]
    fn marked_operations_of_the_spec_say_where_they_come_from() {
        let document = codegen::load::load(&crate::default_spec())
            .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
        let mut marked = 0;
        for (path, item) in document.openapi.paths.paths.iter() {
            let item = item.as_item().expect("no $ref path items");
            for (method, operation) in item.iter() {
                let Some(source) = operation.extensions.get(SOURCE) else {
                    continue;
                };
                marked += 1;
                let name = format!("{method} {path}");
                assert_eq!(source.as_str(), Some(SOURCE_FRESHWORKS), "{name}");
                let description = operation.description.as_deref().unwrap_or_default();
                let note = description
                    .lines()
                    .find(|line| line.starts_with("Documentation note:"))
                    .unwrap_or_else(|| panic!("{name}: no `Documentation note:` line"));
                assert!(
                    note.contains("Freshworks' own description")
                        && note.contains("public API documentation does not list"),
                    "{name}: the note does not say where the operation comes from: {note}"
                );
            }
        }
        assert!(marked > 0, "the spec marks no operation");
    }
}
