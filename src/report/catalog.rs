//! A catalog for people: counts, then one line per table.

use comfy_table::{ContentArrangement, Table as TextTable, presets::UTF8_BORDERS_ONLY};

use crate::catalog::Catalog;

/// Counts and a table of tables (RLS state, policies, columns, indexes, grants).
pub fn summary(catalog: &Catalog, title: &str) -> String {
    let s = catalog.summary();
    let mut out = format!(
        "{title}\nPostgreSQL {}: {} schema(s), {} table(s), {} column(s), {} constraint(s), {} index(es), \
         {} policy(ies), {} grant(s), {} function(s), {} view(s), {} sequence(s)\n",
        version(catalog.server_version_num),
        s.schemas,
        s.tables,
        s.columns,
        s.constraints,
        s.indexes,
        s.policies,
        s.grants,
        s.functions,
        s.views,
        s.sequences
    );
    if catalog.tables.is_empty() {
        return out;
    }
    let mut table = TextTable::new();
    table
        .load_style(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(["table", "rls", "policies", "columns", "indexes", "grants"]);
    for t in &catalog.tables {
        let rls = match (t.rls_enabled, t.rls_forced) {
            (true, true) => "forced",
            (true, false) => "enabled",
            (false, _) => "off",
        };
        let policies: Vec<&str> = t.policies.iter().map(|p| p.name.as_str()).collect();
        table.add_row([
            t.name.to_string(),
            rls.to_string(),
            if policies.is_empty() {
                "-".to_string()
            } else {
                policies.join(", ")
            },
            t.columns.len().to_string(),
            t.indexes.len().to_string(),
            t.acl.grants().len().to_string(),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

fn version(num: i32) -> String {
    format!("{}.{}", num / 10000, num % 10000)
}
