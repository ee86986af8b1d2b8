//! BYP009 `secdef_trigger_on_rls_table` (RLS-SEMANTICS 6.4, `[E24]`; corrects
//! pgrls SEC013): a trigger on an RLS table whose function is SECURITY
//! DEFINER runs with its owner's rights. Invoker triggers are not a bypass.
//! Its body is read as code (`audit::body`, `NEW.<tenant key>` counting as the
//! caller's: the policies admitted it): WARN when a statement reads or writes an
//! RLS table its owner bypasses under no predicate on the caller, or the body is
//! opaque; INFO when every such statement is scoped (an audit-log writer).

use super::byp004::{Verdict, resolve, tenant_columns};
use super::{Check, Context};
use crate::audit::body;
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "BYP009",
    name: "secdef_trigger_on_rls_table",
    level: Level::Warn,
    summary: "trigger on an RLS table runs a SECURITY DEFINER function",
    run,
};

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let none = |_: &[String]| None;
    let tenant_key = |r: &(Option<String>, String)| resolve(cx, r).and_then(|t| cx.tenant_key(t));
    let columns = |r: &(Option<String>, String)| {
        resolve(cx, r).map_or_else(Vec::new, |t| {
            t.columns.iter().map(|c| c.name.clone()).collect()
        })
    };
    let tenant_columns = tenant_columns(cx);
    let knowledge = body::Knowledge {
        helpers: &cx.helpers,
        verifier: &none,
        tenant_key: &tenant_key,
        columns: &columns,
        tenant_columns: &tenant_columns,
        trees: &cx.trees,
    };
    for t in cx.rls_tables() {
        for trigger in &t.triggers {
            if let Some(f) = cx
                .catalog
                .functions_named(&trigger.function)
                .find(|f| f.security_definer)
            {
                let verdict = Verdict::of(cx, f, &body::read(f, &knowledge));
                let (level, what) = if let Some(why) = &verdict.opaque {
                    (Level::Warn, format!("; {why}: what it does is unknown"))
                } else if !verdict.unscoped.is_empty() {
                    (
                        Level::Warn,
                        format!(
                            "; it {} under no predicate on the caller's rows",
                            verdict.unscoped.join(", ")
                        ),
                    )
                } else {
                    (Level::Info, "; read as code, every statement on RLS tables it bypasses is scoped by the caller's row (NEW/OLD tenant key) or context".to_string())
                };
                out.push(CHECK.finding(
                    level,
                    &t.name,
                    Some(&trigger.name),
                    format!("trigger {} runs {} as {}: its reads and writes ignore the caller's policies{what}", trigger.name, f.name, f.owner),
                    Some(format!("ALTER FUNCTION {}({}) SECURITY INVOKER; -- unless it must bypass RLS, then audit its body", f.name, f.identity_arguments)),
                ));
            }
        }
    }
    out
}
