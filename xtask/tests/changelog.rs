//! `cargo xtask changelog`: snapshot tests of the report over pairs of small specs
//! (`tests/fixtures/changelog/<case>/{before,after}.yaml` at the workspace root), and its git
//! side (a spec read at a revision, with its fragments; errors naming the revision) in
//! temporary repositories.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test -p xtask --test changelog` (or
//! `cargo insta review`), then read the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::changelog::diff::{Diff, Level};
use xtask::changelog::render::render;

/// Every fixture pair; each has a test below.
const CASES: [&str; 11] = [
    "enum_value_added",
    "enum_value_removed",
    "field_added",
    "field_required",
    "no_change",
    "operation_added",
    "operation_removed",
    "operation_renamed",
    "parameter_retyped",
    "type_features",
    "type_renamed",
];

fn cases_dir() -> PathBuf {
    project_support::workspace_root().join("tests/fixtures/changelog")
}

/// The diff of one fixture pair and its report for a client at 0.1.0, which is also checked
/// against the snapshot `<case>`.
fn case(name: &str) -> Diff {
    let dir = cases_dir().join(name);
    let diff = xtask::changelog::compare(&dir.join("before.yaml"), &dir.join("after.yaml"))
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    insta::assert_snapshot!(name, render(&diff, "0.1.0"));
    diff
}

/// The changes of a diff as `level subject: what` lines, for focused assertions.
fn lines(diff: &Diff) -> Vec<String> {
    diff.changes()
        .map(|change| format!("{:?} {}: {}", change.level, change.subject, change.what))
        .collect()
}

fn has(diff: &Diff, level: Level, needle: &str) -> bool {
    diff.changes().any(|change| {
        change.level == level && format!("{}: {}", change.subject, change.what).contains(needle)
    })
}

#[test]
fn every_fixture_pair_is_tested() {
    let mut found: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/fixtures/changelog")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    found.sort();
    assert_eq!(found, CASES);
}

#[test]
fn no_change_when_only_documentation_differs() {
    let diff = case("no_change");
    assert_eq!(diff.level(), None, "{:#?}", lines(&diff));
    assert!(render(&diff, "0.1.0").starts_with("no changes to the public API\n"));
}

#[test]
fn field_becoming_required_changes_its_type() {
    let diff = case("field_required");
    assert!(has(
        &diff,
        Level::Major,
        "NewTicket: field `priority` became required: Option<i64> → i64"
    ));
    // A nullable field of a received type keeps its `Option` type: nothing changes for
    // callers. In a type the client sends, it was three-state and is an `Option` now.
    assert!(has(
        &diff,
        Level::Patch,
        "Ticket: field `group_id` now required by the API"
    ));
    assert!(has(
        &diff,
        Level::Major,
        "NewTicket: field `group_id` became required (it can no longer be left out): \
         Nullable<i64> → Option<i64>"
    ));
    assert!(has(
        &diff,
        Level::Major,
        "Ticket: field `due_by` became optional"
    ));
    assert_eq!(diff.level(), Some(Level::Major));
}

#[test]
fn enum_value_added_is_minor() {
    let diff = case("enum_value_added");
    assert!(has(&diff, Level::Minor, "Status: value `closed` added"));
    assert_eq!(diff.level(), Some(Level::Minor));
}

#[test]
fn enum_value_removed_or_renamed_is_breaking() {
    let diff = case("enum_value_removed");
    assert!(has(&diff, Level::Major, "Source: value `2` removed"));
    assert!(has(
        &diff,
        Level::Major,
        "Source: variant of value `3` renamed `Phone` → `Telephone`"
    ));
}

#[test]
fn field_added_depends_on_how_callers_build_the_type() {
    let diff = case("field_added");
    assert!(has(
        &diff,
        Level::Minor,
        "NewTicket: optional field `cc_emails"
    ));
    assert!(has(
        &diff,
        Level::Major,
        "NewTicket: required field `requester_id: i64` added"
    ));
    assert!(has(&diff, Level::Major, "NewNote: optional field `private"));
    assert!(has(&diff, Level::Minor, "Ticket: optional field `tags"));
}

#[test]
fn operation_removed_is_breaking() {
    let diff = case("operation_removed");
    assert!(has(
        &diff,
        Level::Major,
        "tickets().delete_ticket(): operation removed (DELETE /tickets/{id})"
    ));
    assert!(has(&diff, Level::Major, "agents(): resource group removed"));
    assert!(has(&diff, Level::Major, "Agent: struct removed"));
}

#[test]
fn operation_added_is_minor() {
    let diff = case("operation_added");
    assert!(has(
        &diff,
        Level::Minor,
        "tickets().delete_ticket(): operation added"
    ));
    assert!(has(&diff, Level::Minor, "agents(): resource group added"));
    assert_eq!(diff.level(), Some(Level::Minor));
}

#[test]
fn operation_renamed_or_moved_keeps_its_route() {
    let diff = case("operation_renamed");
    // A renamed path placeholder is the same route.
    assert!(has(
        &diff,
        Level::Major,
        "tickets().view_ticket(): renamed from `tickets().get_ticket()` (GET /tickets/{ticket_id})"
    ));
    assert!(has(
        &diff,
        Level::Major,
        "tasks().list_ticket_tasks(): moved from `tickets().list_ticket_tasks()`"
    ));
    assert!(has(
        &diff,
        Level::Minor,
        "tickets().restore_ticket(): deprecated"
    ));
    // Arguments are positional: a renamed one is not a removed and an added parameter.
    assert!(has(
        &diff,
        Level::Patch,
        "arguments renamed: (id) → (ticket_id)"
    ));
    assert!(
        !has(&diff, Level::Major, "operation removed"),
        "{:#?}",
        lines(&diff)
    );
}

