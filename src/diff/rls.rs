//! Row-level security of a table: ENABLE/FORCE and policies. Policies change by
//! ALTER POLICY where PostgreSQL allows it (roles, USING, WITH CHECK), and by
//! drop + create otherwise (command, permissive/restrictive, removing an
//! expression). A change that only narrows (a conjunct added, roles removed, a
//! command narrowed: `direction`) is no hazard; one that may admit more rows is
//! `RlsWidened` on a tenant table (the isolation proof decides it) and
//! `RlsWeakened` elsewhere, or where no proof over the client roles can tell
//! (RLS disabled, FORCE removed, a policy reaching more roles).

use super::direction::{Widening, expressions_narrowed};
use super::render::{alter_policy, comment, create_policy, drop_policy};
use super::{Action, Change, Hazard, Options, Phase};
use crate::catalog::{Grantee, Policy, PolicyCommand, PolicyMode, QualifiedName, Table};
use crate::sql::quote_ident;

/// ENABLE / FORCE of a new table: part of its creation, not a change of its own.
pub(super) fn create_steps(want: &Table) -> Vec<(Phase, String)> {
    let table = &want.name;
    let mut steps = Vec::new();
    if want.rls_enabled {
        steps.push((
            Phase::Rls,
            format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"),
        ));
    }
    if want.rls_forced {
        steps.push((
            Phase::Rls,
            format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"),
        ));
    }
    steps
}

/// ENABLE / FORCE of an existing table turned on or off.
fn switches(have: &Table, want: &Table, changes: &mut Vec<Change>) {
    let table = &want.name;
    if want.rls_enabled != have.rls_enabled {
        let change = Change::new(Action::Alter, format!("row-level security of {table}"));
        changes.push(if want.rls_enabled {
            change.detail("enable").step(
                Phase::Rls,
                format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"),
            )
        } else {
            change
                .detail("disable")
                .step(
                    Phase::RlsOff,
                    format!("ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"),
                )
                .hazard(Hazard::RlsWeakened(format!(
                    "row-level security is disabled on {table}: every granted role sees every row"
                )))
        });
    }
    if want.rls_forced != have.rls_forced {
        let change = Change::new(Action::Alter, format!("row-level security of {table}"));
        changes.push(if want.rls_forced {
            change.detail("force").step(
                Phase::Rls,
                format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"),
            )
        } else {
            change
                .detail("no force")
                .step(
                    Phase::RlsOff,
                    format!("ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY"),
                )
                .hazard(Hazard::RlsWeakened(format!(
                    "FORCE is removed: the owner of {table} bypasses its policies"
                )))
        });
    }
}

