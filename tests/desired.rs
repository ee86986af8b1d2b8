//! The desired catalog: the example projects build in a real database, every
//! declared object is read back from pg_catalog, and reading is deterministic.

mod support;

use std::path::Path;

use rlsctl::catalog::{
    self, Catalog, ConstraintKind, Grantee, PolicyCommand, PolicyMode, Privilege,
};
use rlsctl::desired::{self, BuildError};
use rlsctl::spec::declaration::{Command, PolicyMode as DeclaredMode};
use rlsctl::spec::{self, Declaration};

fn declaration(dir: &str) -> Declaration {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let spec = spec::load(&root).unwrap_or_else(|f| panic!("load {dir}: {:?}", f.diagnostics));
    spec::validate(&spec)
        .declaration
        .unwrap_or_else(|| panic!("{dir} does not validate"))
}

async fn built(declaration: &Declaration) -> (support::TestDatabase, Catalog) {
    let db = support::database().await;
    desired::build(db.client(), declaration)
        .await
        .expect("build");
    let schemas: Vec<String> = declaration.schemas.iter().map(|s| s.name.clone()).collect();
    let catalog = catalog::inspect(db.client(), &schemas)
        .await
        .expect("inspect");
    (db, catalog)
}

/// Every table, column, constraint, index, policy, grant and function declared is in
/// the catalog, and nothing else is.
fn assert_accounted_for(declaration: &Declaration, catalog: &Catalog) {
    let declared: Vec<String> = declaration
        .tables
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    let read: Vec<String> = catalog.tables.iter().map(|t| t.name.to_string()).collect();
    let mut declared_sorted = declared.clone();
    declared_sorted.sort();
    assert_eq!(read, declared_sorted, "tables");

    for t in &declaration.tables {
        let c = catalog.table(&t.name).unwrap();
        let columns: Vec<(&str, bool)> = t
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.not_null))
            .collect();
        let read: Vec<(&str, bool)> = c
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.not_null))
            .collect();
        assert_eq!(read, columns, "columns of {}", t.name);
        for (declared, read) in t.columns.iter().zip(&c.columns) {
            assert_eq!(
                declared.default.is_some(),
                read.default.is_some(),
                "default of {}.{}",
                t.name,
                declared.name
            );
            assert_eq!(
                declared.identity.is_some(),
                read.identity.is_some(),
                "identity of {}.{}",
                t.name,
                declared.name
            );
        }

        let mut expected: Vec<(String, &str)> = Vec::new();
        expected.extend(t.primary_key.iter().map(|k| (k.name.clone(), "p")));
        expected.extend(t.uniques.iter().map(|k| (k.name.clone(), "u")));
        expected.extend(t.checks.iter().map(|k| (k.name.clone(), "c")));
        expected.extend(t.foreign_keys.iter().map(|k| (k.name.clone(), "f")));
        expected.sort();
        let mut got: Vec<(String, &str)> = c
            .constraints
            .iter()
            .map(|k| {
                let kind = match k.kind {
                    ConstraintKind::PrimaryKey => "p",
                    ConstraintKind::Unique => "u",
                    ConstraintKind::Check => "c",
                    ConstraintKind::ForeignKey(_) => "f",
                    _ => "other",
                };
                (k.name.clone(), kind)
            })
            .collect();
        got.sort();
        assert_eq!(got, expected, "constraints of {}", t.name);

        let mut expected: Vec<String> = t.indexes.iter().map(|i| i.name.clone()).collect();
        expected.extend(t.primary_key.iter().map(|k| k.name.clone()));
        expected.extend(t.uniques.iter().map(|k| k.name.clone()));
        expected.sort();
        let mut got: Vec<String> = c.indexes.iter().map(|i| i.name.clone()).collect();
        got.sort();
        assert_eq!(got, expected, "indexes of {}", t.name);

        assert_eq!(
            (c.rls_enabled, c.rls_forced),
            (t.rls_enabled, t.rls_forced),
            "RLS of {}",
            t.name
        );
        assert_eq!(c.policies.len(), t.policies.len(), "policies of {}", t.name);
        for p in &t.policies {
            let read = c
                .policy(&p.name)
                .unwrap_or_else(|| panic!("policy {} on {}", p.name, t.name));
            let command = match p.command {
                Command::All => PolicyCommand::All,
                Command::Select => PolicyCommand::Select,
                Command::Insert => PolicyCommand::Insert,
                Command::Update => PolicyCommand::Update,
                Command::Delete => PolicyCommand::Delete,
            };
            assert_eq!(read.command, command, "command of {}", p.name);
            let mode = match p.mode {
                DeclaredMode::Permissive => PolicyMode::Permissive,
                DeclaredMode::Restrictive => PolicyMode::Restrictive,
            };
            assert_eq!(read.mode, mode, "mode of {}", p.name);
            let roles: Vec<String> = read.roles.iter().map(grantee_name).collect();
            let mut declared_roles = if p.roles.is_empty() {
                vec!["public".to_string()]
            } else {
                p.roles.clone()
            };
            declared_roles.sort();
            assert_eq!(roles, declared_roles, "roles of {}", p.name);
            assert_eq!(
                read.using.is_some(),
                p.using.is_some(),
                "using of {}",
                p.name
            );
            assert_eq!(
                read.with_check.is_some(),
                p.check.is_some(),
                "with check of {}",
                p.name
            );
        }

        let mut expected: Vec<(String, String)> = Vec::new();
        for g in &t.grants {
            for p in &g.privileges {
                expected.push((g.grantee.clone(), p.clone()));
            }
        }
        expected.sort();
        let mut got: Vec<(String, String)> = c
            .acl
            .grants()
            .iter()
            .map(|g| (grantee_name(&g.grantee), privilege_name(g.privilege)))
            .collect();
        got.sort();
        assert_eq!(got, expected, "grants on {}", t.name);
    }

    for f in &declaration.functions {
        assert_eq!(
            catalog.functions_named(&f.name).count(),
            1,
            "function {}",
            f.name
        );
    }
    for s in &declaration.schemas {
        let read = catalog
            .schema(&s.name)
            .unwrap_or_else(|| panic!("schema {}", s.name));
        for g in &s.grants {
            for p in &g.privileges {
                assert!(
                    read.acl
                        .grants()
                        .iter()
                        .any(|r| grantee_name(&r.grantee) == g.grantee
                            && privilege_name(r.privilege) == *p),
                    "{p} on schema {} to {}",
                    s.name,
                    g.grantee
                );
            }
        }
    }
}

