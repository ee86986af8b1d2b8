//! The seeding figure: a generated schema of N tenant tables (default 1,000)
//! whose constraints defeat a naive seeder: regex CHECKs (also through a
//! domain and on the tenants table's slug), IN and range checks, enums
//! narrowed by a check, non-empty arrays, expression unique indexes, and
//! range, list (with a default) and hash partitioned tables. No sample is
//! given. Prints how many tenant relations were seeded and the verdict counts;
//! exits non-zero unless every relation was seeded and nothing is UNRELIABLE.
//! The proof's time is printed per probe and as a ratio to `pg_dump
//! --schema-only` of the same database, measured in the same run.
//! Run: `bench/prove_seed.sh [TABLES]`.

mod support;

use std::fmt::Write as _;
use std::time::Instant;

use rlsctl::cluster::DevServer;
use rlsctl::prove::{self, Plan, Verdict};
use rlsctl::spec::declaration::Impersonation;

/// The schema: `tables` tenant tables cycling through the shapes below.
fn schema(tables: usize) -> String {
    let mut sql = String::from(
        r"DO $$ BEGIN CREATE ROLE bench_user NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO bench_user;
CREATE FUNCTION app.tenant() RETURNS uuid LANGUAGE sql STABLE
  AS $f$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $f$;
CREATE DOMAIN app.email AS text CHECK (VALUE ~ '^[a-z0-9.]+@[a-z0-9-]+\.[a-z]{2,}$');
CREATE TYPE app.status AS ENUM ('draft', 'open', 'closed');
CREATE TABLE app.tenants (id uuid PRIMARY KEY, slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]+$'),
  plan text NOT NULL CHECK (plan IN ('free', 'pro')), billing app.email NOT NULL);
",
    );
    let shapes = 8;
    for i in 0..tables {
        let t = format!("app.t{i}");
        let columns = match i % shapes {
            0 => "code text NOT NULL CHECK (code ~ '^[A-Z]{3}-[0-9]{4}$'), UNIQUE (tenant_id, code)".to_string(),
            1 => "kind text NOT NULL CHECK (kind IN ('memo', 'invoice')), amount numeric(8,2) NOT NULL CHECK (amount > 100 AND amount < 1000)".to_string(),
            2 => "contact app.email NOT NULL, status app.status NOT NULL CHECK (status <> 'draft'), tags text[] NOT NULL CHECK (cardinality(tags) > 0)".to_string(),
            3 => "email text NOT NULL CHECK (email ~ '^[a-z]{3,12}@example\\.com$'), due date NOT NULL CHECK (due >= '2030-01-01')".to_string(),
            _ => "payload text NOT NULL CHECK (length(payload) BETWEEN 3 AND 40)".to_string(),
        };
        let partition = match i % shapes {
            5 => " PARTITION BY RANGE (at)",
            6 => " PARTITION BY LIST (region)",
            7 => " PARTITION BY HASH (n)",
            _ => "",
        };
        let key = match i % shapes {
            5 => {
                "id uuid NOT NULL DEFAULT gen_random_uuid(), at date NOT NULL DEFAULT current_date,"
            }
            6 => {
                "id uuid NOT NULL DEFAULT gen_random_uuid(), region text NOT NULL CHECK (region ~ '^[a-z]{2}$'),"
            }
            7 => "id uuid NOT NULL DEFAULT gen_random_uuid(), n bigint NOT NULL,",
            _ => "id uuid PRIMARY KEY DEFAULT gen_random_uuid(),",
        };
        let _ = writeln!(
            sql,
            "CREATE TABLE {t} ({key} tenant_id uuid NOT NULL REFERENCES app.tenants (id), {columns}){partition};"
        );
        let mut children: Vec<String> = Vec::new();
        match i % shapes {
            3 => {
                let _ = writeln!(sql, "CREATE UNIQUE INDEX ON {t} (tenant_id, lower(email));");
            }
            5 => {
                for (y, (from, to)) in [("2030-01-01", "2031-01-01"), ("2031-01-01", "2032-01-01")]
                    .iter()
                    .enumerate()
                {
                    let c = format!("{t}_p{y}");
                    let _ = writeln!(
                        sql,
                        "CREATE TABLE {c} PARTITION OF {t} FOR VALUES FROM ('{from}') TO ('{to}');"
                    );
                    children.push(c);
                }
            }
            6 => {
                for (n, bound) in [
                    "FOR VALUES IN ('eu', 'ch')",
                    "FOR VALUES IN ('us')",
                    "DEFAULT",
                ]
                .iter()
                .enumerate()
                {
                    let c = format!("{t}_p{n}");
                    let _ = writeln!(sql, "CREATE TABLE {c} PARTITION OF {t} {bound};");
                    children.push(c);
                }
            }
            7 => {
                for r in 0..4 {
                    let c = format!("{t}_p{r}");
                    let _ = writeln!(
                        sql,
                        "CREATE TABLE {c} PARTITION OF {t} FOR VALUES WITH (MODULUS 4, REMAINDER {r});"
                    );
                    children.push(c);
                }
            }
            _ => {}
        }
        for r in std::iter::once(&t).chain(&children) {
            let _ = writeln!(
                sql,
                "ALTER TABLE {r} ENABLE ROW LEVEL SECURITY; ALTER TABLE {r} FORCE ROW LEVEL SECURITY;
                 CREATE POLICY iso ON {r} TO bench_user USING (tenant_id = (SELECT app.tenant()));
                 GRANT SELECT, INSERT, UPDATE, DELETE ON {r} TO bench_user;"
            );
        }
    }
    sql
}

