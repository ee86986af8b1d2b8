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
    /// True when the fragment ended before it was complete (`at end of input`):
    /// the whole fragment is the place to point at, not one token.
    pub at_end: bool,
}

impl SyntaxError {
    fn new(message: impl Into<String>) -> Self {
        SyntaxError {
            message: message.into(),
            offset: None,
            at_end: false,
        }
    }
}

/// How deeply parentheses and brackets may nest in one fragment. PostgreSQL's
/// parser gives up near 10,000 levels after seconds and much memory; real
/// declarations stay far below this.
pub const MAX_NESTING: usize = 200;

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
    check_nesting(text)?;
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
        return Err(SyntaxError::new("expected a single SQL expression"));
    }
    Ok(Expression { tree })
}

/// Parses a type name such as `uuid`, `varchar(20)`, `numeric(10,2)` or `text[]`.
pub fn parse_type(text: &str) -> Result<(), SyntaxError> {
    if text.trim().is_empty() {
        return Err(SyntaxError::new("empty type name"));
    }
    check_nesting(text)?;
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
    check_nesting(text)?;
    let tree = parse_located(text, 0)?;
    if tree.stmts.is_empty() {
        return Err(SyntaxError::new("no SQL statement"));
    }
    Ok(tree.stmts.len())
}

/// One key part of an index as written in a declaration: a column or an expression
/// with its options (`created_at desc nulls last`, `name text_pattern_ops`,
/// `title collate "C"`), parsed by PostgreSQL's grammar for index elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexElement {
    /// The column, when the key is a plain column (unquoted name).
    pub column: Option<String>,
    /// The expression as libpg_query prints it back, when the key is one.
    pub expression: Option<String>,
    /// The options after the key, as SQL with every name quoted
    /// (`COLLATE "C" text_pattern_ops DESC NULLS LAST`); empty when none.
    pub options: String,
}

