//! Generated artefacts, and the one path by which they are kept fresh.
//!
//! An [`Artefact`] is what the generator makes from the spec and what is checked in: the
//! client crate (`generated/freshservice`), the decoder table of the documentation-sample
//! tests (`tests/tests/doc_samples/decoders.rs`) and the calls of the conformance test
//! (`tests/tests/conformance/calls.rs`). [`client_artefacts`] renders all of them, and
//! [`ensure`] either writes one ([`Mode::Write`], `cargo xtask generate`) or reports how the
//! files on disk drift from it ([`Mode::Check`], `cargo xtask check` and
//! `tests/tests/freshness.rs`), naming each stale file and the command that regenerates it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::{client_settings, default_out, default_spec, workspace_root, CLIENT_NAME};

/// The command that regenerates every artefact, named in each file's header.
pub const COMMAND: &str = "cargo xtask generate";

/// Where the decoder table of the documentation-sample tests lives.
pub fn decoders_path() -> PathBuf {
    workspace_root().join("tests/tests/doc_samples/decoders.rs")
}

/// Where the calls of the mock-server conformance test live.
pub fn calls_path() -> PathBuf {
    workspace_root().join("tests/tests/conformance/calls.rs")
}

/// Files the generator makes, and where they belong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artefact {
    /// The directory the files are relative to.
    pub dir: PathBuf,
    /// Each file's contents, by path relative to [`Artefact::dir`].
    pub files: BTreeMap<PathBuf, String>,
    /// Whether the directory holds this artefact alone, so that a file in it the generator
    /// does not make is extra (a generated crate), rather than someone else's.
    pub owns_dir: bool,
    /// The command that regenerates it.
    pub command: String,
}

impl Artefact {
    /// A whole directory of generated files, such as a generated crate.
    pub fn directory(dir: PathBuf, files: BTreeMap<PathBuf, String>, command: &str) -> Self {
        Artefact {
            dir,
            files,
            owns_dir: true,
            command: command.to_owned(),
        }
    }

    /// One generated file at `path`, among files that are not generated.
    pub fn file(path: &Path, text: String, command: &str) -> Self {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = path.file_name().map(PathBuf::from).unwrap_or_default();
        Artefact {
            dir,
            files: BTreeMap::from([(name, text)]),
            owns_dir: false,
            command: command.to_owned(),
        }
    }

    /// Where it is, as messages show it: one file's path, or the directory's.
    pub fn location(&self) -> PathBuf {
        match self.files.keys().next() {
            Some(name) if !self.owns_dir && self.files.len() == 1 => shown(&self.dir.join(name)),
            _ => shown(&self.dir),
        }
    }
}

/// What [`ensure`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write what differs (and delete generated files no longer made).
    Write,
    /// Write nothing; any difference is an error.
    Check,
}

/// What [`ensure`] found, and in [`Mode::Write`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// How the files on disk differed from the artefact, by path relative to its directory.
    pub changes: Vec<Change>,
    /// Extra files left in place because they lack the generated header (written only).
    pub kept: Vec<PathBuf>,
}

impl Report {
    /// The changes that were made (or, when checking, would be): every change but the
    /// extra files that were kept.
    pub fn made(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|change| !matches!(change, Change::Extra(path) if self.kept.contains(path)))
    }
}

/// Brings `artefact` up to date on disk ([`Mode::Write`]), or fails when the files on disk
/// are not exactly it ([`Mode::Check`]), naming each stale, missing or extra file and the
/// command that regenerates it. Fails on a file that cannot be read or written, naming it.
pub fn ensure(artefact: &Artefact, mode: Mode) -> Result<Report, String> {
    let at = |error: std::io::Error| format!("{}: {error}", artefact.location().display());
    let mut changes = diff(&artefact.dir, &artefact.files).map_err(at)?;
    if !artefact.owns_dir {
        changes.retain(|change| !matches!(change, Change::Extra(_)));
    }
    match mode {
        Mode::Check if changes.is_empty() => Ok(Report::default()),
        Mode::Check => {
            let listed: Vec<String> = changes
                .iter()
                .map(|change| change.within(&artefact.dir).to_string())
                .collect();
            Err(format!(
                "{} is not what the generator makes today:\n{}\nrun `{}` and commit the result",
                artefact.location().display(),
                listed.join("\n"),
                artefact.command
            ))
        }
        Mode::Write => {
            let kept = apply(&artefact.dir, &artefact.files, &changes).map_err(at)?;
            Ok(Report { changes, kept })
        }
    }
}

/// Every artefact generated from the checked-in spec, generated strictly (a warning is an
/// error): the client crate, the decoder table of the documentation-sample tests and the
/// calls of the conformance test.
pub fn client_artefacts() -> Result<Vec<Artefact>, String> {
    let spec = default_spec();
    let document = codegen::load::load(&spec).map_err(|diagnostics| diagnostics.to_string())?;
    let settings = client_settings(COMMAND);
    let generated = codegen::generate_from(&document, &settings)
        .and_then(codegen::Generated::strict)
        .map_err(|errors| format!("{errors}\n(strict: warnings are errors)"))?;
    let api = codegen::build_ir(&document).map_err(|diagnostics| diagnostics.to_string())?;
    let header = format!(
        "@generated by `{COMMAND}` from {}.\nDo not edit: change the spec or the generator and regenerate.",
        settings.source
    );
    let decoders = codegen::emit::decoders_file(&api, CLIENT_NAME, &header)?;
    let calls = codegen::emit::calls_file(&api, CLIENT_NAME, &header)?;
    Ok(vec![
        Artefact::directory(default_out(), generated.files, COMMAND),
        Artefact::file(&decoders_path(), decoders, COMMAND),
        Artefact::file(&calls_path(), calls, COMMAND),
    ])
}

