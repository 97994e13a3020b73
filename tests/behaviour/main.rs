//! What the generated types do with JSON, checked on the fixture crates.
//!
//! `fixtures_behave` (tests/tests/fixtures.rs) builds this program in the scratch workspace
//! of generated fixture crates and runs it: each check decodes and encodes JSON with the
//! generated `Serialize`/`Deserialize` impls and panics, naming what broke, when the result
//! is not what the spec says.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use fixture_optionality::Nullable;

fn main() {
    keywords_and_renames();
    a_property_named_ref();
    servers_and_credentials_from_the_description();
    colliding_names();
    required_optional_and_nullable();
    three_state_fields();
    additional_properties();
    undeclared_keys();
    unions();
    recursion();
    println!("the generated types behave");
}

/// Decodes `value` as `T`, panicking with the error.
fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|error| panic!("{value}: {error}"))
}

/// The error decoding `value` as `T` gives, panicking when it decodes.
fn decode_error<T: DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    match serde_json::from_value::<T>(value.clone()) {
        Ok(decoded) => panic!("{value} should not decode, but gave {decoded:?}"),
        Err(error) => error.to_string(),
    }
}

/// `value` encoded as JSON.
fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("generated types always encode")
}

/// Decoding `wire` and encoding the result gives `wire` back.
fn round_trip<T: DeserializeOwned + Serialize>(wire: Value) -> T {
    let decoded: T = decode(wire.clone());
    assert_eq!(encode(&decoded), wire, "round trip");
    decoded
}

