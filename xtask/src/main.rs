//! `cargo xtask`: regenerate the client, check that it is up to date, compare the spec with
//! its sources. A command-line front of `codegen`, `project-support` and the `xtask` library.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use project_support::freshness::{self, Artefact, Mode};
use project_support::{coverage, reference};

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
  cargo xtask check                                           fail if generated/ or a generated test file
                                                              (decoder table, conformance calls) is stale
  cargo xtask coverage [--docs PATH] [--spec PATH] [--freshworks PATH]
                                                              list operations of the documentation and of
                                                              Freshworks' description the spec lacks
  cargo xtask changelog [--since REV] [--spec PATH]           list public API changes since a git revision
  cargo xtask bundle --out FILE                               write the merged spec as one JSON file
  cargo xtask msrv                                            fail if a dependency needs a newer Rust than declared
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

/// Another spec's crate, for `generate --spec PATH --out DIR --name CRATE`.
struct Target {
    spec: PathBuf,
    out: PathBuf,
    name: String,
    /// Whether a warning fails generation.
    strict: bool,
}

/// The target named by `args`; `None` for the checked-in client (no arguments).
fn parse_target(args: &[String]) -> Result<Option<Target>, String> {
    if args.is_empty() {
        return Ok(None);
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
    Ok(Some(Target {
        spec,
        out,
        name,
        strict,
    }))
}

/// The crate of `target`, printing its warnings unless they fail it.
fn render(target: &Target) -> Result<Artefact, String> {
    let command = format!(
        "cargo xtask generate --spec {} --out <DIR> --name {}",
        target.spec.display(),
        target.name
    );
    let settings =
        project_support::settings(&target.spec, &target.out, &target.name, command.clone());
    let generated = codegen::generate(&target.spec, &settings)
        .map_err(|diagnostics| diagnostics.to_string())?;
    let generated = if target.strict {
        generated
            .strict()
            .map_err(|errors| format!("{errors}\n(strict: warnings are errors)"))?
    } else {
        if !generated.warnings.is_empty() {
            eprintln!("{}", generated.warnings);
        }
        generated
    };
    Ok(Artefact::directory(
        target.out.clone(),
        generated.files,
        &command,
    ))
}

/// Writes what differs of the checked-in client and the test files generated with it, or of
/// another spec's crate.
fn generate(args: &[String]) -> Result<(), String> {
    let artefacts = match parse_target(args)? {
        Some(target) => vec![render(&target)?],
        None => freshness::client_artefacts()?,
    };
    for artefact in &artefacts {
        let report = freshness::ensure(artefact, Mode::Write)?;
        for change in report.made() {
            println!("{}", change.within(&artefact.dir));
        }
        for path in &report.kept {
            let path = freshness::shown(&artefact.dir.join(path));
            println!("kept (not generated): {}", path.display());
        }
        println!(
            "{}: {}, {} changed",
            artefact.location().display(),
            file_count(artefact),
            report.made().count()
        );
    }
    Ok(())
}

/// `1 file` or `N files`.
fn file_count(artefact: &Artefact) -> String {
    match artefact.files.len() {
        1 => "1 file".to_owned(),
        n => format!("{n} files"),
    }
}

/// Fails, naming each stale file, unless every artefact of the checked-in client is fresh.
fn check() -> Result<(), String> {
    let mut problems = Vec::new();
    for artefact in freshness::client_artefacts()? {
        match freshness::ensure(&artefact, Mode::Check) {
            Ok(_) => println!(
                "{} is up to date ({})",
                artefact.location().display(),
                file_count(&artefact)
            ),
            Err(drift) => problems.push(drift),
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
        .map_or_else(project_support::default_docs, PathBuf::from);
    let spec = flags
        .remove("--spec")
        .map_or_else(project_support::default_spec, PathBuf::from);
    let freshworks = flags.remove("--freshworks").map_or_else(
        || reference::path(reference::FRESHWORKS_SPEC),
        PathBuf::from,
    );
    let report = coverage::run(&docs, &spec)?;
    println!("documentation ({}):", docs.display());
    println!("{report}");
    let mut failed = !report.is_complete();
    println!("\nFreshworks' description ({}):", freshworks.display());
    if freshworks.exists() {
        let other = coverage::run_freshworks(&freshworks, &spec)?;
        println!("{other}");
        let minimum = coverage::FRESHWORKS_MINIMUM;
        if !other.meets(minimum) {
            eprintln!(
                "Freshworks' description: {} covered, below the minimum of {minimum}",
                other.covered
            );
            failed = true;
        }
    } else {
        let message = reference::missing(&freshworks, "coverage of Freshworks' description");
        if reference::required() {
            return Err(format!(
                "{} is set, so this may not skip: {message}",
                reference::REQUIRE_VARIABLE
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
        .map_or_else(project_support::default_spec, PathBuf::from);
    let diff = xtask::changelog::since(&since, &spec)?;
    let root = project_support::workspace_root();
    let absolute = project_support::absolute(&spec);
    let shown = absolute.strip_prefix(&root).unwrap_or(&absolute);
    println!(
        "public API of the client: {since} → working tree ({})\n",
        shown.display()
    );
    print!(
        "{}",
        xtask::changelog::render::render(&diff, project_support::CLIENT_VERSION)
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
    let spec = project_support::default_spec();
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
