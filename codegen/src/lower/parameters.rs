//! Parameters: path, query, header and cookie.

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};

use super::schemas::value_limits;
use super::Lowerer;
use crate::diag::pointer;
use crate::ir::{
    Docs, Name, Param, ParamEncoding, ParamLocation, TypeArena, TypeKind, TypeRef, ValueLimits,
};

impl<'a> Lowerer<'a> {
    /// Lowers the parameters of an operation: the path item's, overridden by the operation's
    /// own with the same name and location.
    pub(super) fn parameters(
        &mut self,
        inherited: &'a [ReferenceOr<Parameter>],
        own: &'a [ReferenceOr<Parameter>],
        item_at: &str,
        op_at: &str,
        op_hint: &str,
    ) -> Vec<Param> {
        let numbered = |list: &'a [ReferenceOr<Parameter>], base: &str| {
            let base = pointer::join(base, "parameters");
            list.iter()
                .enumerate()
                .map(move |(i, p)| (p, pointer::join(&base, &i.to_string())))
                .collect::<Vec<_>>()
        };
        let mut params: Vec<Param> = Vec::new();
        for (parameter, at) in numbered(inherited, item_at)
            .into_iter()
            .chain(numbered(own, op_at))
        {
            let Some((parameter, at)) = self.resolve_parameter(parameter, at) else {
                continue;
            };
            let Some(param) = self.parameter(parameter, &at, op_hint) else {
                continue;
            };
            match params
                .iter_mut()
                .find(|p| p.name.wire == param.name.wire && p.location == param.location)
            {
                Some(existing) => *existing = param,
                None => params.push(param),
            }
        }
        params
    }

    /// Follows a `$ref` to a component parameter.
    fn resolve_parameter(
        &mut self,
        parameter: &'a ReferenceOr<Parameter>,
        at: String,
    ) -> Option<(&'a Parameter, String)> {
        match parameter {
            ReferenceOr::Item(parameter) => Some((parameter, at)),
            ReferenceOr::Reference { reference } => {
                let ref_at = pointer::join(&at, "$ref");
                let name = self.component_name(reference, "parameters", &ref_at)?;
                let components = self.components;
                match components.parameters.get(name) {
                    Some(ReferenceOr::Item(parameter)) => {
                        Some((parameter, pointer::join("#/components/parameters", name)))
                    }
                    _ => {
                        self.report(&ref_at, format!("`$ref: {reference}` must name a component parameter defined inline"));
                        None
                    }
                }
            }
        }
    }

    /// Lowers one parameter.
    fn parameter(&mut self, parameter: &'a Parameter, at: &str, op_hint: &str) -> Option<Param> {
        let mut encoding = ParamEncoding::Plain;
        let (location, explode_default) = match parameter {
            Parameter::Path { .. } => (ParamLocation::Path, false),
            Parameter::Query { style, .. } => {
                encoding = match style {
                    QueryStyle::Form => ParamEncoding::Plain,
                    QueryStyle::DeepObject => ParamEncoding::DeepObject,
                    QueryStyle::SpaceDelimited => ParamEncoding::Delimited(' '),
                    QueryStyle::PipeDelimited => ParamEncoding::Delimited('|'),
                };
                (ParamLocation::Query, true)
            }
            Parameter::Header { .. } => (ParamLocation::Header, false),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, true),
        };
        let data = parameter.parameter_data_ref();
        let hint = format!("{op_hint} {}", data.name);
        let schema_at = pointer::join(at, "schema");
        let (ty, limits) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let limits = match schema {
                    ReferenceOr::Item(schema) => value_limits(schema),
                    ReferenceOr::Reference { .. } => ValueLimits::default(),
                };
                (self.schema_or_ref(schema, &schema_at, &hint).ty, limits)
            }
            ParameterSchemaOrContent::Content(content) => {
                // `content` (one media type): the value serialised in it; JSON is supported.
                let content_at = pointer::join(at, "content");
                let json = content.iter().find(|(media, _)| {
                    super::bodies::media_type(media) == Some(crate::ir::MediaType::Json)
                });
                let Some((media, schema)) = json else {
                    self.report(
                        &content_at,
                        "a parameter with `content` is supported in a JSON media type only",
                    );
                    return None;
                };
                let media_at = pointer::join(&pointer::join(&content_at, media), "schema");
                let ty = match &schema.schema {
                    Some(schema) => self.schema_or_ref(schema, &media_at, &hint).ty,
                    None => TypeRef::Any,
                };
                encoding = ParamEncoding::Json;
                (ty, ValueLimits::default())
            }
        };
        match encoding {
            ParamEncoding::Json
                if !matches!(location, ParamLocation::Query | ParamLocation::Header) =>
            {
                self.report(
                    &pointer::join(at, "content"),
                    "a parameter with `content` is supported in the query or a header only",
                );
                return None;
            }
            ParamEncoding::DeepObject | ParamEncoding::Json => {
                if !self.is_deep_object_type(&ty) {
                    self.report(
                        &schema_at,
                        "a `deepObject` or `content` parameter must be a value that serialises to JSON (not a file or a multipart form)",
                    );
                    return None;
                }
            }
            ParamEncoding::Delimited(_) => {
                let list_of_plain =
                    matches!(&ty, TypeRef::List(item) if is_plain_value(&self.types, item));
                if !list_of_plain {
                    self.report(
                        &schema_at,
                        "a `spaceDelimited` or `pipeDelimited` parameter must be an array of scalars or enums",
                    );
                    return None;
                }
            }
            ParamEncoding::Plain | ParamEncoding::FormValue => {
                if !self.is_simple_param_type(&ty) {
                    // In the query, `form` style has a rule for objects (`key=value` pairs, or
                    // `name=key,value,...` unexploded): any value is written from its JSON form.
                    if location == ParamLocation::Query && self.is_deep_object_type(&ty) {
                        encoding = ParamEncoding::FormValue;
                    } else {
                        self.report(
                            &schema_at,
                            "a path, header or cookie parameter must be a scalar, an enum, a union of those, or an array of those",
                        );
                        return None;
                    }
                }
            }
        }
        let required = location == ParamLocation::Path || data.required;
        if location == ParamLocation::Path && !data.required {
            self.report(
                at,
                format!("path parameter `{}` must be `required: true`", data.name),
            );
        }
        Some(Param {
            name: Name::new(data.name.clone(), data.name.clone()),
            option_setter: Name::new(data.name.clone(), format!("set {}", data.name)),
            location,
            required,
            ty,
            explode: data.explode.unwrap_or(explode_default),
            docs: Docs {
                summary: None,
                description: data.description.clone(),
            },
            filter_query: data
                .extensions
                .get("x-filter-query")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            encoding,
            limits,
        })
    }

    /// What `deepObject` can send: any value that serialises to JSON (an object as bracketed
    /// pairs, a list as `name[]=item`, a scalar as `name=value`), so anything but raw bytes
    /// and multipart forms.
    fn is_deep_object_type(&self, ty: &TypeRef) -> bool {
        let mut seen = std::collections::HashSet::new();
        self.serialises_to_json(ty, &mut seen)
    }

    /// Whether values of `ty` serialise to JSON; `seen` breaks recursion.
    fn serialises_to_json(
        &self,
        ty: &TypeRef,
        seen: &mut std::collections::HashSet<crate::ir::TypeId>,
    ) -> bool {
        match ty {
            TypeRef::Binary => false,
            TypeRef::Scalar(_) | TypeRef::Any => true,
            TypeRef::List(item) | TypeRef::Map(item) => self.serialises_to_json(item, seen),
            TypeRef::Named(id) => {
                if !seen.insert(*id) {
                    return true;
                }
                match &self.types.get(*id).kind {
                    TypeKind::Struct(strukt) => {
                        !strukt.multipart
                            && strukt
                                .fields
                                .iter()
                                .all(|f| self.serialises_to_json(&f.ty, seen))
                            && strukt
                                .additional
                                .as_ref()
                                .is_none_or(|extra| self.serialises_to_json(&extra.ty, seen))
                    }
                    TypeKind::Alias(inner) => self.serialises_to_json(inner, seen),
                    TypeKind::Union(union) => union
                        .variants
                        .iter()
                        .all(|variant| self.serialises_to_json(&variant.ty, seen)),
                    TypeKind::Enum(_) => true,
                    TypeKind::StatusEnum(_) => false,
                }
            }
        }
    }

    /// Scalars, enums, unions of those (`oneOf: [integer, string]`) and lists of them can be
    /// written into a URL or header.
    fn is_simple_param_type(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Scalar(_) => true,
            TypeRef::Named(id) => match &self.types.get(*id).kind {
                TypeKind::Enum(_) => true,
                TypeKind::Alias(inner) => self.is_simple_param_type(inner),
                TypeKind::Union(union) => is_plain_union(&self.types, union),
                _ => false,
            },
            TypeRef::List(item) => {
                !matches!(**item, TypeRef::List(_)) && self.is_simple_param_type(item)
            }
            TypeRef::Map(_) | TypeRef::Any | TypeRef::Binary => false,
        }
    }
}

