//! `CREATE VIEW` and `CREATE MATERIALIZED VIEW` for declared views; their
//! indexes, comments and grants are rendered with the tables'.

use super::Located;
use crate::spec::declaration::{CheckOption, View};

/// `CREATE [MATERIALIZED] VIEW name [WITH (...)] AS <query> [WITH NO DATA]`,
/// with the query as a fragment of the user's text.
pub(crate) fn create_view(v: &View) -> Located {
    let mut out = Located::default();
    if v.materialized {
        out.push(&format!("CREATE MATERIALIZED VIEW {} AS\n", v.name));
    } else {
        let options = options(v);
        if options.is_empty() {
            out.push(&format!("CREATE VIEW {} AS\n", v.name));
        } else {
            out.push(&format!(
                "CREATE VIEW {} WITH ({}) AS\n",
                v.name,
                options.join(", ")
            ));
        }
    }
    out.push_from(query(&v.query), v.query_origin.as_ref());
    if v.materialized && !v.with_data {
        // On its own line: the query may end in a `--` comment.
        out.push("\nWITH NO DATA");
    }
    out
}

/// The `WITH (...)` options of a view, in a fixed order.
fn options(v: &View) -> Vec<String> {
    let mut out = Vec::new();
    if v.security_invoker {
        out.push("security_invoker = true".to_string());
    }
    if v.security_barrier {
        out.push("security_barrier = true".to_string());
    }
    match v.check_option {
        Some(CheckOption::Local) => out.push("check_option = local".to_string()),
        Some(CheckOption::Cascaded) => out.push("check_option = cascaded".to_string()),
        None => {}
    }
    out
}

/// The query without trailing semicolons and blank space (it is one statement).
fn query(text: &str) -> &str {
    text.trim_end_matches(|c: char| c == ';' || c.is_whitespace())
}
