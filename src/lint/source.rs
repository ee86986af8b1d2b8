//! One migration file as the linter sees it: its statements (syntax trees from
//! PostgreSQL's parser, with where each starts and ends), its comments (from
//! PostgreSQL's scanner), and byte offsets turned into line and column.

use std::path::PathBuf;

use pg_query::NodeEnum;
use pg_query::protobuf::Token;

use crate::sql::parse::{SyntaxError, statement_trees};

/// A parsed migration file.
#[derive(Debug)]
pub struct Source {
    /// The file, as it is shown in findings.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Its statements in order.
    pub statements: Vec<Statement>,
    /// Its `--` and `/* */` comments in order: (start, end) byte offsets.
    pub comments: Vec<(usize, usize)>,
}

/// One top-level statement.
#[derive(Debug)]
pub struct Statement {
    /// Its syntax tree.
    pub node: NodeEnum,
    /// Byte offset of its first token (after leading whitespace and comments).
    pub start: usize,
    /// Byte offset just past its last token, the `;` included when there is one.
    pub end: usize,
}

impl Source {
    /// Parses `text`; a syntax error is returned with the byte offset of the
    /// offending token when PostgreSQL's message lets us find it.
    pub fn parse(path: PathBuf, text: String) -> Result<Source, SyntaxError> {
        let tree = statement_trees(&text)?;
        // pg_query 18.1's scan_tokens builds a slice from a null pointer when the
        // text has no token at all (undefined behaviour; a panic in debug builds).
        let blank = text.bytes().all(|b| b" \t\n\r\x0b\x0c".contains(&b));
        let tokens = if blank {
            Vec::new()
        } else {
            pg_query::scan_tokens(&text).map_err(|e| SyntaxError {
                message: e.to_string(),
                offset: None,
                at_end: false,
            })?
        };
        let is_comment = |t: i32| t == Token::SqlComment as i32 || t == Token::CComment as i32;
        let span = |t: &pg_query::protobuf::ScanToken| {
            (
                usize::try_from(t.start).unwrap_or(0),
                usize::try_from(t.end).unwrap_or(0),
            )
        };
        let comments: Vec<(usize, usize)> = tokens
            .iter()
            .filter(|t| is_comment(t.token))
            .map(span)
            .collect();
        let code: Vec<(usize, usize)> = tokens
            .iter()
            .filter(|t| !is_comment(t.token))
            .map(span)
            .collect();
        let mut statements = Vec::new();
        for raw in tree.stmts {
            let Some(node) = raw.stmt.and_then(|s| s.node) else {
                continue;
            };
            let from = usize::try_from(raw.stmt_location).unwrap_or(0);
            let len = usize::try_from(raw.stmt_len).unwrap_or(0);
            // A length of 0 means "to the end of the text" (the last statement).
            let to = if len == 0 { text.len() } else { from + len };
            // Tokens are in text order: the statement's are those starting in [from, to).
            let first_in = code.partition_point(|(s, _)| *s < from);
            let after = code.partition_point(|(s, _)| *s < to);
            if first_in >= after {
                continue;
            }
            let first = code[first_in];
            let mut end = code[after - 1].1;
            // The terminating `;` is the first code token after the statement.
            if let Some((s, e)) = code.get(after)
                && text.get(*s..*e) == Some(";")
            {
                end = *e;
            }
            statements.push(Statement {
                node,
                start: first.0,
                end,
            });
        }
        Ok(Source {
            path,
            text,
            statements,
            comments,
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.line_col(offset).0
    }
}

/// 1-based line and column (in characters) of a byte offset into `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_start_at_their_first_token_and_end_after_their_semicolon() {
        let text = "-- head\ncreate table t (x int);\n\n/* c */ alter table t add column y int ;\nselect 1";
        let s = Source::parse("f.sql".into(), text.into()).unwrap();
        let spans: Vec<&str> = s
            .statements
            .iter()
            .map(|st| &text[st.start..st.end])
            .collect();
        assert_eq!(
            spans,
            [
                "create table t (x int);",
                "alter table t add column y int ;",
                "select 1"
            ]
        );
        assert_eq!(s.comments.len(), 2);
        assert_eq!(s.line_col(s.statements[1].start), (4, 9));
    }

    #[test]
    fn an_empty_or_blank_file_has_no_statement() {
        for text in ["", " \n\t\x0b\x0c\r\n"] {
            let s = Source::parse("f.sql".into(), text.into()).unwrap();
            assert!(s.statements.is_empty() && s.comments.is_empty());
        }
        let s = Source::parse("f.sql".into(), "-- only a comment\n".into()).unwrap();
        assert_eq!((s.statements.len(), s.comments.len()), (0, 1));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_col("é\nçx", 5), (2, 2));
        assert_eq!(line_col("é\nçx", 4), (2, 1)); // inside ç: its start
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
