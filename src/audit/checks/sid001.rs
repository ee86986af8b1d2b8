//! SID001 `global_unique_key_on_tenant_table` (RLS-SEMANTICS 6.5, L16,
//! `[E14]`, `[E15]`): a UNIQUE/PK index on an RLS table that lacks the tenant
//! key over client-supplied columns (no default): 23505 and ON CONFLICT reveal
//! other tenants' values.

use super::{Check, Context};
use crate::audit::{Finding, Level};
use crate::catalog::{IndexPart, Privilege};

/// The check.
pub const CHECK: Check = Check {
    id: "SID001",
    name: "global_unique_key_on_tenant_table",
    level: Level::Warn,
    summary: "unique key without the tenant column on client-written columns (existence oracle)",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in cx.rls_tables() {
        let Some(key) = cx.tenant_key(t) else {
            continue;
        };
        if cx
            .clients_with(t, &[Privilege::Insert, Privilege::Update])
            .is_empty()
        {
            continue;
        }
        for i in t.indexes.iter().filter(|i| i.unique) {
            let columns: Vec<&str> = i
                .keys
                .iter()
                .filter_map(|k| match &k.part {
                    IndexPart::Column(c) => Some(c.as_str()),
                    IndexPart::Expression(_) => None,
                })
                .collect();
            if columns.contains(&key.as_str()) {
                continue;
            }
            // Generated keys (defaults, identities) are not values a client chooses.
            let natural = columns.iter().any(|c| {
                t.column(c)
                    .is_some_and(|col| col.default.is_none() && col.identity.is_none())
            }) || i
                .keys
                .iter()
                .any(|k| matches!(k.part, IndexPart::Expression(_)));
            if natural {
                out.push(CHECK.finding(
                    CHECK.level,
                    &t.name,
                    Some(&i.name),
                    format!("unique index {} on ({}) without {key}: a duplicate-key error tells a client another tenant has that value", i.name, columns.join(", ")),
                    Some(format!("-- make it unique per tenant: CREATE UNIQUE INDEX ON {} ({}, {});", t.name, crate::sql::quote_ident(&key), columns.iter().map(|c| crate::sql::quote_ident(c)).collect::<Vec<_>>().join(", "))),
                ));
            }
        }
    }
    out
}
