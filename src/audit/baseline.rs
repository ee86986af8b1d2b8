//! Baselines: a previous `rlsctl audit --format json` output, so that CI
//! fails only on findings that are new since then.

use std::collections::BTreeSet;

use super::Finding;

/// Keys of the findings a baseline file holds: the `findings[].key` of a JSON
/// audit report, or a JSON array of keys.
pub fn keys(json: &str) -> Result<BTreeSet<String>, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let items = match &value {
        serde_json::Value::Array(items) => items.clone(),
        serde_json::Value::Object(map) => match map.get("findings") {
            Some(serde_json::Value::Array(items)) => items.clone(),
            _ => return Err("expected an audit report with `findings`".to_string()),
        },
        _ => return Err("expected an audit report or an array of keys".to_string()),
    };
    Ok(items
        .iter()
        .filter_map(|item| match item {
            serde_json::Value::String(key) => Some(key.clone()),
            other => other
                .get("key")
                .and_then(|k| k.as_str())
                .map(str::to_string),
        })
        .collect())
}

/// Splits findings into (new, already in the baseline).
pub fn split(findings: Vec<Finding>, baseline: &BTreeSet<String>) -> (Vec<Finding>, Vec<Finding>) {
    findings
        .into_iter()
        .partition(|f| !baseline.iter().any(|k| f.answers_to(k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_from_a_report_or_a_list() {
        let report = r#"{"findings": [{"key": "RLS001:app.t"}, {"key": "POL001:app.t.p"}]}"#;
        assert_eq!(keys(report).unwrap().len(), 2);
        assert!(
            keys(r#"["RLS001:app.t"]"#)
                .unwrap()
                .contains("RLS001:app.t")
        );
        assert!(keys("{}").is_err());
    }
}
