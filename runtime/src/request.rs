//! Building a request: method, path template and parameters, query, headers and body.

use std::fmt::Write as _;

use http::header::{HeaderName, HeaderValue, CONTENT_TYPE, COOKIE};
use http::Method;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use url::Url;

use crate::auth::Security;
use crate::body::{Body, Encoded};
use crate::error::Error;
use crate::multipart::{Form, PartProblem};
use crate::options::RequestOptions;
use crate::param::ParamValue;

/// Characters left as they are in path segments and query components: RFC 3986
/// "unreserved". Everything else (including `/`, `?`, `#`, `&`, `=`, `,`, `+`
/// and space) is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One API call, built up by the generated code and sent with
/// [`Client::execute`](crate::Client::execute).
///
/// Builder methods never fail: the first problem (an empty path parameter, an
/// invalid header value, a body that cannot be serialised) is recorded and
/// reported by `execute` as [`Error::InvalidRequest`], before anything is sent.
/// A request is `Clone`, so it can be sent again.
#[derive(Clone, Debug)]
pub struct Request {
    method: Method,
    path_template: &'static str,
    /// Filled placeholders, values already percent-encoded.
    path_params: Vec<(&'static str, String)>,
    /// `name=value` pairs, already percent-encoded.
    query: Vec<String>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Body>,
    options: RequestOptions,
    /// A URL to send to instead of the filled template (a `rel="next"` link).
    link: Option<String>,
    /// The security schemes it accepts; `None` sends the client's default credentials.
    security: Option<Security>,
    problem: Option<String>,
}

impl Request {
    /// A request for `path_template`, relative to the client's base URL, e.g.
    /// `/tickets/{id}/tasks/{task_id}`. The template is kept for error messages.
    pub fn new(method: Method, path_template: &'static str) -> Self {
        Request {
            method,
            path_template,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            options: RequestOptions::default(),
            link: None,
            security: None,
            problem: None,
        }
    }

    /// The security schemes this request accepts: alternatives, each a set of scheme names
    /// whose credentials ([`ClientBuilder::credential`](crate::ClientBuilder::credential))
    /// are sent together; the first alternative the client has every credential of is used,
    /// and `&[]` sends none. Without this call the request carries the credentials of
    /// [`api_key`](crate::ClientBuilder::api_key) or
    /// [`bearer_token`](crate::ClientBuilder::bearer_token), if any.
    pub fn security(mut self, alternatives: Security) -> Self {
        self.security = Some(alternatives);
        self
    }

    /// The security schemes set with [`security`](Request::security).
    pub(crate) fn security_requirement(&self) -> Option<Security> {
        self.security
    }

    /// The request method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path template given to [`Request::new`].
    pub fn path_template(&self) -> &'static str {
        self.path_template
    }

