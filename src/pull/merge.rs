//! A re-pull updates files in place: the existing file is read with
//! `toml_edit`, values that changed are replaced (keeping the comments around
//! them), keys the database no longer has are removed and new ones appended,
//! so the comments a team wrote survive. `unified_diff` shows the change.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, TableLike, Value};

/// `existing` updated to say what `pulled` says; an error when `existing` is
/// not TOML.
pub fn merge(existing: &str, pulled: &str) -> Result<String, toml_edit::TomlError> {
    let mut doc: DocumentMut = existing.parse()?;
    let new: DocumentMut = pulled.parse()?;
    merge_table(doc.as_table_mut(), new.as_table());
    Ok(doc.to_string())
}

/// Keys a database does not say, so pull never writes them: what a person
/// added under them (tests, identities, impersonation setup, samples, renames,
/// audit settings, the dev server) survives a re-pull.
const KEPT: &[&str] = &[
    "test",
    "identities",
    "audit",
    "audit_log",
    "samples",
    "sample",
    "renamed_from",
    "renamed_values",
    "dev_url",
    "default_schema",
    "manage_roles",
    "setup",
    "settings",
    "current",
];

fn merge_table(old: &mut dyn TableLike, new: &dyn TableLike) {
    let gone: Vec<String> = old
        .iter()
        .filter(|(k, _)| !new.contains_key(k) && !KEPT.contains(k))
        .map(|(k, _)| k.to_string())
        .collect();
    for key in gone {
        old.remove(&key);
    }
    for (key, item) in new.iter() {
        match old.get_mut(key) {
            Some(existing) => merge_item(existing, item),
            None => {
                old.insert(key, item.clone());
            }
        }
    }
}

fn merge_item(old: &mut Item, new: &Item) {
    match (old, new) {
        (Item::Table(o), Item::Table(n)) => merge_table(o, n),
        (Item::Value(Value::InlineTable(o)), Item::Value(Value::InlineTable(n))) => {
            merge_table(o, n);
        }
        (Item::ArrayOfTables(o), Item::ArrayOfTables(n)) => merge_array(o, n),
        (Item::Value(o), Item::Value(n)) => {
            // A reason a person wrote in place of pull's TODO stays.
            let placeholder = n.as_str().is_some_and(|s| s.starts_with("TODO"));
            if placeholder && o.as_str().is_some() {
                return;
            }
            if !same_value(o, n) {
                let decor = o.decor().clone();
                *o = n.clone();
                *o.decor_mut() = decor;
            }
        }
        (o, n) => *o = n.clone(),
    }
}

/// Entries of `[[policy]]` are matched by table and name, so a comment stays
/// with its policy when others come or go.
fn merge_array(old: &mut ArrayOfTables, new: &ArrayOfTables) {
    let identity = |t: &Table| {
        (
            t.get("table").and_then(Item::as_str).map(str::to_string),
            t.get("name").and_then(Item::as_str).map(str::to_string),
        )
    };
    let mut merged = ArrayOfTables::new();
    for n in new.iter() {
        let id = identity(n);
        let found = old.iter().position(|o| identity(o) == id && id.1.is_some());
        match found {
            Some(i) => {
                let mut table = old.get(i).cloned().unwrap_or_default();
                merge_table(&mut table, n);
                merged.push(table);
            }
            None => merged.push(n.clone()),
        }
    }
    *old = merged;
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_value(p, q))
        }
        (Value::InlineTable(x), Value::InlineTable(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Float(x), Value::Float(y)) => x.value() == y.value(),
        (x, y) => x.to_string().trim() == y.to_string().trim(),
    }
}

/// The unified diff of one file, `--- a/path` / `+++ b/path`; empty when equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repull_keeps_comments_and_changes_only_what_changed() {
        let existing = "# the app's tables\n[tables.t]\npublic = \"price list\"   # why\ncolumns.id = { type = \"integer\" }  # the key\ncolumns.gone = { type = \"text\" }\n";
        let pulled = "[tables.t]\npublic = \"TODO\"\ncolumns.id = { type = \"bigint\" }\ncolumns.new = { type = \"text\" }\n";
        let merged = merge(existing, pulled).unwrap();
        assert!(merged.contains("# the app's tables"), "{merged}");
        assert!(merged.contains("# the key"), "{merged}");
        assert!(merged.contains("bigint"), "{merged}");
        assert!(!merged.contains("gone"), "{merged}");
        assert!(merged.contains("columns.new"), "{merged}");
    }

    #[test]
    fn policies_are_matched_by_table_and_name() {
        let existing = "[[policy]]\ntable = \"t\"\nname = \"a\"\nusing = \"true\" # keep\n\n[[policy]]\ntable = \"t\"\nname = \"b\"\nusing = \"false\"\n";
        let pulled = "[[policy]]\ntable = \"t\"\nname = \"a\"\nusing = \"true\"\n";
        let merged = merge(existing, pulled).unwrap();
        assert!(merged.contains("# keep"), "{merged}");
        assert!(!merged.contains("name = \"b\""), "{merged}");
    }

    #[test]
    fn what_a_person_added_that_pull_never_writes_survives() {
        let existing = "[tenancy.impersonate]\nrole = \"app_user\"\nsetup = [\"insert into m values (1)\"]\n\n[identities.alice]\nrole = \"app_user\"\n\n[[test]]\nname = \"x\"\n";
        let pulled = "[tenancy.impersonate]\nrole = \"app_user\"\n";
        let merged = merge(existing, pulled).unwrap();
        assert!(merged.contains("setup = ["), "{merged}");
        assert!(merged.contains("[identities.alice]"), "{merged}");
        assert!(merged.contains("[[test]]"), "{merged}");
    }

    #[test]
    fn an_unchanged_file_has_no_diff() {
        assert_eq!(unified_diff("x", "a\n", "a\n"), "");
        assert!(unified_diff("x", "a\n", "b\n").contains("+b"));
    }
}
