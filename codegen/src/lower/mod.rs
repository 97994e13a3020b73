//! Stage 2, lower: `openapiv3` document → IR.
//!
//! Lowering makes every structural decision (which schemas become which types, what a call
//! returns, which envelope to unwrap) and records problems as diagnostics with the JSON
//! pointer of the node at fault. It leaves Rust spellings to the naming pass.

mod analysis;
mod bodies;
mod direction;
mod operations;
mod pagination;
mod parameters;
mod schemas;
mod usage;

use std::collections::HashMap;

use openapiv3::{Components, ReferenceOr};

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{Api, Docs, Name, TypeArena, TypeId};
use crate::load::Document;

/// Lowers a loaded document to the IR (before naming).
pub fn lower(doc: &Document) -> Result<Api, Diagnostics> {
    let empty = Components::default();
    let components = doc.openapi.components.as_ref().unwrap_or(&empty);
    let mut lowerer = Lowerer {
        doc,
        components,
        types: TypeArena::default(),
        schema_ids: HashMap::new(),
        diagnostics: Diagnostics::default(),
        binary_context: false,
        form_root: false,
        depth: 0,
    };
    lowerer.reserve_component_schemas();
    let multipart = bodies::multipart_components(&doc.openapi, components);
    lowerer.lower_component_schemas(&multipart);
    let modules = lowerer.lower_operations();
    let info = &doc.openapi.info;
    let mut api = Api {
        title: info.title.clone(),
        version: info.version.clone(),
        docs: Docs {
            summary: None,
            description: info.description.clone(),
        },
        server: doc.openapi.servers.first().map(|server| server.url.clone()),
        modules,
        types: lowerer.types,
    };
    usage::record(&mut api);
    direction::decide(&mut api.types);
    analysis::analyse(&mut api.types);
    lowerer.diagnostics.into_result(api)
}

/// Lowering state: the document, the types built so far and the problems found.
struct Lowerer<'a> {
    doc: &'a Document,
    components: &'a Components,
    types: TypeArena,
    /// Component schema name → its pre-assigned type id.
    schema_ids: HashMap<String, TypeId>,
    diagnostics: Diagnostics,
    /// Set while lowering a body root or a multipart form, where `format: binary` means raw
    /// bytes; inside JSON such a string stays a string.
    binary_context: bool,
    /// Set just before lowering the root schema of a multipart body; taken by the first
    /// object lowered, so nested objects stay JSON.
    form_root: bool,
    /// How many inline schemas enclose the one being lowered (bounded by
    /// `schemas::MAX_SCHEMA_DEPTH`).
    depth: usize,
}

impl<'a> Lowerer<'a> {
    /// Records a problem at `at`.
    fn report(&mut self, at: &str, message: impl Into<String>) {
        let diagnostic: Diagnostic = self.doc.diagnostic(at, message);
        self.diagnostics.push(diagnostic);
    }

    /// Gives every component schema its type id before any is lowered.
    fn reserve_component_schemas(&mut self) {
        for name in self.components.schemas.keys() {
            let origin = crate::diag::pointer::join("#/components/schemas", name);
            let id = self
                .types
                .reserve(Name::new(name.clone(), name.clone()), origin);
            self.schema_ids.insert(name.clone(), id);
        }
    }

    /// Lowers every component schema into its reserved id; those in `multipart` are form
    /// bodies, where `format: binary` properties are files.
    fn lower_component_schemas(&mut self, multipart: &std::collections::BTreeSet<String>) {
        for (name, schema) in &self.components.schemas {
            let at = crate::diag::pointer::join("#/components/schemas", name);
            let id = self.schema_ids[name];
            self.binary_context = multipart.contains(name);
            self.form_root = self.binary_context;
            match schema {
                ReferenceOr::Item(schema) => {
                    let lowered = self.schema(schema, &at, name, Some(id));
                    if lowered.ty != crate::ir::TypeRef::Named(id) {
                        let docs = schemas::docs_of(schema);
                        self.types
                            .define(id, docs, crate::ir::TypeKind::Alias(lowered.ty));
                    }
                }
                ReferenceOr::Reference { reference } => {
                    let ty = self.schema_reference(reference, &at).ty;
                    self.types
                        .define(id, Docs::default(), crate::ir::TypeKind::Alias(ty));
                }
            }
        }
        self.binary_context = false;
    }

    /// Resolves a `#/components/<kind>/<name>` reference to the component's name.
    fn component_name<'r>(&mut self, reference: &'r str, kind: &str, at: &str) -> Option<&'r str> {
        let prefix = format!("#/components/{kind}/");
        match reference.strip_prefix(&prefix) {
            Some(name) if !name.contains('/') => Some(name),
            _ => {
                self.report(
                    at,
                    format!("`$ref: {reference}` must point at `{prefix}<name>` here"),
                );
                None
            }
        }
    }
}
