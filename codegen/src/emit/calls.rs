//! A test source that calls every operation of a generated client through the client's own
//! builders, with sample arguments: per request body media type, once with every parameter
//! and property, and once with the required ones only where the operation has anything
//! optional.
//!
//! Each call starts at the group accessor, passes every required parameter to the operation
//! method, sets the optional parameters and the body with the builder's setters, and sends
//! with `send_with_response`. A sample value respects what the IR knows of its schema: enums
//! take their first documented value, integers their bounds, strings their `maxLength` and
//! `format`, dates and times are fixed instants, lists hold two items, maps one entry;
//! structs get every property a request may carry (read-only ones are left out), or only the
//! required ones (a multipart form at least its first field), never an optional one that
//! would lead back into the struct itself. Each named type has a sample function per way of
//! filling it in, shared by every call that sends it.
//!
//! The file expects its parent module to define `Call` (a struct with the fields `operation`,
//! `method`, `path`, `body` (its content type), `fill` (`all` or `required`), `responses`
//! (each documented status code with whether it has a JSON body) and `send`), `Sent` (the
//! boxed future a call returns) and `sent(future)` (which turns what `send_with_response`
//! returns into a `Sent`).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::runtime::BYTES;
use super::rust_type::{ident, rust_type_in};
use crate::ir::{
    Api, BodyContent, EnumRepr, Field, MediaType, Operation, Param, Presence, Scalar, StatusMatch,
    Struct, TypeId, TypeKind, TypeRef, ValueLimits,
};
use crate::naming::snake;

/// The sample of a string without a known format.
const SAMPLE_TEXT: &str = "sample";

/// The sample of a string of a known `format`, if there is one.
fn formatted_text(format: &str) -> Option<&'static str> {
    Some(match format {
        "email" | "idn-email" => "user@example.com",
        "uri" | "url" | "iri" => "https://example.com/sample",
        "uri-reference" | "iri-reference" => "/sample",
        "hostname" | "idn-hostname" => "example.com",
        "uuid" => "123e4567-e89b-42d3-a456-426614174000",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "time" => "12:00:00Z",
        _ => return None,
    })
}

/// The test source for `api`, whose generated crate is `crate_name`; `header` becomes its
/// leading comment lines.
///
/// Fails, naming the types, when a type a request sends has no value to give (a union
/// without alternatives, a per-status result type): a generator bug, not a spec problem.
pub fn calls_file(
    api: &crate::naming::Named,
    crate_name: &str,
    header: &str,
) -> Result<String, String> {
    let emitter = Emitter::new(api, crate_name);
    let tokens = emitter.file();
    let problems = emitter.problems.into_inner();
    if !problems.is_empty() {
        return Err(format!(
            "no sample value for {} (a generator bug)",
            problems.join(", ")
        ));
    }
    crate::format::rust_file(header, tokens)
}

/// What a call fills in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fill {
    /// Every parameter, and every property a request may carry.
    All,
    /// Required parameters and properties only (an optional one is `None`, so the client
    /// must leave it out, or send `null` where the property is required but nullable).
    Required,
}

impl Fill {
    /// How the call table names it.
    fn as_str(self) -> &'static str {
        match self {
            Fill::All => "all",
            Fill::Required => "required",
        }
    }
}

/// One call: an operation with one of its body media types (or none), filled in one way.
struct CallSite<'a> {
    /// The operation.
    operation: &'a Operation,
    /// The body it sends, if any.
    content: Option<&'a BodyContent>,
    /// What it fills in.
    fill: Fill,
    /// The name of the function that makes the call.
    function: proc_macro2::Ident,
}

/// Renders the file.
struct Emitter<'a> {
    /// The IR.
    api: &'a Api,
    /// The path of the generated crate (`::freshservice`).
    root: TokenStream,
    /// The sample function of each named type a call sends, by how it is filled in.
    samplers: BTreeMap<(TypeId, Fill), proc_macro2::Ident>,
    /// The types that got no sample value.
    problems: RefCell<Vec<String>>,
}