/// Roles are cluster-wide: other tests on the shared server create theirs at any
/// moment, so catalogs are compared without them.
fn without_roles(mut catalog: Catalog) -> Catalog {
    catalog.roles.clear();
    catalog
}

fn grantee_name(g: &Grantee) -> String {
    match g {
        Grantee::Public => "public".to_string(),
        Grantee::Role(r) => r.clone(),
    }
}

fn privilege_name(p: Privilege) -> String {
    p.as_sql().to_string()
}

#[tokio::test]
async fn root_example_is_read_back_exactly_as_declared() {
    let declaration = declaration(".");
    let (db, first) = built(&declaration).await;
    assert_accounted_for(&declaration, &first);
    let schemas: Vec<String> = declaration.schemas.iter().map(|s| s.name.clone()).collect();
    let second = catalog::inspect(db.client(), &schemas).await.unwrap();
    assert_eq!(
        without_roles(first.clone()),
        without_roles(second),
        "inspecting twice gives the same catalog"
    );

    // Postgres normalised the generated isolation policy.
    let projects = first
        .table(&rlsctl::sql::QualifiedName::new("app", "projects"))
        .unwrap();
    let isolation = projects.policy("tenant_isolation").unwrap();
    assert_eq!(
        isolation.using.as_deref(),
        Some("(tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id))")
    );
}

#[tokio::test]
async fn supabase_example_is_read_back_exactly_as_declared() {
    let declaration = declaration("examples/supabase");
    let (_db, catalog) = built(&declaration).await;
    assert_accounted_for(&declaration, &catalog);
    // The auth stand-in from dev_setup is outside the project's schemas: not read.
    assert!(catalog.schema("auth").is_none());
}

#[tokio::test]
async fn two_dev_databases_built_from_one_declaration_give_equal_catalogs() {
    let declaration = declaration(".");
    let server = support::server();
    let first = without_roles(desired::catalog(&server, &declaration).await.unwrap());
    let second = without_roles(desired::catalog(&server, &declaration).await.unwrap());
    assert_eq!(first, second);
    assert_eq!(first.tables.len(), declaration.tables.len());
}

