//! The text `cargo xtask changelog` prints: changes by section, then the version bump.

use std::fmt::Write as _;

use super::diff::{Diff, Level, Section};

/// The report of `diff` for a client now at `version` (`0.1.0`): one heading per section
/// (resource groups by module name, then `types`), one line per change tagged `breaking`,
/// `minor` or `patch`, and the semver bump last.
pub fn render(diff: &Diff, version: &str) -> String {
    let mut text = String::new();
    if diff.sections.is_empty() {
        text.push_str("no changes to the public API\n");
    }
    for (section, changes) in &diff.sections {
        let heading = match section {
            Section::Group(name) => format!("{name} (resource group)"),
            Section::Types => "types".to_owned(),
        };
        let _ = writeln!(text, "{heading}");
        for change in changes {
            let tag = match change.level {
                Level::Major => "breaking",
                Level::Minor => "minor",
                Level::Patch => "patch",
            };
            let _ = writeln!(text, "  {tag:<8}  {}: {}", change.subject, change.what);
        }
        text.push('\n');
    }
    if !diff.sections.is_empty() {
        let count = |level: Level| diff.changes().filter(|c| c.level == level).count();
        let _ = writeln!(
            text,
            "{} breaking, {} minor, {} patch",
            count(Level::Major),
            count(Level::Minor),
            count(Level::Patch)
        );
    }
    text.push_str(&bump_line(diff.level(), version));
    text.push('\n');
    text
}

/// The semver line: the bump the changes need and the version it leads to.
fn bump_line(level: Option<Level>, version: &str) -> String {
    let Some(level) = level else {
        return format!("semver: none (stays {version})");
    };
    let (name, why) = match level {
        Level::Major => ("major", "breaking changes"),
        Level::Minor => ("minor", "additions, nothing breaking"),
        Level::Patch => ("patch", "nothing to change for callers"),
    };
    let mut line = format!("semver: {name} ({why})");
    let zero = version.starts_with("0.");
    match (next_version(version, level), zero && level != Level::Patch) {
        (Some(next), true) => {
            let as_what = if level == Level::Major {
                "a minor"
            } else {
                "a patch"
            };
            let _ = write!(
                line,
                "; while the client is 0.x that is {as_what} bump: {version} → {next}"
            );
        }
        (Some(next), false) => {
            let _ = write!(line, ": {version} → {next}");
        }
        (None, _) => {
            let _ = write!(line, "; the version {version} is not MAJOR.MINOR.PATCH");
        }
    }
    line
}

/// The version after a `level` bump of `version` (`MAJOR.MINOR.PATCH`). While the major
/// version is 0, Cargo treats the minor version as the breaking one: breaking changes bump
/// the minor version and additions the patch version.
pub fn next_version(version: &str, level: Level) -> Option<String> {
    let parts: Vec<u64> = version
        .split('.')
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    let [major, minor, patch] = parts[..] else {
        return None;
    };
    Some(match (major, level) {
        (0, Level::Major) => format!("0.{}.0", minor + 1),
        (0, _) | (_, Level::Patch) => format!("{major}.{minor}.{}", patch + 1),
        (_, Level::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Level::Major) => format!("{}.0.0", major + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargo_semver() {
        assert_eq!(
            next_version("0.1.0", Level::Major).as_deref(),
            Some("0.2.0")
        );
        assert_eq!(
            next_version("0.1.3", Level::Minor).as_deref(),
            Some("0.1.4")
        );
        assert_eq!(
            next_version("0.1.3", Level::Patch).as_deref(),
            Some("0.1.4")
        );
        assert_eq!(
            next_version("1.2.3", Level::Major).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            next_version("1.2.3", Level::Minor).as_deref(),
            Some("1.3.0")
        );
        assert_eq!(
            next_version("1.2.3", Level::Patch).as_deref(),
            Some("1.2.4")
        );
        assert_eq!(next_version("1.2", Level::Patch), None);
        assert_eq!(next_version("1.2.x", Level::Patch), None);
    }

    #[test]
    fn bump_lines_say_how_0x_maps() {
        assert_eq!(bump_line(None, "0.1.0"), "semver: none (stays 0.1.0)");
        assert_eq!(
            bump_line(Some(Level::Major), "0.1.0"),
            "semver: major (breaking changes); while the client is 0.x that is a minor bump: 0.1.0 → 0.2.0"
        );
        assert_eq!(
            bump_line(Some(Level::Minor), "0.1.0"),
            "semver: minor (additions, nothing breaking); while the client is 0.x that is a patch bump: 0.1.0 → 0.1.1"
        );
        assert_eq!(
            bump_line(Some(Level::Minor), "1.4.2"),
            "semver: minor (additions, nothing breaking): 1.4.2 → 1.5.0"
        );
        assert_eq!(
            bump_line(Some(Level::Patch), "0.1.0"),
            "semver: patch (nothing to change for callers): 0.1.0 → 0.1.1"
        );
    }
}
