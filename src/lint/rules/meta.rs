//! The rules the engine applies itself: a file that does not parse, and allow
//! comments that are malformed or silence nothing.

use super::Rule;
use crate::lint::finding::Level;

/// MIG000: the file does not parse; nothing else in it is linted.
pub const SYNTAX: Rule = Rule {
    id: "MIG000",
    name: "syntax-error",
    level: Level::Error,
    summary: "the file does not parse as PostgreSQL",
    check: None,
};

/// MIG017: an allow comment without a reason, or naming no rule; it silences nothing.
pub const ALLOW_MALFORMED: Rule = Rule {
    id: "MIG017",
    name: "allow-without-reason",
    level: Level::Error,
    summary: "an `-- rlsctl:allow` comment without a reason or with an unknown rule",
    check: None,
};

/// MIG018: an allow comment that silences no finding.
pub const ALLOW_UNUSED: Rule = Rule {
    id: "MIG018",
    name: "allow-unused",
    level: Level::Warning,
    summary: "an `-- rlsctl:allow` comment that silences nothing",
    check: None,
};