    /// Fills the `{name}` placeholder of the path template.
    ///
    /// The value is percent-encoded as one path segment (`a/b` becomes `a%2Fb`).
    /// An empty value, `.` or `..` (which URL normalisation would remove) or a
    /// name that is not in the template is reported as [`Error::InvalidRequest`].
    pub fn path_param<T: ParamValue + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        let value = value.to_param();
        let problem = if !self.has_placeholder(name) {
            Some("is not in the path template")
        } else if value.is_empty() {
            Some("is empty")
        } else if value == "." || value == ".." {
            Some("cannot be `.` or `..`")
        } else {
            None
        };
        if let Some(problem) = problem {
            self.record(format!("path parameter `{name}` {problem}"));
            return self;
        }
        let encoded = utf8_percent_encode(&value, COMPONENT).to_string();
        match self.path_params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = encoded,
            None => self.path_params.push((name, encoded)),
        }
        self
    }

    /// Adds `name=value` to the query string.
    pub fn query<T: ParamValue + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        let value = encode(&value.to_param());
        self.query.push(format!("{}={value}", encode(name)));
        self
    }

    /// Sets `name=value` in the query string, replacing earlier values of `name` (how a page
    /// stream asks for the next page).
    pub fn replace_query<T: ParamValue + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        let prefix = format!("{}=", encode(name));
        self.query.retain(|pair| !pair.starts_with(&prefix));
        self.query(name, value)
    }

    /// Sends the request to `link` (a `Link: <...>; rel="next"` target, absolute or relative
    /// to the base URL) instead of the filled path template and query. A link to another
    /// host, scheme or port, or outside the base URL's path, is reported by `execute` as
    /// [`Error::InvalidRequest`], so credentials never leave the API.
    pub fn at_link(mut self, link: &str) -> Self {
        self.link = Some(link.to_owned());
        self
    }

    /// Marks the request as unusable: `execute` reports `problem` and sends nothing.
    pub fn unusable(mut self, problem: String) -> Self {
        self.record(problem);
        self
    }

    /// Adds `name=value` when `value` is `Some`; nothing when it is `None`.
    pub fn query_opt<T: ParamValue>(self, name: &'static str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Adds a list: `name=a&name=b` when `explode`, else `name=a,b` (commas
    /// inside values are encoded). An empty list adds nothing.
    pub fn query_list<T: ParamValue>(
        mut self,
        name: &'static str,
        values: &[T],
        explode: bool,
    ) -> Self {
        if values.is_empty() {
            return self;
        }
        let name = encode(name);
        if explode {
            for value in values {
                self.query
                    .push(format!("{name}={}", encode(&value.to_param())));
            }
        } else {
            let mut pair = format!("{name}=");
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    pair.push(',');
                }
                // Writing to a String cannot fail.
                let _ = write!(
                    pair,
                    "{}",
                    utf8_percent_encode(&value.to_param(), COMPONENT)
                );
            }
            self.query.push(pair);
        }
        self
    }

    /// Sets a header. An invalid name or value is reported by `execute`.
    pub fn header<T: ParamValue + ?Sized>(mut self, name: &'static str, value: &T) -> Self {
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.record(format!("`{name}` is not a valid header name"));
            return self;
        };
        match HeaderValue::from_str(&value.to_param()) {
            Ok(header_value) => self.headers.push((header_name, header_value)),
            Err(_) => self.record(format!("header `{name}` has an invalid value")),
        }
        self
    }

    /// Sets `name` when `value` is `Some`.
    pub fn header_opt<T: ParamValue>(self, name: &'static str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Adds a list joined by `separator`, as the `spaceDelimited` (`' '`) and `pipeDelimited`
    /// (`'|'`) styles write it: `name=a%20b` or `name=a%7Cb`, the separator encoded like the
    /// values. An empty list adds nothing.
    pub fn query_delimited<T: ParamValue>(
        mut self,
        name: &'static str,
        values: &[T],
        separator: char,
    ) -> Self {
        if values.is_empty() {
            return self;
        }
        let joined = join_params(values, separator);
        self.query
            .push(format!("{}={}", encode(name), encode(&joined)));
        self
    }

    /// Adds `name` with `value` as JSON text (a parameter given by `content` in a JSON media
    /// type). `None` adds nothing; a value that cannot be serialised is reported by `execute`.
    pub fn query_json<T: serde::Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Self {
        match value.map(serde_json::to_string) {
            None => {}
            Some(Ok(text)) => self
                .query
                .push(format!("{}={}", encode(name), encode(&text))),
            Some(Err(error)) => self.record(format!(
                "query parameter `{name}` cannot be serialised: {error}"
            )),
        }
        self
    }

    /// Sets the header `name` to `value` as JSON text (a parameter given by `content` in a
    /// JSON media type). `None` sets nothing.
    pub fn header_json<T: serde::Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Self {
        match value.map(serde_json::to_string) {
            None => self,
            Some(Ok(text)) => self.header(name, &text),
            Some(Err(error)) => {
                self.record(format!("header `{name}` cannot be serialised: {error}"));
                self
            }
        }
    }

    /// Adds a cookie whose value is the comma-separated `values` (OpenAPI's `form` style with
    /// `explode: false`, the only one a cookie can carry); nothing when empty.
    pub fn cookie_list<T: ParamValue>(self, name: &'static str, values: &[T]) -> Self {
        if values.is_empty() {
            return self;
        }
        let joined = join_params(values, ',');
        self.cookie(name, Some(joined.as_str()))
    }

    /// Sets `name` to the comma-separated `values` (nothing when empty).
    pub fn header_list<T: ParamValue>(self, name: &'static str, values: &[T]) -> Self {
        if values.is_empty() {
            return self;
        }
        let joined = join_params(values, ',');
        self.header(name, &joined)
    }

    /// Adds a cookie `name=value` to the `Cookie` header, joined to earlier ones with `; `.
    /// The value is percent-encoded where RFC 6265 does not allow it as is (space, `"`, `,`,
    /// `;`, `\`, `%`, controls, non-ASCII). `None` adds nothing; a name that is not an HTTP
    /// token is reported by `execute`.
    pub fn cookie<T: ParamValue + ?Sized>(mut self, name: &'static str, value: Option<&T>) -> Self {
        let Some(value) = value else {
            return self;
        };
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            self.record(format!("`{name}` is not a valid cookie name"));
            return self;
        }
        let pair = format!(
            "{name}={}",
            utf8_percent_encode(&value.to_param(), COOKIE_VALUE)
        );
        let joined = match self.headers.iter().position(|(n, _)| n == COOKIE) {
            Some(at) => {
                let (_, old) = self.headers.remove(at);
                [old.as_bytes(), b"; ", pair.as_bytes()].concat()
            }
            None => pair.into_bytes(),
        };
        match HeaderValue::from_bytes(&joined) {
            Ok(value) => self.headers.push((COOKIE, value)),
            Err(_) => self.record(format!("cookie `{name}` has an invalid value")),
        }
        self
    }

    /// Adds a value as `name[key]=value` pairs (OpenAPI `style: deepObject`): one pair per
    /// property of an object, `name[key][inner]=value` for a nested object, the pair repeated
    /// for each item of an array inside it; `null` properties are left out. OpenAPI defines
    /// the style for objects only; a list is sent as `name[]=item` per item (the bracket
    /// convention of Stripe, Rails and PHP) and a scalar (an alternative of a union) as
    /// `name=value`. A value that cannot be serialised is reported by `execute`. `None` adds
    /// nothing.
    pub fn query_deep_object<T: serde::Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: Option<&T>,
    ) -> Self {
        let Some(value) = value else {
            return self;
        };
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => {
                let prefix = format!("{}[]", encode(name));
                for item in &items {
                    deep_object_pairs(&prefix, item, &mut self.query);
                }
            }
            Ok(value) => deep_object_pairs(&encode(name), &value, &mut self.query),
            Err(error) => self.record(format!(
                "query parameter `{name}` cannot be serialised: {error}"
            )),
        }
        self
    }

    /// Adds a query value from its JSON form, in OpenAPI's `form` style: a scalar as
    /// `name=value`; a list as `name=a&name=b` (`explode`) or `name=a,b`; an object as
    /// `key=value` per property (`explode`) or `name=key,value,key,value`; `null`s are left
    /// out, and values nested deeper are written as JSON text. `None` adds nothing.
    pub fn query_form<T: serde::Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: Option<&T>,
        explode: bool,
    ) -> Self {
        use serde_json::Value;
        let Some(value) = value else {
            return self;
        };
        let text = |value: &Value| match value {
            Value::String(s) => s.clone(),
            other => other.to_param().into_owned(),
        };
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(error) => {
                self.record(format!(
                    "query parameter `{name}` cannot be serialised: {error}"
                ));
                return self;
            }
        };
        match value {
            Value::Null => {}
            Value::Array(items) => {
                let items: Vec<String> = items.iter().filter(|v| !v.is_null()).map(text).collect();
                if explode {
                    for item in items {
                        self.query
                            .push(format!("{}={}", encode(name), encode(&item)));
                    }
                } else if !items.is_empty() {
                    let joined: Vec<String> = items.iter().map(|i| encode(i)).collect();
                    self.query
                        .push(format!("{}={}", encode(name), joined.join(",")));
                }
            }
            Value::Object(object) => {
                let pairs = object.iter().filter(|(_, v)| !v.is_null());
                if explode {
                    for (key, inner) in pairs {
                        self.query
                            .push(format!("{}={}", encode(key), encode(&text(inner))));
                    }
                } else {
                    let joined: Vec<String> = pairs
                        .flat_map(|(key, inner)| [encode(key), encode(&text(inner))])
                        .collect();
                    if !joined.is_empty() {
                        self.query
                            .push(format!("{}={}", encode(name), joined.join(",")));
                    }
                }
            }
            scalar => self
                .query
                .push(format!("{}={}", encode(name), encode(&text(&scalar)))),
        }
        self
    }

    /// Checks an integer parameter against its documented bounds; a value outside them is
    /// reported as [`Error::InvalidRequest`] before anything is sent (`per_page` above 100).
    pub fn check_range(
        mut self,
        name: &'static str,
        value: Option<i64>,
        minimum: Option<i64>,
        maximum: Option<i64>,
    ) -> Self {
        let Some(value) = value else {
            return self;
        };
        if minimum.is_some_and(|min| value < min) || maximum.is_some_and(|max| value > max) {
            let bounds = match (minimum, maximum) {
                (Some(min), Some(max)) => format!("between {min} and {max}"),
                (Some(min), None) => format!("at least {min}"),
                (None, Some(max)) => format!("at most {max}"),
                (None, None) => String::new(),
            };
            self.record(format!(
                "parameter `{name}` is {value}; it must be {bounds}"
            ));
        }
        self
    }

    /// Adds a filter query: `name="expression"`, wrapped in double quotes and encoded, as
    /// the API's filter endpoints expect. An expression longer than `max_length` characters
    /// (quotes excluded) is reported as [`Error::InvalidRequest`]. `None` adds nothing.
    pub fn filter_query(
        mut self,
        name: &'static str,
        expression: Option<&str>,
        max_length: usize,
    ) -> Self {
        let Some(expression) = expression else {
            return self;
        };
        let length = expression.chars().count();
        if length > max_length {
            self.record(format!(
                "filter query `{name}` is {length} characters long; the API accepts at most {max_length}"
            ));
            return self;
        }
        let quoted =
            if expression.starts_with('"') && expression.ends_with('"') && expression.len() >= 2 {
                expression.to_owned()
            } else {
                format!("\"{expression}\"")
            };
        self.query(name, &quoted)
    }

    /// Overrides the client's timeouts, retry policy and headers for this request,
    /// replacing options set before. An invalid extra header is reported by `execute` as
    /// [`Error::InvalidRequest`].
    pub fn options(mut self, options: RequestOptions) -> Self {
        if let Some(problem) = &options.problem {
            self.record(problem.clone());
        }
        self.options = options;
        self
    }

    /// Whether the body can be sent again (retries): false for a form with a streamed part.
    pub(crate) fn is_replayable(&self) -> bool {
        match &self.body {
            Some(Body(Encoded::Multipart(form))) => form.is_replayable(),
            _ => true,
        }
    }

    /// The options set with [`Request::options`].
    pub(crate) fn request_options(&self) -> &RequestOptions {
        &self.options
    }

    /// Sets a JSON body (serialised now; a failure is reported by `execute`).
    pub fn json<T: serde::Serialize + ?Sized>(self, body: &T) -> Self {
        self.body(Body::json(body))
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(self, form: Form) -> Self {
        self.body(Body::multipart(form))
    }

    /// Sets the body; one that could not be encoded is reported by `execute`.
    pub fn body(mut self, body: Body) -> Self {
        match body {
            Body(Encoded::Invalid(problem)) => self.record(problem),
            body => self.body = Some(body),
        }
        self
    }

    /// Sets the body when there is one (an operation whose body is optional).
    pub fn body_opt(self, body: Option<Body>) -> Self {
        match body {
            Some(body) => self.body(body),
            None => self,
        }
    }

    fn has_placeholder(&self, name: &str) -> bool {
        self.path_template
            .split('{')
            .skip(1)
            .any(|rest| rest.split_once('}').is_some_and(|(n, _)| n == name))
    }

    fn record(&mut self, problem: String) {
        if self.problem.is_none() {
            self.problem = Some(format!("{} {}: {problem}", self.method, self.path_template));
        }
    }

    /// The full URL: `base` joined with the filled path template, plus the query.
    pub(crate) fn url(&self, base: &Url) -> Result<Url, Error> {
        if let Some(problem) = &self.problem {
            return Err(Error::invalid_request(problem.clone()));
        }
        if let Some(link) = &self.link {
            return self.link_url(base, link);
        }
        // The base URL was parsed once by the client builder; only the path and query are
        // set here (re-parsing the whole URL per request costs more than the rest of this).
        let base_path = base.path().trim_end_matches('/');
        let mut path = String::with_capacity(base_path.len() + self.path_template.len() + 1);
        path.push_str(base_path);
        if !self.path_template.starts_with('/') {
            path.push('/');
        }
        let mut rest = self.path_template;
        while let Some((before, after)) = rest.split_once('{') {
            path.push_str(before);
            let (name, after) = after
                .split_once('}')
                .ok_or_else(|| self.problem_now("unclosed `{` in the path template"))?;
            let (_, value) = self
                .path_params
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| self.problem_now(&format!("path parameter `{name}` is not set")))?;
            path.push_str(value);
            rest = after;
        }
        path.push_str(rest);
        let mut url = base.clone();
        url.set_path(&path);
        if !self.query.is_empty() {
            url.set_query(Some(&self.query.join("&")));
        }
        Ok(url)
    }

    /// `link` resolved against `base`, if it stays on the same origin and under the base path,
    /// without user info.
    fn link_url(&self, base: &Url, link: &str) -> Result<Url, Error> {
        link_target(base, link).map_err(|problem| self.problem_now(&problem))
    }

    /// Adds this request's headers, extra headers (replacing any of the same name) and body
    /// to `builder`.
    /// Puts the headers, `extra_cookies` (credentials, joined to the request's own `Cookie`
    /// header) and the body on `builder`.
    pub(crate) fn apply(
        &self,
        mut builder: reqwest::RequestBuilder,
        extra_cookies: &[&str],
    ) -> Result<reqwest::RequestBuilder, Error> {
        let mut cookie = None;
        for (name, value) in &self.headers {
            if *name == COOKIE && !extra_cookies.is_empty() {
                cookie = Some(value.clone());
            } else {
                builder = builder.header(name, value);
            }
        }
        for pair in extra_cookies {
            cookie = crate::auth::join_cookie(cookie.as_ref(), pair);
        }
        if let Some(cookie) = cookie {
            builder = builder.header(COOKIE, cookie);
        }
        if !self.options.headers.is_empty() {
            builder = builder.headers(self.options.headers.clone());
        }
        Ok(match &self.body {
            None => builder,
            Some(Body(Encoded::Bytes {
                content_type,
                bytes,
            })) => builder
                .header(CONTENT_TYPE, HeaderValue::from_static(content_type))
                .body(bytes.clone()),
            Some(Body(Encoded::Multipart(form))) => {
                builder.multipart(form.to_reqwest().map_err(|problem| match problem {
                    PartProblem::Invalid(problem) => self.problem_now(&problem),
                    PartProblem::File { path, source } => Error::File {
                        path: path.display().to_string(),
                        source,
                    },
                })?)
            }
            Some(Body(Encoded::Invalid(problem))) => return Err(self.problem_now(problem)),
        })
    }

    fn problem_now(&self, problem: &str) -> Error {
        Error::invalid_request(format!("{} {}: {problem}", self.method, self.path_template))
    }
}

