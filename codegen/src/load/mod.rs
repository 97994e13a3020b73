//! Stage 1, load: YAML files → one JSON document → 3.1 forms rewritten to 3.0 → checked
//! `$ref`s → `openapiv3` types.
//!
//! A spec is a root file plus, optionally, fragment files: when the root has
//! `x-fragment-dir: DIR`, every `*.yaml` file in `DIR` (sorted by name) contributes its
//! `tags`, `paths` and `components` to the root. Every node keeps the file and line it came
//! from, so later stages can point at the source of a problem.

mod external;
mod fragments;
mod refs;
mod schema_check;
mod source_map;
mod typed;
mod v31;
mod walk;
mod yaml;

use std::path::Path;

use serde_json::Value;

pub use source_map::SourceMap;

use crate::diag::{Diagnostic, Diagnostics, Location};

/// A loaded spec: the merged JSON document, its typed form, and where each node came from.
#[derive(Debug)]
pub struct Document {
    /// The merged document as plain JSON (an OpenAPI 3.1 one with its 3.1 forms rewritten).
    pub json: Value,
    /// The merged document as `openapiv3` types.
    pub openapi: openapiv3::OpenAPI,
    /// Source positions for diagnostics.
    pub sources: SourceMap,
    /// Problems in the text the loader worked around (a key written twice: the last wins).
    pub warnings: Diagnostics,
}

impl Document {
    /// A diagnostic at `at`, located in the source where possible.
    pub fn diagnostic(&self, at: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(at, message).at(self.sources.locate(at))
    }
}

/// Loads the spec whose root file is `path`, with its fragments.
pub fn load(path: &Path) -> Result<Document, Diagnostics> {
    let mut sources = SourceMap::default();
    let mut json = read_yaml(path, &mut sources, 0)?;
    fragments::merge(path, &mut json, &mut sources)?;
    external::resolve(path, &mut json, &mut sources)?;
    finish(json, sources)
}

/// Loads a spec held in memory (tests, fuzzing); `name` labels diagnostics. Fragments are not
/// followed, since there is no directory to read them from.
pub fn load_str(text: &str, name: &Path) -> Result<Document, Diagnostics> {
    let mut sources = SourceMap::default();
    let parsed = yaml::parse(text, name).map_err(Diagnostics)?;
    let file = sources.add_file(name.to_path_buf());
    for (at, line) in parsed.lines {
        sources.insert(at, file, line);
    }
    for (at, line) in parsed.duplicates {
        sources.duplicate_key(at, file, line);
    }
    let json = parsed.value;
    if json.get(fragments::FRAGMENT_DIR_KEY).is_some() {
        return Err(Diagnostic::new(
            format!("#/{}", fragments::FRAGMENT_DIR_KEY),
            "fragments can only be loaded from a file on disk",
        )
        .at(sources.locate("#"))
        .into());
    }
    finish(json, sources)
}

/// `path` with `.` and `..` resolved lexically (the file need not exist).
pub(crate) fn normalize(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// How deeply a document may nest (mappings and lists). Real descriptions stay under 25;
/// reading a node into `openapiv3` types costs stack for every level, so a deeper document is
/// refused rather than risking a stack overflow.
pub const MAX_DOCUMENT_DEPTH: usize = 40;

/// Checks the depth and the references of a merged document and reads it into `openapiv3`
/// types.
///
/// An OpenAPI 3.1 document is first rewritten into 3.0 forms (see [`v31`]).
fn finish(mut json: Value, mut sources: SourceMap) -> Result<Document, Diagnostics> {
    if let Some(path) = too_deep(&json, MAX_DOCUMENT_DEPTH) {
        let at = path.iter().rev().fold("#".to_owned(), |at, key| {
            crate::diag::pointer::join(&at, key)
        });
        return Err(Diagnostic::new(
            &at,
            format!("the document nests more than {MAX_DOCUMENT_DEPTH} levels deep here"),
        )
        .at(sources.locate(&at))
        .into());
    }
    v31::downgrade(&mut json, &sources)?;
    refs::check(&json, &sources)?;
    refs::inline_deep_references(&mut json);
    schema_check::check(&json, &sources)?;
    let openapi = typed::deserialize(&json, &sources)?;
    let warnings = sources.take_warnings();
    Ok(Document {
        json,
        openapi,
        sources,
        warnings,
    })
}

/// The path (innermost key first) to the first node more than `budget` levels below `node`.
fn too_deep(node: &Value, budget: usize) -> Option<Vec<String>> {
    let mut children: Box<dyn Iterator<Item = (String, &Value)>> = match node {
        Value::Object(object) => Box::new(object.iter().map(|(k, v)| (k.clone(), v))),
        Value::Array(items) => Box::new(items.iter().enumerate().map(|(i, v)| (i.to_string(), v))),
        _ => return None,
    };
    if budget == 0 {
        return children.next().map(|(key, _)| vec![key]);
    }
    children.find_map(|(key, child)| {
        too_deep(child, budget - 1).map(|mut path| {
            path.push(key);
            path
        })
    })
}

/// Reads and parses one YAML file, registering its lines; `index_shift` moves array indexes
/// of the top-level `tags` list (used when a fragment's tags are appended to the root's).
fn read_yaml(
    path: &Path,
    sources: &mut SourceMap,
    index_shift: usize,
) -> Result<Value, Diagnostics> {
    let parsed = parse_file(path)?;
    Ok(register(parsed, path, sources, index_shift))
}

/// Reads and parses one YAML file. Touches no shared state, so files can be parsed on several
/// threads at once.
fn parse_file(path: &Path) -> Result<yaml::ParsedYaml, Diagnostics> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Diagnostic::new("#", format!("cannot read the spec file: {error}")).at(Some(Location {
            file: path.to_path_buf(),
            line: 1,
        }))
    })?;
    yaml::parse(&text, path).map_err(Diagnostics)
}

/// Registers the lines of a parsed file (see [`read_yaml`]) and returns its value.
fn register(
    parsed: yaml::ParsedYaml,
    path: &Path,
    sources: &mut SourceMap,
    index_shift: usize,
) -> Value {
    let file = sources.add_file(path.to_path_buf());
    for (at, line) in parsed.lines {
        let at = fragments::shift_tag_index(&at, index_shift);
        sources.insert(at, file, line);
    }
    for (at, line) in parsed.duplicates {
        let at = fragments::shift_tag_index(&at, index_shift);
        sources.duplicate_key(at, file, line);
    }
    parsed.value
}
