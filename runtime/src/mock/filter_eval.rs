//! Evaluating filter queries (`status:2 AND (priority:>3 OR agent_id:null)`) against a fake's
//! records, as `GET <path>/filter?query="..."` does.
//!
//! The language is the one [`Filter`](crate::Filter) writes: conditions `field:value`
//! (equal), `field:>value` (at least), `field:<value` (at most), values that are numbers,
//! `'quoted strings'` (`\'` escapes a quote), `true`, `false` or `null`, joined with `AND`
//! and `OR` (AND binds tighter) and grouped with parentheses. Dates compare as the strings
//! they are (`'2024-01-01'` against `"2024-03-08T10:26:17Z"`), which orders ISO dates.

use serde_json::{Map, Value};

/// A parsed query.
#[derive(Debug, PartialEq)]
pub(super) enum Query {
    /// Every part holds.
    And(Vec<Query>),
    /// Some part holds.
    Or(Vec<Query>),
    /// One field compared with one value.
    Condition {
        field: String,
        comparison: Comparison,
        value: Value,
    },
}

/// How a condition compares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Comparison {
    /// `:`
    Equal,
    /// `:>`
    AtLeast,
    /// `:<`
    AtMost,
}

impl Query {
    /// Parses a query (its surrounding double quotes, if any, removed first); the error says
    /// what is wrong and where.
    pub(super) fn parse(text: &str) -> Result<Query, String> {
        let text = text.trim();
        let text = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(text);
        let mut parser = Parser {
            chars: text.chars().collect(),
            at: 0,
        };
        let query = parser.or()?;
        parser.skip_spaces();
        if parser.at < parser.chars.len() {
            return Err(format!("unexpected text at character {}", parser.at + 1));
        }
        Ok(query)
    }

    /// Whether `record` satisfies the query.
    pub(super) fn matches(&self, record: &Map<String, Value>) -> bool {
        match self {
            Query::And(parts) => parts.iter().all(|part| part.matches(record)),
            Query::Or(parts) => parts.iter().any(|part| part.matches(record)),
            Query::Condition {
                field,
                comparison,
                value,
            } => {
                let actual = record.get(field).unwrap_or(&Value::Null);
                match comparison {
                    Comparison::Equal => equal(actual, value),
                    Comparison::AtLeast => order(actual, value).is_some_and(|o| o.is_ge()),
                    Comparison::AtMost => order(actual, value).is_some_and(|o| o.is_le()),
                }
            }
        }
    }
}

/// Equality the way the API reads it: numbers by value, strings exactly, `null` for absent.
fn equal(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        // A list field matches when it holds the value (`tags:'vip'`).
        (Value::Array(items), expected) => items.iter().any(|item| equal(item, expected)),
        (a, b) => a == b,
    }
}

