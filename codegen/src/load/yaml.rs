//! YAML or JSON text → JSON value, plus the line on which every node starts.
//!
//! The value comes from serde_yaml for YAML and from serde_json for JSON (a `.json` file, or
//! text that starts with `{` and reads as JSON): each is the authority on what its format means, so JSON's
//! escapes (surrogate pairs such as emoji) and its duplicate keys (the last one wins) are
//! read as JSON reads them. The lines come from a second, event-level pass with yaml-rust2,
//! whose events carry positions; it also finds the duplicate keys of a JSON document, which
//! become warnings. Lines serve diagnostics only, so if the two parsers ever disagree the
//! worst outcome is a missing line.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{pointer, Diagnostic, Location};

/// A parsed YAML file: its value and the 1-based line of each node, keyed by JSON pointer.
pub struct ParsedYaml {
    /// The document, with every mapping key turned into a string.
    pub value: Value,
    /// Line of each node (`#/paths/~1tickets` → 12).
    pub lines: HashMap<String, usize>,
    /// Keys that appear twice in one JSON object, with their line; the last value was kept.
    pub duplicates: Vec<(String, usize)>,
}

/// Parses one YAML or JSON document; `file` labels diagnostics, and a `.json` name (or text
/// starting with `{` that reads as JSON) selects JSON.
pub fn parse(text: &str, file: &Path) -> Result<ParsedYaml, Vec<Diagnostic>> {
    if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return parse_json(text, file);
    }
    // YAML's flow mappings start with `{` too: such text is JSON only if it reads as JSON.
    if text.trim_start().starts_with('{') {
        if let Ok(parsed) = parse_json(text, file) {
            return Ok(parsed);
        }
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| {
        let location = error.location().map(|at| Location {
            file: file.to_path_buf(),
            line: at.line(),
        });
        vec![Diagnostic::new("#", format!("invalid YAML: {error}")).at(location)]
    })?;
    if let Err(error) = yaml.apply_merge() {
        return Err(vec![Diagnostic::new(
            "#",
            format!("invalid YAML merge key: {error}"),
        )
        .at(Some(Location {
            file: file.to_path_buf(),
            line: 1,
        }))]);
    }
    let (lines, _) = line_map(text);
    let mut problems = Vec::new();
    let value = to_json(yaml, "#", &mut problems);
    let problems = problems
        .into_iter()
        .map(|(at, message)| {
            let line = lines.get(&at).copied();
            Diagnostic::new(at, message).at(line.map(|line| Location {
                file: file.to_path_buf(),
                line,
            }))
        })
        .collect::<Vec<_>>();
    if problems.is_empty() {
        Ok(ParsedYaml {
            value,
            lines,
            duplicates: Vec::new(),
        })
    } else {
        Err(problems)
    }
}

/// Parses a JSON document with serde_json, and maps its lines with yaml-rust2 over a copy in
/// which surrogate-pair escapes (which YAML does not read) are replaced by escapes of the
/// same length.
fn parse_json(text: &str, file: &Path) -> Result<ParsedYaml, Vec<Diagnostic>> {
    let value: Value = serde_json::from_str(text).map_err(|error| {
        let location = Location {
            file: file.to_path_buf(),
            line: error.line().max(1),
        };
        vec![Diagnostic::new("#", format!("invalid JSON: {error}")).at(Some(location))]
    })?;
    let (lines, duplicates) = line_map(&without_surrogate_escapes(text));
    Ok(ParsedYaml {
        value,
        lines,
        duplicates,
    })
}

/// `text` with every `\uD800`–`\uDFFF` escape replaced by `\u0020`: same length, same lines.
fn without_surrogate_escapes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let escape = bytes.get(i + 1).copied();
        if escape == Some(b'u') {
            let hex = text
                .get(i + 2..i + 6)
                .and_then(|h| u16::from_str_radix(h, 16).ok());
            if hex.is_some_and(|code| (0xD800..=0xDFFF).contains(&code)) {
                out.push_str(&text[copied..i]);
                out.push_str("\\u0020");
                i += 6;
                copied = i;
                continue;
            }
        }
        // Any other escape (an escaped backslash included) is two characters long.
        i += 2;
    }
    out.push_str(&text[copied.min(text.len())..]);
    out
}

/// Converts a YAML value to JSON, stringifying scalar keys (`200:` → `"200"`).
fn to_json(yaml: serde_yaml::Value, at: &str, problems: &mut Vec<(String, String)>) -> Value {
    use serde_yaml::Value as Y;
    match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                match n.as_f64().and_then(serde_json::Number::from_f64) {
                    Some(f) => Value::Number(f),
                    None => {
                        problems.push((at.to_owned(), format!("number {n} has no JSON form")));
                        Value::Null
                    }
                }
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| to_json(item, &pointer::join(at, &i.to_string()), problems))
                .collect(),
        ),
        Y::Mapping(map) => {
            let mut object = serde_json::Map::with_capacity(map.len());
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => {
                        problems.push((
                            at.to_owned(),
                            format!("mapping key {other:?} is not a string, number or boolean"),
                        ));
                        continue;
                    }
                };
                let child = to_json(item, &pointer::join(at, &key), problems);
                object.insert(key, child);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => {
            problems.push((
                at.to_owned(),
                format!("YAML tag {} is not supported", tagged.tag),
            ));
            Value::Null
        }
    }
}

