//! MIG007: dropping an existing table loses its rows.

use pg_query::NodeEnum;
use pg_query::protobuf::ObjectType;

use super::Rule;
use crate::lint::context::{Cx, Hit};
use crate::lint::finding::Level;
use crate::lint::names;

/// The rule.
pub(super) const RULE: Rule = Rule {
    id: "MIG007",
    name: "drop-table",
    level: Level::Error,
    summary: "DROP TABLE of an existing table",
    check: Some(check),
};

fn check(cx: &Cx) -> Vec<Hit> {
    let NodeEnum::DropStmt(d) = cx.node() else {
        return vec![];
    };
    if d.remove_type != ObjectType::ObjectTable as i32 {
        return vec![];
    }
    d.objects
        .iter()
        .filter_map(|o| match &o.node {
            Some(NodeEnum::List(l)) => names::from_parts(&names::strings(&l.items), cx.search_path),
            _ => None,
        })
        .filter(|t| cx.existing(t))
        .map(|t| {
            cx.hit(
                format!("DROP TABLE {t} loses every row of an existing table"),
                "stop using the table in a release first (or rename it and drop it later); then drop it with `-- rlsctl:allow MIG007 <why it is safe>`",
            )
        })
        .collect()
}
