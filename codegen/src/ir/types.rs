//! The types arena: every named type the generated code declares.

use serde::Serialize;

use super::{Docs, ModuleId, Name, StatusVariant, ValueLimits};

/// A stable index into the [`TypeArena`]. Component schemas get theirs before any schema is
/// lowered, so forward and cyclic references resolve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TypeId(pub usize);

/// All type definitions, indexed by [`TypeId`].
#[derive(Clone, Debug, Default, Serialize)]
pub struct TypeArena {
    defs: Vec<TypeDef>,
}

impl TypeArena {
    /// Reserves an id for a type defined later with [`TypeArena::define`].
    pub fn reserve(&mut self, name: Name, origin: String) -> TypeId {
        self.defs.push(TypeDef {
            name,
            docs: Docs::default(),
            origin,
            kind: TypeKind::Alias(TypeRef::Any),
            derive_default: false,
            used_by: Vec::new(),
            flow: Flow::default(),
        });
        TypeId(self.defs.len() - 1)
    }

    /// Sets the definition of a reserved id.
    pub fn define(&mut self, id: TypeId, docs: Docs, kind: TypeKind) {
        let def = &mut self.defs[id.0];
        def.docs = docs;
        def.kind = kind;
    }

    /// Adds a complete definition and returns its id.
    pub fn add(&mut self, name: Name, origin: String, docs: Docs, kind: TypeKind) -> TypeId {
        let id = self.reserve(name, origin);
        self.define(id, docs, kind);
        id
    }

    /// The definition of `id`.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    /// The definition of `id`, for the naming and analysis passes.
    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.defs[id.0]
    }

    /// Every definition with its id, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.defs
            .iter()
            .enumerate()
            .map(|(i, def)| (TypeId(i), def))
    }

    /// The property `field` names, if it names one.
    pub fn find_field(&self, field: FieldRef) -> Option<&Field> {
        match &self.defs.get(field.owner.0)?.kind {
            TypeKind::Struct(owner) => owner.fields.get(field.index),
            _ => None,
        }
    }

    /// The property `field` names. Lowering checks every field reference
    /// ([`TypeArena::find_field`]), so for IR it made this never panics.
    pub fn field(&self, field: FieldRef) -> &Field {
        self.find_field(field)
            .unwrap_or_else(|| panic!("generator bug: {field:?} names no field"))
    }

    /// How many types there are.
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }
}

/// A property of a struct type: the struct, and the place of the field among its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FieldRef {
    /// The struct.
    pub owner: TypeId,
    /// The index of the field in its [`Struct::fields`].
    pub index: usize,
}

/// One named type.
#[derive(Clone, Debug, Serialize)]
pub struct TypeDef {
    /// Wire: the component name (empty for inline schemas); Rust: the type name.
    pub name: Name,
    /// Its documentation.
    pub docs: Docs,
    /// The schema it was lowered from.
    pub origin: String,
    /// What it is.
    pub kind: TypeKind,
    /// Whether `Default` can be derived (set by the analysis pass).
    pub derive_default: bool,
    /// The resource groups whose operations use this type, directly or through other types;
    /// empty when no operation does. Decides the cargo features a type is compiled under.
    pub used_by: Vec<ModuleId>,
    /// Which ways the operations move it over the wire (set with `used_by`). Decides which of
    /// its serde impls are always compiled.
    pub flow: Flow,
}

/// Which ways a type crosses the wire: sent in a request (a body or a parameter, so the
/// client serialises it) or received in a response (so the client deserialises it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Flow {
    /// Part of some request.
    pub sent: bool,
    /// Part of some response.
    pub received: bool,
}

/// The shape of a named type.
#[derive(Clone, Debug, Serialize)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A closed list of string or integer values, plus a catch-all for unknown ones.
    Enum(Enum),
    /// One of several types (`oneOf`/`anyOf`).
    Union(Union),
    /// Another name for a type (`type Foo = String`).
    Alias(TypeRef),
    /// The result of an operation whose 2xx responses differ: one variant per status.
    StatusEnum(StatusEnum),
}

/// The success result of an operation, by status.
#[derive(Clone, Debug, Serialize)]
pub struct StatusEnum {
    /// One entry per documented 2xx status.
    pub variants: Vec<StatusVariant>,
    /// The variant for an undocumented 2xx status; it holds the status code.
    pub other: Name,
}

/// An object type.
#[derive(Clone, Debug, Serialize)]
pub struct Struct {
    /// Its properties in spec order.
    pub fields: Vec<Field>,
    /// The type of extra properties (`additionalProperties`), kept in a map field.
    pub additional: Option<AdditionalField>,
    /// Where the fields of a multipart body go: true when this struct is sent as form parts.
    pub multipart: bool,
    /// `additionalProperties: false`: the schema allows no keys beyond its properties, so
    /// none are kept.
    pub closed: bool,
}

/// The map that holds the keys of an object beyond its declared properties.
#[derive(Clone, Debug, Serialize)]
pub struct AdditionalField {
    /// Rust name of the map field (wire name unused).
    pub name: Name,
    /// The value type.
    pub ty: TypeRef,
    /// Why the struct has the map.
    pub source: MapSource,
}

/// Why a struct keeps the keys it does not declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum MapSource {
    /// The schema says so (`additionalProperties`); the values have the schema's type.
    Declared,
    /// The struct is received and its schema says nothing of further keys: what the API
    /// sends beyond the declared properties is kept as JSON values for the caller to read.
    Undeclared,
}

