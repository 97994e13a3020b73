//! Deserialisation helpers for generated types.
//!
//! Generated structs implement `Deserialize` by hand rather than through serde's derive: each
//! implements [`Object`], whose `visit_map` reads the map's keys as [`Key`]s and matches each
//! on its wire name, reads the value into the field's local with a seed ([`Slot`],
//! [`Present`]), keeps an undeclared key in the struct's map ([`Insert`]) or skips it
//! ([`Skip`]); [`object`] is the body of its `Deserialize` impl. That is a fraction of the
//! code the derive expands to, which keeps a large generated crate quick to compile. It
//! follows the derive's rules where callers see them (an unknown key is ignored, a missing
//! optional field is `None`, a missing required one is an error naming it), with one
//! difference: a key that appears twice keeps its last value, where the derive fails.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

/// An integer that the API may send as a JSON number or as a string of digits (`2` or `"2"`).
pub fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(LenientI64)
}

struct LenientI64;

impl Visitor<'_> for LenientI64 {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value).map_err(|_| E::custom(format!("{value} is too large")))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<i64, E> {
        value
            .trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
    }
}

/// A string enum's value, handed to `from` as it lies in the input (no copy unless the
/// input escapes characters in it); `from` maps it to a variant or keeps it as unknown.
pub fn string_enum<'de, D, T, F>(deserializer: D, from: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> T,
{
    deserializer.deserialize_str(StringEnum(from))
}

struct StringEnum<F>(F);

impl<T, F: FnOnce(&str) -> T> Visitor<'_> for StringEnum<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok((self.0)(value))
    }
}

/// A struct read from the entries of a JSON object: what a generated struct implements
/// instead of a visitor of its own, so that its `Deserialize` impl is one call to [`object`].
pub trait Object: Sized {
    /// What the input should have been, for error messages (`a Ticket object`).
    const EXPECTING: &'static str;

    /// Reads the struct from `map`'s entries.
    fn visit_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Implements `serde::Deserialize` for generated structs that implement [`Object`] (`de`
/// being this module): each impl is one call to [`object`].
#[macro_export]
macro_rules! deserialize_object {
    ($($ty:ty),* $(,)?) => {$(
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::de::object(deserializer)
            }
        }
    )*};
}

/// Reads an [`Object`] from `deserializer`: the body of a generated struct's `Deserialize`.
pub fn object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit_map(map)
    }
}

/// A map key, matched by a generated `visit_map` on the field names. It is borrowed from the
/// input where it lies there as it is (a JSON key without escapes, read from a slice or a
/// `serde_json::Value`): nothing is allocated for it. Otherwise it is a copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string, to be kept in a struct's map of undeclared keys.
    #[inline]
    pub fn into_string(self) -> String {
        match self.0 {
            Cow::Borrowed(key) => undeclared(key),
            Cow::Owned(key) => key,
        }
    }
}

/// An undeclared key, copied to be kept: the rare path, out of the way of the common one.
#[cold]
fn undeclared(key: &str) -> String {
    key.to_owned()
}

impl<'de> Deserialize<'de> for Key<'de> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(key)))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, key: &'de [u8]) -> Result<Self::Value, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_borrowed_str(key),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(key), &self)),
        }
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(key), &self)),
        }
    }
}

/// The string value of `value`'s property `name` (a union's discriminator), if it has one.
pub fn tag<'a>(value: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    value.get(name).and_then(serde_json::Value::as_str)
}

/// Decodes `value` (held by a union while it tries its alternatives) as `T`, with the error in
/// the caller's error type.
pub fn from_value<'a, T: Deserialize<'a>, E: de::Error>(
    value: &'a serde_json::Value,
) -> Result<T, E> {
    T::deserialize(value).map_err(E::custom)
}

/// The error for a value that none of union `name`'s alternatives accepts.
pub fn no_alternative<E: de::Error>(name: &str) -> E {
    E::custom(format_args!(
        "the value matches none of {name}'s alternatives"
    ))
}

/// Reads a value into a place: the field a generated visitor fills, or its local.
pub struct Slot<'a, T>(pub &'a mut T);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Slot<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        *self.0 = T::deserialize(deserializer)?;
        Ok(())
    }
}

/// Reads the value of a required field into its local, as `Some`.
pub struct Present<'a, T>(pub &'a mut Option<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Present<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        *self.0 = Some(T::deserialize(deserializer)?);
        Ok(())
    }
}

/// Reads the value of an undeclared key into a struct's additional properties.
pub struct Insert<'a, K, V>(pub &'a mut BTreeMap<K, V>, pub K);

impl<'de, K: Ord, V: Deserialize<'de>> DeserializeSeed<'de> for Insert<'_, K, V> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let Insert(map, key) = self;
        map.insert(key, V::deserialize(deserializer)?);
        Ok(())
    }
}

