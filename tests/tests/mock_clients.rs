//! Crates generated from other descriptions call a real mock server started from those same
//! descriptions: the OAI's petstore-expanded (query arrays, a JSON body, path parameters,
//! typed answers) and the `auth` fixture (credentials in headers, the query, cookies and
//! basic authentication, per-operation requirements, an operation that takes none).
//!
//! The crates and the program that calls them (`tests/mock_clients/main.rs`) are written to a
//! scratch workspace under the target directory and run there with `cargo run --offline`,
//! against one Prism per description (see `prism/mod.rs` for where Prism comes from).

use std::path::{Path, PathBuf};

mod prism;
mod support;

use prism::Prism;

/// Generates the crate of `spec` named `crate_name` into `dir`; fails on any diagnostic
/// other than warnings.
fn generate(spec: &Path, crate_name: &str, dir: &Path) {
    let mut settings = project_support::settings(spec, dir, crate_name, "cargo test".to_owned());
    settings.runtime_path = support::runtime_path();
    let generated = codegen::generate(spec, &settings)
        .unwrap_or_else(|d| panic!("{}: generation failed:\n{d}", spec.display()));
    support::write_crate(dir, &generated.files);
}

/// The crate of `tests/mock_clients/main.rs`, depending on the two generated crates.
fn write_program(dir: &Path) {
    let manifest = "[package]\nname = \"mock-clients\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\n\
         corpus-petstore = { path = \"../petstore\" }\n\
         fixture-auth = { path = \"../auth\" }\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n";
    support::write_if_changed(&dir.join("Cargo.toml"), manifest);
    let program =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("mock_clients/main.rs"))
            .expect("tests/mock_clients/main.rs");
    support::write_if_changed(&dir.join("src/main.rs"), &program);
}

/// A started Prism mocking `spec`, logging under `dir`.
fn mock(bin: &Path, spec: &Path, dir: &Path, name: &str) -> Prism {
    let mut prism = Prism::start(bin, spec, dir.join(format!("prism-{name}.log")));
    prism.wait_until_listening();
    prism
}

#[test]
fn generated_clients_talk_to_a_mock_of_their_description() {
    let what = "generated_clients_talk_to_a_mock_of_their_description";
    let Some(petstore) = project_support::reference::input(
        &format!(
            "{}/oai-petstore-expanded.yaml",
            project_support::reference::CORPUS
        ),
        what,
    ) else {
        return;
    };
    let Some(bin) = prism::bin_or_skip(what) else {
        return;
    };
    let auth: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/auth.yaml");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mock-clients");
    generate(&petstore, "corpus-petstore", &scratch.join("petstore"));
    generate(&auth, "fixture-auth", &scratch.join("auth"));
    write_program(&scratch.join("program"));
    support::prepare_workspace(
        &scratch,
        &[
            "petstore".to_owned(),
            "auth".to_owned(),
            "program".to_owned(),
        ],
    );
    let build = support::cargo(
        &scratch,
        &["build", "--offline", "--quiet", "-p", "mock-clients"],
    );
    assert!(
        build.status.success(),
        "the mock-client program does not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let petstore_mock = mock(&bin, &petstore, &scratch, "petstore");
    let auth_mock = mock(&bin, &auth, &scratch, "auth");
    // The built program, run with the mocks' addresses.
    let program =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-crates-target/debug/mock-clients");
    let run = std::process::Command::new(program)
        .env(
            "PETSTORE_URL",
            format!("http://127.0.0.1:{}", petstore_mock.port()),
        )
        .env("AUTH_URL", format!("http://127.0.0.1:{}", auth_mock.port()))
        .output()
        .expect("the mock-client program runs");
    assert!(
        run.status.success(),
        "a generated client did not talk to its mock as expected:\n{}\n\npetstore mock:\n{}\n\nauth mock:\n{}",
        String::from_utf8_lossy(&run.stderr),
        petstore_mock.log_tail(),
        auth_mock.log_tail()
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        "the generated clients talk to their mock servers"
    );
}