/// `path` as messages name it: relative to the workspace root when it is inside it.
pub fn shown(path: &Path) -> PathBuf {
    let root = workspace_root();
    path.strip_prefix(&root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// The marker every generated file's header carries.
const GENERATED_MARK: &str = "@generated by `";

/// How one file on disk differs from what the generator makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The generator makes it; the directory lacks it.
    Missing(PathBuf),
    /// Both have it, with different contents.
    Stale(PathBuf),
    /// The directory has it; the generator no longer makes it.
    Extra(PathBuf),
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Missing(path) => write!(f, "missing: {}", path.display()),
            Change::Stale(path) => write!(f, "stale:   {}", path.display()),
            Change::Extra(path) => write!(f, "extra:   {}", path.display()),
        }
    }
}

/// Every difference between `files` (relative paths) and the directory `out`, in path order.
pub fn diff(out: &Path, files: &BTreeMap<PathBuf, String>) -> std::io::Result<Vec<Change>> {
    let mut changes = Vec::new();
    for (relative, text) in files {
        match std::fs::read(out.join(relative)) {
            Ok(existing) if existing == text.as_bytes() => {}
            Ok(_) => changes.push(Change::Stale(relative.clone())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                changes.push(Change::Missing(relative.clone()))
            }
            Err(error) => return Err(error),
        }
    }
    for relative in list_files(out)? {
        if !files.contains_key(&relative) {
            changes.push(Change::Extra(relative));
        }
    }
    changes.sort_by(|a, b| path_of(a).cmp(path_of(b)));
    Ok(changes)
}

fn path_of(change: &Change) -> &Path {
    match change {
        Change::Missing(path) | Change::Stale(path) | Change::Extra(path) => path,
    }
}

impl Change {
    /// The same change of the file inside `dir`, named relative to the workspace root.
    pub fn within(&self, dir: &Path) -> Change {
        let path = shown(&dir.join(path_of(self)));
        match self {
            Change::Missing(_) => Change::Missing(path),
            Change::Stale(_) => Change::Stale(path),
            Change::Extra(_) => Change::Extra(path),
        }
    }
}

/// Applies `changes` to `out`: writes missing and stale files, deletes extra ones that carry
/// the generated header. Returns the extra files it kept because they look hand-written.
pub fn apply(
    out: &Path,
    files: &BTreeMap<PathBuf, String>,
    changes: &[Change],
) -> std::io::Result<Vec<PathBuf>> {
    let mut kept = Vec::new();
    for change in changes {
        match change {
            Change::Missing(relative) | Change::Stale(relative) => {
                let path = out.join(relative);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, &files[relative])?;
            }
            Change::Extra(relative) => {
                let path = out.join(relative);
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if text
                    .lines()
                    .take(3)
                    .any(|line| line.contains(GENERATED_MARK))
                {
                    std::fs::remove_file(&path)?;
                } else {
                    kept.push(relative.clone());
                }
            }
        }
    }
    Ok(kept)
}

/// Every file below `dir`, relative to it, sorted; an absent directory has none.
pub fn list_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let entries = match std::fs::read_dir(dir.join(&relative)) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            let child = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                pending.push(child);
            } else {
                found.push(child);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh scratch directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "project-support-freshness-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    }

    fn files(entries: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        entries
            .iter()
            .map(|(path, text)| (PathBuf::from(path), (*text).to_owned()))
            .collect()
    }

    #[test]
    fn a_directory_is_written_then_checked() {
        let dir = scratch("directory");
        let made = "// @generated by `x`\nfn a() {}\n";
        let artefact = Artefact::directory(dir.clone(), files(&[("src/a.rs", made)]), "regen");
        let error = ensure(&artefact, Mode::Check).expect_err("missing");
        assert!(
            error.contains("missing: ") && error.contains("src/a.rs"),
            "{error}"
        );
        assert!(error.contains("run `regen`"), "{error}");

        std::fs::write(dir.join("old.rs"), "// @generated by `x`\n").expect("write");
        std::fs::write(dir.join("notes.txt"), "mine").expect("write");
        let report = ensure(&artefact, Mode::Write).expect("written");
        assert_eq!(report.kept, [PathBuf::from("notes.txt")]);
        assert_eq!(report.made().count(), 2, "{report:?}");
        assert!(!dir.join("old.rs").exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("src/a.rs"))
                .ok()
                .as_deref(),
            Some(made)
        );

        // The hand-written file is kept, and still drift for a check.
        let error = ensure(&artefact, Mode::Check).expect_err("extra");
        assert!(
            error.contains("extra:   ") && error.contains("notes.txt"),
            "{error}"
        );
        std::fs::remove_file(dir.join("notes.txt")).expect("remove");
        assert_eq!(ensure(&artefact, Mode::Check), Ok(Report::default()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_leaves_its_neighbours_alone() {
        let dir = scratch("file");
        std::fs::write(dir.join("other.rs"), "// @generated by `x`\n").expect("write");
        let path = dir.join("table.rs");
        let artefact = Artefact::file(&path, "fn t() {}\n".to_owned(), "regen");
        assert_eq!(artefact.location(), path);
        ensure(&artefact, Mode::Write).expect("written");
        assert_eq!(ensure(&artefact, Mode::Check), Ok(Report::default()));
        assert!(dir.join("other.rs").exists());

        std::fs::write(&path, "fn t() {} // edited\n").expect("write");
        let error = ensure(&artefact, Mode::Check).expect_err("stale");
        assert!(
            error.contains(&format!("stale:   {}", path.display())),
            "{error}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
