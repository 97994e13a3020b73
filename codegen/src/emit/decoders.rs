//! A test source that decodes each JSON body of each operation with the generated client's
//! own type for it: the table through which the documentation-sample tests decode a sample.
//!
//! The table is made from the same IR as the client, so each entry names the type the client
//! decodes that body into (written by [`rust_type_in`], as the client writes it), and for a
//! success body the envelope key the client unwraps. Bodies of other media types, and types
//! that hold raw bytes, have no entry: no JSON decodes into them.
//!
//! The file expects its parent module to define `Body` (an enum with the variants `Success`,
//! `Error` and `Request`: which body of an operation a sample shows), `Decoded` (the result
//! of one decoding), `plain::<T>(json)` (decodes the whole of `json` as `T`) and
//! `enveloped::<T>(json, key)` (decodes the value under `key` of a JSON object as `T`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::calls::operations;
use super::rust_type::rust_type_in;
use crate::ir::{Api, MediaType, Operation, ResponseBody, StatusMatch, Success, TypeKind, TypeRef};

/// The test source for `api`, whose generated crate is `crate_name`; `header` becomes its
/// leading comment lines.
pub fn decoders_file(api: &Api, crate_name: &str, header: &str) -> Result<String, String> {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let root = quote!(::#krate);
    let operations = operations(api);
    let names = operations.iter().map(|operation| &operation.name.wire);
    let arms = operations.iter().flat_map(|operation| {
        let name = &operation.name.wire;
        [
            (quote!(Success), success(operation, api)),
            (quote!(Error), errors(operation)),
            (quote!(Request), request(operation)),
        ]
        .into_iter()
        .filter(|(_, decoders)| !decoders.is_empty())
        .map(|(body, decoders)| {
            let calls = decoders.iter().map(|decoder| decoder.call(api, &root));
            quote! {
                (#name, Body::#body) => ::std::vec::Vec::from([#(#calls),*]),
            }
        })
        .collect::<Vec<_>>()
    });
    let tokens = quote! {
        //! The generated client's type for each JSON body of each operation. It is formatted
        //! by the generator; rustfmt leaves it be.
        #![cfg_attr(rustfmt, rustfmt::skip)]

        use super::{enveloped, plain, Body, Decoded};

        /// Every operationId of the spec, sorted.
        pub const OPERATIONS: &[&str] = &[#(#names),*];

        /// Decodes `json` as the `body` of `operation`: one result per type that body may have
        /// (a success body that differs by status has several); empty when it has no JSON type.
        pub fn decode(operation: &str, body: Body, json: &str) -> ::std::vec::Vec<Decoded> {
            match (operation, body) {
                #(#arms)*
                _ => ::std::vec::Vec::new(),
            }
        }
    };
    crate::format::rust_file(header, tokens)
}

/// One decoder: the type a JSON body decodes into and, for a success body, the envelope key
/// to unwrap first.
#[derive(Clone, Debug, PartialEq)]
struct Decoder<'a> {
    /// The type.
    ty: &'a TypeRef,
    /// The key of the envelope object around it.
    envelope: Option<&'a str>,
}

impl Decoder<'_> {
    /// The call that decodes `json` with this decoder, in code where the generated crate is
    /// `root`.
    fn call(&self, api: &Api, root: &TokenStream) -> TokenStream {
        let ty = rust_type_in(api, self.ty, false, root);
        match self.envelope {
            Some(key) => quote!(enveloped::<#ty>(json, #key)),
            None => quote!(plain::<#ty>(json)),
        }
    }
}

/// Adds `decoder` to `decoders` unless it is there already (two statuses with one body).
fn push_new<'a>(decoders: &mut Vec<Decoder<'a>>, decoder: Option<Decoder<'a>>) {
    if let Some(decoder) = decoder {
        if !decoders.contains(&decoder) {
            decoders.push(decoder);
        }
    }
}

/// The decoders of the 2xx bodies, as the client decodes them.
fn success<'a>(operation: &'a Operation, api: &'a Api) -> Vec<Decoder<'a>> {
    let bodies: Vec<&ResponseBody> = match &operation.success {
        Success::Empty => Vec::new(),
        Success::Body(body) => vec![body],
        Success::ByStatus(id) => match &api.types.get(*id).kind {
            TypeKind::StatusEnum(status) => status
                .variants
                .iter()
                .filter_map(|variant| variant.body.as_ref())
                .collect(),
            _ => Vec::new(),
        },
    };
    let mut decoders = Vec::new();
    for body in bodies {
        push_new(&mut decoders, json_decoder(body));
    }
    decoders
}

/// The decoders of the error (4xx, 5xx, `default`) bodies.
fn errors(operation: &Operation) -> Vec<Decoder<'_>> {
    let mut decoders = Vec::new();
    for response in &operation.responses {
        let is_error = match response.status {
            StatusMatch::Code(code) => code >= 400,
            StatusMatch::Range(class) => class >= 4,
            StatusMatch::Default => true,
        };
        if is_error {
            push_new(&mut decoders, response.body.as_ref().and_then(json_decoder));
        }
    }
    decoders
}

/// The decoder of the first JSON request body, if there is one.
fn request(operation: &Operation) -> Vec<Decoder<'_>> {
    operation
        .body
        .iter()
        .flat_map(|body| &body.contents)
        .filter(|content| content.media == MediaType::Json && !holds_bytes(&content.ty))
        .map(|content| Decoder {
            ty: &content.ty,
            envelope: None,
        })
        .take(1)
        .collect()
}