/// RLS changes of one table; `have` is None for a new table, whose ENABLE /
/// FORCE are steps of its creation ([`create_steps`]). `retyped` drops and
/// creates every kept policy (a column they may use changes type, which
/// PostgreSQL refuses while a policy depends on it); so does a call to one of
/// the `recreated` functions (dropped and created again).
pub(super) fn diff(
    have: Option<&Table>,
    want: &Table,
    options: &Options,
    retyped: bool,
    recreated: &[QualifiedName],
    changes: &mut Vec<Change>,
) {
    let table = &want.name;
    if let Some(have) = have {
        switches(have, want, changes);
    }
    // Policies only narrow what a table with RLS enabled shows; while it is off,
    // every granted role sees every row, so no policy change can weaken it.
    let enforced = have.is_some_and(|h| h.rls_enabled);
    let existing: &[Policy] = have.map_or(&[], |h| &h.policies);
    let widened = |reason: String| match options.tenant_tables.get(table) {
        Some(tenant) => Hazard::RlsWidened(Widening::unproven(tenant, reason)),
        None => Hazard::RlsWeakened(reason),
    };
    for p in &want.policies {
        let object = format!("policy {} on {table}", quote_ident(&p.name));
        let Some(old) = existing.iter().find(|o| o.name == p.name) else {
            let mut change =
                Change::new(Action::Create, object).step(Phase::Policies, create_policy(table, p));
            if p.mode == PolicyMode::Permissive && enforced {
                change = change.hazard(widened(
                    "a new permissive policy admits more rows (permissive policies are OR-ed)"
                        .to_string(),
                ));
            }
            changes.push(change);
            continue;
        };
        if old.comment != p.comment {
            changes.push(
                Change::new(Action::Alter, format!("comment on {object}")).step(
                    Phase::Comments,
                    comment(
                        &format!("POLICY {} ON {table}", quote_ident(&p.name)),
                        p.comment.as_deref(),
                    ),
                ),
            );
        }
        let recreate = retyped || calls_any(old, recreated);
        if same_policy(old, p) {
            if recreate {
                changes.push(
                    Change::new(Action::Alter, object)
                        .detail("recreated around a column type change or a recreated function")
                        .step(Phase::DropPolicies, drop_policy(table, &p.name))
                        .step(Phase::Policies, create_policy(table, p)),
                );
            }
            continue;
        }
        let mut change = Change::new(Action::Alter, object).detail(differences(old, p).join(", "));
        if (old.using != p.using || old.with_check != p.with_check) && expressions_narrowed(old, p)
        {
            change.detail = change.detail.map(|d| format!("{d}: narrowed"));
        }
        if old.using != p.using {
            change = change.text("using", old.using.as_deref(), p.using.as_deref());
        }
        if old.with_check != p.with_check {
            change = change.text(
                "with check",
                old.with_check.as_deref(),
                p.with_check.as_deref(),
            );
        }
        for (reason, provable) in weakening(old, p).into_iter().filter(|_| enforced) {
            change = change.hazard(if provable {
                widened(reason)
            } else {
                Hazard::RlsWeakened(reason)
            });
        }
        let in_place = old.command == p.command
            && old.mode == p.mode
            && !(old.using.is_some() && p.using.is_none())
            && !(old.with_check.is_some() && p.with_check.is_none())
            && !recreate;
        change = if in_place {
            change.step(Phase::Policies, alter_policy(table, p))
        } else {
            change
                .step(Phase::DropPolicies, drop_policy(table, &p.name))
                .step(Phase::Policies, create_policy(table, p))
        };
        changes.push(change);
    }
    for old in existing
        .iter()
        .filter(|o| !want.policies.iter().any(|p| p.name == o.name))
    {
        let mut change = Change::new(
            Action::Drop,
            format!("policy {} on {table}", quote_ident(&old.name)),
        )
        .step(Phase::DropPolicies, drop_policy(table, &old.name));
        if old.mode == PolicyMode::Restrictive && enforced {
            change = change.hazard(widened(
                "a restrictive policy is dropped: rows it excluded become reachable".to_string(),
            ));
        }
        changes.push(change);
    }
}

