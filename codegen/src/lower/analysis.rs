//! Analyses that finish the types before emission: which fields need a `Box` to break a
//! cycle, and which structs can derive `Default`.

use std::collections::BTreeSet;

use crate::ir::{TypeArena, TypeId, TypeKind, TypeRef};

/// Runs every analysis over the arena.
pub(super) fn analyse(types: &mut TypeArena) {
    box_cycles(types);
    derive_defaults(types);
}

/// A field whose type contains the enclosing struct by value (directly or through other
/// structs, unions and aliases, not through a list or map) is boxed.
fn box_cycles(types: &mut TypeArena) {
    let ids: Vec<TypeId> = types.iter().map(|(id, _)| id).collect();
    for id in ids {
        let TypeKind::Struct(strukt) = &types.get(id).kind else {
            continue;
        };
        let boxed: Vec<bool> = strukt
            .fields
            .iter()
            .map(|field| {
                direct_ids(&field.ty)
                    .into_iter()
                    .any(|inner| reaches(types, inner, id, &mut BTreeSet::new()))
            })
            .collect();
        if let TypeKind::Struct(strukt) = &mut types.get_mut(id).kind {
            for (field, boxed) in strukt.fields.iter_mut().zip(boxed) {
                field.boxed = boxed;
            }
        }
    }
}

/// Named types a value of `ty` holds inline.
fn direct_ids(ty: &TypeRef) -> Vec<TypeId> {
    match ty {
        TypeRef::Named(id) => vec![*id],
        _ => Vec::new(),
    }
}

/// Whether a value of `from` holds a value of `target` inline.
fn reaches(types: &TypeArena, from: TypeId, target: TypeId, seen: &mut BTreeSet<TypeId>) -> bool {
    if from == target {
        return true;
    }
    if !seen.insert(from) {
        return false;
    }
    let inner: Vec<TypeId> = match &types.get(from).kind {
        TypeKind::Struct(strukt) => strukt
            .fields
            .iter()
            .filter(|f| !f.boxed)
            .flat_map(|f| direct_ids(&f.ty))
            .collect(),
        TypeKind::Union(union) => union
            .variants
            .iter()
            .flat_map(|v| direct_ids(&v.ty))
            .collect(),
        TypeKind::Alias(ty) => direct_ids(ty),
        TypeKind::Enum(_) | TypeKind::StatusEnum(_) => Vec::new(),
    };
    inner
        .into_iter()
        .any(|next| reaches(types, next, target, seen))
}

/// A struct derives `Default` when every field can be defaulted: optional fields always, and
/// required ones whose type has a default. A date or timestamp has one (the Unix epoch) only in
/// a struct the client receives and never sends: there it lets tests build a response value
/// with `..Default::default()`, while a request can never go out with a made-up date.
fn derive_defaults(types: &mut TypeArena) {
    let ids: Vec<TypeId> = types.iter().map(|(id, _)| id).collect();
    // Iterate to a fixed point: a struct's default may depend on another struct's.
    loop {
        let mut changed = false;
        for &id in &ids {
            let def = types.get(id);
            if def.derive_default {
                continue;
            }
            let TypeKind::Struct(strukt) = &def.kind else {
                continue;
            };
            let dates = def.flow.received && !def.flow.sent;
            let all = strukt
                .fields
                .iter()
                .all(|f| f.optional() || has_default(types, &f.ty, dates));
            if all {
                types.get_mut(id).derive_default = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Whether a value of `ty` has a default; `dates`: whether dates and timestamps count.
fn has_default(types: &TypeArena, ty: &TypeRef, dates: bool) -> bool {
    match ty {
        TypeRef::Scalar(scalar) => {
            dates
                || !matches!(
                    scalar,
                    crate::ir::Scalar::Date | crate::ir::Scalar::DateTime
                )
        }
        TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Any => true,
        // A file part has no sensible default.
        TypeRef::Binary => false,
        TypeRef::Named(id) => match &types.get(*id).kind {
            TypeKind::Struct(_) => types.get(*id).derive_default,
            TypeKind::Alias(inner) => has_default(types, inner, dates),
            _ => false,
        },
    }
}