fn keywords_and_renames() {
    use fixture_keywords::types::{Option as OptionEnum, Self_};
    let wire = json!({
        "type": "a", "self": "b", "Self": "c", "crate": 7, "gen": true, "async": "x",
        "option": "None", "result": {"Ok": "yes"}, "box": {"k": ["v"]}
    });
    let value: Self_ = round_trip(wire);
    assert_eq!(value.r#type, "a");
    assert_eq!(value.self_, "b");
    assert_eq!(value.self_2.as_deref(), Some("c"));
    assert_eq!(value.crate_, Some(7));
    assert_eq!(value.r#gen, Some(true));
    assert_eq!(value.r#async.as_deref(), Some("x"));
    assert_eq!(value.option, Some(OptionEnum::None));
    assert_eq!(value.result.and_then(|r| r.ok).as_deref(), Some("yes"));
    assert_eq!(value.r#box.map(|b| b.len()), Some(1));
    // Undeclared keys go to the map of further keys, also when they look like a field's Rust
    // name.
    let value: Self_ = decode(json!({"type": "a", "self": "b", "self_": "no", "extra": [1]}));
    assert_eq!((value.self_.as_str(), value.self_2), ("b", None));
    assert_eq!(
        value.extra.into_iter().collect::<Vec<_>>(),
        [
            ("extra".to_owned(), json!([1])),
            ("self_".to_owned(), json!("no"))
        ]
    );
}

/// The client builder follows the description: server variables with their defaults, one
/// credential method per security scheme, a relative server needing a base URL.
fn servers_and_credentials_from_the_description() {
    let client = fixture_auth::Client::builder()
        .tenant_hint("acme")
        .header_key("h")
        .query_key("q")
        .cookie_key("c")
        .basic("user", "password")
        .bearer("token")
        .oauth("token")
        .timeout_2("t")
        .build()
        .expect("every credential is valid");
    assert_eq!(
        client.runtime().base_url().as_str(),
        "https://eu.api.example.com/v1",
        "variable defaults fill the template"
    );
    let us = fixture_auth::Client::builder()
        .region("us")
        .version("v2")
        .build()
        .expect("no credentials is allowed");
    assert_eq!(us.runtime().base_url().as_str(), "https://us.api.example.com/v2");
    let shown = format!("{client:?}");
    assert!(!shown.contains("password"), "credentials never show: {shown}");

    let relative = fixture_relative_server::Client::builder()
        .build()
        .expect_err("a relative server needs a base URL");
    assert!(relative.to_string().contains("is relative"), "{relative}");
    let pets = fixture_relative_server::Client::builder()
        .base_url("https://pets.example.com/api/v3")
        .build()
        .expect("an absolute base URL");
    assert_eq!(pets.runtime().base_url().as_str(), "https://pets.example.com/api/v3");
}

/// Inside `properties`, `$ref` is a property name, not a reference.
fn a_property_named_ref() {
    use fixture_ref_property::types::Member;
    let wire = json!({"value": "u1", "$ref": "https://example.com/Users/u1"});
    let member: Member = round_trip(wire);
    assert_eq!(member.value, "u1");
    assert_eq!(member.r#ref.as_deref(), Some("https://example.com/Users/u1"));
}

fn colliding_names() {
    use fixture_collisions::types::Ticket;
    let value: Ticket = round_trip(json!({"userId": 1, "user_id": 2, "UserID": 3}));
    assert_eq!(
        (value.user_id, value.user_id_2, value.user_id_3),
        (Some(1), Some(2), Some(3))
    );
    // A key written with JSON escapes is the same key.
    let value: Ticket = decode(json!({"user\u{5f}id": 5}));
    assert_eq!(value.user_id_2, Some(5));
    // Of duplicate keys the last wins.
    let value: Ticket = serde_json::from_str(r#"{"userId": 1, "userId": 9}"#).expect("decodes");
    assert_eq!(value.user_id, Some(9));

    // Properties named like the impls' own locals read and write their keys.
    use fixture_collisions::types::{Defaults, Locals};
    let wire = json!({
        "map": 1, "key": "k", "value": "v", "drop": true, "de": "d", "serde": "s", "std": "t",
        "deserializer": "r", "serializer": "w", "extra": "e", "more": 2
    });
    let value: Locals = round_trip(wire);
    assert_eq!((value.map, value.key.as_str()), (1, "k"));
    assert_eq!((value.value.as_deref(), value.drop), (Some("v"), Some(true)));
    assert_eq!(value.extra.as_deref(), Some("e"));
    assert_eq!(value.additional_properties.get("more"), Some(&2));
    let missing = decode_error::<Locals>(json!({"key": "k"}));
    assert!(missing.contains("missing field `map`"), "{missing}");
    let value: Defaults = round_trip(json!({"value": "v", "map": 3, "key": "k"}));
    assert_eq!((value.value.as_deref(), value.map, value.key.as_deref()), (Some("v"), Some(3), Some("k")));
}

fn required_optional_and_nullable() {
    use fixture_optionality::types::Contact;
    // Required fields are always written, nullable ones as null; unset optional ones not.
    let value: Contact = round_trip(json!({"id": 1, "name": "n", "email": null, "manager": null}));
    assert_eq!(
        (value.email, value.phone, value.manager),
        (None, None, None)
    );
    let value: Contact = round_trip(json!({
        "id": 1, "name": "n", "email": "e@x", "phone": "1",
        "manager": {"id": 4}, "born": "1990-05-17"
    }));
    assert_eq!(value.phone.as_deref(), Some("1"));
    assert_eq!(
        value.born.map(|d| d.to_string()).as_deref(),
        Some("1990-05-17")
    );
    // A missing required field that cannot be null is an error naming it; a nullable one
    // may be left out.
    let error = decode_error::<Contact>(json!({"id": 1, "email": null, "manager": null}));
    assert!(error.contains("missing field `name`"), "{error}");
    let value: Contact = decode(json!({"id": 1, "name": "n"}));
    assert_eq!(value.email, None);
    // Wrong types are errors, naming what was expected.
    let error = decode_error::<Contact>(json!({"id": "one", "name": "n"}));
    assert!(error.contains("invalid type"), "{error}");
    // An optional field sent as null reads as unset and is not written back; a nullable one of
    // a type the client sends keeps the null (see `three_state_fields`).
    let value: Contact = decode(json!({"id": 1, "name": "n", "phone": null, "mobile": null}));
    assert_eq!((value.phone.as_deref(), &value.mobile), (None, &Nullable::Null));
    assert_eq!(
        encode(&value),
        json!({"id": 1, "name": "n", "email": null, "mobile": null, "manager": null})
    );
    let error = decode_error::<Contact>(json!(["id", "name"]));
    assert!(error.contains("a Contact object"), "{error}");
}

/// Optional nullable fields of the types the client sends are three-state: left out, `null`
/// and a value each survive a round trip; types only received keep an `Option`.
fn three_state_fields() {
    use fixture_optionality::types::{ContactPatch, ContactSummary};
    let absent: ContactPatch = round_trip(json!({"effective": "2024-01-31", "name": "n"}));
    assert_eq!(
        (absent.mobile, absent.manager_id),
        (Nullable::Absent, Nullable::Absent)
    );
    let null: ContactPatch = round_trip(json!({
        "effective": "2024-01-31", "mobile": null, "manager_id": null
    }));
    assert_eq!(
        (null.mobile, null.manager_id),
        (Nullable::Null, Nullable::Null)
    );
    let set: ContactPatch = round_trip(json!({
        "effective": "2024-01-31", "mobile": "1", "manager_id": 7
    }));
    assert_eq!(set.mobile, Nullable::Value("1".to_owned()));
    assert_eq!(set.manager_id, Nullable::Value(7));
    // Built by hand: only what is set is written, `Null` as null.
    let patch = ContactPatch {
        effective: set.effective,
        manager_id: Nullable::Null,
        mobile: "2".to_owned().into(),
        name: None,
    };
    assert_eq!(
        encode(&patch),
        json!({"effective": "2024-01-31", "mobile": "2", "manager_id": null})
    );
    let error = decode_error::<ContactPatch>(json!({"effective": "2024-01-31", "manager_id": "x"}));
    assert!(error.contains("invalid type"), "{error}");
    let summary: ContactSummary = decode(json!({"seen_at": "2024-01-31T10:00:00Z", "mobile": null}));
    assert_eq!(summary.mobile, None);
    // A type only received can be built from its default, its timestamp at the epoch.
    let built = ContactSummary {
        mobile: Some("3".to_owned()),
        ..Default::default()
    };
    assert_eq!(
        encode(&built),
        json!({"seen_at": "1970-01-01T00:00:00Z", "mobile": "3"})
    );
}

fn additional_properties() {
    use fixture_additional_properties::types::{Asset, CustomFields, Labels};
    let value: Labels = round_trip(json!({"color": "red", "size": "L", "shape": "round"}));
    assert_eq!(value.color.as_deref(), Some("red"));
    let extra: Vec<&str> = value
        .additional_properties
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(extra, ["shape", "size"]);
    // A property named like the map keeps its own field; the map gets the rest.
    let value: CustomFields = round_trip(json!({"additional_properties": "own", "other": 1}));
    assert_eq!(value.additional_properties.as_deref(), Some("own"));
    assert_eq!(value.additional_properties_2.get("other"), Some(&json!(1)));
    let value: Asset = round_trip(json!({"name": "laptop", "counts": {"a": 1}, "closed": {}}));
    assert_eq!(value.counts.map(|c| c["a"]), Some(1));
    let error = decode_error::<Asset>(json!({"name": "laptop", "counts": {"a": "one"}}));
    assert!(error.contains("invalid type"), "{error}");
}

/// Received types keep the keys their schema does not declare, as JSON, and write them back;
/// `additionalProperties: false` keeps none.
fn undeclared_keys() {
    use fixture_additional_properties::types::{Asset, Strict, Tag};
    use fixture_optionality::types::Contact;
    let value: Contact = round_trip(json!({
        "id": 1, "name": "n", "email": null, "manager": {"id": 2, "since": "2020"},
        "nickname": "nn", "score": [1, {"a": null}]
    }));
    assert_eq!(value.extra.get("nickname"), Some(&json!("nn")));
    assert_eq!(value.extra.get("score"), Some(&json!([1, {"a": null}])));
    assert_eq!(value.extra.len(), 2);
    let manager = value.manager.expect("manager");
    assert_eq!(manager.extra.get("since"), Some(&json!("2020")));
    // Without undeclared keys the map is empty, and equality still compares them.
    let plain: Contact = decode(json!({"id": 1, "name": "n"}));
    assert!(plain.extra.is_empty());
    let mut other = plain.clone();
    other.extra.insert("x".to_owned(), json!(1));
    assert_ne!(plain, other);
    // A declared property named `extra` keeps its name; the map is `extra_2`.
    let tag: Tag = round_trip(json!({"extra": "own", "more": true}));
    assert_eq!(tag.extra.as_deref(), Some("own"));
    assert_eq!(tag.extra_2.get("more"), Some(&json!(true)));
    let strict: Strict = decode(json!({"code": "c", "other": 1}));
    assert_eq!(encode(&strict), json!({"code": "c"}));
    let asset: Asset = decode(json!({"name": "laptop", "colour": "grey"}));
    assert_eq!(asset.extra.get("colour"), Some(&json!("grey")));
}

fn unions() {
    use fixture_unions::types::{Drawing, Fill, Shape};
    let drawing: Drawing = round_trip(json!({
        "name": "d",
        "shapes": [{"type": "circle", "radius": 1.5}, {"type": "square", "side": 2.0}],
        "fill": "red",
        "notes": ["a", null],
        "weights": {"x": 1, "y": null}
    }));
    assert!(matches!(drawing.shapes[0], Shape::Circle(ref c) if c.radius == 1.5));
    assert!(matches!(drawing.shapes[1], Shape::Square(ref s) if s.side == 2.0));
    assert_eq!(drawing.fill, Some(Fill::Color("red".to_owned())));
    // The discriminator picks the alternative, and its error is the one reported.
    let error = decode_error::<Shape>(json!({"type": "square", "radius": 1.0}));
    assert!(error.contains("missing field `side`"), "{error}");
    // Without a known tag (or a discriminator), the first alternative that fits wins.
    let shape: Shape = decode(json!({"type": "hexagon", "side": 1.0}));
    assert!(matches!(shape, Shape::Square(_)));
    let fill: Fill = round_trip(json!({"from": "red", "to": "blue"}));
    assert!(matches!(fill, Fill::Gradient(ref g) if g.to.as_deref() == Some("blue")));
    let error = decode_error::<Fill>(json!(3));
    assert!(error.contains("none of Fill's alternatives"), "{error}");
}

fn recursion() {
    use fixture_recursion::types::Department;
    let value: Department = round_trip(json!({
        "name": "it",
        "head": {"name": "ada", "department": {"name": "it", "head": {"name": "bob"}}}
    }));
    let inner = value.head.department.expect("nested department");
    assert_eq!(inner.head.name.as_deref(), Some("bob"));
}
