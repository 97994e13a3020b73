//! Which list operations page, and how.

use indexmap::IndexMap;

use super::Lowerer;
use crate::diag::pointer;
use crate::ir::{
    FieldRef, HttpMethod, MediaType, PageScheme, Pagination, Param, ParamId, ParamLocation, Scalar,
    Success, TypeKind, TypeRef,
};

/// Query parameter names that carry a page number.
const PAGE_NAMES: &[&str] = &["page"];
/// Query parameter names that carry a page size.
const PER_PAGE_NAMES: &[&str] = &["per_page", "page_size", "limit"];
/// Query parameter names that carry a cursor to the next page.
const CURSOR_NAMES: &[&str] = &["next_page_link", "cursor", "page_token", "next_page_token"];

impl Lowerer<'_> {
    /// How a `GET` that returns a list pages: by an optional integer `page` query parameter,
    /// by an optional string cursor parameter, or (with neither, for a bare list) only by
    /// `Link` headers. With a paging parameter, the list may also be the one array property
    /// of a response object (`{"records": [...], "meta": {...}}`).
    ///
    /// The page size of a numbered list is its page-size parameter's default, or else the
    /// operation's `x-page-size` (a positive integer: the fixed size of a list without a
    /// page-size parameter).
    pub(super) fn pagination(
        &mut self,
        method: HttpMethod,
        params: &[Param],
        success: &Success,
        extensions: &IndexMap<String, serde_json::Value>,
        op_at: &str,
    ) -> Option<Pagination> {
        let fixed_size = match extensions.get("x-page-size") {
            None => None,
            Some(value) => match value.as_i64().filter(|n| *n > 0) {
                Some(n) => Some(n),
                None => {
                    let at = pointer::join(op_at, "x-page-size");
                    self.report(
                        &at,
                        format!("x-page-size must be a positive integer, not {value}"),
                    );
                    None
                }
            },
        };
        if method != HttpMethod::Get {
            return None;
        }
        let Success::Body(body) = success else {
            return None;
        };
        if body.media != MediaType::Json {
            return None;
        }
        let optional_query = |names: &[&str], integer: bool| {
            params.iter().enumerate().find(|(_, p)| {
                p.location == ParamLocation::Query
                    && !p.required
                    && names.contains(&p.name.wire.as_str())
                    && match &p.ty {
                        TypeRef::Scalar(Scalar::I32 | Scalar::I64) => integer,
                        TypeRef::Scalar(Scalar::String) => !integer,
                        _ => false,
                    }
            })
        };
        let scheme = if let Some((page, _)) = optional_query(PAGE_NAMES, true) {
            let per_page = optional_query(PER_PAGE_NAMES, true);
            PageScheme::Numbered {
                page: ParamId(page),
                per_page: per_page.map(|(index, _)| ParamId(index)),
                default_per_page: per_page.and_then(|(_, p)| p.limits.default).or(fixed_size),
            }
        } else if let Some((cursor, _)) = optional_query(CURSOR_NAMES, false) {
            PageScheme::Cursor {
                cursor: ParamId(cursor),
            }
        } else {
            PageScheme::Link
        };
        let (item, items_property) =
            match (&body.ty, &scheme) {
                (TypeRef::List(item), _) => ((**item).clone(), None),
                (TypeRef::Named(id), PageScheme::Numbered { .. } | PageScheme::Cursor { .. }) => {
                    let TypeKind::Struct(object) = &self.types.get(*id).kind else {
                        return None;
                    };
                    let mut lists = object.fields.iter().enumerate().filter_map(
                        |(index, field)| match &field.ty {
                            TypeRef::List(item) => Some((index, item)),
                            _ => None,
                        },
                    );
                    let (index, item) = lists.next()?;
                    if lists.next().is_some() || object.additional.is_some() {
                        return None;
                    }
                    let field = FieldRef { owner: *id, index };
                    ((**item).clone(), Some(field))
                }
                _ => return None,
            };
        Some(Pagination {
            scheme,
            item,
            items_property,
        })
    }
}
