//! The one place where names and values become SQL text.

use std::cell::RefCell;
use std::collections::HashMap;

use pg_query::protobuf::{KeywordKind, Token};

/// Quotes an identifier the way PostgreSQL's `quote_ident` does: bare when it is a
/// lower-case identifier that is not a reserved word, double-quoted otherwise.
pub fn quote_ident(name: &str) -> String {
    if is_bare_identifier(name) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for ch in name.chars() {
        if ch == '"' {
            out.push('"');
        }
        out.push(ch);
    }
    out.push('"');
    out
}

/// Quotes a string literal; uses the `E''` form when the value holds a backslash so
/// that the result means the same whatever `standard_conforming_strings` is.
pub fn quote_literal(value: &str) -> String {
    let escape = value.contains('\\');
    let mut out = String::with_capacity(value.len() + 3);
    if escape {
        out.push('E');
    }
    out.push('\'');
    for ch in value.chars() {
        match ch {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(ch),
        }
    }
    out.push('\'');
    out
}

/// Dollar-quotes a function body with a tag that does not occur in it.
pub fn dollar_quote(body: &str) -> String {
    let mut tag = String::from("$$");
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$body{n}$");
    }
    format!("{tag}{body}{tag}")
}

fn is_bare_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !(first.is_ascii_lowercase() || first == '_') {
        return false;
    }
    if !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return false;
    }
    // The same few names are quoted again and again (every probe names its
    // table): the scanner's answer is kept per thread.
    thread_local! {
        static NOT_RESERVED: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
    }
    if let Some(known) = NOT_RESERVED.with(|seen| seen.borrow().get(name).copied()) {
        return known;
    }
    let not_reserved = is_not_reserved(name);
    NOT_RESERVED.with(|seen| seen.borrow_mut().insert(name.to_string(), not_reserved));
    not_reserved
}

/// Whether a lower-case identifier is no keyword or an unreserved one: keywords
/// other than unreserved ones must be quoted; the real scanner says which.
fn is_not_reserved(name: &str) -> bool {
    match super::parse::scan_tokens(name) {
        Ok(tokens) => match tokens.as_slice() {
            [token] => {
                token.token == Token::Ident as i32
                    || token.keyword_kind == KeywordKind::UnreservedKeyword as i32
            }
            _ => false,
        },
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_stay_bare_and_others_are_quoted() {
        assert_eq!(quote_ident("projects"), "projects");
        assert_eq!(quote_ident("tenant_id"), "tenant_id");
        assert_eq!(quote_ident("name"), "name"); // unreserved keyword
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("select"), "\"select\"");
        assert_eq!(quote_ident("Mixed"), "\"Mixed\"");
        assert_eq!(quote_ident("a b"), "\"a b\"");
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(quote_ident("ünï"), "\"ünï\"");
        assert_eq!(quote_ident("1abc"), "\"1abc\"");
        assert_eq!(quote_ident(""), "\"\"");
    }

    #[test]
    fn dollar_quotes_avoid_tags_in_the_body() {
        assert_eq!(dollar_quote("select 1"), "$$select 1$$");
        assert_eq!(dollar_quote("a $$ b"), "$body1$a $$ b$body1$");
    }

    #[test]
    fn literals_double_quotes_and_escape_backslashes() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal("a\\b"), "E'a\\\\b'");
        assert_eq!(quote_literal(""), "''");
    }
}
