//! The current side as PostgreSQL will show it once the declared renames ran.
//! PostgreSQL follows a rename everywhere (constraints, indexes, policies,
//! defaults and foreign keys elsewhere refer to the object, not its name), so
//! comparing the pre-rename text with the declaration would drop and rebuild
//! everything that mentions a renamed table or column. The text is what
//! PostgreSQL printed; identifiers in it are found with its own scanner.

use std::collections::BTreeMap;

use pg_query::protobuf::{KeywordKind, ScanToken, Token};

use super::Options;
use crate::catalog::{Catalog, Generated, IndexPart, QualifiedName, Table};
use crate::sql::quote_ident;

/// The declared renames that will run on the current database: those whose old
/// name exists and whose new name does not yet.
#[derive(Debug, Default)]
pub(super) struct Renames {
    /// Tables: old name → new name.
    pub(super) tables: BTreeMap<QualifiedName, QualifiedName>,
    /// Columns, by their table's current name: (old, new).
    pub(super) columns: BTreeMap<QualifiedName, Vec<(String, String)>>,
}

impl Renames {
    /// The renames `options` declares that apply to `current`.
    pub(super) fn planned(current: &Catalog, desired: &Catalog, options: &Options) -> Renames {
        let tables: BTreeMap<QualifiedName, QualifiedName> = options
            .table_renames
            .iter()
            .map(|(new, old)| (QualifiedName::new(&new.schema, old), new.clone()))
            .filter(|(old, new)| current.table(new).is_none() && current.table(old).is_some())
            .collect();
        let mut columns: BTreeMap<QualifiedName, Vec<(String, String)>> = BTreeMap::new();
        for want in &desired.tables {
            let current_name = tables
                .iter()
                .find(|(_, new)| **new == want.name)
                .map_or(&want.name, |(old, _)| old);
            let Some(have) = current.table(current_name) else {
                continue;
            };
            for col in want
                .columns
                .iter()
                .filter(|c| have.column(&c.name).is_none())
            {
                let Some(old) = options
                    .column_renames
                    .get(&(want.name.clone(), col.name.clone()))
                else {
                    continue;
                };
                if have.column(old).is_some() && want.column(old).is_none() {
                    columns
                        .entry(have.name.clone())
                        .or_default()
                        .push((old.clone(), col.name.clone()));
                }
            }
        }
        Renames { tables, columns }
    }

    /// The column renames of a table, by its current name.
    pub(super) fn columns_of(&self, table: &QualifiedName) -> &[(String, String)] {
        self.columns.get(table).map_or(&[], Vec::as_slice)
    }
}

/// `have` after the renames: named `name`, its renamed columns renamed in its
/// columns and every expression, and references to renamed tables and their
/// renamed columns rewritten in its foreign keys.
pub(super) fn after(have: &Table, name: &QualifiedName, renames: &Renames) -> Table {
    let mut t = have.clone();
    t.name = name.clone();
    let columns = renames.columns_of(&have.name);
    if columns.is_empty() && renames.tables.is_empty() && renames.columns.is_empty() {
        return t;
    }
    let expr = |sql: &str| rename_columns(sql, columns);
    let column = |c: &str| {
        columns
            .iter()
            .find(|(old, _)| old == c)
            .map_or_else(|| c.to_string(), |(_, new)| new.clone())
    };
    for c in &mut t.columns {
        c.name = column(&c.name);
        c.default = c.default.as_deref().map(expr);
        c.generated = match &c.generated {
            Some(Generated::Stored(e)) => Some(Generated::Stored(expr(e))),
            Some(Generated::Virtual(e)) => Some(Generated::Virtual(expr(e))),
            None => None,
        };
    }
    for c in &mut t.constraints {
        c.columns = c.columns.iter().map(|n| column(n)).collect();
        c.definition = rename_references(&expr(&c.definition), renames);
    }
    for i in &mut t.indexes {
        for key in &mut i.keys {
            key.part = match &key.part {
                IndexPart::Column(c) => IndexPart::Column(column(c)),
                IndexPart::Expression(e) => IndexPart::Expression(expr(e)),
            };
        }
        i.include = i.include.iter().map(|n| column(n)).collect();
        i.predicate = i.predicate.as_deref().map(expr);
        i.definition = expr(&i.definition);
    }
    // Policies may read other tables (`exists (select from app.members ...)`).
    let policy = |sql: &str| rename_references(&expr(sql), renames);
    for p in &mut t.policies {
        p.using = p.using.as_deref().map(policy);
        p.with_check = p.with_check.as_deref().map(policy);
    }
    t
}

/// Column references renamed: identifiers (bare, keyword-like or quoted) equal
/// to an old name, except type names (after `::`) and function names (before `(`).
fn rename_columns(sql: &str, columns: &[(String, String)]) -> String {
    if columns.is_empty() {
        return sql.to_string();
    }
    rewrite(sql, |tokens, i| {
        let prev = i.checked_sub(1).map(|p| tokens[p].token);
        let next = tokens.get(i + 1).map(|t| t.token);
        if prev == Some(Token::Typecast as i32) || next == Some(Token::Ascii40 as i32) {
            return None;
        }
        let name = identifier(sql, &tokens[i])?;
        columns
            .iter()
            .find(|(old, _)| *old == name)
            .map(|(_, new)| (i, i, quote_ident(new)))
    })
}

