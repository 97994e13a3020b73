//! Generates Rust API clients from OpenAPI 3.0 descriptions.
//!
//! The pipeline has four stages, each in its own module:
//!
//! 1. [`load`]: YAML files → one JSON document with source positions → `openapiv3` types;
//! 2. [`lower`]: the document → the [`ir`] (operations, types, decisions) as
//!    [`lower::Lowered`], with no Rust name assigned yet;
//! 3. [`naming`]: every Rust identifier, collision-free, making [`naming::Named`] IR, the
//!    only kind the emitter takes (so a skipped stage does not compile);
//! 4. [`emit`]: named IR → Rust tokens → formatted files ([`format`](mod@format)).
//!
//! [`run`] is the one entry that runs them in order, telling a caller as each [`Stage`]
//! ends (`cargo xtask bench` times them so); [`generate`], [`generate_from`] and
//! [`build_ir`] are its shorthands.
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

/// A stage of the pipeline, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// [`load::load`]: the spec's files → one [`load::Document`].
    Load,
    /// [`lower::lower`]: the document → [`lower::Lowered`] IR.
    Lower,
    /// [`naming::assign`]: lowered IR → [`naming::Named`] IR.
    Naming,
    /// [`emit::emit`]: named IR → the formatted files of the crate.
    Emit,
}

/// What one run of the whole pipeline made.
#[derive(Clone, Debug)]
pub struct Run {
    /// The IR the files were emitted from.
    pub ir: naming::Named,
    /// The files, with the warnings of every stage.
    pub generated: Generated,
}

/// Runs the pipeline on the spec whose root file is `spec`: load, lower, naming, emit. The
/// one entry that puts the stages in order ([`generate`], [`generate_from`] and
/// [`build_ir`] are its shorthands). `on_stage` is told as each stage ends, so a caller that
/// reads a clock before the call and at each stage has the time of every stage; a stage
/// that fails ends the run with its diagnostics instead.
pub fn run(
    spec: &Path,
    settings: &Settings,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<Run, Diagnostics> {
    let document = load::load(spec)?;
    on_stage(Stage::Load);
    run_from(&document, settings, on_stage)
}

/// The stages after loading, for [`run`] and [`generate_from`].
fn run_from(
    document: &load::Document,
    settings: &Settings,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<Run, Diagnostics> {
    let ir = named_ir(document, on_stage)?;
    let files = emit::emit(&ir, settings)?;
    on_stage(Stage::Emit);
    let warnings = ir.warnings.clone();
    Ok(Run {
        ir,
        generated: Generated { files, warnings },
    })
}

/// Lowering and naming, for [`run_from`] and [`build_ir`].
fn named_ir(
    document: &load::Document,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<naming::Named, Diagnostics> {
    let lowered = lower::lower(document)?;
    on_stage(Stage::Lower);
    let named = naming::assign(lowered);
    on_stage(Stage::Naming);
    Ok(named)
}

/// Lowers and names a loaded spec: the IR exactly as the emitter will see it, with the
/// warnings of loading and lowering.
pub fn build_ir(document: &load::Document) -> Result<naming::Named, Diagnostics> {
    named_ir(document, &mut |_| {})
}

/// Runs the whole pipeline on the spec whose root file is `spec`.
pub fn generate(spec: &Path, settings: &Settings) -> Result<Generated, Diagnostics> {
    run(spec, settings, &mut |_| {}).map(|run| run.generated)
}

/// Runs lower, naming and emit on a loaded document.
pub fn generate_from(
    document: &load::Document,
    settings: &Settings,
) -> Result<Generated, Diagnostics> {
    run_from(document, settings, &mut |_| {}).map(|run| run.generated)
}
