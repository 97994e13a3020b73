//! Paths and operations → modules of operations.

use std::collections::BTreeMap;

use openapiv3::{Operation as SpecOperation, PathItem, ReferenceOr};

use super::Lowerer;
use crate::diag::pointer;
use crate::ir::{
    Docs, HttpMethod, Module, Name, Operation, PageScheme, ParamId, ParamLocation, PathSegment,
    PathTemplate,
};

impl<'a> Lowerer<'a> {
    /// Lowers every operation, grouped into modules by their first tag (or, untagged, by the
    /// first segment of their path).
    pub(super) fn lower_operations(&mut self) -> Vec<Module> {
        let doc = self.doc;
        let mut modules: BTreeMap<String, Module> = BTreeMap::new();
        let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in &doc.openapi.paths.paths {
            let item_at = pointer::join("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.report(
                        &pointer::join(&item_at, "$ref"),
                        "path items defined by `$ref` are not supported",
                    );
                    continue;
                }
            };
            let template = match parse_template(path) {
                Ok(template) => template,
                Err(message) => {
                    self.report(&item_at, message);
                    continue;
                }
            };
            for (method, operation) in methods(item) {
                let op_at = pointer::join(&item_at, &method.as_str().to_ascii_lowercase());
                let id = operation
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| synthesized_id(method, path));
                let id = match operation_ids.get(&id) {
                    Some(first) => {
                        // Later duplicates get the first free numbered name, in document order.
                        let renamed = (2..)
                            .map(|n| format!("{id}_{n}"))
                            .find(|candidate| !operation_ids.contains_key(candidate))
                            .unwrap_or_default();
                        self.warn(
                            &pointer::join(&op_at, "operationId"),
                            format!("operationId `{id}` is already used by {first}; this operation is generated as `{renamed}`"),
                        );
                        renamed
                    }
                    None => id,
                };
                operation_ids.insert(id.clone(), op_at.clone());
                let tag = operation
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| first_segment(&template));
                // A problem inside one operation costs that operation, not the whole spec:
                // its errors become warnings and the operation is left out.
                let before = self.diagnostics.0.len();
                let lowered =
                    self.operation(method, operation, item, &template, &id, &item_at, &op_at);
                let found = &mut self.diagnostics.0[before..];
                if found.iter().any(|d| d.is_error()) {
                    let count = found.len();
                    for diagnostic in found.iter_mut() {
                        *diagnostic = diagnostic.clone().demoted();
                    }
                    self.warn(
                        &op_at,
                        format!(
                            "operation `{id}` ({} {path}) is not generated: {count} problem{} in it, each reported at its own location",
                            method.as_str(),
                            if count == 1 { "" } else { "s" }
                        ),
                    );
                    continue;
                }
                let module = modules.entry(tag.clone()).or_insert_with(|| Module {
                    name: Name::new(tag.clone(), tag.clone()),
                    handle: Name::new(tag.clone(), tag.clone()),
                    docs: tag_docs(&doc.openapi.tags, &tag),
                    operations: Vec::new(),
                });
                module.operations.push(lowered);
            }
        }
        modules.into_values().collect()
    }

    /// Lowers one operation.
    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        method: HttpMethod,
        operation: &'a SpecOperation,
        item: &'a PathItem,
        template: &Template,
        id: &str,
        item_at: &str,
        op_at: &str,
    ) -> Operation {
        let before = self.diagnostics.0.len();
        let mut params =
            self.parameters(&item.parameters, &operation.parameters, item_at, op_at, id);
        // A parameter that failed to lower has been reported; checking the template against
        // the rest would report the same root cause twice.
        if self.diagnostics.0[before..].iter().all(|d| !d.is_error()) {
            self.repair_path_params(template, &mut params, op_at);
        }
        // Path parameters in template order, then the rest in spec order.
        let order = |p: &crate::ir::Param| match p.location {
            ParamLocation::Path => template.position(&p.name.wire).unwrap_or(0),
            _ => usize::MAX,
        };
        params.sort_by_key(order);
        let body = operation
            .request_body
            .as_ref()
            .and_then(|body| self.request_body(body, &pointer::join(op_at, "requestBody"), id));
        let (responses, success) =
            self.responses(&operation.responses, &pointer::join(op_at, "responses"), id);
        let pagination = self.pagination(method, &params, &success, &operation.extensions, op_at);
        // Page numbers and sizes are counts: unsigned, whatever the schema's integer format.
        if let Some(PageScheme::Numbered { page, per_page, .. }) =
            pagination.as_ref().map(|pagination| &pagination.scheme)
        {
            for id in std::iter::once(*page).chain(*per_page) {
                params[id.0].ty = crate::ir::TypeRef::Scalar(crate::ir::Scalar::U32);
            }
        }
        let schemes = std::mem::take(&mut self.security_schemes);
        let security = self.security(operation.security.as_ref(), &schemes, op_at);
        self.security_schemes = schemes;
        Operation {
            name: Name::new(id, id),
            builder: Name::new(id, id),
            method,
            path: template.resolve(&params),
            docs: Docs {
                summary: operation.summary.clone(),
                description: operation.description.clone(),
            },
            deprecated: operation.deprecated,
            params,
            body,
            responses,
            success,
            pagination,
            security,
            origin: op_at.to_owned(),
        }
    }

    /// Every `{placeholder}` needs a path parameter and every path parameter a placeholder.
    /// Where they disagree the operation is repaired, with a warning: an undeclared
    /// placeholder becomes a required string parameter, and a declared path parameter the
    /// template does not use is dropped (it could not be sent anywhere).
    fn repair_path_params(
        &mut self,
        template: &Template,
        params: &mut Vec<crate::ir::Param>,
        op_at: &str,
    ) {
        for name in template.placeholders() {
            let declared = params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name.wire == name);
            if declared {
                continue;
            }
            self.warn(
                op_at,
                format!("path template `{}` has `{{{name}}}` but no path parameter `{name}` is declared; it is generated as a required string parameter", template.raw),
            );
            params.push(crate::ir::Param {
                name: Name::new(name, name),
                option_setter: Name::new(name, format!("set {name}")),
                location: ParamLocation::Path,
                required: true,
                ty: crate::ir::TypeRef::Scalar(crate::ir::Scalar::String),
                explode: false,
                docs: Docs::default(),
                filter_query: false,
                encoding: crate::ir::ParamEncoding::Plain,
                limits: crate::ir::ValueLimits::default(),
            });
        }
        let (kept, dropped): (Vec<_>, Vec<_>) =
            std::mem::take(params).into_iter().partition(|param| {
                param.location != ParamLocation::Path
                    || template.position(&param.name.wire).is_some()
            });
        *params = kept;
        for param in dropped {
            self.warn(
                &pointer::join(op_at, "parameters"),
                format!(
                    "path parameter `{}` does not appear in the path template `{}`; it is not generated",
                    param.name.wire, template.raw
                ),
            );
        }
    }
}

