//! `Cargo.toml` of the generated crate.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Settings;

#[derive(Serialize)]
struct Manifest<'a> {
    package: Package<'a>,
    features: BTreeMap<String, Vec<String>>,
    dependencies: BTreeMap<&'static str, Dependency>,
}

#[derive(Serialize)]
struct Package<'a> {
    name: &'a str,
    version: &'a str,
    edition: &'static str,
    #[serde(rename = "rust-version")]
    rust_version: &'static str,
    description: String,
    license: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Dependency {
    Version(&'static str),
    Detailed {
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        #[serde(rename = "default-features", skip_serializing_if = "Option::is_none")]
        default_features: Option<bool>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        features: Vec<&'static str>,
    },
}

/// The manifest text (without header).
pub fn manifest(settings: &Settings, title: &str, groups: &[&str]) -> Result<String, String> {
    // One feature per resource group; `full` (the default) enables them all. `blocking` adds
    // `send_blocking` to every request builder; `serde-both` the serde impls the client does
    // not need itself (`Serialize` of response types, `Deserialize` of request types).
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
        vec!["client-runtime/blocking".to_owned()],
    );
    features.insert(
        super::serde_impls::SERDE_BOTH_FEATURE.to_owned(),
        Vec::new(),
    );
    let mut dependencies = BTreeMap::new();
    dependencies.insert(
        "client-runtime",
        Dependency::Detailed {
            version: None,
            path: Some(settings.runtime_path.clone()),
            default_features: None,
            features: Vec::new(),
        },
    );
    dependencies.insert(
        "chrono",
        Dependency::Detailed {
            version: Some("0.4"),
            path: None,
            default_features: Some(false),
            features: vec!["serde", "std"],
        },
    );
    // Serde impls are written out by the generator (see `serde_impls`): no derive macro.
    dependencies.insert("serde", Dependency::Version("1"));
    dependencies.insert("serde_json", Dependency::Version("1"));
    let manifest = Manifest {
        package: Package {
            name: &settings.crate_name,
            version: &settings.crate_version,
            edition: "2021",
            rust_version: "1.85",
            description: format!("Generated client for the {title}."),
            license: "MIT OR Apache-2.0",
        },
        features,
        dependencies,
    };
    toml::to_string(&manifest).map_err(|error| format!("cannot write Cargo.toml: {error}"))
}
