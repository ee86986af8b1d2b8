//! Function bodies read as code: a PL/pgSQL body through libpg_query's PL/pgSQL
//! compiler (`sql::parse::plpgsql_tree`), a SQL body through the SQL parser, and
//! every statement's tree walked for what it reads and writes and under which
//! predicates.
//!
//! A statement is *scoped* when its rows are constrained by the caller: a
//! predicate that compares a column with the session context (`auth.uid()`,
//! `current_setting(...)`, a context helper), with a variable holding it, or
//! with a parameter a guard verified against it (`IF NOT EXISTS (select 1 from
//! memberships where org_id = p_org and user_id = auth.uid()) THEN RAISE`, or
//! `PERFORM ...; IF NOT FOUND THEN RAISE`, or a call to a boolean function whose
//! body does that). An OR is scoped only when every branch is; `uid IS NULL OR
//! ...` is not. Names resolve as PostgreSQL resolves them: `$n` and parameter
//! names to arguments, PL/pgSQL variables to variables, and in SQL functions a
//! column of the statement's tables before a parameter of the same name.
//! Dynamic SQL (`EXECUTE`), other languages and bodies that do not parse are
//! *opaque*: never called safe.

mod trees;

use std::collections::BTreeSet;
use std::sync::Arc;

use pg_query::protobuf::{AExprKind, BoolExprType, SubLinkType};
use serde_json::Value;

use super::expr::Expr;
use crate::catalog::{Function, FunctionBody};
pub use trees::Trees;

/// One statement's access to a relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touch {
    /// The relation as written: its schema when qualified, and its name.
    pub relation: (Option<String>, String),
    /// Whether the statement writes it (INSERT, UPDATE, DELETE, MERGE).
    pub write: bool,
    /// Whether the caller's context constrains the rows it reads or writes.
    pub scoped: bool,
}

/// What a function body does, read as code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// Every relation access, in body order.
    pub touches: Vec<Touch>,
    /// Why the body cannot be read completely (dynamic SQL, another language,
    /// a body that does not parse); None when every statement was read.
    pub opaque: Option<String>,
}

/// A relation as a body names it: its schema when qualified, and its name.
pub type Relation = (Option<String>, String);

/// What reading a body needs to know of the rest of the database.
pub struct Knowledge<'k> {
    /// Context helper functions (qualified names).
    pub helpers: &'k [String],
    /// For a called function's name parts: which of its arguments it verifies
    /// against the caller (true when it returns true only for the caller's rows).
    pub verifier: &'k dyn Fn(&[String]) -> Option<Vec<bool>>,
    /// A relation's tenant key column, if known.
    pub tenant_key: &'k dyn Fn(&Relation) -> Option<String>,
    /// A relation's column names, if known (SQL functions: a column hides a parameter).
    pub columns: &'k dyn Fn(&Relation) -> Vec<String>,
    /// Tenant key column names: in a trigger function `NEW.<key>` and
    /// `OLD.<key>` hold a value the caller's policies admitted (its other
    /// fields are whatever the caller wrote).
    pub tenant_columns: &'k [String],
    /// The parse trees read so far (shared by every body of one audit).
    pub trees: &'k Trees,
}

/// Reads a function's body.
pub fn read(f: &Function, k: &Knowledge<'_>) -> Body {
    let params = k.trees.parameters(&f.arguments).to_vec();
    let mut env = Env::new(k, &f.name.name, params, f.language == "sql");
    env.trigger = f.result.as_deref() == Some("trigger");
    match (&f.body, f.language.as_str()) {
        (FunctionBody::Source(src), "plpgsql") => {
            let returns = f.result.as_deref().unwrap_or("void");
            match k.trees.plpgsql(src, &f.arguments, returns) {
                Ok(tree) => env.plpgsql(&tree),
                Err(e) => env.opaque = Some(format!("its body does not parse ({e})")),
            }
        }
        (FunctionBody::Source(src), "sql") => match k.trees.sql(src) {
            Ok(tree) => env.sql_statements(&tree),
            Err(e) => env.opaque = Some(format!("its body does not parse ({e})")),
        },
        (FunctionBody::SqlStandard(src), _) => match k.trees.sql(&standard_body_function(src)) {
            Ok(tree) => env.sql_statements(&tree),
            Err(e) => env.opaque = Some(format!("its body does not parse ({e})")),
        },
        (_, language) => env.opaque = Some(format!("its body is {language}, not read as code")),
    }
    Body {
        touches: env.touches,
        opaque: env.opaque,
    }
}

/// Which arguments a boolean function verifies against the caller: those its
/// returned expression, when true, ties to the caller's context (`exists
/// (select 1 from memberships where org_id = $1 and user_id = auth.uid())`).
/// Empty when it verifies none (or does not return boolean).
pub fn verified_arguments(f: &Function, helpers: &[String], trees: &Trees) -> Vec<bool> {
    if f.result.as_deref() != Some("boolean") {
        return Vec::new();
    }
    let FunctionBody::Source(src) = &f.body else {
        return Vec::new();
    };
    verified_arguments_of(&f.name.name, &f.language, &f.arguments, src, helpers, trees)
}

/// A SQL-standard body (`BEGIN ATOMIC ... END`, `RETURN ...`) as a statement
/// the SQL parser reads.
fn standard_body_function(src: &str) -> String {
    format!("CREATE FUNCTION rlsctl_body() RETURNS int LANGUAGE sql {src}")
}

