//! `catalog::inspect` time on a generated database of 1,000 tenant tables that
//! also carry the other kinds real schemas have — ~200 views, ~300 triggers with
//! their trigger functions, ~50 enum types — beside the baseline measured in
//! the same run on the same server and database: `pg_dump --schema-only`.
//!
//! Run: `bench/inspect.sh [--release]` (or `cargo bench --bench inspect`).
//! Prints the objects read (so a kind that inspect skips shows as 0), both
//! medians and the ratio; asserts nothing but that inspect sees every table.

mod support;

use std::fmt::Write as _;
use std::time::Instant;

use rlsctl::catalog::TypeKind;
use rlsctl::cluster::DevServer;
use support::{median, ms, pg_dump_time};

const RUNS: usize = 5;
const TABLES: usize = 1000;
const VIEWS: usize = 200;
const TRIGGERS: usize = 300;
const TRIGGER_FUNCTIONS: usize = 150;
const ENUMS: usize = 50;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("ephemeral PostgreSQL");
    let pg_dump = support::pg_dump();
    let schemas = vec!["app".to_string()];
    runtime.block_on(async {
        let db = server
            .create_database("bench_inspect")
            .await
            .expect("database");
        let client = db.connect().await.expect("connect");
        let build = Instant::now();
        client
            .batch_execute(&schema_sql())
            .await
            .expect("the generated schema loads");
        client.batch_execute("ANALYZE").await.expect("analyze");
        eprintln!("built the database in {:.1} s", build.elapsed().as_secs_f64());

        // One untimed read to warm the server's catalog caches, as pg_dump's
        // first run below warms them for its own.
        let catalog = rlsctl::catalog::inspect(&client, &schemas)
            .await
            .expect("inspect");
        let tables = catalog.tables.len();
        assert!(tables > TABLES, "inspect read {tables} tables");
        let triggers: usize = catalog.tables.iter().map(|t| t.triggers.len()).sum();
        let enums = catalog
            .types
            .iter()
            .filter(|t| t.kind == TypeKind::Enum)
            .count();
        let mut inspect_times = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            rlsctl::catalog::inspect(&client, &schemas)
                .await
                .expect("inspect");
            inspect_times.push(start.elapsed());
        }
        let _ = pg_dump_time(&pg_dump, &db, 1);
        let dump = pg_dump_time(&pg_dump, &db, RUNS);
        let inspect = median(inspect_times);
        let server_version = catalog.server_version_num;
        println!(
            "PostgreSQL {server_version}: {tables} tables, {} views, {triggers} triggers, {} functions, {enums} enums read",
            catalog.views.len(),
            catalog.functions.len(),
        );
        println!("catalog::inspect          {:>8.1} ms  (median of {RUNS})", ms(inspect));
        println!("pg_dump --schema-only     {:>8.1} ms  (median of {RUNS})", ms(dump));
        println!(
            "ratio inspect / pg_dump   {:>8.2}",
            inspect.as_secs_f64() / dump.as_secs_f64()
        );
        drop(client);
        db.drop().await.expect("drop");
    });
}

/// The generated schema: enums, tenant tables (FK, index, FORCEd RLS, a
/// policy, grants) whose `status` column uses an enum, trigger functions and
/// triggers of every timing and level, and views (invoker and definer, some
/// joining two tables).
fn schema_sql() -> String {
    let mut sql = String::from(
        "DO $$ BEGIN CREATE ROLE bench_user NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
         CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO bench_user;
         CREATE TABLE app.tenants (id uuid PRIMARY KEY, name text NOT NULL);\n",
    );
    for e in 0..ENUMS {
        let _ = writeln!(
            sql,
            "CREATE TYPE app.status_{e} AS ENUM ('draft', 'active', 'archived', 'deleted');"
        );
    }
    for i in 0..TABLES {
        let e = i % ENUMS;
        let _ = writeln!(
            sql,
            "CREATE TABLE app.t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
               tenant_id uuid NOT NULL REFERENCES app.tenants (id), name text NOT NULL, body text,
               status app.status_{e} NOT NULL DEFAULT 'draft', updated_at timestamptz NOT NULL DEFAULT now());
             CREATE INDEX ON app.t{i} (tenant_id);
             ALTER TABLE app.t{i} ENABLE ROW LEVEL SECURITY; ALTER TABLE app.t{i} FORCE ROW LEVEL SECURITY;
             CREATE POLICY iso ON app.t{i} TO bench_user
               USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
             GRANT SELECT, INSERT, UPDATE, DELETE ON app.t{i} TO bench_user;"
        );
    }
    for f in 0..TRIGGER_FUNCTIONS {
        let _ = writeln!(
            sql,
            "CREATE FUNCTION app.on_change_{f}() RETURNS trigger LANGUAGE plpgsql AS $body$
             BEGIN
               IF TG_OP = 'UPDATE' AND TG_LEVEL = 'ROW' THEN
                 NEW.updated_at := now();
                 RETURN NEW;
               END IF;
               RETURN NULL;
             END
             $body$;"
        );
    }
    for i in 0..TRIGGERS {
        let f = i % TRIGGER_FUNCTIONS;
        let trigger = match i % 3 {
            0 => format!(
                "CREATE TRIGGER touch BEFORE UPDATE ON app.t{i} FOR EACH ROW
                   WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION app.on_change_{f}();"
            ),
            1 => format!(
                "CREATE TRIGGER created AFTER INSERT ON app.t{i} FOR EACH ROW EXECUTE FUNCTION app.on_change_{f}();"
            ),
            _ => format!(
                "CREATE TRIGGER purged AFTER DELETE ON app.t{i} REFERENCING OLD TABLE AS gone
                   FOR EACH STATEMENT EXECUTE FUNCTION app.on_change_{f}();"
            ),
        };
        sql.push_str(&trigger);
        sql.push('\n');
    }
    for v in 0..VIEWS {
        let options = if v % 2 == 0 {
            " WITH (security_invoker = true)"
        } else {
            ""
        };
        let body = if v % 10 == 0 {
            let other = (v + 1) % TABLES;
            format!(
                "SELECT a.id, a.tenant_id, a.name, b.name AS other_name FROM app.t{v} a
                   JOIN app.t{other} b ON b.tenant_id = a.tenant_id AND b.id = a.id"
            )
        } else {
            format!("SELECT id, tenant_id, name, status FROM app.t{v} WHERE status <> 'deleted'")
        };
        let _ = writeln!(
            sql,
            "CREATE VIEW app.v{v}{options} AS {body};
             GRANT SELECT ON app.v{v} TO bench_user;"
        );
    }
    sql
}
