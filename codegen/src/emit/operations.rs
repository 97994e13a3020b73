//! One module per resource group: its handle, and a request builder per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::runtime::{Imported, OPERATION_METHODS, PAGED_OPERATION_METHODS, ROOT};
use super::rust_type::{ident, rust_type_with_prelude as rust_type};
use crate::ir::{
    Api, BodyContent, MediaType, Module, Operation, PageScheme, Param, ParamEncoding,
    ParamLocation, Presence, ResponseBody, Scalar, StatusMatch, Success, TypeKind, TypeRef,
};
use imported::{
    BODY, BYTES, BYTE_STREAM, CALL_FUTURE, CLIENT, ERROR, METHOD, OPERATION, PAGED_OPERATION,
    PAGE_REF, PAGING, RAW_RESPONSE, REQUEST, REQUEST_OPTIONS, RESPONSE,
};

/// The runtime items a group module imports and names by their own names. The module's own
/// items (the group's handle and builders) are kept off these names by the naming pass, and
/// off the standard prelude's, which the module also uses by their short names.
mod imported {
    use crate::emit::runtime::{self as rt, Imported};

    pub(super) const BODY: Imported = rt::BODY.imported();
    pub(super) const BYTES: Imported = rt::BYTES.imported();
    pub(super) const BYTE_STREAM: Imported = rt::BYTE_STREAM.imported();
    pub(super) const CALL_FUTURE: Imported = rt::CALL_FUTURE.imported();
    pub(super) const CLIENT: Imported = rt::CLIENT.imported();
    pub(super) const ERROR: Imported = rt::ERROR.imported();
    pub(super) const METHOD: Imported = rt::METHOD.imported();
    pub(super) const OPERATION: Imported = rt::OPERATION.imported();
    pub(super) const PAGED_OPERATION: Imported = rt::PAGED_OPERATION.imported();
    pub(super) const PAGE_REF: Imported = rt::PAGE_REF.imported();
    pub(super) const PAGING: Imported = rt::PAGING.imported();
    pub(super) const RAW_RESPONSE: Imported = rt::RAW_RESPONSE.imported();
    pub(super) const REQUEST: Imported = rt::REQUEST.imported();
    pub(super) const REQUEST_OPTIONS: Imported = rt::REQUEST_OPTIONS.imported();
    pub(super) const RESPONSE: Imported = rt::RESPONSE.imported();
}

