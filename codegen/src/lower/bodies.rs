//! Request bodies, responses, and what a successful call returns.

use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, MediaType as SpecMediaType, ReferenceOr, RequestBody as SpecRequestBody,
    Response as SpecResponse, Responses, Schema, SchemaKind, StatusCode, Type,
};

use super::{Encoding, Lowerer};
use crate::diag::pointer;
use crate::ir::{
    BodyContent, Docs, MediaType, Name, RequestBody, Response, ResponseBody, StatusEnum,
    StatusMatch, StatusVariant, Success, TypeKind, TypeRef,
};

/// The component schemas that some operation sends as a multipart form and none sends or
/// receives as JSON: these are lowered as forms (`format: binary` properties are files). A
/// component used both ways stays a JSON type, and each multipart use gets a form type of its
/// own ([`Lowerer::body_type`]).
pub(super) fn multipart_components(
    openapi: &openapiv3::OpenAPI,
    components: &openapiv3::Components,
) -> BTreeSet<String> {
    let mut multipart = BTreeSet::new();
    let mut json = BTreeSet::new();
    let component = |media: &SpecMediaType| match &media.schema {
        Some(ReferenceOr::Reference { reference }) => reference
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned),
        _ => None,
    };
    for item in openapi.paths.paths.values() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, operation) in item.iter() {
            let body = match &operation.request_body {
                Some(ReferenceOr::Item(body)) => Some(body),
                Some(ReferenceOr::Reference { reference }) => {
                    let name = reference.trim_start_matches("#/components/requestBodies/");
                    match components.request_bodies.get(name) {
                        Some(ReferenceOr::Item(body)) => Some(body),
                        _ => None,
                    }
                }
                None => None,
            };
            for (content_type, media) in body.iter().flat_map(|body| &body.content) {
                let set = match media_type(content_type) {
                    Some(MediaType::Multipart) => &mut multipart,
                    Some(MediaType::Json) => &mut json,
                    _ => continue,
                };
                set.extend(component(media));
            }
            for response in operation.responses.responses.values() {
                let ReferenceOr::Item(response) = response else {
                    continue;
                };
                for (content_type, media) in &response.content {
                    if media_type(content_type) == Some(MediaType::Json) {
                        json.extend(component(media));
                    }
                }
            }
        }
    }
    multipart.difference(&json).cloned().collect()
}

/// The distinguishing part of a JSON media type: `merge-patch` for
/// `application/merge-patch+json`, `json` for a plain `application/json` listed twice.
fn json_subtype(content_type: &str) -> String {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let subtype = essence.rsplit('/').next().unwrap_or(essence);
    let subtype = subtype.strip_suffix("+json").unwrap_or(subtype);
    subtype.replace(['.', '-'], " ")
}

/// Classifies a content type.
pub(super) fn media_type(content_type: &str) -> Option<MediaType> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match essence.as_str() {
        "application/json" => MediaType::Json,
        t if t.ends_with("+json") || t == "*/*" => MediaType::Json,
        "multipart/form-data" => MediaType::Multipart,
        "application/x-www-form-urlencoded" => MediaType::Form,
        t if t.starts_with("text/") => MediaType::Text(essence.clone()),
        t if t.starts_with("application/")
            || t.starts_with("image/")
            || t.starts_with("audio/")
            || t.starts_with("video/") =>
        {
            MediaType::Binary(essence.clone())
        }
        _ => return None,
    })
}

impl<'a> Lowerer<'a> {
    /// Lowers a request body; `None` (after reporting) when none of its media types is usable.
    pub(super) fn request_body(
        &mut self,
        body: &'a ReferenceOr<SpecRequestBody>,
        at: &str,
        op_hint: &str,
    ) -> Option<RequestBody> {
        let (body, at) = match body {
            ReferenceOr::Item(body) => (body, at.to_owned()),
            ReferenceOr::Reference { reference } => {
                let ref_at = pointer::join(at, "$ref");
                let name = self.component_name(reference, "requestBodies", &ref_at)?;
                let components = self.components;
                match components.request_bodies.get(name) {
                    Some(ReferenceOr::Item(body)) => {
                        (body, pointer::join("#/components/requestBodies", name))
                    }
                    _ => {
                        self.report(&ref_at, format!("`$ref: {reference}` must name a component request body defined inline"));
                        return None;
                    }
                }
            }
        };
        let mut contents = Vec::new();
        let mut json_setters = 0;
        for (content_type, media) in &body.content {
            let media_at = pointer::join(&pointer::join(&at, "content"), content_type);
            let Some(kind) = media_type(content_type) else {
                self.report(
                    &media_at,
                    format!("request media type `{content_type}` is not supported"),
                );
                continue;
            };
            let (hint, setter) = match &kind {
                // The first JSON media type is `body`; another (`application/merge-patch+json`)
                // is named after its subtype: `body_merge_patch`.
                MediaType::Json if json_setters > 0 => {
                    let subtype = json_subtype(content_type);
                    (format!("body {subtype}"), format!("body {subtype}"))
                }
                MediaType::Json => ("body".to_owned(), "body".to_owned()),
                MediaType::Multipart => ("multipart".to_owned(), "body multipart".to_owned()),
                MediaType::Form => ("form".to_owned(), "body form".to_owned()),
                MediaType::Binary(_) => ("bytes".to_owned(), "body bytes".to_owned()),
                MediaType::Text(_) => ("text".to_owned(), "body text".to_owned()),
            };
            if kind == MediaType::Json {
                json_setters += 1;
            }
            let ty = self.body_type(media, &kind, &media_at, &format!("{op_hint} {hint}"));
            if kind == MediaType::Multipart && !self.is_struct(&ty) {
                self.report(
                    &pointer::join(&media_at, "schema"),
                    "a multipart body must be an object with properties",
                );
                continue;
            }
            contents.push(BodyContent {
                media: kind,
                content_type: content_type.clone(),
                ty,
                setter: Name::new(setter.clone(), setter),
            });
        }
        if contents.is_empty() {
            self.report(
                &pointer::join(&at, "content"),
                "the request body has no supported media type",
            );
            return None;
        }
        Some(RequestBody {
            required: body.required,
            docs: Docs {
                summary: None,
                description: body.description.clone(),
            },
            contents,
        })
    }

