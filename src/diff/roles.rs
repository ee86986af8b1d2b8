//! BYPASSRLS of the declared roles, with `manage_roles`: a role expected without it
//! (declared `bypassrls = false`, or a client role that does not declare it) loses
//! it; one declared `bypassrls = true` gets it, which weakens RLS. (Without
//! `manage_roles`, `plan` refuses a difference instead of leaving it silently.)

use super::{Action, Change, Hazard, Options, Phase};
use crate::catalog::Catalog;
use crate::sql::quote_ident;

pub(super) fn diff(current: &Catalog, options: &Options, changes: &mut Vec<Change>) {
    for role in &options.managed_roles {
        let (Some(have), Some(&expected)) = (
            current.role(&role.name),
            options.role_bypass.get(&role.name),
        ) else {
            continue;
        };
        if have.bypass_rls == expected {
            continue;
        }
        let name = quote_ident(&role.name);
        let change = Change::new(Action::Alter, format!("role {name}"));
        changes.push(if expected {
            change
                .detail("bypassrls")
                .hazard(Hazard::RlsWeakened(format!(
                    "role {name} gets BYPASSRLS: no policy applies to it"
                )))
                .step(Phase::Roles, format!("ALTER ROLE {name} BYPASSRLS"))
        } else {
            change
                .detail("nobypassrls")
                .step(Phase::Roles, format!("ALTER ROLE {name} NOBYPASSRLS"))
        });
    }
}
