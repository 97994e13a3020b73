//! The check that every id in the IR resolves: the parameters and the items property of a
//! paging scheme, the security schemes of a requirement, the resource groups that use a type
//! and the per-status result of an operation. The emitter looks ids up without a fallback;
//! a dangling one is a generator bug, reported here at the spec location of its node.

use super::Lowerer;
use crate::ir::{Api, Operation, PageScheme, ParamId, ParamLocation, Success, TypeKind};

impl Lowerer<'_> {
    /// Reports every reference of `api` that does not resolve as a generator bug.
    pub(super) fn check_references(&mut self, api: &Api) {
        for operation in api.modules.iter().flat_map(|module| &module.operations) {
            for problem in operation_problems(api, operation) {
                self.report(&operation.origin, format!("generator bug: {problem}"));
            }
        }
        for (_, def) in api.types.iter() {
            if let Some(module) = def.used_by.iter().find(|id| id.0 >= api.modules.len()) {
                self.report(
                    &def.origin,
                    format!(
                        "generator bug: the type is used by resource group #{}, of {}",
                        module.0,
                        api.modules.len()
                    ),
                );
            }
        }
    }
}

/// What does not resolve among the references of one operation.
fn operation_problems(api: &Api, operation: &Operation) -> Vec<String> {
    let mut problems = Vec::new();
    let query_param =
        |id: ParamId, role: &str, problems: &mut Vec<String>| match operation.params.get(id.0) {
            Some(param) if param.location == ParamLocation::Query => {}
            Some(param) => problems.push(format!(
                "the {role} parameter `{}` is not a query parameter",
                param.name.wire
            )),
            None => problems.push(format!(
                "the {role} parameter is #{} of {} parameters",
                id.0,
                operation.params.len()
            )),
        };
    if let Some(pagination) = &operation.pagination {
        match &pagination.scheme {
            PageScheme::Numbered { page, per_page, .. } => {
                query_param(*page, "page-number", &mut problems);
                if let Some(per_page) = per_page {
                    query_param(*per_page, "page-size", &mut problems);
                }
            }
            PageScheme::Cursor { cursor } => query_param(*cursor, "cursor", &mut problems),
            PageScheme::Link => {}
        }
        if let Some(field) = pagination.items_property {
            let returned = matches!(&operation.success, Success::Body(body)
                if body.ty == crate::ir::TypeRef::Named(field.owner));
            if !returned || api.types.find_field(field).is_none() {
                problems.push(format!(
                    "the items property (field #{} of type #{}) is not a field of the response object",
                    field.index, field.owner.0
                ));
            }
        }
    }
    if let Some(alternatives) = &operation.security {
        let schemes = api.security_schemes.len();
        if let Some(id) = alternatives.iter().flatten().find(|id| id.0 >= schemes) {
            problems.push(format!(
                "the security requirement names scheme #{}, of {schemes}",
                id.0
            ));
        }
    }
    if let Success::ByStatus(id) = operation.success {
        let is_status_enum =
            id.0 < api.types.len() && matches!(api.types.get(id).kind, TypeKind::StatusEnum(_));
        if !is_status_enum {
            problems.push(format!(
                "the result by status is type #{}, not a status enum",
                id.0
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ir::{FieldRef, SchemeId, TypeId};

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Pages, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security:
  - key: []
paths:
  /records:
    get:
      operationId: list_records
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer, default: 30}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema:
                type: object
                properties:
                  meta: {type: object}
                  records: {type: array, items: {type: string}}
"#;

    fn api() -> Api {
        let document = crate::load::load_str(SPEC, Path::new("spec.yaml")).expect("loads");
        crate::lower::lower(&document)
            .expect("lowers")
            .into_unnamed()
    }

    fn problems(api: &Api) -> Vec<String> {
        operation_problems(api, &api.modules[0].operations[0])
    }

    #[test]
    fn lowered_references_resolve() {
        let api = api();
        let operation = &api.modules[0].operations[0];
        let pagination = operation.pagination.as_ref().expect("pages");
        let PageScheme::Numbered { page, per_page, .. } = pagination.scheme else {
            panic!("numbered pages");
        };
        assert_eq!(operation.param(page).name.wire, "page");
        assert_eq!(
            operation.param(per_page.expect("page size")).name.wire,
            "per_page"
        );
        let items = pagination.items_property.expect("items property");
        assert_eq!(api.types.field(items).name.wire, "records");
        assert_eq!(operation.security, Some(vec![vec![SchemeId(0)]]));
        assert!(problems(&api).is_empty());
    }

    #[test]
    fn dangling_references_are_generator_bugs() {
        let mut api = api();
        let operation = &mut api.modules[0].operations[0];
        let pagination = operation.pagination.as_mut().expect("pages");
        pagination.scheme = PageScheme::Numbered {
            page: ParamId(2),
            per_page: Some(ParamId(7)),
            default_per_page: None,
        };
        let items = pagination.items_property.expect("items property");
        pagination.items_property = Some(FieldRef {
            owner: items.owner,
            index: 9,
        });
        operation.security = Some(vec![vec![SchemeId(3)]]);
        operation.success = Success::ByStatus(TypeId(items.owner.0));
        assert_eq!(
            problems(&api),
            [
                "the page-number parameter `X-Trace` is not a query parameter",
                "the page-size parameter is #7 of 3 parameters",
                "the items property (field #9 of type #0) is not a field of the response object",
                "the security requirement names scheme #3, of 1",
                "the result by status is type #0, not a status enum",
            ]
        );
    }
}
