//! JSON → `openapiv3` types, one piece at a time so that every malformed path item or
//! component is reported, each at its own location.

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::SourceMap;
use crate::diag::{pointer, Diagnostic, Diagnostics};

/// Deserializes the merged document.
pub fn deserialize(root: &Value, sources: &SourceMap) -> Result<OpenAPI, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let Some(object) = root.as_object() else {
        return Err(Diagnostic::new("#", "the spec must be a mapping")
            .at(sources.locate("#"))
            .into());
    };
    match object.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.0.") || version.starts_with("3.1.") => {}
        Some(version) => diagnostics.push(
            Diagnostic::new(
                "#/openapi",
                format!("OpenAPI version {version} is not supported (expected 3.0.x or 3.1.x)"),
            )
            .at(sources.locate("#/openapi")),
        ),
        None => diagnostics.push(
            Diagnostic::new(
                "#/openapi",
                "the `openapi` version field is missing or not a string",
            )
            .at(sources.locate("#")),
        ),
    }

    let mut skeleton = object.clone();
    let paths = skeleton.remove("paths");
    let components = skeleton.remove("components");
    skeleton.insert("paths".to_owned(), Value::Object(Map::new()));
    let mut openapi: Option<OpenAPI> =
        piece(&Value::Object(skeleton), "#", sources, &mut diagnostics);

    let mut typed_paths = IndexMap::new();
    match paths {
        Some(Value::Object(paths)) => {
            for (path, item) in paths {
                if path.starts_with("x-") {
                    continue;
                }
                let at = pointer::join("#/paths", &path);
                if let Some(item) = piece(&item, &at, sources, &mut diagnostics) {
                    typed_paths.insert(path, item);
                }
            }
        }
        None => {}
        Some(_) => diagnostics.push(
            Diagnostic::new("#/paths", "`paths` must be a mapping").at(sources.locate("#/paths")),
        ),
    }

    let typed_components = match components {
        None => None,
        Some(Value::Object(components)) => Some(deserialize_components(
            &components,
            sources,
            &mut diagnostics,
        )),
        Some(_) => {
            diagnostics.push(
                Diagnostic::new("#/components", "`components` must be a mapping")
                    .at(sources.locate("#/components")),
            );
            None
        }
    };

    if let Some(openapi) = openapi.as_mut() {
        openapi.paths.paths = typed_paths;
        openapi.components = typed_components;
    }
    let openapi = diagnostics.into_result(openapi)?;
    // `piece` reports whenever it returns None, so a missing document implies a diagnostic.
    openapi.ok_or_else(|| Diagnostic::new("#", "the document could not be read").into())
}

fn deserialize_components(
    components: &Map<String, Value>,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) -> Components {
    let mut typed = Components::default();
    for (kind, entries) in components {
        let at = pointer::join("#/components", kind);
        if kind.starts_with("x-") {
            typed.extensions.insert(kind.clone(), entries.clone());
            continue;
        }
        let Some(entries) = entries.as_object() else {
            diagnostics.push(
                Diagnostic::new(&at, format!("`components/{kind}` must be a mapping"))
                    .at(sources.locate(&at)),
            );
            continue;
        };
        match kind.as_str() {
            "schemas" => fill(&mut typed.schemas, entries, &at, sources, diagnostics),
            "responses" => fill(&mut typed.responses, entries, &at, sources, diagnostics),
            "parameters" => fill(&mut typed.parameters, entries, &at, sources, diagnostics),
            "examples" => fill(&mut typed.examples, entries, &at, sources, diagnostics),
            "requestBodies" => fill(
                &mut typed.request_bodies,
                entries,
                &at,
                sources,
                diagnostics,
            ),
            "headers" => fill(&mut typed.headers, entries, &at, sources, diagnostics),
            "securitySchemes" => fill(
                &mut typed.security_schemes,
                entries,
                &at,
                sources,
                diagnostics,
            ),
            "links" => fill(&mut typed.links, entries, &at, sources, diagnostics),
            "callbacks" => fill(&mut typed.callbacks, entries, &at, sources, diagnostics),
            other => diagnostics.push(
                Diagnostic::new(&at, format!("unknown component kind `{other}`"))
                    .at(sources.locate(&at)),
            ),
        }
    }
    typed
}

fn fill<T: DeserializeOwned>(
    target: &mut IndexMap<String, ReferenceOr<T>>,
    entries: &Map<String, Value>,
    at: &str,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) {
    for (name, value) in entries {
        let item_at = pointer::join(at, name);
        if let Some(item) = piece(value, &item_at, sources, diagnostics) {
            target.insert(name.clone(), item);
        }
    }
}

/// Deserializes one node, reporting a failure at the innermost path serde can name.
fn piece<T: DeserializeOwned>(
    value: &Value,
    at: &str,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    match serde_path_to_error::deserialize(value) {
        Ok(typed) => Some(typed),
        Err(error) => {
            let mut inner = at.to_owned();
            for segment in error.path().iter() {
                use serde_path_to_error::Segment;
                match segment {
                    Segment::Seq { index } => inner = pointer::join(&inner, &index.to_string()),
                    Segment::Map { key } => inner = pointer::join(&inner, key),
                    Segment::Enum { .. } | Segment::Unknown => {}
                }
            }
            let message = error.into_inner().to_string();
            diagnostics.push(
                Diagnostic::new(&inner, format!("not a valid OpenAPI 3.0 node: {message}"))
                    .at(sources.locate(&inner)),
            );
            None
        }
    }
}
