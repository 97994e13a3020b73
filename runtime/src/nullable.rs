//! [`Nullable`]: a request field that can be left out, sent as `null`, or sent with a value.

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

/// The value of an optional field that the API also accepts as `null`: left out of the
/// request ([`Nullable::Absent`], the default), sent as `null` ([`Nullable::Null`], which
/// clears the field on the server, e.g. unassigns a ticket), or sent with a value
/// ([`Nullable::Value`]).
///
/// ```
/// use openapi_client_runtime::Nullable;
///
/// let unassign: Nullable<i64> = Nullable::Null; // {"responder_id": null}
/// let assign: Nullable<i64> = 42.into();        // {"responder_id": 42}
/// let keep: Nullable<i64> = Nullable::default(); // no "responder_id" key at all
/// assert!(keep.is_absent() && unassign.is_null());
/// assert_eq!(assign.value(), Some(&42));
/// ```
///
/// Why a type of its own rather than `Option<Option<T>>`: the three states are what an update
/// means ("leave it", "clear it", "set it"), and the call site says which one it is.
/// `Some(None)` reads as a value that is not there, and `None` next to `Some(None)` is easy to
/// confuse. Plain optional fields the API does not accept as `null` stay `Option<T>`, so
/// only the fields where `null` means something carry the third state.
///
/// When a struct holding it is read from JSON (the `serde-both` feature of a generated
/// client), a missing key reads as `Absent` and `null` as `Null`, so decoding and encoding
/// give back the same JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Nullable<T> {
    /// Not sent: the server keeps what it has.
    #[default]
    Absent,
    /// Sent as `null`: the server clears the field.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True for [`Nullable::Absent`].
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// True for [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one, taken out.
    pub fn into_value(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

/// A value to send: `42.into()` is `Nullable::Value(42)`.
impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `Some(value)` sends the value, `None` sends `null` (it clears the field; leave the field
/// at its default to send nothing).
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

/// The value or `null`. Structs leave an absent field out altogether
/// ([`crate::ser::SerializeMapExt::serialize_if_present`]); on its own, `Absent` has no
/// JSON form other than `null`.
impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

/// `null` is [`Nullable::Null`], anything else a value; a key that is not there is never
/// read, so the field keeps its default, [`Nullable::Absent`].
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[test]
    fn three_states_and_conversions() {
        assert_eq!(Nullable::<u8>::default(), Nullable::Absent);
        assert_eq!(Nullable::from(3), Nullable::Value(3));
        assert_eq!(Nullable::from(Some(3)), Nullable::Value(3));
        assert_eq!(Nullable::<u8>::from(None), Nullable::Null);
        assert!(Nullable::<u8>::Absent.is_absent() && !Nullable::<u8>::Absent.is_null());
        assert!(Nullable::<u8>::Null.is_null() && !Nullable::<u8>::Null.is_absent());
        assert_eq!(Nullable::Value(3).value(), Some(&3));
        assert_eq!(Nullable::<u8>::Null.value(), None);
        assert_eq!(Nullable::Value("a").into_value(), Some("a"));
        assert_eq!(Nullable::<u8>::Absent.into_value(), None);
        assert_eq!(format!("{:?}", Nullable::Value(1)), "Value(1)");
        assert_eq!(format!("{:?}", Nullable::<u8>::Null), "Null");
    }

    #[test]
    fn json_forms() {
        assert_eq!(serde_json::to_string(&Nullable::Value(5)).unwrap(), "5");
        assert_eq!(
            serde_json::to_string(&Nullable::<u8>::Null).unwrap(),
            "null"
        );
        let null: Nullable<u8> = serde_json::from_str("null").unwrap();
        assert_eq!(null, Nullable::Null);
        let value: Nullable<String> = serde_json::from_str(r#""x""#).unwrap();
        assert_eq!(value, Nullable::Value("x".to_owned()));
        assert!(serde_json::from_str::<Nullable<u8>>(r#""x""#).is_err());
    }
}