/// The decoder of a JSON response body (`None` for other media types).
fn json_decoder(body: &ResponseBody) -> Option<Decoder<'_>> {
    (body.media == MediaType::Json && !holds_bytes(&body.ty)).then_some(Decoder {
        ty: &body.ty,
        envelope: body.envelope.as_deref(),
    })
}

/// Whether a use of `ty` holds raw bytes, which no JSON decodes into.
fn holds_bytes(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Binary => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => holds_bytes(inner),
        TypeRef::Named(_) | TypeRef::Scalar(_) | TypeRef::Any => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
x-response-envelopes: true
paths:
  /ticket:
    get:
      operationId: tickets_get
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  ticket: {$ref: '#/components/schemas/Ticket'}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
    put:
      operationId: tickets_update
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Ticket'}
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: integer, format: int64}}
        '202':
          description: accepted
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Ticket'}
    delete:
      operationId: tickets_delete
      responses:
        '204': {description: gone}
  /ticket/file:
    get:
      operationId: tickets_download
      responses:
        '200':
          description: the file
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
components:
  schemas:
    Ticket:
      type: object
      properties:
        id: {type: integer, format: int64}
        subject: {type: string}
    Error:
      type: object
      properties:
        description: {type: string}
"##;

    #[test]
    fn renders_a_decoder_per_json_body() {
        let document = crate::load::load_str(SPEC, std::path::Path::new("spec.yaml"))
            .expect("the test spec loads");
        let api = crate::build_ir(&document).expect("the test spec lowers");
        let render = || decoders_file(&api, "client", "@generated by test").expect("renders");
        let text = render();
        assert!(text.starts_with("// @generated by test\n"), "{text}");
        assert!(text.contains(
            "pub const OPERATIONS: &[&str] = &[\n    \"tickets_delete\",\n    \"tickets_download\",\n    \"tickets_get\",\n    \"tickets_update\",\n];"
        ), "{text}");
        // No entry for the download (bytes), the deletion (no body) or the multipart body.
        let decode = &text[text.find("    match").expect("the match")..];
        assert_eq!(
            decode,
            r#"    match (operation, body) {
        ("tickets_get", Body::Success) => {
            ::std::vec::Vec::from([enveloped::<::client::types::Ticket>(json, "ticket")])
        }
        ("tickets_get", Body::Error) => {
            ::std::vec::Vec::from([plain::<::client::types::Error2>(json)])
        }
        ("tickets_update", Body::Success) => {
            ::std::vec::Vec::from([
                plain::<::std::vec::Vec<i64>>(json),
                plain::<::client::types::Ticket>(json),
            ])
        }
        ("tickets_update", Body::Request) => {
            ::std::vec::Vec::from([plain::<::client::types::Ticket>(json)])
        }
        _ => ::std::vec::Vec::new(),
    }
}
"#
        );
        assert_eq!(render(), text, "deterministic");
    }
}
