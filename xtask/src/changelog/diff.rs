//! Comparing two API surfaces: every difference a user of the client can notice, with the
//! semver level it needs.
//!
//! The level is judged from how the generated Rust is used:
//!
//! - operations are called as `client.group().method(arguments)`, then builder setters, then
//!   `send`: a new required parameter, a changed type, a removed setter or a renamed method
//!   breaks callers; a new optional parameter only adds a setter;
//! - structs have public fields and are not `#[non_exhaustive]`. Callers build request types
//!   with struct literals, and the README's way is to end them with `..Default::default()`.
//!   So a field added to a type callers build is breaking when it is required (requests
//!   must set it) or when the struct does not implement `Default`; an optional field added
//!   to a struct that implements `Default` is a minor change (a literal that names every
//!   field without `..` would need it too; that is not the documented way). Types only
//!   received in responses are read, not built: a field added to them is minor;
//! - a field that becomes required or optional changes its Rust type (`Option<T>` ↔ `T`)
//!   unless it is nullable, so it breaks readers and writers alike; a nullable one keeps its
//!   type and the change is a patch, except in a type the client sends, where an optional
//!   nullable field is a `Nullable<T>` and a required one an `Option<T>`; a field of such a
//!   type becoming nullable turns `Option<T>` into `Nullable<T>` (breaking);
//! - value enums are `#[non_exhaustive]` with a catch-all variant: a new value is minor (it
//!   used to be read as the catch-all), a removed or renamed one breaking. Unions and the
//!   per-status result enums are exhaustive: any new variant is breaking;
//! - required parameters are positional arguments: renaming one while the argument types keep
//!   their places is a patch, reordering them is breaking (the calls compile but mean
//!   something else);
//! - a type compiled under fewer of the resource-group features that exist in both versions
//!   is breaking for builds with only those features; a removed group is reported once, as
//!   the group.

use std::collections::{BTreeMap, BTreeSet};

use super::surface::{FieldSurface, OperationSurface, Shape, Surface, TypeSurface};

/// How much a change matters to users of the client, in semver terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing in callers' code needs to change, and no API was added.
    Patch,
    /// New API; existing callers keep compiling and working.
    Minor,
    /// Existing callers may stop compiling, or their calls start failing.
    Major,
}

/// Where a change is listed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// A resource group's module: its accessor and operations.
    Group(String),
    /// The `types` module.
    Types,
}

/// One difference between two versions of the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Its semver level.
    pub level: Level,
    /// What changed: an operation call (`tickets().list_tickets()`) or a type name.
    pub subject: String,
    /// How it changed.
    pub what: String,
}

/// Every difference, by section, each section's changes in a fixed order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// Changes by section; sections without changes are absent.
    pub sections: BTreeMap<Section, Vec<Change>>,
}

impl Diff {
    /// The highest level of any change; `None` when nothing changed.
    pub fn level(&self) -> Option<Level> {
        self.changes().map(|change| change.level).max()
    }

    /// Every change, section by section.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.sections.values().flatten()
    }

    fn push(&mut self, section: Section, level: Level, subject: &str, what: String) {
        self.sections.entry(section).or_default().push(Change {
            level,
            subject: subject.to_owned(),
            what,
        });
    }
}

/// Every difference from `before` to `after`.
pub fn diff(before: &Surface, after: &Surface) -> Diff {
    let mut out = Diff::default();
    groups(&mut out, before, after);
    operations(&mut out, before, after);
    types(&mut out, before, after);
    for changes in out.sections.values_mut() {
        // Breaking changes first; the sort is stable, so the rest keep their key order.
        changes.sort_by_key(|change| std::cmp::Reverse(change.level));
    }
    out
}

fn groups(out: &mut Diff, before: &Surface, after: &Surface) {
    for (name, old) in &before.groups {
        let section = Section::Group(name.clone());
        let subject = format!("{name}()");
        match after.groups.get(name) {
            None => out.push(
                section,
                Level::Major,
                &subject,
                format!("resource group removed: module `{name}`, its accessor and cargo feature are gone"),
            ),
            Some(new) if new.handle != old.handle => out.push(
                section,
                Level::Major,
                &subject,
                format!("handle type renamed `{}` → `{}`", old.handle, new.handle),
            ),
            Some(_) => {}
        }
    }
    for name in after.groups.keys() {
        if !before.groups.contains_key(name) {
            out.push(
                Section::Group(name.clone()),
                Level::Minor,
                &format!("{name}()"),
                format!("resource group added: module `{name}`, `Client::{name}()` and cargo feature `{name}` (in `full`)"),
            );
        }
    }
}

