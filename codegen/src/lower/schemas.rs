//! Schemas → types.

use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, AnySchema, ObjectType, ReferenceOr, Schema, SchemaKind, StringFormat,
    Type, VariantOrUnknownOrEmpty,
};

use super::{Encoding, Lowerer};
use crate::diag::pointer;
use crate::ir::{
    AdditionalField, Docs, Enum, EnumValues, Field, IntegerVariant, MapSource, Name, Presence,
    Scalar, Struct, TypeId, TypeKind, TypeRef, Union, UnionVariant, ValueLimits,
};

/// A lowered schema: the type, and whether `null` is allowed.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Lowered {
    fn of(ty: TypeRef, nullable: bool) -> Self {
        Lowered { ty, nullable }
    }
}

/// The documentation of a schema: its title as summary, its description.
pub(super) fn docs_of(schema: &Schema) -> Docs {
    Docs {
        summary: schema.schema_data.title.clone(),
        description: schema.schema_data.description.clone(),
    }
}

/// The bounds, default and format an inline schema declares; for an array with inline
/// items, those of its items (without a default).
pub(super) fn value_limits(schema: &Schema) -> ValueLimits {
    let default = schema
        .schema_data
        .default
        .as_ref()
        .and_then(serde_json::Value::as_i64);
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => ValueLimits {
            max_length: s.max_length.map(|n| n as u64),
            // Formats that make the value a date, a time or bytes are in its Rust type.
            format: match &s.format {
                VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
                VariantOrUnknownOrEmpty::Item(_) | VariantOrUnknownOrEmpty::Empty => None,
            },
            ..ValueLimits::default()
        },
        SchemaKind::Type(Type::Integer(i)) => ValueLimits {
            minimum: i.minimum.map(|n| {
                if i.exclusive_minimum {
                    n.saturating_add(1)
                } else {
                    n
                }
            }),
            maximum: i.maximum.map(|n| {
                if i.exclusive_maximum {
                    n.saturating_sub(1)
                } else {
                    n
                }
            }),
            default,
            ..ValueLimits::default()
        },
        SchemaKind::Type(Type::Array(array)) => match &array.items {
            Some(ReferenceOr::Item(items)) => ValueLimits {
                default: None,
                ..value_limits(items)
            },
            _ => ValueLimits::default(),
        },
        _ => ValueLimits::default(),
    }
}

/// The `allOf` members reachable from a schema may not nest deeper than this.
const MAX_ALL_OF_DEPTH: usize = 16;

/// Inline schemas may not nest deeper than this (each level costs stack while lowering).
pub(super) const MAX_SCHEMA_DEPTH: usize = 32;

/// The type of a list item or map value: `null` must decode there too, and the IR has no
/// optional type for such positions, so a nullable one becomes any JSON value.
fn element_type(lowered: Lowered) -> TypeRef {
    if lowered.nullable {
        TypeRef::Any
    } else {
        lowered.ty
    }
}

