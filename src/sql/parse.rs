//! Parsing SQL fragments with PostgreSQL's own grammar (libpg_query).
//!
//! TOML values hold SQL expressions, types and statements; each is checked here
//! offline, and a syntax error is located at the offending token so that the
//! caller can point into the TOML file.

use pg_query::NodeEnum;
use pg_query::protobuf::ParseResult;
use serde_json::Value;

/// A syntax error in an SQL fragment, with the byte offset of the offending token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// PostgreSQL's message, e.g. `syntax error at or near ")"`.
    pub message: String,
    /// Byte offset into the fragment where the error was detected, if known.
    pub offset: Option<usize>,
}

/// A parsed scalar expression.
#[derive(Debug)]
pub struct Expression {
    tree: ParseResult,
}

impl Expression {
    /// Names of the unqualified column references (`col`, not `t.col`) in the expression,
    /// outside sub-selects, in order of appearance, without duplicates.
    pub fn bare_column_refs(&self) -> Vec<String> {
        let Ok(json) = serde_json::to_value(&self.tree) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        collect_column_refs(&json, &mut out);
        out
    }

    /// True when the expression is a single bare column reference named `name`.
    pub fn is_column(&self, name: &str) -> bool {
        matches!(self.target(), Some(NodeEnum::ColumnRef(c))
            if c.fields.len() == 1 && string_node(&c.fields[0]) == Some(name))
    }

    fn target(&self) -> Option<&NodeEnum> {
        let stmt = self.tree.stmts.first()?.stmt.as_ref()?.node.as_ref()?;
        let NodeEnum::SelectStmt(select) = stmt else {
            return None;
        };
        let target = select.target_list.first()?.node.as_ref()?;
        let NodeEnum::ResTarget(res) = target else {
            return None;
        };
        res.val.as_ref()?.node.as_ref()
    }
}

/// Parses one scalar SQL expression, as used in defaults, checks, index keys and
/// policy USING / WITH CHECK clauses. Anything else (a second statement, a clause
/// that escapes the expression) is an error.
pub fn parse_expression(text: &str) -> Result<Expression, SyntaxError> {
    const PREFIX: &str = "SELECT ";
    let wrapped = format!("{PREFIX}{text}");
    let tree = parse_located(&wrapped, PREFIX.len())?;
    let single = match tree.stmts.as_slice() {
        [raw] => match raw.stmt.as_ref().and_then(|s| s.node.as_ref()) {
            Some(NodeEnum::SelectStmt(s)) => {
                s.target_list.len() == 1
                    && s.from_clause.is_empty()
                    && s.where_clause.is_none()
                    && s.group_clause.is_empty()
                    && s.having_clause.is_none()
                    && s.sort_clause.is_empty()
                    && s.limit_count.is_none()
                    && s.limit_offset.is_none()
                    && s.locking_clause.is_empty()
                    && s.window_clause.is_empty()
                    && s.into_clause.is_none()
                    && s.distinct_clause.is_empty()
                    && s.larg.is_none()
                    && matches!(s.target_list[0].node.as_ref(),
                        Some(NodeEnum::ResTarget(r)) if r.name.is_empty())
            }
            _ => false,
        },
        _ => false,
    };
    if !single {
        return Err(SyntaxError {
            message: "expected a single SQL expression".to_string(),
            offset: None,
        });
    }
    Ok(Expression { tree })
}

/// Parses a type name such as `uuid`, `varchar(20)`, `numeric(10,2)` or `text[]`.
pub fn parse_type(text: &str) -> Result<(), SyntaxError> {
    if text.trim().is_empty() {
        return Err(SyntaxError {
            message: "empty type name".to_string(),
            offset: None,
        });
    }
    // The type-name grammar mode rejects trailing garbage on its own.
    match pg_query::parse(text, pg_query::ParserOptions::TYPE_NAME) {
        Ok(_) => Ok(()),
        Err(e) => Err(locate_error(
            text,
            0,
            &error_message(e),
            pg_query::ParserOptions::TYPE_NAME,
        )),
    }
}

/// Parses one or more SQL statements (a function body, a test query, setup SQL)
/// and returns how many there are.
pub fn parse_statements(text: &str) -> Result<usize, SyntaxError> {
    let tree = parse_located(text, 0)?;
    if tree.stmts.is_empty() {
        return Err(SyntaxError {
            message: "no SQL statement".to_string(),
            offset: None,
        });
    }
    Ok(tree.stmts.len())
}

/// The syntax trees of one or more SQL statements, for callers that classify
/// them (`sql::transaction`).
pub fn statement_trees(text: &str) -> Result<ParseResult, SyntaxError> {
    parse_located(text, 0)
}

/// Checks a PL/pgSQL function body (with its arguments and return type, which the
/// PL/pgSQL compiler needs) with the PL/pgSQL parser.
pub fn check_plpgsql(
    body: &str,
    args: &[(String, String)],
    returns: &str,
) -> Result<(), SyntaxError> {
    let args: Vec<String> = args
        .iter()
        .map(|(name, ty)| format!("{} {ty}", super::quote_ident(name)))
        .collect();
    let create = format!(
        "CREATE FUNCTION rlsctl_check({}) RETURNS {returns} LANGUAGE plpgsql AS {}",
        args.join(", "),
        super::dollar_quote(body)
    );
    pg_query::parse_plpgsql(&create)
        .map(|_| ())
        .map_err(|e| SyntaxError {
            message: error_message(e),
            offset: None,
        })
}

