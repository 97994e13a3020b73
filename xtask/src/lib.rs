//! Maintainer and CI tasks, as a library so that tests can run them too.

pub mod changelog;
pub mod coverage;
pub mod samples;
pub mod sync;

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

/// The official API documentation as text, which `cargo xtask coverage` checks the spec against.
pub fn default_docs() -> PathBuf {
    absolute(&workspace_root().join("../shared/reference/freshservice-api-v2-docs.txt"))
}

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
    }
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
}
