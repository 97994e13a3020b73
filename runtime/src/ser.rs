//! Serialisation helpers for generated types.

use serde::ser::SerializeMap;
use serde::Serialize;

/// Writing an optional entry into a map: the generated `Serialize` impls leave out optional
/// fields that are not set, rather than writing `null` for them.
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
}

impl<M: SerializeMap> SerializeMapExt for M {}

#[cfg(test)]
mod tests {
    use serde::ser::{SerializeMap, Serializer};

    use super::SerializeMapExt;

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
}
