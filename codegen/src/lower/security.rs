//! Servers and security schemes → the client builder's variables and credentials, and each
//! operation's security requirement.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement};

use super::Lowerer;
use crate::diag::pointer;
use crate::ir::{Docs, Name, ParamLocation, SchemeId, SchemeKind, SecurityScheme, ServerVariable};

/// On a server variable: its `default` is an example, not a value to send (a tenant's
/// subdomain, say), so the builder requires it.
const PLACEHOLDER_DEFAULT: &str = "x-placeholder-default";

/// On an HTTP basic scheme: the password every request sends, so that the user name (an API
/// key, for Freshworks APIs) is the caller's only secret.
const BASIC_PASSWORD: &str = "x-basic-password";

impl Lowerer<'_> {
    /// The variables of the first server, in the order the description lists them.
    pub(super) fn server_variables(&mut self) -> Vec<ServerVariable> {
        let doc = self.doc;
        let Some(server) = doc.openapi.servers.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, variable) in server.variables.iter().flatten() {
            let at = pointer::join("#/servers/0/variables", name);
            let placeholder = match variable.extensions.get(PLACEHOLDER_DEFAULT) {
                None => false,
                Some(serde_json::Value::Bool(flag)) => *flag,
                Some(_) => {
                    self.warn(
                        &pointer::join(&at, PLACEHOLDER_DEFAULT),
                        format!("`{PLACEHOLDER_DEFAULT}` must be true or false; ignored"),
                    );
                    false
                }
            };
            out.push(ServerVariable {
                name: Name::new(name.clone(), name.clone()),
                default: variable.default.clone(),
                required: placeholder,
                choices: variable.enumeration.clone(),
                docs: Docs {
                    summary: None,
                    description: variable.description.clone(),
                },
            });
        }
        out
    }

    /// The security schemes the client can hold credentials for. A scheme the generator
    /// cannot apply (HTTP schemes other than basic and bearer, a `$ref`) is left out with a
    /// warning, and so is every requirement that needs it.
    pub(super) fn security_schemes(&mut self) -> Vec<SecurityScheme> {
        let mut out = Vec::new();
        let components = self.components;
        for (name, scheme) in &components.security_schemes {
            let at = pointer::join("#/components/securitySchemes", name);
            let ReferenceOr::Item(scheme) = scheme else {
                self.warn(
                    &at,
                    format!("security scheme `{name}` is a `$ref`, which is not supported; requirements naming it are ignored"),
                );
                continue;
            };
            let (kind, description) = match scheme {
                openapiv3::SecurityScheme::HTTP {
                    scheme: http,
                    description,
                    extensions,
                    ..
                } => match http.to_ascii_lowercase().as_str() {
                    "basic" => {
                        let fixed_password = match extensions.get(BASIC_PASSWORD) {
                            None => None,
                            Some(serde_json::Value::String(password)) => Some(password.clone()),
                            Some(_) => {
                                self.warn(
                                    &pointer::join(&at, BASIC_PASSWORD),
                                    format!("`{BASIC_PASSWORD}` must be a string; ignored"),
                                );
                                None
                            }
                        };
                        (SchemeKind::Basic { fixed_password }, description)
                    }
                    "bearer" => (SchemeKind::Bearer, description),
                    other => {
                        self.warn(
                            &pointer::join(&at, "scheme"),
                            format!("HTTP authentication scheme `{other}` is not supported (basic and bearer are); requirements naming `{name}` are ignored"),
                        );
                        continue;
                    }
                },
                openapiv3::SecurityScheme::APIKey {
                    location,
                    name: key_name,
                    description,
                    ..
                } => {
                    let location = match location {
                        APIKeyLocation::Header => ParamLocation::Header,
                        APIKeyLocation::Query => ParamLocation::Query,
                        APIKeyLocation::Cookie => ParamLocation::Cookie,
                    };
                    let kind = SchemeKind::ApiKey {
                        location,
                        name: key_name.clone(),
                    };
                    (kind, description)
                }
                openapiv3::SecurityScheme::OAuth2 { description, .. }
                | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => {
                    (SchemeKind::Bearer, description)
                }
            };
            out.push(SecurityScheme {
                name: Name::new(name.clone(), name.clone()),
                kind,
                docs: Docs {
                    summary: None,
                    description: description.clone(),
                },
            });
        }
        out
    }

    /// The alternatives of an operation's requirement (`own`, else the description's), each
    /// the schemes of one requirement object; `None` when neither declares any. An
    /// alternative naming a scheme the client cannot hold is dropped, with a warning when
    /// the scheme is not declared at all.
    pub(super) fn security(
        &mut self,
        own: Option<&Vec<SecurityRequirement>>,
        schemes: &[SecurityScheme],
        op_at: &str,
    ) -> Option<Vec<Vec<SchemeId>>> {
        let doc = self.doc;
        let (requirements, at) = match own {
            Some(own) => (own, pointer::join(op_at, "security")),
            None => (doc.openapi.security.as_ref()?, "#/security".to_owned()),
        };
        let declared = &self.components.security_schemes;
        let mut alternatives = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut ids = Vec::with_capacity(requirement.len());
            let usable = requirement.keys().all(|scheme| {
                if !declared.contains_key(scheme) {
                    self.warn(
                        &pointer::join(&at, &i.to_string()),
                        format!("security scheme `{scheme}` is not declared in `components/securitySchemes`; this alternative is ignored"),
                    );
                    return false;
                }
                let held = schemes.iter().position(|s| &s.name.wire == scheme);
                ids.extend(held.map(SchemeId));
                held.is_some()
            });
            if usable {
                alternatives.push(ids);
            }
        }
        Some(alternatives)
    }
}