fn differences(old: &Policy, new: &Policy) -> Vec<String> {
    let mut out = Vec::new();
    if old.command != new.command {
        out.push(format!("command {:?} → {:?}", old.command, new.command).to_lowercase());
    }
    if old.mode != new.mode {
        out.push(format!("{:?} → {:?}", old.mode, new.mode).to_lowercase());
    }
    if !same_roles(&old.roles, &new.roles) {
        let names = |r: &[Grantee]| {
            r.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(format!(
            "roles {} → {}",
            names(&old.roles),
            names(&new.roles)
        ));
    }
    // The texts themselves travel as `Change::texts`, shown as a word diff.
    if old.using != new.using {
        out.push(format!("using {}", changed(&old.using, &new.using)));
    }
    if old.with_check != new.with_check {
        out.push(format!(
            "with check {}",
            changed(&old.with_check, &new.with_check)
        ));
    }
    out
}

/// Equal but for the order of the roles, which PostgreSQL keeps as written.
fn same_policy(a: &Policy, b: &Policy) -> bool {
    a.name == b.name
        && a.command == b.command
        && a.mode == b.mode
        && same_roles(&a.roles, &b.roles)
        && a.using == b.using
        && a.with_check == b.with_check
}

/// Whether the policy's expressions call one of `functions` (as PostgreSQL
/// prints them: `schema.name(`, the schema always given outside its search path).
fn calls_any(p: &Policy, functions: &[QualifiedName]) -> bool {
    if functions.is_empty() {
        return false;
    }
    [&p.using, &p.with_check].into_iter().flatten().any(|sql| {
        let Ok(scanned) = pg_query::scan(sql) else {
            return true; // cannot tell: recreating is always correct
        };
        let text = |i: usize| {
            scanned
                .tokens
                .get(i)
                .and_then(|t| sql.get(t.start as usize..t.end as usize))
        };
        let name = |i: usize| {
            text(i).map(
                |t| match t.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                    Some(quoted) => quoted.replace("\"\"", "\""),
                    None => t.to_lowercase(),
                },
            )
        };
        (0..scanned.tokens.len()).any(|i| {
            text(i + 1) == Some(".")
                && text(i + 3) == Some("(")
                && functions.iter().any(|f| {
                    name(i).as_deref() == Some(f.schema.as_str())
                        && name(i + 2).as_deref() == Some(f.name.as_str())
                })
        })
    })
}

fn same_roles(a: &[Grantee], b: &[Grantee]) -> bool {
    a.iter().collect::<std::collections::BTreeSet<_>>() == b.iter().collect()
}

fn changed(old: &Option<String>, new: &Option<String>) -> &'static str {
    match (old, new) {
        (None, _) => "added",
        (_, None) => "removed",
        _ => "changed",
    }
}

/// Why a policy change may admit more rows, each with whether the isolation
/// proof can judge it (it probes the client roles only, so a policy reaching
/// more roles is not). Permissive policies widen access by what they admit;
/// restrictive ones by what they stop excluding. New expressions that imply the
/// old ones narrow either kind (`direction`).
fn weakening(old: &Policy, new: &Policy) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    // A permissive policy dropped and a restrictive one added, each of which only
    // narrows, whatever the commands, roles and expressions.
    if old.mode == PolicyMode::Permissive && new.mode == PolicyMode::Restrictive {
        return out;
    }
    if old.mode == PolicyMode::Restrictive && new.mode == PolicyMode::Permissive {
        out.push((
            "restrictive → permissive: it no longer narrows the other policies".to_string(),
            true,
        ));
    }
    let covers =
        |wide: PolicyCommand, narrow: PolicyCommand| wide == narrow || wide == PolicyCommand::All;
    match new.mode {
        PolicyMode::Permissive => {
            if !covers(old.command, new.command) {
                out.push(("the policy now applies to more commands".to_string(), true));
            }
            if reaches_more(&new.roles, &old.roles) {
                out.push(("the policy now applies to more roles".to_string(), false));
            }
        }
        PolicyMode::Restrictive => {
            if !covers(new.command, old.command) {
                out.push((
                    "the restriction now applies to fewer commands".to_string(),
                    true,
                ));
            }
            if reaches_more(&old.roles, &new.roles) {
                out.push((
                    "the restriction now applies to fewer roles".to_string(),
                    false,
                ));
            }
        }
    }
    if (old.using != new.using || old.with_check != new.with_check)
        && !expressions_narrowed(old, new)
    {
        out.push((
            "the expression changed and does not imply the old one: it may admit more rows"
                .to_string(),
            true,
        ));
    }
    out
}

/// Whether `a` reaches a role that `b` does not (PUBLIC reaches every role).
fn reaches_more(a: &[Grantee], b: &[Grantee]) -> bool {
    if b.contains(&Grantee::Public) {
        return false;
    }
    a.contains(&Grantee::Public) || a.iter().any(|r| !b.contains(r))
}
