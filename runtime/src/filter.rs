//! A typed builder for Freshservice's filter query language.
//!
//! The filter endpoints (tickets, changes, problems, requesters, agents, assets,
//! departments, project tasks, ...) take an expression such as
//! `priority:>3 AND (status:2 OR status:3) AND created_at:>'2024-01-01'`. [`Filter`]
//! builds one from typed conditions and [`Filter::build`] checks it and renders it:
//!
//! - `field:value` ([`Filter::eq`]), `field:>value` (at least, [`Filter::gte`]),
//!   `field:<value` (at most, [`Filter::lte`]), `field!:value` ([`Filter::ne`]),
//!   `field:null` ([`Filter::is_null`]) and `~[a|b]:'prefix'` ([`Filter::starts_with`]);
//! - numbers and booleans bare, strings in single quotes with `\` and `'` escaped by a
//!   backslash, dates as `'YYYY-MM-DD'` and date-times as `'YYYY-MM-DDTHH:MM:SSZ'` in UTC;
//! - `AND` / `OR`, with parentheses wherever the two meet, so the result never depends on
//!   the server's (undocumented) precedence.
//!
//! The result, a [`FilterQuery`], converts into the `String` that generated filter methods
//! take; the request wraps it in double quotes and URL-encodes it.
//!
//! ```
//! use openapi_client_runtime::filter::Filter;
//!
//! # fn main() -> Result<(), openapi_client_runtime::Error> {
//! let since = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
//! let query = Filter::eq("asset_state", "IN STOCK")
//!     .and(Filter::eq("location_id", 7).or(Filter::is_null("location_id")))
//!     .and(Filter::gte("created_at", since))
//!     .build()?;
//! assert_eq!(
//!     query.as_str(),
//!     "asset_state:'IN STOCK' AND (location_id:7 OR location_id:null) AND created_at:>'2024-01-01'"
//! );
//! # Ok(())
//! # }
//! ```

use std::fmt::{self, Write as _};

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};

use crate::error::Error;

/// The longest expression the API accepts, in characters (the surrounding double quotes
/// not counted).
pub const MAX_LENGTH: usize = 512;

/// A filter expression under construction: one condition or an `AND` / `OR` group.
///
/// Building never fails; [`Filter::build`] reports the first problem (an invalid field
/// name, a value the language cannot express, an operator the value's type does not
/// support, an empty group, an expression over [`MAX_LENGTH`] characters).
#[derive(Clone, Debug, PartialEq)]
pub struct Filter(Node);

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Condition { field: String, op: Op, value: Value },
    StartsWith { fields: Vec<String>, prefix: String },
    Group { op: Logic, members: Vec<Filter> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gte,
    Lte,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => ":",
            Op::Ne => "!:",
            Op::Gte => ":>",
            Op::Lte => ":<",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Logic {
    And,
    Or,
}

impl Logic {
    fn keyword(self) -> &'static str {
        match self {
            Logic::And => " AND ",
            Logic::Or => " OR ",
        }
    }

    fn builder_name(self) -> &'static str {
        match self {
            Logic::And => "Filter::all",
            Logic::Or => "Filter::any",
        }
    }
}

/// A value compared in a condition. Built with `From` from integers, floats, `bool`,
/// strings, [`NaiveDate`] and [`DateTime`] (any time zone, converted to UTC).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// The `null` keyword: the field has no value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number, written without quotes.
    Integer(i128),
    /// A decimal number, written without quotes; must be finite.
    Float(f64),
    /// A string, written in single quotes.
    Text(String),
    /// A date, written as `'YYYY-MM-DD'`.
    Date(NaiveDate),
    /// A date-time in UTC, written as `'YYYY-MM-DDTHH:MM:SSZ'` (fractions of a second dropped).
    DateTime(DateTime<Utc>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Integer(_) | Value::Float(_) => "a number",
            Value::Text(_) => "a string",
            Value::Date(_) | Value::DateTime(_) => "a date",
        }
    }
}

macro_rules! value_from_integer {
    ($($t:ty),*) => {
        $(
            impl From<$t> for Value {
                fn from(value: $t) -> Self {
                    Value::Integer(value as i128)
                }
            }
        )*
    };
}

value_from_integer!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Value::Float(value)
    }
}

