//! Credentials for the security schemes an API description declares.
//!
//! A generated client gives each scheme of its description a builder method that stores a
//! [`Credential`] under the scheme's name ([`ClientBuilder::credential`]). Each generated
//! request names the schemes it accepts ([`Request::security`]): a list of alternatives, each
//! a set of schemes used together. The client applies the first alternative whose every
//! scheme has a credential; when none has, the request goes without credentials (the API
//! then answers 401 where it needs them), and an empty list means the operation takes none.
//!
//! [`ClientBuilder::credential`]: crate::ClientBuilder::credential
//! [`Request::security`]: crate::Request::security

use std::fmt;

use base64::Engine as _;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION};

use crate::error::Error;

/// The alternatives of security schemes an operation accepts: any one inner list, whose
/// schemes are all applied. `&[]` means the operation takes no credentials.
pub type Security = &'static [&'static [&'static str]];

/// Where an API key travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    /// In a request header of the scheme's name.
    Header,
    /// In a query parameter of the scheme's name.
    Query,
    /// In a cookie of the scheme's name.
    Cookie,
}

/// A credential for one security scheme. `Debug` never shows the secret.
#[derive(Clone)]
pub enum Credential {
    /// HTTP basic authentication: `Authorization: Basic base64("{username}:{password}")`.
    Basic {
        /// The user name (for some APIs, the API key).
        username: String,
        /// The password.
        password: String,
    },
    /// A bearer token (HTTP bearer, OAuth 2 or OpenID Connect access token):
    /// `Authorization: Bearer {token}`.
    Bearer(String),
    /// An API key, sent as the header, query parameter or cookie `name`.
    ApiKey {
        /// Where the key travels.
        location: KeyLocation,
        /// The header, parameter or cookie name.
        name: &'static str,
        /// The key.
        key: String,
    },
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Basic { .. } => f.write_str("Basic(<redacted>)"),
            Credential::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credential::ApiKey { location, name, .. } => {
                write!(f, "ApiKey({location:?} {name:?}, <redacted>)")
            }
        }
    }
}

/// A credential ready to be put on a request.
#[derive(Clone)]
pub(crate) enum Applied {
    /// A header, marked sensitive.
    Header(HeaderName, HeaderValue),
    /// A query parameter, appended to the URL.
    Query(&'static str, String),
    /// A cookie pair `name=value`, joined to the request's `Cookie` header.
    Cookie(String),
}

impl fmt::Debug for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Applied::Header(name, _) => write!(f, "Header({name}, <redacted>)"),
            Applied::Query(name, _) => write!(f, "Query({name}, <redacted>)"),
            Applied::Cookie(_) => f.write_str("Cookie(<redacted>)"),
        }
    }
}

impl Credential {
    /// The credential checked and encoded for scheme `scheme`.
    pub(crate) fn applied(self, scheme: &str) -> Result<Applied, Error> {
        let invalid = |what: &str| {
            Error::config(format!(
                "the {what} for the security scheme `{scheme}` contains characters not allowed in a header"
            ))
        };
        let empty = |what: &str| {
            Error::config(format!(
                "the {what} for the security scheme `{scheme}` is empty"
            ))
        };
        let sensitive = |text: String, what: &str| {
            let mut value = HeaderValue::try_from(text).map_err(|_| invalid(what))?;
            value.set_sensitive(true);
            Ok::<_, Error>(value)
        };
        match self {
            Credential::Basic { username, password } => {
                if username.is_empty() {
                    return Err(empty("user name"));
                }
                let encoded = base64::engine::general_purpose::STANDARD
                    .encode(format!("{username}:{password}"));
                Ok(Applied::Header(
                    AUTHORIZATION,
                    sensitive(format!("Basic {encoded}"), "user name or password")?,
                ))
            }
            Credential::Bearer(token) => {
                if token.is_empty() {
                    return Err(empty("token"));
                }
                Ok(Applied::Header(
                    AUTHORIZATION,
                    sensitive(format!("Bearer {token}"), "token")?,
                ))
            }
            Credential::ApiKey {
                location,
                name,
                key,
            } => {
                if key.is_empty() {
                    return Err(empty("key"));
                }
                match location {
                    KeyLocation::Header => {
                        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                            Error::config(format!(
                                "the security scheme `{scheme}` names the header {name:?}, which is not a valid header name"
                            ))
                        })?;
                        Ok(Applied::Header(header, sensitive(key, "key")?))
                    }
                    KeyLocation::Query => Ok(Applied::Query(name, key)),
                    KeyLocation::Cookie => {
                        let pair = format!("{name}={key}");
                        HeaderValue::try_from(pair.as_str()).map_err(|_| invalid("key"))?;
                        Ok(Applied::Cookie(pair))
                    }
                }
            }
        }
    }
}

