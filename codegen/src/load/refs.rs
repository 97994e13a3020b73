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
pub(super) enum Node {
    /// OpenAPI or schema structure, where a `$ref` key is a reference.
    Structure,
    /// A schema's `properties` (or `patternProperties`): its keys are property names, so a
    /// property called `$ref` (as in SCIM or Kubernetes schemas) is a property.
    Names,
}

impl Node {
    /// What the value under `key` of an object of this kind is; `None` when no reference
    /// can be in it: `example(s)` hold literal data, where `$ref` is just a key.
    pub(super) fn child(self, key: &str, child: &Value) -> Option<Node> {
        Some(match (self, key) {
            (Node::Names, _) => Node::Structure,
            (_, "$ref" | "example" | "examples") => return None,
            (_, "properties" | "patternProperties") if is_schema_map(child) => Node::Names,
            _ => Node::Structure,
        })
    }
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
                let Some(child_kind) = kind.child(key, child) else {
                    continue;
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

/// How many rounds of inlining may run: a copied node can hold references of its own.
const INLINE_ROUNDS: usize = 8;

/// Replaces every `$ref` that points anywhere but at a whole component
/// (`#/components/schemas/Tag/allOf/0`, `#/paths/~1x/get/parameters/0`) by a copy of what it
/// points at, so that later stages only meet component references. A reference to a node
/// that contains it (a recursion through a deep pointer) is left alone, and lowering reports
/// it. Runs after [`check`], so every reference resolves and no chain of them loops.
pub fn inline_deep_references(root: &mut Value) {
    for _ in 0..INLINE_ROUNDS {
        let mut found = Vec::new();
        deep_references(root, "#", Node::Structure, &mut found);
        let mut changed = false;
        for (at, target) in found {
            let Some(path) = target.strip_prefix('#') else {
                continue;
            };
            // Never copy a node into itself.
            if at == target || at.starts_with(&format!("{target}/")) {
                continue;
            }
            let Some(copy) = root.pointer(&percent_decode(path)).cloned() else {
                continue;
            };
            if let Some(node) = at.strip_prefix('#').and_then(|at| root.pointer_mut(at)) {
                *node = copy;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

/// Whether `reference` names a whole component (`#/components/<kind>/<name>`).
fn is_component_reference(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .is_some_and(|rest| rest.split('/').count() == 2)
}

/// The (pointer of the node, target) of every local reference that is not to a component.
fn deep_references(node: &Value, at: &str, kind: Node, found: &mut Vec<(String, String)>) {
    match node {
        Value::Object(object) => {
            if kind == Node::Structure {
                if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                    if reference.starts_with('#') && !is_component_reference(reference) {
                        found.push((at.to_owned(), reference.to_owned()));
                        return;
                    }
                }
            }
            for (key, child) in object {
                let Some(child_kind) = kind.child(key, child) else {
                    continue;
                };
                deep_references(child, &pointer::join(at, key), child_kind, found);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                deep_references(
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_references_become_copies_and_component_ones_stay() {
        let mut doc = json!({
            "components": {
                "schemas": {
                    "Tag": { "allOf": [ { "type": "string" } ] },
                    "Pet": { "properties": {
                        "tag": { "$ref": "#/components/schemas/Tag/allOf/0" },
                        "other": { "$ref": "#/components/schemas/Tag" },
                        "$ref": { "type": "string" },
                        "me": { "$ref": "#/components/schemas/Pet" }
                    } },
                    "Tree": { "properties": { "kids": { "items": { "$ref": "#/components/schemas/Tree/properties/kids" } } } }
                }
            }
        });
        inline_deep_references(&mut doc);
        let pet = &doc["components"]["schemas"]["Pet"]["properties"];
        assert_eq!(pet["tag"], json!({ "type": "string" }));
        assert_eq!(pet["other"], json!({ "$ref": "#/components/schemas/Tag" }));
        assert_eq!(
            pet["$ref"],
            json!({ "type": "string" }),
            "a property, not a reference"
        );
        let kids = &doc["components"]["schemas"]["Tree"]["properties"]["kids"]["items"];
        assert_eq!(
            kids,
            &json!({ "$ref": "#/components/schemas/Tree/properties/kids" }),
            "a reference to a node that contains it stays"
        );
    }
}
