//! `rlsctl.toml` of a pulled project: `[project]`, `[database]` (with the
//! Supabase stand-in as `dev_setup`), `[roles]`, `[tenancy]` with its
//! impersonation, `[extensions]` and `[publications.*]`.

use std::collections::BTreeSet;

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

use super::Context;
use super::layout::{implicit, inline, local, string, strings};
use super::tenancy::Tenancy;

/// The Supabase stand-in scripts, relative to the project, with their text.
pub const SUPABASE_STAND_IN: [(&str, &str); 3] = [
    (
        "supabase/roles.sql",
        include_str!("../../examples/supabase/supabase/roles.sql"),
    ),
    (
        "supabase/auth.sql",
        include_str!("../../examples/supabase/supabase/auth.sql"),
    ),
    (
        "supabase/storage.sql",
        include_str!("../../examples/supabase/supabase/storage.sql"),
    ),
];

/// A stand-in for the schema Supabase installs extensions in, for projects
/// that declare extensions there.
const SUPABASE_EXTENSIONS: (&str, &str) = (
    "supabase/extensions.sql",
    "-- Stand-in, for dev databases only, for the schema Supabase installs extensions in\n-- (written by rlsctl pull). Runs after roles.sql.\ncreate schema if not exists extensions;\ngrant usage on schema extensions to anon, authenticated, service_role;\n",
);

/// The stand-in scripts a pulled Supabase project runs in its dev databases.
pub fn stand_in(cx: &Context, supabase: bool) -> Vec<(&'static str, &'static str)> {
    if !supabase {
        return Vec::new();
    }
    let mut out = SUPABASE_STAND_IN.to_vec();
    if cx
        .catalog
        .extensions
        .iter()
        .any(|e| e.schema == "extensions")
    {
        out.insert(1, SUPABASE_EXTENSIONS);
    }
    out
}

/// Schemas Supabase's services own: never part of a pulled project by default.
pub const SUPABASE_SCHEMAS: &[&str] = &[
    "auth",
    "storage",
    "realtime",
    "_realtime",
    "extensions",
    "graphql",
    "graphql_public",
    "vault",
    "pgsodium",
    "pgsodium_masks",
    "supabase_functions",
    "supabase_migrations",
    "net",
    "cron",
    "pgbouncer",
    "_analytics",
    "pgmq",
    "pgtle",
];

/// Roles Supabase's stand-in creates and the platform has.
const SUPABASE_ROLES: [&str; 3] = ["anon", "authenticated", "service_role"];

/// The document.
pub fn document(
    cx: &mut Context,
    tenancy: Option<&Tenancy>,
    roles: &BTreeSet<String>,
    supabase: bool,
) -> DocumentMut {
    let mut doc = DocumentMut::new();
    doc.decor_mut().set_prefix(
        "# Pulled from an existing database by `rlsctl pull`. Re-pull with --diff to see\n# what changed there; fill in every TODO reason, then `rlsctl plan` is empty.\n\n",
    );
    let mut project = Table::new();
    project.insert("schemas", Item::Value(strings(&cx.owned)));
    doc.insert("project", Item::Table(project));

    let mut database = Table::new();
    database.insert("url_env", Item::Value(string("DATABASE_URL")));
    if supabase {
        database.insert(
            "dev_setup",
            Item::Value(strings(stand_in(cx, supabase).iter().map(|(p, _)| *p))),
        );
    }
    doc.insert("database", Item::Table(database));

    let mut role_table = Table::new();
    let mut all: BTreeSet<String> = roles.clone();
    if supabase {
        all.extend(SUPABASE_ROLES.iter().map(|r| r.to_string()));
    }
    for name in &all {
        let mut v = InlineTable::new();
        if let Some(role) = cx.catalog.role(name) {
            if role.login {
                v.insert("login", true.into());
            }
            if !role.inherit {
                v.insert("inherit", false.into());
            }
            if role.bypass_rls || role.superuser {
                v.insert("bypassrls", true.into());
            }
        }
        role_table.insert(name, Item::Value(Value::InlineTable(v)));
    }
    doc.insert("roles", Item::Table(role_table));

    if tenancy.is_some() || supabase {
        doc.insert(
            "tenancy",
            Item::Table(tenancy_section(cx, tenancy, supabase)),
        );
    }

    let mut extensions = Table::new();
    let catalog = cx.catalog;
    for e in &catalog.extensions {
        if e.name == "plpgsql" {
            continue;
        }
        // Dev databases have the owned schemas, public, and with Supabase's
        // stand-in its extensions schema: an extension elsewhere cannot be built.
        let buildable = cx.owned.contains(&e.schema)
            || e.schema == "public"
            || (supabase && e.schema == "extensions");
        if !buildable {
            cx.unexpressed(
                "extension",
                e.name.clone(),
                format!(
                    "installed in schema {}, which dev databases do not have",
                    e.schema
                ),
            );
            continue;
        }
        extensions.insert(
            &e.name,
            Item::Value(Value::InlineTable(inline(vec![(
                "schema",
                string(&e.schema),
            )]))),
        );
    }
    if !extensions.is_empty() {
        doc.insert("extensions", Item::Table(extensions));
    }

    let mut publications = implicit();
    for p in &cx.catalog.publications {
        let mut t = Table::new();
        if p.all_tables {
            t.insert("all_tables", Item::Value(true.into()));
        } else {
            let tables: Vec<String> = p
                .tables
                .iter()
                .map(|n| local(n, &cx.default_schema))
                .collect();
            t.insert("tables", Item::Value(strings(tables)));
        }
        if p.publish != ["insert", "update", "delete", "truncate"] {
            t.insert("publish", Item::Value(strings(&p.publish)));
        }
        publications.insert(&p.name, Item::Table(t));
    }
    if !publications.is_empty() {
        doc.insert("publications", Item::Table(publications));
    }
    doc
}