fn operations(out: &mut Diff, before: &Surface, after: &Surface) {
    for (route, old) in &before.operations {
        if !after.operations.contains_key(route) {
            out.push(
                Section::Group(old.group.clone()),
                Level::Major,
                &old.call(),
                format!("operation removed ({route})"),
            );
        }
    }
    for (route, new) in &after.operations {
        let section = Section::Group(new.group.clone());
        let subject = new.call();
        let Some(old) = before.operations.get(route) else {
            out.push(
                section,
                Level::Minor,
                &subject,
                format!("operation added ({route})"),
            );
            continue;
        };
        if old.group != new.group {
            let what = format!("moved from `{}` ({route})", old.call());
            out.push(section.clone(), Level::Major, &subject, what);
        } else if old.method != new.method {
            let what = format!("renamed from `{}` ({route})", old.call());
            out.push(section.clone(), Level::Major, &subject, what);
        }
        let mut changes = Vec::new();
        operation(&mut changes, old, new);
        for (level, what) in changes {
            out.push(section.clone(), level, &subject, what);
        }
    }
}

/// The changes within one operation present in both versions.
fn operation(out: &mut Vec<(Level, String)>, old: &OperationSurface, new: &OperationSurface) {
    if old.builder != new.builder {
        out.push((
            Level::Major,
            format!(
                "request builder renamed `{}` → `{}`",
                old.builder, new.builder
            ),
        ));
    }
    // Arguments are positional: when their types keep their places and only names change,
    // every call still compiles and means the same.
    let argument_types = |op: &OperationSurface| -> Vec<String> {
        op.arguments
            .iter()
            .map(|name| op.params[name].ty.clone())
            .collect()
    };
    let sorted = |names: &[String]| -> Vec<String> {
        let mut names = names.to_vec();
        names.sort();
        names
    };
    let renamed_arguments = argument_types(old) == argument_types(new)
        && sorted(&old.arguments) != sorted(&new.arguments);
    if renamed_arguments {
        out.push((
            Level::Patch,
            format!(
                "arguments renamed: ({}) → ({}); calls are unaffected",
                old.arguments.join(", "),
                new.arguments.join(", ")
            ),
        ));
    }
    let renamed_away =
        |name: &String, op: &OperationSurface| renamed_arguments && op.arguments.contains(name);
    for (name, param) in &old.params {
        let Some(now) = new.params.get(name) else {
            if renamed_away(name, old) {
                continue;
            }
            let form = if param.required {
                "an argument"
            } else {
                "a setter"
            };
            out.push((
                Level::Major,
                format!("parameter `{name}` removed (was {form})"),
            ));
            continue;
        };
        match (param.required, now.required) {
            (false, true) => out.push((
                Level::Major,
                format!("parameter `{name}` became required: the setter is now an argument"),
            )),
            (true, false) => out.push((
                Level::Major,
                format!("parameter `{name}` became optional: no longer an argument, set it with `.{name}()`"),
            )),
            _ => {}
        }
        if param.ty != now.ty {
            out.push((
                Level::Major,
                format!("parameter `{name}` retyped: {} → {}", param.ty, now.ty),
            ));
        }
    }
    for (name, param) in &new.params {
        if old.params.contains_key(name) || renamed_away(name, new) {
            continue;
        }
        if param.required {
            out.push((
                Level::Major,
                format!(
                    "required parameter `{name}: {}` added (a new argument)",
                    param.ty
                ),
            ));
        } else {
            out.push((
                Level::Minor,
                format!(
                    "optional parameter `{name}: {}` added (setter `.{name}()`)",
                    param.ty
                ),
            ));
        }
    }
    let kept = |from: &[String], to: &[String]| -> Vec<String> {
        from.iter()
            .filter(|name| to.contains(name))
            .cloned()
            .collect()
    };
    let (old_order, new_order) = (
        kept(&old.arguments, &new.arguments),
        kept(&new.arguments, &old.arguments),
    );
    if old_order != new_order && !renamed_arguments {
        out.push((
            Level::Major,
            format!(
                "arguments reordered: ({}) → ({})",
                old_order.join(", "),
                new_order.join(", ")
            ),
        ));
    }
    body(out, old, new);
    if old.returns != new.returns {
        out.push((
            Level::Major,
            format!("result retyped: {} → {}", old.returns, new.returns),
        ));
    }
    match (&old.paging, &new.paging) {
        (None, Some(item)) => out.push((
            Level::Minor,
            format!("now pages: `.pages()` and `.items()` of {item} added"),
        )),
        (Some(_), None) => out.push((
            Level::Major,
            "no longer pages: `.pages()` and `.items()` removed".to_owned(),
        )),
        // A new item type comes with a new result type, already reported.
        (Some(old_item), Some(new_item)) if old_item != new_item && old.returns == new.returns => {
            out.push((
                Level::Major,
                format!("page item retyped: {old_item} → {new_item}"),
            ))
        }
        _ => {}
    }
    match (old.deprecated, new.deprecated) {
        (false, true) => out.push((Level::Minor, "deprecated".to_owned())),
        (true, false) => out.push((Level::Patch, "no longer deprecated".to_owned())),
        _ => {}
    }
}

