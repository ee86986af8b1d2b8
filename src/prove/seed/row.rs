//! Rows as SQL and JSON: the insert that writes a row, values of built-in
//! types, the key and user columns of a table, fresh values shaped like old
//! ones, and the SQL that sets and empties a user's request context.

use rand::RngExt;
use serde_json::{Map, Value};

use super::Row;
use crate::catalog::{ConstraintKind, Table};
use crate::prove::impersonate::Principal;
use crate::sql::{QualifiedName, quote_ident, quote_literal};

/// A fresh value of a built-in type as `format_type` prints it, as JSON.
pub(super) fn scalar(data_type: &str) -> Option<Value> {
    let id = uuid::Uuid::new_v4();
    let n = (id.as_u128() % 30_000) as u64 + 1;
    let hex = id.simple().to_string();
    let base = data_type.split('(').next().unwrap_or(data_type).trim();
    let limit = data_type.split('(').nth(1).and_then(|s| {
        s.trim_end_matches(')')
            .split(',')
            .next()?
            .trim()
            .parse::<usize>()
            .ok()
    });
    let value = match base {
        "uuid" => Value::String(id.to_string()),
        "text" | "citext" | "name" | "character varying" | "character" => match limit {
            Some(l) => Value::String(hex.chars().take(l).collect()),
            None => Value::String(format!("r{}@rlsctl.test", &hex[..10])),
        },
        "integer" | "bigint" | "smallint" | "real" | "double precision" => Value::from(n),
        // numeric(p, s): stay below 10^(p-s).
        "numeric" if limit.is_some() => Value::from(1 + n % 9),
        "numeric" => Value::from(n),
        "boolean" => Value::Bool(false),
        "date" => Value::String("2024-01-02".into()),
        "timestamp with time zone" | "timestamp without time zone" => {
            Value::String("2024-01-02T03:04:05+00:00".into())
        }
        "time without time zone" | "time with time zone" => Value::String("12:00:00".into()),
        "interval" => Value::String("1 day".into()),
        "json" | "jsonb" => Value::Object(Map::new()),
        "inet" | "cidr" => Value::String("10.0.0.1".into()),
        "bytea" => Value::String("\\x00".into()),
        _ if data_type.ends_with("[]") => Value::Array(Vec::new()),
        _ => return None,
    };
    Some(value)
}

/// Whether values of `data_type` are free text (a redrawn copy keeps its length).
pub(super) fn is_free_text(data_type: &str) -> bool {
    let base = data_type.split('(').next().unwrap_or(data_type).trim();
    matches!(base, "text" | "citext" | "character varying")
}

/// `insert into T as alias (cols) select cols from jsonb_populate_record(null::T, json) <tail>`.
pub fn insert_sql(name: &QualifiedName, values: &Row, alias: &str, tail: &str) -> String {
    let cols: Vec<String> = values.keys().map(|k| quote_ident(k)).collect();
    if cols.is_empty() {
        return format!(
            "insert into {} as {alias} default values {tail}",
            name.sql()
        );
    }
    let list = cols.join(", ");
    // A map of JSON values always serializes (its keys are strings).
    let json = serde_json::to_string(values).unwrap_or_default();
    let table = name.sql();
    format!(
        "insert into {table} as {alias} ({list}) select {list} from jsonb_populate_record(null::{table}, {}::jsonb) {tail}",
        quote_literal(&json)
    )
    .trim_end()
    .to_string()
}

pub(super) fn parse_row(text: Option<&String>) -> Result<Row, String> {
    match text.map(|t| serde_json::from_str::<Value>(t)) {
        Some(Ok(Value::Object(row))) => Ok(row),
        _ => Err("the insert returned no row".into()),
    }
}

/// Columns that name the acting user (`user_id`, `owner_id`, `default auth.uid()`).
pub fn is_user_column(name: &str, default: Option<&str>) -> bool {
    let d = default.unwrap_or("");
    d.contains("auth.uid()")
        || d.contains("current_user_id")
        || matches!(
            name,
            "user_id" | "owner_id" | "author_id" | "created_by" | "profile_id"
        )
}

/// A JSON value as PostgreSQL's `->>` prints it.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Column lists of the unique indexes (primary key included) on plain columns.
pub fn unique_keys(table: &Table) -> Vec<Vec<String>> {
    table
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none())
        .filter_map(|i| {
            i.keys
                .iter()
                .map(|k| match &k.part {
                    crate::catalog::IndexPart::Column(c) => Some(c.clone()),
                    crate::catalog::IndexPart::Expression(_) => None,
                })
                .collect::<Option<Vec<String>>>()
        })
        .collect()
}

