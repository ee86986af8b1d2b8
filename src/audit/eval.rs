//! Partial evaluation of policy expressions: constant folding, and the value
//! of an expression when the session context is absent (NULL) or empty (`''`).

use super::expr::{Const, Expr};

/// What context calls evaluate to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Context calls are unknown (plain constant folding).
    Unknown,
    /// No context: `current_setting(x, true)` and `auth.*()` are NULL.
    Absent,
    /// Context set earlier on the pooled connection: `current_setting(x, true)`
    /// is `''`; `auth.*()` (which use `nullif`) are NULL.
    Empty,
}

const TEXT_TYPES: &[&str] = &["text", "varchar", "bpchar", "name", "character varying"];

/// The expression with constants folded and context calls replaced per `context`.
pub fn simplify(expr: &Expr, context: Context, helpers: &[String]) -> Expr {
    let s = |e: &Expr| simplify(e, context, helpers);
    match expr {
        Expr::Call(name, args) if context != Context::Unknown && expr.is_context_call(helpers) => {
            let missing_ok = args.len() == 2;
            let is_current_setting = name.last().is_some_and(|n| n == "current_setting");
            match (is_current_setting, missing_ok, context) {
                (true, false, _) => Expr::Const(Const::Error),
                (true, true, Context::Empty) => Expr::Const(Const::Text(String::new())),
                _ => Expr::Const(Const::Null),
            }
        }
        Expr::And(args) => {
            let args: Vec<Expr> = args.iter().map(s).collect();
            fold_and(args)
        }
        Expr::Or(args) => {
            let args: Vec<Expr> = args.iter().map(s).collect();
            fold_or(args)
        }
        Expr::Not(arg) => match s(arg) {
            Expr::Const(Const::Bool(b)) => Expr::Const(Const::Bool(!b)),
            Expr::Const(c @ (Const::Null | Const::Error)) => Expr::Const(c),
            other => Expr::Not(Box::new(other)),
        },
        Expr::NullTest(arg, is_null) => match s(arg) {
            Expr::Const(Const::Null) => Expr::Const(Const::Bool(*is_null)),
            Expr::Const(Const::Error) => Expr::Const(Const::Error),
            Expr::Const(_) => Expr::Const(Const::Bool(!*is_null)),
            other => Expr::NullTest(Box::new(other), *is_null),
        },
        Expr::Cast(arg, ty) => match s(arg) {
            Expr::Const(Const::Null) => Expr::Const(Const::Null),
            Expr::Const(Const::Text(t)) if TEXT_TYPES.contains(&ty.as_str()) => {
                Expr::Const(Const::Text(t))
            }
            Expr::Const(Const::Text(t)) if ty == "bool" => match t.as_str() {
                "t" | "true" | "on" | "1" | "yes" => Expr::Const(Const::Bool(true)),
                "f" | "false" | "off" | "0" | "no" => Expr::Const(Const::Bool(false)),
                _ => Expr::Const(Const::Error),
            },
            Expr::Const(Const::Text(t)) if t.is_empty() => Expr::Const(Const::Error),
            Expr::Const(Const::Error) => Expr::Const(Const::Error),
            other => Expr::Cast(Box::new(other), ty.clone()),
        },
        Expr::NullIf(a, b) => match (s(a), s(b)) {
            (Expr::Const(Const::Null), _) => Expr::Const(Const::Null),
            (Expr::Const(x), Expr::Const(y)) if x == y && x != Const::Error => {
                Expr::Const(Const::Null)
            }
            (x @ Expr::Const(Const::Text(_)), Expr::Const(Const::Text(_))) => x,
            (x, y) => Expr::NullIf(Box::new(x), Box::new(y)),
        },
        Expr::Coalesce(args) => {
            let mut rest: Vec<Expr> = args
                .iter()
                .map(s)
                .filter(|a| *a != Expr::Const(Const::Null))
                .collect();
            match rest.len() {
                0 => Expr::Const(Const::Null),
                _ if matches!(rest[0], Expr::Const(_)) => rest.swap_remove(0),
                1 => rest.swap_remove(0),
                _ => Expr::Coalesce(rest),
            }
        }
        Expr::Op(op, args) => {
            let args: Vec<Expr> = args.iter().map(s).collect();
            fold_op(op, args)
        }
        Expr::Call(name, args) => {
            let args: Vec<Expr> = args.iter().map(s).collect();
            fold_call(name, args)
        }
        Expr::InitPlan(inner) => match s(inner) {
            c @ Expr::Const(_) => c,
            other => Expr::InitPlan(Box::new(other)),
        },
        Expr::Other(parts) => Expr::Other(parts.iter().map(s).collect()),
        other => other.clone(),
    }
}