/// The line on which each node starts, from yaml-rust2's positioned events.
fn line_map(text: &str) -> (HashMap<String, usize>, Vec<(String, usize)>) {
    let mut recorder = LineRecorder::default();
    let mut parser = Parser::new_from_str(text);
    // A parse error here means serde_yaml accepted what yaml-rust2 did not: keep what we have.
    let _ = parser.load(&mut recorder, false);
    (recorder.lines, recorder.duplicates)
}

/// One open container while walking the events.
enum Frame {
    /// A mapping; `key` is the key whose value comes next, if a key was read; `seen` every
    /// key read so far.
    Mapping {
        pointer: String,
        key: Option<String>,
        seen: std::collections::HashSet<String>,
    },
    /// A sequence and the index of its next item.
    Sequence { pointer: String, next: usize },
}

#[derive(Default)]
struct LineRecorder {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
    /// Keys read twice in one mapping: the pointer of the value and the key's line.
    duplicates: Vec<(String, usize)>,
}

impl LineRecorder {
    /// The pointer of the node that starts now, advancing the parent's position; `None` when
    /// the event is a mapping key rather than a node.
    fn next_node(&mut self, key_text: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some("#".to_owned()),
            Some(Frame::Sequence { pointer: at, next }) => {
                let child = pointer::join(at, &next.to_string());
                *next += 1;
                Some(child)
            }
            Some(Frame::Mapping {
                pointer: at, key, ..
            }) => match key.take() {
                Some(k) => Some(pointer::join(at, &k)),
                None => {
                    *key = Some(key_text.unwrap_or("?").to_owned());
                    None
                }
            },
        }
    }

    fn record(&mut self, at: String, mark: &Marker) {
        self.lines.entry(at).or_insert(mark.line().max(1));
    }
}

impl MarkedEventReceiver for LineRecorder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                let parent_is_mapping = matches!(self.stack.last(), Some(Frame::Mapping { .. }));
                match self.next_node(Some(&text)) {
                    Some(at) => self.record(at, &mark),
                    None if parent_is_mapping => {
                        // A key: its value's node is best located on the key's line.
                        if let Some(Frame::Mapping {
                            pointer: at,
                            key: Some(k),
                            seen,
                        }) = self.stack.last_mut()
                        {
                            let child = pointer::join(at, k);
                            if !seen.insert(k.clone()) {
                                self.duplicates.push((child.clone(), mark.line().max(1)));
                            }
                            self.record(child, &mark);
                        }
                    }
                    None => {}
                }
            }
            Event::Alias(_) => {
                if let Some(at) = self.next_node(Some("?")) {
                    self.record(at, &mark);
                }
            }
            Event::MappingStart(..) => {
                let at = self.next_node(None).unwrap_or_else(|| "#/?".to_owned());
                self.record(at.clone(), &mark);
                self.stack.push(Frame::Mapping {
                    pointer: at,
                    key: None,
                    seen: std::collections::HashSet::new(),
                });
            }
            Event::SequenceStart(..) => {
                let at = self.next_node(None).unwrap_or_else(|| "#/?".to_owned());
                self.record(at.clone(), &mark);
                self.stack.push(Frame::Sequence {
                    pointer: at,
                    next: 0,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_lines_of_keys_and_items() {
        let text = "openapi: 3.0.3\npaths:\n  /tickets:\n    get:\n      responses:\n        200:\n          description: ok\nlist:\n  - a\n  - b\n";
        let parsed = parse(text, Path::new("x.yaml")).expect("valid yaml");
        assert_eq!(parsed.lines["#/paths/~1tickets"], 3);
        assert_eq!(parsed.lines["#/paths/~1tickets/get/responses/200"], 6);
        assert_eq!(parsed.lines["#/list/1"], 10);
        assert_eq!(
            parsed.value["paths"]["/tickets"]["get"]["responses"]["200"]["description"],
            "ok"
        );
    }

    #[test]
    fn json_is_read_as_json() {
        let text =
            "{\n  \"title\": \"smile \\ud83d\\ude00 and \\\\ud83d\",\n  \"a\": 1,\n  \"a\": 2\n}\n";
        let parsed = parse(text, Path::new("x.json")).expect("valid JSON");
        assert_eq!(parsed.value["title"], "smile \u{1F600} and \\ud83d");
        assert_eq!(parsed.value["a"], 2, "the last duplicate wins");
        assert_eq!(parsed.duplicates, vec![("#/a".to_owned(), 4)]);
        assert_eq!(parsed.lines["#/title"], 2);
        let problems = parse("{\"a\": }", Path::new("bad.json"))
            .err()
            .expect("invalid JSON");
        assert!(
            problems[0].message.starts_with("invalid JSON"),
            "{:?}",
            problems[0]
        );
    }

    #[test]
    fn reports_syntax_errors_with_their_line() {
        let problems = parse("a: 1\nb: [1, 2\n", Path::new("bad.yaml"))
            .err()
            .expect("invalid yaml");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.starts_with("invalid YAML"));
        assert_eq!(problems[0].location.as_ref().map(|l| l.line), Some(3));
    }
}
