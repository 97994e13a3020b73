//! One module per resource group: its handle, and a request builder per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::rust_type::{ident, rust_type};
use crate::ir::{
    Api, BodyContent, MediaType, Module, Operation, PageScheme, Pagination, Param, ParamEncoding,
    ParamLocation, Presence, ResponseBody, Scalar, StatusMatch, Success, TypeKind, TypeRef,
};

/// The module of one resource group.
pub fn module_file(api: &Api, module: &Module) -> TokenStream {
    let handle = ident(&module.handle.rust);
    let module_docs = doc_attrs(&module.docs, &[]);
    let inner_doc = format!(" Operations of the {} group.", module.name.wire);
    let methods = module.operations.iter().map(|op| handle_method(api, op));
    let builders = module.operations.iter().map(|op| builder(api, module, op));
    quote! {
        #![doc = #inner_doc]

        #module_docs
        #[derive(Clone, Copy, Debug)]
        pub struct #handle<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #handle<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }

        #(#builders)*
    }
}

/// The argument type of a required parameter.
pub(super) fn argument_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Scalar(Scalar::String) => quote!(impl ::std::convert::Into<::std::string::String>),
        other => rust_type(api, other, false),
    }
}

/// The method on the group handle that starts a request.
fn handle_method(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.name.rust);
    let builder = ident(&op.builder.rust);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let name = ident(&p.name.rust);
        let ty = argument_type(api, &p.ty);
        quote!(#name: #ty)
    });
    let inits = op.params.iter().map(|p| {
        let name = ident(&p.name.rust);
        match (p.required, &p.ty) {
            (true, TypeRef::Scalar(Scalar::String)) => quote!(#name: #name.into()),
            (true, _) => quote!(#name),
            (false, _) => quote!(#name: ::std::option::Option::None),
        }
    });
    let body_init = op
        .body
        .as_ref()
        .map(|_| quote!(body: ::std::option::Option::None,));
    let route = format!("`{} {}`", op.method.as_str(), op.path.raw);
    let mut extra = vec![route];
    if op.deprecated {
        extra.push("Deprecated by the API.".to_owned());
    }
    extra.extend(error_bodies_note(api, op));
    let docs = doc_attrs(&op.docs, &extra);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #docs
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#inits,)*
                #body_init
                options: ::openapi_client_runtime::RequestOptions::new(),
            }
        }
    }
}

