//! OpenAPI 3.1 input: a pre-pass that rewrites the 3.1 forms of a document into their 3.0
//! equivalents, so that the rest of the pipeline (and `openapiv3`) reads one dialect.
//!
//! The pass walks only the places where schemas live (components, parameters, headers, media
//! types, nested schema keywords), so a property that happens to be called `type` or `const`
//! is never mistaken for a keyword. What it rewrites:
//!
//! - `type: [T, "null"]` → `type: T` with `nullable: true`; `type: "null"` → `nullable: true`;
//!   several non-null types → `anyOf` of one schema per type;
//! - `anyOf`/`oneOf` members that only allow `null` → dropped, the schema becomes nullable;
//! - `const: v` → `enum: [v]` (with the type inferred from `v` when none is given);
//! - `examples: [...]` → `example` (the first one);
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with the 3.0 flag;
//! - `contentEncoding: base64` → `format: byte`, `contentMediaType` → `format: binary`;
//! - boolean schemas: `true` → `{}`, a `false` property is dropped;
//! - `prefixItems` (tuples) → an array of any JSON value; `patternProperties` → additional
//!   properties of any JSON value;
//! - path items defined in `components/pathItems` and referenced from `paths` are inlined.
//!
//! Keywords that only validate (`if`/`then`/`else`, `dependentRequired`, `contains`,
//! `unevaluatedProperties`, `$comment`, ...) are left for `openapiv3` to ignore. What cannot be
//! expressed (`$dynamicRef`, a `false` schema where a value is expected, several types next
//! to a composition) is a diagnostic naming the keyword and where it is written. OpenAPI 3.0
//! forms that a 3.1 document keeps using (`nullable`, boolean `exclusiveMinimum`) are accepted
//! as they are, since real descriptions mix the two.

use serde_json::{Map, Value};

use super::{walk, SourceMap};
use crate::diag::{pointer, Diagnostic, Diagnostics};

/// Schema keywords that only apply to one instance type, moved into the per-type member when a
/// `type` list is split into `anyOf`.
const TYPE_KEYWORDS: [(&str, &[&str]); 6] = [
    (
        "string",
        &["format", "pattern", "minLength", "maxLength", "enum"],
    ),
    (
        "integer",
        &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "enum",
        ],
    ),
    (
        "number",
        &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "enum",
        ],
    ),
    ("boolean", &["enum"]),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// Whether `json` declares an OpenAPI 3.1 document.
pub fn is_v31(json: &Value) -> bool {
    json.get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|version| version.starts_with("3.1."))
}

/// Rewrites a 3.1 document in place into 3.0 forms; does nothing to other versions.
pub fn downgrade(json: &mut Value, sources: &SourceMap) -> Result<(), Diagnostics> {
    if !is_v31(json) {
        return Ok(());
    }
    let mut pass = Pass {
        sources,
        diagnostics: Diagnostics::default(),
    };
    pass.inline_path_items(json);
    add_missing_responses(json);
    for at in walk::schema_roots(json) {
        if let Some(schema) = walk::node_mut(json, &at) {
            pass.schema(schema, &at);
        }
    }
    pass.diagnostics.into_result(())
}

/// 3.1 makes an operation's `responses` optional; 3.0 requires them. An operation without
/// them gets an empty map: it returns nothing the description describes.
fn add_missing_responses(json: &mut Value) {
    let Some(paths) = json.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for (method, operation) in item.iter_mut() {
            let is_operation = matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            );
            if let Some(operation) = operation.as_object_mut().filter(|_| is_operation) {
                operation
                    .entry("responses")
                    .or_insert_with(|| Value::Object(serde_json::Map::new()));
            }
        }
    }
}

/// The rewriting walk and the problems it found.
struct Pass<'s> {
    sources: &'s SourceMap,
    diagnostics: Diagnostics,
}

