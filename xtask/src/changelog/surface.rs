//! The public API surface of a generated client, extracted from the IR: what a user of the
//! crate can name, call, build and match on, keyed by stable keys so two versions can be
//! compared entry by entry.
//!
//! Every type is written as the Rust the emitter produces, shortened to the last path
//! segment (`Vec<Ticket>`, `Option<String>`), so two surfaces agree exactly when the
//! generated signatures do.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use codegen::ir::{
    Api, BodyContent, MediaType, Operation, Param, Presence, Scalar, Success, TypeDef, TypeKind,
    TypeRef,
};

/// Everything public in one version of the client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Surface {
    /// Resource groups by module name (also the accessor on `Client` and the cargo feature).
    pub groups: BTreeMap<String, Group>,
    /// Operations by HTTP route.
    pub operations: BTreeMap<Route, OperationSurface>,
    /// The items of the `types` module by Rust name.
    pub types: BTreeMap<String, TypeSurface>,
}

/// One resource group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The handle struct the accessor returns (`Tickets`).
    pub handle: String,
}

/// An operation's HTTP method and path template, its identity across versions. Placeholder
/// names are left out of the identity (`/tickets/{}`), so renaming `{id}` to `{ticket_id}`
/// keeps the operation; [`Route::path`] keeps the template as written, for display only.
#[derive(Clone, Debug)]
pub struct Route {
    /// The path template with every placeholder emptied (`/tickets/{}`).
    pub key: String,
    /// The method as written on the wire (`GET`).
    pub method: String,
    /// The template as the spec writes it (`/tickets/{id}`); not part of the identity.
    pub path: String,
}

impl Route {
    fn identity(&self) -> (&str, &str) {
        (&self.key, &self.method)
    }
}

impl PartialEq for Route {
    fn eq(&self, other: &Self) -> bool {
        self.identity() == other.identity()
    }
}

impl Eq for Route {}

impl PartialOrd for Route {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Route {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.identity().cmp(&other.identity())
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// What calling one operation looks like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationSurface {
    /// The module of its resource group.
    pub group: String,
    /// The method on the group handle (`list_tickets`).
    pub method: String,
    /// The request builder struct (`ListTickets`).
    pub builder: String,
    /// Required parameters: the method's arguments, in order.
    pub arguments: Vec<String>,
    /// Every parameter by Rust name (the argument or the setter).
    pub params: BTreeMap<String, ParamSurface>,
    /// The builder's body setters by name, with the type each takes.
    pub body: BTreeMap<String, String>,
    /// Whether `send` fails unless a body setter was called.
    pub body_required: bool,
    /// What `send` resolves to.
    pub returns: String,
    /// The item type of `pages()` and `items()`, for list operations.
    pub paging: Option<String>,
    /// Marked `#[deprecated]`.
    pub deprecated: bool,
}

impl OperationSurface {
    /// How a caller starts the call: `tickets().list_tickets()`.
    pub fn call(&self) -> String {
        format!("{}().{}()", self.group, self.method)
    }
}

/// One parameter of an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamSurface {
    /// The type the argument or setter takes.
    pub ty: String,
    /// An argument of the operation method (true) or a builder setter (false).
    pub required: bool,
}

/// One item of the `types` module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeSurface {
    /// What kind of item it is, with its members.
    pub shape: Shape,
    /// The resource-group features that compile it (any one suffices); every group's when
    /// it is compiled whatever the features.
    pub features: BTreeSet<String>,
    /// Whether callers build values of it: it is sent in some request, or no operation
    /// receives it. Only-received types are read, not built.
    pub built_by_callers: bool,
}