/// Changes to the body setters of one operation.
fn body(out: &mut Vec<(Level, String)>, old: &OperationSurface, new: &OperationSurface) {
    for (setter, ty) in &old.body {
        match new.body.get(setter) {
            None => out.push((Level::Major, format!("body setter `.{setter}()` removed"))),
            Some(now) if now != ty => out.push((
                Level::Major,
                format!("body retyped: {ty} → {now} (setter `.{setter}()`)"),
            )),
            Some(_) => {}
        }
    }
    for (setter, ty) in &new.body {
        if !old.body.contains_key(setter) {
            out.push((Level::Minor, format!("body setter `.{setter}({ty})` added")));
        }
    }
    let both = !old.body.is_empty() && !new.body.is_empty();
    match (old.body_required, new.body_required) {
        (false, true) => out.push((
            Level::Major,
            "request body now required: `send` fails unless a body is set".to_owned(),
        )),
        (true, false) if both => out.push((Level::Patch, "request body now optional".to_owned())),
        _ => {}
    }
}

fn types(out: &mut Diff, before: &Surface, after: &Surface) {
    let removed: Vec<&String> = before
        .types
        .keys()
        .filter(|name| !after.types.contains_key(*name))
        .collect();
    let mut added: BTreeSet<&String> = after
        .types
        .keys()
        .filter(|name| !before.types.contains_key(*name))
        .collect();
    for old_name in removed {
        let old = &before.types[old_name];
        // A type that disappears while one of the same shape appears was renamed.
        let renamed = added
            .iter()
            .copied()
            .find(|new_name| after.types[*new_name].shape == old.shape);
        match renamed {
            Some(new_name) => {
                added.remove(new_name);
                out.push(
                    Section::Types,
                    Level::Major,
                    new_name,
                    format!("{} renamed from `{old_name}`", old.shape.kind()),
                );
            }
            None => out.push(
                Section::Types,
                Level::Major,
                old_name,
                format!("{} removed", old.shape.kind()),
            ),
        }
    }
    for name in added {
        let kind = after.types[name].shape.kind();
        out.push(Section::Types, Level::Minor, name, format!("{kind} added"));
    }
    for (name, old) in &before.types {
        if let Some(new) = after.types.get(name) {
            let mut changes = Vec::new();
            type_changes(&mut changes, old, new);
            features(&mut changes, &old.features, &new.features, before, after);
            for (level, what) in changes {
                out.push(Section::Types, level, name, what);
            }
        }
    }
}

