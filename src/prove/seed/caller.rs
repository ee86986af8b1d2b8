//! The caller in seeded rows: which columns a table's policies compare with
//! the acting user (`creator_id = auth.uid()`), so that the seeded row points
//! at the user of its tenant, and whether its triggers read the request
//! context, so that the row is written with that context set.

use serde_json::Value;

use crate::catalog::{Function, FunctionBody, Table};
use crate::spec::declaration::Impersonation;

/// Words that name the acting user in SQL: `auth.uid`, the settings and claims
/// the impersonation profile fills with `{user}`, and the functions whose bodies
/// read one of those.
#[derive(Debug, Clone, Default)]
pub struct CallerWords {
    user: Vec<String>,
    context: Vec<String>,
}

impl CallerWords {
    /// The words of `profile` over `catalog`'s functions.
    pub fn new(profile: &Impersonation, functions: &[Function]) -> CallerWords {
        let mut user = vec!["auth.uid".to_string(), "current_user_id".to_string()];
        let mut context = vec![
            "current_setting".to_string(),
            "request.jwt".to_string(),
            "auth.".to_string(),
        ];
        for (name, value) in &profile.settings {
            context.push(name.clone());
            if value.contains("{user}") {
                user.push(name.clone());
            }
        }
        if let Some(Value::Object(claims)) = &profile.jwt {
            for (k, v) in claims {
                if v.as_str().is_some_and(|s| s.contains("{user}")) {
                    user.push(format!("'{k}'"));
                    user.push(format!("request.jwt.claim.{k}"));
                }
            }
        }
        // One level of helpers: `app.current_user_id()` reading `app.user_id`.
        let helpers: Vec<String> = functions
            .iter()
            .filter(|f| user.iter().any(|w| body(f).contains(w.as_str())))
            .map(|f| f.name.name.clone())
            .collect();
        user.extend(helpers);
        CallerWords { user, context }
    }

    fn names_user(&self, sql: &str) -> bool {
        self.user.iter().any(|w| sql.contains(w.as_str()))
    }

    /// Whether a trigger of `table` runs a function that reads the request context.
    pub fn triggers_read_context(&self, table: &Table, functions: &[Function]) -> bool {
        table.triggers.iter().any(|t| {
            functions
                .iter()
                .find(|f| f.name == t.function)
                .is_some_and(|f| self.context.iter().any(|w| body(f).contains(w.as_str())))
        })
    }

    /// Columns of `table` that a policy compares with the acting user.
    pub fn compared_columns(&self, table: &Table) -> Vec<String> {
        let mut out = Vec::new();
        for policy in &table.policies {
            for expr in [&policy.using, &policy.with_check].into_iter().flatten() {
                let Ok(parsed) = pg_query::parse(&format!("SELECT {expr}"), 0) else {
                    continue;
                };
                let Ok(json) = serde_json::to_value(&parsed.protobuf) else {
                    continue;
                };
                self.equalities(&json, &mut out);
            }
        }
        out.retain(|c| table.column(c).is_some());
        out
    }

    fn equalities(&self, value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if key == "AExpr" && operator(child) == Some("=") {
                        let sides = [child.get("lexpr"), child.get("rexpr")];
                        for (mine, theirs) in [(sides[0], sides[1]), (sides[1], sides[0])] {
                            if let (Some(column), Some(other)) =
                                (mine.and_then(bare_column), theirs)
                                && self.names_user(&words(other))
                                && !out.contains(&column)
                            {
                                out.push(column);
                            }
                        }
                    }
                    self.equalities(child, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.equalities(v, out)),
            _ => {}
        }
    }
}

/// The function names (dotted) and quoted string constants of a tree, the
/// words `CallerWords` looks for.
fn words(value: &Value) -> String {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if key == "FuncCall" {
                        let name: Vec<&str> = child
                            .get("funcname")
                            .and_then(Value::as_array)
                            .map(|n| {
                                n.iter()
                                    .filter_map(|n| n.pointer("/node/String/sval")?.as_str())
                                    .collect()
                            })
                            .unwrap_or_default();
                        out.push(name.join("."));
                    }
                    if key == "AConst"
                        && let Some(s) = child.pointer("/val/Sval/sval").and_then(Value::as_str)
                    {
                        out.push(format!("'{s}'"));
                        out.push(s.to_string());
                    }
                    walk(child, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut out);
    out.join(" ")
}

/// The columns the schema's logic gives meaning to (lowercased): every word of
/// a policy and of a trigger function's body (they decide what a row may be and
/// who sees it), and in other function bodies the words compared with a string
/// constant (`status = 'active'`, `'owner' = role`, `kind in ('a', 'b')`): a
/// leaking function that filters on such a value must still find the copy.
pub fn words_in_logic(
    tables: &[Table],
    functions: &[Function],
) -> std::collections::HashSet<String> {
    let policies = tables
        .iter()
        .flat_map(|t| &t.policies)
        .flat_map(|p| [&p.using, &p.with_check])
        .flatten()
        .map(String::as_str);
    let bodies = functions
        .iter()
        .map(|f| (body(f), f.result.as_deref() == Some("trigger")));
    logic_words(policies, bodies)
}

