//! From a declaration and a target connection to a plan: read the target, check
//! its roles, diff against the desired catalog.

use tokio_postgres::Client;

use super::Plan;
use crate::catalog::{self, Catalog, CatalogError};
use crate::diff::{self, Options};
use crate::spec::Declaration;
use crate::sql::quote_ident;

/// Why no plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// The target could not be read.
    #[error("reading the target: {0}")]
    Catalog(#[from] CatalogError),
    /// Declared roles are missing on the target and rlsctl may not create them.
    #[error(
        "role(s) {} do not exist on the target. Roles are cluster-wide, so rlsctl does not create them unless [project] manage_roles = true; create them first:\n{}",
        .0.join(", "),
        .0.iter().map(|r| format!("  CREATE ROLE {} NOLOGIN;", quote_ident(r))).collect::<Vec<_>>().join("\n")
    )]
    MissingRoles(Vec<String>),
}

/// Diff options from the declaration: owned schemas, declared renames, tenant tables.
pub fn options(declaration: &Declaration, concurrent_indexes: bool) -> Options {
    let mut options = Options {
        schemas: declaration.schemas.iter().map(|s| s.name.clone()).collect(),
        concurrent_indexes,
        declared_roles: declaration.roles.iter().map(|r| r.name.clone()).collect(),
        ..Options::default()
    };
    for t in &declaration.tables {
        if let Some(old) = &t.renamed_from {
            options.table_renames.insert(t.name.clone(), old.clone());
        }
        for c in &t.columns {
            if let Some(old) = &c.renamed_from {
                options
                    .column_renames
                    .insert((t.name.clone(), c.name.clone()), old.clone());
            }
        }
        if t.tenant.is_some() {
            options.tenant_tables.insert(t.name.clone());
        }
    }
    for t in &declaration.types {
        match &t.definition {
            crate::spec::declaration::TypeDefinition::Enum { renamed, .. }
                if !renamed.is_empty() =>
            {
                options
                    .enum_value_renames
                    .insert(t.name.clone(), renamed.clone());
            }
            crate::spec::declaration::TypeDefinition::Dropped => {
                options.dropped_types.insert(t.name.clone());
            }
            _ => {}
        }
    }
    for key in declaration.cross_tenant_keys() {
        let reason = format!("{}; {}", key.problem(), key.fix());
        options
            .cross_tenant_keys
            .insert((key.table.clone(), key.name.clone()), reason);
    }
    if declaration.manage_roles {
        options.managed_roles = declaration.roles.clone();
    }
    options
}

/// Reads the target and returns the plan that makes it match `desired`.
pub async fn prepare(
    declaration: &Declaration,
    desired: &Catalog,
    target: &Client,
    concurrent_indexes: bool,
) -> Result<(Plan, Catalog), PrepareError> {
    let options = options(declaration, concurrent_indexes);
    let current = catalog::inspect(target, &options.schemas).await?;
    if !declaration.manage_roles {
        let missing: Vec<String> = declaration
            .roles
            .iter()
            .filter(|r| current.role(&r.name).is_none())
            .map(|r| r.name.clone())
            .collect();
        if !missing.is_empty() {
            return Err(PrepareError::MissingRoles(missing));
        }
    }
    let plan = Plan::new(diff::diff(&current, desired, &options))
        .with_unmanaged(diff::unmanaged(&current, desired, &options));
    Ok((plan, current))
}
