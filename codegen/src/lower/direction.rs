//! The decisions that depend on which way a struct travels ([`crate::ir::Flow`], recorded by
//! the usage pass): how a request can clear a field, and where a response keeps the keys
//! its schema does not declare.

use crate::ir::{AdditionalField, MapSource, Name, Presence, TypeArena, TypeId, TypeKind, TypeRef};

/// Applies both decisions to every struct.
pub(super) fn decide(types: &mut TypeArena) {
    let ids: Vec<TypeId> = types.iter().map(|(id, _)| id).collect();
    for id in ids {
        let def = types.get_mut(id);
        let flow = def.flow;
        let TypeKind::Struct(strukt) = &mut def.kind else {
            continue;
        };
        // A form part cannot be null, so multipart bodies keep plain options.
        if strukt.multipart {
            continue;
        }
        if flow.sent {
            for field in &mut strukt.fields {
                if field.presence == Presence::Optional && field.nullable {
                    field.presence = Presence::Nullable;
                }
            }
        }
        if flow.received && strukt.additional.is_none() && !strukt.closed {
            strukt.additional = Some(AdditionalField {
                name: Name::new("", "extra"),
                ty: TypeRef::Any,
                source: MapSource::Undeclared,
            });
        }
    }
}
