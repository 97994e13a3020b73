//! The naming pass: turns every [`Name`](crate::ir::Name)'s candidate into a Rust identifier.
//!
//! One pass, after lowering and before emission. Case conversion is heck's; identifiers are
//! reduced to ASCII; keywords of every edition (2015 to 2024, `gen` included) become raw
//! identifiers (`r#type`), or get a trailing `_` where Rust forbids raw ones (`self`, `Self`,
//! `super`, `crate`, `_`) and for module names, which are also file names. Collisions are
//! resolved per scope, deterministically, by numbering later claimants (`Ticket2`,
//! `status_2`); names the generated code itself uses in a scope are claimed first.
//!
//! It takes the IR lowering made ([`Lowered`]) and gives back [`Named`] IR, the only kind the
//! emitter accepts, so skipping the pass is a type error.

use std::collections::HashSet;
use std::ops::Deref;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::{Api, TypeKind};
use crate::lower::Lowered;

/// Every keyword of every Rust edition, strict and reserved.
pub const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Names the crate root uses, and the cargo features `default`, `full` and `blocking`: no module
/// may take them.
const RESERVED_MODULES: &[&str] = &[
    "types",
    "client",
    "builder",
    "runtime",
    "from_runtime",
    "new",
    "default",
    "full",
    "blocking",
];

/// Builder fields and methods every generated request builder has.
const RESERVED_BUILDER: &[&str] = &[
    "client",
    "body",
    "options",
    "send",
    "send_with_response",
    "pages",
    "items",
    "send_blocking",
    "send_stream",
    "into_request",
    "decode",
];

/// The public types every generated crate has besides the spec's: the crate root's client,
/// builder and re-exports of the runtime, and the test doubles of `mock`. No type of the spec
/// may take these names, so that no two public types of a crate share one.
pub(crate) const RESERVED_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "ApiError",
    "Body",
    "ByteStream",
    "CallFuture",
    "Credential",
    "DecodeError",
    "Error",
    "FilePart",
    "Form",
    "Items",
    "Nullable",
    "Page",
    "PageError",
    "PageRef",
    "Pages",
    "RateLimit",
    "RateLimiter",
    "RequestOptions",
    "Response",
    "RetryPolicy",
    "StreamExt",
    "TimeoutKind",
    "Filter",
    "FilterQuery",
    "Fake",
    "FakeResource",
    "Mock",
    "Mounted",
    "NoJsonBody",
    "ReceivedRequest",
    "MockServer",
];

/// Names a resource group's module uses by their short names besides [`RESERVED_TYPES`]: the
/// standard prelude's and the runtime items it imports. Its own items (the group's handle and
/// request builders) may not take them; the spec's types, which live elsewhere, may.
pub(crate) const RESERVED_IN_GROUP_MODULES: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Into",
    "IntoIterator",
    "Some",
    "None",
    "Ok",
    "Err",
    "Bytes",
    "Method",
    "Operation",
    "PagedOperation",
    "Paging",
    "RawResponse",
    "Request",
];

/// Methods every generated client builder has (forwarded to the runtime's builder): no
/// server variable or security scheme may take them.
pub const RESERVED_CLIENT_BUILDER: &[&str] = &[
    "new",
    "build",
    "base_url",
    "server_variable",
    "credential",
    "timeout",
    "operation_timeout",
    "connect_timeout",
    "read_timeout",
    "without_default_timeouts",
    "max_response_size",
    "retry_policy",
    "rate_limiter",
    "user_agent",
    "http_client",
    "danger_allow_insecure_http",
];

/// IR whose every Rust name is assigned, frozen: what the emitter takes. Only [`assign`]
/// makes one; it reads, and serialises, as the [`Api`] it holds.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(transparent)]
pub struct Named {
    api: Api,
}

impl Deref for Named {
    type Target = Api;

    fn deref(&self) -> &Api {
        &self.api
    }
}

/// Assigns every Rust name in the lowered IR.
pub fn assign(lowered: Lowered) -> Named {
    let mut api = lowered.into_unnamed();
    name_all(&mut api);
    Named { api }
}

