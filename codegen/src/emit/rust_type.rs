//! Type references → Rust type tokens (absolute paths only).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::runtime::{BYTES, FILE_PART};
use crate::ir::{Api, Scalar, TypeRef};

/// The Rust type for a use of `ty` inside the generated crate; `files` decides what raw bytes
/// are: file parts of a multipart form, or a byte buffer.
pub fn rust_type(api: &Api, ty: &TypeRef, files: bool) -> TokenStream {
    rust_type_in(api, ty, files, &quote!(crate))
}

/// The Rust type for a use of `ty` in code where the generated crate is `root` (`crate`
/// inside it, `::freshservice` outside).
pub fn rust_type_in(api: &Api, ty: &TypeRef, files: bool, root: &TokenStream) -> TokenStream {
    write_type(api, ty, files, root, false)
}

/// [`rust_type`] for a module where the standard prelude's names are the prelude's: a
/// resource group's module or a mock module, whose own items the naming pass keeps off them
/// (`Option<String>` rather than `::std::option::Option<::std::string::String>`).
pub fn rust_type_with_prelude(api: &Api, ty: &TypeRef, files: bool) -> TokenStream {
    rust_type_choosing(api, ty, files, true)
}

/// [`rust_type_with_prelude`] when `prelude`, else [`rust_type`]: for a file that decides
/// by the names it declares.
pub fn rust_type_choosing(api: &Api, ty: &TypeRef, files: bool, prelude: bool) -> TokenStream {
    write_type(api, ty, files, &quote!(crate), prelude)
}

fn write_type(
    api: &Api,
    ty: &TypeRef,
    files: bool,
    root: &TokenStream,
    prelude: bool,
) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = format_ident!("{}", api.types.get(*id).name.rust);
            quote!(#root::types::#name)
        }
        TypeRef::Scalar(Scalar::String) if prelude => quote!(String),
        TypeRef::Scalar(scalar) => scalar_type(*scalar),
        TypeRef::List(item) => {
            let item = write_type(api, item, files, root, prelude);
            if prelude {
                quote!(Vec<#item>)
            } else {
                quote!(::std::vec::Vec<#item>)
            }
        }
        TypeRef::Map(value) => {
            let value = write_type(api, value, files, root, prelude);
            let string = write_type(api, &TypeRef::Scalar(Scalar::String), files, root, prelude);
            quote!(::std::collections::BTreeMap<#string, #value>)
        }
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::Binary if files => quote!(#FILE_PART),
        TypeRef::Binary => quote!(#BYTES),
    }
}

fn scalar_type(scalar: Scalar) -> TokenStream {
    match scalar {
        Scalar::Bool => quote!(bool),
        Scalar::I32 => quote!(i32),
        Scalar::U32 => quote!(u32),
        Scalar::I64 => quote!(i64),
        Scalar::F32 => quote!(f32),
        Scalar::F64 => quote!(f64),
        Scalar::String => quote!(::std::string::String),
        Scalar::Date => quote!(::chrono::NaiveDate),
        Scalar::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
    }
}

/// An identifier from a naming-pass name (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}
