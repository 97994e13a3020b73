//! Which resource groups use which types, so that each group can be a cargo feature and a
//! crate built with one feature compiles only the types that group needs.

use std::collections::BTreeSet;

use crate::ir::{Api, Flow, ModuleId, Operation, Success, TypeId, TypeKind, TypeRef};

/// Fills [`crate::ir::TypeDef::used_by`] and [`crate::ir::TypeDef::flow`] for every type.
pub(super) fn record(api: &mut Api) {
    let mut used: Vec<BTreeSet<ModuleId>> = vec![BTreeSet::new(); api.types.len()];
    let mut flows = vec![Flow::default(); api.types.len()];
    // The children of the type being visited, reused from type to type.
    let mut found = Vec::new();
    for (index, module) in api.modules.iter().enumerate() {
        let index = ModuleId(index);
        for operation in &module.operations {
            let (mut sent, mut received) = (Vec::new(), Vec::new());
            roots(operation, &mut sent, &mut received);
            let mut pending: Vec<(TypeId, Direction)> = sent
                .into_iter()
                .map(|id| (id, Direction::Sent))
                .chain(received.into_iter().map(|id| (id, Direction::Received)))
                .collect();
            while let Some((id, direction)) = pending.pop() {
                let flow = &mut flows[id.0];
                let seen = match direction {
                    Direction::Sent => std::mem::replace(&mut flow.sent, true),
                    Direction::Received => std::mem::replace(&mut flow.received, true),
                };
                let new_here = used[id.0].insert(index);
                if !seen || new_here {
                    children(&api.types.get(id).kind, &mut found);
                    pending.extend(found.drain(..).map(|child| (child, direction)));
                }
            }
        }
    }
    for (i, (modules, flow)) in used.into_iter().zip(flows).enumerate() {
        let def = api.types.get_mut(TypeId(i));
        def.used_by = modules.into_iter().collect();
        def.flow = flow;
    }
}

/// The way a type reached from an operation travels.
#[derive(Clone, Copy)]
enum Direction {
    Sent,
    Received,
}

/// The types an operation names directly: those its request carries (parameters and
/// bodies) and those its responses carry.
fn roots(operation: &Operation, sent: &mut Vec<TypeId>, received: &mut Vec<TypeId>) {
    for param in &operation.params {
        named(&param.ty, sent);
    }
    for content in operation.body.iter().flat_map(|body| &body.contents) {
        named(&content.ty, sent);
    }
    for body in operation
        .responses
        .iter()
        .filter_map(|response| response.body.as_ref())
    {
        named(&body.ty, received);
    }
    match &operation.success {
        Success::Body(body) => named(&body.ty, received),
        Success::ByStatus(id) => received.push(*id),
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