/// Parses an index key part with its options. Anything but one index element
/// (a second key, a clause that escapes the list) is an error.
pub fn parse_index_element(text: &str) -> Result<IndexElement, SyntaxError> {
    check_nesting(text)?;
    const PREFIX: &str = "CREATE INDEX ON t (";
    let tree = parse_located(&format!("{PREFIX}{text})"), PREFIX.len())?;
    let element = match tree.stmts.as_slice() {
        [raw] => match raw.stmt.as_ref().and_then(|s| s.node.as_ref()) {
            Some(NodeEnum::IndexStmt(stmt))
                if stmt.index_params.len() == 1
                    && stmt.index_including_params.is_empty()
                    && stmt.where_clause.is_none() =>
            {
                match stmt.index_params[0].node.as_ref() {
                    Some(NodeEnum::IndexElem(e)) => Some(e.clone()),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    };
    let Some(element) = element else {
        return Err(SyntaxError::new("expected one index key"));
    };
    if !element.opclassopts.is_empty() {
        return Err(SyntaxError::new(
            "operator class parameters are not supported in index keys",
        ));
    }
    let expression = match element.expr.as_ref().and_then(|e| e.node.clone()) {
        Some(node) => Some(deparse_expression(node)?),
        None => None,
    };
    let name = |nodes: &[pg_query::protobuf::Node]| -> String {
        nodes
            .iter()
            .filter_map(string_node)
            .map(super::quote_ident)
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut options = Vec::new();
    if !element.collation.is_empty() {
        options.push(format!("COLLATE {}", name(&element.collation)));
    }
    if !element.opclass.is_empty() {
        options.push(name(&element.opclass));
    }
    use pg_query::protobuf::{SortByDir, SortByNulls};
    match SortByDir::try_from(element.ordering) {
        Ok(SortByDir::SortbyAsc) => options.push("ASC".into()),
        Ok(SortByDir::SortbyDesc) => options.push("DESC".into()),
        _ => {}
    }
    match SortByNulls::try_from(element.nulls_ordering) {
        Ok(SortByNulls::SortbyNullsFirst) => options.push("NULLS FIRST".into()),
        Ok(SortByNulls::SortbyNullsLast) => options.push("NULLS LAST".into()),
        _ => {}
    }
    Ok(IndexElement {
        column: (!element.name.is_empty()).then_some(element.name),
        expression,
        options: options.join(" "),
    })
}

/// An expression node printed back as SQL (`SELECT <expr>` deparsed, the
/// `SELECT ` cut off).
fn deparse_expression(node: NodeEnum) -> Result<String, SyntaxError> {
    let mut tree = pg_query::parse("SELECT 1", 0)
        .map_err(|e| SyntaxError::new(error_message(e)))?
        .protobuf;
    let target = tree
        .stmts
        .first_mut()
        .and_then(|raw| raw.stmt.as_mut())
        .and_then(|stmt| match stmt.node.as_mut() {
            Some(NodeEnum::SelectStmt(select)) => select.target_list.first_mut(),
            _ => None,
        })
        .and_then(|t| match t.node.as_mut() {
            Some(NodeEnum::ResTarget(res)) => Some(res),
            _ => None,
        })
        .ok_or_else(|| SyntaxError::new("cannot print the index expression"))?;
    target.val = Some(Box::new(pg_query::protobuf::Node { node: Some(node) }));
    let sql = pg_query::deparse(&tree, pg_query::DeparseOptions::default())
        .map_err(|e| SyntaxError::new(error_message(e)))?;
    Ok(sql
        .strip_prefix("SELECT ")
        .unwrap_or(&sql)
        .trim_end_matches(';')
        .to_string())
}

/// PostgreSQL's scanner over `text`: its tokens, comments included. A text
/// with no token at all has none; pg_query 18.1's `scan_tokens` builds a slice
/// from a null pointer for it (undefined behaviour; a panic in debug builds), so
/// every scan goes through here.
pub fn scan_tokens(text: &str) -> Result<Vec<pg_query::protobuf::ScanToken>, pg_query::Error> {
    if text.bytes().all(|b| b" \t\n\r\x0b\x0c".contains(&b)) {
        return Ok(Vec::new());
    }
    pg_query::scan_tokens(text)
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
    check_nesting(body)?;
    // libpg_query's PL/pgSQL compiler resolves the types of the signature and of
    // DECLAREd variables with a stub that knows only `public` and `pg_catalog`
    // ("LookupExplicitNamespace only supports pg_catalog and public"): the check
    // sees those names unqualified. Syntax is all it judges; the dev database
    // checks the types themselves.
    let args: Vec<String> = args
        .iter()
        .map(|(name, ty)| {
            format!(
                "{} {}",
                super::quote_ident(name),
                unqualified_types(ty, false)
            )
        })
        .collect();
    let create = format!(
        "CREATE FUNCTION rlsctl_check({}) RETURNS {} LANGUAGE plpgsql AS {}",
        args.join(", "),
        unqualified_types(returns, false),
        super::dollar_quote(&unqualified_types(body, true))
    );
    match pg_query::parse_plpgsql(&create) {
        // libpg_query reports no error and then prints its tree as JSON, which for
        // some valid bodies (assignments to `new.column` in trigger functions) is
        // malformed: the body parsed, so it is valid.
        Ok(_) | Err(pg_query::Error::InvalidJson(_)) => Ok(()),
        Err(e) => {
            let message = error_message(e);
            let offset = plpgsql_error_offset(body, &message, |prefix| {
                create.replacen(&super::dollar_quote(body), &super::dollar_quote(prefix), 1)
            });
            Err(SyntaxError {
                offset,
                ..SyntaxError::new(message)
            })
        }
    }
}

/// The PL/pgSQL compiler's tree of a function body (libpg_query's JSON: the
/// `datums` with the parameters first, and the `action` block), for callers that
/// read a body as code (`audit`). `arguments` and `returns` are as
/// `pg_get_function_arguments` / `pg_get_function_result` print them; types
/// are unqualified as for [`check_plpgsql`].
pub fn plpgsql_tree(
    body: &str,
    arguments: &str,
    returns: &str,
) -> Result<serde_json::Value, SyntaxError> {
    check_nesting(body)?;
    let create = |body: &str, returns: &str| {
        format!(
            "CREATE FUNCTION rlsctl_body({}) RETURNS {} LANGUAGE plpgsql AS {}",
            unqualified_types(arguments, false),
            unqualified_types(returns, false),
            super::dollar_quote(body)
        )
    };
    // The body as written first: unqualifying DECLARE also strips the schema of
    // a default's function call (`uid uuid := auth.uid()`), so it is the
    // fallback for bodies that declare variables of schema-qualified types.
    let parse = |body: &str, returns: &str| {
        pg_query::parse_plpgsql(&create(body, returns))
            .or_else(|_| pg_query::parse_plpgsql(&create(&unqualified_types(body, true), returns)))
    };
    // libpg_query prints a trigger function's implicit variables (`TG_OP`, ...)
    // as malformed JSON: a trigger body is read as a block nested in one that
    // declares them (NEW and OLD as records), in a function returning a record.
    let implicit = match returns {
        "trigger" => Some((TRIGGER_VARIABLES, "record")),
        "event_trigger" => Some((EVENT_TRIGGER_VARIABLES, "void")),
        _ => None,
    };
    if let Some((declare, wrapped_returns)) = implicit {
        // The nested block needs a `;` after its END unless the body has one.
        for end in ["\nEND", "\n;\nEND"] {
            if let Ok(tree) = parse(
                &format!("DECLARE {declare}\nBEGIN\n{body}{end}"),
                wrapped_returns,
            ) {
                return Ok(tree);
            }
        }
    }
    parse(body, returns).map_err(|e| SyntaxError::new(error_message(e)))
}

/// A trigger function's implicit variables, declared.
const TRIGGER_VARIABLES: &str = "new record; old record; tg_name name; tg_when text; tg_level text; \
     tg_op text; tg_relid oid; tg_relname name; tg_table_name name; tg_table_schema name; \
     tg_nargs integer; tg_argv text[];";

/// An event trigger function's implicit variables, declared.
const EVENT_TRIGGER_VARIABLES: &str = "tg_event text; tg_tag text;";

/// Where in a PL/pgSQL `body` the error `message` (`at or near "X"`) is: the one
/// token `X`, or, among several, the first whose prefix of the body (wrapped as
/// the whole was, by `wrap`) already fails with the same message.
fn plpgsql_error_offset(body: &str, message: &str, wrap: impl Fn(&str) -> String) -> Option<usize> {
    let token = near_token(message)?;
    let tokens = scan_tokens(body).ok()?;
    let candidates: Vec<(usize, usize)> = tokens
        .iter()
        .map(|t| (t.start as usize, t.end as usize))
        .filter(|(start, end)| {
            body.get(*start..*end)
                .is_some_and(|t| t.eq_ignore_ascii_case(token))
        })
        .collect();
    if let [(start, _)] = candidates.as_slice() {
        return Some(*start);
    }
    candidates
        .iter()
        .find(|(_, end)| {
            matches!(pg_query::parse_plpgsql(&wrap(&body[..*end])), Err(pg_query::Error::Parse(m)) if m == message)
        })
        .map(|(start, _)| *start)
}

/// A SQL-standard routine body, `BEGIN ATOMIC <statements>; END`, from the
/// statements (or `return <expr>`) a declaration holds.
pub fn atomic_block(statements: &str) -> String {
    let statements = statements.trim().trim_end_matches(';').trim_end();
    format!("BEGIN ATOMIC\n{statements};\nEND")
}

/// Checks the statements of a SQL-standard body (see [`atomic_block`]); a
/// syntax error is located in `statements`.
pub fn check_atomic_body(statements: &str) -> Result<(), SyntaxError> {
    check_nesting(statements)?;
    // Inside the block the statements are trimmed: an offset past the block's
    // head is into them, shifted by the leading whitespace trimmed.
    let lead = statements.len() - statements.trim_start().len();
    let prefix = "CREATE PROCEDURE rlsctl_check() ";
    let text = format!("{prefix}{}", atomic_block(statements));
    let head = prefix.len() + "BEGIN ATOMIC\n".len();
    match parse_located(&text, head) {
        Ok(_) => Ok(()),
        Err(mut e) => {
            e.offset = e.offset.map(|o| o + lead);
            Err(e)
        }
    }
}

/// `text` with every `schema.name` type unqualified, except in `public` and
/// `pg_catalog`, and an array of such a type as `text[]` (the stub takes an
/// unknown type for a record, and records have no arrays); in a PL/pgSQL body
/// (`in_declare_only`) only inside DECLARE sections, where the names are
/// variable types (elsewhere `new.col` is a record's field). Positions in
/// PL/pgSQL errors are not reported, so the text need not keep its length.
/// Text the scanner refuses is returned as it is, for the parser to report.
fn unqualified_types(text: &str, in_declare_only: bool) -> String {
    let Ok(scanned) = pg_query::scan(text) else {
        return text.to_string();
    };
    let tokens = &scanned.tokens;
    let word = |i: usize| -> Option<&str> {
        let t = tokens.get(i)?;
        text.get(t.start as usize..t.end as usize)
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut declaring = !in_declare_only;
    for i in 0..tokens.len() {
        let Some(here) = word(i) else { continue };
        if in_declare_only {
            match here.to_lowercase().as_str() {
                "declare" => declaring = true,
                "begin" => declaring = false,
                _ => {}
            }
        }
        let qualifier = declaring
            && word(i + 1) == Some(".")
            && word(i + 2).is_some()
            && (i == 0 || word(i - 1) != Some("."))
            && !matches!(
                here.to_lowercase().trim_matches('"'),
                "public" | "pg_catalog"
            )
            && here
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '"');
        if !qualifier {
            continue;
        }
        let (from, name_end) = (tokens[i].start as usize, tokens[i + 2].end as usize);
        out.push_str(&text[copied..from]);
        if word(i + 3) == Some("[") {
            out.push_str("text");
        } else {
            out.push_str(&text[tokens[i + 2].start as usize..name_end]);
        }
        copied = name_end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Parses a view's query: exactly one `SELECT` (or `VALUES`, or a `WITH` over a
/// `SELECT`). Returns the relations it names (`t`, `app.t`), without the names of
/// its own `WITH` queries, sorted.
pub fn parse_query(text: &str) -> Result<Vec<String>, SyntaxError> {
    check_nesting(text)?;
    let tree = parse_located(text, 0)?;
    match tree.stmts.as_slice() {
        [] => return Err(SyntaxError::new("no SQL statement")),
        [one] => {
            if !matches!(
                one.stmt.as_ref().and_then(|s| s.node.as_ref()),
                Some(NodeEnum::SelectStmt(s)) if s.into_clause.is_none()
            ) {
                return Err(SyntaxError {
                    message: "a view's query must be one SELECT".to_string(),
                    offset: Some(0),
                    at_end: false,
                });
            }
        }
        [_, second, ..] => {
            return Err(SyntaxError {
                message: "a view's query must be one SELECT, not several statements".to_string(),
                // The statement starts after the `;`, blank space included.
                offset: usize::try_from(second.stmt_location).ok().map(|at| {
                    at + text
                        .get(at..)
                        .map_or(0, |rest| rest.len() - rest.trim_start().len())
                }),
                at_end: false,
            });
        }
    }
    let parsed = pg_query::parse(text, 0).map_err(|e| SyntaxError::new(error_message(e)))?;
    let mut tables = parsed.tables();
    tables.sort();
    Ok(tables)
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
    let at_end = message.ends_with("at end of input");
    let offset = if at_end {
        Some(text.len())
    } else if let Some(token) = near_token(message) {
        first_failing_token(text, token, message, options)
    } else {
        None
    };
    SyntaxError {
        message: message.to_string(),
        offset: offset.map(|o| o.saturating_sub(prefix_len)),
        at_end,
    }
}

fn near_token(message: &str) -> Option<&str> {
    let start = message.find("at or near \"")? + "at or near \"".len();
    let rest = &message[start..];
    let end = rest.rfind('"')?;
    Some(&rest[..end])
}

/// The parser fails at the first token it cannot shift, and every longer prefix
/// fails there too, while every shorter prefix is a viable one (it parses, or ends
/// early): "this prefix fails with the message" is monotone over the candidate
/// tokens, so a binary search finds the first in a logarithmic number of parses.
fn first_failing_token(
    text: &str,
    token: &str,
    message: &str,
    options: pg_query::ParserOptions,
) -> Option<usize> {
    let tokens = scan_tokens(text).ok()?;
    let candidates: Vec<(usize, usize)> = tokens
        .iter()
        .map(|t| (t.start as usize, t.end as usize))
        .filter(|(start, end)| text.get(*start..*end) == Some(token))
        .collect();
    let fails = |(_, end): (usize, usize)| matches!(pg_query::parse(&text[..end], options), Err(pg_query::Error::Parse(m)) if m == message);
    let first = candidates.partition_point(|c| !fails(*c));
    candidates.get(first).map(|(start, _)| *start)
}

/// Refuses a fragment nested deeper than [`MAX_NESTING`] before PostgreSQL's parser
/// sees it, pointing at the bracket that goes too deep. Brackets inside string
/// literals, quoted identifiers, dollar quotes and comments do not count.
fn check_nesting(text: &str) -> Result<(), SyntaxError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(SyntaxError {
                        message: format!("parentheses nested more than {MAX_NESTING} levels deep"),
                        offset: Some(i),
                        at_end: false,
                    });
                }
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            b'\'' => {
                let escapes = i > 0 && matches!(bytes[i - 1], b'e' | b'E');
                i = skip_quoted(bytes, i + 1, b'\'', escapes);
                continue;
            }
            b'"' => {
                i = skip_quoted(bytes, i + 1, b'"', false);
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = bytes[i..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(bytes.len(), |p| i + p);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i + 2);
                continue;
            }
            b'$' if i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') => {
                if let Some(after) = skip_dollar_quote(text, i) {
                    i = after;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The index after the closing `quote` (doubled quotes and, in `E''` strings,
/// backslashes escape).
fn skip_quoted(bytes: &[u8], mut i: usize, quote: u8, backslash_escapes: bool) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if backslash_escapes => i += 2,
            b if b == quote && bytes.get(i + 1) == Some(&quote) => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index after a (nestable) block comment whose body starts at `i`.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut level = 1;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            level += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            level -= 1;
            i += 2;
            if level == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The index after a dollar-quoted string starting at `start` (`$tag$ ... $tag$`),
/// or `None` when the `$` opens none (a parameter such as `$1`).
fn skip_dollar_quote(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start + 1..];
    let tag_len = rest.find('$')?;
    let tag = &rest[..tag_len];
    let valid = tag
        .chars()
        .next()
        .is_none_or(|c| c.is_alphabetic() || c == '_')
        && tag.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    let delimiter = &text[start..start + tag_len + 2];
    let body = start + delimiter.len();
    Some(
        text[body..]
            .find(delimiter)
            .map_or(text.len(), |p| body + p + delimiter.len()),
    )
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
mod scan_tests {
    use super::*;

    #[test]
    fn blank_text_has_no_tokens_and_a_blank_body_is_located_without_a_panic() {
        assert!(scan_tokens("").unwrap().is_empty());
        assert!(scan_tokens(" \n\t").unwrap().is_empty());
        assert_eq!(scan_tokens("-- c\nselect").unwrap().len(), 2);
        assert_eq!(
            plpgsql_error_offset("", "syntax error at or near \"x\"", |b| b.to_string()),
            None
        );
        assert_eq!(
            plpgsql_error_offset("  ", "syntax error at or near \"x\"", |b| b.to_string()),
            None
        );
    }
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
    fn absurd_nesting_is_refused_before_parsing_at_the_bracket_too_deep() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        let started = std::time::Instant::now();
        let err = parse_expression(&deep).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_millis(200));
        assert_eq!(err.offset, Some(MAX_NESTING));
        assert!(err.message.contains("nested more than"), "{}", err.message);
        assert!(parse_statements(&format!("select {deep}")).is_err());
        assert!(parse_type(&format!("numeric{deep}")).is_err());
        // Ordinary depth parses; brackets in literals, identifiers and comments do not count.
        let fine = format!("{}1{}", "(".repeat(50), ")".repeat(50));
        assert!(parse_expression(&fine).is_ok());
        let quoted = "(".repeat(MAX_NESTING + 1);
        for text in [
            format!("'{quoted}' = 'x'"),
            format!("\"{quoted}\" is null"),
            format!("E'\\'{quoted}' = 'x'"),
            format!("1 /* {quoted} */ = 1"),
            format!("$q${quoted}$q$ = 'x'"),
        ] {
            assert!(parse_expression(&text).is_ok(), "{text}");
        }
        assert!(parse_statements(&format!("select 1 -- {quoted}\n")).is_ok());
    }

    #[test]
    fn a_syntax_error_after_thousands_of_candidate_tokens_is_located_quickly() {
        let text = format!("{}= = 1", "a = 1 and ".repeat(5_000));
        let started = std::time::Instant::now();
        let err = parse_expression(&text).unwrap_err();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(err.offset, Some(text.len() - "= = 1".len()));
    }

    #[test]
    fn an_unfinished_fragment_is_an_error_at_its_end() {
        let err = parse_expression("(select 1").unwrap_err();
        assert!(err.at_end);
        assert!(!parse_expression("1 = = 1").unwrap_err().at_end);
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

    #[test]
    fn trigger_function_bodies_that_libpg_query_prints_as_bad_json_are_valid() {
        for body in [
            "begin new.updated_at := now(); return new; end",
            "begin insert into public.profiles (id) values (new.id); return new; end",
            "begin if tg_op = 'DELETE' then return old; end if; return new; end",
        ] {
            assert_eq!(check_plpgsql(body, &[], "trigger"), Ok(()), "{body}");
        }
        assert_eq!(
            check_plpgsql("begin perform 1; end", &[], "event_trigger"),
            Ok(())
        );
    }

    #[test]
    fn plpgsql_syntax_errors_are_still_errors_and_located() {
        let body = "begin\n  new.updated_at := now()\n  return new;\nend";
        let err = check_plpgsql(body, &[], "trigger").unwrap_err();
        assert!(err.message.contains("syntax error"), "{}", err.message);
        let err = check_plpgsql("begin retur new; end", &[], "trigger").unwrap_err();
        assert_eq!(err.offset, Some(6), "{}", err.message);
    }
}

#[cfg(test)]
mod plpgsql_tests {
    use super::check_plpgsql;

    #[test]
    fn plpgsql_may_use_types_of_any_schema() {
        let args = [("r".to_string(), "app.member_role".to_string())];
        for body in [
            "declare v app.member_role; begin return null; end",
            "declare v app.member_role[] := '{}'; w \"app\".\"Tasks\"; begin return null; end",
            "declare v app.tasks%rowtype; x auth.users; begin select * into v from app.tasks; return null; end",
            "begin declare inner_v app.t; begin return null; end; end",
        ] {
            assert_eq!(
                check_plpgsql(body, &args, "app.member_role"),
                Ok(()),
                "{body}"
            );
        }
        assert_eq!(
            check_plpgsql("begin return next null; end", &args, "setof app.t"),
            Ok(())
        );
        // A real syntax error is still one.
        assert!(
            check_plpgsql(
                "declare v app.member_role; begin return 1 end",
                &[],
                "integer"
            )
            .is_err()
        );
    }

    #[test]
    fn index_elements_split_into_key_and_options() {
        let e = super::parse_index_element("created_at desc nulls last").unwrap();
        assert_eq!(e.column.as_deref(), Some("created_at"));
        assert_eq!(e.expression, None);
        assert_eq!(e.options, "DESC NULLS LAST");
        let e = super::parse_index_element("lower(email) text_pattern_ops").unwrap();
        assert_eq!(e.column, None);
        assert_eq!(e.expression.as_deref(), Some("lower(email)"));
        assert_eq!(e.options, "text_pattern_ops");
        let e = super::parse_index_element("title collate \"C\" asc").unwrap();
        assert_eq!(e.options, "COLLATE \"C\" ASC");
        assert_eq!(super::parse_index_element("a").unwrap().options, "");
        assert!(super::parse_index_element("a, b").is_err());
        assert!(super::parse_index_element("a) where (true").is_err());
        assert!(super::parse_index_element("a desc desc").is_err());
    }
}