impl From<f32> for Value {
    fn from(value: f32) -> Self {
        Value::Float(f64::from(value))
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Self {
        Value::Text(value.clone())
    }
}

impl From<NaiveDate> for Value {
    fn from(value: NaiveDate) -> Self {
        Value::Date(value)
    }
}

impl<Tz: TimeZone> From<DateTime<Tz>> for Value {
    fn from(value: DateTime<Tz>) -> Self {
        Value::DateTime(value.with_timezone(&Utc))
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    /// `None` is [`Value::Null`].
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

impl Filter {
    /// `field:value`: the field equals the value (or is empty, for [`Value::Null`]).
    ///
    /// Dates cannot be compared for equality (the API supports only `:>` and `:<` on
    /// them): use [`Filter::between`] with the same date twice for one day.
    pub fn eq(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::condition(field, Op::Eq, value)
    }

    /// `field!:value`: the field differs from the value. The documentation lists this
    /// operator for changes only.
    pub fn ne(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::condition(field, Op::Ne, value)
    }

    /// `field:>value`: the number or date is greater than or equal to the value.
    pub fn gte(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::condition(field, Op::Gte, value)
    }

    /// `field:<value`: the number or date is less than or equal to the value.
    pub fn lte(field: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::condition(field, Op::Lte, value)
    }

    /// `field:>from AND field:<to`: the number or date lies in `from..=to`.
    pub fn between(field: impl Into<String>, from: impl Into<Value>, to: impl Into<Value>) -> Self {
        let field = field.into();
        Self::gte(field.clone(), from).and(Self::lte(field, to))
    }

    /// `field:null`: the field has no value.
    pub fn is_null(field: impl Into<String>) -> Self {
        Self::condition(field, Op::Eq, Value::Null)
    }

    /// `~[a|b]:'prefix'`: one of the fields starts with `prefix`. Documented for the
    /// name, email and phone fields of requesters and agents.
    pub fn starts_with<I, F>(fields: I, prefix: impl Into<String>) -> Self
    where
        I: IntoIterator<Item = F>,
        F: Into<String>,
    {
        Filter(Node::StartsWith {
            fields: fields.into_iter().map(Into::into).collect(),
            prefix: prefix.into(),
        })
    }

    /// All of the filters must match (`a AND b AND ...`). An empty list is reported by
    /// [`Filter::build`].
    pub fn all(filters: impl IntoIterator<Item = Filter>) -> Self {
        Self::group(Logic::And, filters)
    }

    /// At least one of the filters must match (`a OR b OR ...`). An empty list is
    /// reported by [`Filter::build`].
    pub fn any(filters: impl IntoIterator<Item = Filter>) -> Self {
        Self::group(Logic::Or, filters)
    }

    /// This filter and `other` must both match.
    pub fn and(self, other: Filter) -> Self {
        Self::group(Logic::And, [self, other])
    }

    /// This filter or `other` must match.
    pub fn or(self, other: Filter) -> Self {
        Self::group(Logic::Or, [self, other])
    }

    /// Checks the expression and renders it.
    ///
    /// Fails with [`Error::InvalidRequest`] naming the condition concerned when a field
    /// name is not made of ASCII letters, digits and `_`; a string contains a double quote
    /// (which would end the quoted query) or a control character; a number is not finite;
    /// `:>`/`:<` is used on anything but numbers and dates, or `:`/`!:` on a date; a group
    /// is empty; or the expression is longer than [`MAX_LENGTH`] characters.
    pub fn build(&self) -> Result<FilterQuery, Error> {
        let mut out = String::new();
        self.render(&mut out)
            .map_err(|problem| Error::invalid_request(format!("filter {problem}")))?;
        let length = out.chars().count();
        if length > MAX_LENGTH {
            return Err(Error::invalid_request(format!(
                "filter expression is {length} characters long; the API accepts at most {MAX_LENGTH}"
            )));
        }
        Ok(FilterQuery(out))
    }

    fn condition(field: impl Into<String>, op: Op, value: impl Into<Value>) -> Self {
        Filter(Node::Condition {
            field: field.into(),
            op,
            value: value.into(),
        })
    }

    /// A group of `op`; members that are groups of the same operator are merged into it.
    fn group(op: Logic, filters: impl IntoIterator<Item = Filter>) -> Self {
        let mut members = Vec::new();
        for filter in filters {
            match filter.0 {
                Node::Group {
                    op: inner,
                    members: inner_members,
                } if inner == op && !inner_members.is_empty() => members.extend(inner_members),
                node => members.push(Filter(node)),
            }
        }
        Filter(Node::Group { op, members })
    }

    fn render(&self, out: &mut String) -> Result<(), String> {
        match &self.0 {
            Node::Condition { field, op, value } => render_condition(out, field, *op, value),
            Node::StartsWith { fields, prefix } => {
                if fields.is_empty() {
                    return Err(format!(
                        "condition `~[]:{prefix:?}` names no field to search"
                    ));
                }
                for field in fields {
                    check_field(field).map_err(|problem| {
                        format!("condition `~[{}]`: {problem}", fields.join("|"))
                    })?;
                }
                out.push_str("~[");
                out.push_str(&fields.join("|"));
                out.push_str("]:");
                push_text(out, prefix)
                    .map_err(|problem| format!("condition `~[{}]`: {problem}", fields.join("|")))
            }
            Node::Group { op, members } => {
                if members.is_empty() {
                    return Err(format!(
                        "group `{}([])` has no conditions",
                        op.builder_name()
                    ));
                }
                for (i, member) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(op.keyword());
                    }
                    let parenthesise =
                        matches!(&member.0, Node::Group { members, .. } if members.len() > 1);
                    if parenthesise {
                        out.push('(');
                    }
                    member.render(out)?;
                    if parenthesise {
                        out.push(')');
                    }
                }
                Ok(())
            }
        }
    }
}

fn render_condition(out: &mut String, field: &str, op: Op, value: &Value) -> Result<(), String> {
    let symbol = op.symbol();
    let at = |problem: String| format!("condition `{field}{symbol}`: {problem}");
    check_field(field).map_err(at)?;
    let allowed = match (op, value) {
        (Op::Gte | Op::Lte, Value::Integer(_) | Value::Float(_)) => true,
        (Op::Gte | Op::Lte, Value::Date(_) | Value::DateTime(_)) => true,
        (Op::Gte | Op::Lte, _) => false,
        (Op::Eq | Op::Ne, Value::Date(_) | Value::DateTime(_)) => false,
        (Op::Eq | Op::Ne, _) => true,
    };
    if !allowed {
        let hint = match op {
            Op::Gte | Op::Lte => "`:>` and `:<` compare only numbers and dates",
            Op::Eq | Op::Ne => {
                "dates can only be compared with `:>` and `:<` (use Filter::between for one day)"
            }
        };
        return Err(at(format!("{hint}, not {}", value.kind())));
    }
    out.push_str(field);
    out.push_str(symbol);
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Integer(n) => push_display(out, n),
        Value::Float(x) if x.is_finite() => push_display(out, x),
        Value::Float(x) => return Err(at(format!("{x} is not a finite number"))),
        Value::Text(text) => push_text(out, text).map_err(at)?,
        Value::Date(date) => {
            out.push('\'');
            push_display(out, date.format("%Y-%m-%d"));
            out.push('\'');
        }
        Value::DateTime(moment) => {
            out.push('\'');
            out.push_str(&moment.to_rfc3339_opts(SecondsFormat::Secs, true));
            out.push('\'');
        }
    }
    Ok(())
}