fn logic_words<'s>(
    policies: impl Iterator<Item = &'s str>,
    bodies: impl Iterator<Item = (&'s str, bool)>,
) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for e in policies {
        out.extend(tokens(e).into_iter().filter(|w| is_word(w)));
    }
    let compares = |t: Option<&String>| {
        t.is_some_and(|t| {
            matches!(
                t.as_str(),
                "=" | "<>" | "!=" | "~" | "~*" | "like" | "ilike" | "in"
            )
        })
    };
    let literal = |t: Option<&String>| t.is_some_and(|t| t == "'");
    for (body, trigger) in bodies {
        let tokens = tokens(body);
        if trigger {
            out.extend(tokens.into_iter().filter(|w| is_word(w)));
            continue;
        }
        for (i, w) in tokens.iter().enumerate() {
            if !is_word(w) {
                continue;
            }
            let after = compares(tokens.get(i + 1))
                && (literal(tokens.get(i + 2))
                    || (tokens.get(i + 2).is_some_and(|t| t == "(") && literal(tokens.get(i + 3))));
            let before = i >= 2 && compares(tokens.get(i - 1)) && literal(tokens.get(i - 2));
            if after || before {
                out.insert(w.clone());
            }
        }
    }
    out
}

fn is_word(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

/// SQL text as tokens: lowercased words, `'` for a string constant, runs of
/// operator characters, and single punctuation.
fn tokens(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() || c == '_' {
            let mut w = c.to_ascii_lowercase().to_string();
            while let Some(&n) = chars.peek() {
                if !(n.is_ascii_alphanumeric() || n == '_') {
                    break;
                }
                w.push(n.to_ascii_lowercase());
                chars.next();
            }
            out.push(w);
        } else if c == '\'' {
            // A string constant; '' inside it is part of it.
            while let Some(n) = chars.next() {
                if n == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                        continue;
                    }
                    break;
                }
            }
            out.push("'".into());
        } else if "=<>!~*".contains(c) {
            let mut op = c.to_string();
            while let Some(&n) = chars.peek() {
                if !"=<>!~*".contains(n) {
                    break;
                }
                op.push(n);
                chars.next();
            }
            out.push(op);
        } else if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    out
}

fn body(f: &Function) -> &str {
    match &f.body {
        FunctionBody::Source(s) | FunctionBody::SqlStandard(s) => s,
    }
}

fn operator(a_expr: &Value) -> Option<&str> {
    a_expr
        .get("name")?
        .as_array()?
        .last()?
        .pointer("/node/String/sval")?
        .as_str()
}

/// `col` or `t.col` (possibly cast) as its column name.
fn bare_column(node: &Value) -> Option<String> {
    let inner = node.get("node")?;
    if let Some(cast) = inner.get("TypeCast") {
        return bare_column(cast.get("arg")?);
    }
    let fields = inner.get("ColumnRef")?.get("fields")?.as_array()?;
    fields
        .last()?
        .pointer("/node/String/sval")?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    #[test]
    fn logic_words_are_policy_words_and_columns_compared_with_constants() {
        let body = "select title from app.docs w where w.status = 'it''s' and 'owner' = role \
                    and kind in ('a') and title like p_q and Name = p_name";
        let words = logic_words(
            ["org_id = app.org()"].into_iter(),
            [
                (body, false),
                ("begin new.slug := lower(new.slug); end", true),
            ]
            .into_iter(),
        );
        for w in ["org_id", "app", "status", "role", "kind", "slug", "new"] {
            assert!(words.contains(w), "{w} in {words:?}");
        }
        for w in ["title", "name", "docs", "s", "it"] {
            assert!(!words.contains(w), "{w} not in {words:?}");
        }
    }

    use super::*;

    fn words() -> CallerWords {
        let profile = Impersonation {
            role: Some("authenticated".into()),
            settings: vec![("app.user_id".into(), "{user}".into())],
            jwt: Some(serde_json::json!({ "sub": "{user}" })),
            setup: Vec::new(),
            login: None,
            removed: Vec::new(),
        };
        CallerWords::new(&profile, &[])
    }

    #[test]
    fn a_column_compared_with_the_user_is_found() {
        let w = words();
        let json = |e: &str| {
            serde_json::to_value(pg_query::parse(&format!("SELECT {e}"), 0).unwrap().protobuf)
                .unwrap()
        };
        let mut out = Vec::new();
        w.equalities(&json("(creator_id = auth.uid()) OR is_public"), &mut out);
        w.equalities(
            &json("(current_setting('app.user_id', true))::uuid = owner"),
            &mut out,
        );
        w.equalities(
            &json("tenant_id = current_setting('app.tenant_id')::uuid"),
            &mut out,
        );
        assert_eq!(out, ["creator_id", "owner"]);
    }
}
