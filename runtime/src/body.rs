//! Request bodies, encoded when they are set.

use bytes::Bytes;

use crate::Form;

/// The body of a request, already encoded (so a request builder can hold any media type in
/// one field, and a failure to encode is reported when the request is sent).
#[derive(Clone, Debug)]
pub struct Body(pub(crate) Encoded);

#[derive(Clone, Debug)]
pub(crate) enum Encoded {
    /// A body with this content type.
    Bytes {
        content_type: &'static str,
        bytes: Bytes,
    },
    /// A `multipart/form-data` form (its boundary is chosen when sent).
    Multipart(Form),
    /// The value could not be encoded.
    Invalid(String),
}

impl Body {
    /// `value` as JSON.
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => Body(Encoded::Bytes {
                content_type: "application/json",
                bytes: Bytes::from(bytes),
            }),
            Err(error) => Body(Encoded::Invalid(format!(
                "cannot serialise the JSON body: {error}"
            ))),
        }
    }

    /// `value`, an object, as `application/x-www-form-urlencoded`: a pair per property, an
    /// array repeated, bytes percent-encoded as they are, a nested object as JSON text.
    pub fn form<T: serde::Serialize + ?Sized>(value: &T) -> Self {
        match crate::form_body::encode(value) {
            Ok(text) => Body(Encoded::Bytes {
                content_type: "application/x-www-form-urlencoded",
                bytes: Bytes::from(text),
            }),
            Err(error) => Body(Encoded::Invalid(format!(
                "cannot URL-encode the form body: {error}"
            ))),
        }
    }

    /// A multipart form. A form without any part is reported as an invalid request: a
    /// `multipart/form-data` body holds at least one part (RFC 2046), and an empty one would
    /// go out as an empty body that no server can read as a form.
    pub fn multipart(form: Form) -> Self {
        if form.is_empty() {
            return Body(Encoded::Invalid(
                "the multipart form has no field set, and a multipart body needs at least one part"
                    .to_owned(),
            ));
        }
        Body(Encoded::Multipart(form))
    }

    /// Raw bytes with their content type.
    pub fn bytes(content_type: &'static str, bytes: impl Into<Bytes>) -> Self {
        Body(Encoded::Bytes {
            content_type,
            bytes: bytes.into(),
        })
    }
}
