//! Policy expressions as syntax trees: parsed from `pg_get_expr` text with
//! pg_query, reduced to a small [`Expr`] tree that the checks reason on
//! (constant folding, context calls, partial evaluation with no context).

use pg_query::NodeEnum;
use pg_query::protobuf::{
    AExprKind, BoolExprType, Node, NullTestType, SqlValueFunctionOp, a_const,
};
use serde_json::Value;

mod tree;

pub use tree::{column_refs, function_names, names_table, relations, strings};

/// A scalar expression, reduced to what the audit needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A constant.
    Const(Const),
    /// A column reference, its dotted parts (`tenant_id`, `p.id`).
    Column(Vec<String>),
    /// `a AND b AND ...`.
    And(Vec<Expr>),
    /// `a OR b OR ...`.
    Or(Vec<Expr>),
    /// `NOT a`.
    Not(Box<Expr>),
    /// An operator (`=`, `<>`, `->>`, `IN`, `IS DISTINCT FROM`, ...) and its operands.
    Op(String, Vec<Expr>),
    /// `NULLIF(a, b)`.
    NullIf(Box<Expr>, Box<Expr>),
    /// `COALESCE(...)`.
    Coalesce(Vec<Expr>),
    /// `a IS NULL` (true) or `a IS NOT NULL` (false).
    NullTest(Box<Expr>, bool),
    /// `a::type`, with the type's last name part (`uuid`, `int4`, `text`).
    Cast(Box<Expr>, String),
    /// A function call: its (possibly schema-qualified) name parts and arguments.
    Call(Vec<String>, Vec<Expr>),
    /// `CURRENT_USER`, `SESSION_USER`, `CURRENT_ROLE`, `USER`.
    SessionRole,
    /// A sub-select (`EXISTS`, `IN (SELECT ...)`, `(SELECT ...)`), with its test
    /// expression and the sub-select's parse tree as JSON.
    SubSelect(Option<Box<Expr>>, Value),
    /// `(SELECT expr)` without FROM: evaluated once per statement (an InitPlan).
    InitPlan(Box<Expr>),
    /// Anything else, with the sub-expressions it holds.
    Other(Vec<Expr>),
}

/// A constant value.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    /// `NULL`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A string literal.
    Text(String),
    /// A number, as written.
    Number(String),
    /// An evaluation that raises an error (e.g. `''::uuid`).
    Error,
    /// An array of constants (`string_to_array('', ',')` is the empty one).
    Array(Vec<Const>),
}

/// Parses a policy expression as PostgreSQL printed it; None if it does not parse.
pub fn parse(text: &str) -> Option<Expr> {
    let tree = pg_query::parse(&format!("SELECT {text}"), 0).ok()?;
    let raw = tree.protobuf.stmts.first()?;
    let Some(NodeEnum::SelectStmt(select)) = raw.stmt.as_ref()?.node.as_ref() else {
        return None;
    };
    let Some(NodeEnum::ResTarget(target)) = select.target_list.first()?.node.as_ref() else {
        return None;
    };
    Some(convert(target.val.as_deref()?))
}

fn convert_all(nodes: &[Node]) -> Vec<Expr> {
    nodes.iter().map(convert).collect()
}

fn boxed(node: &Option<Box<Node>>) -> Box<Expr> {
    Box::new(node.as_deref().map_or(Expr::Other(Vec::new()), convert))
}

fn names(nodes: &[Node]) -> Vec<String> {
    nodes
        .iter()
        .map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => s.sval.clone(),
            Some(NodeEnum::AStar(_)) => "*".to_string(),
            _ => String::new(),
        })
        .collect()
}

