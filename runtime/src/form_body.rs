//! `application/x-www-form-urlencoded` bodies, written the way OpenAPI describes them: one
//! `name=value` pair per property, an array repeated (`tag=a&tag=b`, the default
//! `style: form, explode: true`), raw bytes percent-encoded as they are (`format: binary`),
//! a nested object as JSON text, `None` left out.
//!
//! A general URL-encoding serialiser refuses arrays and bytes, which real forms carry, hence
//! this encoder.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct};
use url::form_urlencoded;

/// `value`, an object, as form pairs; an error says why it cannot be.
pub(crate) fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, FormError> {
    let mut pairs = Pairs {
        out: String::new(),
        key: None,
    };
    value.serialize(&mut pairs)?;
    Ok(pairs.out)
}

/// Why a value cannot be a form body.
#[derive(Debug)]
pub(crate) struct FormError(String);

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormError {}

impl ser::Error for FormError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FormError(msg.to_string())
    }
}

/// One property's value, ready to write.
enum Field {
    /// Nothing to write (`None`, `()`).
    Absent,
    Text(String),
    Raw(Vec<u8>),
    /// An array: one pair per item.
    Many(Vec<Field>),
}

/// The value of `value`, or its JSON text when it is an object (or holds one).
fn field<T: Serialize + ?Sized>(value: &T) -> Result<Field, FormError> {
    match value.serialize(FieldSerializer) {
        Ok(field) => Ok(field),
        Err(Nested::Object) => serde_json::to_string(value)
            .map(Field::Text)
            .map_err(|error| FormError(error.to_string())),
        Err(Nested::Error(error)) => Err(error),
    }
}

/// The top level: an object whose entries become pairs.
struct Pairs {
    out: String,
    key: Option<String>,
}

impl Pairs {
    /// Appends `key=value` pairs for one property.
    fn write(&mut self, key: &str, value: Field) {
        let bytes: &[u8] = match &value {
            Field::Absent => return,
            Field::Text(text) => text.as_bytes(),
            Field::Raw(bytes) => bytes,
            Field::Many(_) => {
                let Field::Many(items) = value else {
                    return;
                };
                for item in items {
                    self.write(key, item);
                }
                return;
            }
        };
        if !self.out.is_empty() {
            self.out.push('&');
        }
        self.out
            .extend(form_urlencoded::byte_serialize(key.as_bytes()));
        self.out.push('=');
        self.out.extend(form_urlencoded::byte_serialize(bytes));
    }
}

fn not_an_object() -> FormError {
    FormError("a form body must be an object".to_owned())
}

macro_rules! refuse_scalars {
    ($($method:ident($($ty:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $ty),*) -> Result<(), FormError> {
            Err(not_an_object())
        })*
    };
}

impl ser::Serializer for &mut Pairs {
    type Ok = ();
    type Error = FormError;
    type SerializeSeq = Impossible<(), FormError>;
    type SerializeTuple = Impossible<(), FormError>;
    type SerializeTupleStruct = Impossible<(), FormError>;
    type SerializeTupleVariant = Impossible<(), FormError>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), FormError>;

    refuse_scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_none(self) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), FormError> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), FormError> {
        Err(not_an_object())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, FormError> {
        Err(not_an_object())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, FormError> {
        Err(not_an_object())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, FormError> {
        Err(not_an_object())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FormError> {
        Err(not_an_object())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, FormError> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, FormError> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FormError> {
        Err(not_an_object())
    }
}

impl SerializeMap for &mut Pairs {
    type Ok = ();
    type Error = FormError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FormError> {
        match field(key)? {
            Field::Text(text) => {
                self.key = Some(text);
                Ok(())
            }
            _ => Err(FormError("a form field name must be text".to_owned())),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| FormError("a form value without a name".to_owned()))?;
        let value = field(value)?;
        self.write(&key, value);
        Ok(())
    }

    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

impl SerializeStruct for &mut Pairs {
    type Ok = ();
    type Error = FormError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        let value = field(value)?;
        self.write(key, value);
        Ok(())
    }

    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

/// Why a value is not a [`Field`] of its own.
enum Nested {
    /// It is an object (or contains one): written as JSON text instead.
    Object,
    Error(FormError),
}

impl fmt::Debug for Nested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nested::Object => f.write_str("an object"),
            Nested::Error(error) => write!(f, "{error}"),
        }
    }
}

impl fmt::Display for Nested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for Nested {}

impl ser::Error for Nested {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Nested::Error(FormError(msg.to_string()))
    }
}

/// One value: a scalar, bytes, nothing, or a list of those.
struct FieldSerializer;

/// The items of a list value.
struct Items(Vec<Field>);

impl SerializeSeq for Items {
    type Ok = Field;
    type Error = Nested;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Nested> {
        self.0.push(field(value).map_err(Nested::Error)?);
        Ok(())
    }

    fn end(self) -> Result<Field, Nested> {
        Ok(Field::Many(self.0))
    }
}

impl ser::SerializeTuple for Items {
    type Ok = Field;
    type Error = Nested;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Nested> {
        SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Field, Nested> {
        SerializeSeq::end(self)
    }
}

macro_rules! text {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, value: $ty) -> Result<Field, Nested> {
            Ok(Field::Text(value.to_string()))
        })*
    };
}

impl ser::Serializer for FieldSerializer {
    type Ok = Field;
    type Error = Nested;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Impossible<Field, Nested>;
    type SerializeTupleVariant = Impossible<Field, Nested>;
    type SerializeMap = Impossible<Field, Nested>;
    type SerializeStruct = Impossible<Field, Nested>;
    type SerializeStructVariant = Impossible<Field, Nested>;

    text!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
    );

    fn serialize_bytes(self, value: &[u8]) -> Result<Field, Nested> {
        Ok(Field::Raw(value.to_vec()))
    }
    fn serialize_none(self) -> Result<Field, Nested> {
        Ok(Field::Absent)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Field, Nested> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Field, Nested> {
        Ok(Field::Absent)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Field, Nested> {
        Ok(Field::Absent)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Field, Nested> {
        Ok(Field::Text(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Field, Nested> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Field, Nested> {
        Err(Nested::Object)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Items, Nested> {
        Ok(Items(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Items, Nested> {
        Ok(Items(Vec::with_capacity(len)))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Nested> {
        Err(Nested::Object)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Nested> {
        Err(Nested::Object)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Nested> {
        Err(Nested::Object)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Nested> {
        Err(Nested::Object)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Nested> {
        Err(Nested::Object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Upload {
        name: String,
        tags: Vec<String>,
        data: Option<bytes::Bytes>,
        skipped: Option<u32>,
        meta: BTreeMap<String, u32>,
    }

    #[test]
    fn forms_repeat_arrays_encode_bytes_and_nest_objects_as_json() {
        let upload = Upload {
            name: "a b&c".to_owned(),
            tags: vec!["x".to_owned(), "y".to_owned()],
            data: Some(bytes::Bytes::from_static(&[0xff, b'=', b'a'])),
            skipped: None,
            meta: BTreeMap::from([("k".to_owned(), 1)]),
        };
        assert_eq!(
            encode(&upload).unwrap(),
            "name=a+b%26c&tags=x&tags=y&data=%FF%3Da&meta=%7B%22k%22%3A1%7D"
        );
        assert!(encode(&3)
            .unwrap_err()
            .to_string()
            .contains("must be an object"));
    }
}
