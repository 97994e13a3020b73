//! The allow-list of documentation samples that the documentation itself breaks, and the
//! reconciliation that keeps it honest.
//!
//! Each entry names one sample by its docs line, direction and operation, the check it fails
//! (`json`, `operation`, `schema` or `decode`) and why. Reconciling the outcomes of every
//! sample with the list reports a failing sample the list lacks, and equally an entry whose
//! sample passes, fails another check, documents another operation or no longer exists.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

use super::{Direction, Outcome, Stage};

/// Where the allow-list lives.
pub fn default_path() -> PathBuf {
    crate::workspace_root().join("tests/doc-samples-allowlist.toml")
}

/// One allow-listed sample.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The sample's 1-based docs line.
    pub line: usize,
    /// Request or response.
    pub direction: Direction,
    /// The operation it documents (absent when none is found).
    pub operation: Option<String>,
    /// The check it fails.
    pub fails: Stage,
    /// What the documentation gets wrong.
    pub reason: String,
}

/// An entry as written in the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    line: usize,
    direction: String,
    operation: Option<String>,
    fails: String,
    reason: String,
}

/// The file: a list of `[[sample]]` tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    #[serde(default)]
    sample: Vec<RawEntry>,
}

/// Reads the allow-list. Fails, naming the entry, on an unknown direction or check, an
/// empty reason, or a sample listed twice.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let list: RawList = toml::from_str(text).map_err(|error| error.to_string())?;
    let mut entries: Vec<Entry> = Vec::new();
    for raw in list.sample {
        let at = format!("the entry for docs line {}", raw.line);
        let direction = match raw.direction.as_str() {
            "request" => Direction::Request,
            "response" => Direction::Response,
            other => {
                return Err(format!(
                    "{at}: direction {other:?} is neither \"request\" nor \"response\""
                ))
            }
        };
        let fails = Stage::parse(&raw.fails).ok_or_else(|| {
            format!(
                "{at}: fails {:?} is none of \"json\", \"operation\", \"schema\", \"decode\"",
                raw.fails
            )
        })?;
        if raw.reason.trim().is_empty() {
            return Err(format!("{at}: the reason is empty"));
        }
        if entries
            .iter()
            .any(|e| e.line == raw.line && e.direction == direction)
        {
            return Err(format!("{at}: the {direction} sample is listed twice"));
        }
        entries.push(Entry {
            line: raw.line,
            direction,
            operation: raw.operation,
            fails,
            reason: raw.reason,
        });
    }
    Ok(entries)
}

/// The outcomes of all samples, reconciled with the allow-list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// How many samples were checked.
    pub checked: usize,
    /// How many passed every check.
    pub passed: usize,
    /// How many failed as their allow-list entry says.
    pub allowed: usize,
    /// Everything that makes the test fail, one line each.
    pub problems: Vec<String>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        write!(
            f,
            "{} samples: {} passed, {} allow-listed, {} problems",
            self.checked,
            self.passed,
            self.allowed,
            self.problems.len()
        )
    }
}

/// Reconciles `outcomes` with the allow-list `entries`.
pub fn reconcile(outcomes: &[Outcome], entries: &[Entry]) -> Summary {
    let mut listed: BTreeMap<(usize, Direction), &Entry> = entries
        .iter()
        .map(|entry| ((entry.line, entry.direction), entry))
        .collect();
    let mut summary = Summary {
        checked: outcomes.len(),
        ..Summary::default()
    };
    for outcome in outcomes {
        let label = label(
            outcome.line,
            outcome.direction,
            outcome.operation.as_deref(),
        );
        let entry = listed.remove(&(outcome.line, outcome.direction));
        match (&outcome.failure, entry) {
            (None, None) => summary.passed += 1,
            (Some(failure), None) => summary.problems.push(format!(
                "{label}: fails at {}: {}",
                failure.stage, failure.message
            )),
            (None, Some(_)) => summary.problems.push(format!(
                "{label}: passes now; remove it from the allow-list"
            )),
            (Some(failure), Some(entry)) => {
                if entry.operation != outcome.operation {
                    summary.problems.push(format!(
                        "{label}: the allow-list says it documents {}",
                        entry.operation.as_deref().unwrap_or("no operation")
                    ));
                } else if entry.fails != failure.stage {
                    summary.problems.push(format!(
                        "{label}: the allow-list says it fails at {}, but it fails at {}: {}",
                        entry.fails, failure.stage, failure.message
                    ));
                } else {
                    summary.allowed += 1;
                }
            }
        }
    }
    for entry in listed.values() {
        summary.problems.push(format!(
            "{}: allow-listed, but there is no such sample; remove the entry",
            label(entry.line, entry.direction, entry.operation.as_deref())
        ));
    }
    summary
}