fn tenancy_section(cx: &Context, tenancy: Option<&Tenancy>, supabase: bool) -> Table {
    let mut t = Table::new();
    let client_roles: Vec<String> = match tenancy {
        Some(tenancy) => {
            t.insert("column", Item::Value(string(&tenancy.column)));
            if let Some(ty) = &tenancy.ty {
                t.insert("type", Item::Value(string(ty)));
            }
            t.insert("predicate", Item::Value(string(&tenancy.predicate)));
            // Pulled tables declare their tenant column's foreign key and indexes
            // themselves, as the database has them.
            t.insert("index", Item::Value(false.into()));
            tenancy.roles.clone()
        }
        None => vec!["authenticated".to_string()],
    };
    t.insert("roles", Item::Value(strings(&client_roles)));
    let mut impersonate = Table::new();
    if supabase {
        impersonate.insert("role", Item::Value(string("authenticated")));
        impersonate.insert(
            "jwt",
            Item::Value(Value::InlineTable(inline(vec![
                ("sub", string("{user}")),
                ("role", string("authenticated")),
            ]))),
        );
    } else if let Some(role) = client_roles.first() {
        impersonate.insert("role", Item::Value(string(role)));
        let settings = tenancy
            .map(|t| context_settings(cx, &t.predicate))
            .unwrap_or_default();
        if let [setting] = settings.as_slice() {
            impersonate.insert(
                "settings",
                Item::Value(Value::InlineTable(inline(vec![(
                    setting,
                    string("{tenant}"),
                )]))),
            );
            return with_impersonate(t, impersonate);
        }
        impersonate.decor_mut().set_prefix(
            "\n# TODO: say how `rlsctl test` becomes a user of tenant {tenant}: the settings\n# the predicate reads, e.g. settings = { \"app.tenant_id\" = \"{tenant}\" }.\n",
        );
    }
    with_impersonate(t, impersonate)
}

fn with_impersonate(mut tenancy: Table, impersonate: Table) -> Table {
    tenancy.insert("impersonate", Item::Table(impersonate));
    tenancy
}

/// The settings the predicate reads (`current_setting('app.tenant_id')`), in it
/// or in the bodies of the functions it calls, in order of appearance.
fn context_settings(cx: &Context, predicate: &str) -> Vec<String> {
    let mut texts = vec![predicate.to_string()];
    for f in &cx.catalog.functions {
        let called = format!("{}(", f.name.sql());
        if predicate.contains(&called)
            && let crate::catalog::FunctionBody::Source(body) = &f.body
        {
            texts.push(body.clone());
        }
    }
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        let mut rest = text.as_str();
        while let Some(at) = rest.find("current_setting('") {
            rest = &rest[at + "current_setting('".len()..];
            if let Some(end) = rest.find('\'') {
                let name = rest[..end].to_string();
                if !out.contains(&name) {
                    out.push(name);
                }
                rest = &rest[end..];
            }
        }
    }
    out
}
