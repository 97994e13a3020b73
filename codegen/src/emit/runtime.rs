//! Every item of the `openapi-client-runtime` crate that generated code names, in one table.
//!
//! Emitters interpolate these constants (`quote!(#REQUEST::new(..))`) instead of spelling
//! runtime paths themselves, so renaming a runtime item is one edit here. The table is also
//! compiled against the runtime crate (see the test module the macro writes): a path that no
//! longer exists fails `cargo test -p codegen` at this table, not in a generated crate.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};

/// The path of one runtime item, below the crate root (`["mock", "Mock"]`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RuntimeItem(&'static [&'static str]);

impl RuntimeItem {
    /// The item's own name, for a `use` list under [`ROOT`].
    pub(crate) fn name(self) -> Ident {
        let last = self.0.last().copied().unwrap_or("openapi_client_runtime");
        Ident::new(last, Span::call_site())
    }
}

impl RuntimeItem {
    /// The item as a file that imports it names it: by its own name.
    pub(crate) const fn imported(self) -> Imported {
        Imported(self)
    }
}

/// A runtime item named by its own name, in a file that imports it (`use` of the item).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Imported(RuntimeItem);

impl Imported {
    /// The item imported.
    pub(crate) fn item(self) -> RuntimeItem {
        self.0
    }
}

impl ToTokens for Imported {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.0.name().to_tokens(tokens);
    }
}

/// The runtime crate itself.
pub(crate) const ROOT: RuntimeItem = RuntimeItem(&[]);

impl ToTokens for RuntimeItem {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let segments = self
            .0
            .iter()
            .map(|segment| Ident::new(segment, Span::call_site()));
        tokens.extend(quote!(::openapi_client_runtime #(:: #segments)*));
    }
}

/// Declares each runtime item as a constant, and a test that imports every one of them
/// from the runtime crate.
macro_rules! runtime_items {
    ($($(#[doc = $doc:literal])+ $name:ident = $($segment:ident)::+;)*) => {
        $(
            $(#[doc = $doc])+
            pub(crate) const $name: RuntimeItem = RuntimeItem(&[$(stringify!($segment)),+]);
        )*

        /// Each item of the table, imported from the runtime: compiling this module is the
        /// check that the table names what the runtime has.
        #[cfg(test)]
        #[allow(unused_imports)]
        mod exists {
            $(use openapi_client_runtime::$($segment)::+ as _;)*
        }
    };
}

runtime_items! {
    /// A non-2xx response, as an error.
    API_ERROR = ApiError;
    /// A body that did not decode, as an error.
    DECODE_ERROR = DecodeError;
    /// One page of a list, with its response.
    PAGE = Page;
    /// A failed page of a stream.
    PAGE_ERROR = PageError;
    /// A stream of pages.
    PAGES = Pages;
    /// A stream of the items of every page.
    ITEMS = Items;
    /// The rate-limit counters of a response.
    RATE_LIMIT = RateLimit;
    /// A client-side rate limiter.
    RATE_LIMITER = RateLimiter;
    /// `StreamExt`, for `next()` on page streams.
    STREAM_EXT = StreamExt;
    /// Which timeout fired.
    TIMEOUT_KIND = TimeoutKind;
    /// Freshworks' filter-query builder.
    FILTER = Filter;
    /// A filter query ready to send.
    FILTER_QUERY = FilterQuery;
    /// The HTTP client every operation goes through.
    CLIENT = Client;
    /// The runtime's client builder, wrapped by each crate's own.
    CLIENT_BUILDER = ClientBuilder;
    /// The macro giving a generated client builder the description-independent settings.
    CLIENT_BUILDER_METHODS = client_builder_methods;
    /// A request: method, path template, parameters, body.
    REQUEST = Request;
    /// The HTTP method type (`Method::GET`).
    METHOD = Method;
    /// Per-call settings (timeouts, retries, extra headers).
    REQUEST_OPTIONS = RequestOptions;
    /// A successful response before decoding.
    RAW_RESPONSE = RawResponse;
    /// A decoded value with its response's status and headers.
    RESPONSE = Response;
    /// The future a call returns.
    CALL_FUTURE = CallFuture;
    /// Everything that can go wrong in a call.
    ERROR = Error;
    /// The trait every generated request builder implements.
    OPERATION = Operation;
    /// The trait of list operations, with `pages` and `items`.
    PAGED_OPERATION = PagedOperation;
    /// The macro giving builders their inherent `send` methods.
    OPERATION_METHODS = operation_methods;
    /// The macro giving list builders their inherent `send`, `pages` and `items`.
    PAGED_OPERATION_METHODS = paged_operation_methods;
    /// How a list moves from page to page.
    PAGING = Paging;
    /// Where a page stream starts.
    PAGE_REF = PageRef;
    /// A request body, encoded.
    BODY = Body;
    /// Raw bytes (binary bodies and fields).
    BYTES = Bytes;
    /// A streamed response body.
    BYTE_STREAM = ByteStream;
    /// A file field of a multipart form.
    FILE_PART = FilePart;
    /// A multipart form.
    FORM = Form;
    /// Multipart helpers (`json_text`).
    MULTIPART = multipart;
    /// A field that can be absent, null or a value.
    NULLABLE = Nullable;
    /// How a value is written as a parameter.
    PARAM_VALUE = ParamValue;
    /// A credential a security scheme sends.
    CREDENTIAL = Credential;
    /// Where an API key goes.
    KEY_LOCATION = KeyLocation;
    /// The retry policy (tests' clients retry nothing).
    RETRY_POLICY = RetryPolicy;
    /// Deserialisation helpers of the generated serde impls.
    DE = de;
    /// The macro writing a struct's `Deserialize` impl as one call to `de::object`.
    DESERIALIZE_OBJECT = deserialize_object;
    /// The extension of `SerializeMap` that leaves out unset optional fields.
    SERIALIZE_MAP_EXT = ser::SerializeMapExt;
    /// A typed expectation of the mock server.
    MOCK = mock::Mock;
    /// The loopback mock server.
    MOCK_SERVER = mock::MockServer;
    /// How a client connects to the mock server.
    MOCK_CLIENT = mock::MockClient;
    /// A stateful fake collection.
    FAKE_RESOURCE = mock::FakeResource;
    /// Stateful fakes mounted on the mock server.
    FAKE = mock::Fake;
    /// A mounted mock.
    MOUNTED = mock::Mounted;
    /// The "no JSON body" marker of mocks.
    NO_JSON_BODY = mock::NoJsonBody;
    /// A request the mock server received.
    RECEIVED_REQUEST = mock::ReceivedRequest;
}
