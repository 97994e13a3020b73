//! `src/mock.rs`: typed test doubles (cargo feature `test-util`).
//!
//! A function per operation, in a module per resource group (gated by the group's feature),
//! returns the runtime's `mock::Mock` typed by the operation: what it returns and its JSON
//! request body. The function fills in what only the description knows (method, path
//! template and path parameters, success status, response envelope); everything else
//! (answers, matching, counting, decoding what was sent) is the runtime's `mock` module, so
//! each operation costs a few lines.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::argument_type;
use super::runtime::{
    FAKE, FAKE_RESOURCE, METHOD, MOCK, MOCK_CLIENT, MOCK_SERVER, MOUNTED, NO_JSON_BODY,
    RECEIVED_REQUEST, RETRY_POLICY,
};
use super::rust_type::{ident, rust_type_with_prelude as rust_type};
use crate::ir::{
    Api, HttpMethod, MediaType, Module, Operation, ParamLocation, PathSegment, Scalar, SchemeKind,
    StatusMatch, Success, TypeKind, TypeRef,
};

/// The cargo feature that compiles the module.
pub(super) const TEST_UTIL_FEATURE: &str = "test-util";

/// The `mock` module of the crate.
pub fn mock_module(api: &Api) -> TokenStream {
    let groups = api.modules.iter().map(|module| group(api, module));
    let credentials = api.security_schemes.iter().map(|scheme| {
        let method = ident(&scheme.name.rust);
        match &scheme.kind {
            SchemeKind::Basic {
                fixed_password: None,
            } => quote!(.#method("mock-user", "mock-password")),
            _ => quote!(.#method("mock-credential")),
        }
    });
    let reexports = [
        FAKE,
        FAKE_RESOURCE,
        MOCK,
        MOUNTED,
        NO_JSON_BODY,
        RECEIVED_REQUEST,
    ];
    quote! {
        //! Typed test doubles for code that uses this client (cargo feature `test-util`).
        //!
        //! [`MockServer`] is a loopback HTTP server whose `client()` is a [`Client`](crate::Client)
        //! aimed at it (placeholder credentials, no retries). Each resource group's module here
        //! has a function per operation, taking the operation's path parameters, that returns a
        //! `Mock` typed by the operation: `returns` takes what the operation returns, `fails`
        //! an error status and body, `rate_limited` a `Retry-After`; mounted on the server, it
        //! gives back a handle whose `sent_body()` decodes what the client sent into the
        //! operation's request body type. For a workflow, `MockServer::fake` serves a stateful
        //! [`FakeResource`] (create, get, list with `Link` paging, update, delete); a group
        //! with such a collection has a `fake()` describing it. See
        //! `openapi_client_runtime::mock` for the design.

        #(pub use #reexports;)*

        /// A loopback mock server whose `client()` is this crate's [`Client`](crate::Client).
        pub type MockServer = #MOCK_SERVER<crate::Client>;

        impl #MOCK_CLIENT for crate::Client {
            fn for_mock_server(base_url: &str) -> Self {
                crate::Client::builder()
                    .base_url(base_url)
                    #(#credentials)*
                    .retry_policy(#RETRY_POLICY::none())
                    .build()
                    .expect("a loopback mock server is a valid base URL")
            }
        }

        #(#groups)*
    }
}

/// The module of one resource group's mocks.
fn group(api: &Api, module: &Module) -> TokenStream {
    let name = ident(&module.name.rust);
    let feature = &module.name.rust;
    let doc = format!(
        " Mocks of the {} group's operations, one per operation of [`{}`](crate::{}::{}).",
        module.name.wire, module.handle.rust, module.name.rust, module.handle.rust
    );
    let functions: Vec<TokenStream> = module
        .operations
        .iter()
        .map(|op| operation(api, module, op))
        .collect();
    let fake = fake(api, module);
    // The module's functions are named after operations (snake case), so the runtime's
    // items it imports by their short names cannot clash with them.
    let mut imports = vec![MOCK, METHOD];
    if module.operations.iter().any(|op| json_body(op).is_none()) {
        imports.push(NO_JSON_BODY);
    }
    if fake.is_some() {
        imports.push(FAKE_RESOURCE);
    }
    quote! {
        #[doc = #doc]
        #[cfg(feature = #feature)]
        pub mod #name {
            #(use #imports;)*

            #(#functions)*
            #fake
        }
    }
}

/// The JSON body type and envelope key of an operation's successful answer, if it has both.
fn enveloped(op: &Operation) -> Option<(&TypeRef, &str)> {
    match &op.success {
        Success::Body(body) if body.media == MediaType::Json => {
            Some((&body.ty, body.envelope.as_deref()?))
        }
        _ => None,
    }
}

/// `fake()`, when the group has a collection the runtime's `FakeResource` can stand in for:
/// a list (`GET /things`, `{"things": [...]}`), a create (`POST /things` with a JSON body,
/// `{"thing": {...}}`) and a get by integer id (`GET /things/{id}`, the same envelope). The
/// create body's required fields are checked; records whose type requires `created_at` and
/// `updated_at` date-times get them stamped, and a required integer `display_id` the id. Only where what the fake stores decodes: every
/// field the record type requires is the id, a time stamp or required in the create body.
fn fake(api: &Api, module: &Module) -> Option<TokenStream> {
    if module.operations.iter().any(|op| op.name.rust == "fake") {
        return None;
    }
    let list = module.operations.iter().find(|op| {
        op.method == HttpMethod::Get
            && op
                .path
                .segments
                .iter()
                .all(|segment| matches!(segment, PathSegment::Literal(_)))
            && matches!(enveloped(op), Some((TypeRef::List(_), _)))
    })?;
    let path = list.path.raw.trim_end_matches('/');
    let (_, many) = enveloped(list)?;
    let create = module.operations.iter().find(|op| {
        op.method == HttpMethod::Post
            && op.path.raw.trim_end_matches('/') == path
            && enveloped(op).is_some()
            && op
                .body
                .iter()
                .flat_map(|body| &body.contents)
                .any(|content| content.media == MediaType::Json)
    })?;
    let (record, one) = enveloped(create)?;
    module.operations.iter().find(|op| {
        let by_id = op
            .path
            .raw
            .strip_prefix(path)
            .and_then(|rest| rest.strip_prefix('/'));
        op.method == HttpMethod::Get
            && by_id.is_some_and(|rest| {
                rest.starts_with('{') && rest.ends_with('}') && !rest.contains('/')
            })
            && op.params.iter().any(|param| {
                param.location == ParamLocation::Path
                    && matches!(param.ty, TypeRef::Scalar(Scalar::I32 | Scalar::I64))
            })
            && enveloped(op).map(|(_, key)| key) == Some(one)
    })?;
    let fields = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Struct(object) => object.fields.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    let body = create
        .body
        .iter()
        .flat_map(|body| &body.contents)
        .find(|content| content.media == MediaType::Json)?;
    let required = fields(&body.ty)
        .iter()
        .filter(|field| field.required)
        .map(|field| {
            let wire = &field.name.wire;
            quote!(.required(#wire))
        });
    let stamped = ["created_at", "updated_at"].iter().all(|name| {
        fields(record).iter().any(|field| {
            field.name.wire == *name
                && field.required
                && field.ty == TypeRef::Scalar(Scalar::DateTime)
        })
    });
    // Every field the record type requires must be in what the fake stores: the id, the
    // time stamps, or a field the create body requires (which validation guarantees), so
    // that what it answers decodes.
    // A required integer `display_id` (an alternate number the record is shown by) gets the
    // id too.
    let display_id = fields(record).iter().any(|field| {
        field.name.wire == "display_id"
            && field.required
            && matches!(field.ty, TypeRef::Scalar(Scalar::I32 | Scalar::I64))
    });
    let covered = fields(record)
        .iter()
        .filter(|field| field.required)
        .all(|field| {
            let wire = field.name.wire.as_str();
            wire == "id"
                || (display_id && wire == "display_id")
                || (stamped && (wire == "created_at" || wire == "updated_at"))
                || fields(&body.ty)
                    .iter()
                    .any(|sent| sent.required && sent.name.wire == wire)
        });
    if !covered {
        return None;
    }
    let timestamps = stamped.then(|| quote!(.timestamps("created_at", "updated_at")));
    let mirror = display_id.then(|| quote!(.mirror_id("display_id")));
    let doc = format!(
        " A stateful fake of the collection `{path}` for `MockServer::fake`: it serves what [`FakeResource`] does (create, get, list with `Link` paging, update, delete)."
    );
    Some(quote! {
        #[doc = #doc]
        pub fn fake() -> FakeResource {
            FakeResource::new(#path, #one, #many)
                #(#required)*
                #timestamps
                #mirror
        }
    })
}

/// The IR type of the JSON body an operation sends, if it sends one.
fn json_body(op: &Operation) -> Option<&TypeRef> {
    op.body
        .iter()
        .flat_map(|body| &body.contents)
        .find(|content| content.media == MediaType::Json)
        .map(|content| &content.ty)
}

/// The mock function of one operation.
fn operation(api: &Api, module: &Module, op: &Operation) -> TokenStream {
    let function = ident(&op.name.rust);
    let path_params: Vec<_> = op
        .params
        .iter()
        .filter(|param| param.location == ParamLocation::Path)
        .collect();
    let args = path_params.iter().map(|param| {
        let name = ident(&param.name.rust);
        let ty = argument_type(api, &param.ty);
        quote!(#name: #ty)
    });
    let fills = path_params.iter().map(|param| {
        let name = ident(&param.name.rust);
        let wire = &param.name.wire;
        match &param.ty {
            TypeRef::Scalar(Scalar::String) => {
                quote!(.path_param(#wire, &::std::convert::Into::<::std::string::String>::into(#name)))
            }
            _ => quote!(.path_param(#wire, &#name)),
        }
    });
    let (returns, envelope) = match &op.success {
        Success::Body(body) if body.media == MediaType::Json => {
            let envelope = body.envelope.as_ref().map(|key| quote!(.envelope(#key)));
            (rust_type(api, &body.ty, false), envelope)
        }
        Success::Empty => (quote!(()), None),
        Success::Body(_) | Success::ByStatus(_) => (quote!(::serde_json::Value), None),
    };
    let sent = json_body(op).map_or_else(|| quote!(NoJsonBody), |ty| rust_type(api, ty, false));
    let success = op
        .responses
        .iter()
        .find_map(|response| match response.status {
            StatusMatch::Code(code) if (200..300).contains(&code) => Some(code),
            _ => None,
        })
        .unwrap_or(200);
    let http_method = ident(op.method.as_str());
    let template = &op.path.raw;
    let doc = format!(
        " A mock of [`{}::{}`](crate::{}::{}::{}): `{} {}`, answering {success} unless told otherwise.",
        module.handle.rust,
        op.name.rust.trim_start_matches("r#"),
        module.name.rust,
        module.handle.rust,
        op.name.rust.trim_start_matches("r#"),
        op.method.as_str(),
        op.path.raw,
    );
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn #function(#(#args),*) -> Mock<#returns, #sent> {
            Mock::new(Method::#http_method, #template, #success)
                #(#fills)*
                #envelope
        }
    }
}
