//! The `types::serde_impls` module: `Serialize` and `Deserialize` for every JSON type,
//! written out instead of derived.
//!
//! serde's derive expands every struct into a field enum with its own visitor, a sequence
//! visitor and a map visitor with duplicate checks; across hundreds of types that is most of
//! a generated crate's compile time. The impls here do the same job for JSON with one match
//! per struct: a key is looked up with `openapi_client_runtime::de::FieldIndex` and a `match` from
//! wire name to field index, unknown keys are kept in the struct's map when it has one
//! (`additionalProperties`, or the `extra` map of a received struct) and skipped otherwise,
//! and a missing required field is serde's `missing_field` error. Later duplicates of a key
//! win.
//!
//! The module is a child of `types` that imports nothing from it: types are named
//! `super::Ticket`, so the prelude's `Option`, `Some` or `Result` cannot be shadowed by a
//! schema of that name, and the code stays short. Its one import is the runtime's helper
//! module, as `de` (`de::Slot`, `de::FieldIndex`).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::rust_type::ident;
use super::types::group_condition;
use crate::ir::{Api, Enum, EnumRepr, Presence, Struct, TypeDef, TypeKind, Union};

/// The whole module, impls in type-name order.
pub fn serde_module(api: &Api) -> TokenStream {
    let mut defs: Vec<&TypeDef> = api.types.iter().map(|(_, def)| def).collect();
    defs.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    let impls = defs.into_iter().map(|def| {
        let name = ident(&def.name.rust);
        let group = group_condition(api, def);
        let cfg = Gates {
            serialize: gate(group.as_ref(), def.flow.sent),
            deserialize: gate(group.as_ref(), def.flow.received),
        };
        match &def.kind {
            TypeKind::Struct(strukt) if !strukt.multipart => impl_pair(
                &name,
                &cfg,
                &serialize_struct(strukt),
                &deserialize_struct(def, &name, strukt),
            ),
            TypeKind::Enum(enumeration) => enum_impls(&name, enumeration, &cfg),
            TypeKind::Union(union) => union_impls(&def.name.rust, &name, union, &cfg),
            TypeKind::Struct(_) | TypeKind::Alias(_) | TypeKind::StatusEnum(_) => quote!(),
        }
    });
    quote! {
        //! How the types of the parent module are written to and read from JSON.
        // Unused when the enabled features leave no impl that reads JSON.
        #[allow(unused_imports)]
        use openapi_client_runtime::de;
        #(#impls)*
    }
}

/// The `#[cfg(...)]` of a type's `Serialize` and of its `Deserialize` impl.
struct Gates {
    serialize: TokenStream,
    deserialize: TokenStream,
}

/// The cargo feature that compiles the serde impls the client itself never uses:
/// `Serialize` of what it only receives, `Deserialize` of what it only sends.
pub(super) const SERDE_BOTH_FEATURE: &str = "serde-both";

/// `#[cfg(...)]` for one direction of a type's serde impls: the groups that use the type
/// and, when the client never moves the type that way, [`SERDE_BOTH_FEATURE`].
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
    let optional = strukt
        .fields
        .iter()
        .any(|field| matches!(field.presence, Presence::Optional | Presence::Nullable));
    let extension = optional.then(|| {
        quote!(
            use openapi_client_runtime::ser::SerializeMapExt as _;
        )
    });
    quote! {
        use serde::ser::SerializeMap as _;
        #extension
        let #binding = serializer.serialize_map(None)?;
        #(#entries)*
        #additional
        map.end()
    }
}

