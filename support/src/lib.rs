//! What the maintainers' tasks (`cargo xtask`) and the tests share.
//!
//! - The project's layout: where the workspace, the spec and the checked-in client are, and
//!   the settings the client is generated with (this module).
//! - [`reference`]: the inputs read from outside the repository (documentation, corpus).
//! - [`freshness`]: every generated artefact, and the one function that writes it or
//!   reports its drift (`cargo xtask generate`, `cargo xtask check`, `tests/tests/freshness.rs`).
//! - The documentation conformance checks: [`coverage`] (the documented operations the spec
//!   lacks, and the parsers of endpoint lines and curl samples) and [`samples`] (the
//!   documentation's JSON samples, validated against the spec and decoded with the client).

pub mod coverage;
pub mod freshness;
pub mod reference;
pub mod samples;

use std::path::{Path, PathBuf};

use codegen::Settings;

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The spec the checked-in client is generated from.
pub fn default_spec() -> PathBuf {
    workspace_root().join("spec/openapi.yaml")
}

/// The official API documentation as text, which `cargo xtask coverage` checks the spec against
/// (in the reference folder, see [`reference`]).
pub fn default_docs() -> PathBuf {
    reference::path(reference::FRESHSERVICE_DOCS)
}

/// The package name of the checked-in client.
pub const CLIENT_NAME: &str = "freshservice";

/// The version of the checked-in client crate (its `Cargo.toml`), which `cargo xtask changelog`
/// proposes the next one of.
pub const CLIENT_VERSION: &str = "0.1.0";

/// Where the checked-in client lives.
pub fn default_out() -> PathBuf {
    workspace_root().join("generated/freshservice")
}

/// Settings for generating crate `name` from `spec` into `out`; `command` is the command
/// that regenerates it, named in each file's header.
pub fn settings(spec: &Path, out: &Path, name: &str, command: String) -> Settings {
    let root = workspace_root();
    let runtime = absolute(&root.join("runtime"));
    let out = absolute(out);
    let source = absolute(spec);
    let source = source.strip_prefix(&root).unwrap_or(&source);
    Settings {
        crate_name: name.to_owned(),
        crate_version: CLIENT_VERSION.to_owned(),
        runtime_path: relative_path(&out, &runtime),
        command,
        source: source.display().to_string().replace('\\', "/"),
        package: codegen::PackageMeta {
            runtime_version: runtime_version(),
            ..codegen::PackageMeta::default()
        },
    }
}

/// The settings of the checked-in client (`generated/freshservice`), with its crates.io
/// metadata: the workspace's license and repository, the license texts, docs.rs.
pub fn client_settings(command: &str) -> Settings {
    let mut settings = settings(
        &default_spec(),
        &default_out(),
        CLIENT_NAME,
        command.to_owned(),
    );
    let workspace = manifest_table(WORKSPACE_MANIFEST, &["workspace", "package"]);
    let text = |key: &str| {
        workspace
            .as_ref()
            .and_then(|table| table.get(key))
            .and_then(toml::Value::as_str)
            .map(str::to_owned)
    };
    settings.package = codegen::PackageMeta {
        runtime_version: runtime_version(),
        license: text("license"),
        license_files: [
            ("LICENSE-APACHE", include_str!("../../LICENSE-APACHE")),
            ("LICENSE-MIT", include_str!("../../LICENSE-MIT")),
        ]
        .into_iter()
        .map(|(name, text)| (name.to_owned(), text.to_owned()))
        .collect(),
        repository: text("repository"),
        documentation: Some(format!("https://docs.rs/{CLIENT_NAME}")),
        keywords: ["freshservice", "freshworks", "itsm", "helpdesk", "api"]
            .map(str::to_owned)
            .to_vec(),
        categories: ["api-bindings", "web-programming::http-client"]
            .map(str::to_owned)
            .to_vec(),
    };
    settings
}

/// The workspace manifest, read at build time.
const WORKSPACE_MANIFEST: &str = include_str!("../../Cargo.toml");

/// The runtime crate's manifest, read at build time.
const RUNTIME_MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The runtime crate's version, which generated crates require beside its path.
pub fn runtime_version() -> Option<String> {
    manifest_table(RUNTIME_MANIFEST, &["package"])?
        .get("version")?
        .as_str()
        .map(str::to_owned)
}

/// The table at `keys` in the manifest `text`.
fn manifest_table(text: &str, keys: &[&str]) -> Option<toml::Table> {
    let mut table: toml::Table = toml::from_str(text).ok()?;
    for key in keys {
        table = match table.remove(*key)? {
            toml::Value::Table(inner) => inner,
            _ => return None,
        };
    }
    Some(table)
}

/// `path` made absolute against the current directory, with `.` and `..` resolved lexically.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The path from directory `from` to `to` (both absolute), with `/` separators.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/w/generated/fs"), Path::new("/w/runtime")),
            "../../runtime"
        );
        assert_eq!(
            relative_path(Path::new("/tmp/x"), Path::new("/w/runtime")),
            "../../w/runtime"
        );
        assert_eq!(absolute(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn the_client_is_published_with_its_metadata() {
        let settings = client_settings("cargo xtask generate");
        let package = &settings.package;
        assert_eq!(package.runtime_version, runtime_version());
        assert!(runtime_version().is_some_and(|v| v.split('.').count() == 3));
        assert_eq!(package.license.as_deref(), Some("MIT OR Apache-2.0"));
        assert!(package.repository.is_some());
        assert!(package.keywords.len() <= 5);
        assert_eq!(
            package.license_files.keys().collect::<Vec<_>>(),
            ["LICENSE-APACHE", "LICENSE-MIT"]
        );
    }
}