/// Columns whose values must differ between two rows: primary key, unique and
/// exclusion constraints, and unique indexes (also the columns their
/// expressions read: `lower(email)`).
pub fn key_columns(table: &Table) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &table.constraints {
        if matches!(
            c.kind,
            ConstraintKind::PrimaryKey | ConstraintKind::Unique | ConstraintKind::Exclusion
        ) {
            out.extend(c.columns.iter().cloned());
        }
    }
    for index in table.indexes.iter().filter(|i| i.unique) {
        for key in &index.keys {
            match &key.part {
                crate::catalog::IndexPart::Column(c) => out.push(c.clone()),
                crate::catalog::IndexPart::Expression(e) => {
                    if let Ok(parsed) = crate::sql::parse::parse_expression(e) {
                        out.extend(parsed.bare_column_refs());
                    }
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A new value shaped like `old`: each letter and digit replaced by another
/// of its kind, so that formats (an e-mail, a code) survive; a uuid anew.
pub(super) fn mutate(old: &Value, data_type: &str) -> Value {
    let mut rng = rand::rng();
    match old {
        Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => {
            Value::String(uuid::Uuid::new_v4().to_string())
        }
        Value::String(s) => Value::String(
            s.chars()
                .map(|c| {
                    if c.is_ascii_lowercase() {
                        (b'a' + rng.random_range(0..26u8)) as char
                    } else if c.is_ascii_uppercase() {
                        (b'A' + rng.random_range(0..26u8)) as char
                    } else if c.is_ascii_digit() {
                        (b'0' + rng.random_range(0..10u8)) as char
                    } else {
                        c
                    }
                })
                .collect(),
        ),
        Value::Number(_) => scalar(data_type).unwrap_or_else(|| old.clone()),
        other => other.clone(),
    }
}

/// SQL that sets `user`'s request context (settings and claims, not the role),
/// and SQL that sets every one of those settings to `''` again.
pub fn context_sql(user: &Principal) -> (String, String) {
    let mut settings = Principal {
        role: None,
        ..user.clone()
    };
    let set = settings.become_sql();
    let mut names: Vec<String> = settings.settings.iter().map(|(k, _)| k.clone()).collect();
    if let Some(jwt) = &settings.jwt {
        names.push("request.jwt.claims".into());
        if let Ok(Value::Object(claims)) = serde_json::from_str::<Value>(jwt) {
            names.extend(claims.keys().map(|k| format!("request.jwt.claim.{k}")));
        }
    }
    settings.settings = names.into_iter().map(|n| (n, String::new())).collect();
    settings.jwt = None;
    (set, settings.become_sql())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prove::impersonate::Principal;

    #[test]
    fn scalars_fit_their_type_modifiers() {
        assert_eq!(
            scalar("character(2)").and_then(|v| v.as_str().map(str::len)),
            Some(2)
        );
        assert_eq!(
            scalar("character varying(3)").and_then(|v| v.as_str().map(str::len)),
            Some(3)
        );
        assert!(
            scalar("numeric(5,2)")
                .and_then(|v| v.as_u64())
                .is_some_and(|n| n < 10)
        );
        assert!(
            scalar("text")
                .and_then(|v| v.as_str().map(|s| s.contains('@')))
                .unwrap_or(false)
        );
        assert_eq!(scalar("text[]"), Some(Value::Array(Vec::new())));
        assert_eq!(
            scalar("app.mood"),
            None,
            "enums and domains are asked of PostgreSQL"
        );
    }

    #[test]
    fn insert_sql_quotes_names_and_values() {
        let mut row = Row::new();
        row.insert("Name".into(), Value::String("o'brien".into()));
        let sql = insert_sql(&QualifiedName::new("app", "t"), &row, "r", "");
        assert_eq!(
            sql,
            r#"insert into app.t as r ("Name") select "Name" from jsonb_populate_record(null::app.t, '{"Name":"o''brien"}'::jsonb)"#
        );
    }

    #[test]
    fn user_columns_are_recognised_by_name_or_default() {
        assert!(is_user_column("owner_id", None));
        assert!(is_user_column("created", Some("auth.uid()")));
        assert!(!is_user_column("id", Some("gen_random_uuid()")));
    }

    #[test]
    fn the_context_is_set_without_the_role_and_emptied_again() {
        let profile = crate::spec::declaration::Impersonation {
            role: Some("authenticated".into()),
            settings: vec![("app.tenant_id".into(), "{tenant}".into())],
            jwt: Some(serde_json::json!({ "sub": "{user}" })),
            setup: Vec::new(),
            login: None,
            removed: Vec::new(),
        };
        let user = Principal::user("user of A", &profile, None, "t-a", "u-1");
        let (set, reset) = context_sql(&user);
        assert!(
            set.contains("set_config('request.jwt.claim.sub', 'u-1', true)"),
            "{set}"
        );
        assert!(!set.contains("role"), "{set}");
        for name in [
            "app.tenant_id",
            "request.jwt.claims",
            "request.jwt.claim.sub",
        ] {
            assert!(
                reset.contains(&format!("set_config('{name}', '', true)")),
                "{reset}"
            );
        }
    }

    #[test]
    fn mutated_values_keep_their_shape() {
        let Value::String(s) = mutate(&Value::String("Ab-12@x.io".into()), "text") else {
            panic!("a string");
        };
        assert_eq!(s.len(), 10);
        assert!(s.chars().next().is_some_and(|c| c.is_ascii_uppercase()));
        assert_eq!(&s[2..3], "-");
        assert!(s[3..5].chars().all(|c| c.is_ascii_digit()));
        assert_eq!(&s[5..6], "@");
    }
}
