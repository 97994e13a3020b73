//! Descriptions nobody here wrote: a third party's Freshdesk description (it declares
//! OpenAPI 3.1.0 but is written in 3.0 forms) generates a crate that compiles, and the
//! OpenAPI 3.1 forms are read as their 3.0 equivalents.
//!
//! The generated Freshdesk crate is not committed: it is written under the target directory
//! and checked there with `cargo check --offline`, like the fixture crates.

use std::path::{Path, PathBuf};

use codegen::ir::{Api, ParamLocation, TypeDef, TypeKind, TypeRef};
use codegen::naming::Named;

mod support;

/// `freshdesk-openapi.yml` in the reference folder (`API_REFERENCE_DIR`), or `None` (announced)
/// when it is absent.
fn freshdesk_spec(what: &str) -> Option<PathBuf> {
    project_support::reference::input(project_support::reference::FRESHDESK_SPEC, what)
}

/// The IR of a spec file, or a panic listing its diagnostics.
fn build(spec: &Path) -> Named {
    let document = codegen::load::load(spec)
        .unwrap_or_else(|d| panic!("{}: load failed:\n{d}", spec.display()));
    codegen::build_ir(&document)
        .unwrap_or_else(|d| panic!("{}: lowering failed:\n{d}", spec.display()))
}

/// The component type with this wire name.
fn component<'a>(api: &'a Api, wire: &str) -> &'a TypeDef {
    api.types
        .iter()
        .map(|(_, def)| def)
        .find(|def| def.name.wire == wire)
        .unwrap_or_else(|| panic!("no component schema `{wire}`"))
}

/// A struct field's type and whether it is an `Option`.
fn field(def: &TypeDef, wire: &str) -> (TypeRef, bool) {
    let TypeKind::Struct(strukt) = &def.kind else {
        panic!("`{}` is not a struct: {:?}", def.name.wire, def.kind);
    };
    let field = strukt
        .fields
        .iter()
        .find(|f| f.name.wire == wire)
        .unwrap_or_else(|| panic!("`{}` has no field `{wire}`", def.name.wire));
    (field.ty.clone(), field.optional())
}

#[test]
fn freshdesk_lowers_every_operation() {
    let Some(spec) = freshdesk_spec("freshdesk_lowers_every_operation") else {
        return;
    };
    let api = build(&spec);
    let operations: Vec<&str> = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .map(|op| op.name.wire.as_str())
        .collect();
    assert_eq!(operations.len(), 82, "every operation of the description");
    assert!(operations.contains(&"listTickets") && operations.contains(&"searchCompanies"));
    // `nullable`, a 3.0 form, is honoured in this 3.1 document.
    let ticket = component(&api, "Ticket");
    assert_eq!(
        field(ticket, "responder_id"),
        (TypeRef::Scalar(codegen::ir::Scalar::I64), true)
    );
    let get = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .find(|op| op.name.wire == "getTicket")
        .expect("getTicket");
    assert!(get
        .params
        .iter()
        .any(|p| p.name.wire == "ticket_id" && p.location == ParamLocation::Path));
}

/// Generates the Freshdesk crate as `cargo xtask generate --spec ... --name freshdesk` would
/// (but with an absolute runtime path) and checks that it compiles without a diagnostic.
#[test]
fn freshdesk_generates_a_crate_that_compiles() {
    let Some(spec) = freshdesk_spec("freshdesk_generates_a_crate_that_compiles") else {
        return;
    };
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("freshdesk");
    let out = scratch.join("freshdesk");
    let mut settings = project_support::settings(
        &spec,
        &out,
        "freshdesk",
        format!(
            "cargo xtask generate --spec {} --out <DIR> --name freshdesk",
            spec.display()
        ),
    );
    settings.runtime_path = support::runtime_path();
    let generated = codegen::generate(&spec, &settings)
        .unwrap_or_else(|d| panic!("{}: generation failed:\n{d}", spec.display()));
    for file in ["Cargo.toml", "src/lib.rs", "src/types.rs", "src/tickets.rs"] {
        assert!(
            generated.files.contains_key(Path::new(file)),
            "{file} was not generated"
        );
    }
    support::write_crate(&out, &generated.files);
    support::prepare_workspace(&scratch, &["freshdesk".to_owned()]);

    let result = support::cargo_check(&scratch, &["--message-format=short"]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    let problems: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        result.status.success() && problems.is_empty(),
        "the generated Freshdesk crate does not compile cleanly:\n{}\n(the crate is in {}; run `cargo check` there to reproduce)",
        problems.join("\n"),
        out.display()
    );
}

#[test]
fn openapi_3_1_forms_are_read_as_3_0_ones() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/openapi_3_1.yaml");
    let api = build(&spec);
    let pet = component(&api, "Pet");
    // `type: [string, "null"]`.
    assert_eq!(
        field(pet, "name"),
        (TypeRef::Scalar(codegen::ir::Scalar::String), true)
    );
    // `anyOf: [$ref, {type: "null"}]` is the referenced type, optional.
    let (owner, optional) = field(pet, "owner");
    assert!(optional);
    assert!(matches!(owner, TypeRef::Named(id) if api.types.get(id).name.wire == "Owner"));
    // `type: [string, integer]` is a union of the two.
    let (tag, _) = field(pet, "tag");
    let TypeRef::Named(tag) = tag else {
        panic!("tag is not a named type: {tag:?}");
    };
    let TypeKind::Union(union) = &api.types.get(tag).kind else {
        panic!("tag is not a union");
    };
    let variants: Vec<&TypeRef> = union.variants.iter().map(|v| &v.ty).collect();
    assert_eq!(
        variants,
        [
            &TypeRef::Scalar(codegen::ir::Scalar::String),
            &TypeRef::Scalar(codegen::ir::Scalar::I64)
        ]
    );
    // `const` is a one-value enum; a `false` property is gone, even from `required`.
    let (kind, optional) = field(pet, "kind");
    assert!(!optional);
    assert!(
        matches!(kind, TypeRef::Named(id) if matches!(&api.types.get(id).kind, TypeKind::Enum(e) if e.variants().count() == 1))
    );
    let TypeKind::Struct(strukt) = &pet.kind else {
        unreachable!("checked by `field`")
    };
    assert!(strukt.fields.iter().all(|f| f.name.wire != "legacy"));
    // The path item defined in `components/pathItems` is an operation.
    let get_pet = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .find(|op| op.name.wire == "getPet")
        .expect("the path item of components/pathItems is inlined");
    assert_eq!(get_pet.path.raw, "/pets/{id}");
    // Numeric `exclusiveMinimum`/`exclusiveMaximum` are the 3.0 bounds with their flags.
    let list = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .find(|op| op.name.wire == "listPets")
        .expect("listPets");
    let limit = list
        .params
        .iter()
        .find(|p| p.name.wire == "limit")
        .expect("limit");
    assert_eq!(
        (limit.limits.minimum, limit.limits.maximum),
        (Some(1), Some(100))
    );
}
