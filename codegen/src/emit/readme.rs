//! `README.md` of the generated crate: the page users see on crates.io (install, credentials,
//! a first call, the cargo features, where the documentation is).

use std::fmt::Write as _;

use crate::ir::{Api, Module, Operation, ParamLocation, SchemeKind};
use crate::Settings;

/// The README's path in the crate, also named by `Cargo.toml`'s `readme` and `include`.
pub const PATH: &str = "README.md";

/// The README text; `header` (the generated-file notice) goes into an HTML comment.
pub fn readme(api: &Api, settings: &Settings, header: &str) -> String {
    let name = &settings.crate_name;
    let krate = name.replace('-', "_");
    let version = requirement(&settings.crate_version);
    let mut out = String::new();
    let _ = writeln!(out, "<!--\n{header}\n-->\n");
    let _ = writeln!(out, "# {name}\n");
    let _ = writeln!(
        out,
        "An async Rust client for the {} (API version {}), generated from its OpenAPI \
         description: {} in {}, with typed requests and responses.\n",
        api.title,
        api.version,
        count(
            api.modules.iter().map(|m| m.operations.len()).sum(),
            "operation"
        ),
        count(api.modules.len(), "resource group")
    );
    if let Some(summary) = api
        .docs
        .summary
        .as_deref()
        .or(api.docs.description.as_deref())
    {
        if let Some(first) = summary.split("\n\n").next() {
            let _ = writeln!(out, "{}\n", first.trim());
        }
    }

    let _ = writeln!(out, "## Install\n\n```toml\n[dependencies]\n{name} = \"{version}\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n");

    let _ = writeln!(out, "## A first call\n");
    let server = api.server.as_deref().unwrap_or("");
    let _ = writeln!(
        out,
        "The client is built once and shared (it is cheap to clone). {}{}\n",
        server_text(api, server),
        credentials_text(api)
    );
    let _ = writeln!(
        out,
        "```rust,no_run\n#[tokio::main]\nasync fn main() -> Result<(), {krate}::Error> {{\n{}",
        indent(example_body(api, &krate).trim_end())
    );
    let _ = writeln!(out, "    Ok(())\n}}\n```\n");
    let paged = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .any(|op| op.pagination.is_some());
    let _ = writeln!(
        out,
        "Every call returns `Result<_, {krate}::Error>`; requests are retried with backoff where \
         that is safe{}.\n",
        if paged {
            ", and lists can be streamed page by page with `.pages()` or `.items()`"
        } else {
            ""
        }
    );

    let _ = writeln!(out, "## Features\n");
    let _ = writeln!(out, "| feature | what it enables |\n| --- | --- |");
    let _ = writeln!(out, "| `full` (default) | every resource group below |");
    for module in &api.modules {
        let _ = writeln!(
            out,
            "| `{}` | {}: {} |",
            module.name.rust,
            module.name.wire,
            count(module.operations.len(), "operation")
        );
    }
    let _ = writeln!(
        out,
        "| `blocking` | `send_blocking()` on every request and blocking page iterators |"
    );
    let _ = writeln!(
        out,
        "| `{}` | both serde directions on every type (by default each type implements only the one the client uses) |",
        super::serde_impls::SERDE_BOTH_FEATURE
    );
    let _ = writeln!(
        out,
        "| `{}` | the `mock` module: a loopback `MockServer` and a typed mock per operation, for testing code that uses the client (implies `{}`) |\n",
        super::mock::TEST_UTIL_FEATURE,
        super::serde_impls::SERDE_BOTH_FEATURE
    );
    let _ = writeln!(
        out,
        "A crate that needs one group builds only that group: `{name} = {{ version = \"{version}\", default-features = false, features = [\"{}\"] }}`.\n",
        api.modules.first().map_or("…", |m| m.name.rust.as_str())
    );

    let _ = writeln!(out, "## Documentation\n");
    match &settings.package.documentation {
        Some(url) => {
            let _ = writeln!(out, "The API reference of this crate is at <{url}>.");
        }
        None => {
            let _ = writeln!(
                out,
                "Run `cargo doc --open -p {name}` for this crate's API reference."
            );
        }
    }
    if let Some(repository) = &settings.package.repository {
        let _ = writeln!(
            out,
            "The crate is generated from the OpenAPI description kept at <{repository}>; changes go there, not into the generated files."
        );
    }
    if let Some(license) = &settings.package.license {
        let _ = writeln!(out, "\n## License\n\n{license}.");
    }
    out
}

