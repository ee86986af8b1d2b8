//! `[functions.*]` and `[procedures.*]`: signature, body and grants. A key may
//! carry the argument types (`"app.f(integer)"`), so that overloads, which
//! share a name, have keys of their own; a routine's identity is its name and
//! argument types.

use toml::Spanned;

use super::context::Context;
use super::project::{FUNCTION_PRIVILEGES, grants};
use crate::spec::declaration::{Argument, Function, Language, RoutineKind, Security, Volatility};
use crate::spec::diagnostic::FileId;
use crate::spec::load::Spec;
use crate::spec::model::{ArgDecl, FunctionDecl, ProcedureDecl, Text};
use crate::sql::parse;

/// What functions and procedures have in common, borrowed from either shape.
struct Routine<'a> {
    kind: RoutineKind,
    args: &'a [Spanned<ArgDecl>],
    returns: Option<&'a Text>,
    language: Language,
    volatility: Volatility,
    security: Security,
    strict: bool,
    set: &'a indexmap::IndexMap<Text, Text>,
    body: &'a Text,
    atomic: bool,
    comment: Option<&'a Text>,
    grants: &'a crate::spec::model::Grants,
}

impl<'a> Routine<'a> {
    fn function(d: &'a FunctionDecl) -> Self {
        Routine {
            kind: RoutineKind::Function,
            args: &d.args,
            returns: Some(&d.returns),
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
            set: &d.set,
            body: &d.body,
            atomic: d.atomic,
            comment: d.comment.as_ref(),
            grants: &d.grants,
        }
    }

    fn procedure(d: &'a ProcedureDecl) -> Self {
        Routine {
            kind: RoutineKind::Procedure,
            args: &d.args,
            returns: None,
            language: *d.language.get_ref(),
            volatility: Volatility::Volatile,
            security: d
                .security
                .as_ref()
                .map_or(Security::Invoker, |s| *s.get_ref()),
            strict: false,
            set: &d.set,
            body: &d.body,
            atomic: d.atomic,
            comment: d.comment.as_ref(),
            grants: &d.grants,
        }
    }

    fn what(&self) -> &'static str {
        match self.kind {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
        }
    }
}

/// Resolves every function and procedure of every schema file.
pub(super) fn resolve(cx: &mut Context, spec: &Spec) -> Vec<Function> {
    let mut out: Vec<Function> = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (key, decl) in &schema_file.functions {
            resolve_one(cx, *file, key, Routine::function(decl.get_ref()), &mut out);
        }
        for (key, decl) in &schema_file.procedures {
            resolve_one(cx, *file, key, Routine::procedure(decl.get_ref()), &mut out);
        }
    }
    out
}

fn resolve_one(cx: &mut Context, file: FileId, key: &Text, d: Routine, out: &mut Vec<Function>) {
    let what = d.what();
    let Some((name_text, signature)) = split_key(cx, file, key, what) else {
        return;
    };
    let Some(name) = cx.qualify(file, &name_text, what) else {
        return;
    };
    super::context::check_identifier(cx, file, key, &name.name);
    let mut args = Vec::new();
    for a in d.args {
        let a = a.get_ref();
        cx.sql_type(file, &a.ty);
        if let Some(def) = &a.default {
            cx.expression(file, def, "argument default");
        }
        args.push(Argument {
            name: a.name.get_ref().clone(),
            ty: a.ty.get_ref().clone(),
            default: a.default.as_ref().map(|d| d.get_ref().clone()),
        });
    }
    if let Some(types) = &signature {
        for ty in types {
            if let Err(e) = parse::parse_type(ty) {
                cx.error_help(
                    file,
                    key.span(),
                    format!("invalid argument type {ty:?} in {what} {name}: {}", e.message),
                    "argument types must be valid PostgreSQL types, e.g. \"app.f(integer, text[])\"",
                );
                return;
            }
        }
        if args.is_empty() {
            // The key's types alone declare unnamed arguments ($1, $2, ...).
            args = types
                .iter()
                .map(|ty| Argument {
                    name: String::new(),
                    ty: ty.clone(),
                    default: None,
                })
                .collect();
        } else if !same_types(types, &args) {
            let declared: Vec<&str> = args.iter().map(|a| a.ty.as_str()).collect();
            cx.error_help(
                file,
                key.span(),
                format!(
                    "{what} {name}({}) names other argument types than its args ({})",
                    types.join(", "),
                    declared.join(", ")
                ),
                "write the key's types as the args' types, e.g. \"app.f(integer, text)\" for args of types integer and text; or leave the types out of the key",
            );
            return;
        }
    }
    let types: Vec<String> = args.iter().map(|a| a.ty.clone()).collect();
    if let Some(other) = out.iter().find(|f| {
        f.name == name
            && same_types(
                &f.args.iter().map(|a| a.ty.clone()).collect::<Vec<_>>(),
                &args,
            )
    }) {
        let kind = match other.kind {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
        };
        cx.error_help(
            file,
            key.span(),
            format!(
                "{what} {name}({}) is declared twice (also as a {kind})",
                types.join(", ")
            ),
            "overloads share a name but differ in argument types: give each its own types, with the types in the key, e.g. [functions.\"app.f(integer)\"] and [functions.\"app.f(text)\"]",
        );
        return;
    }
    let returns = d.returns.map(|r| r.get_ref().trim()).unwrap_or_default();
    if let Some(r) = d.returns {
        let plain = returns
            .strip_prefix("setof ")
            .or_else(|| returns.strip_prefix("SETOF "))
            .unwrap_or(returns);
        let is_table = plain.to_lowercase().starts_with("table");
        if !is_table && plain != "trigger" {
            cx.sql_type(file, r);
        }
    }
    let function = Function {
        name,
        args,
        returns: returns.to_string(),
        language: d.language,
        volatility: d.volatility,
        security: d.security,
        strict: d.strict,
        settings: d
            .set
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone()))
            .collect(),
        body: d.body.get_ref().clone(),
        comment: d.comment.map(|c| c.get_ref().clone()),
        grants: grants(cx, file, d.grants, FUNCTION_PRIVILEGES),
        origin: Some(cx.origin(file, key.span())),
        kind: d.kind,
        atomic: d.atomic,
        revoke_public: false,
    };
    check_body(cx, file, key, &d, &function);
    if function.security == Security::Definer
        && !function.settings.iter().any(|(k, _)| k == "search_path")
    {
        cx.diagnostics.push(
            crate::spec::diagnostic::Diagnostic::warning(
                file,
                key.span(),
                format!(
                    "SECURITY DEFINER {what} {} has no pinned search_path",
                    function.name
                ),
            )
            .with_help("add set = { search_path = \"\" } and qualify every name in the body"),
        );
    }
    out.push(function);
}

