//! `cargo xtask bench`: how fast the generator runs on the Freshservice spec, and how fast the
//! generated crate compiles.
//!
//! Generation is timed stage by stage through codegen's pipeline entry, `codegen::run`, which
//! says as each stage ends: load, lower, naming and emit (which builds tokens and formats them).
//! Formatting alone is timed by re-tokenising every emitted `.rs` file and running
//! `format::rust_file` on it again (checked to give the same text back); emit without
//! formatting is the difference. Peak memory is the process's `VmHWM` (Linux).
//!
//! Compile time is measured on a copy of `generated/freshservice` in its own target
//! directory: dependencies are built once, then `lib.rs` is touched and the crate alone is
//! rebuilt with `cargo check` and `cargo build`, without incremental compilation (so each run
//! compiles the whole crate, as a dependent's clean build does). A run without the touch gives
//! cargo's own fixed cost, which is printed too.
//!
//! Timings need an optimised build: from a debug build the command re-runs itself through
//! `cargo run --release`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::time::{Duration, Instant, SystemTime};

use super::{parse_flags, USAGE};

/// Set in the environment of the release re-run, so that it never re-runs itself again.
const REINVOKED: &str = "XTASK_BENCH_RELEASE";

/// Target for generating and formatting the whole Freshservice spec.
const GENERATE_TARGET: Duration = Duration::from_millis(300);

/// Targets for a large description given with `--spec` (set for GitHub's, 767 operations):
/// generation time, peak memory and `cargo check` time per operation.
const OTHER_GENERATE_TARGET: Duration = Duration::from_secs(1);
const OTHER_PEAK_TARGET_MIB: f64 = 300.0;
const OTHER_CHECK_TARGET_PER_OPERATION: Duration = Duration::from_millis(10);

/// Target for `cargo check` of the generated crate, per operation.
const CHECK_TARGET_PER_OPERATION: Duration = Duration::from_millis(8);

/// The resource group whose feature alone is compiled, to compare with the whole crate.
const ONE_GROUP: &str = "tickets";

/// Target for compiling one group's feature alone, as a share of the whole crate's time.
const ONE_GROUP_TARGET_PERCENT: f64 = 25.0;

/// What to measure.
struct Options {
    runs: usize,
    compile_runs: usize,
    target_dir: PathBuf,
    /// Another description to measure instead of the Freshservice spec (`--spec`).
    spec: Option<PathBuf>,
}

/// The package name of the crate generated from a `--spec` description.
const OTHER_CRATE: &str = "bench-client";

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut flags = parse_flags(
        args,
        &["--runs", "--compile-runs", "--target-dir", "--spec"],
    )?;
    let count = |flag: &str, value: Option<String>, default: usize, min: usize| match value {
        None => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(format!(
                "{flag} needs a whole number ≥ {min}, not {text:?}\n{USAGE}"
            )),
        },
    };
    let runs = count("--runs", flags.remove("--runs"), 10, 1)?;
    let compile_runs = count("--compile-runs", flags.remove("--compile-runs"), 3, 0)?;
    let target_dir = flags.remove("--target-dir").map_or_else(
        || project_support::workspace_root().join("target/bench-compile"),
        |dir| project_support::absolute(Path::new(&dir)),
    );
    let spec = flags
        .remove("--spec")
        .map(|spec| project_support::absolute(Path::new(&spec)));
    Ok(Options {
        runs,
        compile_runs,
        target_dir,
        spec,
    })
}

/// Runs the benchmarks, from a release build.
pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse_options(args)?;
    if cfg!(debug_assertions) {
        if std::env::var_os(REINVOKED).is_none() {
            return rerun_in_release(args);
        }
        println!("warning: timings from a build with debug assertions");
    }
    println!("machine: {} cores", cores());
    let files = generation(&options)?;
    if options.compile_runs > 0 {
        compilation(&options, files)?;
    }
    Ok(())
}

