//! `lib.rs` of the generated crate: the client and its group accessors.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::inner_doc_attrs;
use super::rust_type::ident;
use crate::ir::{Api, Docs};

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
    quote! {
        #crate_docs
        #![forbid(unsafe_code)]

        pub mod types;
        #(#modules)*

        pub use ::openapi_client_runtime::{
            ApiError, Body, ByteStream, CallFuture, ClientBuilder, DecodeError, Error, ErrorBody, ErrorCode, ErrorDetail, FilePart, Filter,
            FilterQuery, Form, Items, Page, PageError, PageRef, Pages, RateLimit, RateLimiter, RequestOptions, Response,
            RetryPolicy, StreamExt, TimeoutKind,
        };

        /// The API client: cheap to clone, safe to share between tasks.
        #[derive(Clone, Debug)]
        pub struct Client {
            runtime: ::openapi_client_runtime::Client,
        }

        impl Client {
            /// The server URL template from the spec; `{name}` parts are filled by the builder.
            pub const SERVER_URL: &'static str = #server;

            /// Starts configuring a client (domain or base URL, credentials, timeouts).
            pub fn builder() -> ::openapi_client_runtime::ClientBuilder<Client> {
                ::openapi_client_runtime::ClientBuilder::new_for(Self::SERVER_URL)
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