/// The members of a type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A struct with public fields.
    Struct {
        /// Fields by Rust name.
        fields: BTreeMap<String, FieldSurface>,
        /// Whether it implements `Default`.
        default: bool,
    },
    /// A `#[non_exhaustive]` enum of values with a catch-all variant.
    Enum {
        /// Variant names by wire value.
        values: BTreeMap<String, String>,
        /// The catch-all variant for values the client does not know.
        unknown: String,
    },
    /// An exhaustive enum, one variant per alternative.
    Union {
        /// The payload type by variant name.
        variants: BTreeMap<String, String>,
    },
    /// `pub type Name = Target;`.
    Alias {
        /// The target type.
        target: String,
    },
    /// The exhaustive result enum of an operation whose success responses differ by status.
    StatusEnum {
        /// The payload type (if any) by variant name, the catch-all variant included.
        variants: BTreeMap<String, Option<String>>,
    },
}

impl Shape {
    /// The kind of item, for messages (`struct`, `enum`, `type alias`).
    pub fn kind(&self) -> &'static str {
        match self {
            Shape::Struct { .. } => "struct",
            Shape::Enum { .. } | Shape::Union { .. } | Shape::StatusEnum { .. } => "enum",
            Shape::Alias { .. } => "type alias",
        }
    }
}

/// One field of a struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSurface {
    /// The field's type as declared (`Option<String>`, `Box<Ticket>`).
    pub ty: String,
    /// Listed as required in the spec.
    pub required: bool,
}

/// The public API surface of a named, frozen IR.
pub fn extract(api: &Api) -> Surface {
    let mut surface = Surface::default();
    for module in &api.modules {
        surface.groups.insert(
            module.name.rust.clone(),
            Group {
                handle: module.handle.rust.clone(),
            },
        );
        for op in &module.operations {
            surface
                .operations
                .insert(route(op), operation(api, &module.name.rust, op));
        }
    }
    for (_, def) in api.types.iter() {
        surface
            .types
            .insert(def.name.rust.clone(), type_surface(api, def));
    }
    surface
}

fn route(op: &Operation) -> Route {
    let mut key = String::new();
    let mut in_placeholder = false;
    for c in op.path.raw.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                key.push_str("{}");
            }
            '}' => in_placeholder = false,
            _ if in_placeholder => {}
            _ => key.push(c),
        }
    }
    Route {
        key,
        method: op.method.as_str().to_owned(),
        path: op.path.raw.clone(),
    }
}

fn operation(api: &Api, group: &str, op: &Operation) -> OperationSurface {
    let params: BTreeMap<String, ParamSurface> = op.params.iter().map(|p| param(api, p)).collect();
    let arguments = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.rust.clone())
        .collect();
    let body = op
        .body
        .iter()
        .flat_map(|body| &body.contents)
        .map(|content| (content.setter.rust.clone(), body_type(api, content)))
        .collect();
    let returns = match &op.success {
        Success::Empty => "()".to_owned(),
        Success::Body(body) => rust_type(api, &body.ty, false),
        Success::ByStatus(id) => api.types.get(*id).name.rust.clone(),
    };
    // The emitter adds `pages()` and `items()` only when the success result has a body.
    let paging = op
        .pagination
        .as_ref()
        .filter(|_| matches!(op.success, Success::Body(_)))
        .map(|pagination| rust_type(api, &pagination.item, false));
    OperationSurface {
        group: group.to_owned(),
        method: op.name.rust.clone(),
        builder: op.builder.rust.clone(),
        arguments,
        params,
        body,
        body_required: op.body.as_ref().is_some_and(|body| body.required),
        returns,
        paging,
        deprecated: op.deprecated,
    }
}

fn param(api: &Api, p: &Param) -> (String, ParamSurface) {
    (
        p.name.rust.clone(),
        ParamSurface {
            ty: rust_type(api, &p.ty, false),
            required: p.required,
        },
    )
}

fn body_type(api: &Api, content: &BodyContent) -> String {
    match &content.media {
        MediaType::Json | MediaType::Form => rust_type(api, &content.ty, false),
        MediaType::Multipart => rust_type(api, &content.ty, true),
        MediaType::Binary(_) | MediaType::Text(_) => "impl Into<Bytes>".to_owned(),
    }
}

