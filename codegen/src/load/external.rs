//! References into other files (`$ref: ./schemas/pet.yaml#/Pet`, `$ref: common.yaml`): a
//! description split over several files becomes one document.
//!
//! A referenced schema is copied into `components/schemas` under the last token of its
//! pointer (or the file's stem), numbered if that name is taken, and the reference points
//! there, so schemas that refer to each other, or to themselves, stay references. Anything
//! else (a parameter, a response, a path item) is copied in place of the reference. Local
//! references inside a copied node are relative to its file and are rewritten to say so;
//! the copies keep the file and lines they came from for diagnostics. References to other
//! hosts (`https://...`) are left for the reference check to refuse.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::refs::Node;
use super::{parse_file, walk, yaml, SourceMap};
use crate::diag::{pointer, Diagnostic, Diagnostics};

/// How many rounds of resolution may run: a copied node can hold references of its own.
const MAX_ROUNDS: usize = 64;

/// Replaces every reference into another file by a component reference or a copy.
pub fn resolve(
    root_path: &Path,
    root: &mut Value,
    sources: &mut SourceMap,
) -> Result<(), Diagnostics> {
    let mut files: HashMap<PathBuf, Result<yaml::ParsedYaml, Diagnostics>> = HashMap::new();
    // `file#pointer` → the component name its schema was copied to.
    let mut hoisted: BTreeMap<String, String> = BTreeMap::new();
    let root_dir = root_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    for _ in 0..MAX_ROUNDS {
        let mut found = Vec::new();
        collect(root, "#", Node::Structure, &mut found);
        if found.is_empty() {
            return Ok(());
        }
        let roots = walk::schema_roots(root);
        let mut diagnostics = Diagnostics::default();
        for (at, reference) in found {
            let base = sources
                .locate(&at)
                .and_then(|location| location.file.parent().map(Path::to_path_buf))
                .unwrap_or_else(|| root_dir.clone());
            let (file, target) = split(&reference, &base);
            let key = format!("{}#{target}", file.display());
            let here = pointer::join(&at, "$ref");
            let parsed = files
                .entry(file.clone())
                .or_insert_with(|| parse_file(&file));
            let parsed = match parsed {
                Ok(parsed) => parsed,
                Err(problems) => {
                    diagnostics.push(
                        Diagnostic::new(
                            &here,
                            format!("`$ref: {reference}` names a file that does not load ({} problems there)", problems.0.len()),
                        )
                        .at(sources.locate(&here)),
                    );
                    diagnostics.extend(problems.clone());
                    continue;
                }
            };
            let Some(node) = parsed.value.pointer(&target).cloned() else {
                diagnostics.push(
                    Diagnostic::new(
                        &here,
                        format!(
                            "`$ref: {reference}` points at nothing in {}",
                            file.display()
                        ),
                    )
                    .at(sources.locate(&here)),
                );
                continue;
            };
            let mut copy = node;
            absolutize(&mut copy, &file, Node::Structure);
            let in_schema = roots
                .iter()
                .any(|root_at| at == *root_at || at.starts_with(&format!("{root_at}/")));
            let replacement = if in_schema {
                let name = match hoisted.get(&key) {
                    Some(name) => name.clone(),
                    None => {
                        let name = free_name(root, &target, &file);
                        let new_at = pointer::join("#/components/schemas", &name);
                        register_lines(sources, &file, parsed, &target, &new_at);
                        insert_schema(root, &name, copy);
                        hoisted.insert(key, name.clone());
                        name
                    }
                };
                serde_json::json!({ "$ref": format!("#/components/schemas/{}", pointer::escape(&name)) })
            } else {
                register_lines(sources, &file, parsed, &target, &at);
                copy
            };
            if let Some(slot) = at.strip_prefix('#').and_then(|at| root.pointer_mut(at)) {
                *slot = replacement;
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
    }
    Err(Diagnostic::new(
        "#",
        format!("references into other files still remain after {MAX_ROUNDS} rounds"),
    )
    .into())
}

/// The file and the JSON pointer (without `#`) a reference names, the file resolved against
/// `base` unless it is absolute.
fn split(reference: &str, base: &Path) -> (PathBuf, String) {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let path = Path::new(file);
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    // Absolute, so that a reference copied out of this file still names it from anywhere.
    let absolute = std::path::absolute(&joined).unwrap_or(joined);
    (crate::load::normalize(&absolute), fragment.to_owned())
}

/// Whether `reference` names another file on disk (not this document, not another host).
fn is_file_reference(reference: &str) -> bool {
    !reference.starts_with('#') && !reference.contains("://")
}

/// The (pointer of the node, reference) of every reference into another file, skipping
/// example data and reading `properties` keys as names.
fn collect(node: &Value, at: &str, kind: Node, found: &mut Vec<(String, String)>) {
    match node {
        Value::Object(object) => {
            if kind == Node::Structure {
                if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                    if is_file_reference(reference) {
                        found.push((at.to_owned(), reference.to_owned()));
                        return;
                    }
                }
            }
            for (key, child) in object {
                if let Some(child_kind) = kind.child(key, child) {
                    collect(child, &pointer::join(at, key), child_kind, found);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect(
                    child,
                    &pointer::join(at, &i.to_string()),
                    Node::Structure,
                    found,
                );
            }
        }
        _ => {}
    }
}

/// Rewrites the references inside a node copied from `file` so that they say which file they
/// mean: `#/X` becomes `<file>#/X`, `other.yaml#/Y` becomes `<dir of file>/other.yaml#/Y`.
fn absolutize(node: &mut Value, file: &Path, kind: Node) {
    match node {
        Value::Object(object) => {
            if kind == Node::Structure {
                if let Some(Value::String(reference)) = object.get_mut("$ref") {
                    if let Some(fragment) = reference.strip_prefix('#') {
                        *reference = format!("{}#{fragment}", file.display());
                    } else if is_file_reference(reference) {
                        let base = file.parent().unwrap_or(Path::new("."));
                        let (target, fragment) = split(reference, base);
                        *reference = format!("{}#{fragment}", target.display());
                    }
                }
            }
            for (key, child) in object.iter_mut() {
                if let Some(child_kind) = kind.child(key, child) {
                    absolutize(child, file, child_kind);
                }
            }
        }
        Value::Array(items) => {
            for child in items {
                absolutize(child, file, Node::Structure);
            }
        }
        _ => {}
    }
}

/// A component schema name for the schema at `target` of `file`: the pointer's last token,
/// else the file's stem, numbered when taken.
fn free_name(root: &Value, target: &str, file: &Path) -> String {
    let last = target
        .rsplit('/')
        .next()
        .filter(|token| !token.is_empty())
        .map(|token| token.replace("~1", "/").replace("~0", "~"));
    let stem = file
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "External".to_owned());
    let base = last.unwrap_or(stem);
    let taken = |name: &str| {
        root.pointer(&format!("/components/schemas/{}", pointer::escape(name)))
            .is_some()
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|name| !taken(name))
        .unwrap_or(base)
}

/// Adds `schema` as `components/schemas/<name>`.
fn insert_schema(root: &mut Value, name: &str, schema: Value) {
    let Some(object) = root.as_object_mut() else {
        return;
    };
    let components = object
        .entry("components")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    let Some(components) = components.as_object_mut() else {
        return;
    };
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(serde_json::Map::new()));
    if let Some(schemas) = schemas.as_object_mut() {
        schemas.insert(name.to_owned(), schema);
    }
}

/// Records the lines of the node at `target` of `file` as the lines of its copy at `at`.
fn register_lines(
    sources: &mut SourceMap,
    file: &Path,
    parsed: &yaml::ParsedYaml,
    target: &str,
    at: &str,
) {
    let index = sources.add_file(file.to_path_buf());
    let prefix = format!("#{target}");
    for (node, line) in &parsed.lines {
        if let Some(rest) = node.strip_prefix(&prefix) {
            if rest.is_empty() || rest.starts_with('/') {
                sources.insert(format!("{at}{rest}"), index, *line);
            }
        }
    }
}
