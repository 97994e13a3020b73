//! A bounded fuzz run that CI executes: the fixture specs, mutated (deleted keys, swapped
//! types, `$ref` cycles, deep nesting, odd names, OpenAPI 3.1 forms) and garbled as text, go
//! through load → lower → naming → emit. The generator must answer every one with files or
//! diagnostics: no panic, no hang, and output that stays proportionate to the input (the
//! symptom of unbounded memory, such as an exponential expansion).
//!
//! The mutations are those of the cargo-fuzz targets in `fuzz/` (`fuzz/src/mutate.rs`, included
//! here by path), driven by a seeded generator so every case is reproducible:
//! `FUZZ_SMOKE_SEED` (first seed, default 0) and `FUZZ_SMOKE_CASES` (how many) pick the cases.
//! A stack overflow aborts the process; rerun with `-- --nocapture` to see the last case
//! started.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

#[path = "../../fuzz/src/mutate.rs"]
mod mutate;

use mutate::{ByteChoices, Choices, SplitMix};

/// Cases CI runs (a few seconds in a debug build).
const DEFAULT_CASES: u64 = 300;

/// How long one case may take before it counts as a hang. Cases take milliseconds; this
/// only catches a generator that never finishes, on however slow a machine.
const HANG: Duration = Duration::from_secs(120);

/// Output may be this many times larger than the input (plus [`OUTPUT_SLACK`]) before it
/// counts as runaway growth. Generated Rust is verbose, but linear in the spec.
const OUTPUT_RATIO: usize = 200;
const OUTPUT_SLACK: usize = 1 << 20;

/// YAML's significant characters, for garbling text.
const YAML_NOISE: &[u8] = b":-[]{}&*!|>'\"%@`#?,\n ";

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not `{text}`")),
        Err(_) => default,
    }
}

/// Every fixture file (valid and invalid), sorted.
fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<PathBuf> = [root.clone(), root.join("invalid")]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).expect("fixture directory"))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures");
    files
}

/// The pipeline: the number of bytes emitted, or zero when the spec had diagnostics.
fn generate(text: &str) -> usize {
    let Ok(document) = codegen::load::load_str(text, Path::new("fuzz.yaml")) else {
        return 0;
    };
    let Ok(api) = codegen::build_ir(&document) else {
        return 0;
    };
    let settings = codegen::Settings {
        crate_name: "fuzzed".to_owned(),
        crate_version: "0.1.0".to_owned(),
        runtime_path: "../runtime".to_owned(),
        command: "cargo test".to_owned(),
        source: "fuzz.yaml".to_owned(),
        package: codegen::PackageMeta::default(),
    };
    codegen::emit::emit(&api, &settings)
        .map(|files| files.values().map(String::len).sum())
        .unwrap_or(0)
}

/// Garbles spec text: truncates it, drops or repeats a line, or inserts YAML noise.
fn garble(text: &str, choices: &mut SplitMix) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + choices.below(4) {
        let at = choices.below(bytes.len() + 1);
        match choices.below(4) {
            0 => bytes.truncate(at),
            1 => {
                let end = bytes[at..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(bytes.len(), |p| at + p + 1);
                bytes.drain(at..end);
            }
            2 => {
                let start = bytes[..at]
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |p| p + 1);
                let end = bytes[at..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(bytes.len(), |p| at + p + 1);
                let line = bytes[start..end].to_vec();
                bytes.splice(start..start, line);
            }
            _ => bytes.insert(at, YAML_NOISE[choices.below(YAML_NOISE.len())]),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The input of case `seed`: garbled fixture text, or a mutated fixture spec (as JSON text)
/// whose mutations are chosen either by the seeded generator or, as the `mutated_spec`
/// fuzz target does, from a string of (here random) bytes.
fn case(seed: u64, texts: &[String], specs: &[Value]) -> String {
    let mut choices = SplitMix(seed);
    let mut spec = specs[choices.below(specs.len())].clone();
    match choices.below(5) {
        0 => return garble(&texts[choices.below(texts.len())], &mut choices),
        1 => {
            let bytes: Vec<u8> = (0..64).map(|_| choices.next_u64() as u8).collect();
            let mut from_bytes = ByteChoices(&bytes);
            let count = 1 + from_bytes.below(6);
            mutate::mutate(&mut spec, &mut from_bytes, count);
        }
        _ => {
            let count = 1 + choices.below(5);
            mutate::mutate(&mut spec, &mut choices, count);
        }
    }
    serde_json::to_string(&spec).expect("JSON values serialize")
}

/// Writes a failing input under the target directory, for replaying it.
fn save_failure(seed: u64, input: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-smoke-failures");
    let path = dir.join(format!("seed-{seed}.yaml"));
    std::fs::create_dir_all(&dir).expect("create the failure directory");
    std::fs::write(&path, input).expect("write the failing input");
    path
}

/// The message of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

#[test]
fn mutated_specs_never_panic_hang_or_explode() {
    let texts: Vec<String> = fixture_files()
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("readable fixture"))
        .collect();
    // The fixtures that load (the invalid ones that fail later included), as JSON.
    let specs: Vec<Value> = texts
        .iter()
        .filter_map(|text| codegen::load::load_str(text, Path::new("seed.yaml")).ok())
        .map(|document| document.json)
        .collect();
    assert!(specs.len() > 10, "most fixtures load");

    let first = env_number("FUZZ_SMOKE_SEED", 0);
    let cases = env_number("FUZZ_SMOKE_CASES", DEFAULT_CASES);
    let mut failures = Vec::new();
    for seed in first..first.saturating_add(cases) {
        let input = case(seed, &texts, &specs);
        println!("case {seed}");
        let (sender, receiver) = mpsc::channel();
        let worker_input = input.clone();
        // A thread per case: a hang is noticed, and the stack is the default one of tests.
        std::thread::spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| generate(&worker_input)));
            // The receiver is gone only after a timeout, which is reported already.
            let _ = sender.send(outcome);
        });
        let problem = match receiver.recv_timeout(HANG) {
            Err(_) => Some(format!("no answer within {HANG:?} (a hang?)")),
            Ok(Err(payload)) => Some(format!(
                "the generator panicked: {}",
                panic_message(payload.as_ref())
            )),
            Ok(Ok(emitted)) if emitted > OUTPUT_RATIO * input.len() + OUTPUT_SLACK => Some(
                format!("{emitted} bytes emitted for {} bytes of input", input.len()),
            ),
            Ok(Ok(_)) => None,
        };
        if let Some(problem) = problem {
            let saved = save_failure(seed, &input);
            failures.push(format!(
                "seed {seed}: {problem} (input: {})",
                saved.display()
            ));
            if failures.len() == 5 {
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "fuzz cases failed (rerun one with FUZZ_SMOKE_SEED=<seed> FUZZ_SMOKE_CASES=1):\n{}",
        failures.join("\n")
    );
}
