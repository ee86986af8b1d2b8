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
        Expr::Call(name, args) => Expr::Call(name.clone(), args.iter().map(s).collect()),
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

fn fold_op(op: &str, args: Vec<Expr>) -> Expr {
    if args.contains(&Expr::Const(Const::Error)) {
        return Expr::Const(Const::Error);
    }
    let comparison = matches!(op, "=" | "<>" | "!=" | "<=" | ">=" | "<" | ">");
    if let [a, b] = args.as_slice() {
        let null = Expr::Const(Const::Null);
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
    if !expr.mentions_context(helpers) || always_true(expr) {
        return None;
    }
    [Context::Absent, Context::Empty]
        .into_iter()
        .find(|&c| simplify(expr, c, helpers) == Expr::Const(Const::Bool(true)))
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