fn fold_and(args: Vec<Expr>) -> Expr {
    if args.contains(&Expr::Const(Const::Error)) {
        return Expr::Const(Const::Error);
    }
    if args.contains(&Expr::Const(Const::Bool(false))) {
        return Expr::Const(Const::Bool(false));
    }
    let rest: Vec<Expr> = args
        .into_iter()
        .filter(|a| *a != Expr::Const(Const::Bool(true)))
        .collect();
    match rest.len() {
        0 => Expr::Const(Const::Bool(true)),
        1 => rest
            .into_iter()
            .next()
            .unwrap_or(Expr::Const(Const::Bool(true))),
        _ => Expr::And(rest),
    }
}

fn fold_or(args: Vec<Expr>) -> Expr {
    if args.contains(&Expr::Const(Const::Bool(true))) {
        return Expr::Const(Const::Bool(true));
    }
    if args.contains(&Expr::Const(Const::Error)) {
        return Expr::Const(Const::Error);
    }
    let rest: Vec<Expr> = args
        .into_iter()
        .filter(|a| *a != Expr::Const(Const::Bool(false)))
        .collect();
    match rest.len() {
        0 => Expr::Const(Const::Bool(false)),
        1 => rest
            .into_iter()
            .next()
            .unwrap_or(Expr::Const(Const::Bool(false))),
        _ => Expr::Or(rest),
    }
}

/// Functions whose value on NULL arguments is NULL (strict) and whose value on
/// constant text is computed here: what a policy does with a missing or empty
/// context passed through them.
const STRICT_TEXT: &[&str] = &[
    "lower",
    "upper",
    "btrim",
    "trim",
    "ltrim",
    "rtrim",
    "length",
    "char_length",
    "octet_length",
    "md5",
    "split_part",
    "substr",
    "substring",
    "replace",
    "left",
    "right",
    "reverse",
    "string_to_array",
    "starts_with",
    "strpos",
    "jsonb_extract_path_text",
    "json_extract_path_text",
    "jsonb_extract_path",
    "json_extract_path",
    "array_length",
    "cardinality",
    "to_jsonb",
    "to_json",
    "array_position",
    "regexp_replace",
    "split_to_array",
];

/// Whether the function's behaviour on NULL or `''` is modelled.
pub fn modelled(name: &[String]) -> bool {
    let last = name.last().map(String::as_str).unwrap_or("");
    let builtin = name.len() == 1 || name.first().is_some_and(|s| s == "pg_catalog");
    builtin && (STRICT_TEXT.contains(&last) || matches!(last, "concat" | "concat_ws" | "coalesce"))
}

fn fold_call(name: &[String], args: Vec<Expr>) -> Expr {
    if args.contains(&Expr::Const(Const::Error)) {
        return Expr::Const(Const::Error);
    }
    if !modelled(name) {
        return Expr::Call(name.to_vec(), args);
    }
    let last = name.last().map(String::as_str).unwrap_or("");
    let text = |e: &Expr| match e {
        Expr::Const(Const::Text(t)) => Some(t.clone()),
        _ => None,
    };
    if STRICT_TEXT.contains(&last) && args.contains(&Expr::Const(Const::Null)) {
        return Expr::Const(Const::Null);
    }
    let first = args.first().and_then(text);
    let value = match (last, first.as_deref()) {
        (
            "lower" | "upper" | "btrim" | "trim" | "ltrim" | "rtrim" | "reverse" | "md5",
            Some(""),
        ) if last != "md5" => Some(Const::Text(String::new())),
        ("lower", Some(t)) => Some(Const::Text(t.to_lowercase())),
        ("upper", Some(t)) => Some(Const::Text(t.to_uppercase())),
        ("length" | "char_length" | "octet_length", Some(t)) => {
            Some(Const::Number(t.chars().count().to_string()))
        }
        ("split_part" | "substr" | "substring" | "left" | "right" | "replace", Some("")) => {
            Some(Const::Text(String::new()))
        }
        ("string_to_array", Some("")) => Some(Const::Array(Vec::new())),
        ("cardinality" | "array_length", _) if matches!(args.first(), Some(Expr::Const(Const::Array(a))) if a.is_empty()) => {
            Some(if last == "cardinality" {
                Const::Number("0".into())
            } else {
                Const::Null
            })
        }
        _ => None,
    };
    if let Some(v) = value {
        return Expr::Const(v);
    }
    // `starts_with(x, '')` and `strpos(x, '')` hold for every non-NULL x.
    if let (Some(""), true) = (
        args.get(1).and_then(text).as_deref(),
        matches!(last, "starts_with" | "strpos"),
    ) {
        return Expr::Const(if last == "starts_with" {
            Const::Bool(true)
        } else {
            Const::Number("1".into())
        });
    }
    match last {
        "concat" => {
            let parts: Option<Vec<String>> = args
                .iter()
                .filter(|a| **a != Expr::Const(Const::Null))
                .map(text)
                .collect();
            match parts {
                Some(p) => Expr::Const(Const::Text(p.concat())),
                None => Expr::Call(name.to_vec(), args),
            }
        }
        _ => Expr::Call(name.to_vec(), args),
    }
}

