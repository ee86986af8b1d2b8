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
    /// Tables or columns outside the owned schemas that declared foreign keys
    /// reference do not exist on the target.
    #[error(
        "{} do(es) not exist on the target; the project references it but does not own its schema. Create it there first (on Supabase, auth.users exists), or fix the reference",
        .0.join(", ")
    )]
    MissingReferences(Vec<String>),
    /// A checked role's BYPASSRLS differs on the target and rlsctl may not alter roles.
    #[error("{}", .0.join("\n"))]
    RoleBypass(Vec<String>),
    /// A check of the target failed.
    #[error("checking the target")]
    Check(#[source] tokio_postgres::Error),
    /// Tables of other schemas that declared triggers are on do not exist on the target.
    #[error(
        "table(s) {} do not exist on the target, and the project declares triggers on them; rlsctl never creates tables outside [project] schemas: create them first (in Supabase they are the platform's), or remove the triggers",
        .0.join(", ")
    )]
    MissingTables(Vec<String>),
    /// The check for those tables failed.
    #[error("checking the tables of declared triggers on the target: {0}")]
    Query(#[source] tokio_postgres::Error),
}

/// Diff options from the declaration: owned schemas, declared renames, tenant tables.
pub fn options(declaration: &Declaration, concurrent_indexes: bool) -> Options {
    let mut options = Options {
        schemas: declaration.schemas.iter().map(|s| s.name.clone()).collect(),
        concurrent_indexes,
        declared_roles: declaration.roles.iter().map(|r| r.name.clone()).collect(),
        default_privilege_schemas: declaration
            .schemas
            .iter()
            .filter(|s| s.default_privileges.is_some())
            .map(|s| s.name.clone())
            .collect(),
        extensions: declaration.extensions.clone(),
        publications: declaration
            .publications
            .iter()
            .map(|p| p.name.clone())
            .collect(),
        role_bypass: super::target_checks::role_bypass(declaration),
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
    super::target_checks::bypass(declaration, &current)?;
    super::target_checks::unowned_references(declaration, target).await?;
    missing_trigger_tables(declaration, &options, target).await?;
    let plan = Plan::new(diff::diff(&current, desired, &options))
        .with_unmanaged(diff::unmanaged(&current, desired, &options));
    Ok((plan, current))
}

/// Fails when a table outside the owned schemas that a declared trigger is on
/// does not exist on the target.
async fn missing_trigger_tables(
    declaration: &Declaration,
    options: &Options,
    target: &Client,
) -> Result<(), PrepareError> {
    let mut tables: Vec<String> = declaration
        .triggers
        .iter()
        .filter(|t| !options.schemas.contains(&t.table.schema))
        .map(|t| t.table.to_string())
        .collect();
    tables.sort();
    tables.dedup();
    if tables.is_empty() {
        return Ok(());
    }
    let rows = target
        .query(
            "SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(t) IS NULL ORDER BY t",
            &[&tables],
        )
        .await
        .map_err(PrepareError::Query)?;
    let missing: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(PrepareError::MissingTables(missing))
    }
}
