//! BYP009 `secdef_trigger_on_rls_table` (RLS-SEMANTICS 6.4, `[E24]`; corrects
//! pgrls SEC013): a trigger on an RLS table whose function is SECURITY
//! DEFINER runs with its owner's rights. Invoker triggers are not a bypass.

use super::{Check, Context};
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
    for t in cx.rls_tables() {
        for trigger in &t.triggers {
            if let Some(f) = cx
                .catalog
                .functions_named(&trigger.function)
                .find(|f| f.security_definer)
            {
                out.push(CHECK.finding(
                    CHECK.level,
                    &t.name,
                    Some(&trigger.name),
                    format!("trigger {} runs {} as {}: its reads and writes ignore the caller's policies", trigger.name, f.name, f.owner),
                    Some(format!("ALTER FUNCTION {}({}) SECURITY INVOKER; -- unless it must bypass RLS, then audit its body", f.name, f.identity_arguments)),
                ));
            }
        }
    }
    out
}
