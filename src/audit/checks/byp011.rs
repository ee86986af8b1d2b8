//! BYP011 `cascade_across_tenants` (RLS-SEMANTICS 6.4, L18, `[E17]`): a foreign
//! key with ON DELETE/UPDATE CASCADE, SET NULL or SET DEFAULT into an RLS table
//! whose key lacks the tenant column: one tenant's delete changes another
//! tenant's rows, invisibly. Cross-tenant links exist only if clients can
//! insert or update the referencing table: otherwise reach `none`. Merged with
//! SID002 on the same foreign key into one finding (`root`).

use super::{Check, Context};
use crate::audit::{Finding, Level, Reach};
use crate::catalog::{ConstraintKind, Privilege, ReferentialAction};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP011",
    name: "cascade_across_tenants",
    level: Level::Warn,
    summary: "cascading foreign key into a tenant table without the tenant column",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for c in t.constraints.iter().filter(|c| !c.inherited) {
            let ConstraintKind::ForeignKey(fk) = &c.kind else {
                continue;
            };
            let acts = |a: ReferentialAction| {
                matches!(
                    a,
                    ReferentialAction::Cascade
                        | ReferentialAction::SetNull
                        | ReferentialAction::SetDefault
                )
            };
            if !acts(fk.on_delete) && !acts(fk.on_update) {
                continue;
            }
            let Some(target) = cx.catalog.table(&fk.table).filter(|x| x.rls_enabled) else {
                continue;
            };
            let Some(key) = cx.tenant_key(target) else {
                continue;
            };
            // A link by the tenant column itself (to the tenant's row) is the tenancy.
            let by_tenant = cx
                .tenant_column()
                .is_some_and(|tc| c.columns.iter().any(|x| x == tc));
            if fk.columns.contains(&key) || by_tenant {
                continue;
            }
            let writers = cx.clients_with(t, &[Privilege::Insert, Privilege::Update]);
            let finding = CHECK.finding(
                CHECK.level,
                &t.name,
                Some(&c.name),
                format!("{} cascades from {} without {key}: a delete or update by one tenant reaches rows of another{}", c.name, target.name,
                    if writers.is_empty() { format!(" (no client can insert or update {}, so no cross-tenant link is made by clients)", t.name) } else { String::new() }),
                Some(format!("-- reference ({key}, {}) so that links stay inside a tenant, or use ON DELETE RESTRICT", fk.columns.join(", "))),
            )
            .with_root(format!("fk:{}.{}", t.name, c.name));
            out.push(if writers.is_empty() {
                finding.with_reach(Reach::None)
            } else {
                finding
            });
        }
    }
    out
}