/// Assigns every Rust name in the API.
fn name_all(api: &mut Api) {
    name_types(api);
    let mut builder = Scope::with_reserved(RESERVED_CLIENT_BUILDER);
    for variable in &mut api.server_variables {
        variable.name.rust =
            value_ident(&builder.claim_snake(snake(&variable.name.candidate, "variable")));
    }
    for scheme in &mut api.security_schemes {
        scheme.name.rust =
            value_ident(&builder.claim_snake(snake(&scheme.name.candidate, "credential")));
    }
    let mut modules = Scope::with_reserved(RESERVED_MODULES);
    // Every public type of the crate has a name of its own: the types, the crate root's
    // `Client` and `ClientBuilder`, group handles and request builders, so that a compiler
    // message or a documentation search never shows two `List`s.
    let mut public = Scope::with_reserved(RESERVED_TYPES);
    for (_, def) in api.types.iter() {
        public.taken.insert(def.name.rust.clone());
    }
    for name in RESERVED_IN_GROUP_MODULES {
        public.taken.insert((*name).to_owned());
    }
    for module in &mut api.modules {
        let base = snake(&module.name.candidate, "group");
        module.name.rust = module_ident(&modules.claim_snake(base));
        let module_prefix = format!("{}_", snake(&module.name.candidate, "group"));

        module.handle.rust = public.claim_pascal(pascal(&module.handle.candidate, "Group"));
        // The handle's own constructor.
        let mut methods = Scope::with_reserved(&["new"]);
        for operation in &mut module.operations {
            let full = snake(&operation.name.candidate, "operation");
            let short = full
                .strip_prefix(&module_prefix)
                .filter(|s| !s.is_empty())
                .unwrap_or(&full)
                .to_owned();
            let method = methods.claim_snake(short);
            // `TicketsList` for `tickets().list()`: the group, then the method.
            let builder = format!("{} {method}", module.name.candidate);
            operation.builder.rust = public.claim_pascal(pascal(&builder, "Operation"));
            operation.name.rust = value_ident(&method);

            let mut members = Scope::with_reserved(RESERVED_BUILDER);
            if let Some(body) = operation.body.as_mut().filter(|body| !body.required) {
                for content in &mut body.contents {
                    let setter = snake(&content.setter.candidate, "body");
                    let setter = if setter == "body" {
                        setter
                    } else {
                        members.claim_snake(setter)
                    };
                    content.setter.rust = value_ident(&setter);
                }
            }
            for param in &mut operation.params {
                param.name.rust =
                    value_ident(&members.claim_snake(snake(&param.name.candidate, "param")));
            }
            for param in operation.params.iter_mut().filter(|param| !param.required) {
                let twin = snake(&param.option_setter.candidate, "set_param");
                param.option_setter.rust = value_ident(&members.claim_snake(twin));
            }
        }
        // A required body is an argument of the group method: the first media type's method
        // is the operation's own, each other media type gets one more (`create_multipart`),
        // named after every operation has its method.
        for operation in &mut module.operations {
            let method = operation.name.rust.clone();
            let Some(body) = operation.body.as_mut().filter(|body| body.required) else {
                continue;
            };
            for (index, content) in body.contents.iter_mut().enumerate() {
                content.setter.rust = if index == 0 {
                    method.clone()
                } else {
                    let setter = snake(&content.setter.candidate, "body");
                    let suffix = setter.strip_prefix("body_").unwrap_or(&setter);
                    let base = format!("{}_{suffix}", method.trim_start_matches("r#"));
                    value_ident(&methods.claim_snake(base))
                };
            }
        }
    }
}

