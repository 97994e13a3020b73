//! `cargo xtask msrv`: the declared `rust-version` of the published crates is no older than
//! what their locked dependencies declare.
//!
//! Only one toolchain can be installed here, so the oldest supported Rust cannot be built
//! with directly. Two checks stand in for it: clippy's `incompatible_msrv` lint (part of the
//! `-D warnings` lint run) rejects standard-library items newer than `rust-version` in our own
//! code, and this task rejects a locked dependency that needs a newer compiler than we
//! declare. With a toolchain manager at hand, `cargo +<rust-version> check -p freshservice`
//! is the direct proof.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

/// The crates users depend on.
pub const PUBLISHED: [&str; 2] = ["openapi-client-runtime", project_support::CLIENT_NAME];

/// What the dependency graph of the published crates asks of the compiler.
#[derive(Debug, PartialEq, Eq)]
pub struct Report {
    /// Each published crate's declared `rust-version`.
    pub declared: BTreeMap<String, Version>,
    /// The newest `rust-version` a dependency declares, and which dependencies declare it.
    pub needed: Option<(Version, Vec<String>)>,
    /// How many dependencies (normal, build; not dev) the published crates pull in.
    pub dependencies: usize,
}

/// A Rust version, `major.minor[.patch]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// Reads `1.85` or `1.85.1`.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.').map(str::parse::<u64>);
        let major = parts.next()?.ok()?;
        let minor = parts.next().unwrap_or(Ok(0)).ok()?;
        let patch = parts.next().unwrap_or(Ok(0)).ok()?;
        parts
            .next()
            .is_none()
            .then_some(Version(major, minor, patch))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1)?;
        if self.2 != 0 {
            write!(f, ".{}", self.2)?;
        }
        Ok(())
    }
}

