//! MIG014: a new table without `ENABLE ROW LEVEL SECURITY` in the same file is
//! open to every role granted on it (now, or later by default privileges). Not a
//! finding when the declaration declares the table without RLS, or for a scratch
//! table the file drops again.

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ObjectType};

use super::{Rule, again, later_alter};
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::lint::names;
use crate::sql::QualifiedName;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG014",
    name: "table-without-rls",
    level: Level::Error,
    summary: "a new table without ENABLE ROW LEVEL SECURITY in the same file",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    let rel = match cx.node() {
        NodeEnum::CreateStmt(c) => c.relation.as_ref(),
        NodeEnum::CreateTableAsStmt(c) if c.objtype == ObjectType::ObjectTable as i32 => {
            c.into.as_ref().and_then(|i| i.rel.as_ref())
        }
        _ => None,
    };
    let Some(rel) = rel else {
        return vec![];
    };
    if rel.relpersistence == "t" {
        return vec![];
    }
    let table = cx.table(rel);
    if again(cx, &table) {
        return vec![];
    }
    if cx.scope.table(&table).is_some_and(|t| !t.rls_enabled)
        || later_alter(cx, &table, AlterTableType::AtEnableRowSecurity)
        || dropped_later(cx, &table)
    {
        return vec![];
    }
    vec![cx.hit(
        format!(
            "new table {table} without ALTER TABLE ... ENABLE ROW LEVEL SECURITY in this file: every role granted on it reaches every row"
        ),
        format!(
            "add `ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;` and `... FORCE ROW LEVEL SECURITY;` with its policies in this file, or declare the table public in the declaration"
        ),
    )]
}

/// Whether a later statement of the file drops the table (a scratch table).
fn dropped_later(cx: &Cx, table: &QualifiedName) -> bool {
    cx.later().iter().any(|s| match &s.node {
        NodeEnum::DropStmt(d) if d.remove_type == ObjectType::ObjectTable as i32 => {
            d.objects.iter().any(|o| {
                matches!(&o.node, Some(NodeEnum::List(l))
                    if names::from_parts(&names::strings(&l.items), cx.search_path).as_ref() == Some(table))
            })
        }
        _ => false,
    })
}