#[test]
fn parameter_retyped_or_required_is_breaking() {
    let diff = case("parameter_retyped");
    assert!(has(
        &diff,
        Level::Major,
        "parameter `requester_id` retyped: i64 → String"
    ));
    assert!(has(
        &diff,
        Level::Major,
        "parameter `workspace_id` became required"
    ));
    assert!(has(&diff, Level::Major, "parameter `include` removed"));
    assert!(has(
        &diff,
        Level::Minor,
        "optional parameter `order_by: String` added"
    ));
}

#[test]
fn type_renamed_or_removed_is_breaking() {
    let diff = case("type_renamed");
    assert!(has(
        &diff,
        Level::Major,
        "Person: struct renamed from `Agent`"
    ));
    assert!(has(&diff, Level::Major, "SkillList: struct removed"));
    assert!(has(
        &diff,
        Level::Major,
        "result retyped: SkillList → Vec<String>"
    ));
}

// ---------------------------------------------------------------------------------------------
// The git side
// ---------------------------------------------------------------------------------------------

/// A git repository in a temporary directory, removed on drop.
struct Repo {
    dir: PathBuf,
}

impl Repo {
    fn new(name: &str) -> Repo {
        let dir = std::env::temp_dir().join(format!(
            "xtask-changelog-test-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let repo = Repo { dir };
        repo.git(&["init", "--quiet"]);
        repo
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).expect("directory");
        std::fs::write(path, text).expect("write");
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "--quiet", "-m", message]);
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .args([
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.invalid",
            ])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?} failed");
    }

    fn spec(&self) -> PathBuf {
        self.dir.join("spec/openapi.yaml")
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const ROOT: &str = r#"openapi: 3.0.3
info: { title: Git fixture, version: "1.0" }
x-fragment-dir: groups
paths: {}
"#;

/// A fragment with one operation, or two with `delete`.
fn fragment(delete: bool) -> String {
    let get = r#"paths:
  /tickets/{id}:
    get:
      operationId: getTicket
      tags: [tickets]
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer, format: int64 } }
      responses:
        "204": { description: Found. }
"#;
    let delete_op = r#"    delete:
      operationId: deleteTicket
      tags: [tickets]
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer, format: int64 } }
      responses:
        "204": { description: Deleted. }
"#;
    if delete {
        format!("{get}{delete_op}")
    } else {
        get.to_owned()
    }
}

#[test]
fn since_reads_the_spec_and_its_fragments_at_a_revision() {
    let repo = Repo::new("since");
    repo.write("spec/openapi.yaml", ROOT);
    repo.write("spec/groups/tickets.yaml", &fragment(false));
    repo.commit("first");
    let unchanged = xtask::changelog::since("HEAD", &repo.spec()).expect("since HEAD");
    assert_eq!(unchanged.level(), None, "{:#?}", lines(&unchanged));

    repo.write("spec/groups/tickets.yaml", &fragment(true));
    let diff = xtask::changelog::since("HEAD", &repo.spec()).expect("since HEAD");
    assert_eq!(
        lines(&diff),
        ["Minor tickets().delete_ticket(): operation added (DELETE /tickets/{id})"]
    );
    repo.commit("second");
    let committed = xtask::changelog::since("HEAD~1", &repo.spec()).expect("since HEAD~1");
    assert_eq!(committed, diff);
    let reverse = xtask::changelog::since("HEAD", &repo.spec()).expect("since HEAD");
    assert_eq!(reverse.level(), None);
}

#[test]
fn since_errors_name_the_revision_and_the_file() {
    let repo = Repo::new("errors");
    repo.write("README", "no spec yet\n");
    repo.commit("without the spec");
    repo.write("spec/openapi.yaml", ROOT);
    repo.write("spec/groups/tickets.yaml", "paths: [not, a, mapping]\n");
    repo.commit("a broken fragment");
    repo.write("spec/groups/tickets.yaml", &fragment(false));

    let error = xtask::changelog::since("no-such-rev", &repo.spec()).unwrap_err();
    assert_eq!(error, "unknown git revision `no-such-rev`");
    let error = xtask::changelog::since("HEAD~1", &repo.spec()).unwrap_err();
    assert_eq!(
        error,
        "the spec spec/openapi.yaml does not exist at revision `HEAD~1`"
    );
    let error = xtask::changelog::since("HEAD", &repo.spec()).unwrap_err();
    assert!(
        error.contains("HEAD:spec/openapi.yaml does not load"),
        "{error}"
    );
    assert!(error.contains("HEAD:spec/groups/tickets.yaml"), "{error}");
    assert!(!error.contains("xtask-changelog-"), "{error}");

    let outside =
        std::env::temp_dir().join(format!("xtask-changelog-outside-{}", std::process::id()));
    std::fs::create_dir_all(&outside).expect("directory");
    let error = xtask::changelog::since("HEAD", &outside.join("openapi.yaml")).unwrap_err();
    std::fs::remove_dir_all(&outside).expect("cleanup");
    assert!(error.contains("is not in a git repository"), "{error}");
}

#[test]
fn compare_names_a_spec_that_does_not_load() {
    let missing = Path::new("/nonexistent/openapi.yaml");
    let after = cases_dir().join("no_change/after.yaml");
    let error = xtask::changelog::compare(missing, &after).unwrap_err();
    assert!(
        error.starts_with("the spec /nonexistent/openapi.yaml does not load:"),
        "{error}"
    );
}

#[test]
fn type_compiled_under_fewer_group_features_is_breaking() {
    let diff = case("type_features");
    assert!(has(
        &diff,
        Level::Major,
        "CommentList: no longer compiled with feature `problems` alone"
    ));
    assert!(has(
        &diff,
        Level::Minor,
        "NoteList: now also compiled with feature `problems`"
    ));
}