/// The credentials of a client, by scheme name.
#[derive(Clone, Default)]
pub(crate) struct Credentials(Vec<(&'static str, Applied)>);

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(scheme, _)| scheme))
            .finish()
    }
}

impl Credentials {
    /// Checks and encodes every credential given to the builder.
    pub(crate) fn new(given: Vec<(&'static str, Credential)>) -> Result<Credentials, Error> {
        given
            .into_iter()
            .map(|(scheme, credential)| Ok((scheme, credential.applied(scheme)?)))
            .collect::<Result<Vec<_>, Error>>()
            .map(Credentials)
    }

    /// Whether there is none.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The credentials of the first alternative of `security` whose every scheme has one;
    /// none when no alternative is complete.
    pub(crate) fn for_security(&self, security: Security) -> Vec<&Applied> {
        let find = |scheme: &str| self.0.iter().find(|(s, _)| *s == scheme).map(|(_, a)| a);
        security
            .iter()
            .find_map(|set| set.iter().map(|scheme| find(scheme)).collect())
            .unwrap_or_default()
    }
}

/// Joins `pair` to an existing `Cookie` header value, or starts one.
pub(crate) fn join_cookie(existing: Option<&HeaderValue>, pair: &str) -> Option<HeaderValue> {
    let joined = match existing {
        Some(old) => [old.as_bytes(), b"; ", pair.as_bytes()].concat(),
        None => pair.as_bytes().to_vec(),
    };
    let mut value = HeaderValue::from_bytes(&joined).ok()?;
    value.set_sensitive(true);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> Credentials {
        Credentials::new(vec![
            (
                "basic",
                Credential::Basic {
                    username: "key".into(),
                    password: "X".into(),
                },
            ),
            (
                "header_key",
                Credential::ApiKey {
                    location: KeyLocation::Header,
                    name: "X-Api-Key",
                    key: "k1".into(),
                },
            ),
        ])
        .expect("valid credentials")
    }

    #[test]
    fn the_first_complete_alternative_is_used() {
        let all = credentials();
        assert_eq!(all.for_security(&[&["bearer"], &["basic"]]).len(), 1);
        assert_eq!(
            all.for_security(&[&["bearer", "basic"], &["basic", "header_key"]])
                .len(),
            2
        );
        assert!(all.for_security(&[&["bearer"]]).is_empty());
        assert!(all.for_security(&[]).is_empty(), "an empty list takes none");
    }

    #[test]
    fn credentials_are_encoded_and_checked() {
        let Applied::Header(name, value) = Credential::Basic {
            username: "key".into(),
            password: "X".into(),
        }
        .applied("basic")
        .unwrap() else {
            panic!("basic goes in a header")
        };
        assert_eq!(name, AUTHORIZATION);
        assert_eq!(value, "Basic a2V5Olg=");
        assert!(value.is_sensitive());
        let error = Credential::Bearer(String::new())
            .applied("oauth")
            .unwrap_err();
        assert!(error.to_string().contains("`oauth` is empty"), "{error}");
        let error = Credential::ApiKey {
            location: KeyLocation::Header,
            name: "bad header",
            key: "k".into(),
        }
        .applied("key")
        .unwrap_err();
        assert!(
            error.to_string().contains("not a valid header name"),
            "{error}"
        );
        let shown = format!(
            "{:?}",
            Credential::ApiKey {
                location: KeyLocation::Query,
                name: "api_key",
                key: "secret".into()
            }
        );
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn cookies_join_the_existing_header() {
        let old = HeaderValue::from_static("theme=dark");
        let joined = join_cookie(Some(&old), "session=s1").unwrap();
        assert_eq!(joined, "theme=dark; session=s1");
        assert_eq!(join_cookie(None, "session=s1").unwrap(), "session=s1");
    }
}
