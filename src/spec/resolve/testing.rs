//! What the policy tester needs from the declaration: `[tenancy]` with its
//! impersonation profile, named identities and hand-written tests. Checking
//! happens in `project` and `policies`; this only converts.

use crate::spec::declaration::{Expectation, Identity, Impersonation, PolicyTest, Tenancy};
use crate::spec::load::Spec;
use crate::spec::model::ImpersonateDecl;

/// `[tenancy]` with defaults applied.
pub(super) fn tenancy(spec: &Spec) -> Option<Tenancy> {
    let decl = spec.project.1.tenancy.as_ref()?.get_ref();
    Some(Tenancy {
        column: decl
            .column
            .as_ref()
            .map(|c| c.get_ref().clone())
            .unwrap_or_else(|| "tenant_id".to_string()),
        ty: decl.ty.as_ref().map(|t| t.get_ref().clone()),
        roles: decl.roles.iter().map(|r| r.get_ref().clone()).collect(),
        impersonate: decl
            .impersonate
            .as_ref()
            .map(|i| impersonation(i.get_ref())),
    })
}

/// Named identities and tests, in declaration order.
pub(super) fn identities_and_tests(spec: &Spec) -> (Vec<Identity>, Vec<PolicyTest>) {
    let mut identities = Vec::new();
    let mut tests = Vec::new();
    for (file, policy_file) in &spec.policy_files {
        for (name, decl) in &policy_file.identities {
            identities.push(Identity {
                name: name.get_ref().clone(),
                impersonation: impersonation(decl.get_ref()),
            });
        }
        for test in &policy_file.test {
            let t = test.get_ref();
            let e = t.expect.get_ref();
            let expect = if let Some(rows) = &e.rows {
                Expectation::Rows(
                    rows.get_ref()
                        .iter()
                        .map(|row| match json(row) {
                            serde_json::Value::Array(values) => values,
                            single => vec![single],
                        })
                        .collect(),
                )
            } else if let Some(n) = &e.count {
                Expectation::Count(*n.get_ref())
            } else if let Some(n) = &e.affected {
                Expectation::Affected(*n.get_ref())
            } else if let Some(code) = &e.error {
                Expectation::Error(code.get_ref().clone())
            } else {
                // Validation rejects a test without an outcome before this runs.
                continue;
            };
            let source = spec.sources.get(*file);
            let (line, _) = spec.sources.line_col(*file, test.span().start);
            tests.push(PolicyTest {
                name: t.name.get_ref().clone(),
                identity: t.identity.get_ref().clone(),
                setup: t.setup.iter().map(|s| s.get_ref().clone()).collect(),
                query: t.query.get_ref().clone(),
                expect,
                location: format!("{}:{line}", source.path.display()),
            });
        }
    }
    (identities, tests)
}

fn impersonation(decl: &ImpersonateDecl) -> Impersonation {
    Impersonation {
        role: decl.role.as_ref().map(|r| r.get_ref().clone()),
        settings: decl
            .settings
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone()))
            .collect(),
        jwt: decl
            .jwt
            .as_ref()
            .map(|j| json(&toml::Value::Table(j.get_ref().clone()))),
        setup: decl.setup.iter().map(|s| s.get_ref().clone()).collect(),
        login: decl.login.as_ref().map(|l| l.get_ref().clone()),
        removed: decl.removed.iter().map(|s| s.get_ref().clone()).collect(),
    }
}

fn json(value: &toml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// `[samples."schema.table"]` of rlsctl.toml: each key must name a table as
/// `schema.table`; the rows are passed on as JSON for seeding.
pub(super) fn samples(
    cx: &mut super::context::Context<'_>,
    spec: &Spec,
) -> Vec<(
    crate::sql::QualifiedName,
    serde_json::Map<String, serde_json::Value>,
)> {
    let file = spec.project.0;
    let mut out = Vec::new();
    for (key, row) in &spec.project.1.samples {
        let parts: Vec<&str> = key.get_ref().split('.').collect();
        let [schema, table] = parts.as_slice() else {
            cx.error_help(
                file,
                key.span(),
                format!("sample key {:?} does not name a table", key.get_ref()),
                "write the table as \"schema.table\": [samples.\"app.tenants\"]",
            );
            continue;
        };
        if schema.is_empty() || table.is_empty() {
            cx.error(
                file,
                key.span(),
                "sample key needs a schema and a table name",
            );
            continue;
        }
        match serde_json::to_value(row.get_ref()) {
            Ok(serde_json::Value::Object(map)) => {
                out.push((crate::sql::QualifiedName::new(*schema, *table), map));
            }
            _ => cx.error(file, row.span(), "a sample is a table of column = value"),
        }
    }
    out
}
