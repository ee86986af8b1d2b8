//! Never harm what you do not manage, on realistic schemas. Each schema of
//! `tests/corpus/` (a Supabase starter, a B2B SaaS, a `tenant_id` monolith, a
//! legacy ERP: enums, domains, composite types, sequences, views, materialized
//! views, triggers, event triggers, extensions, publications, partitions,
//! default privileges, column grants, overloaded functions, ...) is the target
//! of a project that owns its schemas but declares only one new table:
//! - `plan` lists every object it would drop with a hazard that blocks `apply`,
//!   and what it cannot declare as unmanaged;
//! - `apply --yes` without flags refuses, and the target is exactly as it was;
//! - `apply --yes --allow-destructive` either runs first time and converges
//!   (the next plan is empty, every unmanaged object is still there), or is
//!   refused before anything runs, with the reason: never PostgreSQL's own
//!   "other objects depend on it" (2BP01) half-way.

mod support;

use std::path::Path;

use support::cli::rlsctl;

/// The corpus schema, the schemas its project owns, and whether it needs the
/// Supabase stand-in first.
const CORPUS: &[(&str, &[&str])] = &[
    ("supabase_starter", &["public"]),
    ("b2b_saas", &["public", "app"]),
    ("tenant_monolith", &["app", "archive", "reporting"]),
    ("legacy_erp", &["erp", "erp_ext", "erp_tmp"]),
];

/// A corpus file, with psql's `\ir other.sql` includes (the Supabase stub
/// shares the example's stand-in that way) replaced by the files they name.
fn corpus(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let dir = path.parent().unwrap();
    text.lines()
        .map(|line| match line.strip_prefix("\\ir ") {
            Some(included) => {
                let included = dir.join(included.trim());
                std::fs::read_to_string(&included)
                    .unwrap_or_else(|e| panic!("{}: {e}", included.display()))
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The target as loaded: every schema but PostgreSQL's own, without the
/// cluster-wide roles (parallel tests create theirs).
async fn catalog(db: &support::TestDatabase) -> rlsctl::catalog::Catalog {
    let schemas: Vec<String> = db
        .client()
        .query(
            "select nspname::text from pg_namespace
              where nspname not like 'pg\\_%' and nspname <> 'information_schema'
              order by 1",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut catalog = rlsctl::catalog::inspect(db.client(), &schemas)
        .await
        .unwrap();
    catalog.roles.clear();
    catalog
}

fn project(db: &support::TestDatabase, owned: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let schemas: Vec<String> = owned.iter().map(|s| format!("{s:?}")).collect();
    std::fs::write(
        dir.path().join("rlsctl.toml"),
        format!(
            "[project]\nschemas = [{}]\n[database]\ndev_url = \"{}\"\n",
            schemas.join(", "),
            db.url()
        ),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::write(
        dir.path().join("schema/safety.toml"),
        format!(
            "[tables.\"{}.rlsctl_safety_note\"]\npublic = \"the one table this project declares\"\n\
             columns.id = {{ type = \"bigint\", primary_key = true }}\n",
            owned[0]
        ),
    )
    .unwrap();
    dir
}

fn plan_json(dir: &Path, db: &support::TestDatabase) -> serde_json::Value {
    let out = rlsctl(dir, db, &["plan", "--format", "json"]).code(0);
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn unmanaged(plan: &serde_json::Value) -> Vec<String> {
    plan["unmanaged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            format!(
                "{} {}",
                u["kind"].as_str().unwrap(),
                u["name"].as_str().unwrap()
            )
        })
        .collect()
}

async fn never_harms(name: &str, owned: &[&str]) {
    let db = support::database().await;
    let schema = corpus(&format!("{name}/schema.sql"));
    if schema
        .lines()
        .take(3)
        .any(|l| l.contains("requires supabase_stub"))
    {
        db.client()
            .batch_execute(&corpus("supabase_stub.sql"))
            .await
            .unwrap_or_else(|e| panic!("{name}: supabase_stub.sql: {e:?}"));
    }
    db.client()
        .batch_execute(&schema)
        .await
        .unwrap_or_else(|e| panic!("{name}: schema.sql: {e:?}"));
    let dir = project(&db, owned);
    let before = catalog(&db).await;

    let plan = plan_json(dir.path(), &db);
    let changes = plan["plan"]["changes"].as_array().unwrap();
    // A revoked privilege narrows access (the project's new table loses what the
    // target's default privileges gave it): not a drop of an object.
    let drops: Vec<&serde_json::Value> = changes
        .iter()
        .filter(|c| c["action"] == "drop")
        .filter(|c| {
            let object = c["object"].as_str().unwrap_or_default();
            !object.starts_with("grant ") && !object.starts_with("default privileges")
        })
        .collect();
    assert!(
        !drops.is_empty(),
        "{name}: the plan drops nothing: {plan:#}"
    );
    for drop in &drops {
        let blocking = drop["hazards"].as_array().unwrap().iter().any(|h| {
            matches!(
                h["kind"].as_str(),
                Some("data_loss" | "breaks_dependents" | "behaviour_lost")
            )
        });
        assert!(
            blocking,
            "{name}: {} is dropped without a hazard that blocks apply: {drop:#}",
            drop["object"]
        );
    }

    let refused = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(1);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(err.contains("refusing to apply"), "{name}: {err}");
    assert!(
        catalog(&db).await == before,
        "{name}: the refused apply changed the target"
    );

    let left_alone = unmanaged(&plan);
    let run = rlsctl(dir.path(), &db, &["apply", "--yes", "--allow-destructive"]);
    let out = run.get_output();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        !err.contains("depend on it") && !err.contains("2BP01"),
        "{name}: apply failed half-way on a dependency PostgreSQL knew: {err}"
    );
    if out.status.success() {
        let again = plan_json(dir.path(), &db);
        assert_eq!(
            again["changes"], 0,
            "{name}: not converged after one apply: {again:#}"
        );
        assert_eq!(
            unmanaged(&again),
            left_alone,
            "{name}: an unmanaged object was changed or dropped"
        );
    } else {
        assert!(
            catalog(&db).await == before,
            "{name}: a refused apply changed the target: {err}"
        );
        assert!(
            err.contains("refusing") || err.contains("cannot"),
            "{name}: refused without saying why: {err}"
        );
    }
}

#[tokio::test]
async fn a_supabase_starter_is_never_harmed() {
    never_harms(CORPUS[0].0, CORPUS[0].1).await;
}

#[tokio::test]
async fn a_b2b_saas_is_never_harmed() {
    never_harms(CORPUS[1].0, CORPUS[1].1).await;
}

#[tokio::test]
async fn a_tenant_id_monolith_is_never_harmed() {
    never_harms(CORPUS[2].0, CORPUS[2].1).await;
}

#[tokio::test]
async fn a_legacy_erp_is_never_harmed() {
    never_harms(CORPUS[3].0, CORPUS[3].1).await;
}