/// The changes within one type present in both versions.
fn type_changes(out: &mut Vec<(Level, String)>, old: &TypeSurface, new: &TypeSurface) {
    match (&old.shape, &new.shape) {
        (
            Shape::Struct {
                fields: old_fields,
                default: old_default,
            },
            Shape::Struct {
                fields: new_fields,
                default: new_default,
            },
        ) => {
            let built = old.built_by_callers || new.built_by_callers;
            fields(
                out,
                old_fields,
                new_fields,
                built,
                *old_default && *new_default,
            );
            match (old_default, new_default) {
                (true, false) => {
                    out.push((Level::Major, "no longer implements `Default`".to_owned()))
                }
                (false, true) => out.push((Level::Minor, "now implements `Default`".to_owned())),
                _ => {}
            }
        }
        (
            Shape::Enum {
                values: old_values,
                unknown: old_unknown,
            },
            Shape::Enum {
                values: new_values,
                unknown: new_unknown,
            },
        ) => {
            for (value, variant) in old_values {
                match new_values.get(value) {
                    None => out.push((
                        Level::Major,
                        format!("value `{value}` removed (variant `{variant}`)"),
                    )),
                    Some(now) if now != variant => out.push((
                        Level::Major,
                        format!("variant of value `{value}` renamed `{variant}` → `{now}`"),
                    )),
                    Some(_) => {}
                }
            }
            for (value, variant) in new_values {
                if !old_values.contains_key(value) {
                    out.push((
                        Level::Minor,
                        format!(
                            "value `{value}` added (variant `{variant}`; the enum is #[non_exhaustive]; the value used to be read as `{new_unknown}(..)`)"
                        ),
                    ));
                }
            }
            if old_unknown != new_unknown {
                out.push((
                    Level::Major,
                    format!("catch-all variant renamed `{old_unknown}` → `{new_unknown}`"),
                ));
            }
        }
        (Shape::Union { variants: old_v }, Shape::Union { variants: new_v }) => {
            let old_v = old_v.iter().map(|(k, v)| (k, Some(v))).collect();
            let new_v = new_v.iter().map(|(k, v)| (k, Some(v))).collect();
            variants(out, &old_v, &new_v);
        }
        (Shape::StatusEnum { variants: old_v }, Shape::StatusEnum { variants: new_v }) => {
            let old_v = old_v.iter().map(|(k, v)| (k, v.as_ref())).collect();
            let new_v = new_v.iter().map(|(k, v)| (k, v.as_ref())).collect();
            variants(out, &old_v, &new_v);
        }
        (Shape::Alias { target: old_target }, Shape::Alias { target: new_target }) => {
            if old_target != new_target {
                out.push((
                    Level::Major,
                    format!("alias retyped: {old_target} → {new_target}"),
                ));
            }
        }
        (old_shape, new_shape) => out.push((
            Level::Major,
            format!(
                "changed from {} to {}",
                describe(old_shape),
                describe(new_shape)
            ),
        )),
    }
}

/// A shape's kind in words, telling the three kinds of enum apart.
fn describe(shape: &Shape) -> &'static str {
    match shape {
        Shape::Enum { .. } => "a value enum",
        Shape::Union { .. } => "a union enum",
        Shape::StatusEnum { .. } => "a per-status result enum",
        Shape::Struct { .. } => "a struct",
        Shape::Alias { .. } => "a type alias",
    }
}

/// Changes to a struct's fields; `built` when callers build values of it, `default` when it
/// implements `Default` in both versions.
fn fields(
    out: &mut Vec<(Level, String)>,
    old: &BTreeMap<String, FieldSurface>,
    new: &BTreeMap<String, FieldSurface>,
    built: bool,
    default: bool,
) {
    for (name, field) in old {
        let Some(now) = new.get(name) else {
            out.push((Level::Major, format!("field `{name}` removed")));
            continue;
        };
        let (was, is) = (&field.ty, &now.ty);
        if let Some(how) = nullable_change(field, now) {
            out.push((Level::Major, format!("field `{name}` {how}: {was} → {is}")));
        } else if *is == format!("Option<{was}>") {
            out.push((
                Level::Major,
                format!("field `{name}` became optional: {was} → {is}"),
            ));
        } else if *was == format!("Option<{is}>") {
            out.push((
                Level::Major,
                format!("field `{name}` became required: {was} → {is}"),
            ));
        } else if was != is {
            out.push((
                Level::Major,
                format!("field `{name}` retyped: {was} → {is}"),
            ));
        } else if field.required != now.required {
            let how = if now.required {
                "now required by the API"
            } else {
                "no longer required by the API"
            };
            out.push((
                Level::Patch,
                format!("field `{name}` {how} (nullable: stays {is})"),
            ));
        }
    }
    for (name, field) in new {
        if old.contains_key(name) {
            continue;
        }
        let ty = &field.ty;
        let (level, note) = if !built {
            (Level::Minor, "")
        } else if field.required {
            (Level::Major, ": requests must set it")
        } else if default {
            (
                Level::Minor,
                ": literals ending in `..Default::default()` keep compiling",
            )
        } else {
            (Level::Major, ": struct literals must set it")
        };
        let kind = if field.required {
            "required"
        } else {
            "optional"
        };
        out.push((level, format!("{kind} field `{name}: {ty}` added{note}")));
    }
}