impl<'a> Lowerer<'a> {
    /// Lowers a schema or a reference to one.
    pub(super) fn schema_or_ref(
        &mut self,
        schema: &ReferenceOr<Schema>,
        at: &str,
        hint: &str,
    ) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_reference(reference, at),
            ReferenceOr::Item(schema) => self.schema(schema, at, hint, None),
        }
    }

    /// [`Lowerer::schema_or_ref`] for the boxed schemas `openapiv3` uses in nested positions.
    pub(super) fn boxed_schema_or_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        at: &str,
        hint: &str,
    ) -> Lowered {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_reference(reference, at),
            ReferenceOr::Item(schema) => self.schema(schema, at, hint, None),
        }
    }

    /// A reference to a component schema.
    pub(super) fn schema_reference(&mut self, reference: &str, at: &str) -> Lowered {
        let ref_at = pointer::join(at, "$ref");
        let Some(name) = self.component_name(reference, "schemas", &ref_at) else {
            return Lowered::of(TypeRef::Any, true);
        };
        let Some(&id) = self.schema_ids.get(name) else {
            self.report(
                &ref_at,
                format!("`$ref: {reference}` points at no component schema"),
            );
            return Lowered::of(TypeRef::Any, true);
        };
        let nullable = matches!(
            self.components.schemas.get(name),
            Some(ReferenceOr::Item(schema)) if schema.schema_data.nullable
        );
        Lowered::of(TypeRef::Named(id), nullable)
    }

    /// The component schema a reference names, when it is defined inline.
    pub(super) fn referenced_schema(&self, reference: &str) -> Option<&'a Schema> {
        let components: &'a openapiv3::Components = self.components;
        let mut reference = reference;
        // The loader rejects reference loops; the bound keeps a hand-built document finite.
        for _ in 0..=components.schemas.len() {
            let name = reference.strip_prefix("#/components/schemas/")?;
            match components.schemas.get(name)? {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }

    /// Lowers an inline schema (see [`Lowerer::schema_kind`]), refusing to nest deeper than
    /// [`MAX_SCHEMA_DEPTH`].
    pub(super) fn schema(
        &mut self,
        schema: &Schema,
        at: &str,
        hint: &str,
        target: Option<TypeId>,
    ) -> Lowered {
        if self.depth >= MAX_SCHEMA_DEPTH {
            self.report(
                at,
                format!("schemas nest more than {MAX_SCHEMA_DEPTH} levels deep here"),
            );
            return Lowered::of(TypeRef::Any, true);
        }
        self.depth += 1;
        let lowered = self.schema_kind(schema, at, hint, target);
        self.depth -= 1;
        lowered
    }

    /// Lowers an inline schema. Types it declares are named from `hint`; if `target` is given,
    /// a type the schema itself declares is defined at that reserved id.
    fn schema_kind(
        &mut self,
        schema: &Schema,
        at: &str,
        hint: &str,
        target: Option<TypeId>,
    ) -> Lowered {
        let nullable = schema.schema_data.nullable;
        let docs = docs_of(schema);
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if string.enumeration.is_empty() {
                    TypeRef::Scalar(match &string.format {
                        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Scalar::Date,
                        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Scalar::DateTime,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
                            if self.encoding != Encoding::Json =>
                        {
                            return Lowered::of(TypeRef::Binary, nullable)
                        }
                        _ => Scalar::String,
                    })
                } else {
                    let values =
                        Literals::String(string.enumeration.iter().flatten().cloned().collect());
                    let null_listed = string.enumeration.iter().any(Option::is_none);
                    let ty = self.enumeration(values, schema, at, hint, target, docs);
                    return Lowered::of(ty, nullable || null_listed);
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                if integer.enumeration.is_empty() {
                    TypeRef::Scalar(match &integer.format {
                        VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                            Scalar::I32
                        }
                        _ => Scalar::I64,
                    })
                } else {
                    let values =
                        Literals::Integer(integer.enumeration.iter().flatten().copied().collect());
                    let null_listed = integer.enumeration.iter().any(Option::is_none);
                    let ty = self.enumeration(values, schema, at, hint, target, docs);
                    return Lowered::of(ty, nullable || null_listed);
                }
            }
            SchemaKind::Type(Type::Number(number)) => TypeRef::Scalar(match &number.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => Scalar::F32,
                _ => Scalar::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Scalar(Scalar::Bool),
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => {
                    let item_hint = format!("{hint} item");
                    let item =
                        self.boxed_schema_or_ref(items, &pointer::join(at, "items"), &item_hint);
                    TypeRef::List(Box::new(element_type(item)))
                }
                None => TypeRef::List(Box::new(TypeRef::Any)),
            },
            SchemaKind::Type(Type::Object(object)) => self.object(object, at, hint, target, docs),
            SchemaKind::OneOf { one_of } => {
                self.union(one_of, "oneOf", schema, at, hint, target, docs)
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(any_of, "anyOf", schema, at, hint, target, docs)
            }
            SchemaKind::AllOf { all_of } => {
                return self.all_of(all_of, schema, at, hint, target, docs);
            }
            SchemaKind::Not { .. } => {
                self.warn(
                    at,
                    "`not` schemas are not supported; the value is typed as any JSON",
                );
                TypeRef::Any
            }
            SchemaKind::Any(any) => return self.untyped(any, schema, at, hint, target, docs),
        };
        Lowered::of(ty, nullable)
    }

    /// An enum type from its values.
    fn enumeration(
        &mut self,
        values: Literals,
        schema: &Schema,
        at: &str,
        hint: &str,
        target: Option<TypeId>,
        docs: Docs,
    ) -> TypeRef {
        let count = match &values {
            Literals::String(strings) => strings.len(),
            Literals::Integer(integers) => integers.len(),
        };
        let names = self.enum_varnames(schema, count, at);
        let given = |i: usize| names.as_ref().map(|names| names[i].clone());
        let values = match values {
            Literals::String(strings) => EnumValues::String(
                strings
                    .into_iter()
                    .enumerate()
                    .map(|(i, value)| {
                        let candidate = given(i).unwrap_or_else(|| {
                            if value.trim().is_empty() {
                                "empty".to_owned()
                            } else {
                                value.clone()
                            }
                        });
                        Name::new(value, candidate)
                    })
                    .collect(),
            ),
            Literals::Integer(integers) => EnumValues::Integer(
                integers
                    .into_iter()
                    .enumerate()
                    .map(|(i, value)| {
                        let text = value.to_string();
                        let candidate = given(i)
                            .unwrap_or_else(|| format!("value {}", text.replace('-', "minus ")));
                        IntegerVariant {
                            name: Name::new(text, candidate),
                            value,
                        }
                    })
                    .collect(),
            ),
        };
        let kind = TypeKind::Enum(Enum {
            values,
            unknown: Name::new("", "Unknown"),
        });
        TypeRef::Named(self.declare(target, hint, at, docs, kind))
    }

    /// `x-enum-varnames`, checked against the number of values.
    fn enum_varnames(&mut self, schema: &Schema, count: usize, at: &str) -> Option<Vec<String>> {
        let names = schema.schema_data.extensions.get("x-enum-varnames")?;
        let here = pointer::join(at, "x-enum-varnames");
        let names: Option<Vec<String>> = names
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|n| n.as_str().map(str::to_owned))
                    .collect()
            })
            .and_then(|names: Option<Vec<String>>| names);
        match names {
            Some(names) if names.len() == count => Some(names),
            Some(names) => {
                self.report(
                    &here,
                    format!("has {} names for {count} enum values", names.len()),
                );
                None
            }
            None => {
                self.report(&here, "must be a list of strings");
                None
            }
        }
    }

    /// An object schema: a struct, or a map when it has no properties.
    fn object(
        &mut self,
        object: &ObjectType,
        at: &str,
        hint: &str,
        target: Option<TypeId>,
        docs: Docs,
    ) -> TypeRef {
        let additional = match &object.additional_properties {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Schema(schema)) => {
                let value_hint = format!("{hint} value");
                let lowered = self.schema_or_ref(
                    schema,
                    &pointer::join(at, "additionalProperties"),
                    &value_hint,
                );
                Some(element_type(lowered))
            }
        };
        if object.properties.is_empty() {
            // A free-form object: `{}` with or without `additionalProperties`.
            if matches!(
                object.additional_properties,
                Some(AdditionalProperties::Any(false))
            ) {
                let kind = TypeKind::Struct(Struct {
                    fields: Vec::new(),
                    additional: None,
                    multipart: false,
                    closed: true,
                });
                return TypeRef::Named(self.declare(target, hint, at, docs, kind));
            }
            return TypeRef::Map(Box::new(additional.unwrap_or(TypeRef::Any)));
        }
        for name in &object.required {
            if !object.properties.contains_key(name) {
                self.warn(
                    &pointer::join(at, "required"),
                    format!("`required` names `{name}`, which is not a declared property; ignored"),
                );
            }
        }
        let id = self.declare(target, hint, at, docs, TypeKind::Alias(TypeRef::Any));
        // The root of a multipart body is the form; what it contains is JSON, unless a
        // property is itself binary.
        let multipart = self.encoding == Encoding::FormRoot;
        if multipart {
            self.encoding = Encoding::Raw;
        }
        let mut fields = Vec::with_capacity(object.properties.len());
        for (name, property) in &object.properties {
            let field_at = pointer::join(&pointer::join(at, "properties"), name);
            let field_hint = format!("{hint} {name}");
            let lowered = self.boxed_schema_or_ref(property, &field_at, &field_hint);
            let (read_only, field_docs, limits) = match property {
                ReferenceOr::Item(schema) => (
                    schema.schema_data.read_only,
                    docs_of(schema),
                    ValueLimits {
                        default: None,
                        ..value_limits(schema)
                    },
                ),
                ReferenceOr::Reference { .. } => (false, Docs::default(), ValueLimits::default()),
            };
            let required = object.required.contains(name);
            fields.push(Field {
                name: Name::new(name.clone(), name.clone()),
                ty: lowered.ty,
                required,
                nullable: lowered.nullable,
                read_only,
                presence: Presence::of(required, lowered.nullable),
                boxed: false,
                docs: field_docs,
                limits,
            });
        }
        let additional = additional.map(|ty| AdditionalField {
            name: Name::new("", "additional properties"),
            ty,
            source: MapSource::Declared,
        });
        let closed = matches!(
            object.additional_properties,
            Some(AdditionalProperties::Any(false))
        );
        let def = self.types.get_mut(id);
        def.kind = TypeKind::Struct(Struct {
            fields,
            additional,
            multipart,
            closed,
        });
        TypeRef::Named(id)
    }

    /// `oneOf` / `anyOf`: a union, or the single alternative itself.
    #[allow(clippy::too_many_arguments)]
    fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        schema: &Schema,
        at: &str,
        hint: &str,
        target: Option<TypeId>,
        docs: Docs,
    ) -> TypeRef {
        let list_at = pointer::join(at, keyword);
        if members.is_empty() {
            self.report(&list_at, format!("`{keyword}` needs at least one schema"));
            return TypeRef::Any;
        }
        if members.len() == 1 {
            return self
                .schema_or_ref(&members[0], &pointer::join(&list_at, "0"), hint)
                .ty;
        }
        if let Some(values) = single_value_enums(members) {
            // `oneOf: [{enum: [a]}, {enum: [b]}]` (or `const`s) is an enum written longhand.
            return self.enumeration(values, schema, at, hint, target, docs);
        }
        let discriminator = schema.schema_data.discriminator.as_ref();
        let id = self.declare(target, hint, at, docs, TypeKind::Alias(TypeRef::Any));
        let mut variants = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let member_at = pointer::join(&list_at, &i.to_string());
            let (wire, candidate) = match member {
                ReferenceOr::Reference { reference } => {
                    let component = reference.rsplit('/').next().unwrap_or("variant").to_owned();
                    let wire = discriminator
                        .and_then(|d| {
                            // A mapping names its schema by reference or by component name.
                            d.mapping
                                .iter()
                                .find(|(_, target)| *target == reference || **target == component)
                        })
                        .map(|(value, _)| value.clone())
                        .unwrap_or_else(|| component.clone());
                    (wire, component)
                }
                ReferenceOr::Item(item) => {
                    let candidate = item
                        .schema_data
                        .title
                        .clone()
                        .unwrap_or_else(|| format!("variant {i}"));
                    (candidate.clone(), candidate)
                }
            };
            let member_hint = format!("{hint} {candidate}");
            let lowered = self.schema_or_ref(member, &member_at, &member_hint);
            variants.push(crate::ir::UnionVariant {
                name: Name::new(wire, candidate),
                ty: lowered.ty,
            });
        }
        let variants: Vec<UnionVariant> = variants;
        self.types.get_mut(id).kind = TypeKind::Union(Union {
            variants,
            discriminator: discriminator.map(|d| d.property_name.clone()),
            // Decided once every type is lowered (`parameters::record_plain_unions`).
            plain: false,
        });
        TypeRef::Named(id)
    }

    /// `allOf`: the members' properties merged into one struct, or the single member itself.
    fn all_of(
        &mut self,
        members: &[ReferenceOr<Schema>],
        schema: &Schema,
        at: &str,
        hint: &str,
        target: Option<TypeId>,
        docs: Docs,
    ) -> Lowered {
        let nullable = schema.schema_data.nullable;
        let list_at = pointer::join(at, "allOf");
        // `properties` next to `allOf` in the same schema are merged last.
        let own = match &schema.schema_kind {
            SchemaKind::Any(any)
                if !any.properties.is_empty() || any.additional_properties.is_some() =>
            {
                Some(object_of_any(any))
            }
            _ => None,
        };
        // Members that only annotate (`description`, `nullable`, a stray `maxLength`) add no
        // shape: with one member left that has one, the schema is that member's type, whatever
        // it is (an object, a string, an enum, a union).
        let shaped: Vec<(usize, &ReferenceOr<Schema>)> = members
            .iter()
            .enumerate()
            .filter(|(_, member)| !is_annotation_only(member))
            .collect();
        if let ([(i, member)], None) = (shaped.as_slice(), &own) {
            let annotated_nullable = members
                .iter()
                .any(|m| matches!(m, ReferenceOr::Item(s) if s.schema_data.nullable));
            let inner = self.schema_or_ref(member, &pointer::join(&list_at, &i.to_string()), hint);
            return Lowered::of(inner.ty, nullable || inner.nullable || annotated_nullable);
        }
        let mut merged = ObjectType::default();
        let mut ok = true;
        let mut seen = BTreeSet::new();
        for (i, member) in members.iter().enumerate() {
            ok &= self.collect_all_of(
                member,
                &pointer::join(&list_at, &i.to_string()),
                &mut merged,
                &mut seen,
                0,
            );
        }
        if !ok {
            return Lowered::of(TypeRef::Any, nullable);
        }
        if let Some(own) = &own {
            merge_object(&mut merged, own);
        }
        Lowered::of(self.object(&merged, at, hint, target, docs), nullable)
    }

    /// Adds one `allOf` member's properties to `merged`; false (after reporting) when the
    /// member is not an object. A component merged before (`seen`) is not merged again, so
    /// members that share references cost no more than the components they name; a cycle of
    /// references still runs into [`MAX_ALL_OF_DEPTH`].
    fn collect_all_of(
        &mut self,
        member: &ReferenceOr<Schema>,
        at: &str,
        merged: &mut ObjectType,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) -> bool {
        if depth > MAX_ALL_OF_DEPTH {
            self.report(at, "`allOf` nests too deeply (a cycle of references?)");
            return false;
        }
        let schema = match member {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } if seen.contains(reference) => return true,
            ReferenceOr::Reference { reference } => match self.referenced_schema(reference) {
                Some(schema) => schema,
                None => {
                    self.report(
                        &pointer::join(at, "$ref"),
                        format!("`$ref: {reference}` must name a component schema"),
                    );
                    return false;
                }
            },
        };
        let mut nested =
            |lowerer: &mut Self, all_of: &[ReferenceOr<Schema>], merged: &mut ObjectType| {
                all_of.iter().enumerate().all(|(i, inner)| {
                    let inner_at = pointer::join(&pointer::join(at, "allOf"), &i.to_string());
                    lowerer.collect_all_of(inner, &inner_at, merged, seen, depth + 1)
                })
            };
        let ok = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                merge_object(merged, object);
                true
            }
            SchemaKind::AllOf { all_of } => nested(self, all_of, merged),
            SchemaKind::Any(any)
                if any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && matches!(any.typ.as_deref(), None | Some("object")) =>
            {
                // Own properties after the nested members: later ones win.
                let ok = nested(self, &any.all_of, merged);
                merge_object(merged, &object_of_any(any));
                ok
            }
            _ => {
                self.report(at, "`allOf` members must be objects to be merged");
                false
            }
        };
        if let ReferenceOr::Reference { reference } = member {
            seen.insert(reference.clone());
        }
        ok
    }

    /// A schema without `type`: inferred from the keywords it does have.
    fn untyped(
        &mut self,
        any: &AnySchema,
        schema: &Schema,
        at: &str,
        hint: &str,
        target: Option<TypeId>,
        docs: Docs,
    ) -> Lowered {
        let nullable = schema.schema_data.nullable;
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, schema, at, hint, target, docs);
        }
        let ty = if !any.one_of.is_empty() {
            self.union(&any.one_of, "oneOf", schema, at, hint, target, docs)
        } else if !any.any_of.is_empty() {
            self.union(&any.any_of, "anyOf", schema, at, hint, target, docs)
        } else if !any.properties.is_empty() || any.additional_properties.is_some() {
            self.object(&object_of_any(any), at, hint, target, docs)
        } else if let Some(items) = &any.items {
            let item = self.boxed_schema_or_ref(
                items,
                &pointer::join(at, "items"),
                &format!("{hint} item"),
            );
            TypeRef::List(Box::new(element_type(item)))
        } else if !any.enumeration.is_empty() {
            let values: Option<Vec<String>> = any
                .enumeration
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect();
            match values {
                Some(values) => {
                    self.enumeration(Literals::String(values), schema, at, hint, target, docs)
                }
                None => TypeRef::Any,
            }
        } else if let Some(typ) = &any.typ {
            // A `type` whose schema also carries keywords of another type (`minimum` on a
            // string, `minItems` on a scalar): the type counts, the strays are ignored.
            let format = any.format.as_deref();
            let ty = match typ.as_str() {
                "string" => Some(TypeRef::Scalar(match format {
                    Some("date") => Scalar::Date,
                    Some("date-time") => Scalar::DateTime,
                    _ => Scalar::String,
                })),
                "integer" => Some(TypeRef::Scalar(if format == Some("int32") {
                    Scalar::I32
                } else {
                    Scalar::I64
                })),
                "number" => Some(TypeRef::Scalar(if format == Some("float") {
                    Scalar::F32
                } else {
                    Scalar::F64
                })),
                "boolean" => Some(TypeRef::Scalar(Scalar::Bool)),
                "array" => Some(TypeRef::List(Box::new(TypeRef::Any))),
                "object" => Some(TypeRef::Map(Box::new(TypeRef::Any))),
                _ => None,
            };
            match ty {
                Some(ty) => {
                    self.warn(
                        at,
                        format!("keywords that do not apply to `type: {typ}` are ignored"),
                    );
                    ty
                }
                None => {
                    self.report(
                        &pointer::join(at, "type"),
                        format!("unsupported `type: {typ}` here"),
                    );
                    TypeRef::Any
                }
            }
        } else {
            TypeRef::Any
        };
        Lowered::of(ty, nullable)
    }

    /// Declares a named type: at `target` when given, else as a new inline type.
    fn declare(
        &mut self,
        target: Option<TypeId>,
        hint: &str,
        at: &str,
        docs: Docs,
        kind: TypeKind,
    ) -> TypeId {
        match target {
            Some(id) => {
                self.types.define(id, docs, kind);
                id
            }
            None => self
                .types
                .add(Name::new("", hint), at.to_owned(), docs, kind),
        }
    }
}

