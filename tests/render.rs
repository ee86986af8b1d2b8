//! The rendered DDL of the example projects, reviewed as snapshots: any change to
//! what rlsctl generates shows up as a diff here.

use std::path::Path;

use rlsctl::{ddl, spec};

fn rendered(dir: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let spec = spec::load(&root).unwrap_or_else(|f| panic!("load {dir}: {:?}", f.diagnostics));
    let declaration = spec::validate(&spec).declaration.expect("valid");
    ddl::render(&declaration).to_sql()
}

#[test]
fn root_example_renders_deterministically() {
    let first = rendered(".");
    assert_eq!(
        first,
        rendered("."),
        "rendering twice gives the same script"
    );
    insta::assert_snapshot!("root_example", first);
}

#[test]
fn supabase_example_renders_deterministically() {
    insta::assert_snapshot!("supabase_example", rendered("examples/supabase"));
}

#[test]
fn every_statement_parses_with_the_postgres_grammar() {
    for dir in [".", "examples/supabase"] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let spec = spec::load(&root).unwrap();
        let declaration = spec::validate(&spec).declaration.unwrap();
        for statement in ddl::render(&declaration).statements() {
            assert!(
                rlsctl::sql::parse::parse_statements(&statement.sql).is_ok(),
                "{}: {}",
                statement.object,
                statement.sql
            );
        }
    }
}

#[test]
fn hostile_identifiers_are_quoted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rlsctl.toml"),
        "[project]\nschemas = [\"My Schema\"]\n[roles]\n\"app user\" = {}\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::write(
        dir.path().join("schema/t.toml"),
        r#"[tables."Order; drop table x"]
public = "test"
columns."select" = { type = "text", primary_key = true }
columns."we\"ird" = { type = "int" }
columns."ünï" = { type = "int", nullable = true }
grants = { "app user" = ["select"] }
"#,
    )
    .unwrap();
    let spec = spec::load(dir.path()).unwrap();
    let declaration = spec::validate(&spec).declaration.expect("valid");
    let sql = ddl::render(&declaration).to_sql();
    assert!(
        sql.contains(r#"CREATE TABLE "My Schema"."Order; drop table x" ("#),
        "{sql}"
    );
    assert!(sql.contains(r#""select" text NOT NULL"#), "{sql}");
    assert!(sql.contains(r#""we""ird" int NOT NULL"#), "{sql}");
    assert!(sql.contains(r#""ünï" int"#), "{sql}");
    assert!(sql.contains(r#"TO "app user""#), "{sql}");
    for statement in ddl::render(&declaration).statements() {
        assert_eq!(
            rlsctl::sql::parse::parse_statements(&statement.sql),
            Ok(1),
            "{}",
            statement.sql
        );
    }
}