/// Field names are snake_case identifiers (`priority`, `custom_dropdown`, `cf_cost`).
fn check_field(field: &str) -> Result<(), String> {
    if field.is_empty() {
        return Err("the field name is empty".to_owned());
    }
    if let Some(bad) = field
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(format!(
            "field name {field:?} contains {bad:?}; only ASCII letters, digits and `_` are allowed"
        ));
    }
    Ok(())
}

/// Writes `'text'`, escaping `\` and `'` with a backslash.
fn push_text(out: &mut String, text: &str) -> Result<(), String> {
    if text.contains('"') {
        return Err(format!(
            "the string {text:?} contains a double quote, which the filter language cannot express inside the quoted query"
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("the string {text:?} contains a control character"));
    }
    out.push('\'');
    for c in text.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    Ok(())
}

fn push_display(out: &mut String, value: impl fmt::Display) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{value}");
}

/// A checked filter expression, at most [`MAX_LENGTH`] characters, ready to pass to a
/// generated filter method (`client.tickets().filter(query)`), which wraps it in double
/// quotes and URL-encodes it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FilterQuery(String);

impl FilterQuery {
    /// The expression, without the surrounding double quotes.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FilterQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for FilterQuery {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<FilterQuery> for String {
    fn from(query: FilterQuery) -> Self {
        query.0
    }
}

impl TryFrom<Filter> for FilterQuery {
    type Error = Error;

