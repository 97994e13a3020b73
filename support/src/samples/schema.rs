//! A validator for the OpenAPI 3.0 schema dialect over `serde_json::Value`.
//!
//! OpenAPI 3.0 schemas are not JSON Schema: `null` is allowed by `nullable: true` rather than
//! by a type list, a `$ref` replaces its siblings, and `format` names Rust-relevant ranges
//! (`int32`, `int64`) and encodings (`date-time`, `date`). Translating every schema into
//! JSON Schema for a general validator would take as much code as checking the few keywords
//! the spec uses directly, so this checks them directly, reading the spec's own JSON:
//! `$ref` (to anywhere in the document), `type`, `nullable`, `format` (`int32`, `int64`,
//! `date-time`, `date`), `enum`, `maxLength`, `minimum`, `maximum`, `properties`,
//! `required`, `additionalProperties`, `items`, `allOf`, `oneOf` and `anyOf`. Annotations
//! (`description`, `readOnly`, `default`, extensions) are ignored.
//!
//! Stricter than OpenAPI in one respect: a property that an object's schema does not declare
//! is a violation unless the schema (or a member of its `allOf`, `oneOf` or `anyOf`) has
//! `additionalProperties` or declares no properties at all, since the spec means to describe
//! every field the API sends. A `oneOf` passes when any alternative does, like the untagged
//! enum the generated client decodes it with.

use std::fmt;

use serde_json::Value;

/// How many `$ref`s may be followed without descending into the value (a reference cycle).
const MAX_HOPS: usize = 32;

/// Validates JSON values against the schemas of one spec.
#[derive(Clone, Copy, Debug)]
pub struct Validator<'a> {
    spec: &'a Value,
}

/// One way in which a value breaks its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// A JSON pointer to the offending part of the value (`/ticket/id`; empty for the root).
    pub at: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.at.is_empty() { "/" } else { &self.at };
        write!(f, "at {at}: {}", self.message)
    }
}

impl<'a> Validator<'a> {
    /// A validator resolving `$ref`s (`#/components/schemas/Ticket`) in `spec`, the merged
    /// spec as JSON.
    pub fn new(spec: &'a Value) -> Self {
        Validator { spec }
    }

    /// Every violation of `schema` by `value`, in the value's order; empty when it is valid.
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<Violation> {
        let mut violations = Vec::new();
        self.check(schema, value, "", 0, &mut violations);
        self.undeclared(schema, value, "", &mut violations);
        violations
    }

    /// Whether `schema` (through `$ref`s and compositions) declares a property named `key`.
    pub fn declares_property(&self, schema: &Value, key: &str) -> bool {
        self.property_schema(schema, key, 0).is_some()
    }

