//! What the target must have or be for the plan to be right, checked before
//! diffing: the tables outside the owned schemas that declared foreign keys
//! reference (`auth.users`), and BYPASSRLS of the checked roles when rlsctl may
//! not alter roles.

use std::collections::BTreeMap;

use tokio_postgres::Client;

use super::PrepareError;
use crate::catalog::Catalog;
use crate::spec::Declaration;
use crate::sql::quote_ident;

/// BYPASSRLS each checked role must have: as declared, else false for the client
/// roles (`[tenancy] roles`); other roles are not checked.
pub fn role_bypass(declaration: &Declaration) -> BTreeMap<String, bool> {
    let clients: Vec<&String> = declaration
        .tenancy
        .iter()
        .flat_map(|t| t.roles.iter())
        .collect();
    declaration
        .roles
        .iter()
        .filter_map(|r| {
            let expected = r
                .bypass_rls
                .or(clients.contains(&&r.name).then_some(false))?;
            Some((r.name.clone(), expected))
        })
        .collect()
}

/// Without `manage_roles`, a checked role whose BYPASSRLS differs on the target is
/// an error: rlsctl may not fix it, and must not plan as if RLS applied to it.
pub fn bypass(declaration: &Declaration, current: &Catalog) -> Result<(), PrepareError> {
    if declaration.manage_roles {
        return Ok(());
    }
    let wrong: Vec<String> = role_bypass(declaration)
        .into_iter()
        .filter(|(name, expected)| current.role(name).is_some_and(|r| r.bypass_rls != *expected))
        .map(|(name, expected)| {
            if expected {
                format!(
                    "role {} is declared bypassrls = true but does not have BYPASSRLS on the target; run ALTER ROLE {} BYPASSRLS, or remove bypassrls = true",
                    quote_ident(&name),
                    quote_ident(&name)
                )
            } else {
                format!(
                    "role {} has BYPASSRLS on the target: no policy applies to it (RLS bypassed). Run ALTER ROLE {} NOBYPASSRLS, set [project] manage_roles = true to let rlsctl do it, or declare {name} = {{ bypassrls = true }} if it is meant to",
                    quote_ident(&name),
                    quote_ident(&name)
                )
            }
        })
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(PrepareError::RoleBypass(wrong))
    }
}

/// Every table outside the owned schemas that a declared foreign key references
/// must exist on the target with the referenced columns.
pub async fn unowned_references(
    declaration: &Declaration,
    target: &Client,
) -> Result<(), PrepareError> {
    let owned: Vec<&str> = declaration
        .schemas
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let mut missing = Vec::new();
    let mut checked = Vec::new();
    for t in &declaration.tables {
        for fk in &t.foreign_keys {
            if owned.contains(&fk.references.schema.as_str()) {
                continue;
            }
            for column in &fk.ref_columns {
                let key = (fk.references.clone(), column.clone());
                if checked.contains(&key) {
                    continue;
                }
                checked.push(key);
                let row = target
                    .query_one(
                        "SELECT EXISTS (SELECT FROM pg_attribute a \
                         JOIN pg_class c ON c.oid = a.attrelid \
                         JOIN pg_namespace n ON n.oid = c.relnamespace \
                         WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3 \
                         AND a.attnum > 0 AND NOT a.attisdropped)",
                        &[&fk.references.schema, &fk.references.name, column],
                    )
                    .await
                    .map_err(PrepareError::Check)?;
                if !row.get::<_, bool>(0) {
                    missing.push(format!(
                        "{}.{} (foreign key {} of {})",
                        fk.references,
                        quote_ident(column),
                        quote_ident(&fk.name),
                        t.name
                    ));
                }
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(PrepareError::MissingReferences(missing))
    }
}
