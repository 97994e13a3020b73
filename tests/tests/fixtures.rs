//! Snapshot tests of the generator over the small specs in `tests/fixtures/`.
//!
//! Every valid fixture (`tests/fixtures/*.yaml`, picked up in sorted order) is loaded, lowered
//! and emitted; its IR and each emitted `.rs` file are snapshots (`<fixture>__ir`,
//! `<fixture>__<file>`, with `__` for a directory: `types__serde_impls.rs`). Every invalid
//! fixture (`tests/fixtures/invalid/*.yaml`) must fail with diagnostics, never a panic; their
//! text is a snapshot (`invalid__<fixture>`). Focused assertions make the important
//! properties obvious when they break, and `fixtures_compile_and_behave` checks that the
//! generated crates build (`cargo check` in a scratch workspace under the target directory)
//! and that their types read and write JSON as the specs say (`tests/behaviour/main.rs`, run
//! there); any compiler diagnostic in a generated crate fails it. Fixtures in
//! `tests/fixtures/lenient/` generate with warnings, which are snapshots too
//! (`lenient__<fixture>`).
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test -p tests --test fixtures` (or
//! `cargo insta review`), then read the diff.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use codegen::ir::{
    Api, HttpMethod, MapSource, Operation, ParamLocation, Presence, Success, TypeDef, TypeKind,
    TypeRef,
};
use codegen::naming::Named;
use codegen::{Diagnostics, Settings};

mod support;

// ---------------------------------------------------------------------------------------------
// Fixture discovery and generation
// ---------------------------------------------------------------------------------------------

/// `tests/fixtures`.
fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The `*.yaml` and `*.json` files directly in `dir`, sorted by name.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| {
            path.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "json")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

/// A fixture file's stem (`keywords` for `keywords.yaml`).
fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .expect("UTF-8 file name")
        .to_owned()
}

/// The settings every snapshot is generated with.
fn settings(source: &str, crate_name: &str, runtime_path: &str) -> Settings {
    Settings {
        crate_name: crate_name.to_owned(),
        crate_version: "0.1.0".to_owned(),
        runtime_path: runtime_path.to_owned(),
        command: "cargo test".to_owned(),
        source: source.to_owned(),
        package: codegen::PackageMeta::default(),
    }
}

/// One valid fixture run through the whole pipeline.
struct Output {
    api: Named,
    files: BTreeMap<PathBuf, String>,
}

/// Loads, lowers and emits a valid fixture; panics with the diagnostics when any stage fails
/// or warns.
fn generate(path: &Path, crate_name: &str, runtime_path: &str) -> Output {
    let output = generate_lenient(path, crate_name, runtime_path);
    assert!(
        output.api.warnings.is_empty(),
        "{}: a valid fixture has warnings:\n{}",
        path.display(),
        output.api.warnings
    );
    output
}

/// Loads, lowers and emits a fixture that may have warnings; panics with the diagnostics
/// when any stage fails.
fn generate_lenient(path: &Path, crate_name: &str, runtime_path: &str) -> Output {
    let text = std::fs::read_to_string(path).expect("readable fixture");
    let relative = path.strip_prefix(fixtures_dir()).unwrap_or(path);
    let label = format!("fixtures/{}", relative.display());
    let fail = |stage: &str, diagnostics: Diagnostics| -> ! {
        panic!("{label}: {stage} failed:\n{diagnostics}")
    };
    let document =
        codegen::load::load_str(&text, Path::new(&label)).unwrap_or_else(|d| fail("load_str", d));
    let api = codegen::build_ir(&document).unwrap_or_else(|d| fail("build_ir", d));
    let files = codegen::emit::emit(&api, &settings(&label, crate_name, runtime_path))
        .unwrap_or_else(|d| fail("emit", d));
    Output { api, files }
}

/// Runs `check` on every valid fixture, catching panics so one failure does not hide the
/// others; fails at the end listing the fixtures that failed.
fn for_each_valid_fixture(check: impl Fn(&Path, &str)) {
    let mut failed = Vec::new();
    for path in yaml_files(&fixtures_dir()) {
        let name = stem(&path);
        if catch_unwind(AssertUnwindSafe(|| check(&path, &name))).is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "fixtures failed: {failed:?}");
}

/// Generates one named valid fixture for the focused tests.
fn fixture(name: &str) -> Output {
    generate(
        &fixtures_dir().join(format!("{name}.yaml")),
        "fixture",
        "../runtime",
    )
}

// ---------------------------------------------------------------------------------------------
// IR lookups for focused assertions
// ---------------------------------------------------------------------------------------------

/// The component type with this wire name.
fn component<'a>(api: &'a Api, wire: &str) -> &'a TypeDef {
    api.types
        .iter()
        .map(|(_, def)| def)
        .find(|def| def.name.wire == wire)
        .unwrap_or_else(|| panic!("no component schema `{wire}`"))
}

/// The type `ty` names.
fn named<'a>(api: &'a Api, ty: &TypeRef) -> &'a TypeDef {
    match ty {
        TypeRef::Named(id) => api.types.get(*id),
        other => panic!("expected a named type, got {other:?}"),
    }
}

/// The struct of a type definition.
fn strukt(def: &TypeDef) -> &codegen::ir::Struct {
    match &def.kind {
        TypeKind::Struct(strukt) => strukt,
        other => panic!("`{}` is not a struct: {other:?}", def.name.wire),
    }
}

/// The enum of a type definition.
fn enumeration(def: &TypeDef) -> &codegen::ir::Enum {
    match &def.kind {
        TypeKind::Enum(enumeration) => enumeration,
        other => panic!("`{}` is not an enum: {other:?}", def.name.wire),
    }
}

/// A struct's field by wire name.
fn field<'a>(def: &'a TypeDef, wire: &str) -> &'a codegen::ir::Field {
    strukt(def)
        .fields
        .iter()
        .find(|f| f.name.wire == wire)
        .unwrap_or_else(|| panic!("`{}` has no field `{wire}`", def.name.wire))
}

/// The operation with this wire name (operationId).
fn operation<'a>(api: &'a Api, wire: &str) -> &'a Operation {
    api.modules
        .iter()
        .flat_map(|m| &m.operations)
        .find(|op| op.name.wire == wire)
        .unwrap_or_else(|| panic!("no operation `{wire}`"))
}

/// An operation's parameter by wire name.
fn param<'a>(op: &'a Operation, wire: &str) -> &'a codegen::ir::Param {
    op.params
        .iter()
        .find(|p| p.name.wire == wire)
        .unwrap_or_else(|| panic!("`{}` has no parameter `{wire}`", op.name.wire))
}

fn file<'a>(output: &'a Output, path: &str) -> &'a str {
    output
        .files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("{path} was not emitted"))
}

/// Every file of types (`src/types.rs` and the files under `src/types/`: the types and their
/// serde impls) joined, in path order.
fn types_text(output: &Output) -> String {
    output
        .files
        .iter()
        .filter(|(path, _)| *path == Path::new("src/types.rs") || path.starts_with("src/types/"))
        .map(|(_, text)| text.as_str())
        .collect()
}

/// Asserts `haystack` contains `needle`, ignoring whitespace (so that the formatter's line
/// breaks do not matter), showing the text otherwise.
#[track_caller]
fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        squeeze(haystack).contains(&squeeze(needle)),
        "expected to find\n  {needle}\nin\n{haystack}"
    );
}

/// Asserts that `haystack` does not contain `needle`, ignoring whitespace.
fn assert_lacks(haystack: &str, needle: &str) {
    assert!(
        !squeeze(haystack).contains(&squeeze(needle)),
        "expected not to find\n  {needle}\nin\n{haystack}"
    );
}

/// `text` without any whitespace.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}

// ---------------------------------------------------------------------------------------------
// Invariants every valid fixture must satisfy
// ---------------------------------------------------------------------------------------------

/// Whether `name` is a Rust identifier (optionally raw) that is not a bare keyword.
fn is_identifier(name: &str) -> bool {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(bare) => (true, bare),
        None => (false, name),
    };
    let mut chars = bare.chars();
    let starts_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let shape_ok = starts_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    let keyword = codegen::naming::KEYWORDS.contains(&bare);
    shape_ok && bare != "_" && (raw == keyword)
}

/// Asserts the names are valid identifiers and pairwise distinct.
#[track_caller]
fn assert_distinct_identifiers<'a>(scope: &str, names: impl IntoIterator<Item = &'a str>) {
    let mut seen = BTreeSet::new();
    for name in names {
        assert!(
            is_identifier(name),
            "{scope}: `{name}` is not an identifier"
        );
        // `r#type` and `type_` are different identifiers, but `r#foo` and `foo` are the same.
        assert!(
            seen.insert(name.trim_start_matches("r#")),
            "{scope}: `{name}` is used twice"
        );
    }
}

