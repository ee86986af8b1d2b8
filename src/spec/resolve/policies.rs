//! `policies/*.toml`: policies, identities and policy tests.

use super::context::{Context, value_offset};
use crate::spec::declaration::{Command, Policy, PolicyMode, Table};
use crate::spec::diagnostic::{Diagnostic, FileId};
use crate::spec::load::Spec;
use crate::spec::model::ImpersonateDecl;

/// Resolves policies onto their tables and checks identities and tests.
pub(super) fn resolve(cx: &mut Context, spec: &Spec, tables: &mut [Table]) {
    let mut identities: Vec<String> = Vec::new();
    for (file, policy_file) in &spec.policy_files {
        for (name, identity) in &policy_file.identities {
            if identities.contains(name.get_ref()) {
                cx.error(
                    *file,
                    name.span(),
                    format!("identity {:?} is declared twice", name.get_ref()),
                );
            }
            identities.push(name.get_ref().clone());
            check_impersonation(cx, *file, identity.get_ref(), &[]);
            if identity.get_ref().role.is_none() && identity.get_ref().jwt.is_none() {
                cx.error_help(
                    *file,
                    name.span(),
                    format!("identity {:?} names no role", name.get_ref()),
                    "set role = \"app_user\" (or jwt = { role = ... } for Supabase)",
                );
            }
        }
    }

    for (file, policy_file) in &spec.policy_files {
        for decl in &policy_file.policy {
            let p = decl.get_ref();
            let Some(table_name) = cx.qualify(*file, &p.table, "table") else {
                continue;
            };
            let Some(table) = tables.iter_mut().find(|t| t.name == table_name) else {
                cx.error_help(
                    *file,
                    p.table.span(),
                    format!(
                        "policy {:?} is on table {table_name}, which is not declared",
                        p.name.get_ref()
                    ),
                    "declare the table in schema/*.toml, or fix the table name",
                );
                continue;
            };
            super::context::check_identifier(cx, *file, &p.name, p.name.get_ref());
            if table
                .policies
                .iter()
                .any(|existing| &existing.name == p.name.get_ref())
            {
                let help = if table.tenant.is_some()
                    && p.name.get_ref() == crate::spec::declaration::ISOLATION_POLICY
                {
                    "rlsctl generates this policy on every tenant table; choose another name"
                } else {
                    "policy names are unique per table"
                };
                cx.error_help(
                    *file,
                    p.name.span(),
                    format!(
                        "table {table_name} already has a policy named {:?}",
                        p.name.get_ref()
                    ),
                    help,
                );
                continue;
            }
            let command = p.command.as_ref().map_or(Command::All, |c| *c.get_ref());
            if let Some(using) = &p.using {
                if command == Command::Insert {
                    cx.error_help(
                        *file,
                        using.span(),
                        "an INSERT policy cannot have using",
                        "INSERT policies only check new rows: use check = \"...\"",
                    );
                }
                cx.expression(*file, using, "policy using");
            }
            if let Some(check) = &p.check {
                if matches!(command, Command::Select | Command::Delete) {
                    cx.error_help(
                        *file,
                        check.span(),
                        format!("a {} policy cannot have check", command.keyword()),
                        "only INSERT, UPDATE and ALL policies check new rows: use using = \"...\"",
                    );
                }
                cx.expression(*file, check, "policy check");
            }
            if p.using.is_none() && p.check.is_none() {
                cx.diagnostics.push(
                    Diagnostic::warning(
                        *file,
                        p.name.span(),
                        format!("policy {:?} has neither using nor check", p.name.get_ref()),
                    )
                    .with_help("a permissive policy without expressions admits nothing, a restrictive one restricts nothing"),
                );
            }
            for role in &p.roles {
                cx.check_role(*file, role);
            }
            table.rls_enabled = true;
            // A table's `force = false` (with its reason) stands: a policy enables RLS only.
            if table.force_reason.is_none() {
                table.rls_forced = true;
            }
            table.policies.push(Policy {
                name: p.name.get_ref().clone(),
                command,
                mode: p
                    .mode
                    .as_ref()
                    .map_or(PolicyMode::Permissive, |m| *m.get_ref()),
                roles: p.roles.iter().map(|r| r.get_ref().clone()).collect(),
                using: p.using.as_ref().map(|u| u.get_ref().clone()),
                check: p.check.as_ref().map(|c| c.get_ref().clone()),
                generated: false,
                origin: Some(cx.origin(*file, p.name.span())),
                using_origin: p.using.as_ref().map(|u| cx.value_origin(*file, u)),
                check_origin: p.check.as_ref().map(|c| cx.value_origin(*file, c)),
            });
        }

        for test in &policy_file.test {
            let t = test.get_ref();
            if !identities.contains(t.identity.get_ref()) {
                cx.error_help(
                    *file,
                    t.identity.span(),
                    format!(
                        "test {:?} runs as unknown identity {:?}",
                        t.name.get_ref(),
                        t.identity.get_ref()
                    ),
                    if identities.is_empty() {
                        "declare it: [identities.NAME] role = \"...\"".to_string()
                    } else {
                        format!("declared identities are: {}", identities.join(", "))
                    },
                );
            }
            for s in &t.setup {
                if cx.statements(*file, s, "test setup") {
                    reject_transaction_control(cx, *file, s, s.get_ref(), "test setup");
                }
            }
            if cx.statements(*file, &t.query, "test query") {
                reject_transaction_control(cx, *file, &t.query, t.query.get_ref(), "test query");
            }
            let e = t.expect.get_ref();
            let given = [
                e.rows.is_some(),
                e.count.is_some(),
                e.affected.is_some(),
                e.error.is_some(),
            ]
            .iter()
            .filter(|x| **x)
            .count();
            if given != 1 {
                cx.error_help(
                    *file,
                    t.expect.span(),
                    format!("test {:?} must expect exactly one outcome, not {given}", t.name.get_ref()),
                    "use one of expect = { rows = [...] }, { count = N }, { affected = N } or { error = \"SQLSTATE\" }",
                );
            }
            if let Some(code) = &e.error
                && !(code.get_ref().len() == 5
                    && code
                        .get_ref()
                        .chars()
                        .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()))
            {
                cx.error_help(
                    *file,
                    code.span(),
                    format!("{:?} is not an SQLSTATE", code.get_ref()),
                    "use the five-character code, e.g. \"42501\" (insufficient_privilege)",
                );
            }
            for n in [&e.count, &e.affected].into_iter().flatten() {
                if *n.get_ref() < 0 {
                    cx.error(*file, n.span(), "expected count cannot be negative");
                }
            }
        }
    }
}