/// One property of an object.
#[derive(Clone, Debug, Serialize)]
pub struct Field {
    /// Wire: the JSON key; Rust: the field name.
    pub name: Name,
    /// The value type.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// `readOnly: true`: sent by the server only.
    pub read_only: bool,
    /// How the Rust field holds the value (decided by lowering from `required`, `nullable`
    /// and the way the struct travels).
    pub presence: Presence,
    /// Stored behind a `Box` to break a cycle of direct containment (set by analysis).
    pub boxed: bool,
    /// Its description.
    pub docs: Docs,
    /// Bounds and format of its values (a string's `maxLength`, an email address, ...).
    #[serde(skip_serializing_if = "ValueLimits::is_empty")]
    pub limits: ValueLimits,
}

impl Field {
    /// Whether the Rust field is more than the plain value (an `Option` or a `Nullable`):
    /// it can be left without a value, so it has a default.
    pub fn optional(&self) -> bool {
        self.presence != Presence::Required
    }
}

/// How a struct field holds its value, in Rust and on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Presence {
    /// Required and not nullable: the plain type, always written; a missing key is an
    /// error naming it.
    Required,
    /// Required and nullable: `Option<T>`, written as `null` when `None`; a missing key
    /// reads as `None` too.
    RequiredNullable,
    /// Not required: `Option<T>`, left out when `None`; a missing key (and, for a nullable
    /// field, `null`) reads as `None`.
    Optional,
    /// Not required and nullable, in a struct the client sends as JSON: `Nullable<T>`, whose
    /// three states are left out, written as `null` and written with a value, so a request
    /// can clear the field.
    Nullable,
}

impl Presence {
    /// What the spec's `required` and `nullable` alone make of a field; [`Presence::Nullable`]
    /// also depends on how the struct travels and is decided after the operations are lowered.
    pub fn of(required: bool, nullable: bool) -> Self {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, _) => Presence::Optional,
        }
    }
}

/// The representation of an enum's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers.
    Integer,
}

/// A closed set of values.
#[derive(Clone, Debug, Serialize)]
pub struct Enum {
    /// The documented values in spec order, each with its variant.
    pub values: EnumValues,
    /// The variant that keeps a value the spec does not list.
    pub unknown: Name,
}

/// The documented values of an enum.
#[derive(Clone, Debug, Serialize)]
pub enum EnumValues {
    /// JSON strings: each variant's wire name is its value.
    String(Vec<Name>),
    /// JSON integers.
    Integer(Vec<IntegerVariant>),
}

/// A documented value of an integer enum.
#[derive(Clone, Debug, Serialize)]
pub struct IntegerVariant {
    /// Wire: the value in decimal (for documentation); Rust: the variant name.
    pub name: Name,
    /// The value.
    pub value: i64,
}

impl Enum {
    /// Whether the values are strings or integers.
    pub fn repr(&self) -> EnumRepr {
        match self.values {
            EnumValues::String(_) => EnumRepr::String,
            EnumValues::Integer(_) => EnumRepr::Integer,
        }
    }

    /// The names of the documented values' variants, in spec order.
    pub fn variants(&self) -> impl Iterator<Item = &Name> {
        let (strings, integers) = match &self.values {
            EnumValues::String(names) => (names.as_slice(), &[][..]),
            EnumValues::Integer(variants) => (&[][..], variants.as_slice()),
        };
        strings
            .iter()
            .chain(integers.iter().map(|variant| &variant.name))
    }

    /// The names of the documented values' variants, for the naming pass.
    pub(crate) fn variants_mut(&mut self) -> impl Iterator<Item = &mut Name> {
        let (strings, integers) = match &mut self.values {
            EnumValues::String(names) => (names.as_mut_slice(), &mut [][..]),
            EnumValues::Integer(variants) => (&mut [][..], variants.as_mut_slice()),
        };
        strings
            .iter_mut()
            .chain(integers.iter_mut().map(|variant| &mut variant.name))
    }
}

/// One of several types.
#[derive(Clone, Debug, Serialize)]
pub struct Union {
    /// The alternatives in spec order.
    pub variants: Vec<UnionVariant>,
    /// The property that tells them apart, when the spec names one.
    pub discriminator: Option<String>,
    /// Every alternative is a plain value (a scalar, a value enum or an alias of one), so the
    /// union can be a parameter, written as the alternative it holds. Decided by lowering,
    /// which also checks parameters with it.
    pub plain: bool,
}

/// One alternative of a union.
#[derive(Clone, Debug, Serialize)]
pub struct UnionVariant {
    /// Wire: the discriminator value (if any); Rust: the variant name.
    pub name: Name,
    /// The alternative's type.
    pub ty: TypeRef,
}

/// A use of a type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum TypeRef {
    /// A type from the arena.
    Named(TypeId),
    /// A built-in scalar.
    Scalar(Scalar),
    /// A JSON array.
    List(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
    /// Raw bytes: a file part of a multipart body, or a binary body.
    Binary,
}

/// Built-in scalar types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Scalar {
    Bool,
    I32,
    I64,
    /// A count: page numbers and page sizes of numbered lists.
    U32,
    F32,
    F64,
    String,
    /// `format: date` (YYYY-MM-DD).
    Date,
    /// `format: date-time` (RFC 3339).
    DateTime,
}