fn main() {
    let tables: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("ephemeral PostgreSQL");
    let pg_dump = support::pg_dump();
    let plan = Plan {
        schemas: vec!["app".into()],
        tenant_column: "tenant_id".into(),
        roles: vec!["bench_user".into()],
        impersonate: Impersonation {
            role: Some("bench_user".into()),
            settings: vec![("app.tenant_id".into(), "{tenant}".into())],
            ..Impersonation::default()
        },
        prove: true,
        ..Plan::default()
    };
    let ok = runtime.block_on(async {
        let db = server
            .create_database("bench_prove_seed")
            .await
            .expect("database");
        let client = db.connect().await.expect("connect");
        client
            .batch_execute(&schema(tables))
            .await
            .expect("schema");
        let client = db.connect().await.expect("connect");
        let start = Instant::now();
        let report = prove::run(&client, &plan, &|_, _| {}).await.expect("prove");
        let seconds = start.elapsed().as_secs_f64();
        let dump = support::pg_dump_time(&pg_dump, &db, 3).as_secs_f64();
        let relations = report.scope.relations.len();
        let unseeded: Vec<&String> = report
            .warnings
            .iter()
            .filter(|w| w.starts_with("cannot seed"))
            .collect();
        let count = |v: fn(&Verdict) -> bool| report.outcomes.iter().filter(|o| v(&o.verdict)).count();
        let unreliable = count(|v| *v == Verdict::Unreliable);
        let leaks = count(|v| *v == Verdict::Leak);
        let passes = count(|v| *v == Verdict::Pass);
        println!(
            "tables  tenant_relations  seeded  unseeded  probes  pass  leak  unreliable  other  seconds  ms_per_probe  pg_dump_s  ratio"
        );
        println!(
            "{tables:>6}  {relations:>16}  {:>6}  {:>8}  {:>6}  {passes:>4}  {leaks:>4}  {unreliable:>10}  {:>5}  {seconds:>7.1}  {:>12.2}  {dump:>9.2}  {:>5.0}",
            relations - unseeded.len(),
            unseeded.len(),
            report.outcomes.len(),
            report.outcomes.len() - passes - leaks - unreliable,
            seconds * 1e3 / report.outcomes.len().max(1) as f64,
            seconds / dump
        );
        for w in unseeded.iter().take(5) {
            println!("  {w}");
        }
        for o in report
            .outcomes
            .iter()
            .filter(|o| o.verdict != Verdict::Pass)
            .take(5)
        {
            println!("  {} {} {} {}: {}", o.verdict.label(), o.relation, o.principal, o.probe.name(), o.detail);
        }
        drop(client);
        db.drop().await.expect("drop");
        unseeded.is_empty() && unreliable == 0
    });
    if !ok {
        std::process::exit(1);
    }
}