/// `docs line N (response of tickets_get)`.
fn label(line: usize, direction: Direction, operation: Option<&str>) -> String {
    format!(
        "docs line {line} ({direction} of {})",
        operation.unwrap_or("no operation")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::Failure;

    const LIST: &str = r#"
[[sample]]
line = 10
direction = "response"
operation = "tickets_get"
fails = "json"
reason = "a comma is missing"

[[sample]]
line = 20
direction = "request"
operation = "tickets_create"
fails = "decode"
reason = "\"priority\" is a word, the table says a number"
"#;

    fn outcome(
        line: usize,
        direction: Direction,
        operation: &str,
        stage: Option<Stage>,
    ) -> Outcome {
        Outcome {
            line,
            direction,
            operation: Some(operation.to_owned()),
            failure: stage.map(|stage| Failure {
                stage,
                message: "broken".to_owned(),
            }),
        }
    }

    #[test]
    fn parses_entries() {
        let entries = parse(LIST).expect("the list parses");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].direction, Direction::Request);
        assert_eq!(entries[1].fails, Stage::Decode);
        assert_eq!(entries[0].operation.as_deref(), Some("tickets_get"));
        assert_eq!(parse("").expect("an empty list"), []);
    }

    #[test]
    fn rejects_malformed_entries() {
        let error = parse(&LIST.replace("\"json\"", "\"syntax\"")).expect_err("unknown check");
        assert!(
            error.contains("docs line 10") && error.contains("syntax"),
            "{error}"
        );
        let error =
            parse(&LIST.replace("\"request\"", "\"reply\"")).expect_err("unknown direction");
        assert!(error.contains("docs line 20"), "{error}");
        let error = parse(&LIST.replace("a comma is missing", " ")).expect_err("no reason");
        assert!(error.contains("reason is empty"), "{error}");
        let twice = format!(
            "{LIST}{}",
            &LIST[LIST.find("[[sample]]\nline = 20").unwrap_or(0)..]
        );
        let error = parse(&twice).expect_err("listed twice");
        assert!(error.contains("listed twice"), "{error}");
        assert!(parse("[[sample]]\nline = 1\nextra = 2").is_err());
    }

    #[test]
    fn an_honest_list_reconciles() {
        let entries = parse(LIST).expect("the list parses");
        let outcomes = [
            outcome(10, Direction::Response, "tickets_get", Some(Stage::Json)),
            outcome(12, Direction::Response, "tickets_get", None),
            outcome(
                20,
                Direction::Request,
                "tickets_create",
                Some(Stage::Decode),
            ),
        ];
        let summary = reconcile(&outcomes, &entries);
        assert_eq!(summary.problems, Vec::<String>::new());
        assert_eq!(
            (summary.checked, summary.passed, summary.allowed),
            (3, 1, 2)
        );
        assert_eq!(
            summary.to_string(),
            "3 samples: 1 passed, 2 allow-listed, 0 problems"
        );
    }

    #[test]
    fn every_kind_of_drift_is_a_problem() {
        let entries = parse(LIST).expect("the list parses");
        let outcomes = [
            // Passes now.
            outcome(10, Direction::Response, "tickets_get", None),
            // Fails, unlisted.
            outcome(11, Direction::Response, "tickets_get", Some(Stage::Schema)),
            // Fails at another check than listed.
            outcome(20, Direction::Request, "tickets_create", Some(Stage::Json)),
        ];
        let summary = reconcile(&outcomes, &entries);
        assert_eq!(
            summary.problems,
            [
                "docs line 10 (response of tickets_get): passes now; remove it from the allow-list",
                "docs line 11 (response of tickets_get): fails at schema: broken",
                "docs line 20 (request of tickets_create): the allow-list says it fails at decode, but it fails at json: broken",
            ]
        );
        let moved = [outcome(
            10,
            Direction::Response,
            "tickets_list",
            Some(Stage::Json),
        )];
        let summary = reconcile(&moved, &entries);
        assert_eq!(
            summary.problems,
            [
                "docs line 10 (response of tickets_list): the allow-list says it documents tickets_get",
                "docs line 20 (request of tickets_create): allow-listed, but there is no such sample; remove the entry",
            ]
        );
        assert_eq!(summary.allowed, 0);
    }
}