    fn try_from(filter: Filter) -> Result<Self, Error> {
        filter.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(filter: Filter) -> String {
        filter.build().expect("valid filter").into()
    }

    fn problem(filter: Filter) -> String {
        let err = filter.build().expect_err("invalid filter");
        assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
        err.to_string()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn each_operator() {
        assert_eq!(query(Filter::eq("priority", 3)), "priority:3");
        assert_eq!(query(Filter::ne("status", 5u8)), "status!:5");
        assert_eq!(query(Filter::gte("priority", 2)), "priority:>2");
        assert_eq!(query(Filter::lte("priority", -1)), "priority:<-1");
        assert_eq!(query(Filter::is_null("agent_id")), "agent_id:null");
        assert_eq!(
            query(Filter::eq("group_id", Option::<i64>::None)),
            "group_id:null"
        );
        assert_eq!(query(Filter::eq("group_id", Some(4))), "group_id:4");
        assert_eq!(
            query(Filter::eq("custom_checkbox", true)),
            "custom_checkbox:true"
        );
        assert_eq!(query(Filter::eq("vip", false)), "vip:false");
        assert_eq!(query(Filter::gte("cost", 12.5)), "cost:>12.5");
        assert_eq!(query(Filter::lte("cost", 0.25f32)), "cost:<0.25");
        assert_eq!(query(Filter::eq("tag", "abc")), "tag:'abc'");
        assert_eq!(query(Filter::eq("id", u64::MAX)), "id:18446744073709551615");
        assert_eq!(
            query(Filter::starts_with(["first_name", "last_name"], "Jo")),
            "~[first_name|last_name]:'Jo'"
        );
    }

    #[test]
    fn dates_in_the_documented_format() {
        assert_eq!(
            query(Filter::gte("created_at", date(2020, 1, 1))),
            "created_at:>'2020-01-01'"
        );
        let moment = chrono::FixedOffset::east_opt(2 * 3600)
            .expect("valid offset")
            .with_ymd_and_hms(2020, 1, 1, 11, 46, 2)
            .single()
            .expect("unambiguous")
            + chrono::Duration::milliseconds(250);
        assert_eq!(
            query(Filter::lte("created_at", moment)),
            "created_at:<'2020-01-01T09:46:02Z'"
        );
        assert_eq!(
            query(Filter::between(
                "due_by",
                date(2024, 2, 1),
                date(2024, 2, 29)
            )),
            "due_by:>'2024-02-01' AND due_by:<'2024-02-29'"
        );
    }

    #[test]
    fn strings_are_quoted_and_escaped() {
        assert_eq!(
            query(Filter::eq("name", "andrea's laptop")),
            r"name:'andrea\'s laptop'"
        );
        assert_eq!(query(Filter::eq("path", r"C:\temp\")), r"path:'C:\\temp\\'");
        assert_eq!(
            query(Filter::eq("time_zone", "Eastern Time (US & Canada)")),
            "time_zone:'Eastern Time (US & Canada)'"
        );
        assert_eq!(query(Filter::eq("name", "null")), "name:'null'");
        assert_eq!(query(Filter::eq("name", "")), "name:''");
        assert_eq!(query(Filter::eq("name", "Zoë 東京")), "name:'Zoë 東京'");
        assert_eq!(
            query(Filter::starts_with(["name"], "O'Br")),
            r"~[name]:'O\'Br'"
        );
    }

    #[test]
    fn and_or_are_parenthesised_where_they_meet() {
        let a = || Filter::eq("a", 1);
        let b = || Filter::eq("b", 2);
        let c = || Filter::eq("c", 3);
        assert_eq!(query(a().and(b()).and(c())), "a:1 AND b:2 AND c:3");
        assert_eq!(query(a().or(b()).or(c())), "a:1 OR b:2 OR c:3");
        assert_eq!(query(a().and(b().or(c()))), "a:1 AND (b:2 OR c:3)");
        assert_eq!(query(a().or(b()).and(c())), "(a:1 OR b:2) AND c:3");
        assert_eq!(query(a().and(b()).or(c())), "(a:1 AND b:2) OR c:3");
        assert_eq!(query(a().or(b().and(c()))), "a:1 OR (b:2 AND c:3)");
        assert_eq!(
            query(a().or(b()).and(c().or(a()))),
            "(a:1 OR b:2) AND (c:3 OR a:1)"
        );
        assert_eq!(
            query(Filter::all([
                a(),
                Filter::any([b(), Filter::all([c(), a()])])
            ])),
            "a:1 AND (b:2 OR (c:3 AND a:1))"
        );
        assert_eq!(
            query(Filter::all([a().and(b()), c()])),
            "a:1 AND b:2 AND c:3"
        );
        // A one-member group needs no parentheses.
        assert_eq!(query(a().or(Filter::all([b()]))), "a:1 OR b:2");
        assert_eq!(query(Filter::any([a()])), "a:1");
    }

    #[test]
    fn inexpressible_input_is_an_error_naming_the_condition() {
        let cases = [
            (Filter::eq("", 1), "the field name is empty"),
            (
                Filter::eq("status = 2", 1),
                "field name \"status = 2\" contains ' '",
            ),
            (Filter::eq("a:b", 1), "contains ':'"),
            (
                Filter::eq("a", 1).and(Filter::eq("name", "say \"hi\"")),
                "condition `name:`: the string \"say \\\"hi\\\"\" contains a double quote",
            ),
            (
                Filter::eq("name", "two\nlines"),
                "contains a control character",
            ),
            (
                Filter::gte("cost", f64::NAN),
                "`cost:>`: NaN is not a finite number",
            ),
            (
                Filter::lte("cost", f64::INFINITY),
                "inf is not a finite number",
            ),
            (
                Filter::gte("name", "m"),
                "`name:>`: `:>` and `:<` compare only numbers and dates, not a string",
            ),
            (Filter::lte("vip", true), "not a boolean"),
            (Filter::gte("agent_id", Value::Null), "not null"),
            (
                Filter::eq("created_at", date(2020, 1, 1)),
                "`created_at:`: dates can only be compared with `:>` and `:<`",
            ),
            (
                Filter::ne("created_at", DateTime::<Utc>::UNIX_EPOCH),
                "`created_at!:`: dates",
            ),
            (Filter::all([]), "group `Filter::all([])` has no conditions"),
            (Filter::eq("a", 1).or(Filter::any([])), "`Filter::any([])`"),
            (
                Filter::starts_with(Vec::<String>::new(), "x"),
                "names no field",
            ),
            (
                Filter::starts_with(["name", "bad field"], "x"),
                "condition `~[name|bad field]`: field name \"bad field\"",
            ),
            (Filter::starts_with(["name"], "\""), "`~[name]`: the string"),
        ];
        for (filter, expected) in cases {
            let message = problem(filter);
            assert!(message.starts_with("invalid request: filter "), "{message}");
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
    }

    #[test]
    fn length_limit_counts_characters() {
        // `name:'…'` is 7 characters around the value.
        let at_limit = "é".repeat(MAX_LENGTH - 7);
        let rendered = query(Filter::eq("name", at_limit.as_str()));
        assert_eq!(rendered.chars().count(), MAX_LENGTH);

        let over = "é".repeat(MAX_LENGTH - 6);
        let message = problem(Filter::eq("name", over));
        assert!(
            message.contains("is 513 characters long; the API accepts at most 512"),
            "{message}"
        );

        // Escaping counts: 505 apostrophes become 1010 characters.
        let message = problem(Filter::eq("name", "'".repeat(MAX_LENGTH - 7)));
        assert!(message.contains("1017 characters"), "{message}");
    }

    #[test]
    fn query_conversions() {
        let filter = Filter::eq("status", 2);
        let checked = FilterQuery::try_from(filter.clone()).expect("valid");
        assert_eq!(checked, filter.build().expect("valid"));
        assert_eq!(checked.to_string(), "status:2");
        assert_eq!(checked.as_ref(), "status:2");
        assert_eq!(String::from(checked), "status:2");
        assert!(FilterQuery::try_from(Filter::all([])).is_err());
    }

    #[test]
    fn a_built_query_passes_the_request_check_and_is_encoded_once() {
        let query = Filter::eq("asset_state", "IN STOCK")
            .and(Filter::gte("created_at", date(2018, 8, 10)))
            .build()
            .expect("valid");
        let url = crate::Request::new(http::Method::GET, "/assets")
            .filter_query("filter", Some(query.as_str()), MAX_LENGTH)
            .url(&url::Url::parse("https://acme.example.com/api/v2").expect("valid URL"))
            .expect("valid request");
        assert_eq!(
            url.query(),
            Some("filter=%22asset_state%3A%27IN%20STOCK%27%20AND%20created_at%3A%3E%272018-08-10%27%22")
        );
    }
}
