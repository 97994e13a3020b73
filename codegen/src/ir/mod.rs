//! The intermediate representation: the contract between the front end (load, lower, naming)
//! and the back end (emit).
//!
//! The IR holds every decision the emitter needs and nothing it must not know: operations
//! with parsed path templates, parameters by location, request bodies by media type, every
//! response by status, and an arena of type definitions with stable ids. Every name is a
//! [`Name`] carrying both the spelling on the wire and the Rust identifier; the naming pass
//! ([`crate::naming`]) fills in the Rust spellings, after which the IR is frozen. The phases
//! are types: lowering returns [`crate::lower::Lowered`], naming turns it into
//! [`crate::naming::Named`], and the emitter takes only the latter.
//!
//! Nodes refer to each other by typed ids, never by wire names: a type by [`TypeId`], a
//! parameter by [`ParamId`], a property by [`FieldRef`], a resource group by [`ModuleId`], a
//! security scheme by [`SchemeId`]. Type ids come from the arena, which never drops a type;
//! lowering checks that the others resolve (a dangling one is a "generator bug" diagnostic at
//! the node's spec location), so the lookups here index directly.

mod types;

pub use types::*;

use serde::Serialize;

/// Both spellings of a name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Name {
    /// The name as the API or the spec spells it (a JSON key, a parameter name, a tag).
    pub wire: String,
    /// The words the Rust name is made of, before case conversion and escaping.
    pub candidate: String,
    /// The final Rust identifier, set by the naming pass (empty before it runs, which only
    /// [`crate::lower::Lowered`] IR can be).
    pub rust: String,
}

impl Name {
    /// A name whose Rust form will be derived from `candidate`.
    pub fn new(wire: impl Into<String>, candidate: impl Into<String>) -> Self {
        Name {
            wire: wire.into(),
            candidate: candidate.into(),
            rust: String::new(),
        }
    }
}

/// Documentation taken from the spec.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Docs {
    /// A one-line summary.
    pub summary: Option<String>,
    /// Longer text (CommonMark).
    pub description: Option<String>,
}

/// A whole API.
#[derive(Clone, Debug, Serialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub docs: Docs,
    /// The first server's URL template (`https://{domain}.example.com/v2`), if any.
    pub server: Option<String>,
    /// The first server's variables: one builder method each.
    pub server_variables: Vec<ServerVariable>,
    /// The security schemes: one builder method each, storing its credential; [`SchemeId`]s
    /// index it.
    pub security_schemes: Vec<SecurityScheme>,
    /// Resource groups, one Rust module each, sorted by wire name; [`ModuleId`]s index it.
    pub modules: Vec<Module>,
    /// Every type the API uses.
    pub types: TypeArena,
    /// Problems the generator worked around while building this IR (skipped operations,
    /// repaired templates, renamed duplicates), for the caller to print; not part of the API.
    #[serde(skip)]
    pub warnings: crate::diag::Diagnostics,
}

impl Api {
    /// The resource group `id` names.
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.0]
    }

    /// The security scheme `id` names.
    pub fn scheme(&self, id: SchemeId) -> &SecurityScheme {
        &self.security_schemes[id.0]
    }
}

/// The index of a resource group in [`Api::modules`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ModuleId(pub usize);

/// The index of a security scheme in [`Api::security_schemes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SchemeId(pub usize);

/// The index of a parameter in its operation's [`Operation::params`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ParamId(pub usize);

/// A variable of the server URL template (`{domain}`).
#[derive(Clone, Debug, Serialize)]
pub struct ServerVariable {
    /// Wire: the variable; Rust: its builder method.
    pub name: Name,
    /// The description's default: the value used unless the builder sets another, or, when
    /// `required`, only an example for documentation.
    pub default: String,
    /// Whether the caller must set it: the description marks its default as a placeholder
    /// (`x-placeholder-default`), such as a tenant's subdomain.
    pub required: bool,
    /// The values the description allows (`enum`); empty when any is.
    pub choices: Vec<String>,
    /// Its description.
    pub docs: Docs,
}

/// A security scheme of `components/securitySchemes`.
#[derive(Clone, Debug, Serialize)]
pub struct SecurityScheme {
    /// Wire: the scheme's key, which requirements name; Rust: its builder method.
    pub name: Name,
    /// How its credential travels.
    pub kind: SchemeKind,
    /// Its description.
    pub docs: Docs,
}