fn fold_op(op: &str, args: Vec<Expr>) -> Expr {
    if args.contains(&Expr::Const(Const::Error)) {
        return Expr::Const(Const::Error);
    }
    let null = Expr::Const(Const::Null);
    if let [a, b] = args.as_slice() {
        // Strict operators: text concatenation, jsonb access and containment, LIKE.
        let strict = matches!(
            op,
            "||" | "->>"
                | "->"
                | "#>>"
                | "#>"
                | "?"
                | "?|"
                | "?&"
                | "@>"
                | "<@"
                | "~~"
                | "~~*"
                | "!~~"
                | "~"
                | "~*"
        );
        if strict && (*a == null || *b == null) {
            return null;
        }
        match (op, a, b) {
            ("||", Expr::Const(Const::Text(x)), Expr::Const(Const::Text(y))) => {
                return Expr::Const(Const::Text(format!("{x}{y}")));
            }
            // `col LIKE '%'` (what `'%' || '' || '%'` leaves): every non-NULL col.
            ("~~" | "~~*", x, Expr::Const(Const::Text(p)))
                if !p.is_empty() && p.chars().all(|c| c == '%') && !matches!(x, Expr::Const(_)) =>
            {
                return Expr::Const(Const::Bool(true));
            }
            (_, _, Expr::Const(Const::Array(items))) if op.ends_with("ANY") => {
                if items.is_empty() {
                    return Expr::Const(Const::Bool(false));
                }
                if items.iter().all(|i| *i == Const::Null) {
                    return null;
                }
            }
            (
                "<" | ">" | "<=" | ">=",
                Expr::Const(Const::Number(x)),
                Expr::Const(Const::Number(y)),
            ) => {
                if let (Ok(x), Ok(y)) = (x.parse::<f64>(), y.parse::<f64>()) {
                    let v = match op {
                        "<" => x < y,
                        ">" => x > y,
                        "<=" => x <= y,
                        _ => x >= y,
                    };
                    return Expr::Const(Const::Bool(v));
                }
            }
            _ => {}
        }
    }
    let comparison = matches!(op, "=" | "<>" | "!=" | "<=" | ">=" | "<" | ">");
    if let [a, b] = args.as_slice() {
        match op {
            "IS DISTINCT FROM" | "IS NOT DISTINCT FROM" => {
                if let (Expr::Const(x), Expr::Const(y)) = (a, b) {
                    return Expr::Const(Const::Bool((x != y) == (op == "IS DISTINCT FROM")));
                }
            }
            _ if comparison && (*a == null || *b == null) => return null,
            "=" | "<>" | "!=" => {
                let eq = match (a, b) {
                    (Expr::Const(x), Expr::Const(y)) => Some(x == y),
                    // `col = col` holds for every row where col is not NULL: the
                    // shape `coalesce(ctx, col)` leaves once the context is gone.
                    (x, y) if x == y && !matches!(x, Expr::Const(_)) => Some(true),
                    _ => None,
                };
                if let Some(eq) = eq {
                    return Expr::Const(Const::Bool(eq == (op == "=")));
                }
            }
            _ => {}
        }
    }
    Expr::Op(op.to_string(), args)
}

/// Whether the expression folds to `true` without any context knowledge.
pub fn always_true(expr: &Expr) -> bool {
    simplify(expr, Context::Unknown, &[]) == Expr::Const(Const::Bool(true))
}

/// Whether the expression folds to `false` or NULL without any context knowledge.
pub fn always_false(expr: &Expr) -> bool {
    matches!(
        simplify(expr, Context::Unknown, &[]),
        Expr::Const(Const::Bool(false) | Const::Null)
    )
}

/// The context under which the expression is true for (some) rows although
/// the expression depends on context: fail-open.
pub fn fails_open(expr: &Expr, helpers: &[String]) -> Option<Context> {
    match openness(expr, helpers) {
        Openness::Open(c) => Some(c),
        _ => None,
    }
}

/// What partial evaluation says of an expression with the context missing or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Openness {
    /// True for rows under this context: fail-open.
    Open(Context),
    /// Cannot tell: the missing context flows into a function whose behaviour
    /// on NULL or `''` is not modelled (named).
    Unknown(String),
    /// Admits nothing without context (or does not depend on it).
    Closed,
}