/// The operations of a path item, in a fixed method order.
fn methods(item: &PathItem) -> Vec<(HttpMethod, &SpecOperation)> {
    [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Options, &item.options),
        (HttpMethod::Head, &item.head),
        (HttpMethod::Patch, &item.patch),
        (HttpMethod::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_ref().map(|op| (method, op)))
    .collect()
}

/// A path template as lowering reads it, before the operation's parameters are final: its
/// placeholders by name. [`Template::resolve`] turns it into the IR's [`PathTemplate`].
struct Template {
    /// The template as written.
    raw: String,
    /// Its pieces in order.
    pieces: Vec<Piece>,
}

/// A piece of a [`Template`].
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    /// Literal text.
    Literal(String),
    /// A `{name}` placeholder.
    Placeholder(String),
}

impl Template {
    /// The position of the placeholder `name`, if the template has it.
    fn position(&self, name: &str) -> Option<usize> {
        self.pieces
            .iter()
            .position(|piece| matches!(piece, Piece::Placeholder(p) if p == name))
    }

    /// The placeholders' names, in order.
    fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Placeholder(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }

    /// The IR's template, each placeholder pointing at the path parameter of its name. A
    /// placeholder without one (only in an operation whose parameters failed to lower, which
    /// is reported and not generated) stays literal text.
    fn resolve(&self, params: &[crate::ir::Param]) -> PathTemplate {
        let segments = self
            .pieces
            .iter()
            .map(|piece| match piece {
                Piece::Literal(text) => PathSegment::Literal(text.clone()),
                Piece::Placeholder(name) => params
                    .iter()
                    .position(|p| p.location == ParamLocation::Path && p.name.wire == *name)
                    .map_or_else(
                        || PathSegment::Literal(format!("{{{name}}}")),
                        |index| PathSegment::Param(ParamId(index)),
                    ),
            })
            .collect();
        PathTemplate {
            raw: self.raw.clone(),
            segments,
        }
    }
}

/// Splits `/tickets/{id}/tasks` into literals and placeholders.
fn parse_template(path: &str) -> Result<Template, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must start with `/`"));
    }
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Err(format!("path `{path}` has an unclosed `{{`"));
        };
        if open > 0 {
            pieces.push(Piece::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("path `{path}` has an empty or nested placeholder"));
        }
        pieces.push(Piece::Placeholder(name.to_owned()));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path `{path}` has a `}}` without `{{`"));
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest.to_owned()));
    }
    Ok(Template {
        raw: path.to_owned(),
        pieces,
    })
}

/// A stable operation id for an operation without one: method and path words.
fn synthesized_id(method: HttpMethod, path: &str) -> String {
    let words: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => format!("by {param}"),
                None => s.to_owned(),
            },
        )
        .collect();
    format!(
        "{} {}",
        method.as_str().to_ascii_lowercase(),
        words.join(" ")
    )
}

/// The module of an untagged operation: its path's first literal segment.
fn first_segment(template: &Template) -> String {
    template
        .pieces
        .iter()
        .find_map(|piece| match piece {
            Piece::Literal(text) => text.split('/').find(|w| !w.is_empty()).map(str::to_owned),
            Piece::Placeholder(_) => None,
        })
        .unwrap_or_else(|| "default".to_owned())
}

/// The description of a tag, if the document lists it.
fn tag_docs(tags: &[openapiv3::Tag], name: &str) -> Docs {
    Docs {
        summary: None,
        description: tags
            .iter()
            .find(|t| t.name == name)
            .and_then(|t| t.description.clone()),
    }
}
