//! The spec as it was at a git revision, written out to a temporary directory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The files of the spec's directory at one revision, in a temporary directory that is
/// removed when this is dropped.
#[derive(Debug)]
pub struct Checkout {
    dir: PathBuf,
    root: PathBuf,
}

impl Checkout {
    /// The temporary directory, standing for the repository's top level.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The spec's root file in it.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes out every file that the directory of `spec` (a spec root file in a git working
/// tree) held at revision `rev`, so that the spec and its fragments load as they were.
pub fn checkout(rev: &str, spec: &Path) -> Result<Checkout, String> {
    if rev.starts_with('-') || rev.is_empty() {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let spec = project_support::absolute(spec);
    let (Some(spec_dir), Some(file_name)) = (spec.parent(), spec.file_name()) else {
        return Err(format!("{} is not a file path", spec.display()));
    };
    let spec_dir = spec_dir.canonicalize().map_err(|e| {
        format!(
            "cannot read the spec's directory {}: {e}",
            spec_dir.display()
        )
    })?;
    let top = git(&spec_dir, &["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("{} is not in a git repository: {e}", spec_dir.display()))?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end());
    let top = top
        .canonicalize()
        .map_err(|e| format!("cannot read {}: {e}", top.display()))?;
    let relative_dir = spec_dir.strip_prefix(&top).map_err(|_| {
        format!(
            "{} is not inside the git repository {}",
            spec_dir.display(),
            top.display()
        )
    })?;
    let relative_root = slashed(&relative_dir.join(file_name));
    let commit = git(
        &top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|_| format!("unknown git revision `{rev}`"))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();
    let mut listing = vec!["ls-tree", "-r", "-z", "--name-only", commit.as_str()];
    let relative_dir = slashed(relative_dir);
    if !relative_dir.is_empty() {
        listing.extend(["--", relative_dir.as_str()]);
    }
    let names = git(&top, &listing).map_err(|e| format!("cannot list {rev}: {e}"))?;
    let files: Vec<String> = String::from_utf8_lossy(&names)
        .split('\0')
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    if !files.contains(&relative_root) {
        return Err(format!(
            "the spec {relative_root} does not exist at revision `{rev}`"
        ));
    }
    // Made before any file is written, so a failure half-way removes what was written.
    let dir = temporary_dir();
    let checkout = Checkout {
        root: dir.join(&relative_root),
        dir,
    };
    for name in &files {
        let text = git(&top, &["cat-file", "blob", &format!("{commit}:{name}")])
            .map_err(|e| format!("cannot read {name} at revision `{rev}`: {e}"))?;
        let path = checkout.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(checkout)
}

/// A path with `/` separators, as git names files.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A fresh, empty directory under the system's temporary directory.
fn temporary_dir() -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    std::env::temp_dir().join(format!(
        "xtask-changelog-{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Runs git in `dir` and returns its standard output, or its error output on failure.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        Err(if stderr.is_empty() {
            format!("git {} failed ({})", args.join(" "), output.status)
        } else {
            stderr
        })
    }
}
