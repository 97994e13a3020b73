//! An owned, cloneable `multipart/form-data` builder, turned into a
//! [`reqwest::multipart::Form`] each time the request is sent.
//!
//! File parts come from memory, from a file (opened and streamed at each attempt, so a large
//! file is never held in memory and a retry sends it again), or from a caller's stream (sent
//! once: a request holding one is never retried).

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use tokio::io::AsyncReadExt as _;

use crate::error::Error;
use crate::param::ParamValue;

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

/// How much of a file is read at a time when it is streamed.
const CHUNK: usize = 64 * 1024;

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

    /// Whether the form has no part at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// Whether the form can be sent again: false when a part is a caller's stream.
    pub(crate) fn is_replayable(&self) -> bool {
        self.parts.iter().all(|(_, part)| {
            !matches!(
                part,
                Part::File(FilePart {
                    source: Source::Stream { .. },
                    ..
                })
            )
        })
    }

    /// The reqwest form. Files given by path are opened now.
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Form, PartProblem> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            form = match part {
                Part::Text(text) => form.text(name.clone(), text.clone()),
                Part::File(file) => {
                    let part = file
                        .to_reqwest(name)?
                        .file_name(file.file_name.clone())
                        .mime_str(&file.content_type)
                        .map_err(|_| {
                            PartProblem::Invalid(format!(
                                "file part `{name}` has an invalid content type {:?}",
                                file.content_type
                            ))
                        })?;
                    form.part(name.clone(), part)
                }
            };
        }
        Ok(form)
    }
}

/// Why a form could not be turned into a request body.
#[derive(Debug)]
pub(crate) enum PartProblem {
    /// The form is unusable as built (reported as an invalid request).
    Invalid(String),
    /// A file could not be opened.
    File {
        path: PathBuf,
        source: std::io::Error,
    },
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

/// A file to upload: its name, content type and content (bytes in memory, a file on disk,
/// or a stream).
///
/// Cloning is cheap (content is shared). `Debug` shows the name, the type and the size or
/// path, not the content.
#[derive(Clone)]
pub struct FilePart {
    file_name: String,
    content_type: String,
    source: Source,
}

/// Where a file part's content comes from.
#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// Opened and streamed at each attempt.
    Path(PathBuf),
    /// Taken by the first attempt; clones share it.
    Stream {
        body: Arc<Mutex<Option<reqwest::Body>>>,
        length: Option<u64>,
    },
}

impl FilePart {
    /// A file from memory. The content type is guessed from the file name's
    /// extension (see [`FilePart::mime`] to set it).
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FilePart::new(file_name.into(), Source::Bytes(bytes.into()))
    }

    /// A file on disk, streamed from disk in chunks each time the request is sent (so it is
    /// never held in memory, and a retried request sends it whole again). Its name is the
    /// last component of `path`; its content type is guessed from the extension, or
    /// `application/octet-stream`. A path that is not a readable file is [`Error::File`],
    /// now or when the request is sent.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let file_error = |source| Error::File {
            path: path.display().to_string(),
            source,
        };
        let metadata = tokio::fs::metadata(path).await.map_err(file_error)?;
        if !metadata.is_file() {
            return Err(file_error(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file",
            )));
        }
        let file_name = path
            .file_name()
            .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned());
        Ok(FilePart::new(file_name, Source::Path(path.to_owned())))
    }

    /// A file whose content is read from `stream` as the request is sent, e.g. an upload
    /// relayed from another service. `length` (in bytes), when known, is announced in the
    /// form; without it the request body is sent chunked. A stream can be sent only once:
    /// a request with a streamed part is never retried, and sending it (or a clone) again is
    /// an [`Error::InvalidRequest`].
    pub fn from_stream<S, E>(file_name: impl Into<String>, stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        let body = reqwest::Body::wrap_stream(stream);
        FilePart::new(
            file_name.into(),
            Source::Stream {
                body: Arc::new(Mutex::new(Some(body))),
                length,
            },
        )
    }

    fn new(file_name: String, source: Source) -> Self {
        FilePart {
            content_type: guess_content_type(&file_name).to_owned(),
            file_name,
            source,
        }
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

    /// The reqwest part for this file (without name and type), opening a file on disk.
    fn to_reqwest(&self, name: &str) -> Result<reqwest::multipart::Part, PartProblem> {
        use reqwest::multipart::Part;
        Ok(match &self.source {
            Source::Bytes(bytes) => {
                let length = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
                Part::stream_with_length(reqwest::Body::from(bytes.clone()), length)
            }
            Source::Path(path) => {
                let (body, length) = stream_file(path).map_err(|source| PartProblem::File {
                    path: path.clone(),
                    source,
                })?;
                Part::stream_with_length(body, length)
            }
            Source::Stream { body, length } => {
                let taken = body.lock().ok().and_then(|mut slot| slot.take());
                let Some(body) = taken else {
                    return Err(PartProblem::Invalid(format!(
                        "the stream of file part `{name}` was already sent; a streamed part can be sent once"
                    )));
                };
                match length {
                    Some(length) => Part::stream_with_length(body, *length),
                    None => Part::stream(body),
                }
            }
        })
    }
}