/// Reads and drops a value (or a key) that the struct does not keep.
#[derive(Clone, Copy, Debug)]
pub struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use serde::de::{DeserializeSeed, MapAccess};
    use serde::Deserialize;

    use std::borrow::Cow;
    use std::collections::BTreeMap;

    use super::{Insert, Key, Object, Present, Skip, Slot};

    #[derive(serde::Deserialize)]
    struct Holder(#[serde(deserialize_with = "super::lenient_i64")] i64);

    /// A struct read the way generated code reads one: a required field, an optional one and
    /// a map of undeclared keys.
    #[derive(Debug, PartialEq)]
    struct Ticket {
        id: i64,
        subject: Option<String>,
        extra: BTreeMap<String, serde_json::Value>,
    }

    impl Object for Ticket {
        const EXPECTING: &'static str = "a Ticket object";

        fn visit_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut id = None;
            let mut subject = None;
            let mut extra = BTreeMap::new();
            while let Some(key) = map.next_key::<Key<'de>>()? {
                match key.as_str() {
                    "id" => map.next_value_seed(Present(&mut id)),
                    "subject" => map.next_value_seed(Slot(&mut subject)),
                    _ => map.next_value_seed(Insert(&mut extra, key.into_string())),
                }?;
            }
            Ok(Self {
                id: id.ok_or_else(|| <A::Error as serde::de::Error>::missing_field("id"))?,
                subject,
                extra,
            })
        }
    }

    impl<'de> serde::Deserialize<'de> for Ticket {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::object(deserializer)
        }
    }

    #[test]
    fn objects_are_read_by_key() {
        let ticket: Ticket =
            serde_json::from_str(r#"{"subject":"a","id":1,"colour":"red","id":2}"#).unwrap();
        assert_eq!(ticket.id, 2, "a later duplicate wins");
        assert_eq!(ticket.subject.as_deref(), Some("a"));
        assert_eq!(ticket.extra.get("colour"), Some(&serde_json::json!("red")));
        let escaped: Ticket = serde_json::from_str(r#"{"i\u0064":3,"s\u0075bject":null}"#).unwrap();
        assert_eq!((escaped.id, escaped.subject), (3, None));
        let value = serde_json::json!({"id": 4, "tags": []});
        let from_value = Ticket::deserialize(&value).unwrap();
        assert_eq!(from_value.extra.get("tags"), Some(&serde_json::json!([])));

        let missing = serde_json::from_str::<Ticket>(r#"{"subject":"a"}"#).unwrap_err();
        assert!(
            missing.to_string().contains("missing field `id`"),
            "{missing}"
        );
        let wrong = serde_json::from_str::<Ticket>("[1]").unwrap_err();
        assert!(
            wrong.to_string().contains("expected a Ticket object"),
            "{wrong}"
        );
    }

    #[test]
    fn keys_are_borrowed_unless_unescaped() {
        let mut json = serde_json::Deserializer::from_str(r#""name""#);
        let key = Key::deserialize(&mut json).unwrap();
        assert!(matches!(key.0, Cow::Borrowed("name")));
        let mut json = serde_json::Deserializer::from_str(r#""na\u006de""#);
        let key = Key::deserialize(&mut json).unwrap();
        assert!(matches!(&key.0, Cow::Owned(text) if text == "name"));
        assert_eq!(key.as_str(), "name");
        assert_eq!(key.into_string(), "name");
        let bytes: serde::de::value::BytesDeserializer<'_, serde::de::value::Error> =
            serde::de::value::BytesDeserializer::new(b"\xff");
        assert!(Key::deserialize(bytes).is_err());
    }

    #[test]
    fn seeds_store_values_in_place() {
        let mut optional: Option<u8> = Some(1);
        let mut json = serde_json::Deserializer::from_str("null");
        Slot(&mut optional).deserialize(&mut json).unwrap();
        assert_eq!(optional, None);

        let mut required: Option<String> = None;
        let mut json = serde_json::Deserializer::from_str(r#""x""#);
        Present(&mut required).deserialize(&mut json).unwrap();
        assert_eq!(required.as_deref(), Some("x"));

        let mut others: BTreeMap<String, u8> = BTreeMap::new();
        let mut json = serde_json::Deserializer::from_str("7");
        Insert(&mut others, "extra".to_owned())
            .deserialize(&mut json)
            .unwrap();
        assert_eq!(others.get("extra"), Some(&7));

        let mut json = serde_json::Deserializer::from_str(r#"{"any": [1, {"thing": null}]}"#);
        Skip.deserialize(&mut json).unwrap();
        json.end().unwrap();

        // A value of the wrong type is an error and leaves the place as it was.
        let mut kept: Option<u8> = Some(3);
        let mut json = serde_json::Deserializer::from_str(r#""three""#);
        assert!(Slot(&mut kept).deserialize(&mut json).is_err());
        assert_eq!(kept, Some(3));
    }

    #[test]
    fn string_enums_read_strings_only() {
        let upper = |text: &str| text.to_uppercase();
        let mut json = serde_json::Deserializer::from_str(r#""open""#);
        assert_eq!(super::string_enum(&mut json, upper).unwrap(), "OPEN");
        let mut json = serde_json::Deserializer::from_str(r#""a\"b""#);
        assert_eq!(super::string_enum(&mut json, upper).unwrap(), "A\"B");
        let mut json = serde_json::Deserializer::from_str("2");
        let error = super::string_enum(&mut json, upper).unwrap_err();
        assert!(error.to_string().contains("expected a string"), "{error}");
    }

    #[test]
    fn union_helpers() {
        let value = serde_json::json!({"type": "circle", "radius": 2});
        assert_eq!(super::tag(&value, "type"), Some("circle"));
        assert_eq!(super::tag(&value, "radius"), None);
        let radius: Result<i64, serde_json::Error> = super::from_value(&value["radius"]);
        assert_eq!(radius.unwrap(), 2);
        let wrong: Result<String, serde_json::Error> = super::from_value(&value["radius"]);
        assert!(wrong.is_err());
        let none: serde_json::Error = super::no_alternative("Shape");
        assert_eq!(
            none.to_string(),
            "the value matches none of Shape's alternatives"
        );
    }

    #[test]
    fn accepts_numbers_and_numeric_strings() {
        assert_eq!(serde_json::from_str::<Holder>("2").unwrap().0, 2);
        assert_eq!(serde_json::from_str::<Holder>("\"3\"").unwrap().0, 3);
        assert!(serde_json::from_str::<Holder>("\"x\"").is_err());
        assert!(serde_json::from_str::<Holder>("1.5").is_err());
    }
}
