//! `lib.rs` of the generated crate: the client and its group accessors.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, inner_doc_attrs};
use super::runtime::{
    RuntimeItem, API_ERROR, BODY, BYTE_STREAM, CALL_FUTURE, CLIENT, CLIENT_BUILDER,
    CLIENT_BUILDER_METHODS, CREDENTIAL, DECODE_ERROR, ERROR, FILE_PART, FILTER, FILTER_QUERY, FORM,
    ITEMS, KEY_LOCATION, NULLABLE, PAGE, PAGES, PAGE_ERROR, PAGE_REF, RATE_LIMIT, RATE_LIMITER,
    REQUEST_OPTIONS, RESPONSE, RETRY_POLICY, ROOT, STREAM_EXT, TIMEOUT_KIND,
};
use super::rust_type::ident;
use crate::ir::{Api, Docs, ParamLocation, SchemeKind};

/// The runtime items the crate root re-exports, so that callers name them through the client
/// crate (`freshservice::Error`); the naming pass keeps spec types off these names.
const REEXPORTS: [RuntimeItem; 22] = [
    API_ERROR,
    BODY,
    BYTE_STREAM,
    CALL_FUTURE,
    CREDENTIAL,
    DECODE_ERROR,
    ERROR,
    FILE_PART,
    FORM,
    ITEMS,
    NULLABLE,
    PAGE,
    PAGE_ERROR,
    PAGE_REF,
    PAGES,
    RATE_LIMIT,
    RATE_LIMITER,
    REQUEST_OPTIONS,
    RESPONSE,
    RETRY_POLICY,
    STREAM_EXT,
    TIMEOUT_KIND,
];

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
    let filter_names = [FILTER.name(), FILTER_QUERY.name()];
    let filter_names = quote!(#(#filter_names),*);
    let reexports = REEXPORTS.map(RuntimeItem::name);
    let filter = filters.then(|| {
        quote!(
            pub use #ROOT::{#filter_names};
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

        pub use #ROOT::{#(#reexports),*};
        #filter

        /// The API client: cheap to clone, safe to share between tasks.
        #[derive(Clone, Debug)]
        pub struct Client {
            runtime: #CLIENT,
        }

        impl Client {
            /// The server URL template from the spec; `{name}` parts are filled by the builder.
            pub const SERVER_URL: &'static str = #server;

            /// Starts configuring a client (server, credentials, timeouts).
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// The runtime client underneath, for requests the generated API does not cover.
            pub fn runtime(&self) -> &#CLIENT {
                &self.runtime
            }

            #(#accessors)*
        }

        impl ::std::convert::From<#CLIENT> for Client {
            fn from(runtime: #CLIENT) -> Self {
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
                quote!(#CREDENTIAL::Basic { username: key.into(), password: #password.into() }),
            ),
            SchemeKind::Basic { fixed_password: None } => (
                format!("Authenticates with HTTP basic authentication (`{wire}`)."),
                quote!(username: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>),
                quote!(#CREDENTIAL::Basic { username: username.into(), password: password.into() }),
            ),
            SchemeKind::Bearer => (
                format!("Authenticates with a bearer token (`{wire}`): `Authorization: Bearer <token>`."),
                quote!(token: impl ::std::convert::Into<::std::string::String>),
                quote!(#CREDENTIAL::Bearer(token.into())),
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
                    quote!(#CREDENTIAL::ApiKey {
                        location: #KEY_LOCATION::#location,
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
            inner: #CLIENT_BUILDER<Client>,
        }

        impl ClientBuilder {
            /// A builder with the description's server and its variables' defaults.
            fn new() -> Self {
                ClientBuilder {
                    inner: #CLIENT_BUILDER::new_for(Client::SERVER_URL)
                        #(#defaults)*,
                }
            }

            #(#variables)*
            #(#schemes)*
        }

        #CLIENT_BUILDER_METHODS!(ClientBuilder, Client);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_spec_type_can_take_a_reexported_name() {
        for item in REEXPORTS.iter().chain(&[FILTER, FILTER_QUERY]) {
            let name = item.name().to_string();
            assert!(
                crate::naming::RESERVED_TYPES.contains(&name.as_str()),
                "{name} is re-exported but not reserved"
            );
        }
    }
}
