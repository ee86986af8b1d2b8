//! Row-level security policies.

use super::query::{Reader, Record};
use crate::catalog::{CatalogError, Grantee, Policy, PolicyCommand, PolicyMode, QualifiedName};

// polroles holds OID 0 for PUBLIC, read here as NULL.
const POLICIES: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS table_name, p.polname::text AS name,
       p.polcmd::text AS command, p.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN r = 0 THEN NULL ELSE pg_get_userbyid(r)::text END
             FROM unnest(p.polroles) AS r) AS roles,
       pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
       d.description AS comment
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass AND d.objsubid = 0
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')";

/// Every policy of the inspected tables, with its table.
pub(super) async fn policies(
    reader: Reader<'_>,
) -> Result<Vec<(QualifiedName, Policy)>, CatalogError> {
    reader.rows_of_relations("policies", POLICIES, policy).await
}

fn policy(r: &Record) -> Result<Policy, CatalogError> {
    let roles: Vec<Option<String>> = r.get("roles")?;
    let mut roles: Vec<Grantee> = roles
        .into_iter()
        .map(|role| role.map_or(Grantee::Public, Grantee::Role))
        .collect();
    roles.sort();
    Ok(Policy {
        name: r.get("name")?,
        command: r.code("command", "polcmd", |code| match code {
            "*" => Some(PolicyCommand::All),
            "r" => Some(PolicyCommand::Select),
            "a" => Some(PolicyCommand::Insert),
            "w" => Some(PolicyCommand::Update),
            "d" => Some(PolicyCommand::Delete),
            _ => None,
        })?,
        mode: if r.get("permissive")? {
            PolicyMode::Permissive
        } else {
            PolicyMode::Restrictive
        },
        roles,
        using: r.get("using_expr")?,
        with_check: r.get("with_check")?,
        comment: r.get("comment")?,
    })
}
