//! A shallow check of every schema before the document is read into `openapiv3` types.
//!
//! `openapiv3` reads schemas through untagged enums, which retry every alternative at every
//! enclosing level when a nested schema is malformed, so the cost doubles with each level of
//! nesting and a deep malformed schema would take practically forever. Checking each schema
//! on its own, with the schemas nested in it stubbed out, costs time linear in the document,
//! and names the malformed schema itself rather than the component or path around it.

use openapiv3::{ReferenceOr, Schema};
use serde_json::{Map, Value};

use super::{walk, SourceMap};
use crate::diag::{pointer, Diagnostic, Diagnostics};

/// Checks every schema of the document; each malformed one is a diagnostic.
pub fn check(json: &Value, sources: &SourceMap) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    for at in walk::schema_roots(json) {
        if let Some(schema) = at.strip_prefix('#').and_then(|p| json.pointer(p)) {
            check_schema(schema, &at, sources, &mut diagnostics);
        }
    }
    diagnostics.into_result(())
}

/// Checks the schemas nested in `schema`, then `schema` itself with those stubbed out.
fn check_schema(schema: &Value, at: &str, sources: &SourceMap, diagnostics: &mut Diagnostics) {
    let stub = match schema {
        Value::Object(object) if object.get("$ref").is_some_and(Value::is_string) => return,
        Value::Object(object) => {
            let mut stub = Map::with_capacity(object.len());
            for (key, value) in object {
                let key_at = pointer::join(at, key);
                let stubbed = match (key.as_str(), value) {
                    ("properties", Value::Object(properties)) => Value::Object(
                        properties
                            .iter()
                            .map(|(name, property)| {
                                let property_at = pointer::join(&key_at, name);
                                check_schema(property, &property_at, sources, diagnostics);
                                (name.clone(), Value::Object(Map::new()))
                            })
                            .collect(),
                    ),
                    ("items" | "not", _) | ("additionalProperties", Value::Object(_)) => {
                        check_schema(value, &key_at, sources, diagnostics);
                        Value::Object(Map::new())
                    }
                    ("allOf" | "oneOf" | "anyOf", Value::Array(members)) => Value::Array(
                        members
                            .iter()
                            .enumerate()
                            .map(|(i, member)| {
                                let member_at = pointer::join(&key_at, &i.to_string());
                                check_schema(member, &member_at, sources, diagnostics);
                                Value::Object(Map::new())
                            })
                            .collect(),
                    ),
                    _ => value.clone(),
                };
                stub.insert(key.clone(), stubbed);
            }
            Value::Object(stub)
        }
        other => other.clone(),
    };
    if let Err(error) = serde_json::from_value::<ReferenceOr<Schema>>(stub) {
        diagnostics.push(
            Diagnostic::new(at, format!("not a valid schema: {error}")).at(sources.locate(at)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_malformed_schema_however_deep() {
        let mut schema = json!(357);
        for _ in 0..30 {
            schema = json!({ "type": "array", "items": schema });
        }
        let document = json!({ "components": { "schemas": { "Deep": schema } } });
        let problems = check(&document, &SourceMap::default()).unwrap_err();
        assert_eq!(problems.0.len(), 1);
        let at = &problems.0[0].pointer;
        assert!(
            at.starts_with("#/components/schemas/Deep/items/items/"),
            "{at}"
        );
        assert_eq!(at.matches("/items").count(), 30);
    }

    #[test]
    fn valid_schemas_and_references_pass() {
        let document = json!({ "components": { "schemas": {
            "A": { "type": "object", "properties": { "b": { "$ref": "#/components/schemas/B" } },
                   "additionalProperties": { "type": "integer" } },
            "B": { "oneOf": [{ "type": "string" }, { "type": "array", "items": {} }] },
        } } });
        assert!(check(&document, &SourceMap::default()).is_ok());
    }
}