    /// The type of a body in one media type.
    fn body_type(
        &mut self,
        media: &'a SpecMediaType,
        kind: &MediaType,
        at: &str,
        hint: &str,
    ) -> TypeRef {
        let encoding = match kind {
            MediaType::Json => Encoding::Json,
            MediaType::Multipart => Encoding::FormRoot,
            MediaType::Form | MediaType::Binary(_) | MediaType::Text(_) => Encoding::Raw,
        };
        let ty = self.encoded_as(encoding, |this| match (&media.schema, kind) {
            // A component that is also sent or received as JSON: this form gets a type of
            // its own, lowered from the component's schema.
            (Some(ReferenceOr::Reference { reference }), MediaType::Multipart)
                if !this
                    .multipart_components
                    .contains(reference.trim_start_matches("#/components/schemas/")) =>
            {
                let schema_at = pointer::join(at, "schema");
                match this.referenced_schema(reference) {
                    Some(schema) => this.schema(schema, &schema_at, hint, None).ty,
                    None => this.schema_reference(reference, &schema_at).ty,
                }
            }
            (Some(schema), _) => {
                this.schema_or_ref(schema, &pointer::join(at, "schema"), hint)
                    .ty
            }
            (None, MediaType::Binary(_)) => TypeRef::Binary,
            (None, MediaType::Text(_)) => TypeRef::Scalar(crate::ir::Scalar::String),
            (None, _) => TypeRef::Any,
        });
        match (kind, ty) {
            (MediaType::Text(_), TypeRef::Binary) => TypeRef::Scalar(crate::ir::Scalar::String),
            (MediaType::Binary(_), _) => TypeRef::Binary,
            (_, ty) => ty,
        }
    }

