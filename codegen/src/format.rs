//! Token streams → formatted source text, in process (prettyplease), with the generated-file
//! header.

use proc_macro2::TokenStream;

/// Formats one Rust file and prefixes `header` as line comments.
///
/// A parse failure here is a bug in the emitter, not in the spec; it is returned as text so
/// the caller can report which file it was.
pub fn rust_file(header: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|error| format!("emitted code does not parse: {error}"))?;
    let mut text = comment_lines(header, "//");
    text.push('\n');
    text.push_str(&prettyplease::unparse(&file));
    Ok(text)
}

/// `header` as comment lines with the given marker (`//`, `#`).
pub fn comment_lines(header: &str, marker: &str) -> String {
    header
        .lines()
        .map(|line| {
            if line.is_empty() {
                format!("{marker}\n")
            } else {
                format!("{marker} {line}\n")
            }
        })
        .collect()
}
