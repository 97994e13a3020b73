//! Merging fragment files into the root document.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{parse_file, register, yaml, SourceMap};
use crate::diag::{pointer, Diagnostic, Diagnostics, Location};

/// The root key naming the directory of fragment files, relative to the root file.
pub const FRAGMENT_DIR_KEY: &str = "x-fragment-dir";

/// The top-level keys a fragment may have.
const FRAGMENT_KEYS: [&str; 3] = ["tags", "paths", "components"];

/// Merges every fragment named by the root's `x-fragment-dir` into `root`.
pub fn merge(
    root_path: &Path,
    root: &mut Value,
    sources: &mut SourceMap,
) -> Result<(), Diagnostics> {
    let Some(dir) = root.get(FRAGMENT_DIR_KEY) else {
        return Ok(());
    };
    let here = format!("#/{FRAGMENT_DIR_KEY}");
    let Some(dir) = dir.as_str() else {
        return Err(
            Diagnostic::new(&here, "must be a directory path relative to the root file")
                .at(sources.locate(&here))
                .into(),
        );
    };
    let dir = root_path.parent().unwrap_or(Path::new(".")).join(dir);
    let entries = std::fs::read_dir(&dir).map_err(|error| {
        Diagnostic::new(
            &here,
            format!("cannot read fragment directory {}: {error}", dir.display()),
        )
        .at(sources.locate(&here))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|error| {
                Diagnostic::new(&here, format!("cannot list {}: {error}", dir.display()))
            })?
            .path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            files.push(path);
        }
    }
    files.sort();

    let mut diagnostics = Diagnostics::default();
    for (file, parsed) in files.iter().zip(parse_all(&files)) {
        let shift = root
            .get("tags")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let fragment = match parsed {
            Ok(parsed) => register(parsed, file, sources, shift),
            Err(problems) => {
                diagnostics.0.extend(problems.0);
                continue;
            }
        };
        merge_fragment(root, fragment, file, sources, &mut diagnostics);
    }
    diagnostics.into_result(())
}

/// Parses `files` on all cores; the results come back in the order of `files`, so merging
/// stays deterministic. A worker only fails by panicking, a parser bug: the panic goes on here.
fn parse_all(files: &[PathBuf]) -> Vec<Result<yaml::ParsedYaml, Diagnostics>> {
    crate::parallel::map_in_order(files, |file| parse_file(file))
}

fn merge_fragment(
    root: &mut Value,
    fragment: Value,
    file: &Path,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) {
    let here = |line_of: &str| {
        Some(Location {
            file: file.to_path_buf(),
            line: sources.locate(line_of).map_or(1, |l| l.line),
        })
    };
    let Value::Object(fragment) = fragment else {
        diagnostics.push(Diagnostic::new("#", "a fragment must be a mapping").at(here("#")));
        return;
    };
    let Some(root) = root.as_object_mut() else {
        return;
    };
    for (key, value) in fragment {
        match key.as_str() {
            "tags" => match value {
                Value::Array(tags) => {
                    let list = root
                        .entry("tags")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(list) = list {
                        list.extend(tags);
                    }
                }
                _ => diagnostics.push(
                    Diagnostic::new(
                        "#/tags",
                        format!("{}: `tags` must be a list", file.display()),
                    )
                    .at(here("#/tags")),
                ),
            },
            "paths" => merge_map(root, "#", "paths", value, 1, file, sources, diagnostics),
            "components" => merge_map(
                root,
                "#",
                "components",
                value,
                2,
                file,
                sources,
                diagnostics,
            ),
            other => diagnostics.push(
                Diagnostic::new(
                    pointer::join("#", other),
                    format!(
                        "unexpected top-level key `{other}` in a fragment (allowed: {})",
                        FRAGMENT_KEYS.join(", ")
                    ),
                )
                .at(here(&pointer::join("#", other))),
            ),
        }
    }
}

/// Merges `value` into `root[key]` (`root` sits at pointer `base`), `depth` levels deep: 1 for
/// paths, 2 for `components/<kind>/<name>`. A name defined twice is a diagnostic.
#[allow(clippy::too_many_arguments)]
fn merge_map(
    root: &mut Map<String, Value>,
    base: &str,
    key: &str,
    value: Value,
    depth: usize,
    file: &Path,
    sources: &SourceMap,
    diagnostics: &mut Diagnostics,
) {
    let at = pointer::join(base, key);
    let target = root.entry(key).or_insert_with(|| Value::Object(Map::new()));
    let (Value::Object(incoming), Value::Object(target)) = (value, target) else {
        diagnostics.push(
            Diagnostic::new(
                &at,
                format!("`{key}` must be a mapping in {}", file.display()),
            )
            .at(sources.locate(&at)),
        );
        return;
    };
    for (name, item) in incoming {
        if depth > 1 {
            merge_map(
                target,
                &at,
                &name,
                item,
                depth - 1,
                file,
                sources,
                diagnostics,
            );
            continue;
        }
        let item_at = pointer::join(&at, &name);
        if target.contains_key(&name) {
            diagnostics.push(
                Diagnostic::new(
                    &item_at,
                    format!("`{name}` is defined twice (again in {})", file.display()),
                )
                .at(sources.locate(&item_at)),
            );
        } else {
            target.insert(name, item);
        }
    }
}

