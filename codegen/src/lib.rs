//! Generates Rust API clients from OpenAPI 3.0 descriptions.
//!
//! The pipeline has four stages, each in its own module:
//!
//! 1. [`load`]: YAML files → one JSON document with source positions → `openapiv3` types;
//! 2. [`lower`]: the document → the [`ir`] (operations, types, decisions);
//! 3. [`naming`]: every Rust identifier, collision-free;
//! 4. [`emit`]: IR → Rust tokens → formatted files ([`format`]).
//!
//! Every problem in the input becomes a [`diag::Diagnostic`] with a JSON pointer and, where
//! known, a file and line; a stage that finds any fails once with all of them.

pub mod diag;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
mod parallel;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use diag::{Diagnostic, Diagnostics};

/// What to generate and how to label it.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The package name of the generated crate (`freshservice`).
    pub crate_name: String,
    /// Its version.
    pub crate_version: String,
    /// The path from the generated crate's directory to the `openapi-client-runtime` crate.
    pub runtime_path: String,
    /// The command that regenerates the crate, named in every file's header.
    pub command: String,
    /// The spec the crate comes from, named in every file's header.
    pub source: String,
    /// How the crate presents itself as a package (crates.io metadata, license texts).
    pub package: PackageMeta,
}

/// Package metadata of a generated crate; what is unset is left out of its `Cargo.toml`.
#[derive(Clone, Debug, Default)]
pub struct PackageMeta {
    /// The version requirement on `openapi-client-runtime`, written beside its path so the crate
    /// can be published (`"0.1.0"`); `None` writes the path alone.
    pub runtime_version: Option<String>,
    /// The SPDX license expression (`MIT OR Apache-2.0`).
    pub license: Option<String>,
    /// License texts copied verbatim into the crate, by file name (`LICENSE-MIT`).
    pub license_files: BTreeMap<String, String>,
    /// The source repository's URL.
    pub repository: Option<String>,
    /// Where the crate's documentation is published (`https://docs.rs/<name>`).
    pub documentation: Option<String>,
    /// crates.io keywords (at most five).
    pub keywords: Vec<String>,
    /// crates.io category slugs.
    pub categories: Vec<String>,
}

/// The files of a generated crate, keyed by path relative to the crate directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// File contents by relative path, in path order.
    pub files: BTreeMap<PathBuf, String>,
    /// The problems generation worked around (only warnings), sorted by position. A caller
    /// in strict mode treats any of them as a failure.
    pub warnings: Diagnostics,
}

impl Generated {
    /// The files, or every warning as an error when there is any (`--strict`): for specs
    /// that must stay clean, such as one a project maintains itself.
    pub fn strict(self) -> Result<Generated, Diagnostics> {
        if self.warnings.is_empty() {
            Ok(self)
        } else {
            Err(self.warnings.strict())
        }
    }
}

/// Loads, lowers and names a spec: the IR exactly as the emitter will see it.
pub fn build_ir(document: &load::Document) -> Result<ir::Api, Diagnostics> {
    // Warnings from loading travel with the result, or with the errors of lowering.
    let mut api = lower::lower(document).map_err(|mut errors| {
        errors.extend(document.warnings.clone());
        errors.sorted()
    })?;
    naming::assign(&mut api);
    if !document.warnings.is_empty() {
        api.warnings.extend(document.warnings.clone());
        api.warnings = std::mem::take(&mut api.warnings).sorted();
    }
    Ok(api)
}

/// Runs the whole pipeline on the spec whose root file is `spec`.
pub fn generate(spec: &Path, settings: &Settings) -> Result<Generated, Diagnostics> {
    let document = load::load(spec)?;
    generate_from(&document, settings)
}

/// Runs lower, naming and emit on a loaded document.
pub fn generate_from(
    document: &load::Document,
    settings: &Settings,
) -> Result<Generated, Diagnostics> {
    let api = build_ir(document)?;
    let files = emit::emit(&api, settings)?;
    Ok(Generated {
        files,
        warnings: api.warnings,
    })
}
