//! Default privileges (`ALTER DEFAULT PRIVILEGES ... IN SCHEMA`) of the owned
//! schemas. A schema that declares `default_privileges` has them managed: what
//! the target holds there and the declaration does not is revoked, whoever's
//! they are. Other schemas' default privileges are left alone and listed as
//! unmanaged. Default privileges for every schema (no `IN SCHEMA`) are the
//! cluster administrator's, never compared.

use std::collections::{BTreeMap, BTreeSet};

use super::grants::Held;
use super::{Action, Change, Hazard, Options, Phase};
use crate::catalog::{Catalog, DefaultObjectType, DefaultPrivilege, Grantee, Privilege};
use crate::sql::quote_ident;

/// (owner, schema, object type, grantee): one `ALTER DEFAULT PRIVILEGES` target.
type Key = (String, String, DefaultObjectType, Grantee);

/// Changes to the default privileges of the schemas that declare them.
pub(super) fn diff(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    let managed = |d: &&DefaultPrivilege| {
        d.schema
            .as_ref()
            .is_some_and(|s| options.default_privilege_schemas.contains(s))
    };
    // Declared without FOR ROLE, they belong to whoever applies: the dev
    // database's role on the desired side, the target's login on this one.
    let owner = |d: &DefaultPrivilege| {
        if d.owner == desired.database.connected_as {
            current.database.connected_as.clone()
        } else {
            d.owner.clone()
        }
    };
    let have = grouped(current.default_privileges.iter().filter(managed), |d| {
        d.owner.clone()
    });
    let want = grouped(desired.default_privileges.iter().filter(managed), owner);
    let keys: BTreeSet<&Key> = have.keys().chain(want.keys()).collect();
    for key in keys {
        let none = BTreeSet::new();
        let before = have.get(key).unwrap_or(&none);
        let after = want.get(key).unwrap_or(&none);
        if before == after {
            continue;
        }
        let (owner, schema, kind, grantee) = key;
        let head = format!(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {}",
            quote_ident(owner),
            quote_ident(schema)
        );
        let added: Vec<&str> = after.difference(before).map(|p| p.as_sql()).collect();
        let removed: Vec<&str> = before.difference(after).map(|p| p.as_sql()).collect();
        let action = match (before.is_empty(), after.is_empty()) {
            (true, _) => Action::Create,
            (_, true) => Action::Drop,
            _ => Action::Alter,
        };
        let mut change = Change::new(action, object(key));
        if action == Action::Alter {
            let mut detail = Vec::new();
            if !added.is_empty() {
                detail.push(format!("granted {}", added.join(", ")));
            }
            if !removed.is_empty() {
                detail.push(format!("revoked {}", removed.join(", ")));
            }
            change = change.detail(detail.join("; "));
        }
        if !removed.is_empty() {
            change = change.step(
                Phase::Grants,
                format!(
                    "{head} REVOKE {} ON {} FROM {grantee}",
                    removed.join(", "),
                    kind.as_sql()
                ),
            );
        }
        if !added.is_empty() {
            change = change.step(
                Phase::Grants,
                format!(
                    "{head} GRANT {} ON {} TO {grantee}",
                    added.join(", "),
                    kind.as_sql()
                ),
            );
            let tenant_schema = options.tenant_tables.iter().any(|t| &t.schema == schema);
            if *kind == DefaultObjectType::Tables && tenant_schema {
                change = change.hazard(Hazard::RlsWeakened(format!(
                    "tables created in schema {} (holding tenant tables) by {} are granted {} to {grantee} from the start, before row-level security is enabled on them",
                    quote_ident(schema),
                    quote_ident(owner),
                    added.join(", ")
                )));
            }
        }
        changes.push(change);
    }
}

/// The default privileges of owned schemas that declare none, as
/// (name, why), for `unmanaged`.
pub(super) fn unmanaged(current: &Catalog, options: &Options) -> Vec<(String, String)> {
    let unmanaged = |d: &&DefaultPrivilege| {
        d.schema.as_ref().is_some_and(|s| {
            options.schemas.contains(s) && !options.default_privilege_schemas.contains(s)
        })
    };
    grouped(current.default_privileges.iter().filter(unmanaged), |d| {
        d.owner.clone()
    })
    .into_iter()
    .map(|(key, privileges)| {
        let privileges: Vec<&str> = privileges.iter().map(|p| p.as_sql()).collect();
        (
            object(&key).trim_start_matches("default privileges ").to_string(),
            format!(
                "grants {}; the schema declares no default_privileges, so they are left as they are (declare [schemas.{}] default_privileges to manage them)",
                privileges.join(", "),
                key.1
            ),
        )
    })
    .collect()
}

/// `default privileges for role o in schema s on tables to g`.
fn object((owner, schema, kind, grantee): &Key) -> String {
    format!(
        "default privileges for role {} in schema {} on {} to {grantee}",
        quote_ident(owner),
        quote_ident(schema),
        kind.as_sql().to_lowercase()
    )
}

fn grouped<'a>(
    privileges: impl Iterator<Item = &'a DefaultPrivilege>,
    owner: impl Fn(&DefaultPrivilege) -> String,
) -> BTreeMap<Key, BTreeSet<Privilege>> {
    let mut out: BTreeMap<Key, BTreeSet<Privilege>> = BTreeMap::new();
    for d in privileges {
        let Some(schema) = &d.schema else { continue };
        out.entry((owner(d), schema.clone(), d.object_type, d.grantee.clone()))
            .or_default()
            .insert(d.privilege);
    }
    out
}

/// The privileges an object of `kind` starts with when the applying role
/// creates it in `schema` on the target: its default privileges there and for
/// every schema, or PostgreSQL's built-in ones (EXECUTE for PUBLIC on
/// functions) when it has none for every schema. The plan revokes from a new
/// object what these give and the declaration does not.
pub(super) fn inherited(current: &Catalog, schema: &str, kind: DefaultObjectType) -> Held {
    let creator = &current.database.connected_as;
    let applies = |d: &&DefaultPrivilege| &d.owner == creator && d.object_type == kind;
    let everywhere: Vec<&DefaultPrivilege> = current
        .default_privileges
        .iter()
        .filter(applies)
        .filter(|d| d.schema.is_none())
        .collect();
    let mut held: Held = everywhere
        .iter()
        .filter(|d| d.grantee != Grantee::Role(creator.clone()))
        .map(|d| (d.grantee.clone(), d.privilege, false))
        .collect();
    if everywhere.is_empty() && kind == DefaultObjectType::Functions {
        held.insert((Grantee::Public, Privilege::Execute, false));
    }
    held.extend(
        current
            .default_privileges
            .iter()
            .filter(applies)
            .filter(|d| d.schema.as_deref() == Some(schema))
            .map(|d| (d.grantee.clone(), d.privilege, false)),
    );
    held
}
