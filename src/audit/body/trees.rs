//! The parse trees one audit reads bodies with, each text parsed once: the
//! checks read the same bodies (helper detection, BYP004, BYP009), and
//! functions generated per table repeat the same argument lists, guards and
//! expressions. (A parse costs a libpg_query call and a protobuf-to-JSON
//! conversion, most of BYP004's time at 1,000 tables.)

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;

/// Parse trees by the text they were parsed from (interior mutability: the
/// checks share one `Context` by reference). Errors are kept as their message,
/// so that a text that does not parse fails the same way every time.
#[derive(Debug, Default)]
pub struct Trees {
    sql: RefCell<HashMap<String, Result<Rc<Value>, String>>>,
    expressions: RefCell<HashMap<String, Option<Rc<Value>>>>,
    plpgsql: RefCell<HashMap<String, Result<Rc<Value>, String>>>,
    parameters: RefCell<HashMap<String, Rc<Vec<String>>>>,
}

impl Trees {
    /// `pg_query::parse(text, 0)` as JSON, or its error's message.
    pub fn sql(&self, text: &str) -> Result<Rc<Value>, String> {
        cached(&self.sql, text, || {
            pg_query::parse(text, 0)
                .map(|tree| Rc::new(json(&tree.protobuf)))
                .map_err(|e| e.to_string())
        })
    }

    /// The first statement of `text` (None when it holds none), or the parse
    /// error's message.
    pub fn first_statement(&self, text: &str) -> Result<Option<FirstStatement>, String> {
        let tree = self.sql(text)?;
        Ok(tree
            .pointer(FIRST_STATEMENT)
            .is_some()
            .then_some(FirstStatement(tree)))
    }

    /// The expression of a PL/pgSQL expression's text (`NOT found`, the value
    /// after `:=`), parsed as `SELECT <text>`; None when it does not parse.
    pub fn expression(&self, text: &str) -> Option<Rc<Value>> {
        cached(&self.expressions, text, || {
            let tree = pg_query::parse(&format!("SELECT {text}"), 0).ok()?;
            let mut tree = json(&tree.protobuf);
            tree.pointer_mut("/stmts/0/stmt/node/SelectStmt/target_list/0/node/ResTarget/val")
                .map(|value| Rc::new(value.take()))
        })
    }

    /// `sql::parse::plpgsql_tree` of a body, or its error's message.
    pub fn plpgsql(&self, body: &str, arguments: &str, returns: &str) -> Result<Rc<Value>, String> {
        // NUL cannot occur in PostgreSQL text: the key is unambiguous.
        let key = format!("{arguments}\0{returns}\0{body}");
        cached(&self.plpgsql, &key, || {
            crate::sql::parse::plpgsql_tree(body, arguments, returns)
                .map(Rc::new)
                .map_err(|e| e.message)
        })
    }

    /// Input parameter names in order (`$1` first); unnamed ones as `$n`.
    pub fn parameters(&self, arguments: &str) -> Rc<Vec<String>> {
        cached(&self.parameters, arguments, || {
            Rc::new(parameters(&self.sql_of_arguments(arguments)))
        })
    }

    fn sql_of_arguments(&self, arguments: &str) -> Option<Rc<Value>> {
        if arguments.trim().is_empty() {
            return None;
        }
        self.sql(&format!(
            "CREATE FUNCTION rlsctl_args({arguments}) RETURNS void LANGUAGE sql AS ''"
        ))
        .ok()
    }
}

/// Where a parse tree holds its first statement.
const FIRST_STATEMENT: &str = "/stmts/0/stmt";

/// The first statement of a parse tree (`stmts[0].stmt`), sharing the tree.
#[derive(Debug, Clone)]
pub struct FirstStatement(Rc<Value>);

impl std::ops::Deref for FirstStatement {
    type Target = Value;

    fn deref(&self) -> &Value {
        // Checked present when made; Null (which reads as nothing) otherwise.
        static NULL: Value = Value::Null;
        self.0.pointer(FIRST_STATEMENT).unwrap_or(&NULL)
    }
}

/// The cached value of `key`, computed by `make` the first time. `make` may
/// itself use the cache (the map is not borrowed while it runs).
fn cached<T: Clone>(map: &RefCell<HashMap<String, T>>, key: &str, make: impl FnOnce() -> T) -> T {
    if let Some(value) = map.borrow().get(key) {
        return value.clone();
    }
    let value = make();
    map.borrow_mut().insert(key.to_string(), value.clone());
    value
}

fn parameters(tree: &Option<Rc<Value>>) -> Vec<String> {
    let mut out = Vec::new();
    let Some(params) = tree
        .as_deref()
        .and_then(|t| t.pointer("/stmts/0/stmt/node/CreateFunctionStmt/parameters"))
    else {
        return out;
    };
    for p in params.as_array().into_iter().flatten() {
        let p = &p["node"]["FunctionParameter"];
        // Modes: 2 OUT, 5 TABLE columns are not arguments.
        if matches!(p["mode"].as_i64(), Some(2) | Some(5)) {
            continue;
        }
        let name = p["name"].as_str().unwrap_or("");
        out.push(if name.is_empty() {
            format!("${}", out.len() + 1)
        } else {
            name.to_string()
        });
    }
    out
}

/// A protobuf parse tree as JSON (what the body walker reads).
fn json<T: serde::Serialize>(tree: &T) -> Value {
    serde_json::to_value(tree).unwrap_or(Value::Null)
}
