//! Reading the parts the declaration needs out of the definitions PostgreSQL
//! prints (`pg_get_constraintdef`, `pg_get_triggerdef`, argument lists): the
//! text is PostgreSQL's own, so each piece is written back as it printed it.

use crate::catalog::{IndexKey, IndexPart};
use crate::sql::quote_ident;

/// `expr` of `CHECK (expr)` (as `pg_get_constraintdef` prints a check), with
/// a trailing `NOT VALID` left out.
pub fn check_expression(definition: &str) -> String {
    let text = definition.trim();
    let text = text.strip_suffix(" NOT VALID").unwrap_or(text);
    let text = text.strip_suffix(" NO INHERIT").unwrap_or(text);
    match text.strip_prefix("CHECK ") {
        Some(rest) => unwrap_parens(rest).to_string(),
        None => text.to_string(),
    }
}

/// `text` without one pair of enclosing parentheses, when they enclose all of it.
pub fn unwrap_parens(text: &str) -> &str {
    let t = text.trim();
    if t.starts_with('(') && t.ends_with(')') && closing(t, 0) == Some(t.len() - 1) {
        &t[1..t.len() - 1]
    } else {
        t
    }
}

/// The position of the parenthesis closing the one at `open`, skipping string
/// literals and quoted identifiers.
fn closing(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'(' => depth += 1,
                b')' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// `text` split at the commas outside parentheses, quotes and brackets.
pub fn split_top_level(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(current.trim().to_string());
                    current.clear();
                    continue;
                }
                _ => {}
            },
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// An index key as the declaration writes it: the column (quoted as needed)
/// or expression, then its collation, operator class, order and NULLS placement.
pub fn index_key(key: &IndexKey) -> String {
    // A bare column is written as it is named: the declaration takes a column's
    // name as the key whatever it looks like.
    if let IndexPart::Column(c) = &key.part
        && key.collation.is_none()
        && key.opclass.is_none()
        && !key.descending
        && !key.nulls_first
    {
        return c.clone();
    }
    let mut out = match &key.part {
        IndexPart::Column(c) => quote_ident(c),
        IndexPart::Expression(e) => {
            if e.starts_with('(') || looks_like_call(e) {
                e.clone()
            } else {
                format!("({e})")
            }
        }
    };
    if let Some(collation) = &key.collation {
        out.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(opclass) = &key.opclass {
        out.push(' ');
        out.push_str(opclass);
    }
    if key.descending {
        out.push_str(" DESC");
        if !key.nulls_first {
            out.push_str(" NULLS LAST");
        }
    } else if key.nulls_first {
        out.push_str(" NULLS FIRST");
    }
    out
}

/// `f(...)`: a function call, which an index element may hold unparenthesised.
fn looks_like_call(e: &str) -> bool {
    let name_end = e
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(e.len());
    name_end > 0 && e[name_end..].starts_with('(') && closing(e, name_end) == Some(e.len() - 1)
}

/// The parts of an `EXCLUDE` constraint's definition.
#[derive(Debug, PartialEq, Eq)]
pub struct ExclusionParts {
    /// The access method.
    pub method: String,
    /// `(key, operator)` in order.
    pub elements: Vec<(String, String)>,
    /// `WHERE (...)`, unparenthesised.
    pub predicate: Option<String>,
}

/// `EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (...)` read back;
/// None for what the declaration cannot hold (`INCLUDE`).
pub fn exclusion_parts(definition: &str) -> Option<ExclusionParts> {
    let rest = definition.strip_prefix("EXCLUDE USING ")?;
    let open = rest.find('(')?;
    let method = rest[..open].trim().to_string();
    let close = closing(rest, open)?;
    let elements = split_top_level(&rest[open + 1..close])
        .into_iter()
        .map(|e| {
            let at = e.rfind(" WITH ")?;
            Some((e[..at].trim().to_string(), e[at + 6..].trim().to_string()))
        })
        .collect::<Option<Vec<_>>>()?;
    let mut tail = rest[close + 1..].trim();
    for suffix in [" INITIALLY DEFERRED", " INITIALLY IMMEDIATE", " DEFERRABLE"] {
        tail = tail.strip_suffix(suffix).unwrap_or(tail).trim_end();
    }
    tail = tail.strip_suffix("DEFERRABLE").unwrap_or(tail).trim_end();
    let predicate = match tail.strip_prefix("WHERE ") {
        Some(p) => Some(unwrap_parens(p).to_string()),
        None if tail.is_empty() => None,
        None => return None,
    };
    Some(ExclusionParts {
        method,
        elements,
        predicate,
    })
}

/// What a trigger's definition says beyond the catalog's fields.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TriggerParts {
    /// Arguments passed to the function, unquoted.
    pub args: Vec<String>,
    /// `WHEN (...)`, unparenthesised.
    pub when: Option<String>,
    /// `UPDATE OF` columns.
    pub columns: Vec<String>,
    /// `REFERENCING NEW TABLE AS`.
    pub new_table: Option<String>,
    /// `REFERENCING OLD TABLE AS`.
    pub old_table: Option<String>,
}

