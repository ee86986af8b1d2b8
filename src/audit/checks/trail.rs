//! What the AUD checks share: finding the audit logs of a database that were
//! written by hand (issue 15). A table is an audit log when
//!
//! - a trigger function attached to another table inserts into it and either
//!   its body reads `TG_OP` (it records what happened) or the table's name says
//!   so (`audit`, `history`, `_log`, `journal`, `trail`, `activity`), or
//! - its name contains `audit` (a log the application writes itself).
//!
//! A trigger function that inserts into `profiles` on sign-up reads no `TG_OP`
//! and names no log: it is not taken for one.

use super::Context;
use crate::catalog::{Catalog, Function, FunctionBody, QualifiedName, Table};

/// One audit log and the trigger functions that write it.
pub struct AuditLog<'c> {
    /// The log.
    pub table: &'c Table,
    /// Trigger functions attached to other tables that insert into it.
    pub writers: Vec<&'c Function>,
}

/// The audit logs of the scanned schemas, by table name.
pub fn audit_logs<'c>(cx: &Context<'c>) -> Vec<AuditLog<'c>> {
    let catalog: &'c Catalog = cx.catalog;
    let attached: Vec<(&QualifiedName, &QualifiedName)> = catalog
        .tables
        .iter()
        .flat_map(|t| t.triggers.iter().map(move |tr| (&t.name, &tr.function)))
        .collect();
    let mut logs: Vec<AuditLog<'c>> = Vec::new();
    for f in &catalog.functions {
        if f.result.as_deref() != Some("trigger") {
            continue;
        }
        let FunctionBody::Source(body) = &f.body else {
            continue;
        };
        let records_op = body.to_lowercase().contains("tg_op");
        for target in insert_targets(body) {
            for table in resolve(cx, f, &target) {
                let on_other_table = attached
                    .iter()
                    .any(|(on, function)| **function == f.name && **on != table.name);
                if !on_other_table || !(records_op || log_like(&table.name.name)) {
                    continue;
                }
                match logs.iter_mut().find(|l| l.table.name == table.name) {
                    Some(log) => {
                        if !log.writers.iter().any(|w| std::ptr::eq(*w, f)) {
                            log.writers.push(f);
                        }
                    }
                    None => logs.push(AuditLog {
                        table,
                        writers: vec![f],
                    }),
                }
            }
        }
    }
    for table in &catalog.tables {
        if table.name.name.to_lowercase().contains("audit")
            && !logs.iter().any(|l| l.table.name == table.name)
        {
            logs.push(AuditLog {
                table,
                writers: Vec::new(),
            });
        }
    }
    logs.sort_by(|a, b| a.table.name.cmp(&b.table.name));
    logs
}

/// Whether a table's name says it is a log.
fn log_like(name: &str) -> bool {
    let name = name.to_lowercase();
    ["audit", "history", "journal", "trail", "activity"]
        .iter()
        .any(|w| name.contains(w))
        || name.ends_with("_log")
        || name.ends_with("_logs")
        || name == "log"
        || name == "logs"
}

/// The tables `target` names, as the function would resolve it: a qualified
/// name exactly; an unqualified one in the schemas of the function's pinned
/// `search_path`, else in any scanned schema.
fn resolve<'c>(
    cx: &Context<'c>,
    f: &Function,
    target: &(Option<String>, String),
) -> Vec<&'c Table> {
    let (schema, name) = target;
    let path: Option<Vec<String>> = f.pinned_search_path().map(|p| {
        p.split(',')
            .map(|s| s.trim().trim_matches('"').to_string())
            .filter(|s| !s.is_empty())
            .collect()
    });
    let catalog: &'c Catalog = cx.catalog;
    catalog
        .tables
        .iter()
        .filter(|t| t.name.name == *name)
        .filter(|t| match (schema, &path) {
            (Some(s), _) => t.name.schema == *s,
            (None, Some(path)) => path.contains(&t.name.schema),
            (None, None) => true,
        })
        .collect()
}

/// Every `INSERT INTO [schema.]name` of a function body, names as PostgreSQL
/// folds them (unquoted lowercased, quoted kept).
pub fn insert_targets(body: &str) -> Vec<(Option<String>, String)> {
    let lower = body.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("insert") {
        let at = from + found;
        from = at + "insert".len();
        if at > 0 && is_word(bytes[at - 1]) {
            continue;
        }
        let mut i = skip_space(bytes, from);
        if i == from || !lower[i..].starts_with("into") {
            continue;
        }
        i += "into".len();
        let j = skip_space(bytes, i);
        if j == i {
            continue;
        }
        let Some((first, after)) = identifier(body, j) else {
            continue;
        };
        let k = skip_space(bytes, after);
        if bytes.get(k) == Some(&b'.') {
            let l = skip_space(bytes, k + 1);
            if let Some((second, _)) = identifier(body, l) {
                out.push((Some(first), second));
            }
        } else {
            out.push((None, first));
        }
    }
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// An identifier starting at byte `i`: `"Quoted ""x"""` kept, `plain` lowercased.
fn identifier(text: &str, i: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(i) == Some(&b'"') {
        let mut out = String::new();
        let mut j = i + 1;
        while j < bytes.len() {
            if bytes[j] == b'"' {
                if bytes.get(j + 1) == Some(&b'"') {
                    out.push('"');
                    j += 2;
                    continue;
                }
                return Some((out, j + 1));
            }
            let c = text[j..].chars().next()?;
            out.push(c);
            j += c.len_utf8();
        }
        return None;
    }
    let mut j = i;
    while j < bytes.len() && is_word(bytes[j]) {
        j += 1;
    }
    (j > i && !bytes[i].is_ascii_digit()).then(|| (text[i..j].to_ascii_lowercase(), j))
}

/// Whether `body` names `word` (case-insensitive, whole word).
pub fn mentions_word(body: &str, word: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(found) = lower[from..].find(word) {
        let at = from + found;
        let end = at + word.len();
        from = end;
        let before = at == 0 || !is_word(bytes[at - 1]);
        let after = end >= bytes.len() || !is_word(bytes[end]);
        if before && after {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_targets_are_found_qualified_quoted_and_plain() {
        let body = "begin
  INSERT INTO app.audit_log (a) values (1);
  insert   into\n\"App\".\"Audit Log\" values (2);
  insert into history select 1;
  reinsert into nothing;
  -- a literal 'insert into' alone is skipped: no name after it
end";
        assert_eq!(
            insert_targets(body),
            vec![
                (Some("app".to_string()), "audit_log".to_string()),
                (Some("App".to_string()), "Audit Log".to_string()),
                (None, "history".to_string()),
            ]
        );
    }

    #[test]
    fn words_are_whole() {
        assert!(mentions_word("values (CURRENT_USER, 1)", "current_user"));
        assert!(!mentions_word("values (my_current_user)", "current_user"));
        assert!(!mentions_word("current_users", "current_user"));
    }

    #[test]
    fn log_names() {
        for name in [
            "audit_trail",
            "activity",
            "change_log",
            "logs",
            "order_history",
        ] {
            assert!(log_like(name), "{name}");
        }
        for name in ["profiles", "logins", "catalog"] {
            assert!(!log_like(name), "{name}");
        }
    }
}
