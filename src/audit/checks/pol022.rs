//! POL022 `volatile_function_in_policy` (RLS-SEMANTICS 6.2, pgrls PERF002):
//! a VOLATILE function (`random()`, `nextval`, `clock_timestamp`, or a user
//! function declared VOLATILE) in a policy runs per row and can't be inlined.

use super::{Check, Context, PolicyRef};
use crate::audit::expr::all_calls;
use crate::audit::{Finding, Level};
use crate::catalog::{QualifiedName, Volatility};

/// The check.
pub const CHECK: Check = Check {
    id: "POL022",
    name: "volatile_function_in_policy",
    level: Level::Warn,
    summary: "VOLATILE function in a policy",
    run,
};

const VOLATILE_BUILTINS: &[&str] = &[
    "random",
    "nextval",
    "setval",
    "clock_timestamp",
    "timeofday",
    "gen_random_uuid",
    "uuid_generate_v4",
    "txid_current",
];

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &cx.catalog.tables {
        for p in cx.policies(t) {
            let mut volatile: Vec<String> = Vec::new();
            for name in [&p.using, &p.with_check]
                .into_iter()
                .flatten()
                .flat_map(all_calls)
            {
                let hit = match name.as_slice() {
                    [f] | [_, f]
                        if VOLATILE_BUILTINS.contains(&f.as_str())
                            && (name.len() == 1 || name[0] == "pg_catalog") =>
                    {
                        true
                    }
                    [s, f] => cx
                        .catalog
                        .functions_named(&QualifiedName::new(s.clone(), f.clone()))
                        .any(|x| x.volatility == Volatility::Volatile),
                    _ => false,
                };
                let shown = name.join(".");
                if hit && !volatile.contains(&shown) {
                    volatile.push(shown);
                }
            }
            if !volatile.is_empty() {
                out.push(CHECK.finding(
                    CHECK.level,
                    &PolicyRef(t, &p.policy.name),
                    None,
                    format!("calls VOLATILE {}: evaluated for every row, never cached", volatile.join(", ")),
                    Some("-- mark helpers STABLE when they only read, and avoid volatile built-ins in policies".to_string()),
                ));
            }
        }
    }
    out
}
