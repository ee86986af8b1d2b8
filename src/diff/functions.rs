//! Functions: created, replaced in place, or dropped (after the policies that use
//! them are gone).

use super::grants::{self, Kind};
use super::render::{comment, create_function, function_signature};
use super::{Action, Change, Options, Phase, default_privileges, owned};
use crate::catalog::{
    Catalog, DefaultObjectType, Dependent, Function, FunctionBody, FunctionKind, Grantee,
    Privilege, QualifiedName,
};

/// Function changes; returns the functions dropped and created again (their
/// result type or arguments changed), whose dependent policies must be too.
pub(super) fn diff(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) -> Vec<QualifiedName> {
    let mut recreated = Vec::new();
    for want in desired.functions.iter().filter(|f| owned(&f.name, options)) {
        let signature = function_signature(want);
        let (what, keyword) = words(want.kind);
        let object = format!("{what} {signature}");
        let target = format!("{keyword} {signature}");
        // PostgreSQL parses a SQL-standard body at creation: after the tables.
        let phase = match want.body {
            FunctionBody::SqlStandard(_) => Phase::StandardBodies,
            FunctionBody::Source(_) => Phase::Functions,
        };
        let have = current.functions.iter().find(|f| same_overload(f, want));
        match have {
            None => {
                let mut change =
                    Change::new(Action::Create, object).step(phase, create_function(want));
                if let Some(c) = &want.comment {
                    change = change.step(Phase::Comments, comment(&target, Some(c)));
                }
                let held = grants::effective(&want.acl, Kind::Function);
                // What the target gives a new function (EXECUTE for PUBLIC, its
                // default privileges) and the declaration does not is revoked.
                let born = default_privileges::inherited(
                    current,
                    &want.name.schema,
                    DefaultObjectType::Functions,
                );
                let held_by =
                    |g: &Grantee, p: Privilege| held.iter().any(|(hg, hp, _)| hg == g && *hp == p);
                for (grantee, privilege, _) in &born {
                    if !held_by(grantee, *privilege) {
                        let revoke = if *grantee == Grantee::Public {
                            format!("REVOKE ALL ON {target} FROM PUBLIC")
                        } else {
                            format!("REVOKE {} ON {target} FROM {grantee}", privilege.as_sql())
                        };
                        change = change.step(Phase::Grants, revoke);
                    }
                }
                for sql in grants::grant_all(&target, &held) {
                    change = change.step(Phase::Grants, sql);
                }
                changes.push(change);
            }
            Some(have) => {
                let differences = definition_differences(have, want);
                if !differences.is_empty() {
                    let mut change =
                        Change::new(Action::Alter, object.clone()).detail(differences.join(", "));
                    if have.result != want.result
                        || have.kind != want.kind
                        || have.arguments != want.arguments
                    {
                        // CREATE OR REPLACE cannot change the result type, nor
                        // rename arguments or remove their defaults.
                        let dropped = format!("DROP {} {signature}", words(have.kind).1);
                        change = change
                            .step(Phase::DropConstraints, dropped)
                            .hazard(super::Hazard::MayFail(recreate_reason(have)));
                        recreated.push(want.name.clone());
                    }
                    changes.push(change.step(phase, create_function(want)));
                }
                if have.comment != want.comment {
                    changes.push(
                        Change::new(Action::Alter, format!("comment on {object}"))
                            .step(Phase::Comments, comment(&target, want.comment.as_deref())),
                    );
                }
                grants::diff(
                    &object,
                    &target,
                    &grants::effective(&have.acl, Kind::Function),
                    &grants::effective(&want.acl, Kind::Function),
                    None,
                    changes,
                );
            }
        }
    }
    for have in undeclared(current, desired, options) {
        // What the declaration cannot express keeps the functions it uses
        // (`unmanaged` lists both).
        if undeclarable_users(have).is_empty()
            && super::triggers::left_alone_users(current, desired, &have.name).is_empty()
        {
            let signature = function_signature(have);
            let (what, keyword) = words(have.kind);
            changes.push(
                Change::new(Action::Drop, format!("{what} {signature}"))
                    .hazard(super::Hazard::BreaksDependents(drop_reason(what, have)))
                    .step(Phase::DropFunctions, format!("DROP {keyword} {signature}")),
            );
        }
    }
    recreated
}

/// How plans and SQL name a routine of this kind.
fn words(kind: FunctionKind) -> (&'static str, &'static str) {
    match kind {
        FunctionKind::Function => ("function", "FUNCTION"),
        FunctionKind::Procedure => ("procedure", "PROCEDURE"),
    }
}

