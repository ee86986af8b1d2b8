//! MIG013: a GRANT on an existing tenant table gives its grantees the tenant
//! rows its policies let through; the policies alone then stand between them and
//! other tenants' rows. Tenant tables: the declaration's (when given), else the
//! tables the migrations gave the tenant column. A grant on a table created in the
//! same file is its initial shape and not a finding (MIG014 and MIG015 check it).

use pg_query::NodeEnum;
use pg_query::protobuf::{GrantTargetType, ObjectType, RoleSpecType};

use super::Rule;
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::lint::names;
use crate::sql::QualifiedName;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG013",
    name: "grant-on-tenant-table",
    level: Level::Warning,
    summary: "GRANT on an existing tenant table",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    let NodeEnum::GrantStmt(g) = cx.node() else {
        return vec![];
    };
    if !g.is_grant || g.objtype != ObjectType::ObjectTable as i32 {
        return vec![];
    }
    let tables: Vec<QualifiedName> = if g.targtype == GrantTargetType::AclTargetObject as i32 {
        g.objects
            .iter()
            .filter_map(|o| match &o.node {
                Some(NodeEnum::RangeVar(r)) => Some(cx.table(r)),
                _ => None,
            })
            .collect()
    } else if g.targtype == GrantTargetType::AclTargetAllInSchema as i32 {
        let schemas = names::strings(&g.objects);
        let mut known: Vec<QualifiedName> = cx.history.tables().map(|(t, _)| t.clone()).collect();
        known.extend(cx.scope.tables().map(|t| t.name.clone()));
        known.sort();
        known.dedup();
        known.retain(|t| schemas.contains(&t.schema));
        known
    } else {
        vec![]
    };
    let grantees = grantees(g);
    tables
        .into_iter()
        .filter(|t| cx.existing(t))
        .filter_map(|t| {
            let column = cx.tenant_column(&t)?;
            Some(cx.hit(
                format!(
                    "GRANT on tenant table {t} (scoped by {column}) to {grantees}: only its policies keep other tenants' rows from them"
                ),
                "make sure RLS is enabled and forced on it and its policies isolate tenants for these roles (`rlsctl verify` proves it); then `-- rlsctl:allow MIG013 <reason>`",
            ))
        })
        .collect()
}

fn grantees(g: &pg_query::protobuf::GrantStmt) -> String {
    let names: Vec<String> = g
        .grantees
        .iter()
        .filter_map(|r| match &r.node {
            Some(NodeEnum::RoleSpec(r)) => {
                Some(if r.roletype == RoleSpecType::RolespecPublic as i32 {
                    "PUBLIC".to_string()
                } else if r.rolename.is_empty() {
                    "the current role".to_string()
                } else {
                    crate::sql::quote_ident(&r.rolename)
                })
            }
            _ => None,
        })
        .collect();
    names.join(", ")
}