/// The body parses as its language says.
fn check_body(cx: &mut Context, file: FileId, key: &Text, d: &Routine, function: &Function) {
    match (function.language, d.atomic) {
        (Language::Sql, true) => {
            if let Err(e) = parse::check_atomic_body(&function.body) {
                cx.syntax_error(file, d.body, "SQL-standard body", e);
            }
        }
        (Language::Sql, false) => {
            cx.statements(file, d.body, "function body");
        }
        (Language::Plpgsql, true) => cx.error_help(
            file,
            key.span(),
            format!(
                "{} {} has atomic = true but language = \"plpgsql\"",
                d.what(),
                function.name
            ),
            "a SQL-standard body (BEGIN ATOMIC) is language sql: set language = \"sql\", or remove atomic",
        ),
        (Language::Plpgsql, false) => {
            let args: Vec<(String, String)> = function
                .args
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let name = if a.name.is_empty() { format!("arg{}", i + 1) } else { a.name.clone() };
                    (name, a.ty.clone())
                })
                .collect();
            let returns = if function.kind == RoutineKind::Procedure { "void" } else { &function.returns };
            if let Err(e) = parse::check_plpgsql(&function.body, &args, returns) {
                cx.syntax_error(file, d.body, "function body", e);
            }
        }
    }
}

/// `app.f(integer, text)` → (`app.f`, the types); `app.f` → (`app.f`, none).
/// The name keeps the key's span, so that errors about it point at the key.
fn split_key(
    cx: &mut Context,
    file: FileId,
    key: &Text,
    what: &str,
) -> Option<(Text, Option<Vec<String>>)> {
    let raw = key.get_ref();
    let Some(open) = raw.find('(') else {
        return Some((key.clone(), None));
    };
    let inner = raw[open + 1..].strip_suffix(')').filter(|inner| {
        let mut depth = 0i32;
        inner.chars().all(|c| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth >= 0
        }) && depth == 0
    });
    let Some(inner) = inner else {
        cx.error_help(
            file,
            key.span(),
            format!("invalid {what} signature {raw:?}"),
            format!(
                "write the {what} as `schema.name` or with its argument types, `schema.name(integer, text)`"
            ),
        );
        return None;
    };
    let name = raw[..open].trim_end().to_string();
    let types = split_types(inner);
    if types.iter().any(String::is_empty) && !(types.len() == 1 && inner.trim().is_empty()) {
        cx.error_help(
            file,
            key.span(),
            format!("invalid {what} signature {raw:?}: an argument type is empty"),
            "separate the argument types with commas: `schema.name(integer, text)`",
        );
        return None;
    }
    let types = types.into_iter().filter(|t| !t.is_empty()).collect();
    Some((Spanned::new(key.span(), name), Some(types)))
}

/// `integer, numeric(10,2)` → `["integer", "numeric(10,2)"]`.
fn split_types(inner: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    for c in inner.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out.iter().map(|t| t.trim().to_string()).collect()
}

/// Whether two lists of types are the same as written (case and spacing aside).
/// PostgreSQL decides what is really the same type; the dev database then
/// refuses what we let through.
fn same_types(types: &[String], args: &[Argument]) -> bool {
    let norm = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    types.len() == args.len() && types.iter().zip(args).all(|(t, a)| norm(t) == norm(&a.ty))
}
