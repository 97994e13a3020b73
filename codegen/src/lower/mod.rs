//! Stage 2, lower: `openapiv3` document → IR.
//!
//! Lowering makes every structural decision (which schemas become which types, what a call
//! returns, which envelope to unwrap) and records problems as diagnostics with the JSON
//! pointer of the node at fault. It leaves Rust spellings to the naming pass: what it returns,
//! [`Lowered`], is IR no emitter accepts until [`crate::naming::assign`] has named it.

mod analysis;
mod bodies;
mod direction;
mod operations;
mod pagination;
mod parameters;
mod references;
mod schemas;
mod security;
mod usage;

use std::collections::HashMap;

use openapiv3::{Components, ReferenceOr, Schema};

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{Api, Docs, Name, TypeArena, TypeId};
use crate::load::Document;

/// The IR as lowering leaves it: every decision made, no Rust name assigned yet. The naming
/// pass ([`crate::naming::assign`]) is the only way on to the emitter.
#[derive(Debug)]
pub struct Lowered {
    api: Api,
}

impl Lowered {
    /// The IR, for the naming pass to fill in its Rust names.
    pub(crate) fn into_unnamed(self) -> Api {
        self.api
    }
}

/// Lowers a loaded document to the IR, before naming. The document's own warnings (from
/// loading) travel with the result, or with the errors.
pub fn lower(doc: &Document) -> Result<Lowered, Diagnostics> {
    let empty = Components::default();
    let components = doc.openapi.components.as_ref().unwrap_or(&empty);
    let mut lowerer = Lowerer {
        doc,
        components,
        types: TypeArena::default(),
        schema_ids: HashMap::new(),
        diagnostics: Diagnostics::default(),
        encoding: Encoding::Json,
        depth: 0,
        security_schemes: Vec::new(),
        envelopes: envelopes(doc),
        multipart_components: std::collections::BTreeSet::new(),
    };
    lowerer.check_root_extensions();
    let server_variables = lowerer.server_variables();
    lowerer.security_schemes = lowerer.security_schemes();
    lowerer.reserve_component_schemas();
    lowerer.multipart_components = bodies::multipart_components(&doc.openapi, components);
    lowerer.lower_component_schemas();
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
        server_variables,
        security_schemes: std::mem::take(&mut lowerer.security_schemes),
        modules,
        types: std::mem::take(&mut lowerer.types),
        warnings: Diagnostics::default(),
    };
    usage::record(&mut api);
    direction::decide(&mut api.types);
    analysis::analyse(&mut api.types);
    parameters::record_plain_unions(&mut api.types);
    lowerer.check_references(&api);
    let mut diagnostics = lowerer.diagnostics;
    diagnostics.extend(doc.warnings.clone());
    let (mut api, warnings) = diagnostics.into_lenient_result(api)?;
    api.warnings = warnings;
    Ok(Lowered { api })
}

/// Lowering state: the document, the types built so far and the problems found.
struct Lowerer<'a> {
    doc: &'a Document,
    components: &'a Components,
    types: TypeArena,
    /// Component schema name → its pre-assigned type id.
    schema_ids: HashMap<String, TypeId>,
    diagnostics: Diagnostics,
    /// How the schema being lowered is sent: set for each body or component by
    /// [`Lowerer::encoded_as`], read where strings and objects are lowered.
    encoding: Encoding,
    /// How many inline schemas enclose the one being lowered (bounded by
    /// `schemas::MAX_SCHEMA_DEPTH`).
    depth: usize,
    /// The security schemes the client can hold, which operations' requirements may name.
    security_schemes: Vec<crate::ir::SecurityScheme>,
    /// Whether one-property response objects are envelopes to unwrap ([`ENVELOPES`]).
    envelopes: bool,
    /// The component schemas lowered as multipart forms (see `bodies::multipart_components`).
    multipart_components: std::collections::BTreeSet<String>,
}

/// How the schema being lowered is encoded on the wire, which decides what `format: binary`
/// and an object mean. A property of the request body's media type, so one schema used by a
/// JSON body and a multipart body is lowered once for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    /// JSON: a `format: binary` string is a string.
    Json,
    /// A body sent as is, or the parts of a multipart form: `format: binary` is raw bytes.
    Raw,
    /// The root of a multipart body: the first object lowered is the form (its properties
    /// are parts), and the objects inside it are JSON again.
    FormRoot,
}

/// On the document root: success bodies that are objects of one property wrapping an
/// object or array (`{"ticket": {...}}`) are envelopes, and the client returns what they
/// wrap. Freshworks APIs answer this way; without the extension a body is returned as is.
pub const ENVELOPES: &str = "x-response-envelopes";

/// Whether the document switches envelope unwrapping on (a warning for a value that is not
/// a boolean is given by [`Lowerer::check_root_extensions`]).
fn envelopes(doc: &Document) -> bool {
    doc.openapi.extensions.get(ENVELOPES) == Some(&serde_json::Value::Bool(true))
}

impl<'a> Lowerer<'a> {
    /// Records a problem at `at`.
    fn report(&mut self, at: &str, message: impl Into<String>) {
        let diagnostic: Diagnostic = self.doc.diagnostic(at, message);
        self.diagnostics.push(diagnostic);
    }

    /// Records a problem at `at` that lowering works around, saying how.
    fn warn(&mut self, at: &str, message: impl Into<String>) {
        let diagnostic: Diagnostic = self.doc.diagnostic(at, message).demoted();
        self.diagnostics.push(diagnostic);
    }

    /// Warns about root extensions of this generator whose value it cannot use, and about
    /// what the document holds that is not generated (`webhooks`).
    fn check_root_extensions(&mut self) {
        let webhooks = self
            .doc
            .json
            .get("webhooks")
            .and_then(serde_json::Value::as_object);
        if let Some(webhooks) = webhooks.filter(|w| !w.is_empty()) {
            let names: Vec<&str> = webhooks.keys().map(String::as_str).collect();
            self.warn(
                "#/webhooks",
                format!(
                    "webhooks are not generated (the client only makes requests): {}",
                    names.join(", ")
                ),
            );
        }
        let value = self.doc.openapi.extensions.get(ENVELOPES);
        if value.is_some_and(|value| !value.is_boolean()) {
            self.warn(
                &crate::diag::pointer::join("#", ENVELOPES),
                format!("`{ENVELOPES}` must be true or false; envelopes are not unwrapped"),
            );
        }
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

    /// Lowers every component schema into its reserved id; the multipart components are form
    /// bodies, where `format: binary` properties are files.
    fn lower_component_schemas(&mut self) {
        for (name, schema) in &self.components.schemas {
            let encoding = if self.multipart_components.contains(name) {
                Encoding::FormRoot
            } else {
                Encoding::Json
            };
            self.encoded_as(encoding, |this| this.lower_component_schema(name, schema));
        }
    }

    /// Lowers one component schema into its reserved id.
    fn lower_component_schema(&mut self, name: &str, schema: &'a ReferenceOr<Schema>) {
        let at = crate::diag::pointer::join("#/components/schemas", name);
        let id = self.schema_ids[name];
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

    /// Runs `lower` with the schemas it lowers encoded as `encoding`, then restores the
    /// encoding of the enclosing schema.
    fn encoded_as<T>(&mut self, encoding: Encoding, lower: impl FnOnce(&mut Self) -> T) -> T {
        let outer = std::mem::replace(&mut self.encoding, encoding);
        let lowered = lower(self);
        self.encoding = outer;
        lowered
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
