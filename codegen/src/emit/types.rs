//! The types' files: `src/types.rs` and one file under `src/types/` per resource group, each
//! type followed by its serde impls.
//!
//! A type only one resource group uses is that group's own: it goes to the group's file
//! (`types/tickets.rs`), whose module is compiled with the group's feature, so the type needs
//! no `cfg` of its own. Every other type (used by several groups, by every group, or by
//! none) goes to the shared file (`types/shared.rs`) under the `cfg` of the groups that use
//! it. `src/types.rs` declares the files' modules and re-exports their types, so every type
//! is `crate::types::Name` wherever it lives.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::runtime::{FORM, MULTIPART, NULLABLE, PARAM_VALUE};
use super::rust_type::{ident, rust_type, rust_type_choosing};
use super::serde_impls;
use crate::ir::{
    AdditionalField, Api, Enum, EnumValues, Field, MapSource, Module, Presence, StatusEnum, Struct,
    TypeDef, TypeKind, Union,
};

/// One file of types under `src/types/`.
pub struct TypeFile<'a> {
    /// The module's name, also the file's: the group's module name, or the shared one's.
    pub module: String,
    /// The resource group whose own types the file holds; `None` for the shared file.
    group: Option<&'a Module>,
    /// Its types, sorted by Rust name.
    defs: Vec<&'a TypeDef>,
}

impl TypeFile<'_> {
    /// How many types the file holds.
    pub fn type_count(&self) -> usize {
        self.defs.len()
    }
}

/// The files of types: the shared one (when it has types) first, then one per resource group
/// with types of its own, in module-name order.
pub fn type_files(api: &Api) -> Vec<TypeFile<'_>> {
    let mut defs: Vec<&TypeDef> = api.types.iter().map(|(_, def)| def).collect();
    defs.sort_by(|a, b| a.name.rust.cmp(&b.name.rust));
    let mut own: Vec<Vec<&TypeDef>> = vec![Vec::new(); api.modules.len()];
    let mut shared = Vec::new();
    for def in defs {
        match home(api, def) {
            Some(index) => own[index].push(def),
            None => shared.push(def),
        }
    }
    let mut groups: Vec<TypeFile<'_>> = api
        .modules
        .iter()
        .zip(own)
        .filter(|(_, defs)| !defs.is_empty())
        .map(|(module, defs)| TypeFile {
            module: module.name.rust.clone(),
            group: Some(module),
            defs,
        })
        .collect();
    groups.sort_by(|a, b| a.module.cmp(&b.module));
    let mut files = Vec::new();
    if !shared.is_empty() {
        files.push(TypeFile {
            module: shared_module(api),
            group: None,
            defs: shared,
        });
    }
    files.extend(groups);
    files
}

/// The index of the resource group a type belongs to: the one group that uses it, when the
/// API has several (with a single group, every type is everyone's and stays ungated).
fn home(api: &Api, def: &TypeDef) -> Option<usize> {
    match def.used_by.as_slice() {
        [only] if api.modules.len() > 1 => Some(only.0),
        _ => None,
    }
}

/// The shared file's module: `shared`, or `shared_2`, ... when a group has the name.
fn shared_module(api: &Api) -> String {
    let groups: BTreeSet<&str> = api
        .modules
        .iter()
        .map(|module| module.name.rust.as_str())
        .collect();
    std::iter::once("shared".to_owned())
        .chain((2..).map(|n| format!("shared_{n}")))
        .find(|name| !groups.contains(name.as_str()))
        .unwrap_or_default()
}