/// Partial evaluation with the context absent, then empty.
pub fn openness(expr: &Expr, helpers: &[String]) -> Openness {
    if !expr.mentions_context(helpers) || always_true(expr) {
        return Openness::Closed;
    }
    let mut unknown = None;
    for c in [Context::Absent, Context::Empty] {
        let folded = simplify(expr, c, helpers);
        if folded == Expr::Const(Const::Bool(true)) {
            return Openness::Open(c);
        }
        if unknown.is_none() && !matches!(folded, Expr::Const(_)) {
            unknown = unmodelled_on_missing(&folded);
        }
    }
    unknown.map_or(Openness::Closed, Openness::Unknown)
}

/// A call left in a folded expression with a NULL or `''` argument whose
/// function is not modelled (and is not a context call already folded).
fn unmodelled_on_missing(folded: &Expr) -> Option<String> {
    let mut found = None;
    folded.walk_deep(&mut |e| {
        if found.is_none()
            && let Expr::Call(name, args) = e
            && !modelled(name)
            && args.iter().any(|a| {
                matches!(a, Expr::Const(Const::Null))
                    || *a == Expr::Const(Const::Text(String::new()))
            })
        {
            found = Some(name.join("."));
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::expr::parse;

    fn e(text: &str) -> Expr {
        parse(text).expect("parses")
    }

    #[test]
    fn constant_true_shapes_fold() {
        for t in ["true", "1 = 1", "'a' = 'a'", "(x = 1) OR true", "NOT false"] {
            assert!(always_true(&e(t)), "{t}");
        }
        for t in [
            "x = 1",
            "is_public",
            "tenant_id = current_setting('a.b', true)",
        ] {
            assert!(!always_true(&e(t)), "{t}");
        }
        assert!(always_false(&e("false")));
        assert!(!always_false(&e("x")));
    }

    #[test]
    fn fail_open_shapes_are_found() {
        let open = [
            "(auth.uid() IS NULL) OR (owner = auth.uid())",
            "tenant_id = COALESCE(NULLIF(current_setting('app.tenant_id'::text, true), ''::text), tenant_id)",
            "(current_setting('app.t', true) IS NULL) OR (current_setting('app.t', true) = '') OR (tenant_id = current_setting('app.t', true))",
            "NOT (current_setting('app.t', true) IS NOT NULL) OR tenant_id = current_setting('app.t', true)",
        ];
        for t in open {
            assert!(fails_open(&e(t), &[]).is_some(), "{t}");
        }
        let closed = [
            "tenant_id = current_setting('app.tenant_id', true)",
            "tenant_id = (NULLIF(current_setting('app.t', true), ''))::uuid",
            "owner = auth.uid()",
            "is_public OR tenant_id = current_setting('app.t', true)",
            "true",
        ];
        for t in closed {
            assert!(fails_open(&e(t), &[]).is_none(), "{t}");
        }
    }

    #[test]
    fn string_array_and_jsonb_functions_fold_on_a_missing_context() {
        let open = [
            // '%' || '' || '%' is '%': every row.
            "name ~~ (('%'::text || current_setting('app.q'::text, true)) || '%'::text)",
            // starts_with(x, '') holds for every x.
            "starts_with(path, current_setting('app.prefix'::text, true))",
            "strpos(path, current_setting('app.prefix'::text, true)) > 0",
            "lower(current_setting('app.t'::text, true)) IS NULL OR tenant_id = current_setting('app.t'::text, true)",
        ];
        for t in open {
            assert!(fails_open(&e(t), &[]).is_some(), "{t}");
        }
        let closed = [
            "tenant_id = ANY (string_to_array(current_setting('app.tenants'::text, true), ','::text))",
            "tenant_id = lower(current_setting('app.t'::text, true))",
            "(auth.jwt() ->> 'org_id'::text) = org_id",
            "org_id = ((auth.jwt() -> 'app_metadata'::text) ->> 'org'::text)",
            "tenant_id = concat(current_setting('app.t'::text, true), '')",
        ];
        for t in closed {
            assert_eq!(openness(&e(t), &[]), Openness::Closed, "{t}");
        }
        // Not modelled: unknown, never "safe".
        assert_eq!(
            openness(
                &e("tenant_id = app.decode_tenant(current_setting('app.t'::text, true))"),
                &[]
            ),
            Openness::Unknown("app.decode_tenant".to_string())
        );
    }

    #[test]
    fn context_calls_under_sub_selects_are_not_per_row() {
        let x = e("owner = (SELECT auth.uid() AS uid)");
        assert!(!x.has_context_call(&[]));
        assert!(x.mentions_context(&[]));
        assert!(
            fails_open(
                &e("((SELECT auth.uid()) IS NULL) OR (owner = (SELECT auth.uid()))"),
                &[]
            )
            .is_some()
        );
        assert!(e("owner = auth.uid()").has_context_call(&[]));
    }
}