/// How a security scheme's credential travels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum SchemeKind {
    /// HTTP basic. With `fixed_password` (`x-basic-password`), the user name is the only
    /// secret (an API key sent as the user name, as Freshworks APIs take it).
    Basic {
        /// The password every request sends, when the description fixes it.
        fixed_password: Option<String>,
    },
    /// A bearer token: HTTP bearer, OAuth 2 or OpenID Connect.
    Bearer,
    /// An API key in a header, query parameter or cookie called `name`.
    ApiKey {
        /// Header, query or cookie (never path).
        location: ParamLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
}

/// A resource group: one tag, one module, one accessor on the client.
#[derive(Clone, Debug, Serialize)]
pub struct Module {
    /// Wire: the tag; Rust: the module and accessor method name.
    pub name: Name,
    /// The struct through which its operations are called (`Tickets`).
    pub handle: Name,
    /// The tag's description.
    pub docs: Docs,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
}

/// HTTP methods OpenAPI 3.0 knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method as it is written on the wire (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// One API operation.
#[derive(Clone, Debug, Serialize)]
pub struct Operation {
    /// Wire: the operationId; Rust: the method on the module's handle.
    pub name: Name,
    /// The request builder struct (`ListTasks`).
    pub builder: Name,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, relative to the server URL.
    pub path: PathTemplate,
    /// Summary and description.
    pub docs: Docs,
    /// Marked deprecated in the spec.
    pub deprecated: bool,
    /// Parameters: path ones in template order, then query, header and cookie ones;
    /// [`ParamId`]s index it.
    pub params: Vec<Param>,
    /// The request body, if the operation takes one.
    pub body: Option<RequestBody>,
    /// Every documented response, by status.
    pub responses: Vec<Response>,
    /// What a successful call returns, decided from the 2xx responses.
    pub success: Success,
    /// How a list operation pages through its results, if it does.
    pub pagination: Option<Pagination>,
    /// The security alternatives it accepts (any one inner list, all of whose schemes are
    /// applied): its own `security`, else the description's; `None` when neither says.
    pub security: Option<Vec<Vec<SchemeId>>>,
    /// Where the operation is in the spec.
    pub origin: String,
}

impl Operation {
    /// The parameter `id` names.
    pub fn param(&self, id: ParamId) -> &Param {
        &self.params[id.0]
    }
}

/// How a list operation pages through its results.
#[derive(Clone, Debug, Serialize)]
pub struct Pagination {
    /// How the next page is asked for.
    pub scheme: PageScheme,
    /// The type of one item of a page.
    pub item: TypeRef,
    /// The property of the response object that holds a page's items (`records` of
    /// `{"records": [...], "meta": {...}}`); `None` when the response is the list itself.
    pub items_property: Option<FieldRef>,
}

/// The ways a list moves to its next page. Each follows a `Link: <...>; rel="next"` header
/// when the server sends one.
#[derive(Clone, Debug, Serialize)]
pub enum PageScheme {
    /// An integer page-number query parameter; without a `Link` header the next number is
    /// asked for while full pages come back.
    Numbered {
        /// The page-number query parameter (`page`).
        page: ParamId,
        /// The page-size query parameter (`per_page`), if the operation has one.
        per_page: Option<ParamId>,
        /// The page size the server uses when none is asked for (the parameter's default).
        default_per_page: Option<i64>,
    },
    /// A string cursor query parameter (`next_page_link`), whose next value comes with the
    /// `rel="next"` link.
    Cursor {
        /// The cursor query parameter.
        cursor: ParamId,
    },
    /// No paging parameter: a `GET` returning a list, continued only by `rel="next"` links.
    Link,
}

/// A path template split at its `{placeholders}`.
#[derive(Clone, Debug, Serialize)]
pub struct PathTemplate {
    /// The template as written (`/tickets/{id}`).
    pub raw: String,
    /// Its pieces in order.
    pub segments: Vec<PathSegment>,
}

/// A piece of a path template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// A `{name}` placeholder, filled by this path parameter of the operation.
    Param(ParamId),
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// One parameter of an operation.
#[derive(Clone, Debug, Serialize)]
pub struct Param {
    /// Wire: the parameter name; Rust: the argument, builder field and setter name.
    pub name: Name,
    /// For an optional parameter, the setter's twin taking an `Option` (`set_page`), for
    /// callers forwarding a value they may not have.
    pub option_setter: Name,
    /// Path, query, header or cookie.
    pub location: ParamLocation,
    /// Required parameters become arguments of the operation method; the others setters.
    pub required: bool,
    /// The value's type.
    pub ty: TypeRef,
    /// For arrays: repeat the name for each item (`a=1&a=2`) rather than join with commas.
    pub explode: bool,
    /// Its description.
    pub docs: Docs,
    /// Marked `x-filter-query`: a filter expression sent wrapped in double quotes.
    pub filter_query: bool,
    /// How the value is written into the request.
    pub encoding: ParamEncoding,
    /// Bounds checked before sending, and the server's default.
    pub limits: ValueLimits,
}