impl<'a> Emitter<'a> {
    /// An emitter for `api`, with a sample function named for every type a call sends.
    fn new(api: &'a Api, crate_name: &str) -> Self {
        let krate = format_ident!("{}", crate_name.replace('-', "_"));
        let mut emitter = Emitter {
            api,
            root: quote!(::#krate),
            samplers: BTreeMap::new(),
            problems: RefCell::new(Vec::new()),
        };
        let mut sent = BTreeSet::new();
        for operation in operations(api) {
            let fills: &[Fill] = if has_required_call(operation) {
                &[Fill::All, Fill::Required]
            } else {
                &[Fill::All]
            };
            for &fill in fills {
                for param in &operation.params {
                    if fill == Fill::All || param.required {
                        collect(api, &param.ty, fill, &mut sent);
                    }
                }
                for content in operation.body.iter().flat_map(|body| &body.contents) {
                    collect(api, &content.ty, fill, &mut sent);
                }
            }
        }
        let mut taken = BTreeSet::new();
        for (id, fill) in sent {
            let suffix = match fill {
                Fill::All => "",
                Fill::Required => "_required",
            };
            let base = format!(
                "sample_{}{suffix}",
                snake(&api.types.get(id).name.rust, "type")
            );
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{n}");
                n += 1;
            }
            emitter
                .samplers
                .insert((id, fill), format_ident!("{}", name));
        }
        emitter
    }