/// The body of `deserialize`: reads a JSON object into the struct through a map visitor.
fn deserialize_struct(def: &TypeDef, name: &Ident, strukt: &Struct) -> TokenStream {
    let expecting = format!("a {} object", def.name.rust);
    // With every field optional and `Default` derived, values are written into a default
    // struct in place; otherwise each field has a local and required ones are checked.
    let fill_in_place = def.derive_default && strukt.fields.iter().all(|field| field.optional());
    let body = visit_map_body(name, strukt, fill_in_place);
    quote! {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = super::#name;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#expecting)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                #body
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The statements of `visit_map`: the key loop, writing each value either into a default
/// struct (`fill_in_place`) or into one local per field (`f0`, `f1`, ... in field order, so no
/// field name can shadow `map`) from which the struct is built, with required fields checked.
/// Every arm of the loop's `match` reads its value with a seed that stores it in place, so
/// the arms share one type and one `?`: less for the compiler to check than a `?` per field.
fn visit_map_body(name: &Ident, strukt: &Struct, fill_in_place: bool) -> TokenStream {
    if strukt.fields.is_empty() && strukt.additional.is_none() {
        return quote! {
            while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
            Ok(super::#name {})
        };
    }
    let skip = quote! { map.next_value::<serde::de::IgnoredAny>().map(drop), };
    let locals: Vec<Ident> = (0..strukt.fields.len())
        .map(|i| format_ident!("f{i}"))
        .collect();
    let indexes: Vec<Literal> = (0..strukt.fields.len())
        .map(Literal::usize_unsuffixed)
        .collect();
    let wires = strukt.fields.iter().map(|field| field.name.wire.as_str());
    // With additional properties, unknown keys come back (`Err(key)`) to be kept.
    let additional = strukt.additional.as_ref().map(|a| ident(&a.name.rust));
    let (seed, known, rest) = match &additional {
        Some(field_name) => {
            let others = if fill_in_place {
                quote!(value.#field_name)
            } else {
                quote!(others)
            };
            (
                quote!(FieldOrKey),
                quote!(Ok),
                quote! {
                    Ok(_) => #skip
                    Err(key) => map.next_value_seed(de::Insert(&mut #others, key)),
                },
            )
        }
        None => (quote!(FieldIndex), quote!(Some), quote! { _ => #skip }),
    };
    let arms = strukt.fields.iter().enumerate().map(|(i, field)| {
        let index = &indexes[i];
        let local = &locals[i];
        let place = if fill_in_place {
            let field_name = ident(&field.name.rust);
            quote!(de::Slot(&mut value.#field_name))
        } else if field.optional() {
            quote!(de::Slot(&mut #local))
        } else {
            quote!(de::Present(&mut #local))
        };
        quote! { #known(#index) => map.next_value_seed(#place), }
    });
    let keys = quote! {
        let fields = de::#seed(|key| match key {
            #(#wires => Some(#indexes),)*
            _ => None,
        });
        while let Some(key) = map.next_key_seed(fields)? {
            match key {
                #(#arms)*
                #rest
            }?;
        }
    };
    if fill_in_place {
        return quote! {
            let mut value = super::#name::default();
            #keys
            Ok(value)
        };
    }
    let inits = strukt.fields.iter().zip(&locals).map(|(field, local)| {
        let field_name = ident(&field.name.rust);
        if field.optional() {
            quote! { #field_name: #local, }
        } else {
            let wire = &field.name.wire;
            quote! {
                #field_name: #local.ok_or_else(|| <A::Error as serde::de::Error>::missing_field(#wire))?,
            }
        }
    });
    let others_local = additional
        .as_ref()
        .map(|_| quote! { let mut others = std::collections::BTreeMap::new(); });
    let others_init = additional
        .as_ref()
        .map(|field_name| quote! { #field_name: others, });
    let empty = strukt.fields.iter().map(|field| match field.presence {
        Presence::Nullable => quote!(openapi_client_runtime::Nullable::Absent),
        Presence::Required | Presence::RequiredNullable | Presence::Optional => quote!(None),
    });
    quote! {
        #(let mut #locals = #empty;)*
        #others_local
        #keys
        Ok(super::#name { #(#inits)* #others_init })
    }
}

/// An enum's value is a string or an integer; values the spec does not list are kept.
fn enum_impls(name: &Ident, enumeration: &Enum, cfg: &Gates) -> TokenStream {
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
    impl_pair(name, cfg, &write, &read)
}

/// `Serialize` and `Deserialize` for `super::name`, each under its gate, around the bodies
/// of `serialize` (with `serializer`) and `deserialize` (with `deserializer`).
fn impl_pair(name: &Ident, cfg: &Gates, write: &TokenStream, read: &TokenStream) -> TokenStream {
    let Gates {
        serialize: ser_cfg,
        deserialize: de_cfg,
    } = cfg;
    quote! {
        #ser_cfg
        impl serde::Serialize for super::#name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #write
            }
        }
        #de_cfg
        impl<'de> serde::Deserialize<'de> for super::#name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #read
            }
        }
    }
}

/// A union is written as its alternative. A value is read once into a `serde_json::Value`;
/// with a discriminator, the alternative its value names is decoded (and its error
/// returned); otherwise, or for a value no mapping names, the alternatives are tried in spec
/// order and the first that fits wins.
fn union_impls(rust_name: &str, name: &Ident, union: &Union, cfg: &Gates) -> TokenStream {
    let variants: Vec<Ident> = union.variants.iter().map(|v| ident(&v.name.rust)).collect();
    let by_tag = union.discriminator.as_ref().map(|property| {
        let mut seen = std::collections::BTreeSet::new();
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
    impl_pair(name, cfg, &write, &read)
}