/// Checks an impersonation profile; `placeholders` are the `{names}` it may use.
pub(super) fn check_impersonation(
    cx: &mut Context,
    file: FileId,
    decl: &ImpersonateDecl,
    placeholders: &[&str],
) {
    // A per-tenant role (`tenant_{tenant}`) is one role per tenant, not a declared one.
    if let Some(role) = &decl.role
        && !placeholders
            .iter()
            .any(|p| role.get_ref().contains(&format!("{{{p}}}")))
    {
        cx.check_role(file, role);
    }
    if let Some(login) = &decl.login {
        cx.check_role(file, login);
    }
    if let Some(jwt) = &decl.jwt
        && let Some(toml::Value::String(role)) = jwt.get_ref().get("role")
        && role != "public"
        && !cx.roles.contains(role)
    {
        cx.error_help(
            file,
            jwt.span(),
            format!("jwt role {role:?} is not declared"),
            format!("declare it in rlsctl.toml: [roles] {role} = {{}}"),
        );
    }
    for (key, value) in &decl.settings {
        if !key.get_ref().contains('.') {
            cx.error_help(
                file,
                key.span(),
                format!("setting {:?} has no prefix", key.get_ref()),
                "custom settings need a dotted name, e.g. app.tenant_id",
            );
        }
        check_placeholders(cx, file, value, placeholders);
    }
    let setup = decl.setup.iter().map(|s| (s, "impersonation setup"));
    let removed = decl
        .removed
        .iter()
        .map(|s| (s, "impersonation removed variant"));
    for (s, what) in setup.chain(removed) {
        check_placeholders(cx, file, s, placeholders);
        let filled = fill_placeholders(s.get_ref(), placeholders);
        if let Err(e) = crate::sql::parse::parse_statements(&filled) {
            let e = crate::sql::parse::SyntaxError { offset: None, ..e };
            cx.syntax_error(file, s, what, e);
        } else {
            // Placeholders filled with text of their own length keep offsets exact.
            let same_length = placeholders.iter().fold(s.get_ref().clone(), |acc, p| {
                acc.replace(&format!("{{{p}}}"), &"0".repeat(p.len() + 2))
            });
            reject_transaction_control(cx, file, s, &same_length, what);
        }
    }
}

/// `rlsctl test` runs this SQL inside one transaction it rolls back: a statement
/// that ends or escapes it (COMMIT, VACUUM, ...) would commit on the target.
fn reject_transaction_control(
    cx: &mut Context,
    file: FileId,
    text: &crate::spec::model::Text,
    sql: &str,
    what: &str,
) {
    let Ok(found) = crate::sql::transaction::transaction_control(sql) else {
        return;
    };
    for control in found {
        let at = value_offset(&cx.sources.get(file).text, text, control.offset);
        cx.error_help(
            file,
            at..at + 1,
            format!(
                "{what} uses {}: rlsctl test runs it inside one transaction that is rolled back",
                control.statement
            ),
            "remove it: every test and probe is rolled back, so nothing needs committing, and statements that cannot run in a transaction block cannot run here",
        );
    }
}

fn check_placeholders(
    cx: &mut Context,
    file: FileId,
    text: &crate::spec::model::Text,
    allowed: &[&str],
) {
    let source = text.get_ref().as_str();
    let mut pos = 0;
    while let Some(open) = source[pos..].find('{').map(|o| pos + o) {
        let Some(close) = source[open..].find('}').map(|c| open + c) else {
            break;
        };
        let key = &source[open + 1..close];
        if !allowed.contains(&key) {
            let file_text = &cx.sources.get(file).text;
            let start = value_offset(file_text, text, open);
            let end = value_offset(file_text, text, close + 1).max(start + 1);
            cx.error_help(
                file,
                start..end,
                format!("unknown placeholder {{{key}}}"),
                if allowed.is_empty() {
                    "named identities use literal values, not placeholders".to_string()
                } else {
                    format!(
                        "placeholders here are {}",
                        allowed
                            .iter()
                            .map(|a| format!("{{{a}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
            );
        }
        pos = close + 1;
    }
}

fn fill_placeholders(text: &str, placeholders: &[&str]) -> String {
    placeholders.iter().fold(text.to_string(), |acc, p| {
        acc.replace(&format!("{{{p}}}"), "00000000-0000-0000-0000-000000000000")
    })
}
