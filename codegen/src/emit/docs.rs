//! Spec text → doc attributes that rustdoc renders without warnings and never runs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc = "..."]` lines for a summary and description, with `extra` paragraphs after them.
pub fn doc_attrs(docs: &Docs, extra: &[String]) -> TokenStream {
    let attrs = doc_lines(docs, extra)
        .into_iter()
        .map(|line| quote!(#[doc = #line]));
    quote!(#(#attrs)*)
}

/// `#![doc = "..."]` lines: spec text (sanitized), then `raw` markdown as written.
pub fn inner_doc_attrs(docs: &Docs, raw: &str) -> TokenStream {
    let mut lines = doc_lines(docs, &[]);
    lines.push(String::new());
    lines.extend(raw.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    }));
    let attrs = lines.into_iter().map(|line| quote!(#![doc = #line]));
    quote!(#(#attrs)*)
}

/// The doc lines (each with its leading space) for a summary, description and extra paragraphs.
fn doc_lines(docs: &Docs, extra: &[String]) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(summary) = docs.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        paragraphs.push(summary.trim().to_owned());
    }
    if let Some(description) = docs.description.as_deref().filter(|s| !s.trim().is_empty()) {
        if docs.summary.as_deref().map(str::trim) != Some(description.trim()) {
            paragraphs.push(description.trim().to_owned());
        }
    }
    paragraphs.extend(extra.iter().cloned());
    let mut lines: Vec<String> = Vec::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(sanitize(paragraph));
    }
    lines
        .into_iter()
        .map(|line| {
            if line.is_empty() {
                line
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Makes spec prose safe for rustdoc: no indented or untyped code blocks (they would run as
/// doctests), no brackets read as links, no HTML tags, bare URLs wrapped as links.
fn sanitize(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.lines()
        .map(|line| {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("```") {
                in_fence = !in_fence;
                return if in_fence && rest.trim().is_empty() {
                    "```text".to_owned()
                } else {
                    line.to_owned()
                };
            }
            if in_fence {
                return line.to_owned();
            }
            escape_prose(line)
        })
        .collect()
}

fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for word in line.split_inclusive(' ') {
        let bare = word.trim_end();
        if bare.starts_with("http://") || bare.starts_with("https://") {
            let url = bare.trim_end_matches(['.', ',', ')', ';']);
            let tail = &word[url.len()..];
            out.push('<');
            out.push_str(url);
            out.push('>');
            out.push_str(tail);
            continue;
        }
        let mut in_code = false;
        for c in word.chars() {
            match c {
                '`' => {
                    in_code = !in_code;
                    out.push(c);
                }
                '[' | ']' | '<' | '>' if !in_code => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_escaped_and_code_is_not_run() {
        let lines = sanitize("Use /tickets/[id] with <b>bold</b>\n    indented\n```\ncode\n```\nSee https://example.com.");
        assert_eq!(lines[0], "Use /tickets/\\[id\\] with \\<b\\>bold\\</b\\>");
        assert_eq!(lines[1], "indented");
        assert_eq!(lines[2], "```text");
        assert_eq!(lines[5], "See <https://example.com>.");
    }
}