#[tokio::test]
async fn a_statement_postgres_rejects_names_the_object_and_leaves_nothing_behind() {
    let mut declaration = declaration(".");
    let tasks = declaration
        .tables
        .iter_mut()
        .find(|t| t.name.name == "tasks")
        .unwrap();
    tasks.policies[1].using = Some("app.no_such_function() = tenant_id".to_string());
    let db = support::database().await;
    let error = desired::build(db.client(), &declaration).await.unwrap_err();
    let BuildError::Rejected(rejection) = error else {
        panic!("expected a rejection, got {error}");
    };
    assert_eq!(
        rejection.object,
        "policy tasks_assignee_updates on app.tasks"
    );
    assert_eq!(rejection.code, "42883");
    assert!(
        rejection
            .message
            .contains("app.no_such_function() does not exist"),
        "{}",
        rejection.message
    );
    let catalog = catalog::inspect(db.client(), &["app".to_string()])
        .await
        .unwrap();
    assert!(
        catalog.tables.is_empty(),
        "the DDL transaction was rolled back"
    );
}

#[test]
fn the_desired_catalog_cache_is_keyed_by_the_ddl_and_the_server() {
    use rlsctl::desired::Cache;
    let declaration = declaration(".");
    let mut changed = declaration.clone();
    changed.tables[0].comment = Some("changed".to_string());
    let key = Cache::key(&declaration, "pg15 /usr/lib/postgresql/15/bin");
    assert_eq!(
        key,
        Cache::key(&declaration, "pg15 /usr/lib/postgresql/15/bin")
    );
    assert_ne!(key, Cache::key(&changed, "pg15 /usr/lib/postgresql/15/bin"));
    assert_ne!(
        key,
        Cache::key(&declaration, "pg16 /usr/lib/postgresql/16/bin")
    );
    // Another build of rlsctl (whose catalog may read more) never shares an entry.
    let server = "pg15 /usr/lib/postgresql/15/bin";
    assert_ne!(
        Cache::key_of_build(&declaration, server, "1000 older build"),
        Cache::key_of_build(&declaration, server, "1024 newer build")
    );

    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::at(dir.path().join("desired"));
    assert!(cache.get(&key).is_none(), "empty cache misses");
    let catalog: Catalog =
        serde_json::from_str(include_str!("cases/desired/catalog.json")).unwrap();
    cache.put(&key, &catalog);
    assert_eq!(cache.get(&key), Some(catalog));
    std::fs::write(
        dir.path().join("desired").join(format!("{key}.json")),
        "{ not json",
    )
    .unwrap();
    assert!(
        cache.get(&key).is_none(),
        "a corrupt entry is a miss, not an error"
    );
}

