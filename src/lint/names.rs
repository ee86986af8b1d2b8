//! Table names as migrations write them, resolved the way PostgreSQL would: an
//! unqualified name is in the schema `SET search_path` last named in the file
//! (`public` by default).

use pg_query::NodeEnum;
use pg_query::protobuf::{Node, RangeVar};

use crate::sql::QualifiedName;

/// The schema unqualified names resolve to when a file sets no search path.
pub const DEFAULT_SCHEMA: &str = "public";

/// A table's qualified name from a `RangeVar`.
pub fn table(range: &RangeVar, search_path: &str) -> QualifiedName {
    let schema = if range.schemaname.is_empty() {
        search_path
    } else {
        &range.schemaname
    };
    QualifiedName::new(schema, range.relname.clone())
}

/// The strings of a name list (`[schema, table, policy]` in a DROP POLICY).
pub fn strings(list: &[Node]) -> Vec<String> {
    list.iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

/// A table's qualified name from the parts of a name list (`a.b` or `b`).
pub fn from_parts(parts: &[String], search_path: &str) -> Option<QualifiedName> {
    match parts {
        [name] => Some(QualifiedName::new(search_path, name.clone())),
        [.., schema, name] => Some(QualifiedName::new(schema.clone(), name.clone())),
        [] => None,
    }
}
