//! Which list operations page, and how.

use super::Lowerer;
use crate::ir::{Pagination, Param, ParamLocation, Scalar, Success, TypeRef};

/// Query parameter names that carry a page number.
const PAGE_NAMES: &[&str] = &["page"];
/// Query parameter names that carry a page size.
const PER_PAGE_NAMES: &[&str] = &["per_page", "page_size", "limit"];

impl Lowerer<'_> {
    /// Page-number pagination: an optional integer `page` query parameter on an operation
    /// that returns a list.
    pub(super) fn pagination(&self, params: &[Param], success: &Success) -> Option<Pagination> {
        let Success::Body(body) = success else {
            return None;
        };
        let TypeRef::List(item) = &body.ty else {
            return None;
        };
        let integer_query = |names: &[&str]| {
            params.iter().find(|p| {
                p.location == ParamLocation::Query
                    && !p.required
                    && names.contains(&p.name.wire.as_str())
                    && matches!(p.ty, TypeRef::Scalar(Scalar::I32 | Scalar::I64))
            })
        };
        let page = integer_query(PAGE_NAMES)?;
        let per_page = integer_query(PER_PAGE_NAMES);
        Some(Pagination {
            page_param: page.name.wire.clone(),
            per_page_param: per_page.map(|p| p.name.wire.clone()),
            default_per_page: per_page.and_then(|p| p.limits.default),
            item: (**item).clone(),
        })
    }
}
