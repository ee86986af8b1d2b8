//! Reach: who can exploit a finding, and the level that follows from it; and
//! the merging of findings that share one root cause.
//!
//! A check that knows better sets the reach itself (`Finding::with_reach`:
//! a foreign key on a table no client can write is `none`). Otherwise it is
//! derived: checks about privileges PostgREST never uses (TRUNCATE, TRIGGER,
//! REFERENCES, CREATE, sequences, `SET ROLE`, planner counters, LEAKPROOF
//! functions called from one's own SQL) are `direct-sql`; the Supabase pack's
//! surfaces are `api`; anything else is `api` when its schema is one the API
//! exposes (`pgrst.db_schemas`, else Supabase's defaults), else `direct-sql`.
//!
//! The level follows: `none` is at most INFO; `direct-sql` is at most WARN
//! when an API was detected (its client roles are then reached through it,
//! not by SQL sessions of their own); `api` keeps the check's level.

use std::collections::BTreeMap;

use super::checks::Context;
use super::finding::{Finding, Level, Reach};

/// Checks whose findings need a privilege or a session PostgREST never gives.
const DIRECT_SQL_ONLY: &[&str] = &[
    "PRV002", "PRV004", "PRV005", "PRV006", "PRV007", "PRV009", "SID003", "BYP007",
];

/// Which of two findings with one root cause is kept (the others are listed in it).
const ROOT_PREFERENCE: &[&str] = &["BYP011", "SID002"];

/// Sets every finding's reach (unless its check did) and its level from it.
pub fn assign(cx: &Context<'_>, findings: &mut [Finding]) {
    let api = !cx.scope.api_schemas.is_empty();
    for f in findings.iter_mut() {
        if !f.reach_fixed {
            f.reach = derived(cx, f);
        }
        f.level = level(f.level, f.reach, api);
    }
}

/// The level a finding of `level` keeps at `reach`.
pub fn level(level: Level, reach: Reach, api: bool) -> Level {
    match reach {
        Reach::None => Level::Info,
        Reach::DirectSql if api => level.max(Level::Warn),
        _ => level,
    }
}

fn derived(cx: &Context<'_>, f: &Finding) -> Reach {
    if DIRECT_SQL_ONLY.contains(&f.check.as_str()) {
        return Reach::DirectSql;
    }
    if f.check.starts_with("SB") {
        return Reach::Api;
    }
    let exposed = |schema: &str| cx.scope.api_schemas.iter().any(|s| s == schema);
    match schema_of(cx, &f.object) {
        Some(schema) if exposed(schema) => Reach::Api,
        Some(_) => Reach::DirectSql,
        // Roles, the database: what API requests run as.
        None if !cx.scope.api_schemas.is_empty() => Reach::Api,
        None => Reach::DirectSql,
    }
}

/// The scanned schema an object (`app.docs`, `schema app`, `app.f(int)`) lives in.
fn schema_of<'c>(cx: &Context<'c>, object: &str) -> Option<&'c str> {
    let object = object.strip_prefix("schema ").unwrap_or(object);
    cx.catalog
        .schemas
        .iter()
        .map(|s| s.name.as_str())
        .filter(|s| {
            let quoted = crate::sql::quote_ident(s);
            object == quoted || object.starts_with(&format!("{quoted}."))
        })
        .max_by_key(|s| s.len())
}

/// Findings that share a root cause become one: the most severe (then the
/// preferred check's) finding, listing the others as its consequences.
pub fn merge(findings: Vec<Finding>) -> Vec<Finding> {
    let mut by_root: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    let mut out = Vec::new();
    for f in findings {
        match f.root.clone() {
            Some(root) => by_root.entry(root).or_default().push(f),
            None => out.push(f),
        }
    }
    for (_, mut group) in by_root {
        let rank = |f: &Finding| {
            (
                f.level,
                ROOT_PREFERENCE
                    .iter()
                    .position(|c| *c == f.check)
                    .unwrap_or(ROOT_PREFERENCE.len()),
            )
        };
        group.sort_by_key(rank);
        let mut group = group.into_iter();
        let Some(mut kept) = group.next() else {
            continue;
        };
        for other in group {
            kept.consequences
                .push(format!("{} {}: {}", other.check, other.name, other.reason));
            kept.merged.push(other.key);
        }
        out.push(kept);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_follows_the_reach() {
        assert_eq!(level(Level::Error, Reach::Api, true), Level::Error);
        assert_eq!(level(Level::Error, Reach::DirectSql, true), Level::Warn);
        assert_eq!(level(Level::Error, Reach::DirectSql, false), Level::Error);
        assert_eq!(level(Level::Warn, Reach::None, false), Level::Info);
        assert_eq!(level(Level::Info, Reach::DirectSql, true), Level::Info);
    }
}