/// The module of one resource group.
pub fn module_file(api: &Api, module: &Module) -> TokenStream {
    let handle = ident(&module.handle.rust);
    let module_docs = doc_attrs(&module.docs, &[]);
    let inner_doc = format!(" Operations of the {} group.", module.name.wire);
    let methods = module.operations.iter().map(|op| handle_methods(api, op));
    let paging: Vec<Option<TokenStream>> = module
        .operations
        .iter()
        .map(|op| paging_impl(api, op))
        .collect();
    let builders = module
        .operations
        .iter()
        .zip(&paging)
        .map(|(op, paging)| builder(api, module, op, paging.as_ref()));
    let (paged, plain): (Vec<_>, Vec<_>) = module
        .operations
        .iter()
        .zip(&paging)
        .partition(|(_, paging)| paging.is_some());
    let paged = paged
        .iter()
        .map(|(op, _)| ident(&op.builder.rust))
        .collect::<Vec<_>>();
    let plain = plain
        .iter()
        .map(|(op, _)| ident(&op.builder.rust))
        .collect::<Vec<_>>();
    let paged_methods =
        (!paged.is_empty()).then(|| quote!(#PAGED_OPERATION_METHODS!(#(#paged),*);));
    let plain_methods = (!plain.is_empty()).then(|| quote!(#OPERATION_METHODS!(#(#plain),*);));
    let imports = imports(module, !paged.is_empty()).map(|item| item.item().name());
    quote! {
        #![doc = #inner_doc]

        use #ROOT::{#(#imports),*};

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

        // `send`, `send_with_response`, `send_blocking` and `options` (and `pages` and
        // `items` for lists) as inherent methods, forwarding to the runtime's traits.
        #plain_methods
        #paged_methods
    }
}

/// The runtime items a group module uses, in the order of its `use` list.
fn imports(module: &Module, paged: bool) -> impl Iterator<Item = Imported> {
    let ops = &module.operations;
    let contents = || {
        ops.iter()
            .flat_map(|op| &op.body)
            .flat_map(|body| &body.contents)
    };
    let body = ops.iter().any(|op| op.body.is_some());
    let bytes = contents()
        .any(|content| matches!(content.media, MediaType::Binary(_) | MediaType::Text(_)));
    let download = ops.iter().any(is_download);
    [
        (body, BODY),
        (download, BYTE_STREAM),
        (bytes, BYTES),
        (download, CALL_FUTURE),
        (true, CLIENT),
        (true, ERROR),
        (true, METHOD),
        (true, OPERATION),
        (paged, PAGE_REF),
        (paged, PAGED_OPERATION),
        (paged, PAGING),
        (true, RAW_RESPONSE),
        (true, REQUEST),
        (true, REQUEST_OPTIONS),
        (download, RESPONSE),
    ]
    .into_iter()
    .filter_map(|(used, item)| used.then_some(item))
}

/// The argument type of a required parameter.
pub(super) fn argument_type(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Scalar(Scalar::String) => quote!(impl Into<String>),
        other => rust_type(api, other, false),
    }
}

/// The methods on the group handle that start a request: one, or one per media type of a
/// required body (each taking the body in that media type as its last argument).
fn handle_methods(api: &Api, op: &Operation) -> TokenStream {
    let route = format!("`{} {}`", op.method.as_str(), op.path.raw);
    let mut extra = vec![route];
    if op.deprecated {
        extra.push("Deprecated by the API.".to_owned());
    }
    extra.extend(error_bodies_note(api, op));
    let docs = doc_attrs(&op.docs, &extra);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let builder = ident(&op.builder.rust);
    let required_body = op.body.as_ref().filter(|body| body.required);
    let Some(body) = required_body else {
        let method = ident(&op.name.rust);
        let (args, block) = start_request(api, op, None);
        return quote! {
            #docs
            #deprecated
            pub fn #method(&self, #(#args),*) -> #builder #block
        };
    };
    let methods = body.contents.iter().enumerate().map(|(index, content)| {
        let method = ident(&content.setter.rust);
        let (args, block) = start_request(api, op, Some(content));
        // The other media types' methods point to the first, which has the docs.
        let docs = if index == 0 {
            docs.clone()
        } else {
            let doc = format!(
                " [`Self::{}`], with the body {}",
                op.name.rust.trim_start_matches("r#"),
                media_phrase(&content.media)
            );
            quote!(#[doc = #doc])
        };
        quote! {
            #docs
            #deprecated
            pub fn #method(&self, #(#args),*) -> #builder #block
        }
    });
    quote!(#(#methods)*)
}

/// The arguments of a group method (required parameters, then the body in `content`'s media
/// type) and its block, which makes the request builder.
fn start_request(
    api: &Api,
    op: &Operation,
    content: Option<&BodyContent>,
) -> (Vec<TokenStream>, TokenStream) {
    let builder = ident(&op.builder.rust);
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let name = ident(&p.name.rust);
            let ty = argument_type(api, &p.ty);
            quote!(#name: #ty)
        })
        .collect();
    let inits = op.params.iter().map(|p| {
        let name = ident(&p.name.rust);
        match (p.required, &p.ty) {
            (true, TypeRef::Scalar(Scalar::String)) => quote!(#name: #name.into()),
            (true, _) => quote!(#name),
            (false, _) => quote!(#name: None),
        }
    });
    let body_init = match (&op.body, content) {
        (_, Some(content)) => {
            let (ty, encode) = body_encoding(api, content, quote!(body));
            args.push(quote!(body: #ty));
            Some(quote!(body: #encode,))
        }
        (Some(_), None) => Some(quote!(body: None,)),
        (None, None) => None,
    };
    let block = quote! {
        {
            #builder {
                client: self.client.runtime().clone(),
                #(#inits,)*
                #body_init
                options: #REQUEST_OPTIONS::new(),
            }
        }
    };
    (args, block)
}

/// The request builder of one operation: the struct, its setters, and its implementation of
/// the runtime's `Operation` (and `PagedOperation` for a list).
fn builder(
    api: &Api,
    module: &Module,
    op: &Operation,
    paging: Option<&TokenStream>,
) -> TokenStream {
    let builder = ident(&op.builder.rust);
    let optional_body = op.body.as_ref().filter(|body| !body.required);
    let optional = op.params.iter().any(|p| !p.required) || optional_body.is_some();
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
            quote!(#name: Option<#ty>,)
        }
    });
    let body_field = op.body.as_ref().map(|body| {
        if body.required {
            quote!(body: #BODY,)
        } else {
            quote!(body: Option<#BODY>,)
        }
    });
    let setters = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| setter(api, p));
    let body_setters = optional_body
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
        if body.required {
            quote!(.body(self.body))
        } else {
            quote!(.body_opt(self.body))
        }
    });
    let decode = decode(api, op);
    // An operation without a body never looks at the response.
    let response = if matches!(op.success, Success::Empty) {
        quote!(_response)
    } else {
        quote!(response)
    };
    let stream = is_download(op).then(|| {
        quote! {
            /// Sends the request and returns the body as a stream of chunks, read as they
            /// arrive (for large files; see [`ByteStream`]).
            pub fn send_stream(self) -> #CALL_FUTURE<#RESPONSE<#BYTE_STREAM>> {
                let (client, request) = #OPERATION::into_request(self);
                client.send_stream(request)
            }
        }
    });
    let inherent = (!setters_empty(op) || stream.is_some()).then(|| {
        quote! {
            impl #builder {
                #(#setters)*
                #(#body_setters)*
                #stream
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until `send` is awaited"]
        pub struct #builder {
            client: #CLIENT,
            #(#fields)*
            #body_field
            options: #REQUEST_OPTIONS,
        }

        #inherent

        impl #OPERATION for #builder {
            type Output = #output;

            fn into_request(self) -> (#CLIENT, #REQUEST) {
                let request = #REQUEST::new(#METHOD::#http_method, #template)
                    #(#range_checks)*
                    #(#request_parts)*
                    #body_part
                    #security
                    .options(self.options);
                (self.client, request)
            }

            fn decode(#response: &#RAW_RESPONSE) -> Result<Self::Output, #ERROR> {
                #decode
            }
        }

        #paging
    }
}

/// Whether the builder has no setter at all.
fn setters_empty(op: &Operation) -> bool {
    op.params.iter().all(|p| p.required) && op.body.as_ref().is_none_or(|body| body.required)
}

/// The setter of an optional parameter, and its twin taking an `Option`.
fn setter(api: &Api, p: &Param) -> TokenStream {
    let name = ident(&p.name.rust);
    let twin = ident(&p.option_setter.rust);
    let docs = doc_attrs(&p.docs, &[]);
    let ty = rust_type(api, &p.ty, false);
    let (arg, value) = match &p.ty {
        TypeRef::Scalar(Scalar::String) => (quote!(impl Into<String>), quote!(value.into())),
        // A list takes any collection: `["a", "b"]`, a `Vec`, an iterator.
        TypeRef::List(item) if **item == TypeRef::Scalar(Scalar::String) => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(value.into_iter().map(Into::into).collect()),
        ),
        TypeRef::List(item) => {
            let item = rust_type(api, item, false);
            (
                quote!(impl IntoIterator<Item = #item>),
                quote!(value.into_iter().collect()),
            )
        }
        _ => (ty.clone(), quote!(value)),
    };
    let twin_doc = format!(
        " Sets [`{}`](Self::{}) from an `Option`: `None` leaves it unset.",
        name.to_string().trim_start_matches("r#"),
        name.to_string().trim_start_matches("r#"),
    );
    quote! {
        #docs
        pub fn #name(mut self, value: #arg) -> Self {
            self.#name = Some(#value);
            self
        }

        #[doc = #twin_doc]
        pub fn #twin(mut self, value: Option<#ty>) -> Self {
            self.#name = value;
            self
        }
    }
}

/// Whether the operation downloads a file: its success body is binary.
fn is_download(op: &Operation) -> bool {
    matches!(&op.success, Success::Body(body) if matches!(body.media, MediaType::Binary(_)))
}

/// How a body in `media` is sent, for documentation.
fn media_phrase(media: &MediaType) -> &'static str {
    match media {
        MediaType::Json => "sent as JSON.",
        MediaType::Multipart => "sent as a multipart form (for file uploads).",
        MediaType::Form => "sent URL-encoded.",
        MediaType::Binary(_) | MediaType::Text(_) => "sent as is.",
    }
}

/// The argument type of a body in one media type, and the expression encoding `value` as a
/// runtime body.
fn body_encoding(
    api: &Api,
    content: &BodyContent,
    value: TokenStream,
) -> (TokenStream, TokenStream) {
    let content_type = &content.content_type;
    match &content.media {
        MediaType::Json => (
            rust_type(api, &content.ty, false),
            quote!(#BODY::json(&#value)),
        ),
        MediaType::Multipart => (
            rust_type(api, &content.ty, true),
            quote!(#BODY::multipart(#value.into_form())),
        ),
        MediaType::Form => (
            rust_type(api, &content.ty, false),
            quote!(#BODY::form(&#value)),
        ),
        MediaType::Binary(_) | MediaType::Text(_) => (
            quote!(impl Into<#BYTES>),
            quote!(#BODY::bytes(#content_type, #value)),
        ),
    }
}

/// The setter of an optional body in one media type.
fn body_setter(api: &Api, content: &BodyContent) -> TokenStream {
    let setter = ident(&content.setter.rust);
    let (arg, encode) = body_encoding(api, content, quote!(value));
    let doc = format!(" The request body, {}", media_phrase(&content.media));
    quote! {
        #[doc = #doc]
        pub fn #setter(mut self, value: #arg) -> Self {
            self.body = Some(#encode);
            self
        }
    }
}

/// The bounds check of an integer parameter whose schema has `minimum` or `maximum`.
fn range_check(param: &Param) -> Option<TokenStream> {
    if !matches!(
        param.ty,
        TypeRef::Scalar(Scalar::I32 | Scalar::U32 | Scalar::I64)
    ) {
        return None;
    }
    let limits = &param.limits;
    if limits.minimum.is_none() && limits.maximum.is_none() {
        return None;
    }
    let name = ident(&param.name.rust);
    let wire = &param.name.wire;
    let bound = |value: Option<i64>| match value {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let (minimum, maximum) = (bound(limits.minimum), bound(limits.maximum));
    let widened = matches!(param.ty, TypeRef::Scalar(Scalar::I32 | Scalar::U32));
    let value = match (param.required, widened) {
        (true, true) => {
            quote!(Some(i64::from(self.#name)))
        }
        (true, false) => quote!(Some(self.#name)),
        (false, true) => quote!(self.#name.map(i64::from)),
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
        quote!(Some(&self.#name))
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
                quote!(.filter_query(#wire, Some(self.#name.as_str()), #max))
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
        Success::Empty => quote!(Ok(())),
        Success::Body(body) => decode_body(body),
        Success::ByStatus(id) => {
            let def = api.types.get(*id);
            let TypeKind::StatusEnum(status) = &def.kind else {
                return quote!(Ok(()));
            };
            let name = ident(&def.name.rust);
            let arms = status.variants.iter().map(|variant| {
                let code = variant.status;
                let variant_name = ident(&variant.name.rust);
                match &variant.body {
                    Some(body) => {
                        let decoded = decode_body(body);
                        quote!(#code => #decoded.map(crate::types::#name::#variant_name),)
                    }
                    None => quote!(#code => Ok(crate::types::#name::#variant_name),),
                }
            });
            let other = ident(&status.other.rust);
            quote! {
                match response.status().as_u16() {
                    #(#arms)*
                    status => Ok(crate::types::#name::#other(status)),
                }
            }
        }
    }
}

/// The expression reading one response body out of `response`.
fn decode_body(body: &ResponseBody) -> TokenStream {
    match (&body.media, &body.envelope) {
        (MediaType::Binary(_), _) => quote!(Ok(response.body().clone())),
        (MediaType::Text(_), _) => quote!(Ok(response.body_text())),
        (_, Some(key)) => quote!(response.decode_enveloped(#key)),
        (_, None) => quote!(response.decode_json()),
    }
}

/// The builder's implementation of the runtime's `PagedOperation`, for a list operation (else
/// `None`: the builder is a plain operation).
fn paging_impl(api: &Api, op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let builder = ident(&op.builder.rust);
    let setter = |id| ident(&op.param(id).name.rust);
    let (first, paging) = match &pagination.scheme {
        PageScheme::Numbered {
            page: page_id,
            per_page,
            default_per_page,
        } => {
            let (page, page_param) = (setter(*page_id), &op.param(*page_id).name.wire);
            let default = match default_per_page.and_then(|n| u32::try_from(n).ok()) {
                Some(n) => quote!(Some(#n)),
                None => quote!(None),
            };
            // Lowering makes both parameters `u32`.
            let full_page = match per_page.map(setter) {
                Some(per_page) => quote!(self.#per_page.or(#default)),
                None => default,
            };
            (
                quote!(self.#page.map(#PAGE_REF::Number)),
                quote!(#PAGING::Numbered { param: #page_param, full_page: #full_page }),
            )
        }
        PageScheme::Cursor { cursor: cursor_id } => {
            let (cursor, cursor_param) = (setter(*cursor_id), &op.param(*cursor_id).name.wire);
            (
                quote!(self.#cursor.clone().map(#PAGE_REF::Cursor)),
                quote!(#PAGING::Cursor { param: #cursor_param }),
            )
        }
        PageScheme::Link => (quote!(None), quote!(#PAGING::Link)),
    };
    let item = rust_type(api, &pagination.item, false);
    let items = match &pagination.items_property {
        None => quote!(page),
        Some(items_property) => {
            let items_field = api.types.field(*items_property);
            let field = ident(&items_field.name.rust);
            match items_field.presence {
                Presence::Required => quote!(page.#field),
                Presence::RequiredNullable | Presence::Optional => {
                    quote!(page.#field.unwrap_or_default())
                }
                Presence::Nullable => quote!(page.#field.into_value().unwrap_or_default()),
            }
        }
    };
    Some(quote! {
        impl #PAGED_OPERATION for #builder {
            type Item = #item;

            fn paging(&self) -> (#PAGING, Option<#PAGE_REF>) {
                (#paging, #first)
            }

            fn items_of(page: Self::Output) -> Vec<#item> {
                #items
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::imported::*;
    use crate::naming::{RESERVED_IN_GROUP_MODULES, RESERVED_TYPES};

    #[test]
    fn no_group_module_item_can_take_an_imported_name() {
        let imported = [
            BODY,
            BYTES,
            BYTE_STREAM,
            CALL_FUTURE,
            CLIENT,
            ERROR,
            METHOD,
            OPERATION,
            PAGED_OPERATION,
            PAGE_REF,
            PAGING,
            RAW_RESPONSE,
            REQUEST,
            REQUEST_OPTIONS,
            RESPONSE,
        ];
        for item in imported {
            let name = item.item().name().to_string();
            assert!(
                RESERVED_TYPES.contains(&name.as_str())
                    || RESERVED_IN_GROUP_MODULES.contains(&name.as_str()),
                "{name} is imported by group modules but not reserved"
            );
        }
    }
}
