//! BYP005 `secdef_search_path_unsafe` (RLS-SEMANTICS 6.4, sp 0011, pgrls
//! SEC015, sql-createfunction "Writing SECURITY DEFINER Functions Safely"): a
//! SECURITY DEFINER function without a pinned `search_path`, or with `pg_temp`
//! not last.

use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP005",
    name: "secdef_search_path_unsafe",
    level: Level::Warn,
    summary: "SECURITY DEFINER function without a safe pinned search_path",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in cx.catalog.functions.iter().filter(|f| f.security_definer) {
        let problem = match f.pinned_search_path() {
            None => {
                "no pinned search_path: callers' schemas can shadow the names it uses".to_string()
            }
            Some(path) => {
                let parts: Vec<&str> = path
                    .split(',')
                    .map(|p| p.trim().trim_matches('"'))
                    .collect();
                match parts.iter().position(|p| *p == "pg_temp") {
                    Some(i) if i + 1 != parts.len() => {
                        format!("search_path={path} puts pg_temp before other schemas")
                    }
                    _ => continue,
                }
            }
        };
        let signature = format!("{}({})", f.name, f.identity_arguments);
        out.push(CHECK.finding(
            CHECK.level,
            &signature,
            None,
            problem,
            Some(format!("ALTER FUNCTION {signature} SET search_path = '';")),
        ));
    }
    out
}