    /// The whole file.
    fn file(&self) -> TokenStream {
        let sites = self.call_sites();
        let entries = sites.iter().map(|site| {
            let operation = &site.operation.name.wire;
            let method = site.operation.method.as_str();
            let path = &site.operation.path.raw;
            let body = match site.content {
                Some(content) => {
                    let content_type = &content.content_type;
                    quote!(::std::option::Option::Some(#content_type))
                }
                None => quote!(::std::option::Option::None),
            };
            let function = &site.function;
            let fill = site.fill.as_str();
            let responses = site.operation.responses.iter().filter_map(|response| {
                let StatusMatch::Code(status) = response.status else {
                    return None;
                };
                let json = response
                    .body
                    .as_ref()
                    .is_some_and(|body| body.media == MediaType::Json);
                Some(quote!((#status, #json)))
            });
            quote! {
                super::Call {
                    operation: #operation,
                    method: #method,
                    path: #path,
                    body: #body,
                    fill: #fill,
                    responses: &[#(#responses),*],
                    send: #function,
                },
            }
        });
        let functions = sites.iter().map(|site| self.call_function(site));
        let samplers = self
            .samplers
            .iter()
            .map(|(&(id, fill), name)| self.sampler(id, fill, name));
        let count = sites.len();
        let doc = format!(
            " Every call ({count}), sorted by operationId, body media type and what it fills in."
        );
        quote! {
            //! Calls of every operation, built with the generated client's builders and sample
            //! arguments (deprecated operations included): per request body media type, one
            //! with every parameter and property, and one with the required ones only where
            //! that differs. It is formatted by the generator; rustfmt leaves it be.
            #![cfg_attr(rustfmt, rustfmt::skip)]
            #![allow(deprecated)]

            #[doc = #doc]
            pub const CALLS: &[super::Call] = &[#(#entries)*];

            #(#functions)*

            #(#samplers)*
        }
    }

    /// Every operation with each of its body media types, sorted by operationId, each filled
    /// in whole and, when the operation has anything optional, with the required parts only.
    fn call_sites(&self) -> Vec<CallSite<'a>> {
        let mut sites = Vec::new();
        for operation in operations(self.api) {
            let base = snake(&operation.name.wire, "operation");
            let contents: Vec<&BodyContent> = operation
                .body
                .iter()
                .flat_map(|body| &body.contents)
                .collect();
            let bodies: Vec<(Option<&BodyContent>, String)> = match contents.as_slice() {
                [] => vec![(None, base.clone())],
                [content] => vec![(Some(*content), base.clone())],
                _ => contents
                    .iter()
                    .map(|content| {
                        let setter = snake(&content.setter.candidate, "body");
                        (Some(*content), format!("{base}_{setter}"))
                    })
                    .collect(),
            };
            for (content, name) in bodies {
                sites.push(CallSite {
                    operation,
                    content,
                    fill: Fill::All,
                    function: format_ident!("call_{}", name),
                });
                if has_required_call(operation) {
                    sites.push(CallSite {
                        operation,
                        content,
                        fill: Fill::Required,
                        function: format_ident!("call_{}_required", name),
                    });
                }
            }
        }
        sites
    }

    /// The function that makes one call.
    fn call_function(&self, site: &CallSite<'_>) -> TokenStream {
        let root = &self.root;
        let operation = site.operation;
        let module = self
            .api
            .modules
            .iter()
            .find(|module| {
                module
                    .operations
                    .iter()
                    .any(|op| op.name.wire == operation.name.wire)
            })
            .map(|module| ident(&module.name.rust));
        let fill = site.fill;
        let mut arguments: Vec<TokenStream> = operation
            .params
            .iter()
            .filter(|param| param.required)
            .map(|param| self.param_value(param, fill))
            .collect();
        let setters = operation
            .params
            .iter()
            .filter(|param| !param.required && fill == Fill::All)
            .map(|param| {
                let setter = ident(&param.name.rust);
                let value = self.param_value(param, fill);
                quote!(.#setter(#value))
            });
        let required_body = operation.body.as_ref().is_some_and(|body| body.required);
        // A required body is the last argument of its media type's method; an optional one
        // has a setter.
        let method = match site.content {
            Some(content) if required_body => ident(&content.setter.rust),
            _ => ident(&operation.name.rust),
        };
        let body = site.content.and_then(|content| {
            let setter = ident(&content.setter.rust);
            let value = match &content.media {
                MediaType::Binary(_) | MediaType::Text(_) => {
                    quote!(#BYTES::from_static(b"sample"))
                }
                MediaType::Multipart => {
                    self.value(&content.ty, &ValueLimits::default(), true, fill)
                }
                MediaType::Json | MediaType::Form => {
                    self.value(&content.ty, &ValueLimits::default(), false, fill)
                }
            };
            if required_body {
                arguments.push(value);
                None
            } else {
                Some(quote!(.#setter(#value)))
            }
        });
        let function = &site.function;
        let doc = format!(
            " `{} {}`{}, {}.",
            operation.method.as_str(),
            operation.path.raw,
            site.content
                .map(|content| format!(" with a {} body", content.content_type))
                .unwrap_or_default(),
            match fill {
                Fill::All => "every parameter and property set",
                Fill::Required => "only what is required set",
            }
        );
        quote! {
            #[doc = #doc]
            fn #function(client: &#root::Client, options: #root::RequestOptions) -> super::Sent {
                super::sent(
                    client
                        .#module()
                        .#method(#(#arguments),*)
                        #(#setters)*
                        #body
                        .options(options)
                        .send_with_response(),
                )
            }
        }
    }

    /// The sample value of a parameter.
    fn param_value(&self, param: &Param, fill: Fill) -> TokenStream {
        self.value(&param.ty, &param.limits, false, fill)
    }

    /// The sample function of a named type, filled in as `fill` says.
    fn sampler(&self, id: TypeId, fill: Fill, name: &proc_macro2::Ident) -> TokenStream {
        let def = self.api.types.get(id);
        let ty = rust_type_in(self.api, &TypeRef::Named(id), false, &self.root);
        let body = match &def.kind {
            TypeKind::Struct(strukt) => {
                let files = strukt.multipart;
                let fields = strukt.fields.iter().enumerate().map(|(index, field)| {
                    let field_name = ident(&field.name.rust);
                    let leaves_out = field.read_only
                        || !wanted(self.api, id, strukt, index, fill)
                        || reaches(self.api, &field.ty, id);
                    let nullable = field.presence == Presence::Nullable;
                    let root = &self.root;
                    let value = if leaves_out && nullable {
                        quote!(#root::Nullable::Absent)
                    } else if leaves_out && field.optional() {
                        quote!(::std::option::Option::None)
                    } else {
                        let mut value = if leaves_out && matches!(field.ty, TypeRef::List(_)) {
                            quote!(::std::vec::Vec::new())
                        } else {
                            self.value(&field.ty, &field.limits, files, fill)
                        };
                        if field.boxed {
                            value = quote!(::std::boxed::Box::new(#value));
                        }
                        if nullable {
                            value = quote!(#root::Nullable::Value(#value));
                        } else if field.optional() {
                            value = quote!(::std::option::Option::Some(#value));
                        }
                        value
                    };
                    quote!(#field_name: #value,)
                });
                let additional = strukt.additional.as_ref().map(|additional| {
                    let field_name = ident(&additional.name.rust);
                    quote!(#field_name: ::std::collections::BTreeMap::new(),)
                });
                quote!(#ty { #(#fields)* #additional })
            }
            TypeKind::Enum(enumeration) => match enumeration.variants().next() {
                Some(variant) => {
                    let variant = ident(&variant.rust);
                    quote!(#ty::#variant)
                }
                None => {
                    let unknown = ident(&enumeration.unknown.rust);
                    match enumeration.repr() {
                        EnumRepr::String => {
                            quote!(#ty::#unknown(::std::string::String::from(#SAMPLE_TEXT)))
                        }
                        EnumRepr::Integer => quote!(#ty::#unknown(1)),
                    }
                }
            },
            TypeKind::Union(union) => {
                let variant = union
                    .variants
                    .iter()
                    .find(|variant| !reaches(self.api, &variant.ty, id))
                    .or(union.variants.first());
                match variant {
                    Some(variant) => {
                        let variant_name = ident(&variant.name.rust);
                        let value = self.value(&variant.ty, &ValueLimits::default(), false, fill);
                        quote!(#ty::#variant_name(#value))
                    }
                    None => self.no_sample(format!("the union `{}`", def.name.rust)),
                }
            }
            TypeKind::Alias(inner) => self.value(inner, &ValueLimits::default(), false, fill),
            TypeKind::StatusEnum(_) => {
                self.no_sample(format!("the result type `{}`", def.name.rust))
            }
        };
        let doc = match fill {
            Fill::All => format!(" A sample `{}`.", def.name.rust),
            Fill::Required => format!(
                " A sample `{}` with only its required parts.",
                def.name.rust
            ),
        };
        quote! {
            #[doc = #doc]
            fn #name() -> #ty {
                #body
            }
        }
    }

    /// Notes that `what` has no sample value; `calls_file` then fails.
    fn no_sample(&self, what: String) -> TokenStream {
        self.problems.borrow_mut().push(what);
        TokenStream::new()
    }

    /// A sample value of `ty` whose schema says `limits`; `files` makes raw bytes file parts.
    fn value(&self, ty: &TypeRef, limits: &ValueLimits, files: bool, fill: Fill) -> TokenStream {
        match ty {
            TypeRef::Named(id) => {
                match self.samplers.get(&(*id, sampler_fill(self.api, *id, fill))) {
                    Some(sampler) => quote!(#sampler()),
                    None => self.no_sample(format!("`{}`", self.api.types.get(*id).name.rust)),
                }
            }
            TypeRef::Scalar(scalar) => scalar_value(*scalar, limits),
            // Two items, so a list parameter shows whether it is joined or repeated.
            TypeRef::List(item) => {
                let item = self.value(item, limits, files, fill);
                quote!(::std::vec![#item, #item])
            }
            TypeRef::Map(value) => {
                let value = self.value(value, limits, files, fill);
                quote!(::std::collections::BTreeMap::from([(::std::string::String::from(#SAMPLE_TEXT), #value)]))
            }
            TypeRef::Any => quote!(::serde_json::Value::from(#SAMPLE_TEXT)),
            TypeRef::Binary if files => {
                let root = &self.root;
                quote!(#root::FilePart::from_bytes("sample.txt", &b"sample file\n"[..]).mime("text/plain"))
            }
            TypeRef::Binary => quote!(#BYTES::from_static(b"sample")),
        }
    }
}

/// A sample scalar within `limits`.
fn scalar_value(scalar: Scalar, limits: &ValueLimits) -> TokenStream {
    let integer = || {
        let mut n = limits.default.unwrap_or(1);
        if let Some(minimum) = limits.minimum {
            n = n.max(minimum);
        }
        if let Some(maximum) = limits.maximum {
            n = n.min(maximum);
        }
        n
    };
    match scalar {
        Scalar::Bool => quote!(true),
        Scalar::I32 => {
            let n = Literal::i32_suffixed(i32::try_from(integer()).unwrap_or(1));
            quote!(#n)
        }
        Scalar::U32 => {
            let n = Literal::u32_suffixed(u32::try_from(integer()).unwrap_or(1));
            quote!(#n)
        }
        Scalar::I64 => {
            let n = Literal::i64_suffixed(integer());
            quote!(#n)
        }
        Scalar::F32 => quote!(1.5f32),
        Scalar::F64 => quote!(1.5f64),
        Scalar::String => {
            let text = limits
                .format
                .as_deref()
                .and_then(formatted_text)
                .unwrap_or(SAMPLE_TEXT);
            let max = limits
                .max_length
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(usize::MAX);
            let text: String = text.chars().take(max.max(1)).collect();
            quote!(::std::string::String::from(#text))
        }
        Scalar::Date => {
            quote!(::chrono::NaiveDate::from_ymd_opt(2024, 1, 15).expect("a valid date"))
        }
        Scalar::DateTime => {
            // 2024-01-15T09:30:00Z
            quote!(::chrono::DateTime::from_timestamp(1_705_311_000, 0).expect("a valid instant"))
        }
    }
}

/// Whether an operation is also called with only what is required: when it has an optional
/// parameter or a body (whose properties may be optional).
fn has_required_call(operation: &Operation) -> bool {
    operation.body.is_some() || operation.params.iter().any(|param| !param.required)
}

/// Every operation of `api`, sorted by operationId.
pub(super) fn operations(api: &Api) -> Vec<&Operation> {
    let mut operations: Vec<&Operation> = api
        .modules
        .iter()
        .flat_map(|module| &module.operations)
        .collect();
    operations.sort_by(|a, b| a.name.wire.cmp(&b.name.wire));
    operations
}

/// The sample function a named type uses for `fill`: a type whose values hold no optional
/// property (an enum, an alias of a scalar, a struct of required fields) has only the full one.
fn sampler_fill(api: &Api, id: TypeId, fill: Fill) -> Fill {
    if fill == Fill::All {
        return Fill::All;
    }
    let mut found = BTreeSet::new();
    collect(api, &TypeRef::Named(id), Fill::All, &mut found);
    let optional = found.iter().any(|&(id, _)| match &api.types.get(id).kind {
        TypeKind::Struct(strukt) => strukt.fields.iter().any(|field| field.optional()),
        _ => false,
    });
    if optional {
        Fill::Required
    } else {
        Fill::All
    }
}

/// Adds the named types (and how they are filled in) a value of `ty` is made of to `found`.
fn collect(api: &Api, ty: &TypeRef, fill: Fill, found: &mut BTreeSet<(TypeId, Fill)>) {
    match ty {
        TypeRef::Named(id) => {
            let fill = sampler_fill(api, *id, fill);
            if !found.insert((*id, fill)) {
                return;
            }
            for inner in parts(api, *id, fill) {
                collect(api, inner, fill, found);
            }
        }
        TypeRef::List(inner) | TypeRef::Map(inner) => collect(api, inner, fill, found),
        TypeRef::Scalar(_) | TypeRef::Any | TypeRef::Binary => {}
    }
}

/// The type uses a named type's sample is made of when filled in as `fill` says (read-only
/// fields included: a required one still gets a value).
fn parts(api: &Api, id: TypeId, fill: Fill) -> Vec<&TypeRef> {
    match &api.types.get(id).kind {
        TypeKind::Struct(strukt) => strukt
            .fields
            .iter()
            .enumerate()
            .filter(|&(index, _)| wanted(api, id, strukt, index, fill))
            .map(|(_, field)| &field.ty)
            .collect(),
        TypeKind::Union(union) => union.variants.iter().map(|variant| &variant.ty).collect(),
        TypeKind::Alias(inner) => vec![inner],
        TypeKind::Enum(_) | TypeKind::StatusEnum(_) => Vec::new(),
    }
}

/// Whether the field at `index` of the struct `id` is given a value when filled in as `fill`
/// says: every field for [`Fill::All`]; for [`Fill::Required`] the required ones, and in a
/// multipart form without any, the first one that can be sent (a multipart body holds at
/// least one part).
fn wanted(api: &Api, id: TypeId, strukt: &Struct, index: usize, fill: Fill) -> bool {
    let field = &strukt.fields[index];
    if fill == Fill::All || !field.optional() {
        return true;
    }
    strukt.multipart
        && strukt.fields.iter().all(Field::optional)
        && strukt
            .fields
            .iter()
            .position(|field| !field.read_only && !reaches(api, &field.ty, id))
            == Some(index)
}

/// Whether a value of `ty` can contain a value of the named type `target`.
fn reaches(api: &Api, ty: &TypeRef, target: TypeId) -> bool {
    let mut found = BTreeSet::new();
    collect(api, ty, Fill::All, &mut found);
    found.iter().any(|&(id, _)| id == target)
}
