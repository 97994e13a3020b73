//! Spec mutations for fuzzing the generator, shared by the cargo-fuzz targets (`fuzz/`) and
//! the bounded run CI does (`tests/tests/fuzz_smoke.rs`, which includes this file by path).
//!
//! A mutation takes a valid spec (as JSON) and breaks it the ways real descriptions and
//! hostile inputs do: keys deleted, types swapped, `$ref` cycles, deep nesting, odd names,
//! OpenAPI 3.1 forms. Every choice comes from a [`Choices`] source, so a run is reproducible
//! from its seed (or, under libFuzzer, from its input bytes).

use serde_json::{Map, Value};

/// Where the mutations' decisions come from.
pub trait Choices {
    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize;

    /// True with probability about `1/n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// A small deterministic generator (SplitMix64), so runs repeat exactly from a seed.
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Choices for SplitMix {
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// Choices read from fuzzer input, one byte (or two, for large ranges) at a time; zeros once
/// the input runs out.
pub struct ByteChoices<'a>(pub &'a [u8]);

impl Choices for ByteChoices<'_> {
    fn below(&mut self, n: usize) -> usize {
        let mut take = || match self.0.split_first() {
            Some((first, rest)) => {
                self.0 = rest;
                *first as usize
            }
            None => 0,
        };
        let raw = if n > 256 {
            take() << 8 | take()
        } else {
            take()
        };
        raw % n.max(1)
    }
}

/// Strings that tend to break name handling, path templates and references.
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "type",
    "Self",
    "self",
    "crate",
    "super",
    "r#type",
    "_",
    "0",
    "123abc",
    "{",
    "}",
    "{}",
    "/{id",
    "/a/{}/b",
    "~1",
    "%",
    "#",
    "#/components/schemas/",
    "#/components/schemas/Missing",
    "#/paths",
    "http://example.com/x.yaml#/A",
    "Client",
    "Error",
    "Result",
    "Option",
    "Some",
    "None",
    "Box",
    "String",
    "Vec",
    "send",
    "body",
    "client",
    "Unknown",
    "ü",
    "日本",
    "a-b-c",
    "A_B",
    "a b",
    "\u{0}",
    "\n",
    "x-",
    "application/json",
    "multipart/form-data",
    "text/plain",
    "deepObject",
    "spaceDelimited",
    "cookie",
    "default",
    "2XX",
    "999",
];

/// Values for `type`, including ones OpenAPI does not define.
const TYPE_NAMES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "",
];

/// Applies `count` random mutations to `spec`.
pub fn mutate(spec: &mut Value, choices: &mut impl Choices, count: usize) {
    for _ in 0..count {
        mutate_once(spec, choices);
    }
}

/// Applies one random mutation.
pub fn mutate_once(spec: &mut Value, choices: &mut impl Choices) {
    let pointers = node_pointers(spec);
    let target = pointers[choices.below(pointers.len())].clone();
    let schema_names = component_names(spec);
    match choices.below(11) {
        0 => delete_key(spec, &target, choices),
        1 => swap_kind(spec, &target, choices),
        2 => set_type(spec, &target, choices),
        3 => insert_ref(spec, &target, &schema_names, choices),
        4 => ref_cycle(spec, &schema_names, choices),
        5 => nest_deeply(spec, &target, choices),
        6 => copy_subtree(spec, &pointers, &target, choices),
        7 => odd_string(spec, &target, choices),
        8 => odd_keyword(spec, &target, choices),
        9 => openapi_3_1(spec, &target, choices),
        _ => {
            let key = ODD_STRINGS[choices.below(ODD_STRINGS.len())].to_owned();
            if let Some(Value::Object(object)) = spec.pointer_mut(&target) {
                object.insert(key, Value::Object(Map::new()));
            }
        }
    }
}

/// Every node's JSON pointer (`""` is the root), in document order.
fn node_pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((at, node)) = stack.pop() {
        match node {
            Value::Object(object) => {
                for (key, child) in object.iter().rev() {
                    stack.push((format!("{at}/{}", escape(key)), child));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    stack.push((format!("{at}/{i}"), child));
                }
            }
            _ => {}
        }
        out.push(at);
    }
    out
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The names of `components/schemas`.
fn component_names(spec: &Value) -> Vec<String> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