    fn is_struct(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Named(id) if matches!(self.types.get(*id).kind, TypeKind::Struct(_)))
    }

    /// Lowers every response and decides what a successful call returns.
    pub(super) fn responses(
        &mut self,
        responses: &'a Responses,
        at: &str,
        op_hint: &str,
    ) -> (Vec<Response>, Success) {
        let mut lowered = Vec::new();
        let success_count = responses
            .responses
            .keys()
            .filter(|status| status_match(status).is_success())
            .count();
        for (status, response) in &responses.responses {
            let status = status_match(status);
            let key = match status {
                StatusMatch::Code(code) => code.to_string(),
                StatusMatch::Range(class) => format!("{class}XX"),
                StatusMatch::Default => "default".to_owned(),
            };
            let response_at = pointer::join(at, &key);
            let hint = match (status.is_success(), success_count) {
                (true, 1) => format!("{op_hint} response"),
                (true, _) => format!("{op_hint} response {key}"),
                (false, _) => format!("{op_hint} error {key}"),
            };
            if let Some(response) =
                self.response(status, response, &response_at, &hint, status.is_success())
            {
                lowered.push(response);
            }
        }
        if let Some(default) = &responses.default {
            let response_at = pointer::join(at, "default");
            let hint = format!("{op_hint} error default");
            if let Some(response) =
                self.response(StatusMatch::Default, default, &response_at, &hint, false)
            {
                lowered.push(response);
            }
        }
        let success = self.success(&lowered, op_hint, at);
        (lowered, success)
    }

    fn response(
        &mut self,
        status: StatusMatch,
        response: &'a ReferenceOr<SpecResponse>,
        at: &str,
        hint: &str,
        success: bool,
    ) -> Option<Response> {
        let (response, at) = match response {
            ReferenceOr::Item(response) => (response, at.to_owned()),
            ReferenceOr::Reference { reference } => {
                let ref_at = pointer::join(at, "$ref");
                let name = self.component_name(reference, "responses", &ref_at)?;
                let components = self.components;
                match components.responses.get(name) {
                    Some(ReferenceOr::Item(response)) => {
                        (response, pointer::join("#/components/responses", name))
                    }
                    _ => {
                        self.report(
                            &ref_at,
                            format!(
                                "`$ref: {reference}` must name a component response defined inline"
                            ),
                        );
                        return None;
                    }
                }
            }
        };
        // Prefer JSON, then binary, then text; other media types are not decoded.
        let chosen = response
            .content
            .iter()
            .filter_map(|(content_type, media)| {
                media_type(content_type).map(|kind| (kind, content_type, media))
            })
            .min_by_key(|(kind, _, _)| match kind {
                MediaType::Json => 0,
                MediaType::Binary(_) => 1,
                MediaType::Text(_) => 2,
                MediaType::Form | MediaType::Multipart => 3,
            });
        let body = chosen.map(|(kind, content_type, media)| {
            let media_at = pointer::join(&pointer::join(&at, "content"), content_type);
            self.response_body(kind, media, &media_at, hint, success)
        });
        Some(Response {
            status,
            docs: Docs {
                summary: None,
                description: Some(response.description.clone()).filter(|d| !d.is_empty()),
            },
            body,
        })
    }

    fn response_body(
        &mut self,
        kind: MediaType,
        media: &'a SpecMediaType,
        at: &str,
        hint: &str,
        success: bool,
    ) -> ResponseBody {
        if kind == MediaType::Json && success && self.envelopes {
            if let Some(ReferenceOr::Item(schema)) = &media.schema {
                if let Some((key, inner)) = envelope(schema) {
                    let inner_at = pointer::join(
                        &pointer::join(&pointer::join(at, "schema"), "properties"),
                        key,
                    );
                    let ty = self.boxed_schema_or_ref(inner, &inner_at, hint).ty;
                    return ResponseBody {
                        media: kind,
                        ty,
                        envelope: Some(key.clone()),
                    };
                }
            }
        }
        let ty = self.body_type(media, &kind, at, hint);
        ResponseBody {
            media: kind,
            ty,
            envelope: None,
        }
    }

    /// What a successful call returns: one body type, nothing, or an enum by status.
    fn success(&mut self, responses: &[Response], op_hint: &str, at: &str) -> Success {
        let successes: Vec<&Response> =
            responses.iter().filter(|r| r.status.is_success()).collect();
        let bodies: Vec<&ResponseBody> = successes.iter().filter_map(|r| r.body.as_ref()).collect();
        let Some(first) = bodies.first() else {
            return Success::Empty;
        };
        let uniform = bodies
            .iter()
            .all(|b| b.ty == first.ty && b.media == first.media && b.envelope == first.envelope);
        if uniform && bodies.len() == successes.len() {
            return Success::Body((*first).clone());
        }
        let variants = successes
            .iter()
            .filter_map(|r| match r.status {
                StatusMatch::Code(code) => Some(StatusVariant {
                    status: code,
                    name: Name::new(code.to_string(), status_word(code)),
                    body: r.body.clone(),
                }),
                _ => None,
            })
            .collect();
        let kind = TypeKind::StatusEnum(StatusEnum {
            variants,
            other: Name::new("", "other status"),
        });
        let id = self.types.add(
            Name::new("", format!("{op_hint} response")),
            at.to_owned(),
            Docs::default(),
            kind,
        );
        Success::ByStatus(id)
    }
}

/// A one-property object with no additional properties: `(key, property schema)`.
fn envelope(schema: &Schema) -> Option<(&String, &ReferenceOr<Box<Schema>>)> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return None;
    };
    if object.properties.len() != 1
        || matches!(
            object.additional_properties,
            Some(AdditionalProperties::Schema(_)) | Some(AdditionalProperties::Any(true))
        )
    {
        return None;
    }
    let (key, inner) = object.properties.iter().next()?;
    // A lone scalar (`{"id": 1}`) is a small result object, not an envelope around one.
    let wraps = match inner {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(schema) => matches!(
            schema.schema_kind,
            SchemaKind::Type(Type::Object(_) | Type::Array(_))
                | SchemaKind::AllOf { .. }
                | SchemaKind::OneOf { .. }
                | SchemaKind::AnyOf { .. }
        ),
    };
    wraps.then_some((key, inner))
}

fn status_match(status: &StatusCode) -> StatusMatch {
    match status {
        StatusCode::Code(code) => StatusMatch::Code(*code),
        StatusCode::Range(class) => StatusMatch::Range(*class),
    }
}

/// The variant name candidate for a status (`201` → `created`).
fn status_word(code: u16) -> String {
    match code {
        200 => "ok".to_owned(),
        201 => "created".to_owned(),
        202 => "accepted".to_owned(),
        203 => "non authoritative".to_owned(),
        204 => "no content".to_owned(),
        205 => "reset content".to_owned(),
        206 => "partial content".to_owned(),
        other => format!("status {other}"),
    }
}
