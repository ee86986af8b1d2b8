//! What a CHECK, a domain's check or a partition bound asks of a column, read
//! from the expression PostgreSQL printed (`pg_get_constraintdef`,
//! `pg_get_partition_constraintdef`) as a pg_query tree: the top-level AND is
//! split into conjuncts, and each conjunct that reads one column yields the
//! literals and regular expressions it mentions. The conjunct's SQL is kept so
//! that PostgreSQL itself judges candidate values (see `valid`).

use pg_query::NodeEnum;
use pg_query::protobuf::{BoolExprType, Node};
use serde_json::Value;

/// One AND-ed part of a constraint that reads exactly one column.
#[derive(Debug, Clone, PartialEq)]
pub struct Conjunct {
    /// The column it reads (`value` for a domain's check).
    pub column: String,
    /// The conjunct as SQL, printed back by pg_query.
    pub sql: String,
    /// Constants it mentions, with the type they are cast to when printed with one.
    pub literals: Vec<Literal>,
    /// Regular expressions the column is matched against (`~`, `~*`, `LIKE`).
    pub patterns: Vec<Pattern>,
    /// Whether it is a hash partition's bound (`satisfies_hash_partition`).
    pub hash: bool,
}

/// A constant of a constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    /// Its text (`'2024-01-01'` → `2024-01-01`, `5` → `5`).
    pub text: String,
    /// Whether it was written as a number.
    pub number: bool,
    /// The type it is cast to (`date`, `text`), when any.
    pub cast: Option<String>,
}

/// A regular expression a column must match.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// The expression, in PostgreSQL's syntax (LIKE patterns are translated).
    pub regex: String,
    /// `~*` / `ILIKE`.
    pub case_insensitive: bool,
}

/// The single-column conjuncts of `definition` (a `CHECK (...)` as printed,
/// or a bare boolean expression); conjuncts over several columns are left to
/// the insert itself to judge.
pub fn conjuncts(definition: &str) -> Vec<Conjunct> {
    let text = definition.trim();
    let text = text.strip_suffix("NOT VALID").unwrap_or(text).trim();
    let text = text.strip_prefix("CHECK").unwrap_or(text).trim();
    let text = text.strip_suffix("NO INHERIT").unwrap_or(text).trim();
    let Some(root) = expression(text) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    split_and(root, &mut parts);
    parts
        .into_iter()
        .filter_map(|node| {
            let json = serde_json::to_value(&node).ok()?;
            let mut columns = Vec::new();
            column_refs(&json, &mut columns);
            let [column] = columns.as_slice() else {
                return None;
            };
            let mut literals = Vec::new();
            constants(&json, None, &mut literals);
            let mut patterns = Vec::new();
            regexes(&json, &mut patterns);
            Some(Conjunct {
                column: column.clone(),
                sql: deparse(node)?,
                literals,
                patterns,
                hash: function_called(&json, "satisfies_hash_partition"),
            })
        })
        .collect()
}

fn expression(text: &str) -> Option<Node> {
    let parsed = pg_query::parse(&format!("SELECT {text}"), 0).ok()?;
    let stmt = parsed.protobuf.stmts.into_iter().next()?.stmt?;
    let NodeEnum::SelectStmt(select) = stmt.node? else {
        return None;
    };
    let target = select.target_list.into_iter().next()?;
    let NodeEnum::ResTarget(res) = target.node? else {
        return None;
    };
    res.val.map(|v| *v)
}

fn split_and(node: Node, out: &mut Vec<Node>) {
    match node.node {
        Some(NodeEnum::BoolExpr(b)) if b.boolop == BoolExprType::AndExpr as i32 => {
            for arg in b.args {
                split_and(arg, out);
            }
        }
        _ => out.push(node),
    }
}

fn deparse(node: Node) -> Option<String> {
    let mut tree = pg_query::parse("SELECT 1", 0).ok()?.protobuf;
    let stmt = tree.stmts.first_mut()?.stmt.as_mut()?.node.as_mut()?;
    let NodeEnum::SelectStmt(select) = stmt else {
        return None;
    };
    let target = select.target_list.first_mut()?.node.as_mut()?;
    let NodeEnum::ResTarget(res) = target else {
        return None;
    };
    res.val = Some(Box::new(node));
    let sql = pg_query::deparse(&tree, pg_query::DeparseOptions::default()).ok()?;
    Some(
        sql.strip_prefix("SELECT ")
            .unwrap_or(&sql)
            .trim_end_matches(';')
            .to_string(),
    )
}

fn column_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "ColumnRef" {
                    let name = child
                        .get("fields")
                        .and_then(Value::as_array)
                        .and_then(|f| f.last())
                        .and_then(|f| f.pointer("/node/String/sval"))
                        .and_then(Value::as_str);
                    if let Some(name) = name
                        && !out.iter().any(|c| c == name)
                    {
                        out.push(name.to_string());
                    }
                } else {
                    column_refs(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| column_refs(v, out)),
        _ => {}
    }
}

fn type_name(type_name: &Value) -> Option<String> {
    let names: Vec<&str> = type_name
        .get("names")?
        .as_array()?
        .iter()
        .filter_map(|n| n.pointer("/node/String/sval").and_then(Value::as_str))
        .filter(|n| *n != "pg_catalog")
        .collect();
    Some(names.join("."))
}