/// The statements of the first-call example, shared by the README and the crate docs (where
/// they are compiled as a doctest): build a client, then call the first operation that needs
/// no argument (no required parameter, no body).
pub(super) fn example_body(api: &Api, krate: &str) -> String {
    let mut body = format!("let client = {krate}::Client::builder()\n");
    let absolute = api
        .server
        .as_deref()
        .is_some_and(|server| server.starts_with("https://") || server.starts_with("http://"));
    if absolute {
        for variable in api.server_variables.iter().filter(|v| v.required) {
            let _ = writeln!(body, "    .{}({:?})", variable.name.rust, variable.default);
        }
    } else {
        body.push_str("    .base_url(\"https://api.example.com\")\n");
    }
    if let Some(scheme) = api.security_schemes.first() {
        let method = &scheme.name.rust;
        let _ = match &scheme.kind {
            SchemeKind::Basic {
                fixed_password: None,
            } => writeln!(
                body,
                "    .{method}(\"user\", std::env::var(\"API_PASSWORD\").unwrap_or_default())"
            ),
            SchemeKind::Bearer => writeln!(
                body,
                "    .{method}(std::env::var(\"API_TOKEN\").unwrap_or_default())"
            ),
            SchemeKind::Basic { .. } | SchemeKind::ApiKey { .. } => writeln!(
                body,
                "    .{method}(std::env::var(\"API_KEY\").unwrap_or_default())"
            ),
        };
    }
    body.push_str("    .build()?;\n");
    if let Some((module, operation)) = first_call(api) {
        let _ = writeln!(
            body,
            "let answer = client.{}().{}().send().await?;\nprintln!(\"{{answer:?}}\");",
            module.name.rust, operation.name.rust
        );
    }
    body
}

/// Where requests go and which builder methods change it, for the README.
fn server_text(api: &Api, server: &str) -> String {
    if server.is_empty() {
        return "The description names no server: set one with `.base_url(..)`. ".to_owned();
    }
    if !(server.starts_with("https://") || server.starts_with("http://")) {
        return format!(
            "The description's server `{server}` is relative: set the API's address with `.base_url(..)`. "
        );
    }
    let variables: Vec<String> = api
        .server_variables
        .iter()
        .map(|v| {
            let note = if v.required {
                "required".to_owned()
            } else {
                format!("default `{}`", v.default)
            };
            format!("`.{}(..)` ({note})", v.name.rust)
        })
        .collect();
    if variables.is_empty() {
        format!("Requests go to `{server}` unless `.base_url(..)` says otherwise. ")
    } else {
        format!(
            "Requests go to `{server}`, filled by {}; `.base_url(..)` replaces it. ",
            variables.join(", ")
        )
    }
}

/// What each credential method of the builder sends, for the README.
fn credentials_text(api: &Api) -> String {
    if api.security_schemes.is_empty() {
        return "The description declares no credentials.".to_owned();
    }
    let methods: Vec<String> = api
        .security_schemes
        .iter()
        .map(|scheme| {
            let method = &scheme.name.rust;
            match &scheme.kind {
                SchemeKind::Basic {
                    fixed_password: Some(password),
                } => format!(
                    "`.{method}(key)` sends HTTP basic authentication with the key as user name and `{password}` as password"
                ),
                SchemeKind::Basic {
                    fixed_password: None,
                } => format!("`.{method}(username, password)` sends HTTP basic authentication"),
                SchemeKind::Bearer => {
                    format!("`.{method}(token)` sends an `Authorization: Bearer` header")
                }
                SchemeKind::ApiKey { location, name } => {
                    let place = match location {
                        ParamLocation::Query => "query parameter",
                        ParamLocation::Cookie => "cookie",
                        _ => "header",
                    };
                    format!("`.{method}(key)` sends the key as the {place} `{name}`")
                }
            }
        })
        .collect();
    format!(
        "Credentials: {}; each operation sends those it accepts.",
        methods.join(", ")
    )
}

/// The first operation that needs no argument, with its group.
fn first_call(api: &Api) -> Option<(&Module, &Operation)> {
    api.modules.iter().find_map(|module| {
        module
            .operations
            .iter()
            .find(|op| op.params.iter().all(|p| !p.required) && op.body.is_none())
            .map(|op| (module, op))
    })
}

/// `text` with every non-empty line indented by four spaces.
fn indent(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("    {line}\n")
            }
        })
        .collect()
}

/// `n` and the noun, in the plural unless `n` is one.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A caret requirement that accepts the crate's compatible versions (`0.1.0` → `0.1`).
fn requirement(version: &str) -> String {
    let parts: Vec<&str> = version.split('.').collect();
    match parts.as_slice() {
        ["0", minor, ..] => format!("0.{minor}"),
        [major, ..] => (*major).to_owned(),
        [] => version.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::requirement;

    #[test]
    fn requirements_keep_the_compatible_range() {
        assert_eq!(requirement("0.1.0"), "0.1");
        assert_eq!(requirement("2.3.4"), "2");
    }
}
