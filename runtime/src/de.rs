//! Deserialisation helpers for generated types.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

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

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Holder(#[serde(deserialize_with = "super::lenient_i64")] i64);

    #[test]
    fn accepts_numbers_and_numeric_strings() {
        assert_eq!(serde_json::from_str::<Holder>("2").unwrap().0, 2);
        assert_eq!(serde_json::from_str::<Holder>("\"3\"").unwrap().0, 3);
        assert!(serde_json::from_str::<Holder>("\"x\"").is_err());
        assert!(serde_json::from_str::<Holder>("1.5").is_err());
    }
}
