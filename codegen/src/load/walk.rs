//! Where schemas sit in a document: the roots of its schema trees, found by walking the
//! OpenAPI structure (components, path items, operations, parameters, headers, request
//! bodies, responses, callbacks), so that a keyword is only ever read where it is one, never
//! in a property that happens to be called `type` or in example data.

use serde_json::Value;

use crate::diag::pointer;

/// The HTTP methods a path item may hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The pointers (`#/...`) of every schema that is not nested in another schema, in document
/// order: component schemas, and the `schema` of parameters, headers and media types.
pub fn schema_roots(json: &Value) -> Vec<String> {
    let mut roots = Vec::new();
    if let Some(paths) = json.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if !path.starts_with("x-") {
                path_item(item, &pointer::join("#/paths", path), &mut roots);
            }
        }
    }
    if let Some(components) = json.get("components").and_then(Value::as_object) {
        for (kind, entries) in components {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            let kind_at = pointer::join("#/components", kind);
            for (name, entry) in entries {
                let at = pointer::join(&kind_at, name);
                match kind.as_str() {
                    "schemas" => roots.push(at),
                    "parameters" | "headers" => parameter(entry, &at, &mut roots),
                    "requestBodies" => content_of(entry, &at, &mut roots),
                    "responses" => response(entry, &at, &mut roots),
                    "callbacks" => callback(entry, &at, &mut roots),
                    _ => {}
                }
            }
        }
    }
    roots
}

/// The node a `#/...` pointer names.
pub fn node_mut<'a>(json: &'a mut Value, at: &str) -> Option<&'a mut Value> {
    json.pointer_mut(at.strip_prefix('#')?)
}

fn path_item(item: &Value, at: &str, roots: &mut Vec<String>) {
    parameters(item, at, roots);
    for method in METHODS {
        if let Some(operation) = item.get(method) {
            let op_at = pointer::join(at, method);
            parameters(operation, &op_at, roots);
            if let Some(body) = operation.get("requestBody") {
                content_of(body, &pointer::join(&op_at, "requestBody"), roots);
            }
            if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
                let responses_at = pointer::join(&op_at, "responses");
                for (status, item) in responses {
                    response(item, &pointer::join(&responses_at, status), roots);
                }
            }
            if let Some(callbacks) = operation.get("callbacks").and_then(Value::as_object) {
                let callbacks_at = pointer::join(&op_at, "callbacks");
                for (name, item) in callbacks {
                    callback(item, &pointer::join(&callbacks_at, name), roots);
                }
            }
        }
    }
}

/// The items of `node.parameters`.
fn parameters(node: &Value, at: &str, roots: &mut Vec<String>) {
    if let Some(list) = node.get("parameters").and_then(Value::as_array) {
        let list_at = pointer::join(at, "parameters");
        for (i, item) in list.iter().enumerate() {
            parameter(item, &pointer::join(&list_at, &i.to_string()), roots);
        }
    }
}

/// A callback: runtime expressions → path items.
fn callback(node: &Value, at: &str, roots: &mut Vec<String>) {
    if let Some(callback) = node.as_object() {
        for (expression, item) in callback {
            path_item(item, &pointer::join(at, expression), roots);
        }
    }
}

/// A parameter or a header: its `schema` or `content`.
fn parameter(node: &Value, at: &str, roots: &mut Vec<String>) {
    if node.get("schema").is_some() {
        roots.push(pointer::join(at, "schema"));
    }
    content_of(node, at, roots);
}

/// A response: its headers and content.
fn response(node: &Value, at: &str, roots: &mut Vec<String>) {
    if let Some(headers) = node.get("headers").and_then(Value::as_object) {
        let headers_at = pointer::join(at, "headers");
        for (name, header) in headers {
            parameter(header, &pointer::join(&headers_at, name), roots);
        }
    }
    content_of(node, at, roots);
}

/// The schemas of the media types in `node.content`.
fn content_of(node: &Value, at: &str, roots: &mut Vec<String>) {
    if let Some(content) = node.get("content").and_then(Value::as_object) {
        let content_at = pointer::join(at, "content");
        for (media_type, media) in content {
            if media.get("schema").is_some() {
                let media_at = pointer::join(&content_at, media_type);
                roots.push(pointer::join(&media_at, "schema"));
            }
        }
    }
}