/// What a change between `Option<T>` and `Nullable<T>` (a three-state field of a type the
/// client sends) means, if the field's type changed that way.
fn nullable_change(was: &FieldSurface, now: &FieldSurface) -> Option<&'static str> {
    let inner = |ty: &str, wrapper: &str| -> Option<String> {
        ty.strip_prefix(wrapper)?
            .strip_prefix('<')?
            .strip_suffix('>')
            .map(str::to_owned)
    };
    if let (Some(old), Some(new)) = (inner(&was.ty, "Option"), inner(&now.ty, "Nullable")) {
        if old == new {
            return Some(if was.required && !now.required {
                "became optional (`Nullable::Absent` leaves it out)"
            } else {
                "became nullable (`Nullable::Null` sends null)"
            });
        }
    }
    if let (Some(old), Some(new)) = (inner(&was.ty, "Nullable"), inner(&now.ty, "Option")) {
        if old == new {
            return Some(if now.required {
                "became required (it can no longer be left out)"
            } else {
                "is no longer nullable (it can no longer be sent as null)"
            });
        }
    }
    None
}

/// Changes to the variants of an exhaustive enum (payload type, if any, by variant name).
fn variants(
    out: &mut Vec<(Level, String)>,
    old: &BTreeMap<&String, Option<&String>>,
    new: &BTreeMap<&String, Option<&String>>,
) {
    let show = |name: &str, payload: Option<&String>| match payload {
        Some(ty) => format!("{name}({ty})"),
        None => name.to_owned(),
    };
    for (name, payload) in old {
        match new.get(name) {
            None => out.push((
                Level::Major,
                format!("variant `{}` removed", show(name, *payload)),
            )),
            Some(now) if now != payload => out.push((
                Level::Major,
                format!(
                    "variant `{}` now `{}`",
                    show(name, *payload),
                    show(name, *now)
                ),
            )),
            Some(_) => {}
        }
    }
    for (name, payload) in new {
        if !old.contains_key(name) {
            out.push((
                Level::Major,
                format!(
                    "variant `{}` added (the enum is exhaustive: matches must handle it)",
                    show(name, *payload)
                ),
            ));
        }
    }
}

/// Changes to the resource-group features a type is compiled under. Only groups present in
/// both versions count: a removed or added group is reported on its own.
fn features(
    out: &mut Vec<(Level, String)>,
    old: &BTreeSet<String>,
    new: &BTreeSet<String>,
    before: &Surface,
    after: &Surface,
) {
    let list = |set: Vec<&String>| {
        let names: Vec<String> = set.iter().map(|feature| format!("`{feature}`")).collect();
        let word = if names.len() == 1 {
            "feature"
        } else {
            "features"
        };
        format!("{word} {}", names.join(", "))
    };
    let in_both =
        |group: &&String| before.groups.contains_key(*group) && after.groups.contains_key(*group);
    let lost: Vec<&String> = old.difference(new).filter(in_both).collect();
    let gained: Vec<&String> = new.difference(old).filter(in_both).collect();
    if !lost.is_empty() {
        out.push((
            Level::Major,
            format!(
                "no longer compiled with {} alone; now with {}",
                list(lost),
                list(new.iter().collect())
            ),
        ));
    }
    if !gained.is_empty() {
        out.push((
            Level::Minor,
            format!("now also compiled with {}", list(gained)),
        ));
    }
}