/// A body that reads the file at `path` in chunks, and the file's length.
fn stream_file(path: &Path) -> std::io::Result<(reqwest::Body, u64)> {
    let file = std::fs::File::open(path)?;
    let length = file.metadata()?.len();
    let file = tokio::fs::File::from_std(file);
    let chunks = futures_util::stream::try_unfold(file, |mut file| async move {
        let mut chunk = BytesMut::with_capacity(CHUNK);
        let read = file.read_buf(&mut chunk).await?;
        Ok::<_, std::io::Error>((read > 0).then(|| (chunk.freeze(), file)))
    });
    Ok((reqwest::Body::wrap_stream(chunks), length))
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("FilePart");
        debug
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type);
        match &self.source {
            Source::Bytes(bytes) => debug.field("size", &bytes.len()),
            Source::Path(path) => debug.field("path", path),
            Source::Stream { length, .. } => debug.field("stream_length", length),
        };
        debug.finish()
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
    async fn from_path_reads_name_and_type_and_streams_at_send_time() {
        let dir = std::env::temp_dir().join(format!(
            "openapi-client-runtime-test-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("notes.csv");
        std::fs::write(&path, "a,b\n").unwrap();
        let part = FilePart::from_path(&path).await.unwrap();
        assert_eq!(part.file_name(), "notes.csv");
        assert_eq!(part.content_type(), "text/csv");
        let form = Form::new().file("f", part);
        assert!(form.is_replayable());
        assert!(form.to_reqwest().is_ok());

        std::fs::remove_file(&path).unwrap();
        match form.to_reqwest() {
            Err(PartProblem::File { path: missing, .. }) => assert_eq!(missing, path),
            other => panic!("expected a file problem, got {other:?}"),
        }

        let err = FilePart::from_path(dir.join("missing.bin"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::File { .. }));
        assert!(std::error::Error::source(&err).is_some());
        let err = FilePart::from_path(&dir).await.unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_stream_part_is_sent_once() {
        let chunks =
            futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"x"))]);
        let form = Form::new().file("f", FilePart::from_stream("a.txt", chunks, Some(1)));
        assert!(!form.is_replayable());
        let again = form.clone();
        assert!(form.to_reqwest().is_ok());
        match again.to_reqwest() {
            Err(PartProblem::Invalid(message)) => {
                assert!(message.contains("already sent"), "{message}")
            }
            other => panic!("expected an invalid form, got {other:?}"),
        }
    }

    #[test]
    fn invalid_mime_is_reported() {
        let form = Form::new().file(
            "f",
            FilePart::from_bytes("a", Bytes::new()).mime("not a mime"),
        );
        match form.to_reqwest() {
            Err(PartProblem::Invalid(message)) => assert!(message.contains("`f`"), "{message}"),
            other => panic!("expected an invalid form, got {other:?}"),
        }
    }
}
