//! `Cargo.toml` of the generated crate.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Settings;

#[derive(Serialize)]
struct Manifest<'a> {
    package: Package<'a>,
    features: BTreeMap<String, Vec<String>>,
    dependencies: BTreeMap<&'static str, Dependency>,
    lints: Lints,
}

#[derive(Serialize)]
struct Package<'a> {
    name: &'a str,
    version: &'a str,
    edition: &'static str,
    #[serde(rename = "rust-version")]
    rust_version: &'static str,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    documentation: Option<&'a str>,
    readme: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    keywords: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    categories: &'a [String],
    /// What goes into the published package: the sources, the README and the licenses.
    include: Vec<String>,
    metadata: Metadata,
}

/// `[package.metadata]`: docs.rs builds the documentation with every feature.
#[derive(Serialize)]
struct Metadata {
    #[serde(rename = "docs.rs")]
    docs_rs: DocsRs,
}

#[derive(Serialize)]
struct DocsRs {
    #[serde(rename = "all-features")]
    all_features: bool,
    /// `--cfg docsrs`, under which the crate marks each item with the features it needs.
    #[serde(rename = "rustdoc-args")]
    rustdoc_args: [&'static str; 2],
}

/// `[lints.rust]`: `docsrs` is a known cfg (set by docs.rs only).
#[derive(Serialize)]
struct Lints {
    rust: RustLints,
}

#[derive(Serialize)]
struct RustLints {
    unexpected_cfgs: UnexpectedCfgs,
}

#[derive(Serialize)]
struct UnexpectedCfgs {
    level: &'static str,
    #[serde(rename = "check-cfg")]
    check_cfg: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(untagged)]
enum Dependency {
    Version(&'static str),
    Detailed {
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        #[serde(rename = "default-features", skip_serializing_if = "Option::is_none")]
        default_features: Option<bool>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        features: Vec<&'static str>,
    },
}

/// The oldest Rust the generated code and the runtime build with (`rust-version`).
pub const RUST_VERSION: &str = "1.88";

/// The manifest text (without header).
pub fn manifest(settings: &Settings, title: &str, groups: &[&str]) -> Result<String, String> {
    // One feature per resource group; `full` (the default) enables them all. `blocking` adds
    // `send_blocking` to every request builder; `serde-both` the serde impls the client does
    // not need itself (`Serialize` of response types, `Deserialize` of request types);
    // `test-util` the test doubles.
    let mut features: BTreeMap<String, Vec<String>> = groups
        .iter()
        .map(|group| ((*group).to_owned(), Vec::new()))
        .collect();
    features.insert("default".to_owned(), vec!["full".to_owned()]);
    features.insert(
        "full".to_owned(),
        groups.iter().map(|group| (*group).to_owned()).collect(),
    );
    features.insert(
        "blocking".to_owned(),
        vec!["openapi-client-runtime/blocking".to_owned()],
    );
    features.insert(
        super::serde_impls::SERDE_BOTH_FEATURE.to_owned(),
        Vec::new(),
    );
    // `test-util`: the typed test doubles of `mock`, which serialise what operations return
    // and decode what they send, hence both serde directions.
    features.insert(
        super::mock::TEST_UTIL_FEATURE.to_owned(),
        vec![
            super::serde_impls::SERDE_BOTH_FEATURE.to_owned(),
            "openapi-client-runtime/mock".to_owned(),
        ],
    );
    let mut dependencies = BTreeMap::new();
    dependencies.insert(
        "openapi-client-runtime",
        Dependency::Detailed {
            version: settings.package.runtime_version.clone(),
            path: Some(settings.runtime_path.clone()),
            default_features: None,
            features: Vec::new(),
        },
    );
    dependencies.insert(
        "chrono",
        Dependency::Detailed {
            version: Some("0.4".to_owned()),
            path: None,
            default_features: Some(false),
            features: vec!["serde", "std"],
        },
    );
    // Serde impls are written out by the generator (see `serde_impls`): no derive macro.
    dependencies.insert("serde", Dependency::Version("1"));
    dependencies.insert("serde_json", Dependency::Version("1"));
    let meta = &settings.package;
    let mut include = vec![
        "/src/**/*.rs".to_owned(),
        format!("/{}", super::readme::PATH),
    ];
    include.extend(meta.license_files.keys().map(|name| format!("/{name}")));
    let manifest = Manifest {
        package: Package {
            name: &settings.crate_name,
            version: &settings.crate_version,
            edition: "2021",
            rust_version: RUST_VERSION,
            description: format!("Generated client for the {title}."),
            license: meta.license.as_deref(),
            repository: meta.repository.as_deref(),
            documentation: meta.documentation.as_deref(),
            readme: super::readme::PATH,
            keywords: &meta.keywords,
            categories: &meta.categories,
            include,
            metadata: Metadata {
                docs_rs: DocsRs {
                    all_features: true,
                    rustdoc_args: ["--cfg", "docsrs"],
                },
            },
        },
        features,
        dependencies,
        lints: Lints {
            rust: RustLints {
                unexpected_cfgs: UnexpectedCfgs {
                    level: "warn",
                    check_cfg: ["cfg(docsrs)"],
                },
            },
        },
    };
    toml::to_string(&manifest).map_err(|error| format!("cannot write Cargo.toml: {error}"))
}