fn parse_located(text: &str, prefix_len: usize) -> Result<ParseResult, SyntaxError> {
    match pg_query::parse(text, 0) {
        Ok(result) => Ok(result.protobuf),
        Err(e) => Err(locate_error(
            text,
            prefix_len,
            &error_message(e),
            pg_query::ParserOptions::DEFAULT,
        )),
    }
}

fn error_message(e: pg_query::Error) -> String {
    match e {
        pg_query::Error::Parse(m) | pg_query::Error::Scan(m) => m,
        other => other.to_string(),
    }
}

/// Finds where a syntax error is. libpg_query reports only the message
/// (`syntax error at or near "X"`), so we scan the tokens and take the first `X`
/// whose prefix (the text up to and including it) already fails with the same
/// message: an LR parser fails at the first token it cannot shift. Prefixes are
/// parsed in the grammar mode (`options`) the whole text was parsed in.
fn locate_error(
    text: &str,
    prefix_len: usize,
    message: &str,
    options: pg_query::ParserOptions,
) -> SyntaxError {
    let offset = if message.ends_with("at end of input") {
        Some(text.len())
    } else if let Some(token) = near_token(message) {
        first_failing_token(text, token, message, options)
    } else {
        None
    };
    SyntaxError {
        message: message.to_string(),
        offset: offset.map(|o| o.saturating_sub(prefix_len)),
    }
}

fn near_token(message: &str) -> Option<&str> {
    let start = message.find("at or near \"")? + "at or near \"".len();
    let rest = &message[start..];
    let end = rest.rfind('"')?;
    Some(&rest[..end])
}

fn first_failing_token(
    text: &str,
    token: &str,
    message: &str,
    options: pg_query::ParserOptions,
) -> Option<usize> {
    let tokens = pg_query::scan_tokens(text).ok()?;
    tokens.iter().find_map(|t| {
        let (start, end) = (t.start as usize, t.end as usize);
        if text.get(start..end)? != token {
            return None;
        }
        match pg_query::parse(&text[..end], options) {
            Err(pg_query::Error::Parse(m)) if m == message => Some(start),
            _ => None,
        }
    })
}

fn string_node(node: &pg_query::protobuf::Node) -> Option<&str> {
    match node.node.as_ref()? {
        NodeEnum::String(s) => Some(&s.sval),
        _ => None,
    }
}

/// Walks the serialised parse tree; the protobuf types have no visitor of their own.
fn collect_column_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match key.as_str() {
                    // The sub-select's columns belong to its own tables; only the
                    // left-hand side (`col IN (...)`) is ours.
                    "SubLink" => {
                        if let Some(test) = child.get("testexpr") {
                            collect_column_refs(test, out);
                        }
                    }
                    "ColumnRef" => {
                        if let Some(name) = single_field_name(child)
                            && !out.contains(&name)
                        {
                            out.push(name);
                        }
                    }
                    _ => collect_column_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_column_refs(v, out)),
        _ => {}
    }
}

fn single_field_name(column_ref: &Value) -> Option<String> {
    let fields = column_ref.get("fields")?.as_array()?;
    if fields.len() != 1 {
        return None;
    }
    let sval = fields[0].pointer("/node/String/sval")?;
    sval.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_parse_and_report_column_refs() {
        let e = parse_expression("length(name) > 0 and tenant_id is not null").unwrap();
        assert_eq!(e.bare_column_refs(), vec!["name", "tenant_id"]);
        assert!(!parse_expression("lower(email)").unwrap().is_column("email"));
        assert!(parse_expression("email").unwrap().is_column("email"));
    }

    #[test]
    fn sub_selects_do_not_contribute_column_refs() {
        let e =
            parse_expression("org_id in (select org_id from members where user_id = auth.uid())")
                .unwrap();
        assert_eq!(e.bare_column_refs(), vec!["org_id"]);
    }

    #[test]
    fn syntax_errors_are_located_at_the_offending_token() {
        let err = parse_expression("tenant_id = = 1").unwrap_err();
        assert_eq!(err.message, "syntax error at or near \"=\"");
        assert_eq!(err.offset, Some(12));
        let err = parse_expression("tenant_id = (select app.current_tenant_id()").unwrap_err();
        assert_eq!(err.message, "syntax error at end of input");
        assert_eq!(err.offset, Some(43));
    }

    #[test]
    fn statements_smuggled_into_expressions_are_rejected() {
        assert!(parse_expression("true; drop table users").is_err());
        assert!(parse_expression("1 from pg_class").is_err());
        assert!(parse_expression("select").is_err());
        assert!(parse_expression("a, b").is_err());
    }

    #[test]
    fn types_parse() {
        for ok in [
            "uuid",
            "varchar(20)",
            "numeric(10, 2)",
            "text[]",
            "timestamp with time zone",
        ] {
            assert!(parse_type(ok).is_ok(), "{ok}");
        }
        assert!(parse_type("varchar(").is_err());
        // Located with the type-name grammar, not as a statement.
        assert_eq!(parse_type("numeric(10,,2)").unwrap_err().offset, Some(11));
        assert!(parse_type("text; drop table x").is_err());
        assert!(parse_type("").is_err());
    }

    #[test]
    fn statements_count() {
        assert_eq!(parse_statements("select 1; select 2").unwrap(), 2);
        assert!(parse_statements("selec 1").is_err());
    }
}
