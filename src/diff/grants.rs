//! Privileges: the difference between two ACLs as GRANT and REVOKE statements.
//! A NULL ACL means PostgreSQL's defaults, which differ by object kind.

use std::collections::BTreeSet;

use super::{Action, Change, Hazard, Phase, Widening};
use crate::catalog::{Acl, ColumnGrant, Grantee, Privilege, QualifiedName};
use crate::sql::quote_ident;

/// What kind of object an ACL belongs to, for its defaults.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Table,
    Schema,
    Function,
    Sequence,
}

/// (grantee, privilege, grantable) held by others than the owner.
pub(super) type Held = BTreeSet<(Grantee, Privilege, bool)>;

/// The privileges an ACL gives, with the defaults of a NULL ACL made explicit.
pub(super) fn effective(acl: &Acl, kind: Kind) -> Held {
    match acl {
        Acl::Default if kind == Kind::Function => {
            [(Grantee::Public, Privilege::Execute, false)].into()
        }
        Acl::Default => Held::new(),
        Acl::Explicit(grants) => grants
            .iter()
            .map(|g| (g.grantee.clone(), g.privilege, g.grantable))
            .collect(),
    }
}

/// GRANT statements for every privilege held.
pub(super) fn grant_all(target: &str, held: &Held) -> Vec<String> {
    held.iter()
        .map(|(g, p, opt)| grant(target, g, *p, *opt))
        .collect()
}

fn grant(target: &str, grantee: &Grantee, privilege: Privilege, grantable: bool) -> String {
    format!(
        "GRANT {} ON {target} TO {grantee}{}",
        privilege.as_sql(),
        if grantable { " WITH GRANT OPTION" } else { "" }
    )
}

fn revoke(target: &str, grantee: &Grantee, privilege: Privilege) -> String {
    format!("REVOKE {} ON {target} FROM {grantee}", privilege.as_sql())
}

/// Grants and revokes that turn `current` into `desired` on one object. A grant
/// added to a tenant table (`tenant`) may widen access: the isolation proof
/// decides (`Hazard::RlsWidened`); a revoke only narrows it.
pub(super) fn diff(
    object: &str,
    target: &str,
    current: &Held,
    desired: &Held,
    tenant: Option<&QualifiedName>,
    changes: &mut Vec<Change>,
) {
    let held =
        |set: &Held, g: &Grantee, p: Privilege| set.iter().any(|(hg, hp, _)| hg == g && *hp == p);
    for (grantee, privilege, grantable) in desired.difference(current) {
        let object = format!("grant {} on {object} to {grantee}", privilege.as_sql());
        // Only the grant option differs: GRANT cannot take it away.
        let mut change = match (held(current, grantee, *privilege), grantable) {
            (true, false) => Change::new(Action::Alter, object)
                .detail("without grant option")
                .step(
                    Phase::Grants,
                    format!(
                        "REVOKE GRANT OPTION FOR {} ON {target} FROM {grantee}",
                        privilege.as_sql()
                    ),
                ),
            (true, true) => Change::new(Action::Alter, object)
                .detail("with grant option")
                .step(Phase::Grants, grant(target, grantee, *privilege, true)),
            (false, _) => Change::new(Action::Create, object).step(
                Phase::Grants,
                grant(target, grantee, *privilege, *grantable),
            ),
        };
        if let Some(table) = tenant
            && (*grantable || !held(current, grantee, *privilege))
        {
            change = change.hazard(Hazard::RlsWidened(Widening::unproven(
                table,
                format!("{grantee} gains {} on a tenant table", privilege.as_sql()),
            )));
        }
        changes.push(change);
    }
    for (grantee, privilege, _) in current.difference(desired) {
        // Only the grant option changed: handled above.
        if held(desired, grantee, *privilege) {
            continue;
        }
        changes.push(
            Change::new(
                Action::Drop,
                format!("grant {} on {object} to {grantee}", privilege.as_sql()),
            )
            .step(Phase::Grants, revoke(target, grantee, *privilege)),
        );
    }
}

/// Schema privileges: added when declared, revoked only from the project's
/// declared roles and from grantees the declaration names (never from the
/// platform's own roles or PUBLIC on a shared schema such as `public`).
pub(super) fn diff_schema(
    name: &str,
    current: &Acl,
    desired: &Acl,
    declared: &BTreeSet<String>,
    changes: &mut Vec<Change>,
) {
    let current = effective(current, Kind::Schema);
    let desired = effective(desired, Kind::Schema);
    let named: BTreeSet<&Grantee> = desired.iter().map(|(g, _, _)| g).collect();
    let ours =
        |g: &Grantee| named.contains(g) || matches!(g, Grantee::Role(r) if declared.contains(r));
    let current: Held = current.into_iter().filter(|(g, _, _)| ours(g)).collect();
    diff(
        &format!("schema {name}"),
        &format!("SCHEMA {name}"),
        &current,
        &desired,
        None,
        changes,
    );
}

/// Column privileges (`GRANT UPDATE (col)`): those declared are granted, any
/// other the target holds is revoked, so that a table's declared grants are the
/// whole of what its roles may do. A column privilege added to a tenant table
/// widens access as a table privilege does (`tenant`).
pub(super) fn diff_columns(
    object: &str,
    target: &str,
    current: &[ColumnGrant],
    desired: &[ColumnGrant],
    tenant: Option<&QualifiedName>,
    changes: &mut Vec<Change>,
) {
    // Who granted it is not compared: the dev database's role and the target's differ.
    type Held = BTreeSet<(String, Grantee, Privilege, bool)>;
    let held = |grants: &[ColumnGrant]| -> Held {
        grants
            .iter()
            .map(|c| {
                (
                    c.column.clone(),
                    c.grant.grantee.clone(),
                    c.grant.privilege,
                    c.grant.grantable,
                )
            })
            .collect()
    };
    let (current, desired) = (held(current), held(desired));
    let name = |column: &str, grantee: &Grantee, privilege: Privilege| {
        format!(
            "grant {} ({}) on {object} to {grantee}",
            privilege.as_sql(),
            quote_ident(column)
        )
    };
    for (column, grantee, privilege, _) in current.difference(&desired) {
        changes.push(
            Change::new(Action::Drop, name(column, grantee, *privilege)).step(
                Phase::Grants,
                format!(
                    "REVOKE {} ({}) ON {target} FROM {grantee}",
                    privilege.as_sql(),
                    quote_ident(column)
                ),
            ),
        );
    }
    for (column, grantee, privilege, grantable) in desired.difference(&current) {
        let mut change = Change::new(Action::Create, name(column, grantee, *privilege)).step(
            Phase::Grants,
            format!(
                "GRANT {} ({}) ON {target} TO {grantee}{}",
                privilege.as_sql(),
                quote_ident(column),
                if *grantable { " WITH GRANT OPTION" } else { "" }
            ),
        );
        if let Some(table) = tenant {
            change = change.hazard(Hazard::RlsWidened(Widening::unproven(
                table,
                format!(
                    "{grantee} gains {} on column {} of a tenant table",
                    privilege.as_sql(),
                    quote_ident(column)
                ),
            )));
        }
        changes.push(change);
    }
}
