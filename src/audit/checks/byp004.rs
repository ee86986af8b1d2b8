//! BYP004 `secdef_function_client_executable` (RLS-SEMANTICS 6.4, L14, `[E12]`,
//! sp 0028/0029, pgrls SEC014): a SECURITY DEFINER function a client can
//! execute (PUBLIC may EXECUTE by default). ERROR when its owner bypasses RLS
//! and its body names an RLS table without reading the caller's context
//! (`[E12]`'s `all_secrets()`); a body that scopes by `auth.uid()`,
//! `current_setting` or a context helper stays WARN: opaque to static
//! analysis, to be probed by `rlsctl test`.
//!
//! Policies call functions as the querying role, so a role whose queries
//! evaluate a policy that calls the function must keep EXECUTE: the fix never
//! revokes it from them. A policy helper that scopes by the caller (or reads
//! no RLS table bypassing RLS) outside the API's schemas is the recommended
//! pattern (Supabase's "private" helpers, which also keep a membership policy
//! from recursing into itself): no finding, POL024 marks its policies opaque.
//! The same helper in an API schema is callable over `/rpc`: WARN, moved out
//! (policies reference functions by OID, so they follow it).

use super::{Check, Context, PolicyUse, list, roles_sql};
use crate::audit::body;
use crate::audit::expr::all_calls;
use crate::audit::{Finding, Level};
use crate::catalog::{Function, FunctionBody, PolicyCommand, Privilege, Table};
use crate::sql::quote_ident;

/// The check.
pub const CHECK: Check = Check {
    id: "BYP004",
    name: "secdef_function_client_executable",
    level: Level::Warn,
    summary: "SECURITY DEFINER function executable by a client role",
    run,
};

/// Where a policy helper found in an API schema is moved to.
const PRIVATE_SCHEMA: &str = "private";

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // PostgreSQL runs a function returning `trigger` or `event_trigger` only as a
    // trigger: no client can call it, whatever EXECUTE says.
    let callable =
        |f: &&Function| !matches!(f.result.as_deref(), Some("trigger") | Some("event_trigger"));
    // Boolean functions of every user schema (a guard's callee often lives in a
    // `private` schema outside the scan).
    let verifiers: Vec<(&str, &str, Vec<bool>)> = cx
        .facts
        .boolean_functions
        .iter()
        .map(|f| {
            let v = body::verified_arguments_of(
                &f.name,
                &f.language,
                &f.arguments,
                &f.body,
                &cx.helpers,
                &cx.trees,
            );
            (f.schema.as_str(), f.name.as_str(), v)
        })
        .chain(cx.catalog.functions.iter().map(|f| {
            (
                f.name.schema.as_str(),
                f.name.name.as_str(),
                body::verified_arguments(f, &cx.helpers, &cx.trees),
            )
        }))
        .filter(|(_, _, v)| v.iter().any(|x| *x))
        .collect();
    let verifier = |name: &[String]| {
        verifiers
            .iter()
            .find(|(schema, function, _)| match name {
                [s, n] => s == schema && n == function,
                [n] => n == function,
                _ => false,
            })
            .map(|(_, _, v)| v.clone())
    };
    let tenant_key = |r: &(Option<String>, String)| resolve(cx, r).and_then(|t| cx.tenant_key(t));
    let columns = |r: &(Option<String>, String)| {
        resolve(cx, r).map_or_else(Vec::new, |t| {
            t.columns.iter().map(|c| c.name.clone()).collect()
        })
    };
    let tenant_columns = tenant_columns(cx);
    // Every `schema.function` a policy calls, read once (not once per function).
    let policy_called: std::collections::BTreeSet<Vec<String>> = cx
        .rls_tables()
        .flat_map(|t| cx.policies(t))
        .flat_map(|p| [&p.using, &p.with_check])
        .flatten()
        .flat_map(all_calls)
        .collect();
    let knowledge = body::Knowledge {
        helpers: &cx.helpers,
        verifier: &verifier,
        tenant_key: &tenant_key,
        columns: &columns,
        tenant_columns: &tenant_columns,
        trees: &cx.trees,
    };
    for f in cx
        .catalog
        .functions
        .iter()
        .filter(|f| f.security_definer)
        .filter(callable)
    {
        let callers: Vec<String> = cx
            .clients()
            .iter()
            .filter(|r| {
                cx.access.uses_schema(r, &f.name.schema)
                    && cx.access.holds(
                        r,
                        &f.acl,
                        &f.owner,
                        &[Privilege::Execute],
                        Privilege::Execute,
                    )
            })
            .cloned()
            .collect();
        if callers.is_empty() {
            continue;
        }
        let read = body::read(f, &knowledge);
        let verdict = Verdict::of(cx, f, &read);
        let users = if policy_called.contains(&vec![f.name.schema.clone(), f.name.name.clone()]) {
            policy_callers(cx, f)
        } else {
            PolicyUse::default()
        };
        let exposed = cx.scope.api_schemas.contains(&f.name.schema);
        let harmless_helper = verdict.unscoped.is_empty() && verdict.opaque_bypass.is_empty();
        if !users.roles.is_empty() && harmless_helper && !exposed {
            continue;
        }
        let (level, extra) = verdict.explain(f);
        let exposure = if exposed {
            format!("; schema {} is exposed by the API", f.name.schema)
        } else {
            String::new()
        };
        let used = users.note("call");
        let signature = format!("{}({})", f.name, f.identity_arguments);
        let bypassed: Vec<&Table> = verdict.bypassed.clone();
        let fix = if users.roles.is_empty() {
            format!(
                "REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC, {}; -- or make it SECURITY INVOKER",
                roles_sql(&callers)
            )
        } else {
            policy_helper_fix(
                cx,
                f,
                &signature,
                &callers,
                &users,
                &bypassed,
                harmless_helper,
            )
        };
        out.push(CHECK.finding(
            level,
            &signature,
            None,
            format!(
                "runs as {} and {} may call it{extra}{exposure}{used}",
                f.owner,
                list(&callers)
            ),
            Some(fix),
        ));
    }
    out
}

