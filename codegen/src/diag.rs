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

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Severity {
    /// Generation cannot go on: the spec must be fixed.
    Error,
    /// The generator worked around it (and says how); `--strict` makes it an error.
    Warning,
}

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Whether generation stopped for it.
    pub severity: Severity,
    /// JSON pointer (RFC 6901, `#`-prefixed) to the offending node of the merged document.
    pub pointer: String,
    /// Where that node is written, when the loader could tell.
    pub location: Option<Location>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// An error at `pointer` with no source location yet (the caller may add one).
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            location: None,
            message: message.into(),
        }
    }

    /// A warning at `pointer`: a problem the generator worked around.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(pointer, message)
        }
    }

    /// The same diagnostic as a warning (its problem was worked around).
    pub fn demoted(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The same diagnostic with its source location.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}\n  --> ", self.message)?;
        match &self.location {
            Some(location) => write!(f, "{location} ({})", self.pointer),
            None => write!(f, "{}", self.pointer),
        }
    }
}

/// All problems found in one run. Returned as an error it holds at least one error (and the
/// warnings found with it); beside a result it holds only warnings.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds every diagnostic of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// How many errors and how many warnings.
    pub fn counts(&self) -> (usize, usize) {
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        (errors, self.0.len() - errors)
    }

    /// Sorted by position, duplicates removed.
    pub fn sorted(mut self) -> Diagnostics {
        self.0.sort_by(|a, b| {
            (&a.location, &a.pointer, &a.message, a.severity).cmp(&(
                &b.location,
                &b.pointer,
                &b.message,
                b.severity,
            ))
        });
        self.0.dedup();
        self
    }

    /// `Ok(value)` when nothing was reported, otherwise every diagnostic sorted by position.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.sorted())
        }
    }

    /// `Ok((value, warnings))` when no error was reported, otherwise every diagnostic.
    pub fn into_lenient_result<T>(self, value: T) -> Result<(T, Diagnostics), Diagnostics> {
        let sorted = self.sorted();
        if sorted.has_errors() {
            Err(sorted)
        } else {
            Ok((value, sorted))
        }
    }

    /// Every warning made an error (`--strict`); errors stay as they are.
    pub fn strict(mut self) -> Diagnostics {
        for diagnostic in &mut self.0 {
            diagnostic.severity = Severity::Error;
        }
        self
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
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        match self.counts() {
            (errors, 0) => write!(f, "{errors} error{} in the spec", plural(errors)),
            (0, warnings) => write!(f, "{warnings} warning{} in the spec", plural(warnings)),
            (errors, warnings) => write!(
                f,
                "{errors} error{} and {warnings} warning{} in the spec",
                plural(errors),
                plural(warnings)
            ),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_travel_beside_a_result_and_errors_fail_it() {
        let mut found = Diagnostics::default();
        found.push(Diagnostic::warning("#/b", "worked around"));
        found.push(Diagnostic::warning("#/a", "worked around"));
        let (value, warnings) = found.clone().into_lenient_result(7).expect("only warnings");
        assert_eq!(value, 7);
        assert_eq!(warnings.0[0].pointer, "#/a", "sorted by position");
        assert_eq!(
            warnings.to_string().lines().last(),
            Some("2 warnings in the spec")
        );

        found.push(Diagnostic::new("#/c", "cannot go on"));
        let failed = found
            .clone()
            .into_lenient_result(7)
            .expect_err("an error fails");
        assert_eq!(failed.counts(), (1, 2));
        assert!(failed
            .to_string()
            .ends_with("1 error and 2 warnings in the spec"));
        assert!(failed
            .to_string()
            .starts_with("warning: worked around\n  --> #/a"));
    }

    #[test]
    fn strict_mode_makes_every_warning_an_error() {
        let warnings = Diagnostics(vec![Diagnostic::warning("#/a", "worked around")]);
        let strict = warnings.strict();
        assert!(strict.has_errors());
        assert_eq!(strict.counts(), (1, 0));
        assert!(Diagnostic::new("#", "x").demoted().severity == Severity::Warning);
    }
}