/// Names every type, then the members of each.
fn name_types(api: &mut Api) {
    let mut types = Scope::with_reserved(RESERVED_TYPES);
    let ids: Vec<_> = api.types.iter().map(|(id, _)| id).collect();
    // Components first (they have wire names), so inline types never take their names.
    let (components, inline): (Vec<_>, Vec<_>) = ids
        .into_iter()
        .partition(|id| !api.types.get(*id).name.wire.is_empty());
    for id in components.into_iter().chain(inline) {
        let def = api.types.get_mut(id);
        def.name.rust = types.claim_pascal(pascal(&def.name.candidate, "T"));
        match &mut def.kind {
            TypeKind::Struct(strukt) => {
                let mut fields = Scope::default();
                for field in &mut strukt.fields {
                    field.name.rust =
                        value_ident(&fields.claim_snake(snake(&field.name.candidate, "field")));
                }
                if let Some(additional) = &mut strukt.additional {
                    additional.name.rust = value_ident(
                        &fields.claim_snake(snake(&additional.name.candidate, "extra")),
                    );
                }
            }
            TypeKind::Enum(enumeration) => {
                let mut variants = Scope::default();
                enumeration.unknown.rust =
                    variants.claim_pascal(pascal(&enumeration.unknown.candidate, "V"));
                for variant in enumeration.variants_mut() {
                    variant.rust = variants.claim_pascal(pascal(&variant.candidate, "V"));
                }
            }
            TypeKind::Union(union) => {
                let mut variants = Scope::default();
                for variant in &mut union.variants {
                    variant.name.rust = variants.claim_pascal(pascal(&variant.name.candidate, "V"));
                }
            }
            TypeKind::StatusEnum(status) => {
                let mut variants = Scope::default();
                for variant in &mut status.variants {
                    variant.name.rust = variants.claim_pascal(pascal(&variant.name.candidate, "V"));
                }
                status.other.rust = variants.claim_pascal(pascal(&status.other.candidate, "V"));
            }
            TypeKind::Alias(_) => {}
        }
    }
}

/// The names taken in one namespace.
#[derive(Default)]
struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Claims `base`, or `base_2`, `base_3`, ... for snake-case names.
    fn claim_snake(&mut self, base: String) -> String {
        self.claim(base, "_")
    }

    /// Claims `Base`, or `Base2`, `Base3`, ... for PascalCase names.
    fn claim_pascal(&mut self, base: String) -> String {
        self.claim(base, "")
    }

    fn claim(&mut self, base: String, separator: &str) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let stem = if separator.is_empty() {
            base.trim_end_matches('_')
        } else {
            &base
        };
        (2..)
            .map(|n| format!("{stem}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(base)
    }
}

/// Keeps ASCII letters, digits and underscores.
fn ascii_word_chars(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `snake_case`, never empty, never starting with a digit.
pub fn snake(candidate: &str, fallback: &str) -> String {
    let mut name = ascii_word_chars(candidate).to_snake_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// `PascalCase`, never empty; a leading digit gets `prefix` (`1` → `V1`).
pub fn pascal(candidate: &str, prefix: &str) -> String {
    let mut name = ascii_word_chars(candidate).to_upper_camel_case();
    if name.is_empty() {
        return prefix.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, prefix);
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// A field, parameter or method identifier: keywords become raw identifiers.
pub fn value_ident(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// A module identifier (also a file name): keywords get a trailing `_`.
fn module_ident(name: &str) -> String {
    if KEYWORDS.contains(&name) || NOT_RAW.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_is_escaped() {
        for keyword in KEYWORDS
            .iter()
            .filter(|k| k.chars().all(|c| c.is_ascii_lowercase()))
        {
            let ident = value_ident(keyword);
            assert!(
                ident == format!("r#{keyword}") || ident == format!("{keyword}_"),
                "{keyword} → {ident}"
            );
            assert_eq!(module_ident(keyword), format!("{keyword}_"));
        }
        assert_eq!(value_ident("self"), "self_");
        assert_eq!(value_ident("crate"), "crate_");
        assert_eq!(value_ident("gen"), "r#gen");
        assert_eq!(pascal("self", "T"), "Self_");
    }

    #[test]
    fn odd_names_become_identifiers() {
        assert_eq!(snake("attachments[]", "f"), "attachments");
        assert_eq!(snake("1st", "f"), "_1st");
        assert_eq!(snake("$$", "f"), "f");
        assert_eq!(pascal("2", "V"), "V2");
        assert_eq!(pascal("Service Request", "V"), "ServiceRequest");
        assert_eq!(pascal("é", "V"), "V");
    }

    #[test]
    fn collisions_are_numbered_in_order() {
        let mut scope = Scope::with_reserved(&["client"]);
        assert_eq!(scope.claim_snake("client".into()), "client_2");
        assert_eq!(scope.claim_snake("a".into()), "a");
        assert_eq!(scope.claim_snake("a".into()), "a_2");
        assert_eq!(scope.claim_pascal("T".into()), "T");
        assert_eq!(scope.claim_pascal("T".into()), "T2");
    }
}