/// The object keywords of a schema that has no `type`.
/// An inline schema with no shape of its own: no type, properties, items, composition or
/// enum, only annotations and validation keywords.
fn is_annotation_only(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(schema) = member else {
        return false;
    };
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.is_none()
                && any.properties.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.all_of.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
                && any.enumeration.is_empty()
        }
        _ => false,
    }
}

/// When every member is an inline schema with exactly one enum value, all strings or all
/// integers (`const` in 3.1 reads as a one-value enum), those values in order.
fn single_value_enums(members: &[ReferenceOr<Schema>]) -> Option<Literals> {
    let mut strings = Vec::new();
    let mut integers = Vec::new();
    for member in members {
        let ReferenceOr::Item(member) = member else {
            return None;
        };
        match &member.schema_kind {
            SchemaKind::Type(Type::String(string)) => match string.enumeration.as_slice() {
                [Some(value)] => strings.push(value.clone()),
                _ => return None,
            },
            SchemaKind::Type(Type::Integer(integer)) => match integer.enumeration.as_slice() {
                [Some(value)] => integers.push(*value),
                _ => return None,
            },
            _ => return None,
        }
    }
    let (mut unique_strings, mut unique_integers) = (BTreeSet::new(), BTreeSet::new());
    match (strings.is_empty(), integers.is_empty()) {
        (false, true) => strings
            .iter()
            .all(|value| unique_strings.insert(value))
            .then_some(Literals::String(strings)),
        (true, false) => integers
            .iter()
            .all(|value| unique_integers.insert(*value))
            .then_some(Literals::Integer(integers)),
        _ => None,
    }
}

/// The values of an enum schema, before they are named.
enum Literals {
    /// `type: string` values.
    String(Vec<String>),
    /// `type: integer` values.
    Integer(Vec<i64>),
}

fn object_of_any(any: &AnySchema) -> ObjectType {
    ObjectType {
        properties: any.properties.clone(),
        required: any.required.clone(),
        additional_properties: any.additional_properties.clone(),
        min_properties: any.min_properties,
        max_properties: any.max_properties,
    }
}

/// Adds `object`'s properties and requirements to `merged` (later members win on clashes).
fn merge_object(merged: &mut ObjectType, object: &ObjectType) {
    for (name, property) in &object.properties {
        merged.properties.insert(name.clone(), property.clone());
    }
    for name in &object.required {
        if !merged.required.contains(name) {
            merged.required.push(name.clone());
        }
    }
    if object.additional_properties.is_some() {
        merged.additional_properties = object.additional_properties.clone();
    }
}