impl Pass<'_> {
    fn report(&mut self, at: &str, message: impl Into<String>) {
        let diagnostic = Diagnostic::new(at, message).at(self.sources.locate(at));
        self.diagnostics.push(diagnostic);
    }

    /// Replaces `paths` entries of the form `$ref: '#/components/pathItems/<name>'` with the
    /// item they name, then drops `components/pathItems`, which 3.0 does not know.
    fn inline_path_items(&mut self, json: &mut Value) {
        let items = json
            .get_mut("components")
            .and_then(Value::as_object_mut)
            .and_then(|components| components.shift_remove("pathItems"));
        let Some(items) = items else {
            return;
        };
        let Some(items) = items.as_object() else {
            self.report(
                "#/components/pathItems",
                "`components/pathItems` must be a mapping",
            );
            return;
        };
        let Some(paths) = json.get_mut("paths").and_then(Value::as_object_mut) else {
            return;
        };
        for (path, item) in paths.iter_mut() {
            let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let Some(name) = reference.strip_prefix("#/components/pathItems/") else {
                continue;
            };
            match items.get(name) {
                Some(target) if target.get("$ref").is_none() => *item = target.clone(),
                _ => {
                    let at = pointer::join(&pointer::join("#/paths", path), "$ref");
                    self.report(
                        &at,
                        format!("`$ref: {reference}` must name a path item defined inline in `components/pathItems`"),
                    );
                }
            }
        }
    }

    /// Rewrites one schema and, recursively, the schemas inside it.
    fn schema(&mut self, schema: &mut Value, at: &str) {
        match schema {
            Value::Bool(true) => {
                *schema = Value::Object(Map::new());
                return;
            }
            Value::Bool(false) => {
                self.report(
                    at,
                    "the schema `false` (no value is valid) is not supported here",
                );
                return;
            }
            _ => {}
        }
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        for keyword in ["$dynamicRef", "$recursiveRef"] {
            if object.contains_key(keyword) {
                self.report(
                    &pointer::join(at, keyword),
                    format!("`{keyword}` is not supported; use `$ref` to a component schema"),
                );
            }
        }
        if object.contains_key("$ref") {
            // 3.1 allows siblings next to `$ref` (`description`, ...); they only annotate.
            return;
        }
        self.nested(object, at);
        self.keywords(object);
        self.type_list(object, at);
        drop_null_members(object);
    }

    /// The schemas nested in a schema's keywords.
    fn nested(&mut self, object: &mut Map<String, Value>, at: &str) {
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            let properties_at = pointer::join(at, "properties");
            let never: Vec<String> = properties
                .iter()
                .filter(|(_, property)| **property == Value::Bool(false))
                .map(|(name, _)| name.clone())
                .collect();
            for name in &never {
                properties.shift_remove(name);
            }
            for (name, property) in properties.iter_mut() {
                self.schema(property, &pointer::join(&properties_at, name));
            }
            if let Some(Value::Array(required)) = object.get_mut("required") {
                required.retain(|name| !never.iter().any(|n| Some(n.as_str()) == name.as_str()));
            }
        }
        if let Some(items) = object.get_mut("items") {
            self.schema(items, &pointer::join(at, "items"));
        }
        if let Some(additional) = object.get_mut("additionalProperties") {
            if !additional.is_boolean() {
                self.schema(additional, &pointer::join(at, "additionalProperties"));
            }
        }
        if let Some(not) = object.get_mut("not") {
            self.schema(not, &pointer::join(at, "not"));
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = object.get_mut(keyword) {
                let list_at = pointer::join(at, keyword);
                for (i, member) in members.iter_mut().enumerate() {
                    self.schema(member, &pointer::join(&list_at, &i.to_string()));
                }
            }
        }
    }

    /// The single-keyword rewrites: `const`, `examples`, exclusive bounds, content keywords,
    /// tuples and pattern properties.
    fn keywords(&mut self, object: &mut Map<String, Value>) {
        if let Some(value) = object.shift_remove("const") {
            if !object.contains_key("enum") {
                if !object.contains_key("type") {
                    match type_of(&value) {
                        Some("null") => {
                            object.insert("nullable".to_owned(), Value::Bool(true));
                        }
                        Some(name) => {
                            object.insert("type".to_owned(), Value::from(name));
                        }
                        None => {}
                    }
                }
                object.insert("enum".to_owned(), Value::Array(vec![value]));
            }
        }
        if let Some(examples) = object.shift_remove("examples") {
            if !object.contains_key("example") {
                if let Some(first) = examples.as_array().and_then(|list| list.first()) {
                    object.insert("example".to_owned(), first.clone());
                }
            }
        }
        for (exclusive, bound, tighter) in [
            ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
            ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
        ] {
            let Some(limit) = object.get(exclusive).filter(|v| v.is_number()).cloned() else {
                continue;
            };
            let replaces = match object.get(bound).and_then(Value::as_f64) {
                None => true,
                Some(current) => limit
                    .as_f64()
                    .and_then(|limit| limit.partial_cmp(&current))
                    .is_some_and(|order| order == tighter || order.is_eq()),
            };
            if replaces {
                object.insert(bound.to_owned(), limit);
                object.insert(exclusive.to_owned(), Value::Bool(true));
            } else {
                object.shift_remove(exclusive);
            }
        }
        let encoding = object.shift_remove("contentEncoding");
        let media = object.shift_remove("contentMediaType");
        object.shift_remove("contentSchema");
        if !object.contains_key("format") {
            let format = match (&encoding, &media) {
                (Some(encoding), _) if encoding.as_str() == Some("base64") => Some("byte"),
                (None, Some(_)) => Some("binary"),
                _ => None,
            };
            if let Some(format) = format {
                object.insert("format".to_owned(), Value::from(format));
            }
        }
        if object.shift_remove("prefixItems").is_some() && !object.contains_key("items") {
            object.insert("items".to_owned(), Value::Object(Map::new()));
        }
        if object.shift_remove("patternProperties").is_some()
            && !object.contains_key("additionalProperties")
        {
            object.insert("additionalProperties".to_owned(), Value::Bool(true));
        }
    }

    /// `type` as a list (or `"null"`): one type plus `nullable`, or `anyOf` of one schema per
    /// type.
    fn type_list(&mut self, object: &mut Map<String, Value>, at: &str) {
        let types: Vec<Value> = match object.get("type") {
            Some(Value::Array(types)) => types.clone(),
            Some(Value::String(name)) if name == "null" => vec![Value::from("null")],
            _ => return,
        };
        let type_at = pointer::join(at, "type");
        let mut names = Vec::new();
        for (i, name) in types.iter().enumerate() {
            match name.as_str() {
                Some(name) if !names.contains(&name) => names.push(name),
                Some(_) => {}
                None => {
                    self.report(
                        &pointer::join(&type_at, &i.to_string()),
                        "a `type` list may only hold type names",
                    );
                    return;
                }
            }
        }
        let nullable = names.contains(&"null");
        names.retain(|name| *name != "null");
        if nullable {
            object.insert("nullable".to_owned(), Value::Bool(true));
        }
        match names.as_slice() {
            [] => {
                object.shift_remove("type");
            }
            [single] => {
                object.insert("type".to_owned(), Value::from(*single));
            }
            several => {
                if ["allOf", "oneOf", "anyOf"]
                    .iter()
                    .any(|k| object.contains_key(*k))
                {
                    self.report(
                        &type_at,
                        "a `type` list with several types next to `allOf`/`oneOf`/`anyOf` is not supported",
                    );
                    return;
                }
                let members = several
                    .iter()
                    .map(|name| Value::Object(member_of_type(object, name)))
                    .collect();
                for (_, keywords) in TYPE_KEYWORDS {
                    for keyword in keywords {
                        object.shift_remove(*keyword);
                    }
                }
                object.shift_remove("type");
                object.insert("anyOf".to_owned(), Value::Array(members));
            }
        }
    }
}