/// The order of two numbers or two strings; none for anything else.
fn order(actual: &Value, bound: &Value) -> Option<std::cmp::Ordering> {
    match (actual, bound) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => Some(a.as_str().cmp(b.as_str())),
        _ => None,
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn skip_spaces(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    /// Consumes `word` (a keyword followed by a space or a parenthesis) if it comes next.
    fn keyword(&mut self, word: &str) -> bool {
        self.skip_spaces();
        let end = self.at + word.len();
        let matches = self.chars.len() >= end
            && self.chars[self.at..end].iter().collect::<String>() == word
            && self
                .chars
                .get(end)
                .is_none_or(|c| c.is_whitespace() || *c == '(');
        if matches {
            self.at = end;
        }
        matches
    }

    fn or(&mut self) -> Result<Query, String> {
        let mut parts = vec![self.and()?];
        while self.keyword("OR") {
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Query, String> {
        let mut parts = vec![self.factor()?];
        while self.keyword("AND") {
            parts.push(self.factor()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Query::And(parts)
        })
    }

    fn factor(&mut self) -> Result<Query, String> {
        self.skip_spaces();
        if self.chars.get(self.at) == Some(&'(') {
            self.at += 1;
            let inner = self.or()?;
            self.skip_spaces();
            if self.chars.get(self.at) != Some(&')') {
                return Err(format!("missing `)` at character {}", self.at + 1));
            }
            self.at += 1;
            return Ok(inner);
        }
        let start = self.at;
        while self
            .chars
            .get(self.at)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        {
            self.at += 1;
        }
        if self.at == start {
            return Err(format!("expected a field name at character {}", start + 1));
        }
        let field: String = self.chars[start..self.at].iter().collect();
        if self.chars.get(self.at) != Some(&':') {
            return Err(format!("expected `:` after `{field}`"));
        }
        self.at += 1;
        let comparison = match self.chars.get(self.at) {
            Some('>') => {
                self.at += 1;
                Comparison::AtLeast
            }
            Some('<') => {
                self.at += 1;
                Comparison::AtMost
            }
            _ => Comparison::Equal,
        };
        let value = self.value()?;
        Ok(Query::Condition {
            field,
            comparison,
            value,
        })
    }

    fn value(&mut self) -> Result<Value, String> {
        if self.chars.get(self.at) == Some(&'\'') {
            self.at += 1;
            let mut text = String::new();
            loop {
                match self.chars.get(self.at) {
                    None => return Err("an unterminated string".to_owned()),
                    Some('\\') => {
                        text.extend(self.chars.get(self.at + 1));
                        self.at += 2;
                    }
                    Some('\'') => {
                        self.at += 1;
                        return Ok(Value::String(text));
                    }
                    Some(c) => {
                        text.push(*c);
                        self.at += 1;
                    }
                }
            }
        }
        let start = self.at;
        while self
            .chars
            .get(self.at)
            .is_some_and(|c| c.is_alphanumeric() || *c == '-' || *c == '.')
        {
            self.at += 1;
        }
        let word: String = self.chars[start..self.at].iter().collect();
        match word.as_str() {
            "" => Err(format!("expected a value at character {}", start + 1)),
            "null" => Ok(Value::Null),
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            number => serde_json::from_str::<serde_json::Number>(number)
                .map(Value::Number)
                .map_err(|_| format!("`{number}` is not a number; quote strings")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("test records are objects"),
        }
    }

    #[test]
    fn queries_select_the_records_they_describe() {
        let open_urgent = record(json!({"status": 2, "priority": 4, "agent_id": null,
            "created_at": "2024-03-08T10:26:17Z", "tags": ["vip"], "subject": "it's down"}));
        let closed = record(json!({"status": 5, "priority": 1, "agent_id": 7,
            "created_at": "2023-01-01T00:00:00Z"}));
        let matching = |query: &str| {
            let query = Query::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            [&open_urgent, &closed]
                .into_iter()
                .map(|r| query.matches(r))
                .collect::<Vec<_>>()
        };
        assert_eq!(matching("\"status:2\""), [true, false]);
        assert_eq!(matching("priority:>3 AND status:2"), [true, false]);
        assert_eq!(matching("priority:<1 OR agent_id:null"), [true, true]);
        assert_eq!(
            matching("(status:5 OR status:2) AND agent_id:7"),
            [false, true]
        );
        assert_eq!(matching("created_at:>'2024-01-01'"), [true, false]);
        assert_eq!(matching("tags:'vip'"), [true, false]);
        assert_eq!(matching(r"subject:'it\'s down'"), [true, false]);
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        assert!(Query::parse("status").unwrap_err().contains("expected `:`"));
        assert!(Query::parse("status:'open")
            .unwrap_err()
            .contains("unterminated"));
        assert!(Query::parse("(status:2")
            .unwrap_err()
            .contains("missing `)`"));
        assert!(Query::parse("status:open")
            .unwrap_err()
            .contains("quote strings"));
    }
}
