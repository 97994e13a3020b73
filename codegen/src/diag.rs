//! Diagnostics: what is wrong with a spec, and where.
//!
//! Every problem the generator finds becomes a [`Diagnostic`] carrying a JSON pointer into the
//! (merged) spec and, where the loader knows it, the file and line it came from. The stages
//! collect them and fail once with all of them ([`Diagnostics`]), so a maintainer fixes a broken
//! spec in one round instead of one error at a time.

use std::fmt;
use std::path::PathBuf;

/// A file and line in the spec's source, 1-based.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    /// The YAML file, as it was given to the loader.
    pub file: PathBuf,
    /// The 1-based line number.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// JSON pointer (RFC 6901, `#`-prefixed) to the offending node of the merged document.
    pub pointer: String,
    /// Where that node is written, when the loader could tell.
    pub location: Option<Location>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at `pointer` with no source location yet (the caller may add one).
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            pointer: pointer.into(),
            location: None,
            message: message.into(),
        }
    }

    /// The same diagnostic with its source location.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}\n  --> ", self.message)?;
        match &self.location {
            Some(location) => write!(f, "{location} ({})", self.pointer),
            None => write!(f, "{}", self.pointer),
        }
    }
}

/// All problems found in one run; never empty when returned as an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was reported, otherwise every diagnostic sorted by position.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            self.0.sort_by(|a, b| {
                (&a.location, &a.pointer, &a.message).cmp(&(&b.location, &b.pointer, &b.message))
            });
            self.0.dedup();
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let count = self.0.len();
        write!(
            f,
            "{count} error{} in the spec",
            if count == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}

/// Builds JSON pointers (`#/paths/~1tickets/get`) with RFC 6901 escaping.
pub mod pointer {
    /// Escapes one reference token (`~` → `~0`, `/` → `~1`).
    pub fn escape(token: &str) -> String {
        token.replace('~', "~0").replace('/', "~1")
    }

    /// Appends one token to a pointer.
    pub fn join(base: &str, token: &str) -> String {
        format!("{base}/{}", escape(token))
    }

    /// The pointer one level up (`#/a/b` → `#/a`); `#` stays `#`.
    pub fn parent(pointer: &str) -> Option<&str> {
        pointer.rfind('/').map(|at| &pointer[..at])
    }
}