    /// The schema of property `key` as `schema` declares it, directly or in an `allOf`,
    /// `oneOf` or `anyOf` member (the first that does).
    fn property_schema<'s>(
        &'s self,
        schema: &'s Value,
        key: &str,
        hops: usize,
    ) -> Option<&'s Value> {
        let schema = self.deref(schema, hops)?;
        if let Some(property) = schema.get("properties").and_then(|p| p.get(key)) {
            return Some(property);
        }
        members(schema).find_map(|member| self.property_schema(member, key, hops + 1))
    }

    /// `schema` with its `$ref` chain followed (`None` for a broken or looping one).
    fn deref<'s>(&'s self, schema: &'s Value, hops: usize) -> Option<&'s Value> {
        let mut schema = schema;
        for _ in hops..MAX_HOPS {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => schema = self.resolve(reference)?,
                None => return Some(schema),
            }
        }
        None
    }

    /// Reports the properties of objects in `value` that their schema does not declare.
    ///
    /// OpenAPI allows them unless `additionalProperties` is `false`, but the spec means to
    /// describe every field the API sends, so a sample with one shows a missing or misspelt
    /// field. An object schema is open (accepts any key) when it declares no properties or
    /// it or one of its composition members has `additionalProperties`.
    fn undeclared(&self, schema: &Value, value: &Value, at: &str, out: &mut Vec<Violation>) {
        let Some(schema) = self.deref(schema, 0) else {
            return;
        };
        match value {
            Value::Object(object) => {
                let open = self.is_open(schema, 0);
                for (key, item) in object {
                    let child = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                    match self.property_schema(schema, key, 0) {
                        Some(property) => self.undeclared(property, item, &child, out),
                        None if open => {
                            if let Some(extra) = self.additional_schema(schema, 0) {
                                self.undeclared(extra, item, &child, out);
                            }
                        }
                        None => out.push(Violation {
                            at: child,
                            message: "a property the schema does not declare".to_owned(),
                        }),
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = self.items_schema(schema, 0) {
                    for (index, item) in items.iter().enumerate() {
                        self.undeclared(item_schema, item, &format!("{at}/{index}"), out);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether an object schema accepts keys it does not declare (see [`Self::undeclared`]).
    fn is_open(&self, schema: &Value, hops: usize) -> bool {
        let declares_any = |schema: &Value| {
            schema
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty())
        };
        if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
            return false;
        }
        let mut stack = vec![(schema, hops)];
        let mut declared = false;
        while let Some((schema, hops)) = stack.pop() {
            let Some(schema) = self.deref(schema, hops) else {
                return true;
            };
            if matches!(schema.get("additionalProperties"), Some(extra) if extra != &Value::Bool(false))
            {
                return true;
            }
            declared |= declares_any(schema);
            stack.extend(members(schema).map(|member| (member, hops + 1)));
        }
        !declared
    }

    /// The schema of an object's additional properties, if one is given.
    fn additional_schema<'s>(&'s self, schema: &'s Value, hops: usize) -> Option<&'s Value> {
        let schema = self.deref(schema, hops)?;
        match schema.get("additionalProperties") {
            Some(extra @ Value::Object(_)) => Some(extra),
            _ => members(schema).find_map(|member| self.additional_schema(member, hops + 1)),
        }
    }

    /// The schema of an array's items, if one is given.
    fn items_schema<'s>(&'s self, schema: &'s Value, hops: usize) -> Option<&'s Value> {
        let schema = self.deref(schema, hops)?;
        match schema.get("items") {
            Some(items) => Some(items),
            None => members(schema).find_map(|member| self.items_schema(member, hops + 1)),
        }
    }

    /// The schema a local `$ref` points at.
    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        reference
            .strip_prefix('#')
            .and_then(|pointer| self.spec.pointer(pointer))
    }

    fn check(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        hops: usize,
        out: &mut Vec<Violation>,
    ) {
        let violation = |out: &mut Vec<Violation>, message: String| {
            out.push(Violation {
                at: at.to_owned(),
                message,
            });
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match self.resolve(reference) {
                _ if hops >= MAX_HOPS => violation(out, format!("$ref {reference} loops")),
                Some(target) => self.check(target, value, at, hops + 1, out),
                None => violation(out, format!("$ref {reference} does not resolve")),
            }
            return;
        }
        if value.is_null() {
            if !self.allows_null(schema, hops) {
                violation(out, "null, but the schema is not nullable".to_owned());
            }
            return;
        }
        if let Some(expected) = schema.get("type").and_then(Value::as_str) {
            if !has_type(value, expected) {
                let message = format!("expected {}, found {}", article(expected), describe(value));
                violation(out, message);
                return;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                let listed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
                let message = format!(
                    "{value} is not one of the schema's values ({})",
                    listed.join(", ")
                );
                violation(out, message);
            }
        }
        for message in scalar_violations(schema, value) {
            violation(out, message);
        }
        match value {
            Value::Object(object) => self.check_object(schema, object, at, out),
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        self.check(item_schema, item, &format!("{at}/{index}"), 0, out);
                    }
                }
            }
            _ => {}
        }
        self.check_compositions(schema, value, at, hops, out);
    }

    /// `properties`, `required` and `additionalProperties`.
    fn check_object(
        &self,
        schema: &Value,
        object: &serde_json::Map<String, Value>,
        at: &str,
        out: &mut Vec<Violation>,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(key) {
                out.push(Violation {
                    at: at.to_owned(),
                    message: format!("the required property {key:?} is missing"),
                });
            }
        }
        let additional = schema.get("additionalProperties");
        for (key, item) in object {
            let child = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
            match (properties.and_then(|p| p.get(key)), additional) {
                (Some(property), _) => self.check(property, item, &child, 0, out),
                (None, Some(extra @ Value::Object(_))) => self.check(extra, item, &child, 0, out),
                // Undeclared properties are reported by `undeclared`.
                (None, _) => {}
            }
        }
    }

    /// `allOf` (every member), `oneOf` and `anyOf` (some alternative).
    fn check_compositions(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        hops: usize,
        out: &mut Vec<Violation>,
    ) {
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            for member in members {
                self.check(member, value, at, hops + 1, out);
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(alternatives) = schema.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            let mut reasons = Vec::new();
            for alternative in alternatives {
                let found = {
                    let mut found = Vec::new();
                    self.check(alternative, value, at, hops + 1, &mut found);
                    found
                };
                match found.first() {
                    None => {
                        reasons.clear();
                        break;
                    }
                    Some(first) => reasons.push(first.to_string()),
                }
            }
            if !reasons.is_empty() {
                out.push(Violation {
                    at: at.to_owned(),
                    message: format!(
                        "matches no alternative of {keyword}: {}",
                        reasons.join("; ")
                    ),
                });
            }
        }
    }

    /// Whether `schema` accepts `null`: it says `nullable: true`, or it constrains nothing
    /// (no `type`, `enum`, `properties` or composition), or every `allOf` member accepts it, or
    /// some `oneOf`/`anyOf` alternative does.
    fn allows_null(&self, schema: &Value, hops: usize) -> bool {
        if hops >= MAX_HOPS {
            return false;
        }
        if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
            return true;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self
                .resolve(reference)
                .is_some_and(|target| self.allows_null(target, hops + 1));
        }
        let members = |keyword: &str| schema.get(keyword).and_then(Value::as_array);
        if let Some(all) = members("allOf") {
            return all.iter().all(|m| self.allows_null(m, hops + 1));
        }
        let alternatives: Vec<&Value> = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|keyword| members(keyword))
            .flatten()
            .collect();
        if !alternatives.is_empty() {
            return alternatives.iter().any(|m| self.allows_null(m, hops + 1));
        }
        ["type", "enum", "properties"]
            .iter()
            .all(|keyword| schema.get(*keyword).is_none())
    }
}

