//! Parameters: path, query, header and cookie.

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};

use super::Lowerer;
use crate::diag::pointer;
use crate::ir::{Docs, Name, Param, ParamLocation, TypeKind, TypeRef};

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
        let (location, explode_default) = match parameter {
            Parameter::Path { .. } => (ParamLocation::Path, false),
            Parameter::Query { style, .. } => {
                match style {
                    QueryStyle::Form => {}
                    QueryStyle::SpaceDelimited
                    | QueryStyle::PipeDelimited
                    | QueryStyle::DeepObject => {
                        self.report(
                            &pointer::join(at, "style"),
                            format!("query style {style:?} is not supported yet"),
                        );
                        return None;
                    }
                }
                (ParamLocation::Query, true)
            }
            Parameter::Header { .. } => (ParamLocation::Header, false),
            Parameter::Cookie { .. } => (ParamLocation::Cookie, true),
        };
        let data = parameter.parameter_data_ref();
        let hint = format!("{op_hint} {}", data.name);
        let schema_at = pointer::join(at, "schema");
        let (ty, max_length) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let max_length = match schema {
                    ReferenceOr::Item(schema) => match &schema.schema_kind {
                        openapiv3::SchemaKind::Type(openapiv3::Type::String(s)) => {
                            s.max_length.map(|n| n as u64)
                        }
                        _ => None,
                    },
                    ReferenceOr::Reference { .. } => None,
                };
                (self.schema_or_ref(schema, &schema_at, &hint).ty, max_length)
            }
            ParameterSchemaOrContent::Content(_) => {
                self.report(
                    &pointer::join(at, "content"),
                    "parameters with `content` are not supported; use `schema`",
                );
                return None;
            }
        };
        if !self.is_simple_param_type(&ty) {
            self.report(
                &schema_at,
                "a parameter must be a scalar, an enum, or an array of those; objects are not supported here",
            );
            return None;
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
            max_length,
        })
    }

    /// Scalars, enums and lists of them can be written into a URL or header.
    fn is_simple_param_type(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Scalar(_) => true,
            TypeRef::Named(id) => match &self.types.get(*id).kind {
                TypeKind::Enum(_) => true,
                TypeKind::Alias(inner) => self.is_simple_param_type(inner),
                _ => false,
            },
            TypeRef::List(item) => {
                !matches!(**item, TypeRef::List(_)) && self.is_simple_param_type(item)
            }
            TypeRef::Map(_) | TypeRef::Any | TypeRef::Binary => false,
        }
    }
}
