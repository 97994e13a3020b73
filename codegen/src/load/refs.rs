//! `$ref` checks: every reference is local, points at something, and no chain of references
//! loops back on itself.

use std::collections::BTreeSet;

use serde_json::Value;

use super::SourceMap;
use crate::diag::{pointer, Diagnostic, Diagnostics};

/// Checks every `$ref` in the document.
pub fn check(root: &Value, sources: &SourceMap) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    walk(root, root, "#", Node::Structure, sources, &mut diagnostics);
    diagnostics.into_result(())
}

/// What an object in the document is, for telling a reference from a name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Node {
    /// OpenAPI or schema structure, where a `$ref` key is a reference.
    Structure,
    /// A schema's `properties` (or `patternProperties`): its keys are property names, so a
    /// property called `$ref` (as in SCIM or Kubernetes schemas) is a property.
    Names,
}

fn walk(
    root: &Value,
    node: &Value,
    at: &str,
    kind: Node,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) {
    match node {
        Value::Object(object) => {
            if kind == Node::Structure {
                if let Some(reference) = object.get("$ref") {
                    check_ref(root, reference, at, sources, diagnostics);
                }
            }
            for (key, child) in object {
                let child_kind = match (kind, key.as_str()) {
                    (Node::Names, _) => Node::Structure,
                    // `example(s)` hold literal data, where `$ref` is just a key.
                    (_, "$ref" | "example" | "examples") => continue,
                    (_, "properties" | "patternProperties") if is_schema_map(child) => Node::Names,
                    _ => Node::Structure,
                };
                let child_at = pointer::join(at, key);
                walk(root, child, &child_at, child_kind, sources, diagnostics);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let child_at = pointer::join(at, &i.to_string());
                walk(
                    root,
                    child,
                    &child_at,
                    Node::Structure,
                    sources,
                    diagnostics,
                );
            }
        }
        _ => {}
    }
}

/// Whether `node` is a map of names to schemas (every value an object or a boolean schema).
fn is_schema_map(node: &Value) -> bool {
    node.as_object()
        .is_some_and(|map| map.values().all(|v| v.is_object() || v.is_boolean()))
}

fn check_ref(
    root: &Value,
    reference: &Value,
    at: &str,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) {
    let here = pointer::join(at, "$ref");
    let report = |message: String| Diagnostic::new(&here, message).at(sources.locate(&here));
    let Some(target) = reference.as_str() else {
        diagnostics.push(report("`$ref` must be a string".to_owned()));
        return;
    };
    // Follow the chain of references until a node that is not itself a reference.
    let mut seen = BTreeSet::new();
    let mut current = target.to_owned();
    loop {
        if !seen.insert(current.clone()) {
            diagnostics.push(report(format!(
                "`$ref` chain starting at `{target}` loops back to `{current}`"
            )));
            return;
        }
        let node = match resolve(root, &current) {
            Ok(node) => node,
            Err(message) => {
                diagnostics.push(report(if current == target {
                    message
                } else {
                    format!("{message} (reached through `{target}`)")
                }));
                return;
            }
        };
        match node.get("$ref").and_then(Value::as_str) {
            Some(next) => current = next.to_owned(),
            None => return,
        }
    }
}

/// Finds the node a local `$ref` names.
pub fn resolve<'a>(root: &'a Value, reference: &str) -> Result<&'a Value, String> {
    let Some(path) = reference.strip_prefix('#') else {
        return Err(format!(
            "`$ref: {reference}` points outside this document; only local references (`#/...`) are supported"
        ));
    };
    let decoded = percent_decode(path);
    root.pointer(&decoded)
        .ok_or_else(|| format!("`$ref: {reference}` points at nothing"))
}

/// Decodes `%XX` escapes, which JSON references may use in URI fragments.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(high * 16 + low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}
