//! An owned, cloneable `multipart/form-data` builder, turned into a
//! [`reqwest::multipart::Form`] each time the request is sent.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use bytes::Bytes;

use crate::error::Error;
use crate::request::ParamValue;

/// Content types guessed from file name extensions; anything else is
/// `application/octet-stream`.
const CONTENT_TYPES: &[(&str, &str)] = &[
    ("txt", "text/plain"),
    ("log", "text/plain"),
    ("csv", "text/csv"),
    ("htm", "text/html"),
    ("html", "text/html"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("pdf", "application/pdf"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("svg", "image/svg+xml"),
    ("webp", "image/webp"),
    ("eml", "message/rfc822"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
];

const OCTET_STREAM: &str = "application/octet-stream";

/// A `multipart/form-data` body: text fields and files, in order.
#[derive(Clone, Debug, Default)]
pub struct Form {
    parts: Vec<(Cow<'static, str>, Part)>,
}

#[derive(Clone, Debug)]
enum Part {
    Text(String),
    File(FilePart),
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Form::default()
    }

    /// Adds a text field. The name is usually a `&'static str`; a `String`
    /// works too (e.g. `custom_fields[cost]`).
    pub fn text(mut self, name: impl Into<Cow<'static, str>>, value: impl ParamValue) -> Self {
        self.parts
            .push((name.into(), Part::Text(value.to_param().into_owned())));
        self
    }

    /// Adds a file field (repeat the name for several files, e.g. `attachments[]`).
    pub fn file(mut self, name: impl Into<Cow<'static, str>>, file: FilePart) -> Self {
        self.parts.push((name.into(), Part::File(file)));
        self
    }

    /// The reqwest form; `Err` names an invalid content type.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Form, String> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            form = match part {
                Part::Text(text) => form.text(name.clone(), text.clone()),
                Part::File(file) => {
                    let length = u64::try_from(file.bytes.len()).unwrap_or(u64::MAX);
                    let part = reqwest::multipart::Part::stream_with_length(
                        reqwest::Body::from(file.bytes.clone()),
                        length,
                    )
                    .file_name(file.file_name.clone())
                    .mime_str(&file.content_type)
                    .map_err(|_| {
                        format!(
                            "file part `{name}` has an invalid content type {:?}",
                            file.content_type
                        )
                    })?;
                    form.part(name.clone(), part)
                }
            };
        }
        Ok(form)
    }
}

/// The text of a form field holding structured data: strings as they are, anything else as
/// JSON (`{"a":1}`, `[1,2]`, `true`).
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A file to upload: its name, content type and bytes.
///
/// Cloning is cheap (the bytes are shared). `Debug` shows the name, the type
/// and the size, not the content.
#[derive(Clone)]
pub struct FilePart {
    file_name: String,
    content_type: String,
    bytes: Bytes,
}

impl FilePart {
    /// A file from memory. The content type is guessed from the file name's
    /// extension (see [`FilePart::mime`] to set it).
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        let file_name = file_name.into();
        FilePart {
            content_type: guess_content_type(&file_name).to_owned(),
            file_name,
            bytes: bytes.into(),
        }
    }

    /// Reads a file. Its name is the last component of `path`; its content type
    /// is guessed from the extension, or `application/octet-stream`.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path).await.map_err(|source| Error::File {
            path: path.display().to_string(),
            source,
        })?;
        let file_name = path
            .file_name()
            .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned());
        Ok(FilePart::from_bytes(file_name, bytes))
    }

    /// Sets the content type, e.g. `image/png`. An invalid one is reported when
    /// the request is sent.
    pub fn mime(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The file name sent with the part.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type sent with the part.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("size", &self.bytes.len())
            .finish()
    }
}

fn guess_content_type(file_name: &str) -> &'static str {
    let Some((_, ext)) = file_name.rsplit_once('.') else {
        return OCTET_STREAM;
    };
    CONTENT_TYPES
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(ext))
        .map_or(OCTET_STREAM, |(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_content_types() {
        assert_eq!(guess_content_type("a.PNG"), "image/png");
        assert_eq!(guess_content_type("report.tar.gz"), "application/gzip");
        assert_eq!(guess_content_type("README"), OCTET_STREAM);
        assert_eq!(guess_content_type("x.unknown"), OCTET_STREAM);
    }

    #[test]
    fn debug_hides_content() {
        let part = FilePart::from_bytes("secret.txt", &b"top secret"[..]).mime("text/x-custom");
        let debug = format!("{part:?}");
        assert_eq!(
            debug,
            r#"FilePart { file_name: "secret.txt", content_type: "text/x-custom", size: 10 }"#
        );
    }

    #[tokio::test]
    async fn from_path_reads_name_and_type() {
        let dir = std::env::temp_dir().join(format!("client-runtime-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("notes.csv");
        std::fs::write(&path, "a,b\n").unwrap();
        let part = FilePart::from_path(&path).await.unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(part.file_name(), "notes.csv");
        assert_eq!(part.content_type(), "text/csv");
        assert_eq!(part.bytes, Bytes::from_static(b"a,b\n"));

        let err = FilePart::from_path(dir.join("missing.bin"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::File { .. }));
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn invalid_mime_is_reported() {
        let form = Form::new().file(
            "f",
            FilePart::from_bytes("a", Bytes::new()).mime("not a mime"),
        );
        assert!(form.to_reqwest().unwrap_err().contains("`f`"));
    }
}