/// The example project with one text replaced in one file, loaded and validated.
fn declaration_with(file: &str, from: &str, to: &str) -> Declaration {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for sub in ["schema", "policies"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::copy(root.join("rlsctl.toml"), dir.path().join("rlsctl.toml")).unwrap();
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let spec = spec::load(dir.path()).unwrap_or_else(|f| panic!("load: {:?}", f.diagnostics));
    spec::validate(&spec)
        .declaration
        .expect("the changed project validates offline")
}

async fn rejection_of(declaration: &Declaration) -> desired::Rejection {
    let db = support::database().await;
    match desired::build(db.client(), declaration).await {
        Err(BuildError::Rejected(rejection)) => rejection,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn a_policy_naming_a_missing_column_is_rejected_at_its_file_line_and_column() {
    let declaration = declaration_with(
        "policies/access.toml",
        "using = \"owner_id = (select",
        "using = \"ownr_id = (select",
    );
    let rejection = rejection_of(&declaration).await;
    let shown = rejection.to_string();
    assert!(
        shown.starts_with(
            "policies/access.toml:52:10: PostgreSQL rejected policy projects_owner_deletes on app.projects: column \"ownr_id\" does not exist"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("owner_id"),
        "PostgreSQL's hint is kept: {shown}"
    );
}

#[tokio::test]
async fn a_column_type_postgres_does_not_know_is_rejected_at_the_type() {
    let declaration = declaration_with(
        "schema/work.toml",
        "columns.name = { type = \"text\"",
        "columns.name = { type = \"txet\"",
    );
    let rejection = rejection_of(&declaration).await;
    let shown = rejection.to_string();
    assert!(shown.contains("type \"txet\" does not exist"), "{shown}");
    let origin = rejection.origin.expect("located");
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/work.toml"))
            .unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("columns.name = { type = \"text\""))
        .unwrap()
        + 1;
    let column = text.lines().nth(line - 1).unwrap().find("text").unwrap() + 1;
    assert_eq!(
        (origin.file.as_str(), origin.line, origin.column),
        ("schema/work.toml", line, column),
        "{shown}"
    );
}

/// A small project whose `schema/types.toml` is `types`.
fn types_project(types: &str) -> (tempfile::TempDir, Declaration) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::write(
        dir.path().join("rlsctl.toml"),
        "[project]\nschemas = [\"app\"]\n[roles]\napp_user = {}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("schema/types.toml"), types).unwrap();
    let spec = spec::load(dir.path()).unwrap_or_else(|f| panic!("load: {:?}", f.diagnostics));
    let declaration = spec::validate(&spec)
        .declaration
        .expect("the project validates offline");
    (dir, declaration)
}

#[tokio::test]
async fn declared_types_are_read_back_with_values_checks_attributes_and_their_columns() {
    let (_dir, declaration) = types_project(
        r#"
[types."app.member_role"]
enum = ["owner", "admin", "member"]
comment = "what a member may do"

[types."app.email"]
domain = "text"
not_null = true
default = "'nobody@example.com'"
checks = [{ name = "has_at", expr = "value ~ '@'" }, { expr = "length(value) < 255" }]

[types."app.address"]
composite = { street = "text", city = "app.email", zip = "character varying(10)" }

[tables.members]
public = "test"
columns.id = { type = "integer", primary_key = true }
columns.role = { type = "app.member_role", default = "'member'" }
columns.email = { type = "app.email" }
columns.home = { type = "app.address", nullable = true }
"#,
    );
    let (_db, catalog) = built(&declaration).await;
    let ty = |name: &str| {
        catalog
            .types
            .iter()
            .find(|t| t.name.to_string() == name)
            .unwrap_or_else(|| panic!("{name} not read back: {:?}", catalog.types))
    };
    let role = ty("app.member_role");
    assert_eq!(role.values, ["owner", "admin", "member"]);
    assert_eq!(role.comment.as_deref(), Some("what a member may do"));
    let described: Vec<&str> = role
        .dependents
        .iter()
        .map(|d| d.description.as_str())
        .collect();
    assert!(
        described.contains(&"column role of table app.members"),
        "{described:?}"
    );
    let email = ty("app.email").domain.as_ref().expect("a domain");
    assert_eq!(email.base, "text");
    assert!(email.not_null);
    assert_eq!(email.default.as_deref(), Some("'nobody@example.com'::text"));
    let checks: Vec<(&str, bool)> = email
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.validated))
        .collect();
    assert_eq!(checks, [("email_check", true), ("has_at", true)]);
    let attributes: Vec<(&str, &str)> = ty("app.address")
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), a.data_type.as_str()))
        .collect();
    assert_eq!(
        attributes,
        [
            ("street", "text"),
            ("city", "app.email"),
            ("zip", "character varying(10)")
        ]
    );
    let columns: Vec<&str> = catalog
        .table(&rlsctl::sql::QualifiedName::new("app", "members"))
        .unwrap()
        .columns
        .iter()
        .map(|c| c.data_type.as_str())
        .collect();
    assert_eq!(
        columns,
        ["integer", "app.member_role", "app.email", "app.address"]
    );
}

#[tokio::test]
async fn a_domain_check_postgres_rejects_is_located_in_the_check() {
    let (_dir, declaration) = types_project(
        "[types.\"app.email\"]\ndomain = \"text\"\nchecks = [{ expr = \"value > 1 + nosuch\" }]\n",
    );
    let rejection = rejection_of(&declaration).await;
    let shown = rejection.to_string();
    assert!(
        shown.starts_with("schema/types.toml:3:33: PostgreSQL rejected type app.email: column \"nosuch\" does not exist"),
        "{shown}"
    );
}
