//! `[functions.*]`: signature, body and grants.

use super::context::Context;
use super::project::{FUNCTION_PRIVILEGES, grants};
use crate::spec::declaration::{Argument, Function, Language, Security, Volatility};
use crate::spec::load::Spec;
use crate::sql::parse;

/// Resolves every function of every schema file.
pub(super) fn resolve(cx: &mut Context, spec: &Spec) -> Vec<Function> {
    let mut out: Vec<Function> = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (key, decl) in &schema_file.functions {
            let Some(name) = cx.qualify(*file, key, "function") else {
                continue;
            };
            if out.iter().any(|f| f.name == name) {
                cx.error_help(
                    *file,
                    key.span(),
                    format!("function {name} is declared twice"),
                    "overloaded functions are not supported; give each function its own name",
                );
                continue;
            }
            super::context::check_identifier(cx, *file, key, &name.name);
            let d = decl.get_ref();
            let mut args = Vec::new();
            for a in &d.args {
                let a = a.get_ref();
                cx.sql_type(*file, &a.ty);
                if let Some(def) = &a.default {
                    cx.expression(*file, def, "argument default");
                }
                args.push(Argument {
                    name: a.name.get_ref().clone(),
                    ty: a.ty.get_ref().clone(),
                    default: a.default.as_ref().map(|d| d.get_ref().clone()),
                });
            }
            let returns = d.returns.get_ref().trim();
            let plain = returns
                .strip_prefix("setof ")
                .or_else(|| returns.strip_prefix("SETOF "))
                .unwrap_or(returns);
            let is_table = plain.to_lowercase().starts_with("table");
            if !is_table && plain != "trigger" {
                cx.sql_type(*file, &d.returns);
            }
            let function = Function {
                name,
                args,
                returns: returns.to_string(),
                language: *d.language.get_ref(),
                volatility: d
                    .volatility
                    .as_ref()
                    .map_or(Volatility::Volatile, |v| *v.get_ref()),
                security: d
                    .security
                    .as_ref()
                    .map_or(Security::Invoker, |s| *s.get_ref()),
                strict: d.strict,
                settings: d
                    .set
                    .iter()
                    .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone()))
                    .collect(),
                body: d.body.get_ref().clone(),
                comment: d.comment.as_ref().map(|c| c.get_ref().clone()),
                grants: grants(cx, *file, &d.grants, FUNCTION_PRIVILEGES),
                origin: Some(cx.origin(*file, key.span())),
            };
            match function.language {
                Language::Sql => {
                    cx.statements(*file, &d.body, "function body");
                }
                Language::Plpgsql => {
                    let args: Vec<(String, String)> = function
                        .args
                        .iter()
                        .map(|a| (a.name.clone(), a.ty.clone()))
                        .collect();
                    if let Err(e) = parse::check_plpgsql(&function.body, &args, &function.returns) {
                        cx.syntax_error(*file, &d.body, "function body", e);
                    }
                }
            }
            if function.security == Security::Definer
                && !function.settings.iter().any(|(k, _)| k == "search_path")
            {
                cx.diagnostics.push(
                    crate::spec::diagnostic::Diagnostic::warning(
                        *file,
                        key.span(),
                        format!(
                            "SECURITY DEFINER function {} has no pinned search_path",
                            function.name
                        ),
                    )
                    .with_help(
                        "add set = { search_path = \"\" } and qualify every name in the body",
                    ),
                );
            }
            out.push(function);
        }
    }
    out
}
