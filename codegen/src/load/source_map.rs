//! Where each node of the merged document was written.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diag::{pointer, Diagnostic, Diagnostics, Location};

/// Maps JSON pointers of the merged document to the file and line that define them, and
/// keeps the warnings about the text itself (a key written twice in one object).
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<PathBuf>,
    nodes: HashMap<String, (usize, usize)>,
    text_warnings: Diagnostics,
}

impl SourceMap {
    /// Registers a file and returns its index for [`SourceMap::insert`].
    pub fn add_file(&mut self, file: PathBuf) -> usize {
        self.files.push(file);
        self.files.len() - 1
    }

    /// Records that the node at `at` starts on `line` of file `file`.
    pub fn insert(&mut self, at: String, file: usize, line: usize) {
        self.nodes.entry(at).or_insert((file, line));
    }

    /// Records that the key of the value at `at` is written twice in its object, the second
    /// time on `line` of file `file`; the last value is the one read.
    pub fn duplicate_key(&mut self, at: String, file: usize, line: usize) {
        let key = at
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .replace("~1", "/")
            .replace("~0", "~");
        let location = Location {
            file: self.files[file].clone(),
            line,
        };
        self.text_warnings.push(
            Diagnostic::warning(
                at,
                format!("the key `{key}` appears twice in this object; the last value is used"),
            )
            .at(Some(location)),
        );
    }

    /// The warnings about the text recorded so far, leaving none.
    pub fn take_warnings(&mut self) -> Diagnostics {
        std::mem::take(&mut self.text_warnings)
    }

    /// The location of `at`, or of its nearest ancestor that has one.
    pub fn locate(&self, at: &str) -> Option<Location> {
        let mut current = at;
        loop {
            if let Some(&(file, line)) = self.nodes.get(current) {
                return Some(Location {
                    file: self.files[file].clone(),
                    line,
                });
            }
            current = pointer::parent(current)?;
        }
    }
}
