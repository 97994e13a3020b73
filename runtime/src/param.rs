//! How a value is written into a path segment, a query string or a header.

use std::borrow::Cow;

/// A value that can go into a path segment, query string or header.
///
/// Implemented for integers, floats, `bool` (`true`/`false`), strings and
/// [`serde_json::Value`] (strings unquoted, anything else as JSON text).
/// Generated enums implement it with their wire name.
pub trait ParamValue {
    /// The value as text, before any percent-encoding.
    fn to_param(&self) -> Cow<'_, str>;
}

macro_rules! param_value_via_to_string {
    ($($t:ty),*) => {
        $(
            impl ParamValue for $t {
                fn to_param(&self) -> Cow<'_, str> {
                    Cow::Owned(self.to_string())
                }
            }
        )*
    };
}

param_value_via_to_string!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, bool
);

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

/// RFC 3339 in UTC with a `Z` suffix, the form the API documents.
impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// `YYYY-MM-DD`.
impl ParamValue for chrono::NaiveDate {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Owned(self.format("%Y-%m-%d").to_string())
    }
}

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> Cow<'_, str> {
        match self {
            serde_json::Value::String(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.to_string()),
        }
    }
}
