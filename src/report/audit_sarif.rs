//! Audit reports as SARIF 2.1.0, for code-scanning UIs. Each finding is a
//! result with its check as the rule and the database object as a logical
//! location; the stable key is the result's fingerprint.

use serde_json::{Value, json};

use crate::audit::checks::REGISTRY;
use crate::audit::{AuditReport, Level};

/// The SARIF log of a report.
pub fn sarif(report: &AuditReport) -> Value {
    let rules: Vec<Value> = REGISTRY
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.name,
                "shortDescription": { "text": c.summary },
                "defaultConfiguration": { "level": level(c.level) },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut message = f.reason.clone();
            for c in &f.consequences {
                message.push_str("\nalso: ");
                message.push_str(c);
            }
            if let Some(fix) = &f.remediation {
                message.push_str("\nfix: ");
                message.push_str(fix);
            }
            json!({
                "ruleId": f.check,
                "ruleIndex": REGISTRY.iter().position(|c| c.id == f.check),
                "level": level(f.level),
                "message": { "text": message },
                "locations": [{ "logicalLocations": [{ "fullyQualifiedName": f.object }] }],
                "partialFingerprints": { "rlsctlKey/v1": f.key },
                "properties": {
                    "reach": f.reach.as_str(),
                    "consequences": f.consequences,
                    "merged": f.merged,
                },
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "rlsctl",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warn => "warning",
        Level::Info => "note",
    }
}