fn delete_key(spec: &mut Value, at: &str, choices: &mut impl Choices) {
    match spec.pointer_mut(at) {
        Some(Value::Object(object)) if !object.is_empty() => {
            let index = choices.below(object.len());
            if let Some(key) = object.keys().nth(index).cloned() {
                object.shift_remove(&key);
            }
        }
        Some(Value::Array(items)) if !items.is_empty() => {
            let index = choices.below(items.len());
            items.remove(index);
        }
        _ => {}
    }
}

fn swap_kind(spec: &mut Value, at: &str, choices: &mut impl Choices) {
    if let Some(node) = spec.pointer_mut(at) {
        *node = match choices.below(7) {
            0 => Value::Null,
            1 => Value::Bool(choices.one_in(2)),
            2 => Value::from(choices.below(1000) as i64 - 500),
            3 => Value::from(1.5),
            4 => Value::from(ODD_STRINGS[choices.below(ODD_STRINGS.len())]),
            5 => Value::Array(vec![node.take()]),
            _ => Value::Object(Map::new()),
        };
    }
}

fn set_type(spec: &mut Value, at: &str, choices: &mut impl Choices) {
    if let Some(Value::Object(object)) = spec.pointer_mut(at) {
        let name = TYPE_NAMES[choices.below(TYPE_NAMES.len())];
        object.insert("type".to_owned(), Value::from(name));
    }
}

/// A `$ref` somewhere: to a component, to the node itself, to an ancestor, or nowhere.
fn insert_ref(spec: &mut Value, at: &str, names: &[String], choices: &mut impl Choices) {
    let reference = match choices.below(4) {
        0 if !names.is_empty() => format!(
            "#/components/schemas/{}",
            escape(&names[choices.below(names.len())])
        ),
        1 => format!("#{at}"),
        2 => {
            let cut = at.rfind('/').unwrap_or(0);
            format!("#{}", &at[..cut])
        }
        _ => ODD_STRINGS[choices.below(ODD_STRINGS.len())].to_owned(),
    };
    if let Some(Value::Object(object)) = spec.pointer_mut(at) {
        object.insert("$ref".to_owned(), Value::from(reference));
    }
}

/// Component schemas that reach each other: a plain `$ref` loop, an `allOf` loop, or a
/// property that holds its own schema.
fn ref_cycle(spec: &mut Value, names: &[String], choices: &mut impl Choices) {
    let Some(Value::Object(schemas)) = spec.pointer_mut("/components/schemas") else {
        return;
    };
    let a = names
        .get(choices.below(names.len().max(1)))
        .cloned()
        .unwrap_or_else(|| "A".to_owned());
    let b = names
        .get(choices.below(names.len().max(1)))
        .cloned()
        .unwrap_or_else(|| "B".to_owned());
    let to = |name: &str| serde_json::json!({ "$ref": format!("#/components/schemas/{}", escape(name)) });
    match choices.below(3) {
        0 => {
            schemas.insert(a.clone(), to(&b));
            schemas.insert(b, to(&a));
        }
        1 => {
            schemas.insert(
                a.clone(),
                serde_json::json!({ "allOf": [to(&b), { "type": "object" }] }),
            );
            schemas.insert(b, serde_json::json!({ "allOf": [to(&a)] }));
        }
        _ => {
            schemas.insert(
                a.clone(),
                serde_json::json!({ "type": "object", "properties": { "me": to(&a), "all": { "type": "array", "items": to(&a) } } }),
            );
        }
    }
}

/// Wraps a node in many levels of schema nesting.
fn nest_deeply(spec: &mut Value, at: &str, choices: &mut impl Choices) {
    let Some(node) = spec.pointer_mut(at) else {
        return;
    };
    let levels = 1 + choices.below(80);
    let kind = choices.below(4);
    let mut inner = node.take();
    for _ in 0..levels {
        inner = match kind {
            0 => serde_json::json!({ "type": "array", "items": inner }),
            1 => serde_json::json!({ "allOf": [inner] }),
            2 => serde_json::json!({ "oneOf": [inner, { "type": "string" }] }),
            _ => serde_json::json!({ "type": "object", "properties": { "a": inner } }),
        };
    }
    *node = inner;
}

