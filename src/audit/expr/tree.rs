//! Sub-selects' parse trees, walked as JSON: the relations they read, the
//! functions they call, their column references and string constants.

use serde_json::Value;

use crate::sql::QualifiedName;

/// Every relation a parse tree (a sub-select) reads, schema-qualified when written so.
pub fn relations(tree: &Value) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    visit_json(tree, &mut |key, node| {
        if key == "RangeVar" {
            let schema = node["schemaname"].as_str().filter(|s| !s.is_empty());
            if let Some(rel) = node["relname"].as_str() {
                out.push((schema.map(str::to_string), rel.to_string()));
            }
        }
    });
    out
}

/// Every function name called in a parse tree.
pub fn function_names(tree: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    visit_json(tree, &mut |key, node| {
        if key == "FuncCall" {
            out.push(json_names(&node["funcname"]));
        }
    });
    out
}

/// Every column reference in a parse tree, as dotted parts.
pub fn column_refs(tree: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    visit_json(tree, &mut |key, node| {
        if key == "ColumnRef" {
            out.push(json_names(&node["fields"]));
        }
    });
    out
}

/// Every string constant in a parse tree.
pub fn strings(tree: &Value) -> Vec<String> {
    let mut out = Vec::new();
    visit_json(tree, &mut |key, node| {
        if key == "sval"
            && let Some(s) = node.as_str()
        {
            out.push(s.to_string());
        }
    });
    out
}

fn json_names(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .map(|n| {
                    n["node"]["String"]["sval"]
                        .as_str()
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn visit_json(value: &Value, visit: &mut dyn FnMut(&str, &Value)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                visit(key, child);
                visit_json(child, visit);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| visit_json(v, visit)),
        _ => {}
    }
}

/// Whether a relation named in a sub-select is `table`.
pub fn names_table(reference: &(Option<String>, String), table: &QualifiedName) -> bool {
    reference.1 == table.name
        && reference
            .0
            .as_deref()
            .is_none_or(|schema| schema == table.schema)
}
