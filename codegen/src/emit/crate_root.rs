//! `lib.rs` of the generated crate: the client and its group accessors.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs};
use super::rust_type::ident;
use crate::ir::{Api, Docs, ParamLocation, SchemeKind};

/// The crate root.
pub fn lib_file(api: &Api, crate_name: &str) -> TokenStream {
    let title = format!("Client for the {} (version {}).", api.title, api.version);
    let crate_docs = inner_doc_attrs(
        &Docs {
            summary: Some(title),
            description: api.docs.description.clone(),
        },
        &quick_start(api, crate_name),
    );
    let modules = api.modules.iter().map(|module| {
        let name = ident(&module.name.rust);
        let feature = &module.name.rust;
        quote! {
            #[cfg(feature = #feature)]
            pub mod #name;
        }
    });
    let accessors = api.modules.iter().map(|module| {
        let name = ident(&module.name.rust);
        let handle = ident(&module.handle.rust);
        let doc = format!(" Operations of the {} group.", module.name.wire);
        let feature = &module.name.rust;
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub fn #name(&self) -> #name::#handle<'_> {
                #name::#handle::new(self)
            }
        }
    });
    let server = api.server.clone().unwrap_or_default();
    let test_util = super::mock::TEST_UTIL_FEATURE;
    let builder = client_builder(api);
    // The filter-expression builder only where the description has filter parameters
    // (`x-filter-query`).
    let filters = api
        .modules
        .iter()
        .flat_map(|module| &module.operations)
        .flat_map(|op| &op.params)
        .any(|param| param.filter_query);
    let filter = filters.then(|| {
        quote!(
            pub use ::openapi_client_runtime::{Filter, FilterQuery};
        )
    });
    quote! {
        #crate_docs
        #![forbid(unsafe_code)]
        // On docs.rs, every item shows the cargo features it needs.
        #![cfg_attr(docsrs, feature(doc_cfg))]

        pub mod types;
        #(#modules)*
        #[cfg(feature = #test_util)]
        pub mod mock;

        pub use ::openapi_client_runtime::{
            ApiError, Body, ByteStream, CallFuture, Credential, DecodeError, Error, ErrorBody, ErrorCode, ErrorDetail, FilePart,
            Form, Items, Nullable, Page, PageError, PageRef, Pages, RateLimit, RateLimiter, RequestOptions, Response,
            RetryPolicy, StreamExt, TimeoutKind,
        };
        #filter

        /// The API client: cheap to clone, safe to share between tasks.
        #[derive(Clone, Debug)]
        pub struct Client {
            runtime: ::openapi_client_runtime::Client,
        }

        impl Client {
            /// The server URL template from the spec; `{name}` parts are filled by the builder.
            pub const SERVER_URL: &'static str = #server;

            /// Starts configuring a client (server, credentials, timeouts).
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// The runtime client underneath, for requests the generated API does not cover.
            pub fn runtime(&self) -> &::openapi_client_runtime::Client {
                &self.runtime
            }

            #(#accessors)*
        }

        impl ::std::convert::From<::openapi_client_runtime::Client> for Client {
            fn from(runtime: ::openapi_client_runtime::Client) -> Self {
                Client { runtime }
            }
        }

        #builder
    }
}

