//! Response bodies read as a stream of chunks, for downloads.

use std::fmt;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::stream::BoxStream;
use futures_util::StreamExt as _;
use http::Method;
use tokio::io::AsyncWriteExt as _;

use crate::error::{Error, TimeoutKind};

/// The body of a response, chunk by chunk as it arrives (from
/// [`Client::execute_stream`](crate::Client::execute_stream), or a generated `send_stream`).
///
/// Memory stays bounded by one chunk. A failure while reading ends the stream with
/// [`Error::Transport`], or [`Error::Timeout`] when the attempt's time limit runs out.
#[must_use = "streams do nothing unless polled"]
pub struct ByteStream {
    inner: BoxStream<'static, Result<Bytes, Error>>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl ByteStream {
    /// The rest of `response`'s body; errors name `method` and `path`.
    pub(crate) fn from_response(method: Method, path: String, response: reqwest::Response) -> Self {
        let inner = response
            .bytes_stream()
            .map(move |chunk| {
                chunk.map_err(|err| {
                    if err.is_timeout() {
                        Error::Timeout {
                            method: method.clone(),
                            path: path.clone(),
                            kind: TimeoutKind::Attempt,
                        }
                    } else {
                        Error::Transport {
                            method: method.clone(),
                            path: path.clone(),
                            source: err.without_url(),
                        }
                    }
                })
            })
            .boxed();
        ByteStream { inner }
    }

    /// A body already in memory, as one chunk (none when empty).
    pub fn from_bytes(bytes: Bytes) -> Self {
        let chunk = (!bytes.is_empty()).then_some(Ok(bytes));
        ByteStream {
            inner: futures_util::stream::iter(chunk).boxed(),
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect_bytes(mut self) -> Result<Bytes, Error> {
        let mut all = Vec::new();
        while let Some(chunk) = self.inner.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(all))
    }

    /// Writes the body to a new file at `path` (replacing one that exists), chunk by chunk,
    /// and returns the number of bytes written. An I/O failure is [`Error::File`].
    pub async fn write_to_file(mut self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let file_error = |source| Error::File {
            path: path.display().to_string(),
            source,
        };
        let mut file = tokio::fs::File::create(path).await.map_err(file_error)?;
        let mut written = 0u64;
        while let Some(chunk) = self.inner.next().await {
            let chunk = chunk?;
            file.write_all(&chunk).await.map_err(file_error)?;
            written += chunk.len() as u64;
        }
        file.flush().await.map_err(file_error)?;
        Ok(written)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bytes_stream_as_one_chunk_and_to_a_file() {
        let chunks: Vec<_> = ByteStream::from_bytes(Bytes::from_static(b"abc"))
            .collect()
            .await;
        assert_eq!(chunks.len(), 1);
        assert!(ByteStream::from_bytes(Bytes::new())
            .collect::<Vec<_>>()
            .await
            .is_empty());

        let dir = std::env::temp_dir().join(format!("openapi-client-runtime-dl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.bin");
        let written = ByteStream::from_bytes(Bytes::from_static(b"hello"))
            .write_to_file(&path)
            .await
            .unwrap();
        assert_eq!(written, 5);
        assert_eq!(std::fs::read(&path).unwrap(), b"hello");
        let err = ByteStream::from_bytes(Bytes::from_static(b"x"))
            .write_to_file(dir.join("missing-dir").join("f"))
            .await
            .unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(err, Error::File { .. }), "{err:?}");
    }
}
