//! `cargo xtask`: regenerate the client, check that it is up to date.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use xtask::sync::{self, Change};

mod bench;

/// Generation allocates and frees millions of small token and syntax-tree nodes; mimalloc
/// does that in about 40% less time than the system allocator (see `cargo xtask bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage:
  cargo xtask generate [--spec PATH --out DIR --name CRATE [--strict]]
                                                              regenerate a client crate; --strict fails
                                                              on warnings (always for the Freshservice client,
                                                              whose generated test files are rewritten too)
  cargo xtask check                                           fail if generated/ or a generated test file is stale
  cargo xtask coverage [--docs PATH] [--spec PATH] [--freshworks PATH]
                                                              list operations of the documentation and of
                                                              Freshworks' description the spec lacks
  cargo xtask changelog [--since REV] [--spec PATH]           list public API changes since a git revision
  cargo xtask bundle --out FILE                               write the merged spec as one JSON file
  cargo xtask msrv                                            fail if a dependency needs a newer Rust than declared
  cargo xtask sample-decoders                                 rewrite the decoder table of the doc sample tests
  cargo xtask conformance-calls                               rewrite the calls of the mock-server conformance test
  cargo xtask bench [--runs N] [--compile-runs N] [--target-dir DIR] [--spec FILE]
                                                              time generation and compiling the client, or the
                                                              crate of another description (release)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("check") if args.len() == 1 => check(),
        Some("coverage") => coverage(&args[1..]),
        Some("changelog") => changelog(&args[1..]),
        Some("bundle") => bundle(&args[1..]),
        Some("msrv") if args.len() == 1 => msrv(),
        Some("sample-decoders") if args.len() == 1 => sample_decoders(),
        Some("conformance-calls") if args.len() == 1 => conformance_calls(),
        Some("bench") => bench::run(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// The target of a `generate` run.
struct Target {
    spec: PathBuf,
    out: PathBuf,
    name: String,
    command: String,
    /// The checked-in client, generated with its package metadata.
    is_client: bool,
    /// Whether a warning fails generation (always for the checked-in client).
    strict: bool,
}

fn parse_target(args: &[String]) -> Result<Target, String> {
    if args.is_empty() {
        return Ok(Target {
            spec: xtask::default_spec(),
            out: xtask::default_out(),
            name: xtask::CLIENT_NAME.to_owned(),
            command: "cargo xtask generate".to_owned(),
            is_client: true,
            strict: true,
        });
    }
    let strict = args.iter().any(|arg| arg == "--strict");
    let args: Vec<String> = args
        .iter()
        .filter(|arg| *arg != "--strict")
        .cloned()
        .collect();
    let mut flags = parse_flags(&args, &["--spec", "--out", "--name"])?;
    let spec = flags.remove("--spec").map(PathBuf::from);
    let out = flags.remove("--out").map(PathBuf::from);
    let name = flags.remove("--name");
    let (Some(spec), Some(out), Some(name)) = (spec, out, name) else {
        return Err(format!("--spec, --out and --name go together\n{USAGE}"));
    };
    let command = format!(
        "cargo xtask generate --spec {} --out <DIR> --name {name}",
        spec.display()
    );
    Ok(Target {
        spec,
        out,
        name,
        command,
        is_client: false,
        strict,
    })
}

fn render(target: &Target) -> Result<codegen::Generated, String> {
    let settings = if target.is_client {
        xtask::client_settings(&target.command)
    } else {
        xtask::settings(
            &target.spec,
            &target.out,
            &target.name,
            target.command.clone(),
        )
    };
    let generated = codegen::generate(&target.spec, &settings)
        .map_err(|diagnostics| diagnostics.to_string())?;
    if target.strict {
        return generated
            .strict()
            .map_err(|errors| format!("{errors}\n(strict: warnings are errors)"));
    }
    if !generated.warnings.is_empty() {
        eprintln!("{}", generated.warnings);
    }
    Ok(generated)
}

fn generate(args: &[String]) -> Result<(), String> {
    let target = parse_target(args)?;
    let generated = render(&target)?;
    let changes = sync::diff(&target.out, &generated.files).map_err(|e| e.to_string())?;
    let kept = sync::apply(&target.out, &generated.files, &changes).map_err(|e| e.to_string())?;
    for change in &changes {
        if !matches!(change, Change::Extra(path) if kept.contains(path)) {
            println!("{change}");
        }
    }
    for path in &kept {
        println!("kept (not generated): {}", path.display());
    }
    println!(
        "{}: {} files, {} changed",
        target.out.display(),
        generated.files.len(),
        changes.len() - kept.len()
    );
    if target.is_client {
        // The test files generated from the client's IR follow it in the same run.
        sample_decoders()?;
        conformance_calls()?;
    }
    Ok(())
}

fn check() -> Result<(), String> {
    let target = parse_target(&[])?;
    let generated = render(&target)?;
    let changes = sync::diff(&target.out, &generated.files).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    if changes.is_empty() {
        println!(
            "{} is up to date ({} files)",
            target.out.display(),
            generated.files.len()
        );
    } else {
        let list: Vec<String> = changes.iter().map(ToString::to_string).collect();
        problems.push(format!(
            "{} is not what the generator makes from {}:\n{}\nrun `cargo xtask generate` and commit the result",
            target.out.display(),
            target.spec.display(),
            list.join("\n")
        ));
    }
    // The test sources generated from the same spec.
    let artefacts = [
        (
            xtask::conformance::default_path(),
            xtask::conformance::render_default()?,
            xtask::conformance::COMMAND,
        ),
        (
            xtask::samples::decoders::default_path(),
            xtask::samples::decoders::render_default()?,
            xtask::samples::decoders::COMMAND,
        ),
    ];
    for (path, expected, command) in artefacts {
        if std::fs::read_to_string(&path).ok().as_deref() == Some(expected.as_str()) {
            println!("{} is up to date", path.display());
        } else {
            problems.push(format!(
                "{} is stale or missing; run `{command}` and commit the result",
                path.display()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Prints every documented operation the spec lacks and `covered N/M` last; fails (with the
/// report already printed) unless everything is covered.
fn coverage(args: &[String]) -> Result<(), String> {
    let mut flags = parse_flags(args, &["--docs", "--spec", "--freshworks"])?;
    let docs = flags
        .remove("--docs")
        .map_or_else(xtask::default_docs, PathBuf::from);
    let spec = flags
        .remove("--spec")
        .map_or_else(xtask::default_spec, PathBuf::from);
    let freshworks = flags.remove("--freshworks").map_or_else(
        || xtask::reference::path(xtask::reference::FRESHWORKS_SPEC),
        PathBuf::from,
    );
    let report = xtask::coverage::run(&docs, &spec)?;
    println!("documentation ({}):", docs.display());
    println!("{report}");
    let mut failed = !report.is_complete();
    println!("\nFreshworks' description ({}):", freshworks.display());
    if freshworks.exists() {
        let other = xtask::coverage::run_freshworks(&freshworks, &spec)?;
        println!("{other}");
        let minimum = xtask::coverage::FRESHWORKS_MINIMUM;
        if !other.meets(minimum) {
            eprintln!(
                "Freshworks' description: {} covered, below the minimum of {minimum}",
                other.covered
            );
            failed = true;
        }
    } else {
        let message = xtask::reference::missing(&freshworks, "coverage of Freshworks' description");
        if xtask::reference::required() {
            return Err(format!(
                "{} is set, so this may not skip: {message}",
                xtask::reference::REQUIRE_VARIABLE
            ));
        }
        println!("skipped: {message}");
    }
    if failed {
        Err(String::new())
    } else {
        Ok(())
    }
}

/// Prints what the published crates' dependencies ask of the compiler; fails on a problem.
fn msrv() -> Result<(), String> {
    let report = xtask::msrv::run()?;
    println!("{report}");
    if report.problems().is_empty() {
        Ok(())
    } else {
        Err(String::new())
    }
}

/// Prints the changes to the client's public API from the spec at a git revision (default
/// `HEAD`) to the working tree's, and the semver bump they need. Changes are not an error.
fn changelog(args: &[String]) -> Result<(), String> {
    let mut flags = parse_flags(args, &["--since", "--spec"])?;
    let since = flags.remove("--since").unwrap_or_else(|| "HEAD".to_owned());
    let spec = flags
        .remove("--spec")
        .map_or_else(xtask::default_spec, PathBuf::from);
    let diff = xtask::changelog::since(&since, &spec)?;
    let root = xtask::workspace_root();
    let absolute = xtask::absolute(&spec);
    let shown = absolute.strip_prefix(&root).unwrap_or(&absolute);
    println!(
        "public API of the client: {since} → working tree ({})\n",
        shown.display()
    );
    print!(
        "{}",
        xtask::changelog::render::render(&diff, xtask::CLIENT_VERSION)
    );
    Ok(())
}

/// Writes the merged spec (root and fragments) as one JSON document, for external tools.
fn bundle(args: &[String]) -> Result<(), String> {
    let out = parse_flags(args, &["--out"])?
        .remove("--out")
        .map(PathBuf::from)
        .ok_or_else(|| format!("bundle needs --out FILE\n{USAGE}"))?;
    let out = out.as_path();
    let spec = xtask::default_spec();
    let document = codegen::load::load(&spec).map_err(|diagnostics| diagnostics.to_string())?;
    let mut json = document.json;
    if let Some(root) = json.as_object_mut() {
        root.remove("x-fragment-dir");
    }
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    std::fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("{}: the merged spec", out.display());
    Ok(())
}

/// Writes the decoder table of the documentation-sample tests when its content changed.
fn sample_decoders() -> Result<(), String> {
    let path = xtask::samples::decoders::default_path();
    write_if_changed(&path, &xtask::samples::decoders::render_default()?)
}

/// Writes the calls of the mock-server conformance test when their content changed.
fn conformance_calls() -> Result<(), String> {
    let path = xtask::conformance::default_path();
    write_if_changed(&path, &xtask::conformance::render_default()?)
}

/// Writes `text` to `path` unless the file already holds it.
fn write_if_changed(path: &std::path::Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        println!("{} is up to date", path.display());
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Reads `--flag value` pairs, accepting only the flags in `known`.
fn parse_flags(args: &[String], known: &[&str]) -> Result<BTreeMap<String, String>, String> {
    let mut flags = BTreeMap::new();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        if !known.contains(&flag.as_str()) {
            return Err(format!("unknown option {flag}\n{USAGE}"));
        }
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        flags.insert(flag.clone(), value.clone());
    }
    Ok(flags)
}