/// The client builder: a method per server variable and per security scheme of the
/// description, and the runtime's settings (`client_builder_methods!`).
fn client_builder(api: &Api) -> TokenStream {
    let defaults = api
        .server_variables
        .iter()
        .filter(|variable| !variable.required)
        .map(|variable| {
            let (wire, default) = (&variable.name.wire, &variable.default);
            quote!(.server_variable(#wire, #default))
        });
    let variables = api.server_variables.iter().map(|variable| {
        let method = ident(&variable.name.rust);
        let wire = &variable.name.wire;
        let mut notes = vec![if variable.required {
            "It has no default: set it, or the whole address with `base_url`, before `build`."
                .to_owned()
        } else {
            format!("Default: `{}`.", variable.default)
        }];
        if !variable.choices.is_empty() {
            let choices: Vec<String> = variable.choices.iter().map(|c| format!("`{c}`")).collect();
            notes.push(format!("One of {}.", choices.join(", ")));
        }
        let docs = doc_attrs(
            &Docs {
                summary: Some(format!("Sets the server variable `{wire}`.")),
                description: variable.docs.description.clone(),
            },
            &notes,
        );
        quote! {
            #docs
            pub fn #method(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.server_variable(#wire, value)
            }
        }
    });
    let schemes = api.security_schemes.iter().map(|scheme| {
        let method = ident(&scheme.name.rust);
        let wire = &scheme.name.wire;
        let (summary, args, credential) = match &scheme.kind {
            SchemeKind::Basic { fixed_password: Some(password) } => (
                format!("Authenticates with HTTP basic authentication (`{wire}`): `key` is the user name and the password is always `{password}`."),
                quote!(key: impl ::std::convert::Into<::std::string::String>),
                quote!(::openapi_client_runtime::Credential::Basic { username: key.into(), password: #password.into() }),
            ),
            SchemeKind::Basic { fixed_password: None } => (
                format!("Authenticates with HTTP basic authentication (`{wire}`)."),
                quote!(username: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>),
                quote!(::openapi_client_runtime::Credential::Basic { username: username.into(), password: password.into() }),
            ),
            SchemeKind::Bearer => (
                format!("Authenticates with a bearer token (`{wire}`): `Authorization: Bearer <token>`."),
                quote!(token: impl ::std::convert::Into<::std::string::String>),
                quote!(::openapi_client_runtime::Credential::Bearer(token.into())),
            ),
            SchemeKind::ApiKey { location, name } => {
                let (place, location) = match location {
                    ParamLocation::Query => ("query parameter", quote!(Query)),
                    ParamLocation::Cookie => ("cookie", quote!(Cookie)),
                    _ => ("header", quote!(Header)),
                };
                (
                    format!("Authenticates with an API key (`{wire}`), sent as the {place} `{name}`."),
                    quote!(key: impl ::std::convert::Into<::std::string::String>),
                    quote!(::openapi_client_runtime::Credential::ApiKey {
                        location: ::openapi_client_runtime::KeyLocation::#location,
                        name: #name,
                        key: key.into(),
                    }),
                )
            }
        };
        let docs = doc_attrs(
            &Docs {
                summary: Some(summary),
                description: scheme.docs.description.clone(),
            },
            &["Operations that accept this scheme send it; see `openapi_client_runtime::auth`.".to_owned()],
        );
        quote! {
            #docs
            pub fn #method(self, #args) -> Self {
                self.credential(#wire, #credential)
            }
        }
    });
    quote! {
        /// Configures a [`Client`]: where the API is, credentials, timeouts and retries.
        /// `Debug` never shows credentials.
        #[derive(Clone, Debug)]
        pub struct ClientBuilder {
            inner: ::openapi_client_runtime::ClientBuilder<Client>,
        }

        impl ClientBuilder {
            /// A builder with the description's server and its variables' defaults.
            fn new() -> Self {
                ClientBuilder {
                    inner: ::openapi_client_runtime::ClientBuilder::new_for(Client::SERVER_URL)
                        #(#defaults)*,
                }
            }

            #(#variables)*
            #(#schemes)*
        }

        ::openapi_client_runtime::client_builder_methods!(ClientBuilder, Client);
    }
}

/// The quick-start section of the crate docs (a doctest that compiles but does not run).
fn quick_start(api: &Api, crate_name: &str) -> String {
    let krate = crate_name.replace('-', "_");
    let example = super::readme::example_body(api, &krate);
    format!(
        "# Quick start\n\n```no_run\n# async fn run() -> Result<(), {krate}::Error> {{\n{example}# Ok(())\n# }}\n```"
    )
}