fn constants(value: &Value, cast: Option<String>, out: &mut Vec<Literal>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match key.as_str() {
                    "TypeCast" => {
                        let to = child.get("type_name").and_then(type_name);
                        if let Some(arg) = child.get("arg") {
                            constants(arg, to, out);
                        }
                    }
                    "AConst" => {
                        let val = child.get("val");
                        let (text, number) = match val {
                            Some(v) if v.get("Sval").is_some() => (
                                v.pointer("/Sval/sval")
                                    .and_then(Value::as_str)
                                    .map(str::to_string),
                                false,
                            ),
                            Some(v) if v.get("Ival").is_some() => (
                                Some(
                                    v.pointer("/Ival/ival")
                                        .and_then(Value::as_i64)
                                        .unwrap_or(0)
                                        .to_string(),
                                ),
                                true,
                            ),
                            Some(v) if v.get("Fval").is_some() => (
                                v.pointer("/Fval/fval")
                                    .and_then(Value::as_str)
                                    .map(str::to_string),
                                true,
                            ),
                            _ => (None, false),
                        };
                        if let Some(text) = text
                            && !out.iter().any(|l| l.text == text)
                        {
                            out.push(Literal {
                                text,
                                number,
                                cast: cast.clone(),
                            });
                        }
                    }
                    _ => constants(child, cast.clone(), out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| constants(v, cast.clone(), out)),
        _ => {}
    }
}

fn string_constant(node: &Value) -> Option<String> {
    let inner = node.get("node")?;
    if let Some(cast) = inner.get("TypeCast") {
        return string_constant(cast.get("arg")?);
    }
    inner
        .pointer("/AConst/val/Sval/sval")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn regexes(value: &Value, out: &mut Vec<Pattern>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "AExpr" {
                    let op = child
                        .get("name")
                        .and_then(Value::as_array)
                        .and_then(|n| n.last())
                        .and_then(|n| n.pointer("/node/String/sval"))
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let pattern = child.get("rexpr").and_then(string_constant);
                    if let Some(p) = pattern {
                        match op {
                            "~" | "~*" => out.push(Pattern {
                                regex: p,
                                case_insensitive: op == "~*",
                            }),
                            "~~" | "~~*" => out.push(Pattern {
                                regex: like_to_regex(&p),
                                case_insensitive: op == "~~*",
                            }),
                            _ => {}
                        }
                    }
                }
                regexes(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| regexes(v, out)),
        _ => {}
    }
}

fn function_called(value: &Value, name: &str) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, child)| {
            (key == "FuncCall"
                && child
                    .get("funcname")
                    .and_then(Value::as_array)
                    .and_then(|n| n.last())
                    .and_then(|n| n.pointer("/node/String/sval"))
                    .and_then(Value::as_str)
                    == Some(name))
                || function_called(child, name)
        }),
        Value::Array(items) => items.iter().any(|v| function_called(v, name)),
        _ => false,
    }
}

/// A LIKE pattern as an anchored regular expression (`%` any run, `_` one character).
fn like_to_regex(like: &str) -> String {
    let mut out = String::from("^");
    let mut chars = like.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push_str(&regex_syntax::escape(&n.to_string()));
                }
            }
            other => out.push_str(&regex_syntax::escape(&other.to_string())),
        }
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regex_check_yields_its_pattern() {
        let c = conjuncts("CHECK ((slug ~ '^[a-z0-9-]+$'::text))");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].column, "slug");
        assert_eq!(c[0].patterns[0].regex, "^[a-z0-9-]+$");
        assert!(c[0].sql.contains("slug ~"), "{}", c[0].sql);
    }

    #[test]
    fn conjuncts_are_split_and_multi_column_ones_dropped() {
        let c = conjuncts(
            "CHECK (((length(code) >= 3) AND (code ~* '^[a-z]+$'::text) AND (starts_at < ends_at)))",
        );
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[0].literals[0].text, "3");
        assert!(c[0].literals[0].number);
        assert!(c[1].patterns[0].case_insensitive);
    }

    #[test]
    fn in_lists_ranges_and_partition_bounds_yield_their_constants() {
        let c = conjuncts("CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text])))");
        let texts: Vec<&str> = c[0].literals.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["open", "closed"]);
        assert_eq!(c[0].literals[0].cast.as_deref(), Some("text"));
        let p = conjuncts(
            "((at IS NOT NULL) AND (at >= '2024-01-01'::date) AND (at < '2025-01-01'::date))",
        );
        assert_eq!(p.len(), 3);
        assert_eq!(p[1].literals[0].cast.as_deref(), Some("date"));
        let h = conjuncts("satisfies_hash_partition('16402'::oid, 4, 0, id)");
        assert!(h[0].hash);
        assert_eq!(h[0].column, "id");
    }

    #[test]
    fn like_patterns_become_anchored_regexes() {
        assert_eq!(like_to_regex("INV-%"), "^INV\\-.*$");
        let c = conjuncts("CHECK ((code ~~ 'A_'::text))");
        assert_eq!(c[0].patterns[0].regex, "^A.$");
    }
}
