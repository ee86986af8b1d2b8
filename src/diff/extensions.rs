//! Declared extensions: created when missing, updated to the declared version,
//! moved to the declared schema. Only what is declared is compared, and an
//! extension the project does not declare is never dropped (an undeclared one in
//! an owned schema is listed as unmanaged).

use super::{Action, Change, Hazard, Options, Phase, owned};
use crate::catalog::{Catalog, QualifiedName};
use crate::sql::{quote_ident, quote_literal};

pub(super) fn diff(current: &Catalog, options: &Options, changes: &mut Vec<Change>) {
    for e in &options.extensions {
        let name = quote_ident(&e.name);
        let object = format!("extension {name}");
        let Some(have) = current.extensions.iter().find(|x| x.name == e.name) else {
            changes.push(
                Change::new(Action::Create, object)
                    .step(Phase::Extensions, crate::ddl::create_extension(e)),
            );
            continue;
        };
        if let Some(version) = e.version.as_ref().filter(|v| **v != have.version) {
            changes.push(
                Change::new(Action::Alter, object.clone())
                    .detail(format!("version {} → {version}", have.version))
                    .hazard(Hazard::MayFail(format!(
                        "PostgreSQL refuses the update when the server has no update path from {} to {version} (downgrades have none)",
                        have.version
                    )))
                    .step(
                        Phase::Extensions,
                        format!("ALTER EXTENSION {name} UPDATE TO {}", quote_literal(version)),
                    ),
            );
        }
        if let Some(schema) = e.schema.as_ref().filter(|s| **s != have.schema) {
            changes.push(
                Change::new(Action::Alter, object)
                    .detail(format!("schema {} → {schema}", have.schema))
                    .hazard(Hazard::MayFail(format!(
                        "code that names its objects with the old schema ({}.…) stops finding them",
                        have.schema
                    )))
                    .step(
                        Phase::Extensions,
                        format!("ALTER EXTENSION {name} SET SCHEMA {}", quote_ident(schema)),
                    ),
            );
        }
    }
}

/// Extensions installed in an owned schema that the project does not declare.
pub(super) fn undeclared<'a>(
    current: &'a Catalog,
    options: &'a Options,
) -> impl Iterator<Item = &'a crate::catalog::Extension> {
    current.extensions.iter().filter(|x| {
        owned(&QualifiedName::new(&x.schema, &x.name), options)
            && !options.extensions.iter().any(|e| e.name == x.name)
    })
}