/// The schema of one type of a `type` list: that type, titled with its name, and the
/// keywords of `object` that apply to it (an `enum` keeps only values of that type).
fn member_of_type(object: &Map<String, Value>, name: &str) -> Map<String, Value> {
    let mut member = Map::new();
    member.insert("type".to_owned(), Value::from(name));
    member.insert("title".to_owned(), Value::from(name));
    let keywords = TYPE_KEYWORDS
        .iter()
        .find(|(type_name, _)| *type_name == name)
        .map_or(&[][..], |(_, keywords)| *keywords);
    for keyword in keywords {
        let Some(value) = object.get(*keyword) else {
            continue;
        };
        let value = match (keyword, value) {
            (&"enum", Value::Array(values)) => {
                let kept: Vec<Value> = values
                    .iter()
                    .filter(|v| type_of(v) == Some(name) || (name == "number" && v.is_number()))
                    .cloned()
                    .collect();
                if kept.is_empty() {
                    continue;
                }
                Value::Array(kept)
            }
            _ => value.clone(),
        };
        member.insert((*keyword).to_owned(), value);
    }
    member
}

/// Removes `anyOf`/`oneOf` members that allow only `null`, making the schema nullable.
fn drop_null_members(object: &mut Map<String, Value>) {
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = object.get_mut(keyword) else {
            continue;
        };
        let before = members.len();
        members.retain(|member| !only_null(member));
        if members.len() == before {
            continue;
        }
        if members.is_empty() {
            object.shift_remove(keyword);
        }
        object.insert("nullable".to_owned(), Value::Bool(true));
    }
}

