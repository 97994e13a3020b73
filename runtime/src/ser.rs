//! Serialisation helpers for generated types.

use serde::ser::SerializeMap;
use serde::Serialize;

use crate::Nullable;

/// Writing an optional entry into a map: the generated `Serialize` impls leave out optional
/// fields that are not set, rather than writing `null` for them, and write `null` only for a
/// [`Nullable`] field set to [`Nullable::Null`].
pub trait SerializeMapExt: SerializeMap {
    /// Writes `key: value` when `value` is `Some`, nothing when it is `None`.
    fn serialize_if_some<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Option<T>,
    ) -> Result<(), Self::Error> {
        match value {
            Some(value) => self.serialize_entry(key, value),
            None => Ok(()),
        }
    }

    /// Writes `key: value` or `key: null`, nothing when `value` is [`Nullable::Absent`].
    fn serialize_if_present<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &Nullable<T>,
    ) -> Result<(), Self::Error> {
        match value {
            Nullable::Absent => Ok(()),
            Nullable::Null => self.serialize_entry(key, &()),
            Nullable::Value(value) => self.serialize_entry(key, value),
        }
    }
}

impl<M: SerializeMap> SerializeMapExt for M {}

#[cfg(test)]
mod tests {
    use serde::ser::{SerializeMap, Serializer};

    use super::SerializeMapExt;
    use crate::Nullable;

    #[test]
    fn only_set_values_are_written() {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = serializer.serialize_map(None).unwrap();
        map.serialize_if_some("a", &Some(1)).unwrap();
        map.serialize_if_some::<i32>("b", &None).unwrap();
        map.serialize_entry("c", &Option::<i32>::None).unwrap();
        SerializeMap::end(map).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":1,"c":null}"#);
    }

    #[test]
    fn absent_values_are_left_out_and_null_ones_written() {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = serializer.serialize_map(None).unwrap();
        map.serialize_if_present("a", &Nullable::Value(1)).unwrap();
        map.serialize_if_present::<i32>("b", &Nullable::Absent)
            .unwrap();
        map.serialize_if_present::<i32>("c", &Nullable::Null)
            .unwrap();
        SerializeMap::end(map).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":1,"c":null}"#);
    }
}