impl Report {
    /// The problems: a published crate without `rust-version`, crates that disagree, or a
    /// dependency that needs a newer compiler than declared.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for name in PUBLISHED {
            if !self.declared.contains_key(name) {
                problems.push(format!("{name} declares no rust-version"));
            }
        }
        let versions: BTreeSet<Version> = self.declared.values().copied().collect();
        if versions.len() > 1 {
            problems.push(format!(
                "the published crates declare different rust-versions: {}",
                self.declared_list()
            ));
        }
        if let (Some(oldest), Some((needed, who))) = (versions.first(), &self.needed) {
            if needed > oldest {
                problems.push(format!(
                    "declared rust-version {oldest}, but {} need{} {needed}: raise rust-version or pin older versions in Cargo.lock",
                    who.join(", "),
                    if who.len() == 1 { "s" } else { "" }
                ));
            }
        }
        problems
    }

    fn declared_list(&self) -> String {
        self.declared
            .iter()
            .map(|(name, version)| format!("{name} {version}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "declared: {}", self.declared_list())?;
        match &self.needed {
            Some((version, who)) => writeln!(
                f,
                "the newest rust-version among {} locked dependencies: {version} ({})",
                self.dependencies,
                who.join(", ")
            )?,
            None => writeln!(
                f,
                "none of {} locked dependencies declares a rust-version",
                self.dependencies
            )?,
        }
        let problems = self.problems();
        if problems.is_empty() {
            write!(f, "ok")
        } else {
            write!(f, "{}", problems.join("\n"))
        }
    }
}

/// Reads `cargo metadata --locked` of the workspace and reports.
pub fn run() -> Result<Report, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
        ])
        .arg(project_support::workspace_root().join("Cargo.toml"))
        .output()
        .map_err(|error| format!("cannot run cargo metadata: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("cargo metadata printed no JSON: {error}"))?;
    report(&metadata)
}

/// The report for the output of `cargo metadata --format-version 1`.
pub fn report(metadata: &Value) -> Result<Report, String> {
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .ok_or("cargo metadata has no packages")?
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .ok_or("cargo metadata has no resolve graph")?
        .iter()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let rust_version = |id: &str| {
        packages
            .get(id)
            .and_then(|p| p["rust_version"].as_str())
            .and_then(Version::parse)
    };
    let mut declared = BTreeMap::new();
    let mut roots = Vec::new();
    for (id, package) in &packages {
        let name = package["name"].as_str().unwrap_or_default();
        if PUBLISHED.contains(&name) && package["source"].is_null() {
            roots.push(*id);
            if let Some(version) = rust_version(id) {
                declared.insert(name.to_owned(), version);
            }
        }
    }
    // Everything reachable through normal and build dependencies (dev ones are not built
    // by users); the published crates themselves are not dependencies.
    let mut seen = BTreeSet::new();
    let mut pending = roots.clone();
    while let Some(id) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        let deps = nodes.get(id).and_then(|n| n["deps"].as_array());
        for dep in deps.into_iter().flatten() {
            let used = dep["dep_kinds"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k["kind"].as_str() != Some("dev")));
            if let (true, Some(target)) = (used, dep["pkg"].as_str()) {
                pending.push(target);
            }
        }
    }
    for root in &roots {
        seen.remove(root);
    }
    let mut needed: Option<(Version, Vec<String>)> = None;
    for id in &seen {
        let Some(version) = rust_version(id) else {
            continue;
        };
        let name = packages[id]["name"].as_str().unwrap_or(id).to_owned();
        match &mut needed {
            Some((newest, who)) if version == *newest => who.push(name),
            Some((newest, _)) if version < *newest => {}
            _ => needed = Some((version, vec![name])),
        }
    }
    if let Some((_, who)) = &mut needed {
        who.sort();
        who.dedup();
    }
    Ok(Report {
        declared,
        needed,
        dependencies: seen.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn package(id: &str, name: &str, rust: Option<&str>, local: bool) -> Value {
        json!({
            "id": id, "name": name, "rust_version": rust,
            "source": if local { Value::Null } else { json!("registry+crates.io") }
        })
    }

    fn dep(pkg: &str, kind: Option<&str>) -> Value {
        json!({"pkg": pkg, "dep_kinds": [{"kind": kind}]})
    }

    fn metadata(dep_rust: &str) -> Value {
        json!({
            "packages": [
                package("rt", "openapi-client-runtime", Some("1.85"), true),
                package("fs", "freshservice", Some("1.85"), true),
                package("url", "url", Some(dep_rust), false),
                package("old", "serde", Some("1.60"), false),
                package("mock", "wiremock", Some("1.99"), false),
            ],
            "resolve": {"nodes": [
                {"id": "fs", "deps": [dep("rt", None), dep("old", None)]},
                {"id": "rt", "deps": [dep("url", None), dep("mock", Some("dev"))]},
                {"id": "url", "deps": []}, {"id": "old", "deps": []}, {"id": "mock", "deps": []},
            ]}
        })
    }

    #[test]
    fn a_dependency_newer_than_declared_is_a_problem() {
        let report = report(&metadata("1.88")).unwrap();
        assert_eq!(
            report.needed,
            Some((Version(1, 88, 0), vec!["url".to_owned()]))
        );
        assert_eq!(report.dependencies, 2, "dev dependencies are not counted");
        let problems = report.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("url needs 1.88"), "{problems:?}");
    }

    #[test]
    fn dependencies_within_the_declared_version_pass() {
        let report = report(&metadata("1.85")).unwrap();
        assert!(report.problems().is_empty(), "{report}");
        assert!(report.to_string().ends_with("ok"));
    }

    #[test]
    fn versions_parse_and_order() {
        assert_eq!(Version::parse("1.85"), Some(Version(1, 85, 0)));
        assert_eq!(Version::parse("1.85.1"), Some(Version(1, 85, 1)));
        assert_eq!(Version::parse("one"), None);
        assert!(Version(1, 88, 0) > Version(1, 85, 1));
        assert_eq!(Version(1, 88, 0).to_string(), "1.88");
    }

    #[test]
    fn the_generator_declares_the_workspace_rust_version() {
        let workspace: toml::Table = toml::from_str(include_str!("../../Cargo.toml")).unwrap();
        let declared = workspace["workspace"]["package"]["rust-version"].as_str();
        assert_eq!(declared, Some(codegen::emit::RUST_VERSION));
    }
}