/// `link` (absolute, or relative to `base`) resolved, if it stays on `base`'s origin (scheme,
/// host and port) and under its path, without user info (which would be sent as a second
/// `Authorization` header); otherwise what is wrong.
pub(crate) fn link_target(base: &Url, link: &str) -> Result<Url, String> {
    let mut directory = base.clone();
    if !directory.path().ends_with('/') {
        let path = format!("{}/", directory.path());
        directory.set_path(&path);
    }
    let url = directory
        .join(link)
        .map_err(|err| format!("the next-page link is not a URL: {err}"))?;
    let same_origin = url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.username().is_empty()
        && url.password().is_none();
    let base_path = base.path().trim_end_matches('/');
    let under_base = url.path() == base_path
        || url
            .path()
            .strip_prefix(base_path)
            .is_some_and(|rest| rest.starts_with('/'));
    if !same_origin || !under_base {
        return Err(
            "the next-page link points outside the API's base URL; it was not followed".to_owned(),
        );
    }
    Ok(url)
}

pub(crate) fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Characters percent-encoded in a cookie value (RFC 6265 `cookie-octet` excludes them).
const COOKIE_VALUE: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// The values as text, joined by `separator` (not encoded).
fn join_params<T: ParamValue>(values: &[T], separator: char) -> String {
    let mut joined = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            joined.push(separator);
        }
        joined.push_str(&value.to_param());
    }
    joined
}