/// Reads a `CREATE TRIGGER` statement as `pg_get_triggerdef` prints it, with
/// PostgreSQL's parser; the condition is cut from the text between `WHEN` and
/// `EXECUTE`, as printed.
pub fn trigger_parts(definition: &str) -> Option<TriggerParts> {
    use pg_query::NodeEnum;
    let parsed = pg_query::parse(definition, 0).ok()?;
    let statement = parsed
        .protobuf
        .stmts
        .first()?
        .stmt
        .as_ref()?
        .node
        .as_ref()?;
    let NodeEnum::CreateTrigStmt(stmt) = statement else {
        return None;
    };
    let text = |n: &pg_query::protobuf::Node| match &n.node {
        Some(NodeEnum::String(s)) => Some(s.sval.clone()),
        Some(NodeEnum::Integer(i)) => Some(i.ival.to_string()),
        Some(NodeEnum::Float(f)) => Some(f.fval.clone()),
        _ => None,
    };
    let mut parts = TriggerParts {
        args: stmt.args.iter().map(text).collect::<Option<Vec<_>>>()?,
        columns: stmt.columns.iter().map(text).collect::<Option<Vec<_>>>()?,
        ..TriggerParts::default()
    };
    for rel in &stmt.transition_rels {
        if let Some(NodeEnum::TriggerTransition(t)) = &rel.node {
            if t.is_new {
                parts.new_table = Some(t.name.clone());
            } else {
                parts.old_table = Some(t.name.clone());
            }
        }
    }
    if stmt.when_clause.is_some() {
        let start = definition.find(" WHEN (")? + " WHEN ".len();
        let end = definition.rfind(" EXECUTE ")?;
        parts.when = Some(unwrap_parens(&definition[start..end]).to_string());
    }
    Some(parts)
}

/// One argument of a function as `pg_get_function_arguments` prints it.
#[derive(Debug, PartialEq, Eq)]
pub struct Argument {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: String,
    /// Its default expression.
    pub default: Option<String>,
}

/// The arguments of a function; Err with the reason for a list the
/// declaration cannot hold (unnamed arguments, OUT / INOUT / VARIADIC).
pub fn arguments(list: &str) -> Result<Vec<Argument>, String> {
    let mut out = Vec::new();
    for piece in split_top_level(list) {
        let mut piece = piece.as_str();
        for mode in ["OUT ", "INOUT ", "VARIADIC "] {
            if piece.starts_with(mode) {
                return Err(format!("an {} argument", mode.trim()));
            }
        }
        piece = piece.strip_prefix("IN ").unwrap_or(piece);
        let (head, default) = match piece.find(" DEFAULT ") {
            Some(at) => (&piece[..at], Some(piece[at + 9..].trim().to_string())),
            None => (piece, None),
        };
        let (name, ty) = split_name(head).ok_or("an unnamed argument")?;
        out.push(Argument { name, ty, default });
    }
    Ok(out)
}

/// `name type` → (name unquoted, type).
fn split_name(head: &str) -> Option<(String, String)> {
    let head = head.trim();
    if let Some(rest) = head.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().is_some_and(|(_, n)| *n == '"') {
                    name.push('"');
                    chars.next();
                    continue;
                }
                let ty = rest[i + 1..].trim();
                return (!ty.is_empty()).then(|| (name, ty.to_string()));
            }
            name.push(c);
        }
        return None;
    }
    let (name, ty) = head.split_once(' ')?;
    Some((name.to_string(), ty.trim().to_string()))
}