/// Copies one subtree over another node (schemas into parameters, operations into schemas...).
fn copy_subtree(spec: &mut Value, pointers: &[String], at: &str, choices: &mut impl Choices) {
    let from = &pointers[choices.below(pointers.len())];
    let Some(copy) = spec.pointer(from).cloned() else {
        return;
    };
    if let Some(node) = spec.pointer_mut(at) {
        *node = copy;
    }
}

/// Replaces a string, or the name of a key, with an odd one.
fn odd_string(spec: &mut Value, at: &str, choices: &mut impl Choices) {
    let odd = ODD_STRINGS[choices.below(ODD_STRINGS.len())];
    match spec.pointer_mut(at) {
        Some(Value::String(text)) => *text = odd.to_owned(),
        Some(Value::Object(object)) if !object.is_empty() => {
            let index = choices.below(object.len());
            if let Some(key) = object.keys().nth(index).cloned() {
                if let Some(value) = object.shift_remove(&key) {
                    object.insert(odd.to_owned(), value);
                }
            }
        }
        _ => {}
    }
}

/// Adds a keyword the generator treats specially, with a plausible or odd value.
fn odd_keyword(spec: &mut Value, at: &str, choices: &mut impl Choices) {
    let Some(Value::Object(object)) = spec.pointer_mut(at) else {
        return;
    };
    let (key, value) = match choices.below(12) {
        0 => (
            "enum",
            serde_json::json!(["a", "A", "a-", "", 1, null, "Unknown", "self"]),
        ),
        1 => ("x-enum-varnames", serde_json::json!(["one", "two"])),
        2 => (
            "additionalProperties",
            serde_json::json!({ "type": "string", "nullable": true }),
        ),
        3 => (
            "discriminator",
            serde_json::json!({ "propertyName": "kind", "mapping": { "x": "#/components/schemas/X" } }),
        ),
        4 => (
            "style",
            Value::from(["deepObject", "form", "pipeDelimited", "simple"][choices.below(4)]),
        ),
        5 => (
            "in",
            Value::from(["query", "header", "path", "cookie", "body"][choices.below(5)]),
        ),
        6 => ("required", Value::Bool(choices.one_in(2))),
        7 => ("nullable", Value::Bool(true)),
        8 => (
            "format",
            Value::from(
                ["binary", "date", "date-time", "int32", "float", "byte"][choices.below(6)],
            ),
        ),
        9 => ("not", serde_json::json!({ "type": "string" })),
        10 => ("x-filter-query", Value::Bool(true)),
        _ => (
            "content",
            serde_json::json!({ "application/octet-stream": { "schema": { "type": "string", "format": "binary" } }, "text/csv": {} }),
        ),
    };
    object.insert(key.to_owned(), value);
}

/// Declares OpenAPI 3.1 and adds a 3.1 form to a node.
fn openapi_3_1(spec: &mut Value, at: &str, choices: &mut impl Choices) {
    if let Some(Value::Object(root)) = spec.pointer_mut("") {
        root.insert("openapi".to_owned(), Value::from("3.1.0"));
    }
    let Some(Value::Object(object)) = spec.pointer_mut(at) else {
        return;
    };
    let (key, value) = match choices.below(8) {
        0 => ("type", serde_json::json!(["string", "null"])),
        1 => (
            "type",
            serde_json::json!(["integer", "object", "array", "null", 7]),
        ),
        2 => ("const", serde_json::json!({ "a": 1 })),
        3 => ("examples", serde_json::json!([1, "two"])),
        4 => ("exclusiveMinimum", serde_json::json!(3.5)),
        5 => (
            "anyOf",
            serde_json::json!([{ "type": "null" }, true, false]),
        ),
        6 => ("prefixItems", serde_json::json!([{ "type": "integer" }])),
        _ => ("$dynamicRef", Value::from("#node")),
    };
    object.insert(key.to_owned(), value);
}