/// The `prefix[key]=value` pairs of a deepObject value, encoded, appended to `pairs`.
fn deep_object_pairs(prefix: &str, value: &serde_json::Value, pairs: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Object(object) => {
            for (key, inner) in object {
                deep_object_pairs(&format!("{prefix}[{}]", encode(key)), inner, pairs);
            }
        }
        Value::Array(items) => {
            for item in items {
                deep_object_pairs(prefix, item, pairs);
            }
        }
        scalar => pairs.push(format!("{prefix}={}", encode(&scalar.to_param()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://acme.example.com/api/v2").unwrap()
    }

    #[test]
    fn fills_template_and_encodes_segments() {
        let url = Request::new(Method::GET, "/tickets/{id}/tasks/{task_id}")
            .path_param("id", &5u64)
            .path_param("task_id", "a/b c?#%")
            .url(&base())
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://acme.example.com/api/v2/tickets/5/tasks/a%2Fb%20c%3F%23%25"
        );
    }

    #[test]
    fn replace_query_keeps_one_value() {
        let url = Request::new(Method::GET, "/tickets")
            .query("page", &1)
            .query("per_page", &2)
            .replace_query("page", &3)
            .url(&base())
            .unwrap();
        assert_eq!(url.query(), Some("per_page=2&page=3"));
    }

    #[test]
    fn links_are_followed_only_under_the_base_url() {
        let follow = |link: &str| {
            Request::new(Method::GET, "/tickets")
                .query("page", &1)
                .at_link(link)
                .url(&base())
        };
        for (link, expected) in [
            (
                "https://acme.example.com/api/v2/tickets?page=2",
                "https://acme.example.com/api/v2/tickets?page=2",
            ),
            (
                "/api/v2/tickets?page=3",
                "https://acme.example.com/api/v2/tickets?page=3",
            ),
            (
                "tickets?page=4",
                "https://acme.example.com/api/v2/tickets?page=4",
            ),
        ] {
            assert_eq!(follow(link).unwrap().as_str(), expected);
        }
        for bad in [
            "https://evil.example.com/api/v2/tickets?page=2",
            "https://user:pw@acme.example.com/api/v2/tickets?page=2",
            "http://acme.example.com/api/v2/tickets?page=2",
            "https://acme.example.com:8443/api/v2/tickets",
            "https://acme.example.com/api/v20/tickets",
            "/other/tickets",
            "../../x",
        ] {
            let err = follow(bad).unwrap_err();
            assert!(
                err.to_string().contains("outside the API's base URL"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn dots_in_a_longer_value_stay_literal() {
        let url = Request::new(Method::GET, "/files/{name}")
            .path_param("name", "...")
            .url(&base())
            .unwrap();
        assert_eq!(url.path(), "/api/v2/files/...");
    }

    #[test]
    fn path_problems_are_reported_with_the_parameter_name() {
        let cases = [
            (
                Request::new(Method::GET, "/t/{id}").path_param("id", ""),
                "`id` is empty",
            ),
            (
                Request::new(Method::GET, "/t/{id}").path_param("id", ".."),
                "`id` cannot be",
            ),
            (
                Request::new(Method::GET, "/t/{id}").path_param("idx", "1"),
                "`idx` is not in",
            ),
            (Request::new(Method::GET, "/t/{id}"), "`id` is not set"),
            (Request::new(Method::GET, "/t/{id"), "unclosed"),
        ];
        for (request, expected) in cases {
            let err = request.url(&base()).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
            assert!(err.to_string().contains(expected), "{err} lacks {expected}");
        }
    }

    #[test]
    fn first_problem_wins() {
        let err = Request::new(Method::POST, "/t/{id}")
            .path_param("id", "")
            .header("bad header", "x")
            .url(&base())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid request: POST /t/{id}: path parameter `id` is empty"
        );
    }

    #[test]
    fn query_encoding() {
        let url = Request::new(Method::GET, "/tickets")
            .query("query", "\"priority:3 AND status:2\"")
            .query_opt::<u32>("page", None)
            .query_opt("per_page", Some(&30))
            .query_list("ids", &[1, 2], true)
            .query_list("tags", &["a,b", "c"], false)
            .query_list::<&str>("none", &[], false)
            .url(&base())
            .unwrap();
        assert_eq!(
            url.query(),
            Some(
                "query=%22priority%3A3%20AND%20status%3A2%22&per_page=30&ids=1&ids=2&tags=a%2Cb,c"
            )
        );
    }

    #[test]
    fn param_values() {
        assert_eq!(true.to_param(), "true");
        assert_eq!((-3i8).to_param(), "-3");
        assert_eq!(1.5f64.to_param(), "1.5");
        assert_eq!(String::from("s").to_param(), "s");
        assert_eq!((&&"s").to_param(), "s");
        assert_eq!(serde_json::json!("x y").to_param(), "x y");
        assert_eq!(serde_json::json!([1, "a"]).to_param(), "[1,\"a\"]");
        assert_eq!(serde_json::Value::Null.to_param(), "null");
    }

    #[test]
    fn invalid_header_and_body_are_recorded() {
        let err = Request::new(Method::GET, "/t")
            .header("x-a", "line\nbreak")
            .url(&base())
            .unwrap_err();
        assert!(err
            .to_string()
            .contains("header `x-a` has an invalid value"));

        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        let err = Request::new(Method::POST, "/t")
            .json(&map)
            .url(&base())
            .unwrap_err();
        assert!(err.to_string().contains("cannot serialise the JSON body"));

        // reqwest would send an empty form as an empty body under a multipart content type.
        let err = Request::new(Method::PUT, "/t/{id}")
            .path_param("id", &1)
            .multipart(Form::new())
            .url(&base())
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("PUT /t/{id}: the multipart form has no field set"),
            "{err}"
        );
        assert!(Request::new(Method::PUT, "/t")
            .multipart(Form::new().text("a", "1"))
            .url(&base())
            .is_ok());
    }
    #[test]
    fn cookies_share_one_header() {
        let request = Request::new(Method::GET, "/t")
            .cookie("session", Some("a b;c"))
            .cookie::<u32>("absent", None)
            .cookie("theme", Some(&7u32));
        let cookies: Vec<&HeaderValue> = request
            .headers
            .iter()
            .filter(|(name, _)| name == COOKIE)
            .map(|(_, value)| value)
            .collect();
        assert_eq!(cookies, ["session=a%20b%3Bc; theme=7"]);
        let err = Request::new(Method::GET, "/t")
            .cookie("bad name", Some("x"))
            .url(&base())
            .unwrap_err();
        assert!(err
            .to_string()
            .contains("`bad name` is not a valid cookie name"));
    }

    #[test]
    fn delimited_json_and_cookie_lists() {
        let request = Request::new(Method::GET, "/t")
            .query_delimited("tags", &["a b", "c"], ' ')
            .query_delimited("ids", &[1, 2], '|')
            .query_json("filter", Some(&serde_json::json!({"a": [1]})))
            .header_json("X-Filter", Some(&serde_json::json!({"a": 1})))
            .cookie_list("ids", &[3, 4]);
        let url = request.url(&base()).unwrap();
        assert_eq!(
            url.query(),
            Some("tags=a%20b%20c&ids=1%7C2&filter=%7B%22a%22%3A%5B1%5D%7D")
        );
        let header = |name: &str| {
            request
                .headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.to_str().unwrap().to_owned())
        };
        assert_eq!(header("x-filter").as_deref(), Some(r#"{"a":1}"#));
        assert_eq!(header("cookie").as_deref(), Some("ids=3%2C4"));
    }

    #[test]
    fn form_values_follow_the_form_style() {
        let window = serde_json::json!({"from": "a b", "to": 5, "none": null});
        let url = Request::new(Method::GET, "/t")
            .query_form("window", Some(&window), true)
            .query_form("window", Some(&window), false)
            .query_form("id", Some(&serde_json::json!(["x", "y,z"])), true)
            .query_form("id", Some(&serde_json::json!(["x", "y"])), false)
            .query_form("one", Some("v"), true)
            .query_form::<serde_json::Value>("absent", None, true)
            .url(&base())
            .unwrap();
        assert_eq!(
            url.query(),
            Some("from=a%20b&to=5&window=from,a%20b,to,5&id=x&id=y%2Cz&id=x,y&one=v")
        );
    }

    #[test]
    fn deep_objects_become_bracketed_pairs() {
        let filter = serde_json::json!({
            "status": "open",
            "ids": [1, 2],
            "range": { "from": "a&b" },
            "missing": null,
        });
        let url = Request::new(Method::GET, "/t")
            .query_deep_object("filter", Some(&filter))
            .query_deep_object::<serde_json::Value>("none", None)
            .url(&base())
            .unwrap();
        // serde_json's map order depends on its `preserve_order` feature, which another
        // crate in the build may turn on: compare the pairs, not their order.
        let mut pairs: Vec<&str> = url.query().unwrap_or_default().split('&').collect();
        pairs.sort_unstable();
        assert_eq!(
            pairs,
            [
                "filter[ids]=1",
                "filter[ids]=2",
                "filter[range][from]=a%26b",
                "filter[status]=open"
            ]
        );
        // A list is `name[]=item`, a scalar `name=value`.
        let url = Request::new(Method::GET, "/t")
            .query_deep_object("expand", Some(&["customer", "a&b"]))
            .query_deep_object("created", Some(&3))
            .url(&base())
            .unwrap();
        assert_eq!(
            url.query(),
            Some("expand[]=customer&expand[]=a%26b&created=3")
        );
    }
}
