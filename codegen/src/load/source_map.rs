//! Where each node of the merged document was written.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diag::{pointer, Location};

/// Maps JSON pointers of the merged document to the file and line that define them.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<PathBuf>,
    nodes: HashMap<String, (usize, usize)>,
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
