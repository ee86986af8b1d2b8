//! SID002 `fk_without_tenant_key` (RLS-SEMANTICS 6.5, L17/L18, `[E16]`,
//! `[E17]`): a foreign key into an RLS table whose referenced columns lack that
//! table's tenant key: clients link rows to other tenants' hidden rows, probe
//! their existence (23503), and cascades cross tenants. A client that can
//! neither insert nor update the referencing table makes no link: reach `none`.
//! One foreign key is one finding: BYP011's cascade on it is merged in (`root`).

use super::{Check, Context};
use crate::audit::{Finding, Level, Reach};
use crate::catalog::{ConstraintKind, Privilege, ReferentialAction};

/// The check.
pub const CHECK: Check = Check {
    id: "SID002",
    name: "fk_without_tenant_key",
    level: Level::Warn,
    summary: "foreign key into a tenant table without the tenant column",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for c in &t.constraints {
            let ConstraintKind::ForeignKey(fk) = &c.kind else {
                continue;
            };
            if c.inherited {
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
            let cascades = [fk.on_delete, fk.on_update].iter().any(|a| {
                matches!(
                    a,
                    ReferentialAction::Cascade
                        | ReferentialAction::SetNull
                        | ReferentialAction::SetDefault
                )
            });
            let extra = if cascades {
                "; its ON DELETE/UPDATE action also changes rows across tenants"
            } else {
                ""
            };
            let writers = cx.clients_with(t, &[Privilege::Insert, Privilege::Update]);
            let (who, reach) = if writers.is_empty() {
                (
                    "; no client can insert or update ".to_string()
                        + &t.name.to_string()
                        + ", so only the server's own code makes links",
                    Some(Reach::None),
                )
            } else {
                (
                    format!("; {} can write {}", super::list(&writers), t.name),
                    None,
                )
            };
            let finding = CHECK.finding(
                CHECK.level,
                &t.name,
                Some(&c.name),
                format!("{} references {} without its tenant column {key}: rows can point at other tenants' rows (and 23503 reveals which exist){extra}{who}", c.name, target.name),
                Some(format!("-- reference ({key}, {}) with a composite foreign key onto a UNIQUE ({key}, {}) of {}", fk.columns.join(", "), fk.columns.join(", "), target.name)),
            )
            .with_root(format!("fk:{}.{}", t.name, c.name));
            out.push(match reach {
                Some(r) => finding.with_reach(r),
                None => finding,
            });
        }
    }
    out
}