fn type_surface(api: &Api, def: &TypeDef) -> TypeSurface {
    let shape = match &def.kind {
        TypeKind::Struct(strukt) => {
            let mut fields: BTreeMap<String, FieldSurface> = strukt
                .fields
                .iter()
                .map(|field| {
                    let mut ty = rust_type(api, &field.ty, strukt.multipart);
                    if field.boxed {
                        ty = format!("Box<{ty}>");
                    }
                    match field.presence {
                        Presence::Required => {}
                        Presence::RequiredNullable | Presence::Optional => {
                            ty = format!("Option<{ty}>");
                        }
                        Presence::Nullable => ty = format!("Nullable<{ty}>"),
                    }
                    let surface = FieldSurface {
                        ty,
                        required: field.required,
                    };
                    (field.name.rust.clone(), surface)
                })
                .collect();
            if let Some(additional) = &strukt.additional {
                let value = rust_type(api, &additional.ty, false);
                fields.insert(
                    additional.name.rust.clone(),
                    FieldSurface {
                        ty: format!("BTreeMap<String, {value}>"),
                        required: false,
                    },
                );
            }
            Shape::Struct {
                fields,
                default: def.derive_default,
            }
        }
        TypeKind::Enum(enumeration) => Shape::Enum {
            values: enumeration
                .variants()
                .map(|variant| (variant.wire.clone(), variant.rust.clone()))
                .collect(),
            unknown: enumeration.unknown.rust.clone(),
        },
        TypeKind::Union(union) => Shape::Union {
            variants: union
                .variants
                .iter()
                .map(|variant| {
                    (
                        variant.name.rust.clone(),
                        rust_type(api, &variant.ty, false),
                    )
                })
                .collect(),
        },
        TypeKind::Alias(target) => Shape::Alias {
            target: rust_type(api, target, false),
        },
        TypeKind::StatusEnum(status) => {
            let mut variants: BTreeMap<String, Option<String>> = status
                .variants
                .iter()
                .map(|variant| {
                    let payload = variant
                        .body
                        .as_ref()
                        .map(|body| rust_type(api, &body.ty, false));
                    (variant.name.rust.clone(), payload)
                })
                .collect();
            variants.insert(status.other.rust.clone(), Some("u16".to_owned()));
            Shape::StatusEnum { variants }
        }
    };
    // Mirrors the emitter's feature gate: no `cfg` when every group, or none, uses the type.
    let features = if def.used_by.is_empty() {
        api.modules
            .iter()
            .map(|module| module.name.rust.clone())
            .collect()
    } else {
        def.used_by
            .iter()
            .map(|&id| api.module(id).name.rust.clone())
            .collect()
    };
    TypeSurface {
        shape,
        features,
        built_by_callers: def.flow.sent || !def.flow.received,
    }
}

/// A type as the generated Rust writes it, without module paths; `files` makes raw bytes a
/// multipart file part rather than a byte buffer.
fn rust_type(api: &Api, ty: &TypeRef, files: bool) -> String {
    match ty {
        TypeRef::Named(id) => api.types.get(*id).name.rust.clone(),
        TypeRef::Scalar(scalar) => match scalar {
            Scalar::Bool => "bool",
            Scalar::I32 => "i32",
            Scalar::U32 => "u32",
            Scalar::I64 => "i64",
            Scalar::F32 => "f32",
            Scalar::F64 => "f64",
            Scalar::String => "String",
            Scalar::Date => "NaiveDate",
            Scalar::DateTime => "DateTime<Utc>",
        }
        .to_owned(),
        TypeRef::List(item) => format!("Vec<{}>", rust_type(api, item, files)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", rust_type(api, value, files)),
        TypeRef::Any => "Value".to_owned(),
        TypeRef::Binary if files => "FilePart".to_owned(),
        TypeRef::Binary => "Bytes".to_owned(),
    }
}