fn convert(node: &Node) -> Expr {
    let Some(node) = node.node.as_ref() else {
        return Expr::Other(Vec::new());
    };
    match node {
        NodeEnum::AConst(c) => Expr::Const(match (&c.val, c.isnull) {
            (_, true) | (None, _) => Const::Null,
            (Some(a_const::Val::Boolval(b)), _) => Const::Bool(b.boolval),
            (Some(a_const::Val::Sval(s)), _) => Const::Text(s.sval.clone()),
            (Some(a_const::Val::Ival(i)), _) => Const::Number(i.ival.to_string()),
            (Some(a_const::Val::Fval(f)), _) => Const::Number(f.fval.clone()),
            (Some(a_const::Val::Bsval(b)), _) => Const::Text(b.bsval.clone()),
        }),
        NodeEnum::ColumnRef(c) => Expr::Column(names(&c.fields)),
        NodeEnum::BoolExpr(b) => {
            let args = convert_all(&b.args);
            match BoolExprType::try_from(b.boolop) {
                Ok(BoolExprType::AndExpr) => Expr::And(args),
                Ok(BoolExprType::OrExpr) => Expr::Or(args),
                Ok(BoolExprType::NotExpr) => Expr::Not(Box::new(
                    args.into_iter().next().unwrap_or(Expr::Other(Vec::new())),
                )),
                _ => Expr::Other(args),
            }
        }
        NodeEnum::AExpr(a) => {
            let left = a.lexpr.as_deref().map(convert);
            let right = a.rexpr.as_deref().map(convert);
            let operands: Vec<Expr> = left.into_iter().chain(right).collect();
            let name = names(&a.name).pop().unwrap_or_default();
            match AExprKind::try_from(a.kind) {
                Ok(AExprKind::AexprOp) => Expr::Op(name, operands),
                Ok(AExprKind::AexprNullif) if operands.len() == 2 => {
                    let mut it = operands.into_iter();
                    match (it.next(), it.next()) {
                        (Some(a), Some(b)) => Expr::NullIf(Box::new(a), Box::new(b)),
                        _ => Expr::Other(Vec::new()),
                    }
                }
                Ok(AExprKind::AexprDistinct) => Expr::Op("IS DISTINCT FROM".into(), operands),
                Ok(AExprKind::AexprNotDistinct) => {
                    Expr::Op("IS NOT DISTINCT FROM".into(), operands)
                }
                Ok(AExprKind::AexprIn) => Expr::Op(format!("IN {name}"), operands),
                Ok(AExprKind::AexprOpAny) => Expr::Op(format!("{name} ANY"), operands),
                _ => Expr::Op(format!("?{name}"), operands),
            }
        }
        NodeEnum::NullTest(t) => Expr::NullTest(
            boxed(&t.arg),
            NullTestType::try_from(t.nulltesttype) == Ok(NullTestType::IsNull),
        ),
        NodeEnum::TypeCast(t) => {
            let ty = t
                .type_name
                .as_ref()
                .and_then(|n| names(&n.names).pop())
                .unwrap_or_default();
            Expr::Cast(boxed(&t.arg), ty)
        }
        NodeEnum::FuncCall(f) => Expr::Call(names(&f.funcname), convert_all(&f.args)),
        NodeEnum::CoalesceExpr(c) => Expr::Coalesce(convert_all(&c.args)),
        NodeEnum::SqlvalueFunction(s) => match SqlValueFunctionOp::try_from(s.op) {
            Ok(
                SqlValueFunctionOp::SvfopCurrentRole
                | SqlValueFunctionOp::SvfopCurrentUser
                | SqlValueFunctionOp::SvfopUser
                | SqlValueFunctionOp::SvfopSessionUser,
            ) => Expr::SessionRole,
            _ => Expr::Other(Vec::new()),
        },
        NodeEnum::SubLink(s) if let Some(inner) = init_plan(s) => Expr::InitPlan(Box::new(inner)),
        NodeEnum::SubLink(s) => Expr::SubSelect(
            s.testexpr.as_deref().map(|t| Box::new(convert(t))),
            s.subselect
                .as_deref()
                .and_then(|n| serde_json::to_value(n).ok())
                .unwrap_or(Value::Null),
        ),
        NodeEnum::CollateClause(c) => Expr::Other(vec![*boxed(&c.arg)]),
        NodeEnum::AArrayExpr(a) => Expr::Other(convert_all(&a.elements)),
        NodeEnum::RowExpr(r) => Expr::Other(convert_all(&r.args)),
        NodeEnum::List(l) => Expr::Other(convert_all(&l.items)),
        NodeEnum::BooleanTest(b) => Expr::Other(vec![*boxed(&b.arg)]),
        NodeEnum::CaseExpr(c) => {
            let mut parts = Vec::new();
            if let Some(arg) = c.arg.as_deref() {
                parts.push(convert(arg));
            }
            parts.extend(convert_all(&c.args));
            if let Some(d) = c.defresult.as_deref() {
                parts.push(convert(d));
            }
            Expr::Other(parts)
        }
        NodeEnum::CaseWhen(w) => Expr::Other(vec![*boxed(&w.expr), *boxed(&w.result)]),
        NodeEnum::AIndirection(i) => Expr::Other(vec![*boxed(&i.arg)]),
        _ => Expr::Other(Vec::new()),
    }
}

