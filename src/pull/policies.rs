//! `[[policy]]` entries: a table's policies as PostgreSQL prints them, grouped
//! by table, without the isolation policy that `tenant = ...` collapses.

use toml_edit::{ArrayOfTables, Item, Table};

use super::Context;
use super::layout::{local, string, strings};
use super::tenancy;
use crate::catalog::{Grantee, PolicyCommand, PolicyMode};

/// The `[[policy]]` entries of a table, without the one `tenant = ...` generates.
pub fn entries(
    cx: &mut Context,
    t: &crate::catalog::Table,
    inference: &tenancy::Inference,
) -> ArrayOfTables {
    let mut out = ArrayOfTables::new();
    for p in &t.policies {
        if inference.collapsed(&t.name, &p.name) {
            continue;
        }
        let mut e = Table::new();
        e.insert(
            "table",
            Item::Value(string(&local(&t.name, &cx.default_schema))),
        );
        e.insert("name", Item::Value(string(&p.name)));
        if p.command != PolicyCommand::All {
            e.insert(
                "command",
                Item::Value(string(&p.command.keyword().to_lowercase())),
            );
        }
        let roles: Vec<String> = p
            .roles
            .iter()
            .filter_map(|r| match r {
                // `TO PUBLIC` alone is the default; beside other roles it is named.
                Grantee::Public if p.roles.len() == 1 => None,
                Grantee::Public => Some("public".to_string()),
                Grantee::Role(name) => Some(name.clone()),
            })
            .collect();
        for r in roles.iter().filter(|r| *r != "public") {
            cx.roles.insert(r.clone());
        }
        if !roles.is_empty() {
            e.insert("roles", Item::Value(strings(&roles)));
        }
        if p.mode == PolicyMode::Restrictive {
            e.insert("mode", Item::Value(string("restrictive")));
        }
        if let Some(using) = &p.using {
            e.insert("using", Item::Value(string(using)));
        }
        if let Some(check) = &p.with_check {
            e.insert("check", Item::Value(string(check)));
        }
        if p.comment.is_some() {
            cx.unexpressed(
                "policy",
                format!("{} on {}", p.name, t.name),
                "COMMENT ON POLICY",
            );
        }
        out.push(e);
    }
    out
}