/// The violations of `format`, `maxLength`, `minimum` and `maximum`.
fn scalar_violations(schema: &Value, value: &Value) -> Vec<String> {
    let mut messages = Vec::new();
    let format = schema.get("format").and_then(Value::as_str);
    match (value, format) {
        (Value::Number(number), Some("int64")) if !number.is_i64() => {
            messages.push(format!("{number} is not a 64-bit signed integer"));
        }
        (Value::Number(number), Some("int32"))
            if number.as_i64().is_none_or(|n| i32::try_from(n).is_err()) =>
        {
            messages.push(format!("{number} is not a 32-bit signed integer"));
        }
        (Value::String(text), Some("date-time"))
            if chrono::DateTime::parse_from_rfc3339(text).is_err() =>
        {
            messages.push(format!("{text:?} is not an RFC 3339 date-time"));
        }
        (Value::String(text), Some("date"))
            if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err() =>
        {
            messages.push(format!("{text:?} is not a date (YYYY-MM-DD)"));
        }
        _ => {}
    }
    if let (Value::String(text), Some(max)) =
        (value, schema.get("maxLength").and_then(Value::as_u64))
    {
        let length = text.chars().count();
        if u64::try_from(length).map_or(true, |length| length > max) {
            messages.push(format!("{length} characters, more than the maximum {max}"));
        }
    }
    if let Value::Number(number) = value {
        let n = number.as_f64().unwrap_or(f64::NAN);
        if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64) {
            if n < minimum {
                messages.push(format!("{number} is less than the minimum {minimum}"));
            }
        }
        if let Some(maximum) = schema.get("maximum").and_then(Value::as_f64) {
            if n > maximum {
                messages.push(format!("{number} is more than the maximum {maximum}"));
            }
        }
    }
    messages
}