/// The request builder of one operation.
fn builder(api: &Api, module: &Module, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder.rust);
    let optional = op.params.iter().any(|p| !p.required) || op.body.is_some();
    let doc = format!(
        " Request builder for [`{}::{}`]: {}`send`.",
        module.handle.rust,
        op.name.rust.trim_start_matches("r#"),
        if optional {
            "set what the call needs, then "
        } else {
            "call "
        }
    );
    let fields = op.params.iter().map(|p| {
        let name = ident(&p.name.rust);
        let ty = rust_type(api, &p.ty, false);
        if p.required {
            quote!(#name: #ty,)
        } else {
            quote!(#name: ::std::option::Option<#ty>,)
        }
    });
    let body_field = op
        .body
        .as_ref()
        .map(|_| quote!(body: ::std::option::Option<::openapi_client_runtime::Body>,));
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let name = ident(&p.name.rust);
        let docs = doc_attrs(&p.docs, &[]);
        let (arg, value) = match &p.ty {
            TypeRef::Scalar(Scalar::String) => (
                quote!(impl ::std::convert::Into<::std::string::String>),
                quote!(value.into()),
            ),
            // A list takes any collection: `["a", "b"]`, a `Vec`, an iterator.
            TypeRef::List(item) if **item == TypeRef::Scalar(Scalar::String) => (
                quote!(
                    impl ::std::iter::IntoIterator<
                        Item = impl ::std::convert::Into<::std::string::String>,
                    >
                ),
                quote!(value.into_iter().map(::std::convert::Into::into).collect()),
            ),
            TypeRef::List(item) => {
                let item = rust_type(api, item, false);
                (
                    quote!(impl ::std::iter::IntoIterator<Item = #item>),
                    quote!(value.into_iter().collect()),
                )
            }
            other => (rust_type(api, other, false), quote!(value)),
        };
        quote! {
            #docs
            pub fn #name(mut self, value: #arg) -> Self {
                self.#name = ::std::option::Option::Some(#value);
                self
            }
        }
    });
    let body_setters = op
        .body
        .iter()
        .flat_map(|body| body.contents.iter())
        .map(|content| body_setter(api, content));
    let output = success_type(api, op);
    let http_method = ident(op.method.as_str());
    let template = &op.path.raw;
    let security = op.security.as_ref().map(|alternatives| {
        let sets = alternatives.iter().map(|set| {
            let names = set.iter().map(|&id| &api.scheme(id).name.wire);
            quote!(&[#(#names),*])
        });
        quote!(.security(&[#(#sets),*]))
    });
    let range_checks = op.params.iter().filter_map(range_check);
    let request_parts = op.params.iter().map(request_part);
    let body_part = op.body.as_ref().map(|body| {
        let required = body.required;
        quote!(.body(self.body, #required))
    });
    let decode = decode(api, op);
    // An operation without a body never looks at the response.
    let response = if matches!(op.success, Success::Empty) {
        quote!(_response)
    } else {
        quote!(response)
    };
    let paging = op
        .pagination
        .as_ref()
        .map(|pagination| paging_methods(api, op, pagination));
    let stream = is_download(op).then(|| {
        quote! {
            /// Sends the request and returns the body as a stream of chunks, read as they
            /// arrive (for large files; see [`::openapi_client_runtime::ByteStream`]).
            pub fn send_stream(self) -> ::openapi_client_runtime::CallFuture<::openapi_client_runtime::Response<::openapi_client_runtime::ByteStream>> {
                let (client, request) = self.into_request();
                client.runtime().send_stream(request)
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until `send` is awaited"]
        pub struct #builder {
            client: crate::Client,
            #(#fields)*
            #body_field
            options: ::openapi_client_runtime::RequestOptions,
        }

        impl #builder {
            #(#setters)*
            #(#body_setters)*

            /// Overrides the client's settings for this call: timeouts, retries, extra headers.
            pub fn options(mut self, value: ::openapi_client_runtime::RequestOptions) -> Self {
                self.options = value;
                self
            }

            #paging

            /// Sends the request and returns the decoded result.
            pub fn send(self) -> ::openapi_client_runtime::CallFuture<#output> {
                let (client, request) = self.into_request();
                client.runtime().send(request, Self::decode)
            }

            /// Sends the request and returns the decoded result with the response's status,
            /// headers and rate-limit counters.
            pub fn send_with_response(self) -> ::openapi_client_runtime::CallFuture<::openapi_client_runtime::Response<#output>> {
                let (client, request) = self.into_request();
                client.runtime().send_with_response(request, Self::decode)
            }

            /// Sends the request like `send`, blocking the current thread until the result
            /// arrives (cargo feature `blocking`): from synchronous code, a `spawn_blocking`
            /// thread or a multi-threaded runtime; on a current-thread runtime's own thread it
            /// returns `Error::Config` instead of stalling that runtime.
            #[cfg(feature = "blocking")]
            pub fn send_blocking(self) -> ::std::result::Result<#output, ::openapi_client_runtime::Error> {
                ::openapi_client_runtime::blocking::block_on(self.send())
            }

            #stream

            /// Reads this operation's result out of a successful response.
            fn decode(#response: &::openapi_client_runtime::RawResponse) -> ::std::result::Result<#output, ::openapi_client_runtime::Error> {
                #decode
            }

            /// The client and the runtime request this builder describes.
            fn into_request(self) -> (crate::Client, ::openapi_client_runtime::Request) {
                let request = ::openapi_client_runtime::Request::new(::openapi_client_runtime::Method::#http_method, #template)
                    #(#range_checks)*
                    #(#request_parts)*
                    #body_part
                    #security
                    .options(self.options);
                (self.client, request)
            }
        }
    }
}

/// Whether the operation downloads a file: its success body is binary.
fn is_download(op: &Operation) -> bool {
    matches!(&op.success, Success::Body(body) if matches!(body.media, MediaType::Binary(_)))
}

/// The setter for one body media type.
fn body_setter(api: &Api, content: &BodyContent) -> TokenStream {
    let setter = ident(&content.setter.rust);
    let content_type = &content.content_type;
    let (arg, encode, doc) = match &content.media {
        MediaType::Json => {
            let ty = rust_type(api, &content.ty, false);
            (
                ty,
                quote!(::openapi_client_runtime::Body::json(&value)),
                " The request body, sent as JSON.",
            )
        }
        MediaType::Multipart => {
            let ty = rust_type(api, &content.ty, true);
            (
                ty,
                quote!(::openapi_client_runtime::Body::multipart(value.into_form())),
                " The request body, sent as a multipart form (for file uploads).",
            )
        }
        MediaType::Form => {
            let ty = rust_type(api, &content.ty, false);
            (
                ty,
                quote!(::openapi_client_runtime::Body::form(&value)),
                " The request body, sent URL-encoded.",
            )
        }
        MediaType::Binary(_) | MediaType::Text(_) => (
            quote!(impl ::std::convert::Into<::openapi_client_runtime::Bytes>),
            quote!(::openapi_client_runtime::Body::bytes(#content_type, value)),
            " The request body, sent as is.",
        ),
    };
    quote! {
        #[doc = #doc]
        pub fn #setter(mut self, value: #arg) -> Self {
            self.body = ::std::option::Option::Some(#encode);
            self
        }
    }
}

/// The bounds check of an integer parameter whose schema has `minimum` or `maximum`.
fn range_check(param: &Param) -> Option<TokenStream> {
    if !matches!(param.ty, TypeRef::Scalar(Scalar::I32 | Scalar::I64)) {
        return None;
    }
    let limits = &param.limits;
    if limits.minimum.is_none() && limits.maximum.is_none() {
        return None;
    }
    let name = ident(&param.name.rust);
    let wire = &param.name.wire;
    let bound = |value: Option<i64>| match value {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    };
    let (minimum, maximum) = (bound(limits.minimum), bound(limits.maximum));
    let widened = matches!(param.ty, TypeRef::Scalar(Scalar::I32));
    let value = match (param.required, widened) {
        (true, true) => {
            quote!(::std::option::Option::Some(::std::primitive::i64::from(self.#name)))
        }
        (true, false) => quote!(::std::option::Option::Some(self.#name)),
        (false, true) => quote!(self.#name.map(::std::primitive::i64::from)),
        (false, false) => quote!(self.#name),
    };
    Some(quote!(.check_range(#wire, #value, #minimum, #maximum)))
}

/// The call on the runtime's request that adds one parameter.
fn request_part(param: &Param) -> TokenStream {
    let name = ident(&param.name.rust);
    let wire = &param.name.wire;
    let is_list = matches!(param.ty, TypeRef::List(_));
    let value = if param.required {
        quote!(::std::option::Option::Some(&self.#name))
    } else {
        quote!(self.#name.as_ref())
    };
    match (param.location, param.encoding) {
        (ParamLocation::Query, ParamEncoding::DeepObject) => {
            return quote!(.query_deep_object(#wire, #value));
        }
        (ParamLocation::Query, ParamEncoding::FormValue) => {
            let explode = param.explode;
            return quote!(.query_form(#wire, #value, #explode));
        }
        (ParamLocation::Query, ParamEncoding::Json) => return quote!(.query_json(#wire, #value)),
        (ParamLocation::Header, ParamEncoding::Json) => {
            return quote!(.header_json(#wire, #value));
        }
        (ParamLocation::Query, ParamEncoding::Delimited(separator)) => {
            let list = if param.required {
                quote!(&self.#name)
            } else {
                quote!(self.#name.as_deref().unwrap_or_default())
            };
            return quote!(.query_delimited(#wire, #list, #separator));
        }
        _ => {}
    }
    match (param.location, param.required, is_list) {
        (ParamLocation::Path, _, _) => quote!(.path_param(#wire, &self.#name)),
        (ParamLocation::Cookie, true, true) => quote!(.cookie_list(#wire, &self.#name)),
        (ParamLocation::Cookie, false, true) => {
            quote!(.cookie_list(#wire, self.#name.as_deref().unwrap_or_default()))
        }
        (ParamLocation::Cookie, _, _) => quote!(.cookie(#wire, #value)),
        (ParamLocation::Query, _, _) if param.filter_query => {
            let max = param.limits.max_length.unwrap_or(512) as usize;
            if param.required {
                quote!(.filter_query(#wire, ::std::option::Option::Some(self.#name.as_str()), #max))
            } else {
                quote!(.filter_query(#wire, self.#name.as_deref(), #max))
            }
        }
        (ParamLocation::Query, true, false) => quote!(.query(#wire, &self.#name)),
        (ParamLocation::Query, false, false) => quote!(.query_opt(#wire, self.#name.as_ref())),
        (ParamLocation::Query, true, true) => {
            let explode = param.explode;
            quote!(.query_list(#wire, &self.#name, #explode))
        }
        (ParamLocation::Query, false, true) => {
            let explode = param.explode;
            quote!(.query_list(#wire, self.#name.as_deref().unwrap_or_default(), #explode))
        }
        (ParamLocation::Header, true, false) => quote!(.header(#wire, &self.#name)),
        (ParamLocation::Header, false, false) => quote!(.header_opt(#wire, #value)),
        (ParamLocation::Header, true, true) => quote!(.header_list(#wire, &self.#name)),
        (ParamLocation::Header, false, true) => {
            quote!(.header_list(#wire, self.#name.as_deref().unwrap_or_default()))
        }
    }
}

/// The error bodies the description declares for the operation, by type, and how to read
/// them: `Error::Api` keeps the raw body, `ApiError::body_as` decodes it.
fn error_bodies_note(api: &Api, op: &Operation) -> Option<String> {
    let mut by_type: Vec<(String, Vec<String>)> = Vec::new();
    for response in op.responses.iter().filter(|r| !r.status.is_success()) {
        let Some(TypeRef::Named(id)) = response.body.as_ref().map(|body| &body.ty) else {
            continue;
        };
        let name = api.types.get(*id).name.rust.clone();
        let status = match response.status {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(class) => format!("{class}XX"),
            StatusMatch::Default => "other statuses".to_owned(),
        };
        match by_type.iter_mut().find(|(n, _)| *n == name) {
            Some((_, statuses)) => statuses.push(status),
            None => by_type.push((name, vec![status])),
        }
    }
    if by_type.is_empty() {
        return None;
    }
    let list: Vec<String> = by_type
        .iter()
        .map(|(name, statuses)| format!("`types::{name}` ({})", statuses.join(", ")))
        .collect();
    Some(format!(
        "Error bodies: {}; read one from `Error::Api` with `api.body_as::<types::{}>()`.",
        list.join(", "),
        by_type[0].0
    ))
}

/// The Rust type a successful call returns.
fn success_type(api: &Api, op: &Operation) -> TokenStream {
    match &op.success {
        Success::Empty => quote!(()),
        Success::Body(body) => rust_type(api, &body.ty, false),
        Success::ByStatus(id) => rust_type(api, &TypeRef::Named(*id), false),
    }
}

/// The expression reading the operation's result out of a successful `response`.
fn decode(api: &Api, op: &Operation) -> TokenStream {
    match &op.success {
        Success::Empty => quote!(::std::result::Result::Ok(())),
        Success::Body(body) => decode_body(api, body),
        Success::ByStatus(id) => {
            let def = api.types.get(*id);
            let TypeKind::StatusEnum(status) = &def.kind else {
                return quote!(::std::result::Result::Ok(()));
            };
            let name = ident(&def.name.rust);
            let arms = status.variants.iter().map(|variant| {
                let code = variant.status;
                let variant_name = ident(&variant.name.rust);
                match &variant.body {
                    Some(body) => {
                        let decoded = decode_body(api, body);
                        quote!(#code => #decoded.map(crate::types::#name::#variant_name),)
                    }
                    None => quote!(#code => ::std::result::Result::Ok(crate::types::#name::#variant_name),),
                }
            });
            let other = ident(&status.other.rust);
            quote! {
                match response.status().as_u16() {
                    #(#arms)*
                    status => ::std::result::Result::Ok(crate::types::#name::#other(status)),
                }
            }
        }
    }
}

/// The expression reading one response body out of `response`.
fn decode_body(api: &Api, body: &ResponseBody) -> TokenStream {
    let ty = rust_type(api, &body.ty, false);
    match (&body.media, &body.envelope) {
        (MediaType::Binary(_), _) => quote!(::std::result::Result::Ok(response.body().clone())),
        (MediaType::Text(_), _) => quote!(::std::result::Result::Ok(response.body_text())),
        (_, Some(key)) => quote!(response.decode_enveloped::<#ty>(#key)),
        (_, None) => quote!(response.decode_json::<#ty>()),
    }
}

/// `pages()` and `items()` for a list operation.
fn paging_methods(api: &Api, op: &Operation, pagination: &Pagination) -> TokenStream {
    let setter = |id| ident(&op.param(id).name.rust);
    let to_u32 =
        quote!(::std::primitive::u32::try_from(n.max(1)).unwrap_or(::std::primitive::u32::MAX));
    let (first, paging, how) = match &pagination.scheme {
        PageScheme::Numbered {
            page: page_id,
            per_page,
            default_per_page,
        } => {
            let (page, page_param) = (setter(*page_id), &op.param(*page_id).name.wire);
            let default = match default_per_page.and_then(|n| u32::try_from(n).ok()) {
                Some(n) => quote!(::std::option::Option::Some(#n)),
                None => quote!(::std::option::Option::None),
            };
            let full_page = match per_page.map(setter) {
                Some(per_page) => quote!(self.#per_page.map(|n| #to_u32).or(#default)),
                None => default,
            };
            (
                quote!(self.#page.map(|n| ::openapi_client_runtime::PageRef::Number(#to_u32))),
                quote!(::openapi_client_runtime::Paging::Numbered { param: #page_param, full_page: #full_page }),
                [
                    " Streams the results page by page, starting at the `page` set (or 1), following",
                    " `Link: rel=\"next\"` (or, without it, going on while full pages come back).",
                ],
            )
        }
        PageScheme::Cursor { cursor: cursor_id } => {
            let (cursor, cursor_param) = (setter(*cursor_id), &op.param(*cursor_id).name.wire);
            (
                quote!(self.#cursor.clone().map(::openapi_client_runtime::PageRef::Cursor)),
                quote!(::openapi_client_runtime::Paging::Cursor { param: #cursor_param }),
                [
                    " Streams the results page by page, starting at the cursor set (or the first",
                    " page), each next cursor taken from the `Link: rel=\"next\"` header.",
                ],
            )
        }
        PageScheme::Link => (
            quote!(::std::option::Option::None),
            quote!(::openapi_client_runtime::Paging::Link),
            [
                " Streams the results page by page, following `Link: rel=\"next\"` headers; without",
                " one, the first answer is the only page.",
            ],
        ),
    };
    let item = rust_type(api, &pagination.item, false);
    let decode = match &pagination.items_property {
        None => quote!(Self::decode),
        Some(items_property) => {
            let items_field = api.types.field(*items_property);
            let (field, presence) = (ident(&items_field.name.rust), items_field.presence);
            let items = match presence {
                Presence::Required => quote!(value.#field),
                Presence::RequiredNullable | Presence::Optional => {
                    quote!(value.#field.unwrap_or_default())
                }
                Presence::Nullable => quote!(value.#field.into_value().unwrap_or_default()),
            };
            quote!(|response| Self::decode(response).map(|value| #items))
        }
    };
    let [first_line, second_line] = how;
    quote! {
        #[doc = #first_line]
        #[doc = #second_line]
        /// A failed page ends the stream with an error that names the page to resume from.
        pub fn pages(self) -> ::openapi_client_runtime::Pages<#item> {
            let first = #first;
            let paging = #paging;
            let (client, request) = self.into_request();
            ::openapi_client_runtime::Pages::new(client.runtime().clone(), request, paging, first, #decode)
        }

        /// Streams every item of every page, in order (see [`Self::pages`]).
        pub fn items(self) -> ::openapi_client_runtime::Items<#item> {
            self.pages().items()
        }
    }
}
