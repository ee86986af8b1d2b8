//! The fix to print beside a LEAK, by relation kind and probe.

use super::discover::{RelationKind, TenantRelation};
use super::outcome::Probe;

/// How to close the hole `probe` found in `relation` for `role`.
pub fn fix(relation: &TenantRelation, probe: Probe, role: &str) -> String {
    let name = &relation.name;
    let col = &relation.tenant_column;
    match relation.kind {
        RelationKind::View => {
            return format!(
                "alter view {name} set (security_invoker = true); -- the view reads its tables with its owner's rights"
            );
        }
        RelationKind::MaterializedView => {
            return format!(
                "revoke select on {name} from {role}; -- a materialized view cannot have row level security; expose a security_invoker view over the base tables"
            );
        }
        RelationKind::Function => {
            return format!(
                "alter function {name}() security invoker; -- or filter by {col} inside it"
            );
        }
        _ => {}
    }
    if let Some(table) = &relation.table
        && !table.rls_enabled
    {
        return format!(
            "alter table {name} enable row level security; -- and create a policy comparing {col} with the caller's tenant"
        );
    }
    match probe {
        Probe::Read => format!(
            "every permissive SELECT (or ALL) policy on {name} must imply the tenant predicate on {col}; check OR-ed policies and contexts that may be NULL or ''"
        ),
        Probe::ForeignInsert | Probe::ForeignInsertReturning => {
            format!(
                "give the INSERT (or ALL) policy on {name} a WITH CHECK that implies the tenant predicate on {col}"
            )
        }
        Probe::UpdateTargeted
        | Probe::UpdateAll
        | Probe::DeleteTargeted
        | Probe::DeleteAll
        | Probe::UniqueOracleOnConflictUpdate => {
            format!(
                "the USING of the UPDATE/DELETE (or ALL) policies on {name} must imply the tenant predicate on {col}, as the SELECT policy does"
            )
        }
        Probe::MoveRow | Probe::MoveAll => format!(
            "the WITH CHECK of the UPDATE (or ALL) policies on {name} must imply the tenant predicate on {col} (or drop WITH CHECK so USING is reused)"
        ),
        Probe::Truncate => format!(
            "revoke truncate on {name} from {role}; -- TRUNCATE is not subject to row level security"
        ),
        _ => format!("restrict {name} to the caller's tenant"),
    }
}
