//! A catalog for people: counts, then one line per table; fits 100 columns
//! and never breaks a name (each policy on a line of its own).

use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement,
    Table as TextTable, presets::UTF8_BORDERS_ONLY,
};

use crate::catalog::Catalog;

/// The widest the table is drawn.
pub const WIDTH: u16 = 100;

/// Counts and a table of tables (RLS state, policies, columns, indexes,
/// grants); coloured (RLS off in red, forced in green) when `color`.
pub fn summary(catalog: &Catalog, title: &str, color: bool) -> String {
    let s = catalog.summary();
    let mut out = format!(
        "{title}\nPostgreSQL {}: {} schema(s), {} table(s), {} column(s), {} constraint(s), {} index(es),\n\
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
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    let header = ["table", "rls", "policies", "cols", "indexes", "grants"];
    table
        .load_style(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH)
        .set_header(
            header
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
    for t in &catalog.tables {
        let (rls, rls_color) = match (t.rls_enabled, t.rls_forced) {
            (true, true) => ("forced", Color::Green),
            (true, false) => ("enabled", Color::Yellow),
            (false, _) => ("off", Color::Red),
        };
        let policies: Vec<&str> = t.policies.iter().map(|p| p.name.as_str()).collect();
        let number = |n: usize| Cell::new(n).set_alignment(CellAlignment::Right);
        table.add_row([
            Cell::new(t.name.to_string()),
            Cell::new(rls).fg(rls_color),
            Cell::new(if policies.is_empty() {
                "-".to_string()
            } else {
                policies.join("\n")
            }),
            number(t.columns.len()),
            number(t.indexes.len()),
            number(t.acl.grants().len()),
        ]);
    }
    // Names are never wrapped: their columns are as wide as their longest line.
    for i in [0, 2] {
        if let Some(column) = table.column_mut(i) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

fn version(num: i32) -> String {
    format!("{}.{}", num / 10000, num % 10000)
}