/// Moves `#/tags/N...` to `#/tags/(N+shift)...`, leaving other pointers alone.
pub fn shift_tag_index(at: &str, shift: usize) -> String {
    if shift == 0 {
        return at.to_owned();
    }
    let Some(rest) = at.strip_prefix("#/tags/") else {
        return at.to_owned();
    };
    let (index, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match index.parse::<usize>() {
        Ok(n) => format!("#/tags/{}{tail}", n + shift),
        Err(_) => at.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::load::load;

    /// A spec directory of its own under the system's temporary directory: `spec.yaml` plus
    /// `groups/<name>` for each fragment. Removed when dropped.
    struct SpecDir(PathBuf);

    impl SpecDir {
        fn new(test: &str, fragments: &[(&str, &str)]) -> SpecDir {
            let dir = std::env::temp_dir()
                .join(format!("codegen-fragments-{}-{test}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("groups")).unwrap();
            let root = "openapi: 3.0.3\ninfo: { title: T, version: '1' }\n\
                        x-fragment-dir: groups\ntags:\n  - name: Root\npaths: {}\n";
            std::fs::write(dir.join("spec.yaml"), root).unwrap();
            for (name, text) in fragments {
                std::fs::write(dir.join("groups").join(name), text).unwrap();
            }
            SpecDir(dir)
        }

        fn root(&self) -> PathBuf {
            self.0.join("spec.yaml")
        }

        fn fragment(&self, name: &str) -> PathBuf {
            self.0.join("groups").join(name)
        }
    }

    impl Drop for SpecDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn fragment(tag: &str, path: &str) -> String {
        format!(
            "tags:\n  - name: {tag}\npaths:\n  {path}:\n    get:\n      responses:\n        \
             '204': {{ description: Done. }}\n"
        )
    }

    #[test]
    fn fragments_merge_in_name_order_and_keep_their_lines() {
        // More files than cores, so several threads parse them.
        let names: Vec<String> = (0..12).rev().map(|i| format!("g{i:02}.yaml")).collect();
        let texts: Vec<String> = (0..12)
            .rev()
            .map(|i| fragment(&format!("T{i}"), &format!("/p{i}")))
            .collect();
        let files: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(texts.iter().map(String::as_str))
            .collect();
        let dir = SpecDir::new("order", &files);
        let document = load(&dir.root()).expect("the spec loads");
        let tags: Vec<&str> = document.json["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|tag| tag["name"].as_str().unwrap())
            .collect();
        let expected: Vec<String> = std::iter::once("Root".to_owned())
            .chain((0..12).map(|i| format!("T{i}")))
            .collect();
        assert_eq!(tags, expected);
        let located = document
            .sources
            .locate("#/paths/~1p7/get")
            .expect("a location");
        assert_eq!(located.file, dir.fragment("g07.yaml"));
        assert_eq!(located.line, 5);
        // A fragment's tag moves to its place in the merged list, and so does its line.
        let tag = document.sources.locate("#/tags/8").expect("a location");
        assert_eq!((tag.file, tag.line), (dir.fragment("g07.yaml"), 2));
    }

    #[test]
    fn problems_in_several_fragments_are_all_reported() {
        let dir = SpecDir::new(
            "problems",
            &[
                ("a.yaml", "paths:\n  /x: [unclosed\n"),
                ("b.yaml", &fragment("B", "/same")),
                ("c.yaml", "tags: nope\n"),
                ("d.yaml", &fragment("D", "/same")),
            ],
        );
        let problems = load(&dir.root()).expect_err("the spec is broken").0;
        assert_eq!(problems.len(), 3, "{problems:?}");
        let find = |text: &str| {
            problems
                .iter()
                .find(|p| p.message.contains(text))
                .unwrap_or_else(|| panic!("no problem says {text:?}: {problems:?}"))
        };
        let file_of =
            |problem: &crate::diag::Diagnostic| problem.location.as_ref().map(|l| l.file.clone());
        assert_eq!(file_of(find("invalid YAML")), Some(dir.fragment("a.yaml")));
        assert_eq!(
            file_of(find("`tags` must be a list")),
            Some(dir.fragment("c.yaml"))
        );
        let twice = find("is defined twice");
        assert_eq!(twice.pointer, "#/paths/~1same");
        assert!(twice.message.contains("d.yaml"), "{}", twice.message);
        // Reported by file and line, whichever thread parsed which file.
        let locations: Vec<_> = problems.iter().map(|p| p.location.clone()).collect();
        let mut sorted = locations.clone();
        sorted.sort();
        assert_eq!(locations, sorted);
    }
}
