//! `Serialize` and `Deserialize` for every JSON type, written out instead of derived; each
//! type's impls follow the type in its file (see the `types` emitter).
//!
//! serde's derive expands every struct into a field enum with its own visitor, a sequence
//! visitor and a map visitor with duplicate checks; across hundreds of types that is most of
//! a generated crate's compile time. The impls here do the same job for JSON with one match
//! per struct, keyed by the wire names: each key (an `openapi_client_runtime::de::Key`,
//! borrowed from the input) is matched on the field's wire name and its value read into a
//! local named after the field; unknown keys are kept in the struct's map when it has one
//! (`additionalProperties`, or the `extra` map of a received struct) and skipped otherwise,
//! and a missing required field is serde's `missing_field` error. Later duplicates of a key
//! win. A new property is one arm, one local and one field of the struct literal.
//!
//! The impls share their module with the spec's types, so every name they use is one no type
//! can shadow: paths start with a crate (`serde::`, `std::`) or the runtime's helper module,
//! imported as `de`, and type names are PascalCase; `Some`, `None`, `Ok` and `Err` live in the
//! value namespace, which braced structs and enums do not enter; `Result` is written in full
//! in a file that declares a type of that name. A field's local can only clash with the
//! visitor's own two locals, the map and the key, which take another name then.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::runtime::{DE, DESERIALIZE_OBJECT, NULLABLE, SERIALIZE_MAP_EXT};
use super::rust_type::ident;
use crate::ir::{Enum, EnumRepr, Presence, Struct, TypeDef, TypeKind, Union};

/// The cargo feature that compiles the serde impls the client itself never uses:
/// `Serialize` of what it only receives, `Deserialize` of what it only sends.
pub(super) const SERDE_BOTH_FEATURE: &str = "serde-both";

