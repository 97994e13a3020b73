//! Helpers shared by the tests that compile generated crates (`fixtures.rs`, `freshdesk.rs`):
//! write a crate into a scratch workspace and run cargo on it there.
//!
//! Every scratch workspace builds into one target directory under `CARGO_TARGET_TMPDIR`, so
//! the dependencies the generated crates share (the runtime, serde, reqwest, ...) are compiled
//! once for all of them, and later runs only rebuild what changed.

// Each test binary that includes this module uses a part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use project_support::freshness::{self, Artefact, Mode};

/// Writes `text` to `path` unless it already holds exactly that, so cargo's fingerprints stay
/// fresh and repeated runs are incremental.
pub fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    std::fs::create_dir_all(path.parent().expect("a file path has a parent"))
        .expect("create directory");
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Writes a generated crate's files (relative paths) into `crate_dir` as `cargo xtask
/// generate` does: only files whose contents changed (so cargo's fingerprints stay fresh),
/// and generated files this generation no longer makes are deleted.
pub fn write_crate(crate_dir: &Path, files: &BTreeMap<PathBuf, String>) {
    let artefact = Artefact::directory(crate_dir.to_path_buf(), files.clone(), "cargo test");
    freshness::ensure(&artefact, Mode::Write).unwrap_or_else(|error| panic!("{error}"));
}

/// Makes `scratch` a workspace of exactly the crate directories `members`: drops crates that
/// are no longer members, writes the manifest, and starts from the main workspace's lock file
/// so that `--offline` resolves to crates that are already downloaded.
pub fn prepare_workspace(scratch: &Path, members: &[String]) {
    for entry in std::fs::read_dir(scratch)
        .expect("scratch directory")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().join("Cargo.toml").is_file() && !members.contains(&name) {
            std::fs::remove_dir_all(entry.path()).expect("remove a stale crate");
        }
    }
    let manifest = format!(
        "# Scratch workspace of generated crates, written by the tests in tests/tests/.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members
            .iter()
            .map(|m| format!("\"{m}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    write_if_changed(&scratch.join("Cargo.toml"), &manifest);
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"),
            &lock,
        )
        .expect("copy Cargo.lock");
    }
}

/// The absolute path of the `openapi-client-runtime` crate, for generated manifests.
pub fn runtime_path() -> String {
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../runtime")
        .canonicalize()
        .expect("the runtime crate exists");
    runtime.to_str().expect("UTF-8 path").to_owned()
}

/// Runs `cargo check --offline --quiet --workspace --keep-going` (plus `extra`) in the
/// scratch workspace, with the shared target directory and no inherited flags.
pub fn cargo_check(scratch: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "check",
        "--offline",
        "--quiet",
        "--workspace",
        "--keep-going",
    ];
    args.extend_from_slice(extra);
    cargo(scratch, &args)
}

/// Runs cargo with `args` in the scratch workspace, with the shared target directory and no
/// inherited flags.
pub fn cargo(scratch: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(&cargo)
        .args(args)
        .current_dir(scratch)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-crates-target"),
        )
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|error| panic!("run cargo {}: {error}", args.join(" ")))
}
