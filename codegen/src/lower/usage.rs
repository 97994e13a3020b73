//! Which resource groups use which types, so that each group can be a cargo feature and a
//! crate built with one feature compiles only the types that group needs.

use std::collections::BTreeSet;

use crate::ir::{Api, Operation, Success, TypeId, TypeKind, TypeRef};

/// Fills [`crate::ir::TypeDef::used_by`] for every type.
pub(super) fn record(api: &mut Api) {
    let mut used: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); api.types.len()];
    for (index, module) in api.modules.iter().enumerate() {
        let mut pending: Vec<TypeId> = Vec::new();
        for operation in &module.operations {
            roots(operation, &mut pending);
        }
        while let Some(id) = pending.pop() {
            if used[id.0].insert(index) {
                children(&api.types.get(id).kind, &mut pending);
            }
        }
    }
    for (i, modules) in used.into_iter().enumerate() {
        api.types.get_mut(TypeId(i)).used_by = modules.into_iter().collect();
    }
}

/// The types an operation names directly.
fn roots(operation: &Operation, out: &mut Vec<TypeId>) {
    for param in &operation.params {
        named(&param.ty, out);
    }
    for content in operation.body.iter().flat_map(|body| &body.contents) {
        named(&content.ty, out);
    }
    for body in operation
        .responses
        .iter()
        .filter_map(|response| response.body.as_ref())
    {
        named(&body.ty, out);
    }
    match &operation.success {
        Success::Body(body) => named(&body.ty, out),
        Success::ByStatus(id) => out.push(*id),
        Success::Empty => {}
    }
}

/// The types a type definition refers to.
fn children(kind: &TypeKind, out: &mut Vec<TypeId>) {
    match kind {
        TypeKind::Struct(strukt) => {
            for field in &strukt.fields {
                named(&field.ty, out);
            }
            if let Some(additional) = &strukt.additional {
                named(&additional.ty, out);
            }
        }
        TypeKind::Union(union) => union.variants.iter().for_each(|v| named(&v.ty, out)),
        TypeKind::Alias(ty) => named(ty, out),
        TypeKind::StatusEnum(status) => {
            for body in status.variants.iter().filter_map(|v| v.body.as_ref()) {
                named(&body.ty, out);
            }
        }
        TypeKind::Enum(_) => {}
    }
}

/// The named types inside a type reference.
fn named(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::List(inner) | TypeRef::Map(inner) => named(inner, out),
        TypeRef::Scalar(_) | TypeRef::Any | TypeRef::Binary => {}
    }
}
