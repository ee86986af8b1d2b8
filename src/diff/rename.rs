//! The current side as PostgreSQL will show it once the declared renames ran.
//! PostgreSQL follows a rename everywhere (constraints, indexes, policies,
//! defaults and foreign keys elsewhere refer to the object, not its name), so
//! comparing the pre-rename text with the declaration would drop and rebuild
//! everything that mentions a renamed table or column. The text is what
//! PostgreSQL printed; identifiers in it are found with its own scanner.

use std::collections::BTreeMap;

use pg_query::protobuf::{KeywordKind, ScanToken, Token};

use crate::catalog::{Generated, IndexPart, QualifiedName, Table};
use crate::sql::quote_ident;

/// `have` after the renames: named `name`, with `columns` (old, new) renamed in
/// its columns and every expression, and references to renamed tables
/// (`tables`, old → new) rewritten in its foreign keys.
pub(super) fn after(
    have: &Table,
    name: &QualifiedName,
    columns: &[(String, String)],
    tables: &BTreeMap<QualifiedName, QualifiedName>,
) -> Table {
    let mut t = have.clone();
    t.name = name.clone();
    if columns.is_empty() && tables.is_empty() {
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
        c.definition = rename_tables(&expr(&c.definition), tables);
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
    for p in &mut t.policies {
        p.using = p.using.as_deref().map(expr);
        p.with_check = p.with_check.as_deref().map(expr);
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

/// `schema.table` references to renamed tables (as foreign keys print them).
fn rename_tables(sql: &str, tables: &BTreeMap<QualifiedName, QualifiedName>) -> String {
    if tables.is_empty() {
        return sql.to_string();
    }
    rewrite(sql, |tokens, i| {
        let (schema, dot, table) = (tokens.get(i)?, tokens.get(i + 1)?, tokens.get(i + 2)?);
        if dot.token != Token::Ascii46 as i32 {
            return None;
        }
        let old = QualifiedName::new(&identifier(sql, schema)?, &identifier(sql, table)?);
        tables.get(&old).map(|new| (i, i + 2, new.to_string()))
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
    fn references_to_renamed_tables_are_rewritten() {
        let tables = [(
            QualifiedName::new("app", "customers"),
            QualifiedName::new("app", "Clients"),
        )]
        .into();
        assert_eq!(
            rename_tables(
                "FOREIGN KEY (customer_id) REFERENCES app.customers(id)",
                &tables
            ),
            "FOREIGN KEY (customer_id) REFERENCES app.\"Clients\"(id)"
        );
        assert_eq!(
            rename_tables("FOREIGN KEY (x) REFERENCES app.other(id)", &tables),
            "FOREIGN KEY (x) REFERENCES app.other(id)"
        );
    }
}