/// `src/types.rs`: the files' modules, each gated like its types, and their re-exports.
pub fn types_root(files: &[TypeFile<'_>]) -> TokenStream {
    let items = files.iter().map(|file| {
        let module = ident(&file.module);
        let cfg = file.group.map(|group| {
            let feature = &group.name.rust;
            quote!(#[cfg(feature = #feature)])
        });
        quote! {
            #cfg
            mod #module;
            #cfg
            pub use self::#module::*;
        }
    });
    quote! {
        //! Every type the API's operations send and receive, with its JSON form. The types
        //! only one resource group uses are in that group's file under `types/`, compiled with
        //! its feature; the others are in the shared file, each under the features of the
        //! groups that use it. All are re-exported here.
        #(#items)*
    }
}

/// One file of types: each type in name order, followed by its serde impls.
pub fn type_file(api: &Api, file: &TypeFile<'_>) -> TokenStream {
    let docs: Vec<String> = match file.group {
        Some(group) => vec![format!(
            " The types only the `{}` operations use, each followed by its JSON form.",
            group.name.rust
        )],
        None => vec![
            " The types that are not one resource group's own (used by several groups, by every"
                .to_owned(),
            " group or by none), each followed by its JSON form.".to_owned(),
        ],
    };
    let imports = serde_impls::imports(&file.defs);
    // Field types use the prelude's short names unless a type of this file takes one of them.
    let prelude = !file
        .defs
        .iter()
        .any(|def| PRELUDE_TYPES.contains(&def.name.rust.as_str()));
    let result = serde_impls::result_path(&file.defs);
    let items = file.defs.iter().map(|def| {
        // A group's file is compiled for that group only: its types need no gate.
        let condition = match file.group {
            Some(_) => None,
            None => group_condition(api, def),
        };
        let item = type_item(api, def, condition.as_ref(), prelude);
        let impls = serde_impls::impls(def, condition.as_ref(), &result);
        quote!(#item #impls)
    });
    quote! {
        #(#![doc = #docs])*
        #imports
        #(#items)*
    }
}

/// The prelude's type names that field types use: a file declaring a type of one of these
/// names writes field types with absolute paths instead.
const PRELUDE_TYPES: &[&str] = &["Option", "String", "Vec", "Box"];

fn type_item(
    api: &Api,
    def: &TypeDef,
    condition: Option<&TokenStream>,
    prelude: bool,
) -> TokenStream {
    let name = ident(&def.name.rust);
    let cfg = condition
        .map(|condition| quote!(#[cfg(#condition)]))
        .unwrap_or_default();
    let docs = doc_attrs(&def.docs, &[]);
    let docs = quote!(#cfg #docs);
    match &def.kind {
        TypeKind::Struct(strukt) if strukt.multipart => {
            multipart_struct(api, def, strukt, &cfg, &docs, prelude)
        }
        TypeKind::Struct(strukt) => json_struct(api, def, strukt, &docs, prelude),
        TypeKind::Enum(enumeration) => enum_item(def, enumeration, &cfg, &docs),
        TypeKind::Union(union) => union_item(api, def, union, &cfg, &docs),
        TypeKind::Alias(ty) => {
            let ty = rust_type(api, ty, false);
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::StatusEnum(status) => status_enum(api, def, status, &cfg),
    }
}

/// The Rust type of a field, with `Option`, `Nullable` and `Box` as the IR decided; with
/// `prelude`, the standard prelude's names are written short.
fn field_type(api: &Api, field: &Field, files: bool, prelude: bool) -> TokenStream {
    let mut ty = rust_type_choosing(api, &field.ty, files, prelude);
    match (field.boxed, prelude) {
        (false, _) => {}
        (true, true) => ty = quote!(Box<#ty>),
        (true, false) => ty = quote!(::std::boxed::Box<#ty>),
    }
    match (field.presence, prelude) {
        (Presence::Required, _) => ty,
        (Presence::RequiredNullable | Presence::Optional, true) => quote!(Option<#ty>),
        (Presence::RequiredNullable | Presence::Optional, false) => {
            quote!(::std::option::Option<#ty>)
        }
        (Presence::Nullable, _) => quote!(#NULLABLE<#ty>),
    }
}

/// The map of an object's further keys, with values of type `value`.
fn map_type(api: &Api, value: &crate::ir::TypeRef, prelude: bool) -> TokenStream {
    let map = crate::ir::TypeRef::Map(Box::new(value.clone()));
    rust_type_choosing(api, &map, false, prelude)
}

/// The doc comment of the map that keeps an object's further keys.
fn map_docs(additional: &AdditionalField) -> TokenStream {
    match additional.source {
        MapSource::Declared => quote!(
            /// Properties beyond the documented ones.
        ),
        MapSource::Undeclared => quote!(
            /// Keys the API sent that this type does not declare, as JSON values (empty when
            /// there were none; nothing is allocated then). Written back when the value is
            /// sent or serialised.
        ),
    }
}

fn json_struct(
    api: &Api,
    def: &TypeDef,
    strukt: &Struct,
    docs: &TokenStream,
    prelude: bool,
) -> TokenStream {
    let name = ident(&def.name.rust);
    let default = def.derive_default.then(|| quote!(Default,));
    let fields = strukt.fields.iter().map(|field| {
        let field_name = ident(&field.name.rust);
        let ty = field_type(api, field, false, prelude);
        let mut extra = Vec::new();
        if field.read_only {
            extra.push("Set by the server; ignored in requests.".to_owned());
        }
        if field.presence == Presence::Nullable {
            extra.push(
                "`Nullable::Null` sends `null`, which clears it; `Nullable::Absent` (the \
                 default) leaves it out; a value converts with `.into()`."
                    .to_owned(),
            );
        }
        let docs = doc_attrs(&field.docs, &extra);
        quote! { #docs pub #field_name: #ty, }
    });
    let additional = strukt.additional.as_ref().map(|additional| {
        let field_name = ident(&additional.name.rust);
        let map = map_type(api, &additional.ty, prelude);
        let docs = map_docs(additional);
        quote! {
            #docs
            pub #field_name: #map,
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

/// A multipart form body: a plain struct that turns itself into form parts.
fn multipart_struct(
    api: &Api,
    def: &TypeDef,
    strukt: &Struct,
    cfg: &TokenStream,
    docs: &TokenStream,
    prelude: bool,
) -> TokenStream {
    let name = ident(&def.name.rust);
    let fields = strukt.fields.iter().map(|field| {
        let field_name = ident(&field.name.rust);
        let ty = field_type(api, field, true, prelude);
        let docs = doc_attrs(&field.docs, &[]);
        quote! { #docs pub #field_name: #ty, }
    });
    let parts = strukt.fields.iter().map(|field| {
        let field_name = ident(&field.name.rust);
        let wire = &field.name.wire;
        let add = form_part(api, &field.ty, wire);
        if field.optional() {
            quote! { if let ::std::option::Option::Some(value) = self.#field_name { #add } }
        } else {
            quote! { { let value = self.#field_name; #add } }
        }
    });
    let additional = strukt.additional.as_ref().map(|additional| {
        let field_name = ident(&additional.name.rust);
        let map = map_type(api, &additional.ty, prelude);
        quote! {
            /// Further form fields, each sent as a text part.
            pub #field_name: #map,
        }
    });
    let additional_parts = strukt.additional.as_ref().map(|additional| {
        let field_name = ident(&additional.name.rust);
        quote! {
            for (name, value) in self.#field_name {
                form = form.text(name, #MULTIPART::json_text(&value));
            }
        }
    });
    let default = def.derive_default.then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Clone, Debug, #default)]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #cfg
        impl #name {
            /// The multipart form this body is sent as.
            pub fn into_form(self) -> #FORM {
                let mut form = #FORM::new();
                #(#parts)*
                #additional_parts
                form
            }
        }
    }
}

/// Statements adding `value` (of type `ty`) to `form` under `wire`.
fn form_part(api: &Api, ty: &crate::ir::TypeRef, wire: &str) -> TokenStream {
    use crate::ir::TypeRef;
    match ty {
        TypeRef::Binary => quote!(form = form.file(#wire, value);),
        TypeRef::List(item) => {
            let add = form_part(api, item, wire);
            quote!(for value in value { #add })
        }
        TypeRef::Scalar(_) => quote!(form = form.text(#wire, value);),
        TypeRef::Named(id) if matches!(api.types.get(*id).kind, TypeKind::Enum(_)) => {
            quote!(form = form.text(#wire, value);)
        }
        _ => {
            quote!(form = form.text(#wire, #MULTIPART::json_text(&value));)
        }
    }
}

fn enum_item(
    def: &TypeDef,
    enumeration: &Enum,
    cfg: &TokenStream,
    docs: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name.rust);
    let unknown = ident(&enumeration.unknown.rust);
    let variants: Vec<_> = enumeration.variants().map(|v| ident(&v.rust)).collect();
    let variant_docs = enumeration.variants().map(|v| {
        let text = format!(" `{}`", v.wire);
        quote!(#[doc = #text])
    });
    match &enumeration.values {
        EnumValues::String(strings) => {
            let values: Vec<&str> = strings.iter().map(|v| v.wire.as_str()).collect();
            quote! {
                #docs
                #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variant_docs #variants,)*
                    /// A value this client does not know yet.
                    #unknown(::std::string::String),
                }

                #cfg
                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(Self::#variants => #values,)*
                            Self::#unknown(value) => value,
                        }
                    }
                }

                #cfg
                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #(#values => Self::#variants,)*
                            other => Self::#unknown(other.to_owned()),
                        }
                    }
                }

                #cfg
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                #cfg
                impl #PARAM_VALUE for #name {
                    fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                        ::std::borrow::Cow::Borrowed(self.as_str())
                    }
                }
            }
        }
        EnumValues::Integer(integers) => {
            let values: Vec<proc_macro2::Literal> = integers
                .iter()
                .map(|v| proc_macro2::Literal::i64_unsuffixed(v.value))
                .collect();
            quote! {
                #docs
                #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variant_docs #variants,)*
                    /// A value this client does not know yet.
                    #unknown(i64),
                }

                #cfg
                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_i64(&self) -> i64 {
                        match self {
                            #(Self::#variants => #values,)*
                            Self::#unknown(value) => *value,
                        }
                    }
                }

                #cfg
                impl ::std::convert::From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #(#values => Self::#variants,)*
                            other => Self::#unknown(other),
                        }
                    }
                }

                #cfg
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::fmt::Display::fmt(&self.as_i64(), f)
                    }
                }

                #cfg
                impl #PARAM_VALUE for #name {
                    fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                        ::std::borrow::Cow::Owned(self.as_i64().to_string())
                    }
                }
            }
        }
    }
}

fn union_item(
    api: &Api,
    def: &TypeDef,
    union: &Union,
    cfg: &TokenStream,
    docs: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name.rust);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name.rust);
        let ty = rust_type(api, &variant.ty, false);
        quote! { #variant_name(#ty), }
    });
    // A union of plain values (`oneOf: [integer, string]`) can be a parameter: it is written
    // as the value of whichever alternative it holds.
    let param_value = union.plain.then(|| {
        let arms = union.variants.iter().map(|variant| {
            let variant_name = ident(&variant.name.rust);
            quote!(Self::#variant_name(value) => #PARAM_VALUE::to_param(value),)
        });
        quote! {
            #cfg
            impl #PARAM_VALUE for #name {
                fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                    match self {
                        #(#arms)*
                    }
                }
            }
        }
    });
    // The alternatives declare the discriminator property themselves, so each variant holds
    // the whole object, tag included, and serialises as it.
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)] // variants mirror the spec's alternatives
        pub enum #name {
            #(#variants)*
        }

        #param_value
    }
}

fn status_enum(api: &Api, def: &TypeDef, status: &StatusEnum, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name.rust);
    let variants = status.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name.rust);
        let text = format!(" Status {}.", variant.status);
        match &variant.body {
            Some(body) => {
                let ty = rust_type(api, &body.ty, false);
                quote! { #[doc = #text] #variant_name(#ty), }
            }
            None => quote! { #[doc = #text] #variant_name, },
        }
    });
    let other = ident(&status.other.rust);
    quote! {
        #cfg
        /// The result of an operation whose successful responses differ by status.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)] // a short-lived result; boxing would only add noise
        pub enum #name {
            #(#variants)*
            /// A success status the spec does not document, with its code; the body is ignored.
            #other(u16),
        }
    }
}

/// The `cfg` condition compiling a type only with the features of the groups that use it:
/// `feature = "tickets"`, `any(...)` or, when every group (or none) uses it, none.
fn group_condition(api: &Api, def: &TypeDef) -> Option<TokenStream> {
    if def.used_by.is_empty() || def.used_by.len() == api.modules.len() {
        return None;
    }
    let features: Vec<&str> = def
        .used_by
        .iter()
        .map(|&id| api.module(id).name.rust.as_str())
        .collect();
    Some(match features.as_slice() {
        [only] => quote!(feature = #only),
        many => quote!(any(#(feature = #many),*)),
    })
}