/// The tenant key columns of the scanned tables, sorted and unique.
pub(super) fn tenant_columns(cx: &Context<'_>) -> Vec<String> {
    let mut keys: Vec<String> = cx.rls_tables().filter_map(|t| cx.tenant_key(t)).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The catalog table a relation named in a body is, if the scan holds it.
pub(super) fn resolve<'c>(cx: &Context<'c>, r: &(Option<String>, String)) -> Option<&'c Table> {
    match &r.0 {
        Some(schema) => cx.catalog.table(&crate::catalog::QualifiedName::new(
            schema.clone(),
            r.1.clone(),
        )),
        None => cx.catalog.tables.iter().find(|t| t.name.name == r.1),
    }
}

/// What a definer function's body does with its owner's rights.
pub(super) struct Verdict<'c> {
    /// RLS tables its owner bypasses that it reads or writes (scoped or not).
    bypassed: Vec<&'c Table>,
    /// Of those, the accesses not scoped by the caller: `writes app.docs`.
    pub(super) unscoped: Vec<String>,
    /// Relations outside the scan it reads or writes unscoped.
    outside: Vec<String>,
    /// Why the body is opaque, and the RLS tables its owner bypasses whose
    /// names its text holds.
    pub(super) opaque: Option<String>,
    opaque_bypass: Vec<String>,
}

impl<'c> Verdict<'c> {
    pub(super) fn of(cx: &Context<'c>, f: &Function, read: &body::Body) -> Self {
        let mut v = Verdict {
            bypassed: Vec::new(),
            unscoped: Vec::new(),
            outside: Vec::new(),
            opaque: read.opaque.clone(),
            opaque_bypass: Vec::new(),
        };
        for touch in &read.touches {
            let verb = if touch.write { "writes" } else { "reads" };
            match resolve(cx, &touch.relation) {
                Some(t) if t.rls_enabled && cx.access.reads_without_rls(&f.owner, t) => {
                    if !v.bypassed.iter().any(|b| b.name == t.name) {
                        v.bypassed.push(t);
                    }
                    let what = format!("{verb} {}", t.name);
                    if !touch.scoped && !v.unscoped.contains(&what) {
                        v.unscoped.push(what);
                    }
                }
                Some(_) => {}
                None => {
                    let schema = touch.relation.0.as_deref().unwrap_or("");
                    let what = match schema {
                        "" => format!("{verb} {}", touch.relation.1),
                        s => format!("{verb} {s}.{}", touch.relation.1),
                    };
                    let system = matches!(schema, "pg_catalog" | "information_schema");
                    if !touch.scoped && !system && !v.outside.contains(&what) {
                        v.outside.push(what);
                    }
                }
            }
        }
        if v.opaque.is_some() {
            let text = match &f.body {
                FunctionBody::Source(s) | FunctionBody::SqlStandard(s) => s.to_lowercase(),
            };
            v.opaque_bypass = cx
                .rls_tables()
                .filter(|t| {
                    text.contains(&t.name.name.to_lowercase())
                        && cx.access.reads_without_rls(&f.owner, t)
                })
                .map(|t| t.name.to_string())
                .collect();
        }
        v
    }

