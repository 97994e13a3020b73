//! Shared pieces of the fuzz targets: the pipeline under test and the fixture specs that
//! mutations start from.

pub mod mutate;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

/// Runs load → lower → naming → emit on `text`. Diagnostics are fine; a panic, a hang or
/// unbounded memory is the bug the fuzzer looks for.
pub fn run(text: &str) {
    let Ok(document) = codegen::load::load_str(text, Path::new("fuzz.yaml")) else {
        return;
    };
    let Ok(api) = codegen::build_ir(&document) else {
        return;
    };
    let settings = codegen::Settings {
        crate_name: "fuzzed".to_owned(),
        crate_version: "0.1.0".to_owned(),
        runtime_path: "../runtime".to_owned(),
        command: "cargo fuzz".to_owned(),
        source: "fuzz.yaml".to_owned(),
        package: codegen::PackageMeta::default(),
    };
    let _ = codegen::emit::emit(&api, &settings);
}

/// The specs in `tests/fixtures` (valid and invalid ones that parse as YAML), as JSON.
pub fn seeds() -> &'static [Value] {
    static SEEDS: OnceLock<Vec<Value>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut files: Vec<PathBuf> = [root.clone(), root.join("invalid")]
            .iter()
            .filter_map(|dir| std::fs::read_dir(dir).ok())
            .flat_map(|entries| entries.flatten().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        files
            .iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .filter_map(|text| serde_yaml::from_str::<Value>(&text).ok())
            .collect()
    })
}