/// The members of `schema`'s `allOf`, `oneOf` and `anyOf`.
fn members(schema: &Value) -> impl Iterator<Item = &Value> {
    ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter_map(|keyword| schema.get(keyword).and_then(Value::as_array))
        .flatten()
}

/// Whether `value` has the schema type `expected`; an unknown type name accepts anything.
fn has_type(value: &Value, expected: &str) -> bool {
    match expected {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        _ => true,
    }
}

/// The schema type name with its article (`an integer`).
fn article(kind: &str) -> String {
    match kind {
        "object" | "array" | "integer" => format!("an {kind}"),
        other => format!("a {other}"),
    }
}

/// What kind of JSON value `value` is, for messages.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "components": {"schemas": {
                "Ticket": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "integer", "format": "int64"},
                        "subject": {"type": "string", "maxLength": 5},
                        "due_by": {"type": "string", "format": "date-time", "nullable": true},
                        "status": {"$ref": "#/components/schemas/Status"},
                        "parent": {"$ref": "#/components/schemas/Ticket"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "custom_fields": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "priority": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 4},
                        "day": {"type": "string", "format": "date"}
                    }
                },
                "Status": {"type": "integer", "enum": [2, 3]},
                "Closed": {"type": "object", "additionalProperties": false, "properties": {"a": {}}},
                "Loop": {"$ref": "#/components/schemas/Loop"}
            }}
        })
    }

    fn violations(schema: Value, value: Value) -> Vec<String> {
        let spec = spec();
        Validator::new(&spec)
            .validate(&schema, &value)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn ticket() -> Value {
        json!({"$ref": "#/components/schemas/Ticket"})
    }

    #[test]
    fn accepts_a_valid_value() {
        let value = json!({
            "id": 1, "subject": "Hi", "due_by": null, "status": 2, "parent": {"id": 2},
            "tags": ["a"], "custom_fields": {"x": 1}, "priority": 4, "day": "2024-02-29"
        });
        assert_eq!(violations(ticket(), value), Vec::<String>::new());
        assert_eq!(
            violations(
                ticket(),
                json!({"id": 1, "due_by": "2016-02-13T23:27:49+05:30"})
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn reports_each_violation_with_its_place() {
        let value = json!({
            "subject": "Too long", "status": 9, "parent": {"id": "1"},
            "tags": ["a", 2], "custom_fields": {"x": "y"}, "priority": 0, "day": "2024-02-30",
            "due_by": "2016-02-13"
        });
        assert_eq!(
            violations(ticket(), value),
            [
                "at /: the required property \"id\" is missing",
                "at /subject: 8 characters, more than the maximum 5",
                "at /status: 9 is not one of the schema's values (2, 3)",
                "at /parent/id: expected an integer, found a string",
                "at /tags/1: expected a string, found an integer",
                "at /custom_fields/x: expected an integer, found a string",
                "at /priority: 0 is less than the minimum 1",
                "at /day: \"2024-02-30\" is not a date (YYYY-MM-DD)",
                "at /due_by: \"2016-02-13\" is not an RFC 3339 date-time",
            ]
        );
    }

    #[test]
    fn integers_and_their_formats() {
        let int32 = json!({"type": "integer", "format": "int32"});
        assert_eq!(
            violations(int32.clone(), json!(2_147_483_647)),
            Vec::<String>::new()
        );
        assert_eq!(
            violations(int32, json!(2_147_483_648_u64)),
            ["at /: 2147483648 is not a 32-bit signed integer"]
        );
        let int64 = json!({"type": "integer", "format": "int64"});
        assert_eq!(
            violations(int64.clone(), json!(u64::MAX)),
            ["at /: 18446744073709551615 is not a 64-bit signed integer"]
        );
        assert_eq!(
            violations(int64, json!(1.5)),
            ["at /: expected an integer, found a fractional number"]
        );
    }

    #[test]
    fn null_needs_nullable() {
        let plain = json!({"type": "string"});
        assert_eq!(
            violations(plain, Value::Null),
            ["at /: null, but the schema is not nullable"]
        );
        assert_eq!(violations(json!({}), Value::Null), Vec::<String>::new());
        let composed =
            json!({"allOf": [{"$ref": "#/components/schemas/Status"}], "nullable": true});
        assert_eq!(violations(composed, Value::Null), Vec::<String>::new());
        let either = json!({"oneOf": [{"type": "string"}, {"type": "integer", "nullable": true}]});
        assert_eq!(violations(either, Value::Null), Vec::<String>::new());
    }

    #[test]
    fn compositions_and_closed_objects() {
        let either =
            json!({"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Status"}]});
        assert_eq!(violations(either.clone(), json!(3)), Vec::<String>::new());
        assert_eq!(
            violations(either, json!(true)),
            ["at /: matches no alternative of oneOf: at /: expected a string, found a boolean; at /: expected an integer, found a boolean"]
        );
        let both = json!({"allOf": [ticket(), {"required": ["subject"]}]});
        assert_eq!(
            violations(both, json!({"id": 1})),
            ["at /: the required property \"subject\" is missing"]
        );
        assert_eq!(
            violations(
                json!({"$ref": "#/components/schemas/Closed"}),
                json!({"a": 1, "b/c": 2})
            ),
            ["at /b~1c: a property the schema does not declare"]
        );
    }

    #[test]
    fn undeclared_properties() {
        let value = json!({
            "id": 1, "Subject": "typo", "parent": {"id": 2, "x": 3},
            "custom_fields": {"anything": 1}, "tags": []
        });
        assert_eq!(
            violations(ticket(), value),
            [
                "at /Subject: a property the schema does not declare",
                "at /parent/x: a property the schema does not declare",
            ]
        );
        // Declared by any member of a composition; open through any member; free-form.
        let both = json!({"allOf": [ticket(), {"type": "object", "properties": {"extra": {}}}]});
        assert_eq!(
            violations(both, json!({"id": 1, "extra": 2})),
            Vec::<String>::new()
        );
        let open = json!({"allOf": [ticket(), {"additionalProperties": true}]});
        assert_eq!(
            violations(open, json!({"id": 1, "more": 2})),
            Vec::<String>::new()
        );
        assert_eq!(
            violations(json!({"type": "object"}), json!({"a": 1})),
            Vec::<String>::new()
        );
        let list = json!({"type": "array", "items": ticket()});
        assert_eq!(
            violations(list, json!([{"id": 1}, {"id": 2, "y": 0}])),
            ["at /1/y: a property the schema does not declare"]
        );
    }

    #[test]
    fn broken_references_are_violations_not_panics() {
        assert_eq!(
            violations(json!({"$ref": "#/components/schemas/Missing"}), json!(1)),
            ["at /: $ref #/components/schemas/Missing does not resolve"]
        );
        assert_eq!(
            violations(json!({"$ref": "#/components/schemas/Loop"}), json!(1)),
            ["at /: $ref #/components/schemas/Loop loops"]
        );
    }

    #[test]
    fn declared_properties() {
        let spec = spec();
        let validator = Validator::new(&spec);
        assert!(validator.declares_property(&ticket(), "subject"));
        assert!(!validator.declares_property(&ticket(), "errors"));
        let composed = json!({"allOf": [{"properties": {"a": {}}}, ticket()]});
        assert!(validator.declares_property(&composed, "id"));
        assert!(!validator.declares_property(&json!({"$ref": "#/components/schemas/Loop"}), "a"));
    }
}