/// Every scope of the IR has distinct, valid identifiers, and no builder member takes a name
/// the generated builder itself uses.
fn assert_naming_invariants(api: &Api) {
    assert_distinct_identifiers(
        "type names",
        api.types.iter().map(|(_, d)| d.name.rust.as_str()),
    );
    for (_, def) in api.types.iter() {
        let scope = format!("type {}", def.name.rust);
        match &def.kind {
            TypeKind::Struct(s) => assert_distinct_identifiers(
                &scope,
                s.fields
                    .iter()
                    .map(|f| f.name.rust.as_str())
                    .chain(s.additional.iter().map(|a| a.name.rust.as_str())),
            ),
            TypeKind::Enum(e) => assert_distinct_identifiers(
                &scope,
                e.variants().chain([&e.unknown]).map(|v| v.rust.as_str()),
            ),
            TypeKind::Union(u) => {
                assert_distinct_identifiers(&scope, u.variants.iter().map(|v| v.name.rust.as_str()))
            }
            TypeKind::StatusEnum(s) => assert_distinct_identifiers(
                &scope,
                s.variants
                    .iter()
                    .map(|v| v.name.rust.as_str())
                    .chain([s.other.rust.as_str()]),
            ),
            TypeKind::Alias(_) => {}
        }
    }
    assert_distinct_identifiers("modules", api.modules.iter().map(|m| m.name.rust.as_str()));
    for module in &api.modules {
        let scope = format!("module {}", module.name.rust);
        assert_distinct_identifiers(
            &scope,
            module
                .operations
                .iter()
                .map(|op| op.builder.rust.as_str())
                .chain([module.handle.rust.as_str()]),
        );
        assert_distinct_identifiers(
            &scope,
            module.operations.iter().map(|op| op.name.rust.as_str()),
        );
        for op in &module.operations {
            let scope = format!("builder {}", op.builder.rust);
            let setters: Vec<&str> = op
                .body
                .iter()
                .flat_map(|b| &b.contents)
                .map(|c| c.setter.rust.as_str())
                .filter(|s| *s != "body")
                .collect();
            let members: Vec<&str> = op.params.iter().map(|p| p.name.rust.as_str()).collect();
            for reserved in ["client", "body", "send", "send_with_response"] {
                assert!(
                    !members.contains(&reserved) && !setters.contains(&reserved),
                    "{scope}: a member is named `{reserved}`, which the builder already uses"
                );
            }
            assert_distinct_identifiers(&scope, members.into_iter().chain(setters));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

/// Snapshot settings: no source expression in the header, the fixture as description.
fn snapshot_settings(description: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    settings.set_description(description);
    settings
}

/// The part of a snapshot's name that says which emitted file it holds: the path under
/// `src/` with `__` between directories (`types.rs`, `types__serde_impls.rs`).
fn snapshot_file_name(file: &Path) -> String {
    let relative = file.strip_prefix("src").unwrap_or(file);
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("__")
}

#[test]
fn valid_fixtures() {
    for_each_valid_fixture(|path, name| {
        let output = generate(path, "fixture", "../runtime");
        for required in ["src/lib.rs", "src/types.rs", "Cargo.toml"] {
            assert!(
                output.files.contains_key(Path::new(required)),
                "{name}: {required} was not emitted"
            );
        }
        assert_naming_invariants(&output.api);

        snapshot_settings(&format!("fixtures/{name}.yaml")).bind(|| {
            insta::assert_yaml_snapshot!(format!("{name}__ir"), &output.api);
            for (file, text) in &output.files {
                if file.extension().is_some_and(|e| e == "rs") {
                    let file_name = snapshot_file_name(file);
                    insta::assert_snapshot!(format!("{name}__{file_name}"), text);
                }
            }
        });
    });
}

/// The package files of a crate generated with crates.io metadata, snapshotted once (for the
/// `parameters` fixture): the manifest a publish needs and the README users see.
const PACKAGE_SNAPSHOTS: [(&str, &str); 2] = [
    ("Cargo.toml", "package__Cargo.toml"),
    ("README.md", "package__README.md"),
];

#[test]
fn a_crate_generated_for_publishing_carries_its_package_files() {
    let path = fixtures_dir().join("parameters.yaml");
    let text = std::fs::read_to_string(&path).expect("readable fixture");
    let label = "fixtures/parameters.yaml";
    let document = codegen::load::load_str(&text, Path::new(label)).expect("fixture loads");
    let api = codegen::build_ir(&document).expect("fixture lowers");
    let mut settings = settings(label, "fixture", "../runtime");
    settings.package = codegen::PackageMeta {
        runtime_version: Some("0.1.0".to_owned()),
        license: Some("MIT".to_owned()),
        license_files: [("LICENSE-MIT".to_owned(), "license text\n".to_owned())].into(),
        repository: Some("https://example.com/fixture".to_owned()),
        documentation: Some("https://docs.rs/fixture".to_owned()),
        keywords: vec!["fixture".to_owned()],
        categories: vec!["api-bindings".to_owned()],
    };
    let files = codegen::emit::emit(&api, &settings).expect("fixture emits");
    assert_eq!(
        files.get(Path::new("LICENSE-MIT")).map(String::as_str),
        Some("license text\n"),
        "license texts are copied verbatim"
    );
    snapshot_settings(label).bind(|| {
        for (file, name) in PACKAGE_SNAPSHOTS {
            insta::assert_snapshot!(name, files[Path::new(file)]);
        }
    });
}

/// `$ref`s into other files: schemas become components (so a cycle across files stays a
/// reference), a parameter is copied in place, and diagnostics keep the other file's lines.
#[test]
fn a_description_split_over_files_loads_as_one() {
    let root = fixtures_dir().join("multi_file/openapi.yaml");
    let document = codegen::load::load(&root).unwrap_or_else(|d| panic!("{d}"));
    let api = codegen::build_ir(&document).unwrap_or_else(|d| panic!("{d}"));
    assert!(api.warnings.is_empty(), "{}", api.warnings);
    let pet = component(&api, "Pet");
    let TypeKind::Struct(strukt) = &pet.kind else {
        panic!("Pet is a struct: {:?}", pet.kind);
    };
    let names: Vec<&str> = strukt.fields.iter().map(|f| f.name.wire.as_str()).collect();
    assert_eq!(names, ["name", "parent", "owner"]);
    assert!(strukt.fields[1].boxed, "the self-reference is boxed");
    component(&api, "owner"); // named after its file, which has no pointer
    assert!(
        api.modules
            .iter()
            .flat_map(|module| &module.operations)
            .flat_map(|op| &op.params)
            .any(|p| p.name.wire == "limit"),
        "the parameter from parameters.yaml"
    );
    let line = document
        .sources
        .locate("#/components/schemas/Pet/properties/parent")
        .expect("a copied node keeps its line");
    assert!(line.file.ends_with("multi_file/schemas/pet.yaml"), "{line}");
    assert_eq!(line.line, 7);
}

#[test]
fn generation_is_deterministic() {
    for_each_valid_fixture(|path, name| {
        let first = generate(path, "fixture", "../runtime");
        let ir = serde_json::to_string(&first.api).expect("IR serializes");
        for _ in 0..2 {
            let again = generate(path, "fixture", "../runtime");
            assert_eq!(
                serde_json::to_string(&again.api).expect("IR serializes"),
                ir,
                "{name}: the IR differs between runs"
            );
            assert!(
                again.files == first.files,
                "{name}: the emitted files differ between runs"
            );
        }
    });
}

/// Every snapshot in `snapshots/` belongs to a fixture that still exists and a file it still
/// emits: insta never deletes a snapshot nothing asserts any more.
#[test]
fn no_stale_snapshots() {
    let mut expected = BTreeSet::new();
    for path in yaml_files(&fixtures_dir()) {
        let name = stem(&path);
        let Ok(output) = catch_unwind(|| generate(&path, "fixture", "../runtime")) else {
            return; // `valid_fixtures` reports it.
        };
        expected.insert(format!("fixtures__{name}__ir.snap"));
        for file in output.files.keys() {
            if file.extension().is_some_and(|e| e == "rs") {
                let file_name = snapshot_file_name(file);
                expected.insert(format!("fixtures__{name}__{file_name}.snap"));
            }
        }
    }
    for path in yaml_files(&fixtures_dir().join("invalid")) {
        expected.insert(format!("fixtures__invalid__{}.snap", stem(&path)));
    }
    for (_, name) in PACKAGE_SNAPSHOTS {
        expected.insert(format!("fixtures__{name}.snap"));
    }
    for path in yaml_files(&fixtures_dir().join("lenient")) {
        expected.insert(format!("fixtures__lenient__{}.snap", stem(&path)));
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .expect("snapshot directory")
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|file| file.starts_with("fixtures__") && file.ends_with(".snap"))
        .filter(|file| !expected.contains(file))
        .collect();
    assert!(
        stale.is_empty(),
        "stale snapshots in {} (delete them): {stale:?}",
        dir.display()
    );
}

/// Specs the generator repairs or trims, with warnings: each generates, its warnings (with
/// their file and line) are snapshotted, and strict mode turns them into errors.
#[test]
fn lenient_fixtures() {
    let mut failed = Vec::new();
    for path in yaml_files(&fixtures_dir().join("lenient")) {
        let name = stem(&path);
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let label = format!("fixtures/lenient/{}", file_name.unwrap_or_default());
        let check = || {
            let output = generate_lenient(&path, "fixture", "../runtime");
            let warnings = &output.api.warnings;
            assert!(!warnings.is_empty(), "{label}: expected warnings");
            assert!(!warnings.has_errors(), "{label}: {warnings}");
            for warning in &warnings.0 {
                let location = warning.location.as_ref();
                assert!(
                    location.is_some_and(|l| l.file == Path::new(&label)),
                    "{label}: no location for: {warning}"
                );
            }
            let strict = codegen::Generated {
                files: output.files.clone(),
                warnings: warnings.clone(),
            }
            .strict()
            .expect_err("strict mode fails on warnings");
            assert_eq!(strict.counts(), (warnings.0.len(), 0), "{label}");
            snapshot_settings(&label).bind(|| {
                insta::assert_snapshot!(format!("lenient__{name}"), warnings.to_string());
            });
        };
        if catch_unwind(AssertUnwindSafe(check)).is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "lenient fixtures failed: {failed:?}");
}

#[test]
fn invalid_fixtures() {
    let dir = fixtures_dir().join("invalid");
    let mut failed = Vec::new();
    for path in yaml_files(&dir) {
        let name = stem(&path);
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let label = format!("fixtures/invalid/{name}.yaml");
        let run = || -> Result<(), Diagnostics> {
            let document = codegen::load::load_str(&text, Path::new(&label))?;
            let api = codegen::build_ir(&document)?;
            codegen::emit::emit(&api, &settings(&label, "fixture", "../runtime"))?;
            Ok(())
        };
        let check = || {
            let diagnostics = match catch_unwind(AssertUnwindSafe(run)) {
                Err(_) => {
                    panic!("{label}: the generator panicked instead of reporting diagnostics")
                }
                Ok(Ok(())) => panic!("{label}: expected diagnostics, but generation succeeded"),
                Ok(Err(diagnostics)) => diagnostics,
            };
            assert!(!diagnostics.is_empty(), "{label}: an empty error");
            let line_count = text.lines().count();
            for diagnostic in &diagnostics.0 {
                assert!(
                    diagnostic.pointer.starts_with('#'),
                    "{label}: pointer `{}` does not start with `#`",
                    diagnostic.pointer
                );
                let location = diagnostic
                    .location
                    .as_ref()
                    .unwrap_or_else(|| panic!("{label}: no location for: {diagnostic}"));
                assert_eq!(location.file, Path::new(&label), "{label}: {diagnostic}");
                assert!(
                    (1..=line_count + 1).contains(&location.line),
                    "{label}: line out of range: {diagnostic}"
                );
            }
            snapshot_settings(&label).bind(|| {
                insta::assert_snapshot!(format!("invalid__{name}"), diagnostics.to_string());
            });
        };
        if catch_unwind(AssertUnwindSafe(check)).is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "invalid fixtures failed: {failed:?}");
}

// ---------------------------------------------------------------------------------------------
// Focused assertions
// ---------------------------------------------------------------------------------------------

#[test]
fn keywords_become_raw_or_suffixed_identifiers() {
    let output = fixture("keywords");
    let api = &output.api;
    let self_type = component(api, "Self");
    let expected = [
        ("type", "r#type"),
        ("self", "self_"),
        ("crate", "crate_"),
        ("gen", "r#gen"),
        ("async", "r#async"),
        ("box", "r#box"),
    ];
    for (wire, rust) in expected {
        assert_eq!(field(self_type, wire).name.rust, rust, "field `{wire}`");
    }
    assert_ne!(
        field(self_type, "Self").name.rust,
        field(self_type, "self").name.rust,
        "`Self` and `self` fields must differ"
    );
    assert_eq!(self_type.name.rust, "Self_");

    let types = &types_text(&output);
    // Each field is written under its wire name, raw identifiers and suffixed ones alike
    // (tests/behaviour/main.rs reads them back).
    assert_contains(
        types,
        "pub struct Self_ {
            pub r#type: ::std::string::String,
            pub self_: ::std::string::String,",
    );
    let serde = &types_text(&output);
    assert_contains(serde, "map.serialize_entry(\"type\", &self.r#type)?;");
    assert_contains(serde, "map.serialize_entry(\"self\", &self.self_)?;");
    assert_contains(serde, "map.serialize_if_some(\"gen\", &self.r#gen)?;");
    // Schemas named like std types are declared, and std types are referred to by full path.
    assert_contains(types, "pub enum Option {");
    assert_contains(types, "pub type String = ::std::string::String;");
    assert_contains(
        types,
        "pub type Vec = ::std::vec::Vec<crate::types::String>;",
    );

    let get_item = operation(api, "getItem");
    assert_eq!(param(get_item, "type").name.rust, "r#type");
    assert_eq!(param(get_item, "self").name.rust, "self_");
    assert_eq!(param(get_item, "async").name.rust, "r#async");
    assert_eq!(param(get_item, "crate").name.rust, "crate_");

    let option = enumeration(component(api, "Option"));
    let variants: Vec<&str> = option.variants().map(|v| v.rust.as_str()).collect();
    assert_eq!(
        variants,
        ["Type", "Self_", "Crate", "Gen", "Async", "Self2", "None", "Some"],
        "`self` and `Self` must get distinct variant names"
    );
}

#[test]
fn colliding_names_get_distinct_identifiers() {
    let output = fixture("collisions");
    let api = &output.api;
    let upper = component(api, "Ticket");
    let lower = component(api, "ticket");
    assert_eq!(upper.name.rust, "Ticket");
    assert_eq!(lower.name.rust, "Ticket2");

    let fields: Vec<&str> = ["userId", "user_id", "UserID"]
        .iter()
        .map(|w| field(upper, w).name.rust.as_str())
        .collect();
    assert_eq!(fields, ["user_id", "user_id_2", "user_id_3"]);
    let serde = &types_text(&output);
    assert_contains(serde, "map.serialize_if_some(\"userId\", &self.user_id)?;");
    assert_contains(
        serde,
        "map.serialize_if_some(\"UserID\", &self.user_id_3)?;",
    );

    // The component `TicketStatus` keeps its name; the inline enum of `Ticket.status` yields.
    assert_eq!(component(api, "TicketStatus").name.rust, "TicketStatus");
    assert_eq!(
        named(api, &field(upper, "status").ty).name.rust,
        "TicketStatus2"
    );

    let kind = enumeration(component(api, "Kind"));
    let variants: Vec<&str> = kind.variants().map(|v| v.rust.as_str()).collect();
    assert_eq!(variants, ["AB", "AB2", "AB3", "AB4"]);

    let send = operation(api, "sendTicket");
    let params: Vec<&str> = send.params.iter().map(|p| p.name.rust.as_str()).collect();
    assert_eq!(
        params,
        [
            "id",
            "client_2",
            "body_2",
            "send_2",
            "send_with_response_2",
            "user_id",
            "user_id_2"
        ]
    );
}

#[test]
fn recursive_fields_are_boxed_where_needed() {
    let output = fixture("recursion");
    let api = &output.api;
    let node = component(api, "Node");
    assert!(
        field(node, "parent").boxed,
        "Node.parent holds a Node inline"
    );
    assert!(field(node, "next").boxed, "Node.next holds a Node inline");
    assert!(
        !field(node, "children").boxed,
        "a Vec already breaks the cycle"
    );
    assert!(
        !field(node, "labels").boxed,
        "a map already breaks the cycle"
    );

    let department = field(component(api, "Department"), "head");
    let employee = field(component(api, "Employee"), "department");
    assert!(
        department.boxed || employee.boxed,
        "the cycle Department → Employee → Department must be broken"
    );

    let types = &types_text(&output);
    assert_contains(types, "pub parent: Box<crate::types::Node>,");
    assert_contains(types, "pub next: Option<Box<crate::types::Node>>,");
    assert_contains(types, "pub children: Option<Vec<crate::types::Node>>,");
}

#[test]
fn enums_keep_unknown_values_and_name_odd_ones() {
    let output = fixture("enums");
    let api = &output.api;

    let priority = enumeration(component(api, "Priority"));
    let names: Vec<&str> = priority.variants().map(|v| v.rust.as_str()).collect();
    assert_eq!(
        names,
        ["Low", "Medium", "High", "Urgent"],
        "x-enum-varnames"
    );

    let source = enumeration(component(api, "Source"));
    let names: Vec<&str> = source.variants().map(|v| v.rust.as_str()).collect();
    assert_eq!(names, ["Value1", "Value2", "Value7", "Value1001"]);

    let odd = enumeration(component(api, "Odd"));
    assert_eq!(odd.unknown.rust, "Unknown");
    let by_wire: BTreeMap<&str, &str> = odd
        .variants()
        .map(|v| (v.wire.as_str(), v.rust.as_str()))
        .collect();
    assert_eq!(by_wire["1"], "V1");
    assert_eq!(by_wire["foo bar"], "FooBar");
    assert_eq!(by_wire[""], "Empty");
    assert_ne!(
        by_wire["Unknown"], "Unknown",
        "a value may not take the catch-all's name"
    );

    let types = &types_text(&output);
    assert_contains(types, "Unknown(::std::string::String),");
    assert_contains(types, "Unknown(i64),");
    assert_contains(types, "\"foo bar\" => Self::FooBar,");
    assert_contains(types, "\"\" => Self::Empty,");
    assert_contains(types, "1001 => Self::Value1001,");
}

#[test]
fn optional_and_nullable_fields() {
    let output = fixture("optionality");
    let contact = component(&output.api, "Contact");
    let optional = |wire: &str| field(contact, wire).optional();
    assert!(
        !optional("id") && !optional("name"),
        "required, not nullable"
    );
    assert!(optional("email") && optional("phone") && optional("mobile"));
    assert!(
        optional("manager"),
        "a reference to a nullable schema is nullable"
    );

    let types = &types_text(&output);
    assert_contains(types, "pub name: String,");
    assert_contains(types, "pub email: Option<String>,");
    // Required but nullable: always serialized (as null when None); optional: only when set.
    let serde = &types_text(&output);
    assert_contains(serde, "map.serialize_entry(\"email\", &self.email)?;");
    assert_contains(serde, "map.serialize_if_some(\"phone\", &self.phone)?;");

    // Optional and nullable is three-state in what the client sends (`Contact` goes both
    // ways, `ContactPatch` is only sent) and an option in what it only receives.
    let presence = |name: &str, wire: &str| field(component(&output.api, name), wire).presence;
    assert_eq!(presence("Contact", "mobile"), Presence::Nullable);
    assert_eq!(presence("Contact", "phone"), Presence::Optional);
    assert_eq!(presence("Contact", "email"), Presence::RequiredNullable);
    assert_eq!(presence("Contact", "name"), Presence::Required);
    assert_eq!(presence("ContactPatch", "manager_id"), Presence::Nullable);
    assert_eq!(presence("ContactSummary", "mobile"), Presence::Optional);
    // A required date has a default (the epoch) only in a type the client never sends.
    assert!(component(&output.api, "ContactSummary").derive_default);
    assert!(!component(&output.api, "ContactPatch").derive_default);
    assert_contains(
        types,
        "pub manager_id: ::openapi_client_runtime::Nullable<i64>,",
    );
    assert_contains(
        serde,
        "map.serialize_if_present(\"manager_id\", &self.manager_id)?;",
    );
}

#[test]
fn additional_properties_become_maps() {
    let output = fixture("additional_properties");
    let api = &output.api;
    let asset = component(api, "Asset");
    let map_of = |wire: &str| match &field(asset, wire).ty {
        TypeRef::Map(value) => (**value).clone(),
        other => panic!("Asset.{wire} is not a map: {other:?}"),
    };
    assert_eq!(map_of("anything"), TypeRef::Any);
    assert_eq!(map_of("counts"), TypeRef::Scalar(codegen::ir::Scalar::I64));
    assert_eq!(map_of("free"), TypeRef::Any);

    let custom = strukt(component(api, "CustomFields"));
    let extra = custom
        .additional
        .as_ref()
        .expect("CustomFields keeps extra properties");
    assert_ne!(
        extra.name.rust, custom.fields[0].name.rust,
        "the map may not take a property's name"
    );
    assert!(strukt(component(api, "Labels")).additional.is_some());

    // Keys the struct does not declare are kept in the map, and written back after the
    // fields.
    let serde = &types_text(&output);
    assert_contains(
        serde,
        "match key.as_str() { \"color\" => map.next_value_seed(de::Slot(&mut value.color)),",
    );
    assert_contains(
        serde,
        "_ => { map.next_value_seed(de::Insert(&mut value.additional_properties, key.into_string()),) }",
    );
    assert_contains(
        serde,
        "for (key, value) in &self.additional_properties {
            map.serialize_entry(key, value)?;
        }",
    );

    // Received structs keep undeclared keys in a map of JSON values named `extra` (or the
    // next free name); `additionalProperties: false` keeps none.
    let undeclared = |name: &str| {
        let additional = strukt(component(api, name)).additional.as_ref();
        additional
            .filter(|map| map.source == MapSource::Undeclared)
            .map(|map| (map.name.rust.clone(), map.ty.clone()))
    };
    assert_eq!(
        undeclared("Asset"),
        Some(("extra".to_owned(), TypeRef::Any))
    );
    assert_eq!(
        undeclared("Tag"),
        Some(("extra_2".to_owned(), TypeRef::Any))
    );
    assert_eq!(undeclared("Strict"), None);
    assert_eq!(undeclared("Labels"), None, "its map is the declared one");
    assert!(strukt(component(api, "Strict")).additional.is_none());
}

#[test]
fn several_success_responses_become_a_status_enum() {
    let output = fixture("responses");
    let api = &output.api;
    let submit = operation(api, "submitJob");
    let Success::ByStatus(id) = &submit.success else {
        panic!(
            "submitJob should return an enum by status: {:?}",
            submit.success
        );
    };
    let TypeKind::StatusEnum(status) = &api.types.get(*id).kind else {
        panic!("not a status enum");
    };
    let variants: Vec<(u16, &str, bool)> = status
        .variants
        .iter()
        .map(|v| (v.status, v.name.rust.as_str(), v.body.is_some()))
        .collect();
    assert_eq!(
        variants,
        [
            (200, "Ok", true),
            (201, "Created", true),
            (204, "NoContent", false)
        ]
    );
    assert_eq!(
        submit.responses.len(),
        6,
        "every documented response is kept"
    );
    assert!(matches!(
        operation(api, "deleteJob").success,
        Success::Empty
    ));

    let jobs = file(&output, "src/jobs.rs");
    assert_contains(
        jobs,
        "200u16 => response.decode_json().map(crate::types::SubmitJobResponse::Ok),",
    );
    assert_contains(
        jobs,
        "204u16 => Ok(crate::types::SubmitJobResponse::NoContent),",
    );
}

#[test]
fn multipart_bodies_have_file_parts() {
    let output = fixture("multipart");
    let api = &output.api;
    let form = component(api, "TicketForm");
    assert!(strukt(form).multipart, "TicketForm is sent as a form");
    assert_eq!(field(form, "cover").ty, TypeRef::Binary);
    assert_eq!(
        field(form, "attachments[]").ty,
        TypeRef::List(Box::new(TypeRef::Binary))
    );
    let json = component(api, "TicketJson");
    assert!(!strukt(json).multipart);
    assert_eq!(
        field(json, "logo").ty,
        TypeRef::Scalar(codegen::ir::Scalar::String),
        "format: binary inside JSON stays a string"
    );

    let create = operation(api, "createTicket");
    let setters: Vec<&str> = create
        .body
        .iter()
        .flat_map(|b| &b.contents)
        .map(|c| c.setter.rust.as_str())
        .collect();
    // A required body is the argument of the group method, one method per media type.
    assert_eq!(setters, ["create_ticket", "create_ticket_multipart"]);

    let types = &types_text(&output);
    assert_contains(types, "form = form.file(\"cover\", value);");
    assert_contains(
        types,
        "for value in value {\n                form = form.file(\"attachments[]\", value);",
    );
}

#[test]
fn parameters_by_location() {
    let output = fixture("parameters");
    let api = &output.api;
    let op = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .find(|op| op.method == HttpMethod::Get)
        .expect("the operation");
    assert_eq!(
        op.name.wire, "get orgs by org items by item_id",
        "synthesized id"
    );
    assert!(is_identifier(&op.name.rust));
    let wires: Vec<&str> = op.params.iter().map(|p| p.name.wire.as_str()).collect();
    assert_eq!(
        &wires[..2],
        ["org", "item_id"],
        "path parameters in template order"
    );
    assert!(param(op, "ids").explode);
    assert!(!param(op, "fields").explode);
    assert!(!param(op, "tags").explode);
    assert_eq!(param(op, "X-Request-Id").location, ParamLocation::Header);
    assert!(matches!(
        api.types
            .get(match &param(op, "order").ty {
                TypeRef::Named(id) => *id,
                other => panic!("order is not an enum: {other:?}"),
            })
            .kind,
        TypeKind::Enum(_)
    ));

    let module = file(&output, "src/orgs.rs");
    assert_contains(module, ".query_list(\"tags\", &self.tags, false)");
    assert_contains(
        module,
        ".query_list(\"fields\", self.fields.as_deref().unwrap_or_default(), false)",
    );
    assert_contains(
        module,
        ".query_list(\"ids\", self.ids.as_deref().unwrap_or_default(), true)",
    );
    assert_contains(module, ".header(\"X-Request-Id\", &self.x_request_id)");
    assert_contains(
        module,
        ".filter_query(\"query\", self.query.as_deref(), 64usize)",
    );
}

#[test]
fn one_property_envelopes_are_unwrapped() {
    let output = fixture("envelope");
    let api = &output.api;
    let envelope_of = |wire: &str| match &operation(api, wire).success {
        Success::Body(body) => body.envelope.clone(),
        other => panic!("{wire}: {other:?}"),
    };
    assert_eq!(envelope_of("getTicket").as_deref(), Some("ticket"));
    assert_eq!(envelope_of("listTickets").as_deref(), Some("tickets"));
    assert_eq!(envelope_of("getStats"), None);

    let module = file(&output, "src/tickets.rs");
    assert_contains(module, "response.decode_enveloped(\"ticket\")");
}

#[test]
fn only_the_serde_direction_the_client_uses_is_compiled_by_default() {
    let flow = |output: &Output, rust: &str| {
        output
            .api
            .types
            .iter()
            .find(|(_, def)| def.name.rust == rust)
            .map(|(_, def)| (def.flow.sent, def.flow.received))
            .unwrap_or_else(|| panic!("no type {rust}"))
    };
    // A nested part of an uploaded form is only sent.
    let multipart = fixture("multipart");
    assert_eq!(flow(&multipart, "TicketFormMeta"), (true, false));
    let impls = &types_text(&multipart);
    assert_contains(impls, "impl serde::Serialize for TicketFormMeta");
    // A sent type's Serialize is always there.
    assert_lacks(
        impls,
        "#[cfg(feature = \"serde-both\")] impl serde::Serialize",
    );
    assert_contains(
        impls,
        "#[cfg(feature = \"serde-both\")] ::openapi_client_runtime::deserialize_object!(TicketFormMeta);",
    );
    // A fetched ticket is only received.
    let envelope = fixture("envelope");
    assert_eq!(flow(&envelope, "Ticket"), (false, true));
    let impls = &types_text(&envelope);
    assert_contains(
        impls,
        "#[cfg(feature = \"serde-both\")] impl serde::Serialize for Ticket",
    );
    // A received type's Deserialize is always there.
    assert_lacks(
        impls,
        "#[cfg(feature = \"serde-both\")] impl<'de> serde::Deserialize<'de>",
    );
    // With several groups, a group's own type is in the group's file, compiled with its
    // feature; a type some of the groups share joins their condition to the direction's
    // feature.
    let collisions = fixture("collisions");
    assert_contains(
        file(&collisions, "src/types/tickets.rs"),
        "#[cfg(feature = \"serde-both\")] impl<'de> serde::Deserialize<'de> for Kind",
    );
    assert_contains(
        file(&collisions, "src/types.rs"),
        "#[cfg(feature = \"tickets\")] mod tickets; #[cfg(feature = \"tickets\")] pub use self::tickets::*;",
    );
    // A group named `shared` keeps its name; the shared file gives way.
    assert_contains(
        file(&collisions, "src/types/shared_2.rs"),
        "#[cfg(all(any(feature = \"shared\", feature = \"tickets\"), feature = \"serde-both\"))] impl serde::Serialize for Defaults",
    );
    assert_contains(file(&envelope, "Cargo.toml"), "serde-both = []");
}

// ---------------------------------------------------------------------------------------------
// The generated crates compile
// ---------------------------------------------------------------------------------------------

/// The fixture crates `tests/behaviour/main.rs` uses, by fixture name.
const BEHAVIOUR_FIXTURES: &[&str] = &[
    "additional_properties",
    "auth",
    "collisions",
    "keywords",
    "optionality",
    "recursion",
    "ref_property",
    "relative_server",
    "unions",
];

/// Writes the crate of `tests/behaviour/main.rs` into the scratch workspace, depending on
/// the fixture crates it exercises, with both serde directions of every type (it writes and
/// reads each type).
fn write_behaviour_crate(crate_dir: &Path) {
    let dependencies: String = BEHAVIOUR_FIXTURES
        .iter()
        .map(|name| {
            format!(
                "fixture-{} = {{ path = \"../{name}\", features = [\"serde-both\"] }}\n",
                name.replace('_', "-")
            )
        })
        .collect();
    let manifest = format!(
        "[package]\nname = \"fixture-behaviour\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\nserde = \"1\"\nserde_json = \"1\"\n{dependencies}"
    );
    support::write_if_changed(&crate_dir.join("Cargo.toml"), &manifest);
    let program =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("behaviour/main.rs"))
            .expect("tests/behaviour/main.rs");
    support::write_if_changed(&crate_dir.join("src/main.rs"), &program);
}

/// Writes a crate that compiles the conformance calls generated for each fixture
/// (`codegen::emit::calls_file`, as `tests/tests/conformance/calls.rs` is for the client)
/// against the fixture's crate: each fixture's calls are a module `<fixture>::calls` beside the
/// `Call` type they fill in, so every builder method, argument and sample value they use must
/// exist with the type they give it.
fn write_calls_crate(crate_dir: &Path, runtime: &str, fixtures: &[(String, Named)]) {
    let mut dependencies = String::new();
    let mut modules = String::new();
    let mut counts = Vec::new();
    for (name, api) in fixtures {
        let package = format!("fixture-{}", name.replace('_', "-"));
        let krate = package.replace('-', "_");
        dependencies.push_str(&format!("{package} = {{ path = \"../{name}\" }}\n"));
        let calls = codegen::emit::calls_file(api, &package, "calls of a fixture")
            .unwrap_or_else(|error| panic!("{name}: calls_file failed: {error}"));
        support::write_if_changed(&crate_dir.join(format!("src/{name}/calls.rs")), &calls);
        modules.push_str(&format!(
            "mod {name} {{\n\
             \x20   pub use super::{{sent, Sent}};\n\
             \x20   pub struct Call {{\n\
             \x20       pub operation: &'static str,\n\
             \x20       pub method: &'static str,\n\
             \x20       pub path: &'static str,\n\
             \x20       pub body: Option<&'static str>,\n\
             \x20       pub fill: &'static str,\n\
             \x20       pub responses: &'static [(u16, bool)],\n\
             \x20       pub send: fn(&::{krate}::Client, ::{krate}::RequestOptions) -> Sent,\n\
             \x20   }}\n\
             \x20   pub mod calls;\n\
             }}\n"
        ));
        counts.push(format!("{name}::calls::CALLS.len()"));
    }
    let manifest = format!(
        "[package]\nname = \"fixture-calls\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\nserde_json = \"1\"\n\
         chrono = {{ version = \"0.4\", default-features = false, features = [\"std\"] }}\n\
         openapi-client-runtime = {{ path = \"{runtime}\" }}\n{dependencies}"
    );
    support::write_if_changed(&crate_dir.join("Cargo.toml"), &manifest);
    let program = format!(
        "//! The conformance calls of every fixture, compiled against the fixture crates.\n\
         #![allow(dead_code)]\n\n\
         use std::future::Future;\nuse std::pin::Pin;\n\n\
         pub type Sent = Pin<Box<dyn Future<Output = Result<openapi_client_runtime::Response<()>, openapi_client_runtime::Error>> + Send>>;\n\n\
         pub fn sent<T: Send + 'static>(call: openapi_client_runtime::CallFuture<openapi_client_runtime::Response<T>>) -> Sent {{\n\
         \x20   Box::pin(async move {{ call.await.map(|response| response.map(drop)) }})\n\
         }}\n\n{modules}\n\
         fn main() {{\n\
         \x20   println!(\"{{}} calls\", {});\n\
         }}\n",
        counts.join(" + ")
    );
    support::write_if_changed(&crate_dir.join("src/main.rs"), &program);
}

/// Generates every valid fixture into a scratch workspace under the target directory and
/// runs `cargo check` on the fixture crates with their default features and with all of them, and on the crate of
/// their conformance calls (`write_calls_crate`), then runs `tests/behaviour/main.rs` there, which decodes and encodes JSON with the generated types. The build directory is kept (see `support`), so a
/// second run only rebuilds what changed.
#[test]
fn fixtures_compile_and_behave() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-crates");
    let runtime = support::runtime_path();

    let mut members = Vec::new();
    let mut apis = Vec::new();
    for path in yaml_files(&fixtures_dir()) {
        let name = stem(&path);
        let output = generate(
            &path,
            &format!("fixture-{}", name.replace('_', "-")),
            &runtime,
        );
        support::write_crate(&scratch.join(&name), &output.files);
        apis.push((name.clone(), output.api));
        members.push(name);
    }
    // A description split over several files.
    let multi_file = fixtures_dir().join("multi_file/openapi.yaml");
    let files = codegen::load::load(&multi_file)
        .and_then(|document| codegen::build_ir(&document))
        .and_then(|api| {
            codegen::emit::emit(
                &api,
                &settings("fixtures/multi_file", "fixture-multi-file", &runtime),
            )
        })
        .unwrap_or_else(|d| panic!("fixtures/multi_file does not generate:\n{d}"));
    support::write_crate(&scratch.join("multi_file"), &files);
    members.push("multi_file".to_owned());
    // What lenient generation keeps of a repaired or trimmed spec compiles too.
    for path in yaml_files(&fixtures_dir().join("lenient")) {
        let name = format!("lenient_{}", stem(&path));
        let output = generate_lenient(
            &path,
            &format!("fixture-{}", name.replace('_', "-")),
            &runtime,
        );
        support::write_crate(&scratch.join(&name), &output.files);
        members.push(name);
    }
    write_behaviour_crate(&scratch.join("behaviour"));
    members.push("behaviour".to_owned());
    write_calls_crate(&scratch.join("calls"), &runtime, &apis);
    members.push("calls".to_owned());
    support::prepare_workspace(&scratch, &members);

    // Without the behaviour crate, whose `serde-both` would be unified into every build, and
    // the calls crate, checked on its own below.
    let check = |extra: &[&str]| {
        let mut args = vec![
            "--exclude",
            "fixture-behaviour",
            "--exclude",
            "fixture-calls",
        ];
        args.extend_from_slice(extra);
        support::cargo_check(&scratch, &args)
    };
    let result = check(&["--message-format=short"]);
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    // Any warning or error in a generated crate is a generator bug.
    let problems: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    if !problems.is_empty() || !result.status.success() {
        let full = check(&[]);
        panic!(
            "the generated fixture crates do not compile cleanly:\n{}\n\n{}\n(the crates are in {}; run `cargo check` there to reproduce)",
            problems.join("\n"),
            String::from_utf8_lossy(&full.stderr),
            scratch.display()
        );
    }

    // Every feature at once: the typed test doubles (`test-util`) of every fixture compile,
    // with their per-group gates, and without a warning.
    let all = check(&["--message-format=short", "--all-features"]);
    let stderr = String::from_utf8_lossy(&all.stderr).into_owned();
    assert!(
        all.status.success() && stderr.trim().is_empty(),
        "the generated fixture crates do not compile cleanly with every feature:\n{stderr}\n(in {})",
        scratch.display()
    );

    let calls = support::cargo(
        &scratch,
        &["check", "--offline", "--quiet", "-p", "fixture-calls"],
    );
    assert!(
        calls.status.success(),
        "the conformance calls generated for the fixtures do not compile against their crates:\n{}\n(in {})",
        String::from_utf8_lossy(&calls.stderr),
        scratch.join("calls").display()
    );

    let run = support::cargo(
        &scratch,
        &["run", "--offline", "--quiet", "-p", "fixture-behaviour"],
    );
    assert!(
        run.status.success(),
        "the generated types do not behave as tests/behaviour/main.rs expects:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        "the generated types behave"
    );
}

