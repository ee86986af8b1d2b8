//! `-- rlsctl:allow RULE reason`: a comment that silences one rule's findings on
//! one statement. It covers the statement it is written in, the statement that
//! ends on its line (a trailing comment), or else the statement just below it
//! (the comment block directly above a statement, no blank line between).

use super::source::Source;

/// The marker that starts an allow comment.
pub const MARKER: &str = "rlsctl:allow";

/// One allow comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    /// The rule id as written.
    pub rule: String,
    /// The reason (empty when none was given).
    pub reason: String,
    /// Byte offset of the comment.
    pub at: usize,
    /// The statement it covers (index in the file), if any.
    pub statement: Option<usize>,
}

/// Every allow comment of a file, with the statement each covers.
pub fn allows(source: &Source) -> Vec<Allow> {
    source
        .comments
        .iter()
        .filter_map(|&(start, end)| {
            let (rule, reason) = parse(source.text.get(start..end)?)?;
            Some(Allow {
                rule,
                reason,
                at: start,
                statement: covered(source, start, end),
            })
        })
        .collect()
}

/// `(rule, reason)` of an allow comment's text (`None`: not an allow comment).
fn parse(comment: &str) -> Option<(String, String)> {
    let body = comment
        .strip_prefix("--")
        .or_else(|| {
            comment
                .strip_prefix("/*")
                .map(|c| c.strip_suffix("*/").unwrap_or(c))
        })?
        .trim();
    let rest = body.strip_prefix(MARKER)?;
    // `rlsctl:allowed` is not the marker.
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim();
    let (rule, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    // Rule ids are written in capitals; `mig006` means the same.
    Some((rule.to_ascii_uppercase(), reason.trim().to_string()))
}

fn covered(source: &Source, start: usize, end: usize) -> Option<usize> {
    let statements = &source.statements;
    if let Some(i) = statements
        .iter()
        .position(|s| s.start <= start && start < s.end)
    {
        return Some(i);
    }
    let line = source.line(start);
    if let Some(i) = statements
        .iter()
        .rposition(|s| s.end <= start && source.line(s.end.saturating_sub(1)) == line)
    {
        return Some(i);
    }
    let next = statements.iter().position(|s| s.start >= end)?;
    directly_above(source, end, statements[next].start).then_some(next)
}

/// Whether only comments (and line breaks, no blank line) lie between `from` and `to`.
fn directly_above(source: &Source, from: usize, to: usize) -> bool {
    let mut gap: Vec<u8> = source.text.as_bytes()[from..to].to_vec();
    for &(s, e) in &source.comments {
        if s >= from && e <= to {
            gap[s - from..e - from].fill(b'x');
        }
    }
    let gap = String::from_utf8_lossy(&gap);
    let lines: Vec<&str> = gap.split('\n').collect();
    let n = lines.len();
    lines
        .iter()
        .enumerate()
        .all(|(i, l)| i == 0 || i == n - 1 || !l.trim().is_empty())
        && lines.first().is_none_or(|l| l.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covers(text: &str) -> Vec<(String, String, Option<usize>)> {
        let source = Source::parse("f.sql".into(), text.into()).unwrap();
        allows(&source)
            .into_iter()
            .map(|a| (a.rule, a.reason, a.statement))
            .collect()
    }

    #[test]
    fn an_allow_covers_the_statement_below_on_or_around_it() {
        let text = "select 1;\n-- rlsctl:allow mig001 big table, off hours\n-- other note\nselect 2; -- rlsctl:allow MIG002 trailing\nselect /* rlsctl:allow MIG003 inside */ 3;\n\n-- rlsctl:allow MIG004 detached\n\nselect 4;\n-- rlsctl:allow MIG005";
        assert_eq!(
            covers(text),
            [
                ("MIG001".into(), "big table, off hours".into(), Some(1)),
                ("MIG002".into(), "trailing".into(), Some(1)),
                ("MIG003".into(), "inside".into(), Some(2)),
                ("MIG004".into(), "detached".into(), None),
                ("MIG005".into(), "".into(), None),
            ]
        );
    }

    #[test]
    fn other_comments_are_not_allows() {
        assert!(covers("-- rlsctl:allowed MIG001 x\n-- allow MIG001 x\nselect 1").is_empty());
    }
}