/// `schema.table(columns)` references (as foreign keys print them) to renamed
/// tables and renamed columns of the referenced table.
fn rename_references(sql: &str, renames: &Renames) -> String {
    if renames.tables.is_empty() && renames.columns.is_empty() {
        return sql.to_string();
    }
    rewrite(sql, |tokens, i| {
        let (schema, dot, table) = (tokens.get(i)?, tokens.get(i + 1)?, tokens.get(i + 2)?);
        if dot.token != Token::Ascii46 as i32 {
            return None;
        }
        let old = QualifiedName::new(&identifier(sql, schema)?, &identifier(sql, table)?);
        let new_name = renames.tables.get(&old);
        let columns = renames.columns_of(&old);
        let open = tokens
            .get(i + 3)
            .filter(|t| t.token == Token::Ascii40 as i32);
        let close = open.and_then(|_| {
            (i + 4..tokens.len()).find(|&j| tokens[j].token == Token::Ascii41 as i32)
        });
        match (close, columns.is_empty()) {
            (Some(close), false) => {
                let list = &sql[tokens[i + 3].start as usize..tokens[close].end as usize];
                let name = new_name.map_or_else(
                    || sql[schema.start as usize..table.end as usize].to_string(),
                    ToString::to_string,
                );
                Some((i, close, format!("{name}{}", rename_columns(list, columns))))
            }
            _ => new_name.map(|new| (i, i + 2, new.to_string())),
        }
    })
}

/// Replaces token ranges: `replace(tokens, i)` returns (first, last, text).
fn rewrite(
    sql: &str,
    replace: impl Fn(&[ScanToken], usize) -> Option<(usize, usize, String)>,
) -> String {
    let Ok(scanned) = pg_query::scan(sql) else {
        return sql.to_string();
    };
    let tokens = scanned.tokens;
    let (mut out, mut copied, mut i) = (String::new(), 0usize, 0usize);
    while i < tokens.len() {
        if let Some((first, last, text)) = replace(&tokens, i) {
            out.push_str(&sql[copied..tokens[first].start as usize]);
            out.push_str(&text);
            copied = tokens[last].end as usize;
            i = last + 1;
        } else {
            i += 1;
        }
    }
    out.push_str(&sql[copied..]);
    out
}

/// The name an identifier token stands for, or None for other tokens.
fn identifier(sql: &str, token: &ScanToken) -> Option<String> {
    let text = sql.get(token.start as usize..token.end as usize)?;
    if token.token == Token::Ident as i32 {
        return Some(
            match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                Some(quoted) => quoted.replace("\"\"", "\""),
                None => text.to_lowercase(),
            },
        );
    }
    (token.keyword_kind != KeywordKind::NoKeyword as i32
        && token.keyword_kind != KeywordKind::ReservedKeyword as i32)
        .then(|| text.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn column_references_are_renamed_but_types_and_functions_are_not() {
        let renames = cols(&[("body", "content"), ("name", "Full Name"), ("lower", "x")]);
        assert_eq!(
            rename_columns("CHECK ((length(body) > 0))", &renames),
            "CHECK ((length(content) > 0))"
        );
        assert_eq!(
            rename_columns("(name = (CURRENT_USER)::name)", &renames),
            "(\"Full Name\" = (CURRENT_USER)::name)"
        );
        assert_eq!(rename_columns("lower(body)", &renames), "lower(content)");
        assert_eq!(
            rename_columns("(\"body\" <> 'body'::text)", &renames),
            "(content <> 'body'::text)"
        );
    }

    #[test]
    fn references_to_renamed_tables_and_their_columns_are_rewritten() {
        let renames = Renames {
            tables: [(
                QualifiedName::new("app", "customers"),
                QualifiedName::new("app", "Clients"),
            )]
            .into(),
            columns: [(
                QualifiedName::new("app", "users"),
                cols(&[("code", "handle")]),
            )]
            .into(),
        };
        assert_eq!(
            rename_references(
                "FOREIGN KEY (customer_id) REFERENCES app.customers(id)",
                &renames
            ),
            "FOREIGN KEY (customer_id) REFERENCES app.\"Clients\"(id)"
        );
        assert_eq!(
            rename_references(
                "FOREIGN KEY (code) REFERENCES app.users(id, code) ON DELETE CASCADE",
                &renames
            ),
            "FOREIGN KEY (code) REFERENCES app.users(id, handle) ON DELETE CASCADE"
        );
        assert_eq!(
            rename_references("FOREIGN KEY (x) REFERENCES app.other(code)", &renames),
            "FOREIGN KEY (x) REFERENCES app.other(code)"
        );
    }
}