/// `cargo run --release -p xtask -- bench ARGS`, with this process's exit status.
fn rerun_in_release(args: &[String]) -> Result<(), String> {
    let manifest = project_support::workspace_root().join("Cargo.toml");
    let status = Command::new(cargo())
        .args(["run", "--release", "--quiet", "--package", "xtask"])
        .arg("--manifest-path")
        .arg(&manifest)
        .args(["--", "bench"])
        .args(args)
        .env(REINVOKED, "1")
        .status()
        .map_err(|e| format!("cannot run cargo for the release build: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(String::new())
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// A point in time: the wall clock and, where the system tells, this thread's CPU time.
#[derive(Clone, Copy)]
struct Mark {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Mark {
    fn now() -> Self {
        Mark {
            wall: Instant::now(),
            cpu: thread_cpu_time(),
        }
    }

    /// The time from `earlier` to this mark.
    fn since(&self, earlier: &Mark) -> Span {
        Span {
            wall: self.wall - earlier.wall,
            cpu: self
                .cpu
                .zip(earlier.cpu)
                .map(|(now, then)| now.saturating_sub(then)),
        }
    }
}

/// A wall-clock duration and the CPU time spent in it (`None` where unknown).
#[derive(Clone, Copy)]
struct Span {
    wall: Duration,
    cpu: Option<Duration>,
}

impl std::ops::Add for Span {
    type Output = Span;

    fn add(self, other: Span) -> Span {
        Span {
            wall: self.wall + other.wall,
            cpu: self.cpu.zip(other.cpu).map(|(a, b)| a + b),
        }
    }
}

/// The time this thread has run on a CPU (Linux: `/proc/thread-self/schedstat`, in ns).
fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// The user and system CPU time of every child process waited for so far (Linux:
/// `/proc/self/stat`, in clock ticks of 1/100 s).
fn children_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = text
        .get(text.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 after `(comm)`.
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// One timed pipeline run, by stage.
#[derive(Clone, Copy)]
struct StageTimes {
    load: Span,
    lower: Span,
    naming: Span,
    emit_and_format: Span,
}

impl StageTimes {
    fn total(&self) -> Span {
        self.load + self.lower + self.naming + self.emit_and_format
    }
}

/// The settings the measured spec is generated with: the checked-in client's, or those of a
/// crate in the bench directory whose runtime dependency is an absolute path.
fn bench_settings(options: &Options) -> (PathBuf, codegen::Settings) {
    match &options.spec {
        None => (
            project_support::default_spec(),
            project_support::client_settings("cargo xtask generate"),
        ),
        Some(spec) => {
            let out = options.target_dir.join(OTHER_CRATE);
            let mut settings =
                project_support::settings(spec, &out, OTHER_CRATE, "cargo xtask bench".to_owned());
            let runtime =
                project_support::absolute(&project_support::workspace_root().join("runtime"));
            settings.runtime_path = runtime.display().to_string();
            (spec.clone(), settings)
        }
    }
}

/// Times generation; returns the files of the last run.
fn generation(options: &Options) -> Result<Files, String> {
    let (spec, settings) = bench_settings(options);
    let baseline_rss = memory_kib("VmRSS");

    let mut runs = Vec::with_capacity(options.runs);
    let mut last = None;
    for _ in 0..options.runs {
        let (times, api, files) = pipeline(&spec, &settings)?;
        runs.push(times);
        last = Some((api, files));
    }
    let peak = memory_kib("VmHWM");
    let Some((api, files)) = last else {
        return Err("no generation run".to_owned());
    };
    let format_times = format_only(&files, options.runs)?;

    let median_of = |stage: fn(&StageTimes) -> Span| median_span(runs.iter().map(stage).collect());
    let emit_and_format = median_of(|t| t.emit_and_format);
    let format = median_span(format_times);
    let total = median_of(StageTimes::total);
    let operations: usize = api.modules.iter().map(|m| m.operations.len()).sum();

    println!(
        "\ngeneration of {} ({} runs, median; release build)",
        relative(&spec),
        options.runs
    );
    println!("  {:<38} {:>9} {:>12}", "stage", "wall", "thread CPU");
    row(
        "load (YAML, merge, $refs, openapiv3)",
        median_of(|t| t.load),
    );
    row("lower", median_of(|t| t.lower));
    row("naming", median_of(|t| t.naming));
    row("emit + format (files on all cores)", emit_and_format);
    row("  format alone, all files on one thread", format);
    row("total", total);
    let generate_target = if options.spec.is_some() {
        OTHER_GENERATE_TARGET
    } else {
        GENERATE_TARGET
    };
    println!("  {}", verdict("total (wall)", total.wall, generate_target));
    if let Some(cpu) = total.cpu {
        println!("  {}", verdict("total (thread CPU)", cpu, generate_target));
    }

    let rust = files
        .keys()
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .count();
    let lines: usize = files.values().map(|text| text.lines().count()).sum();
    let bytes: usize = files.values().map(String::len).sum();
    println!(
        "output: {} files ({rust} Rust), {lines} lines, {bytes} bytes; {} modules, {operations} operations, {} types",
        files.len(),
        api.modules.len(),
        api.types.len(),
    );
    match (peak, baseline_rss) {
        (Some(peak), Some(base)) => {
            println!(
                "peak memory: {:.1} MiB resident (VmHWM), {:.1} MiB above the process at start",
                kib_to_mib(peak),
                kib_to_mib(peak.saturating_sub(base)),
            );
            if options.spec.is_some() {
                let met = if kib_to_mib(peak) <= OTHER_PEAK_TARGET_MIB {
                    "met"
                } else {
                    "NOT met"
                };
                println!("  target peak ≤ {OTHER_PEAK_TARGET_MIB:.0} MiB: {met}");
            }
        }
        _ => println!("peak memory: not available (reads /proc/self/status, Linux only)"),
    }
    if !api.warnings.is_empty() {
        let (_, warnings) = api.warnings.counts();
        println!("warnings: {warnings} (operations skipped or repaired; `cargo xtask generate --spec` lists them)");
    }
    Ok(files)
}

type Files = std::collections::BTreeMap<PathBuf, String>;

/// One timed run of load, lower, naming and emit (with format).
fn pipeline(
    spec: &Path,
    settings: &codegen::Settings,
) -> Result<(StageTimes, codegen::naming::Named, Files), String> {
    let start = Mark::now();
    let mut ends = [start; 4];
    let run = codegen::run(spec, settings, &mut |stage| {
        ends[stage as usize] = Mark::now()
    })
    .map_err(|d| d.to_string())?;
    let [loaded, lowered, named, emitted] = ends;
    let times = StageTimes {
        load: loaded.since(&start),
        lower: lowered.since(&loaded),
        naming: named.since(&lowered),
        emit_and_format: emitted.since(&named),
    };
    Ok((times, run.ir, run.generated.files))
}

/// Times `format::rust_file` over every emitted `.rs` file, from tokens re-parsed out of the
/// emitted text, `runs` times; fails if formatting does not give the emitted text back.
fn format_only(files: &Files, runs: usize) -> Result<Vec<Span>, String> {
    let mut inputs = Vec::new();
    for (path, text) in files {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let tokens = proc_macro2::TokenStream::from_str(text)
            .map_err(|e| format!("{}: emitted text does not tokenize: {e}", path.display()))?;
        inputs.push((path, header_of(text), tokens, text));
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let copies: Vec<_> = inputs.iter().map(|(_, _, t, _)| t.clone()).collect();
        let start = Mark::now();
        let mut outputs = Vec::with_capacity(copies.len());
        for ((_, header, _, _), tokens) in inputs.iter().zip(copies) {
            outputs.push(codegen::format::rust_file(header, tokens));
        }
        times.push(Mark::now().since(&start));
        for ((path, _, _, expected), output) in inputs.iter().zip(outputs) {
            let output = output.map_err(|e| format!("{}: {e}", path.display()))?;
            if &output != *expected {
                return Err(format!(
                    "{}: formatting the emitted file again changed it, so the format-only timing would be wrong",
                    path.display()
                ));
            }
        }
    }
    Ok(times)
}

/// The generated-file header of an emitted Rust file: its leading `// ` comment lines.
fn header_of(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map_while(|line| {
            if line == "//" {
                Some("")
            } else {
                line.strip_prefix("// ")
            }
        })
        .collect();
    lines.join("\n")
}

fn compilation(options: &Options, files: Files) -> Result<(), String> {
    let root = project_support::workspace_root();
    let dir = &options.target_dir;
    let target = dir.join("target");
    let (spec, _) = bench_settings(options);
    let (source, crate_dir) = match &options.spec {
        None => {
            let source = project_support::default_out();
            let crate_dir = dir.join("freshservice");
            copy_crate(&root, &source, &crate_dir)?;
            (source, crate_dir)
        }
        Some(_) => {
            let crate_dir = dir.join(OTHER_CRATE);
            write_generated(&root, &crate_dir, files)?;
            (crate_dir.clone(), crate_dir)
        }
    };
    let api = codegen::load::load(&spec)
        .and_then(|document| codegen::build_ir(&document))
        .map_err(|d| d.to_string())?;
    let operations: usize = api.modules.iter().map(|m| m.operations.len()).sum();

    println!(
        "\ncompile time of {} alone ({} runs, median; dependencies prebuilt in {})",
        relative(&source),
        options.compile_runs,
        target.display()
    );
    let lib = crate_dir.join("src/lib.rs");
    let one_group = api
        .modules
        .iter()
        .filter(|_| options.spec.is_none())
        .find(|module| module.name.rust == ONE_GROUP)
        .map(|module| module.name.rust.clone());
    for (command, label) in [("check", "cargo check"), ("build", "cargo build (dev)")] {
        let full = timed_runs(
            command,
            &crate_dir,
            &target,
            &lib,
            &[],
            options.compile_runs,
        )?;
        let (touched, fixed) = (median_span(full.touched.clone()), full.fixed);
        let count = u32::try_from(operations.max(1)).unwrap_or(u32::MAX);
        println!(
            "  {label:<18} {:>6.2} s wall (fastest {:.2} s), {:>5} s CPU = {:>5.2} ms wall per operation ({operations} operations); cargo with nothing to do: {:.2} s wall, {} s CPU",
            touched.wall.as_secs_f64(),
            fastest(&full.touched).as_secs_f64(),
            cpu_seconds(touched),
            millis(touched.wall / count),
            fixed.wall.as_secs_f64(),
            cpu_seconds(fixed),
        );
        let check_target = if options.spec.is_some() {
            OTHER_CHECK_TARGET_PER_OPERATION
        } else {
            CHECK_TARGET_PER_OPERATION
        };
        if command == "check" {
            let rustc = Span {
                wall: touched.wall.saturating_sub(fixed.wall),
                cpu: touched.cpu.zip(fixed.cpu).map(|(a, b)| a.saturating_sub(b)),
            };
            println!(
                "  {}",
                verdict(
                    "check per operation (wall)",
                    touched.wall / count,
                    check_target
                )
            );
            if let Some(cpu) = rustc.cpu {
                println!(
                    "  {}",
                    verdict(
                        "check per operation (CPU, less cargo's own)",
                        cpu / count,
                        check_target
                    )
                );
            }
        }
        if let Some(group) = &one_group {
            let features = ["--no-default-features", "--features", group.as_str()];
            let alone = timed_runs(
                command,
                &crate_dir,
                &target,
                &lib,
                &features,
                options.compile_runs,
            )?;
            let alone = median_span(alone.touched).wall;
            let percent =
                100.0 * alone.as_secs_f64() / touched.wall.as_secs_f64().max(f64::EPSILON);
            let met = if percent <= ONE_GROUP_TARGET_PERCENT {
                "met"
            } else {
                "NOT met"
            };
            println!(
                "    `{group}` feature alone {:>6.2} s wall = {percent:.0}% of the whole crate (target ≤ {ONE_GROUP_TARGET_PERCENT:.0}%: {met})",
                alone.as_secs_f64(),
            );
        }
    }
    Ok(())
}

/// The timings of `runs` compilations with `features`: each after touching `lib`, and each
/// with nothing to do (cargo's own time).
struct CompileRuns {
    touched: Vec<Span>,
    fixed: Span,
}

/// Builds the dependencies for `features` (with cargo's progress shown), then times `runs`
/// compilations of the crate alone.
fn timed_runs(
    command: &str,
    crate_dir: &Path,
    target: &Path,
    lib: &Path,
    features: &[&str],
    runs: usize,
) -> Result<CompileRuns, String> {
    cargo_status(command, crate_dir, target, features)?;
    let mut touched = Vec::with_capacity(runs);
    let mut untouched = Vec::with_capacity(runs);
    for _ in 0..runs {
        untouched.push(timed_cargo(command, crate_dir, target, features, None)?);
        touched.push(timed_cargo(
            command,
            crate_dir,
            target,
            features,
            Some(lib),
        )?);
    }
    Ok(CompileRuns {
        touched,
        fixed: median_span(untouched),
    })
}

/// The shortest wall time of `spans`.
fn fastest(spans: &[Span]) -> Duration {
    spans.iter().map(|span| span.wall).min().unwrap_or_default()
}

/// A span's CPU seconds, or `?` where the system does not tell.
fn cpu_seconds(span: Span) -> String {
    span.cpu
        .map_or("?".to_owned(), |d| format!("{:.2}", d.as_secs_f64()))
}

/// Copies the generated crate to `to` as a workspace of its own, with the workspace's lock
/// file and its runtime dependency pointing at the real `runtime/` crate.
/// Writes a crate generated from a `--spec` description into `to` (changed files only), as a
/// workspace of its own with this workspace's lock file.
fn write_generated(root: &Path, to: &Path, mut files: Files) -> Result<(), String> {
    let manifest = files
        .remove(Path::new("Cargo.toml"))
        .ok_or("the generated crate has no Cargo.toml")?;
    project_support::freshness::diff(to, &files)
        .and_then(|changes| {
            let changes: Vec<_> = changes
                .into_iter()
                .filter(|change| !matches!(change, project_support::freshness::Change::Extra(_)))
                .collect();
            project_support::freshness::apply(to, &files, &changes)
        })
        .map_err(|e| format!("cannot write {}: {e}", to.display()))?;
    write_if_changed(
        &to.join("Cargo.toml"),
        &format!("{manifest}\n[workspace]\n"),
    )?;
    write_if_changed(&to.join("Cargo.lock"), &read(&root.join("Cargo.lock"))?)
}

fn copy_crate(root: &Path, from: &Path, to: &Path) -> Result<(), String> {
    // The sources as `cargo xtask generate` would write them: changed files only, so a
    // second run does not rebuild what it need not.
    let (src, copy) = (from.join("src"), to.join("src"));
    let listed = project_support::freshness::list_files(&src)
        .map_err(|e| format!("cannot list {}: {e}", src.display()))?;
    let mut files = std::collections::BTreeMap::new();
    for relative in listed {
        let text = read(&src.join(&relative))?;
        files.insert(relative, text);
    }
    project_support::freshness::diff(&copy, &files)
        .and_then(|changes| project_support::freshness::apply(&copy, &files, &changes))
        .map_err(|e| format!("cannot copy {} to {}: {e}", src.display(), copy.display()))?;

    let manifest_path = from.join("Cargo.toml");
    let manifest = read(&manifest_path)?;
    let settings = project_support::settings(
        &project_support::default_spec(),
        from,
        project_support::CLIENT_NAME,
        String::new(),
    );
    let relative = format!("path = \"{}\"", settings.runtime_path);
    if manifest.matches(&relative).count() != 1 {
        return Err(format!(
            "{}: expected one `{relative}` line for the runtime dependency",
            manifest_path.display()
        ));
    }
    let runtime = project_support::absolute(&root.join("runtime"));
    let absolute = format!("path = {:?}", runtime.display().to_string());
    let manifest = format!("{}\n[workspace]\n", manifest.replace(&relative, &absolute));
    write_if_changed(&to.join("Cargo.toml"), &manifest)?;
    write_if_changed(&to.join("Cargo.lock"), &read(&root.join("Cargo.lock"))?)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Copies a file unless the copy is already identical (so cargo keeps what it built).
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Marks a file as modified now, so that cargo rebuilds its crate.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// A `cargo COMMAND` for the copied crate, without incremental compilation: with it, a
/// touched but unchanged crate would be recompiled from its cache, which is not what a
/// dependent crate's build pays.
fn cargo_command(command: &str, crate_dir: &Path, target: &Path, features: &[&str]) -> Command {
    let mut cargo = Command::new(cargo());
    cargo
        .env("CARGO_INCREMENTAL", "0")
        .arg(command)
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target)
        .args(features);
    cargo
}

/// Runs `cargo COMMAND` with its usual output.
fn cargo_status(
    command: &str,
    crate_dir: &Path,
    target: &Path,
    features: &[&str],
) -> Result<(), String> {
    let status = cargo_command(command, crate_dir, target, features)
        .status()
        .map_err(|e| format!("cannot run cargo {command}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo {command} of {} failed ({status})",
            crate_dir.display()
        ))
    }
}

/// Times `cargo COMMAND` (wall, and CPU of cargo and the compilers it ran) after touching
/// `touch_first`, if given. The run must rebuild exactly that crate (or nothing): a run that
/// rebuilt a dependency too (say, `runtime/` being edited meanwhile) is discarded and retried,
/// at most three times.
fn timed_cargo(
    command: &str,
    crate_dir: &Path,
    target: &Path,
    features: &[&str],
    touch_first: Option<&Path>,
) -> Result<Span, String> {
    // The crate's library target: its directory name, as a Rust identifier.
    let library = crate_dir
        .file_name()
        .map_or_else(String::new, |name| name.to_string_lossy().replace('-', "_"));
    let expected: Vec<&str> = if touch_first.is_some() {
        vec![library.as_str()]
    } else {
        Vec::new()
    };
    let mut rebuilt = Vec::new();
    for _ in 0..3 {
        if let Some(lib) = touch_first {
            touch(lib)?;
        }
        let mut cargo = cargo_command(command, crate_dir, target, features);
        cargo.args(["--quiet", "--message-format=json"]);
        let start = Instant::now();
        let cpu_before = children_cpu_time();
        let output = cargo
            .output()
            .map_err(|e| format!("cannot run cargo {command}: {e}"))?;
        let span = Span {
            wall: start.elapsed(),
            cpu: children_cpu_time()
                .zip(cpu_before)
                .map(|(after, before)| after.saturating_sub(before)),
        };
        if !output.status.success() {
            return Err(format!(
                "cargo {command} of {} failed ({}):\n{}",
                crate_dir.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        rebuilt = rebuilt_targets(&String::from_utf8_lossy(&output.stdout));
        if rebuilt == expected {
            return Ok(span);
        }
    }
    Err(format!(
        "cargo {command} of {} kept rebuilding {} (is a dependency being edited?)",
        crate_dir.display(),
        rebuilt.join(", ")
    ))
}

/// The targets that cargo's JSON messages report as compiled rather than fresh.
fn rebuilt_targets(messages: &str) -> Vec<String> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact" && message["fresh"] == false)
        .filter_map(|message| message["target"]["name"].as_str().map(str::to_owned))
        .collect()
}

/// A field of `/proc/self/status` in KiB (`VmHWM`: peak resident set), where there is one.
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    match times.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => times[n / 2],
        n => (times[n / 2 - 1] + times[n / 2]) / 2,
    }
}

/// The medians of the wall and CPU times, each on its own.
fn median_span(spans: Vec<Span>) -> Span {
    let cpu: Option<Vec<Duration>> = spans.iter().map(|s| s.cpu).collect();
    Span {
        wall: median(spans.iter().map(|s| s.wall).collect()),
        cpu: cpu.map(median),
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn kib_to_mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn row(label: &str, span: Span) {
    let cpu = span
        .cpu
        .map_or("?".to_owned(), |d| format!("{:.1} ms", millis(d)));
    println!("  {label:<38} {:>6.1} ms {cpu:>12}", millis(span.wall));
}

/// "met" or "not met", with the margin, for a measured value against its target.
fn verdict(what: &str, measured: Duration, target: Duration) -> String {
    let ratio = measured.as_secs_f64() / target.as_secs_f64();
    if measured <= target {
        format!(
            "target {what} ≤ {:.1} ms: met ({:.0}% of it)",
            millis(target),
            ratio * 100.0
        )
    } else {
        format!(
            "target {what} ≤ {:.1} ms: NOT met ({:.2}× the target)",
            millis(target),
            ratio
        )
    }
}

fn relative(path: &Path) -> String {
    let root = project_support::workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(median(vec![ms(3), ms(1), ms(2)]), ms(2));
        assert_eq!(
            median(vec![ms(4), ms(1), ms(2), ms(3)]),
            Duration::from_micros(2500)
        );
        assert_eq!(median(Vec::new()), Duration::ZERO);
    }

    #[test]
    fn header_is_the_leading_plain_comment_lines() {
        let text = "// @generated by x.\n//\n// Do not edit.\n\n//! Crate docs.\nfn f() {}\n";
        assert_eq!(header_of(text), "@generated by x.\n\nDo not edit.");
    }

    #[test]
    fn rebuilt_targets_are_the_artifacts_not_fresh() {
        let messages = r#"{"reason":"compiler-artifact","fresh":true,"target":{"name":"serde"}}
{"reason":"compiler-message","target":{"name":"freshservice"}}
{"reason":"compiler-artifact","fresh":false,"target":{"name":"freshservice"}}
{"reason":"build-finished","success":true}"#;
        assert_eq!(rebuilt_targets(messages), ["freshservice"]);
        assert!(rebuilt_targets("not json").is_empty());
    }

    #[test]
    fn options_reject_bad_counts() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(parse_options(&args(&["--runs", "0"])).is_err());
        assert!(parse_options(&args(&["--runs", "x"])).is_err());
        assert!(parse_options(&args(&["--compile-runs", "0"])).is_ok());
        assert!(parse_options(&args(&["--bogus", "1"])).is_err());
    }
}