#[test]
fn conformance_calls_send_sample_values_the_schemas_allow() {
    let output = fixture("request_samples");
    let calls = codegen::emit::calls_file(&output.api, "fixture", "calls")
        .unwrap_or_else(|error| panic!("{error}"));
    // One call per body media type, each documented status listed.
    assert_contains(&calls, "fn call_create_node_body(");
    assert_contains(&calls, "fn call_create_node_body_multipart(");
    assert_contains(&calls, "responses: &[(201u16, true)]");
    // Required parameters as arguments (then the required body), optional ones through their
    // setters, within bounds.
    assert_contains(
        &calls,
        r#".create_node(::std::string::String::from("sam"), sample_node_input()"#,
    );
    assert_contains(&calls, ".per_page(5i32)");
    assert_contains(
        &calls,
        r#".owner(::std::string::String::from("user@example.com"))"#,
    );
    assert_contains(&calls, ".ids(::std::vec![1i64, 1i64])");
    // Read-only and self-referencing optional properties are left out; a required list that
    // would lead back into the type is empty.
    assert_contains(&calls, "id: ::std::option::Option::None,");
    assert_contains(&calls, "parent: ::std::option::Option::None,");
    assert_contains(&calls, "children: ::std::vec::Vec::new(),");
    assert_contains(&calls, r#"name: ::std::string::String::from("samp"),"#);
    assert_contains(
        &calls,
        r#"homepage: ::std::option::Option::Some(::std::string::String::from("https://example.com/sample"),),"#,
    );
    assert_contains(&calls, "kind: ::std::option::Option::Some(sample_kind()),");
    assert_contains(&calls, "::fixture::types::Kind::Leaf");
    assert_contains(
        &calls,
        r#"watchers: ::std::option::Option::Some(::std::vec![::std::string::String::from("user@example.com"), ::std::string::String::from("user@example.com")],),"#,
    );
    assert_contains(&calls, "::chrono::NaiveDate::from_ymd_opt(2024, 1, 15)");
    // With only what is required: optional parameters and properties are left out, except
    // that a multipart form keeps its first field (a multipart body has at least one part).
    assert_contains(&calls, "fn call_create_node_body_required(");
    assert_contains(&calls, "fn call_create_node_body_multipart_required(");
    assert_contains(
        &calls,
        r#".create_node(::std::string::String::from("sam"), sample_node_input_required()"#,
    );
    assert_contains(
        &calls,
        r#"fn sample_node_input_required() -> ::fixture::types::NodeInput { ::fixture::types::NodeInput { id: ::std::option::Option::None, name: ::std::string::String::from("samp"), contact: ::std::option::Option::None,"#,
    );
    assert_contains(
        &calls,
        r#"fn sample_node_upload_required() -> ::fixture::types::NodeUpload { ::fixture::types::NodeUpload { name: ::std::option::Option::Some(::std::string::String::from("sample")), files: ::std::option::Option::None, } }"#,
    );
    assert_lacks(&calls, "fn sample_kind_required(");
    // A multipart body's files are in-memory parts.
    assert_contains(
        &calls,
        r#"::fixture::FilePart::from_bytes("sample.txt", &b"sample file\n"[..]).mime("text/plain")"#,
    );
}