/// `expression` with the bare references to `column` replaced by `{column}`,
/// the declaration's placeholder; None when it holds none.
pub fn predicate_template(expression: &str, column: &str) -> Option<String> {
    let quoted = quote_ident(column);
    let bytes = expression.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    let mut found = false;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            out.push(b as char);
            i += 1;
            continue;
        }
        let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$';
        if expression[i..].starts_with(&quoted)
            && (i == 0 || !(word(bytes[i - 1]) || bytes[i - 1] == b'.' || bytes[i - 1] == b'"'))
            && bytes
                .get(i + quoted.len())
                .is_none_or(|&n| !(word(n) || n == b'.' || n == b'"' || n == b'('))
        {
            out.push_str("{column}");
            i += quoted.len();
            found = true;
            continue;
        }
        if b == b'\'' || b == b'"' {
            quote = Some(b);
        }
        // Copy one character (which may be several bytes).
        let len = expression[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&expression[i..i + len]);
        i += len;
    }
    found.then_some(out)
}

/// The column a policy expression compares first: `(col = ...)`, `(col IN ...)`.
pub fn compared_column(expression: &str) -> Option<String> {
    let inner = unwrap_parens(expression);
    let (head, _) = inner
        .split_once(" = ")
        .or_else(|| inner.split_once(" IN "))?;
    let head = head.trim();
    if let Some(quoted) = head.strip_prefix('"').and_then(|h| h.strip_suffix('"')) {
        return Some(quoted.replace("\"\"", "\""));
    }
    head.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        .then(|| head.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_is_read_without_its_keyword_and_outer_parentheses() {
        assert_eq!(
            check_expression("CHECK ((length(btrim(name)) > 0))"),
            "(length(btrim(name)) > 0)"
        );
        assert_eq!(check_expression("CHECK ((a > 0)) NOT VALID"), "(a > 0)");
    }

    #[test]
    fn exclusion_elements_and_predicate_are_read_back() {
        let parts = exclusion_parts(
            "EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((room > 0)) DEFERRABLE",
        )
        .unwrap();
        assert_eq!(parts.method, "gist");
        assert_eq!(
            parts.elements,
            [("room".into(), "=".into()), ("during".into(), "&&".into())]
        );
        assert_eq!(parts.predicate.as_deref(), Some("(room > 0)"));
        assert!(exclusion_parts("EXCLUDE USING gist (a WITH =) INCLUDE (b)").is_none());
    }

    #[test]
    fn trigger_arguments_condition_and_columns_are_read_back() {
        let parts = trigger_parts(
            "CREATE TRIGGER t BEFORE UPDATE OF a, b ON app.x FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION app.f('it''s', '2')",
        )
        .unwrap();
        assert_eq!(parts.args, ["it's", "2"]);
        assert_eq!(parts.columns, ["a", "b"]);
        assert_eq!(
            parts.when.as_deref(),
            Some("(old.* IS DISTINCT FROM new.*)")
        );
    }

    #[test]
    fn arguments_keep_names_types_and_defaults_and_refuse_out_parameters() {
        let args =
            arguments("org uuid, \"Weird name\" timestamp with time zone DEFAULT now()").unwrap();
        assert_eq!(args[0].name, "org");
        assert_eq!(args[1].name, "Weird name");
        assert_eq!(args[1].ty, "timestamp with time zone");
        assert_eq!(args[1].default.as_deref(), Some("now()"));
        assert!(arguments("OUT x integer").is_err());
        assert!(arguments("uuid").is_err());
        assert!(arguments("").unwrap().is_empty());
    }

    #[test]
    fn a_predicate_template_replaces_bare_references_only() {
        assert_eq!(
            predicate_template(
                "(tenant_id IN ( SELECT m.tenant_id FROM app.m WHERE (m.x = 'tenant_id')))",
                "tenant_id"
            )
            .as_deref(),
            Some("({column} IN ( SELECT m.tenant_id FROM app.m WHERE (m.x = 'tenant_id')))")
        );
        assert_eq!(
            compared_column("(workspace_id IN ( SELECT private.f() AS f))").as_deref(),
            Some("workspace_id")
        );
    }

    #[test]
    fn index_keys_carry_their_options() {
        let key = IndexKey {
            part: IndexPart::Column("Created".into()),
            descending: true,
            nulls_first: false,
            opclass: None,
            collation: None,
        };
        assert_eq!(index_key(&key), "\"Created\" DESC NULLS LAST");
        let bare = IndexKey {
            part: IndexPart::Column("Account ID".into()),
            descending: false,
            nulls_first: false,
            opclass: None,
            collation: None,
        };
        assert_eq!(index_key(&bare), "Account ID");
    }
}
