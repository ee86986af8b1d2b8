//! `[schemas.<name>]` of an owned schema: its comment, grants and default
//! privileges, and the objects made before those default privileges (which the
//! declaration's objects get, so plan would grant them).

use std::collections::BTreeSet;

use toml_edit::{Item, Table, Value};

use super::Context;
use super::layout::{self, GrantKind, grants_of, string};
use crate::catalog::Grantee;

/// `[schemas.<name>]`: comment, grants and default privileges.
pub fn section(cx: &mut Context, s: &crate::catalog::Schema) -> Table {
    let mut out = Table::new();
    if let Some(comment) = &s.comment {
        out.insert("comment", Item::Value(string(comment)));
    }
    let grants = layout::acl_grants(&s.acl, GrantKind::Schema, cx.catalog.server_version_num);
    cx.note_grants(&grants, &format!("schema {}", s.name));
    layout::set(&mut out, "grants", grants.value());
    let defaults: Vec<_> = cx
        .catalog
        .default_privileges
        .iter()
        .filter(|d| d.schema.as_deref() == Some(s.name.as_str()))
        .collect();
    let owners: BTreeSet<&str> = defaults.iter().map(|d| d.owner.as_str()).collect();
    if owners.len() > 1 {
        cx.unexpressed(
            "default privileges",
            format!("schema {}", s.name),
            "default privileges of several roles in one schema (the declaration has one for_role)",
        );
    }
    if let Some(owner) = owners.first() {
        use crate::catalog::DefaultObjectType as K;
        let mut t = toml_edit::InlineTable::new();
        if *owner != cx.catalog.database.connected_as {
            t.insert("for_role", string(owner));
            cx.roles.insert(owner.to_string());
        }
        for (kind, key, grant_kind) in [
            (K::Tables, "tables", GrantKind::Table),
            (K::Sequences, "sequences", GrantKind::Sequence),
            (K::Functions, "functions", GrantKind::Function),
            (K::Types, "types", GrantKind::Type),
        ] {
            let grants = grants_of(
                defaults
                    .iter()
                    .filter(|d| d.object_type == kind && d.owner == *owner)
                    .map(|d| (&d.grantee, d.privilege, false)),
                grant_kind,
                cx.catalog.server_version_num,
            );
            cx.note_grants(&grants, &format!("default privileges in schema {}", s.name));
            if let Some(v) = grants.value() {
                t.insert(key, v);
            }
        }
        out.insert("default_privileges", Item::Value(Value::InlineTable(t)));
        default_privilege_gaps(cx, &s.name, &defaults);
    }
    out
}

/// Objects made before their schema's default privileges lack what the
/// declaration's objects get from them: reported, since plan will grant it.
fn default_privilege_gaps(
    cx: &mut Context,
    schema: &str,
    defaults: &[&crate::catalog::DefaultPrivilege],
) {
    use crate::catalog::{Acl, DefaultObjectType as K};
    let catalog = cx.catalog;
    let mut objects: Vec<(K, String, &Acl)> = Vec::new();
    for t in catalog.tables.iter().filter(|t| t.name.schema == schema) {
        objects.push((K::Tables, format!("table {}", t.name), &t.acl));
    }
    for v in catalog.views.iter().filter(|v| v.name.schema == schema) {
        objects.push((K::Tables, format!("view {}", v.name), &v.acl));
    }
    for q in catalog.sequences.iter().filter(|q| q.name.schema == schema) {
        objects.push((K::Sequences, format!("sequence {}", q.name), &q.acl));
    }
    for f in catalog.functions.iter().filter(|f| f.name.schema == schema) {
        objects.push((
            K::Functions,
            format!("function {}({})", f.name, f.identity_arguments),
            &f.acl,
        ));
    }
    for (kind, name, acl) in objects {
        let missing: Vec<String> = defaults
            .iter()
            .filter(|d| d.object_type == kind)
            .filter(|d| {
                let held = acl
                    .grants()
                    .iter()
                    .any(|g| g.grantee == d.grantee && g.privilege == d.privilege);
                // A NULL ACL on a function means PUBLIC may EXECUTE.
                let implied =
                    acl.is_default() && kind == K::Functions && d.grantee == Grantee::Public;
                !held && !implied
            })
            .map(|d| format!("{} to {}", d.privilege.as_sql(), d.grantee))
            .collect();
        if !missing.is_empty() {
            cx.unexpressed(
                "grant",
                name,
                format!(
                    "made before the schema's default privileges, it lacks {}; declared objects get them, so plan will grant them",
                    missing.join(", ")
                ),
            );
        }
    }
}