/// [`verified_arguments`] of a boolean function given by its parts.
pub fn verified_arguments_of(
    name: &str,
    language: &str,
    arguments: &str,
    src: &str,
    helpers: &[String],
    trees: &Trees,
) -> Vec<bool> {
    let none = |_: &[String]| None;
    let no_key = |_: &(Option<String>, String)| None;
    let no_columns = |_: &(Option<String>, String)| Vec::new();
    let k = Knowledge {
        helpers,
        verifier: &none,
        tenant_key: &no_key,
        columns: &no_columns,
        tenant_columns: &[],
        trees,
    };
    let params = trees.parameters(arguments).to_vec();
    let env = Env::new(&k, name, params.clone(), language == "sql");
    let returned = match language {
        "sql" => trees
            .sql(src)
            .ok()
            .and_then(|t| last_select_target(&t))
            .map(Arc::new),
        "plpgsql" => trees
            .plpgsql(src, arguments, "boolean")
            .ok()
            .and_then(|t| first_return(&t))
            .and_then(|q| trees.expression(&q)),
        _ => None,
    };
    let Some(returned) = returned else {
        return Vec::new();
    };
    let bound = env.bound_when_true(&returned);
    params.iter().map(|p| bound.contains(p)).collect()
}

/// Every function a body calls (name parts as written), read from its trees;
/// empty when it does not parse.
pub fn called_functions(f: &Function, parsed: &Trees) -> Vec<Vec<String>> {
    let mut trees: Vec<Arc<Value>> = Vec::new();
    match (&f.body, f.language.as_str()) {
        (FunctionBody::Source(src), "plpgsql") => {
            let returns = f.result.as_deref().unwrap_or("void");
            if let Ok(tree) = parsed.plpgsql(src, &f.arguments, returns) {
                visit(&tree, &mut |key, node| {
                    if key == "PLpgSQL_expr"
                        && let Some(q) = node["query"].as_str()
                    {
                        let q = q.split_once(":=").map_or(q, |(_, v)| v);
                        if let Ok(t) = parsed.sql(q) {
                            trees.push(t);
                        } else if let Some(e) = parsed.expression(q) {
                            trees.push(e);
                        }
                    }
                });
            }
        }
        (FunctionBody::Source(src), "sql") => {
            if let Ok(t) = parsed.sql(src) {
                trees.push(t);
            }
        }
        (FunctionBody::SqlStandard(src), _) => {
            if let Ok(t) = parsed.sql(&standard_body_function(src)) {
                trees.push(t);
            }
        }
        _ => {}
    }
    let mut out = Vec::new();
    for tree in &trees {
        visit(tree, &mut |key, node| {
            if key == "FuncCall" {
                out.push(strings(&node["funcname"]));
            }
        });
    }
    out
}

/// `{"node": {"Kind": body}}` or `{"Kind": body}` as (kind, body).
fn kind(v: &Value) -> Option<(&str, &Value)> {
    let v = v.get("node").unwrap_or(v);
    let map = v.as_object()?;
    if map.len() != 1 {
        return None;
    }
    map.iter().next().map(|(k, b)| (k.as_str(), b))
}

fn strings(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["node"]["String"]["sval"].as_str().map(str::to_string))
        .collect()
}

fn items(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn last_select_target(tree: &Value) -> Option<Value> {
    let stmt = items(&tree["stmts"]).last()?;
    stmt.pointer("/stmt/node/SelectStmt/target_list/0/node/ResTarget/val")
        .cloned()
}

fn first_return(tree: &Value) -> Option<String> {
    let mut found = None;
    visit(tree, &mut |key, node| {
        if found.is_none() && key == "PLpgSQL_stmt_return" {
            found = node
                .pointer("/expr/PLpgSQL_expr/query")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
    });
    found
}

fn visit(value: &Value, f: &mut dyn FnMut(&str, &Value)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                f(key, child);
                visit(child, f);
            }
        }
        Value::Array(xs) => xs.iter().for_each(|x| visit(x, f)),
        _ => {}
    }
}

/// Whether a PL/pgSQL statement list ends the function on every path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continues,
    Raises,
    Returns,
}

struct Env<'k> {
    k: &'k Knowledge<'k>,
    function: String,
    params: Vec<String>,
    vars: BTreeSet<String>,
    /// Variables holding the caller's context, or verified against it.
    context: BTreeSet<String>,
    /// What `FOUND` true would verify (after a scoped SELECT/PERFORM).
    found: BTreeSet<String>,
    /// SQL functions: columns of the current statement's relations hide parameters.
    sql: bool,
    shadow: BTreeSet<String>,
    /// A trigger function (`NEW`/`OLD` in scope).
    trigger: bool,
    touches: Vec<Touch>,
    opaque: Option<String>,
}

impl<'k> Env<'k> {
    fn new(k: &'k Knowledge<'k>, function: &str, params: Vec<String>, sql: bool) -> Self {
        Self {
            k,
            function: function.to_string(),
            vars: params.iter().cloned().collect(),
            params,
            context: BTreeSet::new(),
            found: BTreeSet::new(),
            sql,
            shadow: BTreeSet::new(),
            trigger: false,
            touches: Vec::new(),
            opaque: None,
        }
    }

    // ---- names -------------------------------------------------------------