    /// The level and the reason's tail.
    fn explain(&self, f: &Function) -> (Level, String) {
        if !self.unscoped.is_empty() {
            return (
                Level::Error,
                format!(
                    "; its owner {} bypasses RLS, and it {} under no predicate on the caller's context, whatever the caller",
                    f.owner,
                    self.unscoped.join(", ")
                ),
            );
        }
        if let Some(why) = &self.opaque {
            if !self.opaque_bypass.is_empty() {
                return (
                    Level::Error,
                    format!(
                        "; {why}, and its owner {} bypasses RLS on {}, which it names: what it does is unknown, not safe",
                        f.owner,
                        self.opaque_bypass.join(", ")
                    ),
                );
            }
            return (
                Level::Warn,
                format!(
                    "; {why}: what it does with its owner's rights is unknown (verify with rlsctl test)"
                ),
            );
        }
        if !self.outside.is_empty() {
            return (
                Level::Warn,
                format!(
                    "; it {} outside the audited schemas with its owner's rights, under no predicate on the caller's context",
                    self.outside.join(", ")
                ),
            );
        }
        if self.bypassed.is_empty() {
            return (
                Level::Info,
                "; read as code, it reads and writes no RLS table bypassing RLS".to_string(),
            );
        }
        (
            Level::Info,
            format!(
                "; it reads {} bypassing RLS, but every statement on them is scoped by the caller's context or a guard that raises otherwise",
                self.bypassed
                    .iter()
                    .map(|t| t.name.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    }
}

/// The policies that call a function, and the client roles whose queries evaluate them.
pub(super) fn policy_callers(cx: &Context<'_>, f: &Function) -> PolicyUse {
    cx.policy_use(|_, p| {
        [&p.using, &p.with_check]
            .into_iter()
            .flatten()
            .flat_map(all_calls)
            .any(|name| calls_function(&name, f))
    })
}

/// Whether a called name (`schema.name`, as `pg_get_expr` prints it under an
/// empty search path) is the function.
fn calls_function(name: &[String], f: &Function) -> bool {
    matches!(name, [schema, function] if *schema == f.name.schema && *function == f.name.name)
}

/// A fix for a function the policies call: EXECUTE stays with the roles that
/// evaluate them; what changes is where the function lives or what it reads.
fn policy_helper_fix(
    cx: &Context<'_>,
    f: &Function,
    signature: &str,
    callers: &[String],
    users: &PolicyUse,
    bypassed: &[&Table],
    harmless_helper: bool,
) -> String {
    let others: Vec<String> = callers
        .iter()
        .filter(|r| !users.roles.contains(r))
        .cloned()
        .collect();
    let mut sql = String::new();
    if !others.is_empty() {
        sql.push_str(&format!(
            "REVOKE EXECUTE ON FUNCTION {signature} FROM PUBLIC, {}; GRANT EXECUTE ON FUNCTION {signature} TO {}; ",
            roles_sql(&others),
            roles_sql(&users.roles)
        ));
    }
    let keep = format!(
        "the policies call it as {}, which keep EXECUTE",
        list(&users.roles)
    );
    if harmless_helper {
        if cx.scope.api_schemas.iter().any(|s| s == PRIVATE_SCHEMA) {
            sql.push_str(&format!(
                "-- move it to a schema the API does not expose (ALTER FUNCTION {signature} SET SCHEMA ...); {keep}"
            ));
        } else {
            let private = quote_ident(PRIVATE_SCHEMA);
            sql.push_str(&format!(
                "CREATE SCHEMA IF NOT EXISTS {private}; ALTER FUNCTION {signature} SET SCHEMA {private}; \
                 -- out of the API; {keep}, and policies follow the function wherever it lives"
            ));
        }
        return sql;
    }
    match invoker_breaks(cx, f, users, bypassed) {
        None => sql.push_str(&format!(
            "ALTER FUNCTION {signature} SECURITY INVOKER; -- {keep}; as invoker it reads {} under their own policies",
            bypassed
                .iter()
                .map(|t| t.name.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Some(why) => sql.push_str(&format!(
            "-- keep it SECURITY DEFINER ({why}) but scope its body by the caller: read only the \
             rows of (select auth.uid()) or the session context, never of an argument; {keep}"
        )),
    }
    sql
}

/// Why making the function SECURITY INVOKER would break the policies that
/// call it, if it would: a table it reads calls it from its own policies
/// (recursion), or a role that evaluates them cannot read that table.
pub(super) fn invoker_breaks(
    cx: &Context<'_>,
    f: &Function,
    users: &PolicyUse,
    bypassed: &[&Table],
) -> Option<String> {
    for t in bypassed {
        let recursive = cx.policies(t).iter().any(|p| {
            [&p.using, &p.with_check]
                .into_iter()
                .flatten()
                .flat_map(all_calls)
                .any(|name| calls_function(&name, f))
        });
        if recursive {
            return Some(format!(
                "as invoker it would recurse into the policies of {}",
                t.name
            ));
        }
        for r in &users.roles {
            if !cx.access.on_table(r, t, Privilege::Select)
                || cx
                    .effective(t, r, PolicyCommand::Select)
                    .permissive
                    .is_empty()
            {
                return Some(format!("as invoker {r} could not read {}", t.name));
            }
        }
    }
    None
}
