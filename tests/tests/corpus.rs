//! Real-world descriptions nobody here wrote (the `openapi-corpus` folder of the reference
//! inputs: nexus, buildomat, GitHub, Stripe, the OAI petstores, Freshworks' own Freshservice
//! description): each generates, with its warnings snapshotted so that a regression in
//! breadth (a new warning, an operation no longer generated) fails, and every generated crate
//! compiles.
//!
//! The crates are written under the target directory and checked there with
//! `cargo check --offline`, like the fixture crates.

use std::path::{Path, PathBuf};

use codegen::Diagnostics;

mod support;

/// The description files of the corpus folder, sorted, or `None` (announced) when the folder
/// is absent.
fn corpus(what: &str) -> Option<Vec<PathBuf>> {
    let dir = project_support::reference::input(project_support::reference::CORPUS, what)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no descriptions in {}", dir.display());
    Some(files)
}

/// `github-api` for `github-api.json`.
fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

/// The diagnostics as text that does not depend on where the corpus folder is: each source
/// location is the file name and line.
fn portable(diagnostics: &Diagnostics) -> String {
    let mut text = String::new();
    for diagnostic in &diagnostics.0 {
        let level = if diagnostic.is_error() {
            "error"
        } else {
            "warning"
        };
        let place = match &diagnostic.location {
            Some(location) => format!(
                "{}:{}",
                location
                    .file
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                location.line
            ),
            None => String::from("?"),
        };
        text.push_str(&format!(
            "{level}: {}\n  --> {place} ({})\n",
            diagnostic.message, diagnostic.pointer
        ));
    }
    let (errors, warnings) = diagnostics.counts();
    text.push_str(&format!("{errors} errors, {warnings} warnings\n"));
    text
}

/// Every description generates (warnings allowed, errors not), its warnings match the
/// snapshot, and every generated crate passes `cargo check`.
#[test]
fn every_corpus_description_generates_a_crate_that_compiles() {
    let Some(files) = corpus("every_corpus_description_generates_a_crate_that_compiles") else {
        return;
    };
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-crates");
    let runtime = support::runtime_path();
    let mut members = Vec::new();
    let mut failed = Vec::new();
    for spec in &files {
        let name = stem(spec);
        let crate_name = format!("corpus-{}", name.replace(['_', '.'], "-"));
        let out = scratch.join(&name);
        let mut settings =
            project_support::settings(spec, &out, &crate_name, "cargo test".to_owned());
        settings.runtime_path = runtime.clone();
        settings.source = spec
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let built = codegen::load::load(spec).and_then(|document| {
            let api = codegen::build_ir(&document)?;
            let files = codegen::emit::emit(&api, &settings)?;
            Ok((api, files))
        });
        let (api, files) = match built {
            Ok(built) => built,
            Err(diagnostics) => {
                failed.push(format!(
                    "{name}: does not generate:\n{}",
                    portable(&diagnostics)
                ));
                continue;
            }
        };
        let operations: usize = api.modules.iter().map(|m| m.operations.len()).sum();
        println!(
            "{name}: {operations} operations generated, {} warnings",
            api.warnings.0.len()
        );
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({ description => format!("warnings generating {}", settings.source), omit_expression => true }, {
                insta::assert_snapshot!(format!("{name}__warnings"), portable(&api.warnings));
            });
        });
        if result.is_err() {
            failed.push(format!(
                "{name}: its warnings changed (see the snapshot diff above)"
            ));
        }
        support::write_crate(&out, &files);
        members.push(name);
    }
    support::prepare_workspace(&scratch, &members);
    let check = support::cargo_check(&scratch, &["--message-format=short"]);
    if !check.status.success() {
        let stderr = String::from_utf8_lossy(&check.stderr);
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
        failed.push(format!(
            "the generated crates do not compile ({} lines of errors; the crates are in {}):\n{}",
            errors.len(),
            scratch.display(),
            errors
                .iter()
                .take(40)
                .copied()
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
