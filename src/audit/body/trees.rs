//! The parse trees one audit reads bodies with, each text parsed once: the
//! checks read the same bodies (helper detection, BYP004, BYP009), and
//! functions generated per table repeat the same argument lists, guards and
//! expressions. (A parse costs a libpg_query call and a protobuf-to-JSON
//! conversion, most of BYP004's time at 1,000 tables.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::catalog::Function;

/// Parse trees by the text they were parsed from (interior mutability: the
/// checks share one `Context` by reference; thread-safe, so that
/// [`Trees::prefill`] parses on every core). Errors are kept as their message,
/// so that a text that does not parse fails the same way every time.
#[derive(Debug, Default)]
pub struct Trees {
    sql: Mutex<HashMap<String, Result<Arc<Value>, String>>>,
    expressions: Mutex<HashMap<String, Option<Arc<Value>>>>,
    plpgsql: Mutex<HashMap<String, Result<Arc<Value>, String>>>,
    parameters: Mutex<HashMap<String, Arc<Vec<String>>>>,
}

impl Trees {
    /// Parses, on every core, what reading `functions` as code parses: each
    /// PL/pgSQL or SQL body, the statements and expressions in it, the argument
    /// lists (as [`super::called_functions`] does). The checks then find them
    /// parsed. Below [`PREFILL_FROM`] functions, or on one core, it does nothing.
    pub fn prefill(&self, functions: &[Function]) {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let read: Vec<&Function> = functions
            .iter()
            .filter(|f| matches!(f.language.as_str(), "plpgsql" | "sql"))
            .collect();
        if threads < 2 || read.len() < PREFILL_FROM {
            return;
        }
        std::thread::scope(|scope| {
            for share in read.chunks(read.len().div_ceil(threads)) {
                scope.spawn(move || {
                    for f in share {
                        self.parameters(&f.arguments);
                        super::called_functions(f, self);
                    }
                });
            }
        });
    }

    /// `pg_query::parse(text, 0)` as JSON, or its error's message.
    pub fn sql(&self, text: &str) -> Result<Arc<Value>, String> {
        cached(&self.sql, text, || {
            pg_query::parse(text, 0)
                .map(|tree| Arc::new(json(&tree.protobuf)))
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
    pub fn expression(&self, text: &str) -> Option<Arc<Value>> {
        cached(&self.expressions, text, || {
            let tree = pg_query::parse(&format!("SELECT {text}"), 0).ok()?;
            let mut tree = json(&tree.protobuf);
            tree.pointer_mut("/stmts/0/stmt/node/SelectStmt/target_list/0/node/ResTarget/val")
                .map(|value| Arc::new(value.take()))
        })
    }

    /// `sql::parse::plpgsql_tree` of a body, or its error's message.
    pub fn plpgsql(
        &self,
        body: &str,
        arguments: &str,
        returns: &str,
    ) -> Result<Arc<Value>, String> {
        // NUL cannot occur in PostgreSQL text: the key is unambiguous.
        let key = format!("{arguments}\0{returns}\0{body}");
        cached(&self.plpgsql, &key, || {
            crate::sql::parse::plpgsql_tree(body, arguments, returns)
                .map(Arc::new)
                .map_err(|e| e.message)
        })
    }

    /// Input parameter names in order (`$1` first); unnamed ones as `$n`.
    pub fn parameters(&self, arguments: &str) -> Arc<Vec<String>> {
        cached(&self.parameters, arguments, || {
            Arc::new(parameters(&self.sql_of_arguments(arguments)))
        })
    }

    fn sql_of_arguments(&self, arguments: &str) -> Option<Arc<Value>> {
        if arguments.trim().is_empty() {
            return None;
        }
        self.sql(&format!(
            "CREATE FUNCTION rlsctl_args({arguments}) RETURNS void LANGUAGE sql AS ''"
        ))
        .ok()
    }
}

/// Functions below this count are parsed as the checks read them, on one core.
const PREFILL_FROM: usize = 64;

/// Where a parse tree holds its first statement.
const FIRST_STATEMENT: &str = "/stmts/0/stmt";

/// The first statement of a parse tree (`stmts[0].stmt`), sharing the tree.
#[derive(Debug, Clone)]
pub struct FirstStatement(Arc<Value>);

impl std::ops::Deref for FirstStatement {
    type Target = Value;

    fn deref(&self) -> &Value {
        // Checked present when made; Null (which reads as nothing) otherwise.
        static NULL: Value = Value::Null;
        self.0.pointer(FIRST_STATEMENT).unwrap_or(&NULL)
    }
}

/// The cached value of `key`, computed by `make` the first time. `make` may
/// itself use the cache (the map is not locked while it runs; two threads may
/// both compute a key, and both get the same value).
fn cached<T: Clone>(map: &Mutex<HashMap<String, T>>, key: &str, make: impl FnOnce() -> T) -> T {
    // A thread that panicked while holding the lock left the map whole (insert
    // and get do not panic half-way): its contents are still good.
    let lock = || {
        map.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    if let Some(value) = lock().get(key) {
        return value.clone();
    }
    let value = make();
    lock().entry(key.to_string()).or_insert(value).clone()
}

fn parameters(tree: &Option<Arc<Value>>) -> Vec<String> {
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
