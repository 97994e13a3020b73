//! Inputs that live outside the repository: the official documentation as text, third-party
//! OpenAPI descriptions and the shared description corpus.
//!
//! They are found through one setting, the environment variable [`DIR_VARIABLE`]
//! (`API_REFERENCE_DIR`), which defaults to `../shared/reference` beside the workspace. A test
//! whose input is absent announces what it skipped and how to run it, and passes; with
//! [`REQUIRE_VARIABLE`] (`API_REFERENCE_REQUIRED=1`, which CI sets) an absent input fails the
//! test instead, so CI cannot pass by skipping.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{absolute, workspace_root};

/// The environment variable naming the reference folder.
pub const DIR_VARIABLE: &str = "API_REFERENCE_DIR";

/// The environment variable that turns a skipped reference test into a failure.
pub const REQUIRE_VARIABLE: &str = "API_REFERENCE_REQUIRED";

/// The Freshservice API documentation as text (`cargo xtask coverage`, the sample test).
pub const FRESHSERVICE_DOCS: &str = "freshservice-api-v2-docs.txt";

/// A third party's Freshdesk description (OpenAPI 3.1 header, 3.0 forms).
pub const FRESHDESK_SPEC: &str = "freshdesk-openapi.yml";

/// Freshworks' own Freshservice description (OpenAPI 3.0, converted from Swagger 2.0), read
/// by `cargo xtask coverage`.
pub const FRESHWORKS_SPEC: &str = "openapi-corpus/freshworks-freshservice.yml";

/// The folder of real-world OpenAPI descriptions.
pub const CORPUS: &str = "openapi-corpus";

/// The reference folder: `$API_REFERENCE_DIR`, or `../shared/reference` beside the workspace.
pub fn dir() -> PathBuf {
    match std::env::var_os(DIR_VARIABLE) {
        Some(dir) if !dir.is_empty() => absolute(Path::new(&dir)),
        _ => absolute(&workspace_root().join("../shared/reference")),
    }
}

/// `name` inside the reference folder (present or not).
pub fn path(name: &str) -> PathBuf {
    dir().join(name)
}

/// Whether absent inputs must fail rather than skip (`API_REFERENCE_REQUIRED` set to anything
/// but empty, `0` or `false`).
pub fn required() -> bool {
    std::env::var(REQUIRE_VARIABLE).is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false"))
}

/// The reference input `name` for the check called `what`, when it exists.
///
/// When it is absent, prints one line saying what was skipped and how to run it, and returns
/// `None`; when [`required`], panics with the same text instead. The line goes straight to
/// standard error, past the test harness's output capture, so a skip is always seen.
pub fn input(name: &str, what: &str) -> Option<PathBuf> {
    let path = path(name);
    if path.exists() {
        return Some(path);
    }
    let message = absent_message(&path, what);
    assert!(
        !required(),
        "{REQUIRE_VARIABLE} is set, so this may not skip: {message}"
    );
    // Not `eprintln!`: the test harness captures the print macros, not the stream itself.
    let _ = writeln!(std::io::stderr(), "skipped: {message}");
    None
}

/// Why a check cannot run: its input is absent.
fn absent_message(path: &Path, what: &str) -> String {
    format!(
        "{what}: {} is absent; set {DIR_VARIABLE} to the folder holding it (default ../shared/reference beside the workspace)",
        path.display()
    )
}

/// The error `cargo xtask` commands give when an input they need is absent.
pub fn missing(path: &Path, what: &str) -> String {
    format!(
        "{what} needs {}, which is absent: set {DIR_VARIABLE} to the folder holding {} (default ../shared/reference beside the workspace) or pass its path explicitly",
        path.display(),
        path.file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_input_names_the_setting() {
        let line = absent_message(Path::new("/nowhere/docs.txt"), "the sample test");
        assert!(line.starts_with("the sample test: /nowhere/docs.txt is absent"));
        assert!(line.contains(DIR_VARIABLE));
        let error = missing(Path::new("/nowhere/docs.txt"), "coverage");
        assert!(error.contains("/nowhere/docs.txt"), "{error}");
        assert!(error.contains(DIR_VARIABLE), "{error}");
    }

    #[test]
    fn inputs_are_found_under_the_reference_folder() {
        assert_eq!(path(FRESHDESK_SPEC), dir().join(FRESHDESK_SPEC));
        assert!(dir().is_absolute());
    }
}