/// The expression of `(SELECT expr)` with nothing but one target.
fn init_plan(link: &pg_query::protobuf::SubLink) -> Option<Expr> {
    if link.sub_link_type != pg_query::protobuf::SubLinkType::ExprSublink as i32 {
        return None;
    }
    let Some(NodeEnum::SelectStmt(select)) = link.subselect.as_deref()?.node.as_ref() else {
        return None;
    };
    let bare = select.from_clause.is_empty()
        && select.where_clause.is_none()
        && select.target_list.len() == 1
        && select.group_clause.is_empty()
        && select.larg.is_none();
    if !bare {
        return None;
    }
    let Some(NodeEnum::ResTarget(target)) = select.target_list.first()?.node.as_ref() else {
        return None;
    };
    Some(convert(target.val.as_deref()?))
}

impl Expr {
    /// Every sub-expression, this one first, not descending into sub-selects
    /// or InitPlans: what is evaluated per row.
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        self.walk_with(false, visit);
    }

    /// Every sub-expression, InitPlans included (sub-selects with FROM excluded).
    pub fn walk_deep<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        self.walk_with(true, visit);
    }

    fn walk_with<'a>(&'a self, deep: bool, visit: &mut dyn FnMut(&'a Expr)) {
        let visit_child = |x: &'a Expr, visit: &mut dyn FnMut(&'a Expr)| x.walk_with(deep, visit);
        visit(self);
        match self {
            Expr::And(xs) | Expr::Or(xs) | Expr::Op(_, xs) | Expr::Coalesce(xs) => {
                xs.iter().for_each(|x| visit_child(x, visit))
            }
            Expr::Call(_, xs) | Expr::Other(xs) => xs.iter().for_each(|x| visit_child(x, visit)),
            Expr::Not(x) | Expr::NullTest(x, _) | Expr::Cast(x, _) => visit_child(x, visit),
            Expr::NullIf(a, b) => {
                visit_child(a, visit);
                visit_child(b, visit);
            }
            Expr::SubSelect(test, _) => {
                if let Some(t) = test {
                    visit_child(t, visit);
                }
            }
            Expr::InitPlan(inner) => {
                if deep {
                    visit_child(inner, visit);
                }
            }
            Expr::Const(_) | Expr::Column(_) | Expr::SessionRole => {}
        }
    }

    /// Whether any sub-expression (InitPlans included, sub-selects with FROM
    /// excluded) satisfies `test`.
    pub fn any(&self, test: &dyn Fn(&Expr) -> bool) -> bool {
        let mut found = false;
        self.walk_deep(&mut |e| found |= test(e));
        found
    }

    /// The sub-selects' parse trees (outermost only).
    pub fn sub_selects(&self) -> Vec<&Value> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::SubSelect(_, tree) = e {
                out.push(tree);
            }
        });
        out
    }

    /// Whether this is a context call: `current_setting(...)`, `auth.*()`,
    /// `request.jwt.*` readers, or one of `helpers` (qualified function names).
    pub fn is_context_call(&self, helpers: &[String]) -> bool {
        let Expr::Call(name, _) = self else {
            return false;
        };
        let last = name.last().map(String::as_str).unwrap_or("");
        let schema = if name.len() > 1 { name[0].as_str() } else { "" };
        last == "current_setting"
            || (schema == "auth" && matches!(last, "uid" | "jwt" | "role" | "email"))
            || helpers.iter().any(|h| *h == name.join("."))
    }

    /// Whether the expression holds a context call evaluated per row (outside
    /// sub-selects and InitPlans).
    pub fn has_context_call(&self, helpers: &[String]) -> bool {
        let mut found = false;
        self.walk(&mut |e| found |= e.is_context_call(helpers));
        found
    }

    /// Whether the expression, sub-selects included, mentions context (a
    /// context call or a `current_setting`/`auth.` call in a sub-select).
    pub fn mentions_context(&self, helpers: &[String]) -> bool {
        self.any(&|e| e.is_context_call(helpers))
            || self.sub_selects().iter().any(|tree| {
                function_names(tree)
                    .iter()
                    .any(|n| Expr::Call(n.clone(), Vec::new()).is_context_call(helpers))
            })
    }

    /// Column names referenced outside sub-selects (last name part).
    pub fn columns(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Column(parts) = e
                && let Some(last) = parts.last()
                && !out.contains(last)
            {
                out.push(last.clone());
            }
        });
        out
    }
}

/// Every string constant in the expression, sub-selects included.
pub fn all_strings(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    expr.walk_deep(&mut |e| match e {
        Expr::Const(Const::Text(s)) => out.push(s.clone()),
        Expr::SubSelect(_, tree) => out.extend(strings(tree)),
        _ => {}
    });
    out
}

/// Every function called, sub-selects included.
pub fn all_calls(expr: &Expr) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    expr.walk_deep(&mut |e| match e {
        Expr::Call(name, _) => out.push(name.clone()),
        Expr::SubSelect(_, tree) => out.extend(function_names(tree)),
        _ => {}
    });
    out
}
