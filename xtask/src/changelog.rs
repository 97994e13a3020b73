//! `cargo xtask changelog`: what changed in the generated client's public API between the
//! spec at a git revision and the spec in the working tree, and the semver bump it needs.
//!
//! Each spec goes through the generator's front end (load, lower, naming) to its IR;
//! [`surface::extract`] keeps what users of the client see, [`diff::diff`] compares two
//! surfaces and judges each change, and [`render::render`] prints the report.

pub mod diff;
pub mod git;
pub mod render;
pub mod surface;

use std::path::Path;

use diff::Diff;
use surface::Surface;

/// The public API surface of the client generated from the spec whose root file is `spec`.
pub fn load_surface(spec: &Path) -> Result<Surface, String> {
    let fail = |diagnostics: codegen::Diagnostics| {
        format!("the spec {} does not load:\n{diagnostics}", spec.display())
    };
    let document = codegen::load::load(spec).map_err(fail)?;
    let api = codegen::build_ir(&document).map_err(fail)?;
    Ok(surface::extract(&api))
}

/// The changes from the client generated from `before` to the one from `after` (spec root
/// files).
pub fn compare(before: &Path, after: &Path) -> Result<Diff, String> {
    Ok(diff::diff(&load_surface(before)?, &load_surface(after)?))
}

/// The changes from the spec as it was at git revision `rev` to the spec in the working tree
/// (`spec` is its root file there; its directory is read at `rev`).
pub fn since(rev: &str, spec: &Path) -> Result<Diff, String> {
    let checkout = git::checkout(rev, spec)?;
    // Diagnostics name files in the temporary directory; name them by revision instead.
    let temporary = format!("{}/", checkout.dir().display());
    let before = load_surface(checkout.root())
        .map_err(|error| error.replace(&temporary, &format!("{rev}:")))?;
    let after = load_surface(spec)?;
    Ok(diff::diff(&before, &after))
}