    /// The variable a column reference or `$n` names, if it names one.
    fn var(&self, node: &Value) -> Option<String> {
        match kind(node)? {
            ("ColumnRef", c) => {
                let f = strings(&c["fields"]);
                match f.as_slice() {
                    [name] if self.vars.contains(name) && !self.shadow.contains(name) => {
                        Some(name.clone())
                    }
                    [func, name] if *func == self.function && self.vars.contains(name) => {
                        Some(name.clone())
                    }
                    // A field of a record variable (`r.org_id`).
                    [rec, _] if self.vars.contains(rec) && !self.shadow.contains(rec) => {
                        Some(rec.clone())
                    }
                    _ => None,
                }
            }
            ("ParamRef", p) => {
                let n = p["number"].as_i64()? as usize;
                self.params.get(n.checked_sub(1)?).cloned()
            }
            _ => None,
        }
    }

    fn is_column(&self, node: &Value) -> bool {
        match kind(node) {
            Some(("ColumnRef", _)) => self.var(node).is_none(),
            Some(("TypeCast", t)) => self.is_column(&t["arg"]),
            _ => false,
        }
    }

    /// Whether the value is the caller's context (or derived from or verified against it).
    fn is_context(&self, node: &Value) -> bool {
        match kind(node) {
            Some(("FuncCall", c)) => {
                let name = strings(&c["funcname"]);
                let args = items(&c["args"]);
                if Expr::Call(name.clone(), Vec::new()).is_context_call(self.k.helpers) {
                    return true;
                }
                let last = name.last().map(String::as_str).unwrap_or("");
                matches!(last, "nullif" | "lower" | "upper" | "btrim" | "trim")
                    && args.first().is_some_and(|a| self.is_context(a))
            }
            Some(("ColumnRef", c))
                if self.trigger
                    && matches!(strings(&c["fields"]).as_slice(),
                        [rec, field] if (rec == "new" || rec == "old") && self.k.tenant_columns.contains(field)) =>
            {
                true
            }
            Some(("ColumnRef" | "ParamRef", _)) => {
                self.var(node).is_some_and(|v| self.context.contains(&v))
            }
            Some(("TypeCast", t)) => self.is_context(&t["arg"]),
            Some(("CoalesceExpr", c)) => {
                let args = items(&c["args"]);
                !args.is_empty() && args.iter().all(|a| self.is_context(a))
            }
            Some(("AExpr", a)) => {
                let op = strings(&a["name"]);
                matches!(op.last().map(String::as_str), Some("->>" | "->" | "#>>"))
                    && self.is_context(&a["lexpr"])
            }
            Some(("SubLink", s)) if s["sub_link_type"] == SubLinkType::ExprSublink as i32 => {
                let sel = &s["subselect"];
                self.scoped_select(sel)
                    || kind(sel).is_some_and(|(_, b)| {
                        items(&b["from_clause"]).is_empty()
                            && items(&b["target_list"]).len() == 1
                            && self.is_context(&b["target_list"][0]["node"]["ResTarget"]["val"])
                    })
            }
            _ => false,
        }
    }

    // ---- predicates --------------------------------------------------------

    /// Whether a predicate constrains the rows to the caller's.
    fn scoped(&self, node: &Value) -> bool {
        match kind(node) {
            Some(("BoolExpr", b)) => {
                let args = items(&b["args"]);
                match b["boolop"].as_i64() {
                    Some(op) if op == BoolExprType::AndExpr as i64 => {
                        args.iter().any(|a| self.scoped(a))
                    }
                    Some(op) if op == BoolExprType::OrExpr as i64 => {
                        !args.is_empty() && args.iter().all(|a| self.scoped(a))
                    }
                    _ => false,
                }
            }
            Some(("AExpr", a)) => {
                let op = strings(&a["name"]);
                let kind_ = a["kind"].as_i64();
                let eq = op.last().is_some_and(|o| o == "=");
                let (l, r) = (&a["lexpr"], &a["rexpr"]);
                if kind_ == Some(AExprKind::AexprIn as i64) && eq {
                    let list = &r["node"]["List"]["items"];
                    return self.is_column(l)
                        && !items(list).is_empty()
                        && items(list).iter().all(|x| self.is_context(x));
                }
                (kind_ == Some(AExprKind::AexprOp as i64)
                    || kind_ == Some(AExprKind::AexprOpAny as i64))
                    && eq
                    && ((self.is_column(l) && self.is_context(r))
                        || (self.is_column(r) && self.is_context(l)))
            }
            Some(("SubLink", s)) => {
                let t = s["sub_link_type"].as_i64();
                if t == Some(SubLinkType::ExistsSublink as i64) {
                    self.scoped_select(&s["subselect"])
                } else if t == Some(SubLinkType::AnySublink as i64) {
                    self.is_column(&s["testexpr"]) && self.scoped_select(&s["subselect"])
                } else {
                    false
                }
            }
            Some(("FuncCall", c)) => {
                let name = strings(&c["funcname"]);
                let Some(verified) = (self.k.verifier)(&name) else {
                    return false;
                };
                items(&c["args"])
                    .iter()
                    .zip(verified)
                    .any(|(a, v)| v && self.is_column(a))
            }
            _ => false,
        }
    }

    /// Whether a SELECT's rows are the caller's (WHERE or a JOIN's ON).
    fn scoped_select(&self, node: &Value) -> bool {
        let Some(("SelectStmt", s)) = kind(node) else {
            return false;
        };
        if !s["larg"].is_null() {
            return self.scoped_select(&s["larg"]) && self.scoped_select(&s["rarg"]);
        }
        self.scoped(&s["where_clause"])
            || items(&s["from_clause"]).iter().any(|f| self.scoped_join(f))
    }