/// A scalar, a value enum, or an alias of one: what a union parameter's alternatives, and
/// the items of a delimited list, must be. The one place this is decided.
fn is_plain_value(types: &TypeArena, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Scalar(_) => true,
        TypeRef::Named(id) => match &types.get(*id).kind {
            TypeKind::Enum(_) => true,
            TypeKind::Alias(inner) => is_plain_value(types, inner),
            _ => false,
        },
        _ => false,
    }
}

/// Whether every alternative of `union` is a plain value.
fn is_plain_union(types: &TypeArena, union: &crate::ir::Union) -> bool {
    union
        .variants
        .iter()
        .all(|variant| is_plain_value(types, &variant.ty))
}

/// Records in every union whether it is a union of plain values ([`crate::ir::Union::plain`]),
/// which the emitter reads; run once every type is lowered.
pub(super) fn record_plain_unions(types: &mut TypeArena) {
    let plain: Vec<_> = types
        .iter()
        .filter_map(|(id, def)| match &def.kind {
            TypeKind::Union(union) => Some((id, is_plain_union(types, union))),
            _ => None,
        })
        .collect();
    for (id, is_plain) in plain {
        if let TypeKind::Union(union) = &mut types.get_mut(id).kind {
            union.plain = is_plain;
        }
    }
}