/// The functions of the owned schemas on `current` that `desired` does not declare.
pub(super) fn undeclared<'a>(
    current: &'a Catalog,
    desired: &'a Catalog,
    options: &'a Options,
) -> impl Iterator<Item = &'a Function> {
    current.functions.iter().filter(move |have| {
        owned(&have.name, options) && !desired.functions.iter().any(|f| same_overload(f, have))
    })
}

/// The dependents of `function` that the declaration cannot express (triggers,
/// views, ...): while it has any, an undeclared function is theirs, and the
/// diff does not drop it.
pub(super) fn undeclarable_users(function: &Function) -> Vec<&Dependent> {
    function
        .dependents
        .iter()
        .filter(|d| !d.kind.declarable())
        .collect()
}

/// Why dropping and creating `have` again may fail.
fn recreate_reason(have: &Function) -> String {
    let mut reason = "the result type or arguments changed: the function is dropped and created again (policies calling it are recreated around it), which fails while column defaults, views or other functions use it".to_string();
    if !have.dependents.is_empty() {
        reason.push_str("; used by ");
        reason.push_str(&dependents(have));
    }
    reason
}

/// Why dropping the `what` (function or procedure) `have`, on the target and not
/// declared, needs a second look: what uses it by `pg_depend`, else callers the
/// database cannot see.
fn drop_reason(what: &str, have: &Function) -> String {
    if have.dependents.is_empty() {
        format!(
            "the {what} exists on the target and is not declared; nothing in the database uses it, but clients calling it (RPC) will fail"
        )
    } else {
        format!(
            "the {what} exists on the target and is not declared; used by {}",
            dependents(have)
        )
    }
}

/// `trigger t on table app.t, policy p on table app.t`.
fn dependents(have: &Function) -> String {
    have.dependents
        .iter()
        .map(|d| d.description.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The same overload: name and argument types. Argument names are not part of
/// a function's identity (PostgreSQL ignores them in DROP and GRANT), so a
/// renamed argument is a change to the function, not another function.
fn same_overload(a: &Function, b: &Function) -> bool {
    a.name == b.name
        && argument_types(&a.identity_arguments) == argument_types(&b.identity_arguments)
}

/// `x integer, double precision` → `["integer", "double precision"]`: each
/// argument without its mode and name. An argument is a name and a type unless
/// the whole of it parses as a type.
fn argument_types(identity: &str) -> Vec<String> {
    let Ok(scanned) = pg_query::scan(identity) else {
        return vec![identity.to_string()];
    };
    let mut groups: Vec<Vec<&str>> = vec![Vec::new()];
    let mut depth = 0;
    for t in &scanned.tokens {
        let text = identity
            .get(t.start as usize..t.end as usize)
            .unwrap_or_default();
        match text {
            "(" | "[" => depth += 1,
            ")" | "]" => depth -= 1,
            "," if depth == 0 => {
                groups.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(g) = groups.last_mut() {
            g.push(text);
        }
    }
    groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|mut g| {
            if g.len() > 1
                && ["in", "out", "inout", "variadic"].contains(&g[0].to_lowercase().as_str())
            {
                g.remove(0);
            }
            let whole = g.join(" ");
            if g.len() > 1 && crate::sql::parse::parse_type(&whole).is_err() {
                g[1..].join(" ")
            } else {
                whole
            }
        })
        .collect()
}

fn definition_differences(have: &Function, want: &Function) -> Vec<&'static str> {
    let mut out = Vec::new();
    if have.body != want.body {
        out.push("body");
    }
    if have.arguments != want.arguments {
        out.push("argument names or defaults");
    }
    if have.result != want.result {
        out.push("result type");
    }
    if have.language != want.language {
        out.push("language");
    }
    if have.volatility != want.volatility {
        out.push("volatility");
    }
    if have.security_definer != want.security_definer {
        out.push("security");
    }
    if have.strict != want.strict {
        out.push("strictness");
    }
    if have.leakproof != want.leakproof {
        out.push("leakproof");
    }
    if have.parallel != want.parallel {
        out.push("parallel safety");
    }
    if have.config != want.config {
        out.push("settings");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::argument_types;

    #[test]
    fn argument_types_drop_names_and_modes_but_keep_multi_word_types() {
        assert_eq!(argument_types("x integer, y text"), ["integer", "text"]);
        assert_eq!(
            argument_types("double precision, \"Odd, name\" character varying"),
            ["double precision", "character varying"]
        );
        assert_eq!(
            argument_types("VARIADIC xs integer[]"),
            argument_types("integer[]")
        );
        assert_eq!(argument_types("n numeric"), argument_types("numeric"));
        assert!(argument_types("").is_empty());
    }
}