/// Whether a (rewritten) schema allows nothing but `null`: `{nullable: true}` with no other
/// constraint, or `enum: [null]`.
fn only_null(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    let null_enum = object
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| values.len() == 1 && values[0].is_null());
    let nullable = object.get("nullable") == Some(&Value::Bool(true));
    let annotations = ["nullable", "description", "title", "enum", "example"];
    (nullable || null_enum) && object.keys().all(|k| annotations.contains(&k.as_str()))
}

/// The JSON Schema type name of a value.
fn type_of(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) | Value::Object(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn downgraded(schema: Value) -> Result<Value, Diagnostics> {
        let mut document = json!({
            "openapi": "3.1.0",
            "components": { "schemas": { "S": schema } },
        });
        downgrade(&mut document, &SourceMap::default())?;
        Ok(document["components"]["schemas"]["S"].clone())
    }

    #[test]
    fn type_lists_become_nullable_types() {
        let schema = downgraded(json!({ "type": ["string", "null"], "maxLength": 3 })).unwrap();
        assert_eq!(
            schema,
            json!({ "type": "string", "maxLength": 3, "nullable": true })
        );
        let schema = downgraded(json!({ "type": "null" })).unwrap();
        assert_eq!(schema, json!({ "nullable": true }));
    }

    #[test]
    fn several_types_become_any_of() {
        let schema = downgraded(json!({
            "description": "Either.",
            "type": ["integer", "string", "null"],
            "enum": [1, "a", null],
            "maxLength": 2,
        }))
        .unwrap();
        assert_eq!(
            schema,
            json!({
                "description": "Either.",
                "nullable": true,
                "anyOf": [
                    { "type": "integer", "title": "integer", "enum": [1] },
                    { "type": "string", "title": "string", "maxLength": 2, "enum": ["a"] },
                ],
            })
        );
    }

    #[test]
    fn const_examples_and_exclusive_bounds() {
        let schema = downgraded(json!({
            "type": "object",
            "properties": {
                "kind": { "const": "cat" },
                "age": { "type": "integer", "exclusiveMinimum": 0, "minimum": -5 },
                "size": { "type": "number", "exclusiveMaximum": 10, "maximum": 3 },
                "note": { "type": "string", "examples": ["a", "b"] },
                "blob": { "type": "string", "contentMediaType": "image/png" },
                "never": false,
                "anything": true,
            },
            "required": ["kind", "never"],
        }))
        .unwrap();
        assert_eq!(
            schema["properties"]["kind"],
            json!({ "type": "string", "enum": ["cat"] })
        );
        assert_eq!(
            schema["properties"]["age"],
            json!({ "type": "integer", "minimum": 0, "exclusiveMinimum": true })
        );
        assert_eq!(
            schema["properties"]["size"],
            json!({ "type": "number", "maximum": 3 })
        );
        assert_eq!(
            schema["properties"]["note"],
            json!({ "type": "string", "example": "a" })
        );
        assert_eq!(schema["properties"]["blob"]["format"], "binary");
        assert_eq!(schema["properties"]["anything"], json!({}));
        assert!(schema["properties"].get("never").is_none());
        assert_eq!(schema["required"], json!(["kind"]));
    }

    #[test]
    fn null_members_of_unions_make_the_schema_nullable() {
        let schema = downgraded(json!({
            "anyOf": [{ "$ref": "#/components/schemas/T" }, { "type": "null" }],
        }))
        .unwrap();
        assert_eq!(
            schema,
            json!({ "anyOf": [{ "$ref": "#/components/schemas/T" }], "nullable": true })
        );
    }

    #[test]
    fn unsupported_keywords_are_reported_where_they_are() {
        let problems = downgraded(json!({
            "type": "object",
            "properties": { "tree": { "$dynamicRef": "#node" }, "no": { "items": false } },
        }))
        .unwrap_err();
        let at: Vec<&str> = problems.0.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            at,
            [
                "#/components/schemas/S/properties/no/items",
                "#/components/schemas/S/properties/tree/$dynamicRef",
            ]
        );
    }

    #[test]
    fn other_versions_are_left_alone() {
        let mut document = json!({ "openapi": "3.0.3", "components": { "schemas": {
            "S": { "type": ["string", "null"] } } } });
        let before = document.clone();
        downgrade(&mut document, &SourceMap::default()).unwrap();
        assert_eq!(document, before);
    }
}