    fn scoped_join(&self, node: &Value) -> bool {
        match kind(node) {
            Some(("JoinExpr", j)) => {
                self.scoped(&j["quals"])
                    || self.scoped_join(&j["larg"])
                    || self.scoped_join(&j["rarg"])
            }
            _ => false,
        }
    }

    /// Variables a true predicate verifies against the caller.
    fn bound_when_true(&self, node: &Value) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        match kind(node) {
            Some(("BoolExpr", b)) => {
                let args = items(&b["args"]);
                match b["boolop"].as_i64() {
                    Some(op) if op == BoolExprType::AndExpr as i64 => args
                        .iter()
                        .for_each(|a| out.extend(self.bound_when_true(a))),
                    Some(op) if op == BoolExprType::NotExpr as i64 => {
                        if let Some(a) = args.first() {
                            out.extend(self.bound_when_false(a));
                        }
                    }
                    _ => {}
                }
            }
            Some(("SubLink", s)) => {
                let t = s["sub_link_type"].as_i64();
                if t == Some(SubLinkType::ExistsSublink as i64)
                    && self.scoped_select(&s["subselect"])
                {
                    out.extend(self.equated_vars(&s["subselect"]));
                } else if t == Some(SubLinkType::AnySublink as i64)
                    && self.scoped_select(&s["subselect"])
                    && let Some(v) = self.var(&s["testexpr"])
                {
                    out.insert(v);
                } else if t == Some(SubLinkType::ExprSublink as i64)
                    && let Some(("SelectStmt", sel)) = kind(&s["subselect"])
                    && items(&sel["from_clause"]).is_empty()
                    && let Some(target) = items(&sel["target_list"]).first()
                {
                    out.extend(self.bound_when_true(&target["node"]["ResTarget"]["val"]));
                }
            }
            Some(("AExpr", a)) if strings(&a["name"]).last().is_some_and(|o| o == "=") => {
                for (x, y) in [(&a["lexpr"], &a["rexpr"]), (&a["rexpr"], &a["lexpr"])] {
                    if let Some(v) = self.var(x)
                        && self.is_context(y)
                    {
                        out.insert(v);
                    }
                }
            }
            Some(("FuncCall", c)) => {
                if let Some(verified) = (self.k.verifier)(&strings(&c["funcname"])) {
                    for (a, v) in items(&c["args"]).iter().zip(verified) {
                        if let (true, Some(var)) = (v, self.var(a)) {
                            out.insert(var);
                        }
                    }
                }
            }
            Some(("ColumnRef", c)) if strings(&c["fields"]) == ["found"] => {
                out.extend(self.found.iter().cloned())
            }
            _ => {}
        }
        out
    }

    /// Variables a false predicate verifies (`NOT x` false: x true; `a OR b` false: both false).
    fn bound_when_false(&self, node: &Value) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(("BoolExpr", b)) = kind(node) {
            let args = items(&b["args"]);
            match b["boolop"].as_i64() {
                Some(op) if op == BoolExprType::NotExpr as i64 => {
                    if let Some(a) = args.first() {
                        out.extend(self.bound_when_true(a));
                    }
                }
                Some(op) if op == BoolExprType::OrExpr as i64 => args
                    .iter()
                    .for_each(|a| out.extend(self.bound_when_false(a))),
                _ => {}
            }
        }
        out
    }

    /// Variables a SELECT's WHERE (AND-ed) equates with a column.
    fn equated_vars(&self, node: &Value) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let Some(("SelectStmt", s)) = kind(node) else {
            return out;
        };
        let mut conjuncts = vec![&s["where_clause"]];
        while let Some(c) = conjuncts.pop() {
            match kind(c) {
                Some(("BoolExpr", b)) if b["boolop"] == BoolExprType::AndExpr as i32 => {
                    conjuncts.extend(items(&b["args"]))
                }
                Some(("AExpr", a)) if strings(&a["name"]).last().is_some_and(|o| o == "=") => {
                    for (x, y) in [(&a["lexpr"], &a["rexpr"]), (&a["rexpr"], &a["lexpr"])] {
                        if let Some(v) = self.var(x)
                            && self.is_column(y)
                        {
                            out.insert(v);
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    // ---- statements --------------------------------------------------------

    fn touch(&mut self, range_var: &Value, write: bool, scoped: bool) {
        let schema = range_var["schemaname"].as_str().filter(|s| !s.is_empty());
        if let Some(name) = range_var["relname"].as_str() {
            self.touches.push(Touch {
                relation: (schema.map(str::to_string), name.to_string()),
                write,
                scoped,
            });
        }
    }

    /// Records what a top-level SQL statement reads and writes.
    fn statement(&mut self, node: &Value) {
        self.shadow_columns_of(node);
        self.dml(node, false);
        self.shadow.clear();
    }

    /// In a SQL function, the columns of the relations a statement names hide
    /// parameters of the same name while it is read.
    fn shadow_columns_of(&mut self, node: &Value) {
        if self.sql {
            let mut shadow = BTreeSet::new();
            visit(node, &mut |key, rv| {
                if key == "RangeVar" {
                    let schema = rv["schemaname"].as_str().filter(|s| !s.is_empty());
                    if let Some(name) = rv["relname"].as_str() {
                        let rel = (schema.map(str::to_string), name.to_string());
                        shadow.extend((self.k.columns)(&rel));
                    }
                }
            });
            self.shadow = shadow;
        }
    }

    fn dml(&mut self, node: &Value, outer_scoped: bool) {
        let Some((k, s)) = kind(node) else { return };
        match k {
            "SelectStmt" => {
                let scoped = outer_scoped || self.scoped_select(node);
                if !s["larg"].is_null() {
                    self.dml(&s["larg"], outer_scoped);
                    self.dml(&s["rarg"], outer_scoped);
                }
                self.with_clause(&s["with_clause"]);
                for f in items(&s["from_clause"]) {
                    self.read_from_item(f, scoped);
                }
                for part in ["target_list", "where_clause", "having_clause"] {
                    self.sub_links(&s[part], scoped);
                }
                for row in items(&s["values_lists"]) {
                    self.sub_links(row, scoped);
                }
            }
            "InsertStmt" => {
                let scoped = outer_scoped || self.insert_scoped(s);
                self.with_clause(&s["with_clause"]);
                self.touch(&s["relation"], true, scoped);
                self.dml(&s["select_stmt"], scoped);
            }
            "UpdateStmt" | "DeleteStmt" => {
                let scoped = outer_scoped || self.scoped(&s["where_clause"]);
                self.with_clause(&s["with_clause"]);
                self.touch(&s["relation"], true, scoped);
                for part in ["from_clause", "using_clause"] {
                    for f in items(&s[part]) {
                        self.read_from_item(f, scoped);
                    }
                }
                for part in ["target_list", "where_clause"] {
                    self.sub_links(&s[part], scoped);
                }
            }
            "MergeStmt" => {
                self.touch(&s["relation"], true, outer_scoped);
                self.read_from_item(&s["source_relation"], outer_scoped);
            }
            _ => {}
        }
    }

    fn with_clause(&mut self, with: &Value) {
        for cte in items(&with["ctes"]) {
            if let Some(("CommonTableExpr", c)) = kind(cte) {
                self.dml(&c["ctequery"], false);
            }
        }
    }

    fn read_from_item(&mut self, node: &Value, scoped: bool) {
        match kind(node) {
            Some(("RangeVar", rv)) => self.touch(rv, false, scoped),
            Some(("JoinExpr", j)) => {
                self.read_from_item(&j["larg"], scoped);
                self.read_from_item(&j["rarg"], scoped);
                self.sub_links(&j["quals"], scoped);
            }
            Some(("RangeSubselect", r)) => self.dml(&r["subquery"], scoped),
            _ => {}
        }
    }

    /// The sub-selects of an expression (not descending into them: `dml` does).
    fn sub_links(&mut self, expr: &Value, scoped: bool) {
        match expr {
            Value::Object(map) => {
                if let Some(s) = map.get("SubLink") {
                    self.dml(&s["subselect"], scoped);
                    self.sub_links(&s["testexpr"], scoped);
                    return;
                }
                for child in map.values() {
                    self.sub_links(child, scoped);
                }
            }
            Value::Array(xs) => xs.iter().for_each(|x| self.sub_links(x, scoped)),
            _ => {}
        }
    }

    /// Whether an INSERT writes the caller's rows: the tenant key's value (any
    /// value when the key is unknown) is the caller's context.
    fn insert_scoped(&self, s: &Value) -> bool {
        let rv = &s["relation"];
        let schema = rv["schemaname"].as_str().filter(|x| !x.is_empty());
        let relation = (
            schema.map(str::to_string),
            rv["relname"].as_str().unwrap_or("").to_string(),
        );
        let key = (self.k.tenant_key)(&relation);
        let columns: Vec<String> = items(&s["cols"])
            .iter()
            .map(|c| {
                c["node"]["ResTarget"]["name"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        let position = key
            .as_ref()
            .and_then(|k| columns.iter().position(|c| c == k));
        let row_scoped = |row: &[Value]| match position {
            Some(i) => row.get(i).is_some_and(|v| self.is_context(v)),
            None => row.iter().any(|v| self.is_context(v)),
        };
        let Some(("SelectStmt", sel)) = kind(&s["select_stmt"]) else {
            return false;
        };
        let rows = items(&sel["values_lists"]);
        if !rows.is_empty() {
            return rows
                .iter()
                .all(|r| row_scoped(items(&r["node"]["List"]["items"])));
        }
        let targets: Vec<Value> = items(&sel["target_list"])
            .iter()
            .map(|t| t["node"]["ResTarget"]["val"].clone())
            .collect();
        row_scoped(&targets) || self.scoped_select(&s["select_stmt"])
    }

    /// Every statement of a SQL body (`stmts`, or a SQL-standard body's).
    fn sql_statements(&mut self, tree: &Value) {
        let mut stack = vec![tree];
        while let Some(v) = stack.pop() {
            match kind(v) {
                Some((
                    "SelectStmt" | "InsertStmt" | "UpdateStmt" | "DeleteStmt" | "MergeStmt",
                    _,
                )) => self.statement(v),
                Some(("ReturnStmt", r)) => self.expression_reads(&r["returnval"]),
                _ => match v {
                    Value::Object(map) => stack.extend(map.values()),
                    Value::Array(xs) => stack.extend(xs.iter().rev()),
                    _ => {}
                },
            }
        }
    }

    fn expression_reads(&mut self, expr: &Value) {
        self.sub_links(expr, false);
    }

    // ---- PL/pgSQL ------------------------------------------------------------

    fn plpgsql(&mut self, tree: &Value) {
        let Some(function) = tree.pointer("/0/PLpgSQL_function") else {
            self.opaque = Some("its body has no PL/pgSQL tree".to_string());
            return;
        };
        let datums = items(&function["datums"]);
        let names: Vec<String> = datums
            .iter()
            .map(|d| {
                kind(d)
                    .and_then(|(_, b)| b["refname"].as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        self.vars
            .extend(names.iter().filter(|n| !n.starts_with('(')).cloned());
        for (d, name) in datums.iter().zip(&names) {
            if let Some(q) = d
                .pointer("/PLpgSQL_var/default_val/PLpgSQL_expr/query")
                .and_then(Value::as_str)
            {
                self.assign(name, q);
            }
        }
        let names_by_no = names;
        let action = &function["action"];
        let _ = self.statements(std::slice::from_ref(action), &names_by_no);
    }

    fn assign(&mut self, var: &str, text: &str) {
        let Some(value) = self.k.trees.expression(text) else {
            return;
        };
        self.expression_reads(&value);
        if self.is_context(&value) {
            self.context.insert(var.to_string());
        } else {
            self.context.remove(var);
        }
    }

    fn query_of(stmt: &Value, field: &str) -> Option<String> {
        stmt.pointer(&format!("/{field}/PLpgSQL_expr/query"))
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// Reads an embedded SQL statement (parse mode 0) and returns its tree.
    fn embedded(&mut self, text: &str) -> Option<trees::FirstStatement> {
        match self.k.trees.first_statement(text) {
            Ok(stmt) => {
                let stmt = stmt?;
                self.statement(&stmt);
                Some(stmt)
            }
            Err(e) => {
                self.opaque
                    .get_or_insert(format!("a statement does not parse ({e})"));
                None
            }
        }
    }

    /// An embedded expression (IF conditions, RETURN values): its sub-selects read.
    fn condition(&mut self, text: &str) -> Option<Arc<Value>> {
        let value = self.k.trees.expression(text)?;
        // What `statement` reads of `SELECT <value>`: no FROM, no WHERE, so
        // only the value's sub-selects, unscoped.
        self.shadow_columns_of(&value);
        self.sub_links(&value, false);
        self.shadow.clear();
        Some(value)
    }

    fn statements(&mut self, stmts: &[Value], names: &[String]) -> Flow {
        for stmt in stmts {
            let flow = self.one(stmt, names);
            if flow != Flow::Continues {
                return flow;
            }
        }
        Flow::Continues
    }

    fn one(&mut self, stmt: &Value, names: &[String]) -> Flow {
        let Some((k, s)) = kind(stmt) else {
            return Flow::Continues;
        };
        match k {
            "PLpgSQL_stmt_block" => {
                let flow = self.statements(items(&s["body"]), names);
                let saved = self.context.clone();
                for handler in items(
                    s.pointer("/exceptions/PLpgSQL_exception_block/exc_list")
                        .unwrap_or(&Value::Null),
                ) {
                    let action = handler
                        .pointer("/PLpgSQL_exception/action")
                        .unwrap_or(&Value::Null);
                    let _ = self.statements(items(action), names);
                    self.context = saved.clone();
                }
                flow
            }
            "PLpgSQL_stmt_raise" => {
                if s["elog_level"].as_i64().unwrap_or(0) >= 21 {
                    Flow::Raises
                } else {
                    Flow::Continues
                }
            }
            "PLpgSQL_stmt_return" | "PLpgSQL_stmt_return_next" => {
                // Only a value with parentheses can read a relation (a sub-select,
                // a call): `RETURN n` is not parsed again.
                if let Some(q) = Self::query_of(s, "expr").filter(|q| q.contains('(')) {
                    self.condition(&q);
                }
                if k == "PLpgSQL_stmt_return" {
                    Flow::Returns
                } else {
                    Flow::Continues
                }
            }
            "PLpgSQL_stmt_assign" => {
                let var = s["varno"]
                    .as_u64()
                    .and_then(|n| names.get(n as usize))
                    .cloned()
                    .unwrap_or_default();
                if let Some(q) = Self::query_of(s, "expr") {
                    let value = q.split_once(":=").map_or(q.as_str(), |(_, v)| v);
                    self.assign(&var, value);
                }
                Flow::Continues
            }
            "PLpgSQL_stmt_execsql" | "PLpgSQL_stmt_perform" => {
                let field = if k == "PLpgSQL_stmt_perform" {
                    "expr"
                } else {
                    "sqlstmt"
                };
                let Some(q) = Self::query_of(s, field) else {
                    return Flow::Continues;
                };
                let tree = self.embedded(&q);
                let scoped = tree.as_ref().is_some_and(|t| self.scoped_select(t));
                self.found = match &tree {
                    Some(t) if scoped => self.equated_vars(t),
                    _ => BTreeSet::new(),
                };
                if s["into"].as_bool() == Some(true) {
                    let targets: Vec<String> = match kind(&s["target"]) {
                        Some(("PLpgSQL_row", r)) => items(&r["fields"])
                            .iter()
                            .filter_map(|f| f["name"].as_str().map(str::to_string))
                            .collect(),
                        Some((_, r)) => r["refname"]
                            .as_str()
                            .map(str::to_string)
                            .into_iter()
                            .collect(),
                        None => Vec::new(),
                    };
                    for t in targets {
                        if scoped {
                            self.context.insert(t);
                        } else {
                            self.context.remove(&t);
                        }
                    }
                }
                Flow::Continues
            }
            "PLpgSQL_stmt_if" => {
                let cond = Self::query_of(s, "cond").and_then(|q| self.condition(&q));
                let saved = self.context.clone();
                let then = self.statements(items(&s["then_body"]), names);
                self.context = saved.clone();
                let mut branches_end = then != Flow::Continues;
                for elsif in items(&s["elsif_list"]) {
                    let e = elsif.get("PLpgSQL_if_elsif").unwrap_or(elsif);
                    if let Some(q) = Self::query_of(e, "cond") {
                        self.condition(&q);
                    }
                    branches_end &= self.statements(items(&e["stmts"]), names) != Flow::Continues;
                    self.context = saved.clone();
                }
                let has_else = !items(&s["else_body"]).is_empty();
                let else_flow = self.statements(items(&s["else_body"]), names);
                self.context = saved;
                if then == Flow::Raises && items(&s["elsif_list"]).is_empty() && !has_else {
                    // A guard: what follows runs only when the condition is false.
                    if let Some(cond) = cond {
                        let bound = self.bound_when_false(&cond);
                        self.context.extend(bound);
                    }
                }
                if branches_end && has_else && else_flow != Flow::Continues {
                    return Flow::Raises;
                }
                Flow::Continues
            }
            "PLpgSQL_stmt_fors" | "PLpgSQL_stmt_forc" => {
                let scoped = Self::query_of(s, "query")
                    .and_then(|q| self.embedded(&q))
                    .is_some_and(|t| self.scoped_select(&t));
                if let Some(var) = kind(&s["var"]).and_then(|(_, v)| v["refname"].as_str()) {
                    if scoped {
                        self.context.insert(var.to_string());
                    } else {
                        self.context.remove(var);
                    }
                }
                let _ = self.statements(items(&s["body"]), names);
                Flow::Continues
            }
            "PLpgSQL_stmt_return_query" => {
                if let Some(q) = Self::query_of(s, "query") {
                    self.embedded(&q);
                } else {
                    self.opaque
                        .get_or_insert("RETURN QUERY EXECUTE builds SQL at run time".to_string());
                }
                Flow::Continues
            }
            "PLpgSQL_stmt_dynexecute" | "PLpgSQL_stmt_dynfors" => {
                self.opaque
                    .get_or_insert("EXECUTE builds SQL at run time".to_string());
                let _ = self.statements(items(&s["body"]), names);
                Flow::Continues
            }
            _ => {
                // Loops, CASE, OPEN, ...: their expressions and nested statements.
                for (field, value) in s.as_object().into_iter().flatten() {
                    if let Some(q) = value.pointer("/PLpgSQL_expr/query").and_then(Value::as_str) {
                        if field == "query" {
                            self.embedded(q);
                        } else {
                            self.condition(q);
                        }
                    }
                }
                if s.get("dynquery").is_some() {
                    self.opaque
                        .get_or_insert("OPEN ... FOR EXECUTE builds SQL at run time".to_string());
                }
                let _ = self.statements(items(&s["body"]), names);
                for w in items(&s["case_when_list"]) {
                    let w = w.get("PLpgSQL_case_when").unwrap_or(w);
                    if let Some(q) = Self::query_of(w, "expr") {
                        self.condition(&q);
                    }
                    let _ = self.statements(items(&w["stmts"]), names);
                }
                let _ = self.statements(items(&s["else_stmts"]), names);
                Flow::Continues
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Acl, FunctionKind, Parallel, QualifiedName, Volatility};

    fn function(language: &str, arguments: &str, result: &str, body: &str) -> Function {
        Function {
            name: QualifiedName::new("app", "f"),
            kind: FunctionKind::Function,
            identity_arguments: String::new(),
            arguments: arguments.to_string(),
            result: Some(result.to_string()),
            returns_set: false,
            language: language.to_string(),
            volatility: Volatility::Volatile,
            security_definer: true,
            strict: false,
            leakproof: false,
            parallel: Parallel::Unsafe,
            config: Vec::new(),
            body: FunctionBody::Source(body.to_string()),
            owner: "app_owner".to_string(),
            acl: Acl::Default,
            comment: None,
            dependents: Vec::new(),
        }
    }

    fn read_with(f: &Function, verifier: &dyn Fn(&[String]) -> Option<Vec<bool>>) -> Body {
        let key = |r: &(Option<String>, String)| (r.1 == "docs").then(|| "org_id".to_string());
        let columns = |r: &(Option<String>, String)| match r.1.as_str() {
            "docs" => vec!["id".to_string(), "org_id".to_string(), "secret".to_string()],
            _ => Vec::new(),
        };
        let k = Knowledge {
            helpers: &[],
            verifier,
            tenant_key: &key,
            columns: &columns,
            tenant_columns: &[],
            trees: &Trees::default(),
        };
        read(f, &k)
    }

    fn scoped(language: &str, arguments: &str, body: &str) -> Vec<(String, bool, bool)> {
        let none = |_: &[String]| None;
        let b = read_with(&function(language, arguments, "void", body), &none);
        assert_eq!(b.opaque, None, "{body}");
        b.touches
            .into_iter()
            .map(|t| (t.relation.1, t.write, t.scoped))
            .collect()
    }

    #[test]
    fn context_with_a_space_scopes_and_a_parameter_does_not() {
        assert_eq!(
            scoped(
                "sql",
                "p uuid",
                "select secret from app.docs where org_id = auth.uid ()"
            ),
            [("docs".to_string(), false, true)]
        );
        assert_eq!(
            scoped(
                "sql",
                "p uuid",
                "select secret from app.docs where org_id = p"
            ),
            [("docs".to_string(), false, false)]
        );
        // Mentioned, then discarded by OR: not scoped.
        assert_eq!(
            scoped(
                "sql",
                "p uuid",
                "select secret from app.docs where org_id = auth.uid() or p is not null"
            ),
            [("docs".to_string(), false, false)]
        );
    }

    #[test]
    fn a_membership_guard_verifies_the_parameter() {
        let body = "begin
            if not exists (select 1 from app.memberships m where m.org_id = p_org and m.user_id = auth.uid()) then
              raise exception 'not a member';
            end if;
            update app.docs set secret = 'x' where org_id = p_org;
          end";
        assert_eq!(
            scoped("plpgsql", "p_org uuid", body),
            [
                ("memberships".to_string(), false, true),
                ("docs".to_string(), true, true)
            ]
        );
        // A guard that only checks a login is not a membership check.
        let weak = "begin
            if auth.uid() is null then raise exception 'log in'; end if;
            update app.docs set secret = 'x' where org_id = p_org;
          end";
        assert_eq!(
            scoped("plpgsql", "p_org uuid", weak),
            [("docs".to_string(), true, false)]
        );
        let found = "declare uid uuid := auth.uid ();
          begin
            perform 1 from app.memberships where org_id = p_org and user_id = uid;
            if not found then raise exception 'no'; end if;
            delete from app.docs where org_id = p_org;
          end";
        assert_eq!(
            scoped("plpgsql", "p_org uuid", found),
            [
                ("memberships".to_string(), false, true),
                ("docs".to_string(), true, true)
            ]
        );
    }

    #[test]
    fn a_verifier_function_guards_its_argument() {
        let body = "begin
            if not app.is_member(p_org) then raise exception 'no'; end if;
            return query select secret from app.docs where org_id = p_org;
          end";
        let verifier =
            |name: &[String]| (name.last().is_some_and(|n| n == "is_member")).then(|| vec![true]);
        let b = read_with(
            &function("plpgsql", "p_org uuid", "SETOF text", body),
            &verifier,
        );
        assert!(b.touches.iter().all(|t| t.scoped), "{b:?}");
        let is_member = function(
            "sql",
            "o uuid",
            "boolean",
            "select exists (select 1 from app.memberships where org_id = o and user_id = (select auth.uid()))",
        );
        assert_eq!(
            verified_arguments(&is_member, &[], &Trees::default()),
            [true]
        );
        let not_verifying = function("sql", "o uuid", "boolean", "select o is not null");
        assert_eq!(
            verified_arguments(&not_verifying, &[], &Trees::default()),
            [false]
        );
    }

    #[test]
    fn inserts_are_scoped_by_the_tenant_key_value() {
        assert_eq!(
            scoped(
                "sql",
                "p uuid",
                "insert into app.docs (org_id, secret) values (auth.uid(), 'x')"
            ),
            [("docs".to_string(), true, true)]
        );
        assert_eq!(
            scoped(
                "sql",
                "p uuid",
                "insert into app.docs (org_id, secret) values (p, auth.uid()::text)"
            ),
            [("docs".to_string(), true, false)]
        );
    }

    #[test]
    fn sql_columns_hide_parameters_of_the_same_name() {
        // `org_id` is docs' column here, not the parameter: `org_id = org_id` is no scope.
        assert_eq!(
            scoped(
                "sql",
                "org_id uuid",
                "select secret from app.docs where org_id = org_id"
            ),
            [("docs".to_string(), false, false)]
        );
    }

    #[test]
    fn trigger_bodies_read_new_tenant_key_as_the_callers() {
        let none = |_: &[String]| None;
        let key = |_: &(Option<String>, String)| Some("org_id".to_string());
        let no_columns = |_: &(Option<String>, String)| Vec::new();
        let tenant_columns = ["org_id".to_string()];
        let trees = Trees::default();
        let k = Knowledge {
            helpers: &[],
            verifier: &none,
            tenant_key: &key,
            columns: &no_columns,
            tenant_columns: &tenant_columns,
            trees: &trees,
        };
        let touches = |body: &str| {
            let b = read(&function("plpgsql", "", "trigger", body), &k);
            assert_eq!(b.opaque, None, "{body}");
            b.touches
                .into_iter()
                .map(|t| (t.relation.1, t.write, t.scoped))
                .collect::<Vec<_>>()
        };
        // TG_OP, NEW and OLD parse (libpg_query's own tree of them is malformed JSON).
        assert_eq!(
            touches(
                "begin insert into app.log (org_id, doc_id, op) values (new.org_id, new.id, tg_op); return new; end"
            ),
            [("log".to_string(), true, true)]
        );
        assert_eq!(
            touches("begin delete from app.log where org_id = old.org_id; return old; end;"),
            [("log".to_string(), true, true)]
        );
        // Another field of NEW is whatever the caller wrote.
        assert_eq!(
            touches(
                "begin new.secret := (select d.secret from app.docs d where d.email = new.email); return new; end"
            ),
            [("docs".to_string(), false, false)]
        );
    }

    #[test]
    fn dynamic_sql_is_opaque() {
        let none = |_: &[String]| None;
        let b = read_with(
            &function(
                "plpgsql",
                "t text",
                "void",
                "begin execute format('delete from %I', t); end",
            ),
            &none,
        );
        assert!(b.opaque.is_some());
    }
}