/// The imports the impls of `defs` (one file's types) rely on, for the top of their file.
/// A feature set can leave every impl that uses one out, hence `allow(unused_imports)`.
pub(super) fn imports(defs: &[&TypeDef]) -> TokenStream {
    let json_structs = || {
        defs.iter().filter_map(|def| match &def.kind {
            TypeKind::Struct(strukt) if !strukt.multipart => Some(strukt),
            _ => None,
        })
    };
    let has_impls = defs.iter().any(|def| match &def.kind {
        TypeKind::Struct(strukt) => !strukt.multipart,
        TypeKind::Enum(_) | TypeKind::Union(_) => true,
        TypeKind::Alias(_) | TypeKind::StatusEnum(_) => false,
    });
    let de = DE;
    let map_ext = SERIALIZE_MAP_EXT;
    let de_import = has_impls.then(|| quote!(#[allow(unused_imports)] use #de;));
    let map_import = json_structs().next().is_some().then(|| {
        quote!(
            #[allow(unused_imports)]
            use ::serde::ser::SerializeMap as _;
        )
    });
    let ext_import = json_structs()
        .any(|strukt| {
            strukt
                .fields
                .iter()
                .any(|field| matches!(field.presence, Presence::Optional | Presence::Nullable))
        })
        .then(|| quote!(#[allow(unused_imports)] use #map_ext as _;));
    quote!(#de_import #map_import #ext_import)
}

/// How the impls of one file write `Result`: in full when the file declares a type of that
/// name, which would shadow the prelude's.
pub(super) fn result_path(defs: &[&TypeDef]) -> TokenStream {
    if defs.iter().any(|def| def.name.rust == "Result") {
        quote!(::std::result::Result)
    } else {
        quote!(Result)
    }
}

/// The serde impls of `def`, for its file: none for aliases, status enums and multipart
/// bodies. `group` is the `cfg` condition of the groups that use the type when the file is
/// not compiled for them as a whole; `result` is [`result_path`].
pub(super) fn impls(
    def: &TypeDef,
    group: Option<&TokenStream>,
    result: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name.rust);
    let gates = Gates {
        serialize: gate(group, def.flow.sent),
        deserialize: gate(group, def.flow.received),
    };
    let pair = ImplPair {
        name: &name,
        gates: &gates,
        result,
    };
    match &def.kind {
        TypeKind::Struct(strukt) if !strukt.multipart => {
            let object = object_impl(def, &name, strukt, &gates.deserialize, result);
            let write = pair.write(&serialize_struct(strukt));
            let de_cfg = &gates.deserialize;
            quote! {
                #write
                #de_cfg
                #DESERIALIZE_OBJECT!(#name);
                #object
            }
        }
        TypeKind::Enum(enumeration) => enum_impls(&pair, enumeration),
        TypeKind::Union(union) => union_impls(&pair, &def.name.rust, union),
        TypeKind::Struct(_) | TypeKind::Alias(_) | TypeKind::StatusEnum(_) => quote!(),
    }
}

/// The `#[cfg(...)]` of a type's `Serialize` and of its `Deserialize` impl.
struct Gates {
    serialize: TokenStream,
    deserialize: TokenStream,
}

/// `#[cfg(...)]` for one direction of a type's serde impls: the groups that use the type
/// (when its file is not theirs alone) and, when the client never moves the type that way,
/// [`SERDE_BOTH_FEATURE`].
fn gate(group: Option<&TokenStream>, used: bool) -> TokenStream {
    let both = SERDE_BOTH_FEATURE;
    match (group, used) {
        (None, true) => TokenStream::new(),
        (Some(group), true) => quote!(#[cfg(#group)]),
        (None, false) => quote!(#[cfg(feature = #both)]),
        (Some(group), false) => quote!(#[cfg(all(#group, feature = #both))]),
    }
}

/// The body of `serialize`: the fields as a JSON object, as their presence says: required
/// ones always (`null` for a nullable one without a value), optional ones only when set,
/// `Nullable` ones unless absent; then the further keys.
fn serialize_struct(strukt: &Struct) -> TokenStream {
    let entries = strukt.fields.iter().map(|field| {
        let field_name = ident(&field.name.rust);
        let wire = &field.name.wire;
        match field.presence {
            Presence::Required | Presence::RequiredNullable => {
                quote! { map.serialize_entry(#wire, &self.#field_name)?; }
            }
            Presence::Optional => quote! { map.serialize_if_some(#wire, &self.#field_name)?; },
            Presence::Nullable => {
                quote! { map.serialize_if_present(#wire, &self.#field_name)?; }
            }
        }
    });
    let additional = strukt.additional.as_ref().map(|additional| {
        let field_name = ident(&additional.name.rust);
        quote! {
            for (key, value) in &self.#field_name {
                map.serialize_entry(key, value)?;
            }
        }
    });
    let written = !strukt.fields.is_empty() || strukt.additional.is_some();
    let binding = if written {
        quote!(mut map)
    } else {
        quote!(map)
    };
    quote! {
        let #binding = serializer.serialize_map(None)?;
        #(#entries)*
        #additional
        map.end()
    }
}

/// `de::Object` for a struct: how it is read from a JSON object, under the gate of its
/// `Deserialize` impl (which calls `de::object`).
fn object_impl(
    def: &TypeDef,
    name: &Ident,
    strukt: &Struct,
    gate: &TokenStream,
    result: &TokenStream,
) -> TokenStream {
    let expecting = format!("a {} object", def.name.rust);
    // With every field optional and `Default` derived, values are written into a default
    // struct in place; otherwise each field has a local and required ones are checked.
    let fill_in_place = def.derive_default && strukt.fields.iter().all(|field| field.optional());
    // The locals named after fields (the additional properties' map included), against
    // which the map access and the key are named.
    let mut taken = BTreeSet::new();
    if !fill_in_place {
        taken.extend(strukt.fields.iter().map(|field| field.name.rust.clone()));
        taken.extend(strukt.additional.iter().map(|map| map.name.rust.clone()));
    }
    let locals = VisitorLocals {
        map: visitor_local("map", &taken),
        key: visitor_local("key", &taken),
    };
    let map = &locals.map;
    let body = visit_map_body(strukt, fill_in_place, &locals);
    quote! {
        #gate
        impl de::Object for #name {
            const EXPECTING: &'static str = #expecting;
            fn visit_map<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> #result<Self, A::Error> {
                #body
            }
        }
    }
}

/// The names of the visitor's own locals: the map access and the current key.
struct VisitorLocals {
    map: Ident,
    key: Ident,
}

/// A local of the visitor that no field's local takes: `base`, or `base_`, `base__`, ...
fn visitor_local(base: &str, fields: &BTreeSet<String>) -> Ident {
    let mut name = base.to_owned();
    while fields.contains(&name) {
        name.push('_');
    }
    format_ident!("{name}")
}

/// The statements of `visit_map`: the key loop, matching each key on the wire names and
/// writing its value either into a default struct (`fill_in_place`) or into a local named
/// after the field, from which the struct is built with required fields checked. Every arm
/// reads its value with a seed that stores it in place, so the arms share one type and one
/// `?`: less for the compiler to check than a `?` per field.
fn visit_map_body(strukt: &Struct, fill_in_place: bool, locals: &VisitorLocals) -> TokenStream {
    let VisitorLocals { map, key } = locals;
    if strukt.fields.is_empty() && strukt.additional.is_none() {
        return quote! {
            while #map.next_key_seed(de::Skip)?.is_some() {
                #map.next_value_seed(de::Skip)?;
            }
            Ok(Self {})
        };
    }
    let arms = strukt.fields.iter().map(|field| {
        let field_name = ident(&field.name.rust);
        let wire = &field.name.wire;
        let place = if fill_in_place {
            quote!(de::Slot(&mut value.#field_name))
        } else if field.optional() {
            quote!(de::Slot(&mut #field_name))
        } else {
            quote!(de::Present(&mut #field_name))
        };
        quote! { #wire => #map.next_value_seed(#place), }
    });
    let rest = match &strukt.additional {
        Some(additional) => {
            let field_name = ident(&additional.name.rust);
            let others = if fill_in_place {
                quote!(value.#field_name)
            } else {
                quote!(#field_name)
            };
            quote!(_ => #map.next_value_seed(de::Insert(&mut #others, #key.into_string())),)
        }
        None => quote!(_ => #map.next_value_seed(de::Skip),),
    };
    let keys = quote! {
        while let Some(#key) = #map.next_key::<de::Key<'de>>()? {
            match #key.as_str() {
                #(#arms)*
                #rest
            }?;
        }
    };
    if fill_in_place {
        return quote! {
            let mut value = Self::default();
            #keys
            Ok(value)
        };
    }
    let nullable = NULLABLE;
    let locals = strukt.fields.iter().map(|field| {
        let field_name = ident(&field.name.rust);
        let empty = match field.presence {
            Presence::Nullable => quote!(#nullable::Absent),
            Presence::Required | Presence::RequiredNullable | Presence::Optional => quote!(None),
        };
        quote! { let mut #field_name = #empty; }
    });
    let inits = strukt.fields.iter().map(|field| {
        let field_name = ident(&field.name.rust);
        if field.optional() {
            quote! { #field_name, }
        } else {
            let wire = &field.name.wire;
            quote! {
                #field_name: #field_name.ok_or_else(|| <A::Error as serde::de::Error>::missing_field(#wire))?,
            }
        }
    });
    let (others_local, others_init) = match &strukt.additional {
        Some(additional) => {
            let field_name = ident(&additional.name.rust);
            (
                quote! { let mut #field_name = std::collections::BTreeMap::new(); },
                quote! { #field_name, },
            )
        }
        None => (quote!(), quote!()),
    };
    quote! {
        #(#locals)*
        #others_local
        #keys
        Ok(Self { #(#inits)* #others_init })
    }
}

/// What `Serialize` and `Deserialize` impls for one type share.
struct ImplPair<'a> {
    name: &'a Ident,
    gates: &'a Gates,
    result: &'a TokenStream,
}

impl ImplPair<'_> {
    /// `Serialize` and `Deserialize` for the type, each under its gate, around the bodies of
    /// `serialize` (with `serializer`) and `deserialize` (with `deserializer`).
    fn write_read(&self, write: &TokenStream, read: &TokenStream) -> TokenStream {
        let write = self.write(write);
        let ImplPair {
            name,
            gates,
            result,
        } = self;
        let de_cfg = &gates.deserialize;
        quote! {
            #write
            #de_cfg
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    #read
                }
            }
        }
    }

    /// `Serialize` for the type, under its gate, around the body of `serialize` (with
    /// `serializer`).
    fn write(&self, write: &TokenStream) -> TokenStream {
        let ImplPair {
            name,
            gates,
            result,
        } = self;
        let ser_cfg = &gates.serialize;
        quote! {
            #ser_cfg
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    #write
                }
            }
        }
    }
}

/// An enum's value is a string or an integer; values the spec does not list are kept.
fn enum_impls(pair: &ImplPair<'_>, enumeration: &Enum) -> TokenStream {
    let (write, read) = match enumeration.repr() {
        EnumRepr::String => (
            quote!(serializer.serialize_str(self.as_str())),
            quote!(de::string_enum(deserializer, |value: &str| Self::from(
                value
            ))),
        ),
        EnumRepr::Integer => (
            quote!(serializer.serialize_i64(self.as_i64())),
            quote!(de::lenient_i64(deserializer).map(Self::from)),
        ),
    };
    pair.write_read(&write, &read)
}

/// A union is written as its alternative. A value is read once into a `serde_json::Value`;
/// with a discriminator, the alternative its value names is decoded (and its error
/// returned); otherwise, or for a value no mapping names, the alternatives are tried in spec
/// order and the first that fits wins.
fn union_impls(pair: &ImplPair<'_>, rust_name: &str, union: &Union) -> TokenStream {
    let variants: Vec<Ident> = union.variants.iter().map(|v| ident(&v.name.rust)).collect();
    let by_tag = union.discriminator.as_ref().map(|property| {
        let mut seen = BTreeSet::new();
        let arms = union
            .variants
            .iter()
            .zip(&variants)
            .filter_map(|(variant, rust)| {
                let wire = &variant.name.wire;
                // Two alternatives claiming one value: the first keeps it, as in spec order.
                seen.insert(wire.as_str()).then(|| {
                    quote! {
                        Some(#wire) => return de::from_value(&value).map(Self::#rust),
                    }
                })
            });
        quote! {
            match de::tag(&value, #property) {
                #(#arms)*
                _ => {}
            }
        }
    });
    let write = quote! {
        match self {
            #(Self::#variants(value) => serde::Serialize::serialize(value, serializer),)*
        }
    };
    let read = quote! {
        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
        #by_tag
        #(
            if let Ok(decoded) = de::from_value::<_, D::Error>(&value) {
                return Ok(Self::#variants(decoded));
            }
        )*
        Err(de::no_alternative(#rust_name))
    };
    pair.write_read(&write, &read)
}