/// How a parameter's value is written into the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ParamEncoding {
    /// A scalar, an enum, a union of those, or a list of them, as text (lists repeated or
    /// joined with commas, as `explode` says).
    Plain,
    /// `style: deepObject`: an object as `name[key]=value` pairs (a list as `name[]=item`).
    DeepObject,
    /// A query value that is neither a scalar nor a list of scalars (an object in `form`
    /// style, a union with a list alternative): written from its JSON form, `form` style.
    FormValue,
    /// `spaceDelimited` or `pipeDelimited`: a list joined with this character.
    Delimited(char),
    /// A parameter given by `content` with a JSON media type: the value as JSON text.
    Json,
}

/// What a parameter's or a property's schema says about its values beyond their type (for an
/// array, what its items' schema says).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ValueLimits {
    /// `maxLength` of a string.
    pub max_length: Option<u64>,
    /// Inclusive lower bound of an integer.
    pub minimum: Option<i64>,
    /// Inclusive upper bound of an integer.
    pub maximum: Option<i64>,
    /// The integer default of a parameter (the value the server assumes when it is absent).
    pub default: Option<i64>,
    /// The `format` of a string that keeps the Rust type `String` (`email`, `uri`, ...); the
    /// client does not check it, sample values respect it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

impl ValueLimits {
    /// True when the schema says nothing beyond the type.
    pub fn is_empty(&self) -> bool {
        *self == ValueLimits::default()
    }
}

/// How a body is encoded.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum MediaType {
    /// `application/json` and `+json` types.
    Json,
    /// `multipart/form-data`.
    Multipart,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/octet-stream` and other binary types.
    Binary(String),
    /// `text/*`.
    Text(String),
}

/// The request body of an operation.
#[derive(Clone, Debug, Serialize)]
pub struct RequestBody {
    /// Whether the spec requires one.
    pub required: bool,
    /// Its description.
    pub docs: Docs,
    /// One entry per media type, in spec order; each gets its own setter.
    pub contents: Vec<BodyContent>,
}

/// A request body in one media type.
#[derive(Clone, Debug, Serialize)]
pub struct BodyContent {
    /// The encoding.
    pub media: MediaType,
    /// The content type string as written in the spec.
    pub content_type: String,
    /// The Rust type of the body.
    pub ty: TypeRef,
    /// How a caller gives the body in this media type: for an optional body, the builder's
    /// setter (`body`, `body_multipart`); for a required one, the group method that starts
    /// the request with it as an argument (`create`, `create_multipart`).
    pub setter: Name,
}

/// Which statuses a response covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A class such as `4XX` (the digit).
    Range(u16),
    /// `default`.
    Default,
}

impl StatusMatch {
    /// Whether the statuses it covers are successes (2xx).
    pub fn is_success(&self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(code),
            StatusMatch::Range(class) => *class == 2,
            StatusMatch::Default => false,
        }
    }
}

/// One documented response.
#[derive(Clone, Debug, Serialize)]
pub struct Response {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Its description.
    pub docs: Docs,
    /// Its body, if it has one the client can decode.
    pub body: Option<ResponseBody>,
}

/// A response body.
#[derive(Clone, Debug, Serialize)]
pub struct ResponseBody {
    /// The encoding.
    pub media: MediaType,
    /// The type the client returns: for an envelope, the inner type.
    pub ty: TypeRef,
    /// The key of a one-property envelope object (`{"ticket": ...}`) the client unwraps.
    pub envelope: Option<String>,
}

/// What a successful call returns.
#[derive(Clone, Debug, Serialize)]
pub enum Success {
    /// No 2xx response has a body.
    Empty,
    /// Every 2xx response with a body has this one.
    Body(ResponseBody),
    /// 2xx responses differ: an enum type (a [`crate::ir::TypeKind::StatusEnum`]) with one
    /// variant per status.
    ByStatus(TypeId),
}

/// One variant of a per-status success enum.
#[derive(Clone, Debug, Serialize)]
pub struct StatusVariant {
    /// The status code.
    pub status: u16,
    /// The variant name.
    pub name: Name,
    /// Its body, if any.
    pub body: Option<ResponseBody>,
}
