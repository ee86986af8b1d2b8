//! Target connections: libpq-style strings, environment, sslmode, and that the
//! password never shows.

mod support;

use std::collections::HashMap;

use rlsctl::conn::{SslMode, Target, Tls};
use tokio_postgres::config::Host;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k: &str| map.get(k).cloned()
}

#[test]
fn the_password_never_shows() {
    let t = Target::from_url_with(
        "postgres://alice:s3cr%40t-pw@db.example.com:6543/app?sslmode=require",
        &env(&[]),
    )
    .unwrap();
    for shown in [t.to_string(), format!("{t:?}")] {
        assert!(!shown.contains("s3cr"), "{shown}");
    }
    assert_eq!(
        t.to_string(),
        "alice@db.example.com:6543/app (sslmode=require)"
    );
    assert_eq!(t.config().get_password(), Some("s3cr@t-pw".as_bytes()));
}

#[test]
fn libpq_only_keys_are_taken_out_of_urls_and_key_value_strings() {
    let t = Target::from_url_with(
        "postgresql://u@h/db?sslmode=verify-full&application_name=x&sslrootcert=%2Ftmp%2Fca.pem",
        &env(&[]),
    )
    .unwrap();
    assert_eq!(t.ssl_mode(), SslMode::VerifyFull);
    assert_eq!(t.config().get_application_name(), Some("x"));

    let t =
        Target::from_url_with("host=h dbname='my db' sslmode=verify-ca user=u", &env(&[])).unwrap();
    assert_eq!(t.ssl_mode(), SslMode::VerifyCa);
    assert_eq!(t.config().get_dbname(), Some("my db"));

    let err = Target::from_url_with("postgres://h/db?sslmode=sometimes", &env(&[])).unwrap_err();
    assert!(err.to_string().contains("sslmode \"sometimes\""), "{err}");
}

#[test]
fn the_libpq_environment_fills_what_the_string_leaves_out() {
    let e = env(&[
        ("PGHOST", "pg.internal"),
        ("PGPORT", "6000"),
        ("PGUSER", "bob"),
        ("PGPASSWORD", "hunter2"),
        ("PGDATABASE", "prod"),
        ("PGSSLMODE", "require"),
    ]);
    let t = Target::from_url_with("", &e).unwrap();
    assert_eq!(t.config().get_hosts(), &[Host::Tcp("pg.internal".into())]);
    assert_eq!(t.config().get_ports(), &[6000]);
    assert_eq!(t.config().get_user(), Some("bob"));
    assert_eq!(t.config().get_dbname(), Some("prod"));
    assert_eq!(t.config().get_password(), Some("hunter2".as_bytes()));
    assert_eq!(t.ssl_mode(), SslMode::Require);
    // The string wins over the environment.
    let t = Target::from_url_with("postgres://carol@other/db2?sslmode=disable", &e).unwrap();
    assert_eq!(t.config().get_user(), Some("carol"));
    assert_eq!(t.config().get_dbname(), Some("db2"));
    assert_eq!(t.ssl_mode(), SslMode::Disable);
}

#[test]
fn resolution_order_is_flag_then_url_env_then_libpq_environment() {
    let e = env(&[
        ("DATABASE_URL", "postgres://fromenv@h/a"),
        ("PGHOST", "libpq-host"),
    ]);
    let flag = Target::resolve_with(Some("postgres://fromflag@h/a"), Some("DATABASE_URL"), &e)
        .unwrap()
        .unwrap();
    assert_eq!(flag.config().get_user(), Some("fromflag"));
    let from_env = Target::resolve_with(None, Some("DATABASE_URL"), &e)
        .unwrap()
        .unwrap();
    assert_eq!(from_env.config().get_user(), Some("fromenv"));
    let libpq = Target::resolve_with(None, Some("UNSET"), &e)
        .unwrap()
        .unwrap();
    assert_eq!(
        libpq.config().get_hosts(),
        &[Host::Tcp("libpq-host".into())]
    );
    assert!(
        Target::resolve_with(None, Some("UNSET"), &env(&[]))
            .unwrap()
            .is_none()
    );
}

#[test]
fn pgpass_supplies_the_password_when_none_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let pgpass = dir.path().join("pgpass");
    std::fs::write(&pgpass, "db.example.com:5432:app:alice:from-pgpass\n").unwrap();
    let e = env(&[("PGPASSFILE", pgpass.to_str().unwrap())]);
    let t = Target::from_url_with("postgres://alice@db.example.com/app", &e).unwrap();
    assert_eq!(t.config().get_password(), Some("from-pgpass".as_bytes()));
    let t = Target::from_url_with("postgres://alice:given@db.example.com/app", &e).unwrap();
    assert_eq!(t.config().get_password(), Some("given".as_bytes()));
}

#[test]
fn verify_modes_without_a_root_certificate_are_refused_before_connecting() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let t = Target::from_url_with(
        "postgres://u@127.0.0.1:1/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
        &env(&[]),
    )
    .unwrap();
    let err = rt.block_on(t.connect()).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
}

#[tokio::test]
async fn connects_to_a_real_server_and_names_it_without_the_password_on_failure() {
    let db = support::database().await;
    let config = db.config();
    let Some(Host::Unix(dir)) = config.get_hosts().first().cloned() else {
        // An existing server over TCP: the URL form below does not apply.
        return;
    };
    let url = format!(
        "postgresql://postgres:pw-not-needed@/{}?host={}&port={}&sslmode=disable",
        db.name(),
        dir.display(),
        config.get_ports().first().copied().unwrap_or(5432)
    );
    let target = Target::from_url_with(&url, &env(&[])).unwrap();
    let (client, tls) = target.connect().await.unwrap();
    assert_eq!(tls, Tls::Off, "PostgreSQL speaks no TLS over a Unix socket");
    let row = client
        .query_one("select current_database()", &[])
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), db.name());

    let missing = url.replace(db.name(), "no_such_database");
    let err = Target::from_url_with(&missing, &env(&[]))
        .unwrap()
        .connect()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("no_such_database"), "{text}");
    assert!(!text.contains("pw-not-needed"), "{text}");
}

#[test]
fn a_malformed_string_says_invalid_connection_string_once_with_the_cause() {
    for url in ["postgres://u@h:notaport/db", "host=h port=x"] {
        let err = Target::from_url_with(url, &env(&[])).unwrap_err();
        let text = err.to_string();
        assert_eq!(
            text.matches("invalid connection string").count(),
            1,
            "{url}: {text}"
        );
        assert!(
            text.len() > "invalid connection string: ".len(),
            "{url}: the cause is missing: {text}"
        );
    }
}

#[test]
fn host_and_port_in_the_query_replace_the_authoritys_as_in_libpq() {
    let t = Target::from_url_with(
        "postgresql://postgres:s3cret@localhost/app?host=%2Ftmp%2Fx&port=6000&sslmode=disable",
        &env(&[]),
    )
    .unwrap();
    assert_eq!(t.config().get_hosts(), &[Host::Unix("/tmp/x".into())]);
    assert_eq!(t.config().get_ports(), &[6000]);
    assert_eq!(t.to_string(), "postgres@/tmp/x:6000/app (sslmode=disable)");
    assert_eq!(t.config().get_password(), Some("s3cret".as_bytes()));

    // Only the host replaced: the authority's port stays.
    let t =
        Target::from_url_with("postgres://u@db.example:5433/app?host=/tmp/x", &env(&[])).unwrap();
    assert_eq!(t.config().get_hosts(), &[Host::Unix("/tmp/x".into())]);
    assert_eq!(t.config().get_ports(), &[5433]);

    // Only the port replaced: the authority's hosts stay.
    let t = Target::from_url_with("postgres://u@h1:5433,[::1]/app?port=6000", &env(&[])).unwrap();
    assert_eq!(
        t.config().get_hosts(),
        &[Host::Tcp("h1".into()), Host::Tcp("::1".into())]
    );
    assert_eq!(t.config().get_ports(), &[6000]);

    // Nothing in the query: the URL is left as it is.
    let t = Target::from_url_with("postgres://u@h1:5433,h2:5434/app", &env(&[])).unwrap();
    assert_eq!(t.to_string(), "u@h1,h2:5433,5434/app (sslmode=prefer)");
}

fn socket_url(db: &support::TestDatabase, query: &str) -> Option<String> {
    let config = db.config();
    let Some(Host::Unix(dir)) = config.get_hosts().first().cloned() else {
        return None;
    };
    Some(format!(
        "postgresql://postgres@/{}?host={}&port={}{query}",
        db.name(),
        dir.display(),
        config.get_ports().first().copied().unwrap_or(5432)
    ))
}

#[tokio::test]
async fn prefer_over_a_unix_socket_negotiates_no_tls() {
    let db = support::database().await;
    let Some(url) = socket_url(&db, "") else {
        return; // an existing server over TCP
    };
    let target = Target::from_url_with(&url, &env(&[])).unwrap();
    assert_eq!(target.ssl_mode(), SslMode::Prefer);
    let (_client, tls) = target.connect().await.unwrap();
    assert_eq!(tls, Tls::Off);
    assert!(tls.note().is_none());
}

fn rlsctl(args: &[&str]) -> std::process::Output {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("rlsctl"))
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("PGSSLMODE")
        .env_remove("PGSSLROOTCERT")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn root_declaration() -> rlsctl::spec::Declaration {
    let loaded = rlsctl::spec::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|f| panic!("load: {:?}", f.diagnostics));
    rlsctl::spec::validate(&loaded).declaration.unwrap()
}

const TLS_NOTE: &str = "certificate is not verified";

/// The note is about the session actually negotiated: a Unix socket has no TLS,
/// whatever sslmode says, and a refused connection has no session at all.
#[tokio::test]
async fn no_command_notes_unverified_tls_for_a_socket_or_a_refused_connection() {
    let db = support::database().await;
    let Some(url) = socket_url(&db, "&sslmode=prefer") else {
        return;
    };
    // The root project's role (cluster-wide), so that `plan` gets as far as a plan.
    db.client()
        .batch_execute(&rlsctl::ddl::roles_script(&root_declaration()))
        .await
        .unwrap();
    for args in [
        vec!["plan", "--database-url", &url],
        vec!["test", "--tests-only", "--database-url", &url],
        vec!["audit", "--database-url", &url],
    ] {
        let output = rlsctl(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains(db.name()) || stderr.contains(db.name()),
            "{args:?} did not connect: {stdout}{stderr}"
        );
        assert!(!stderr.contains(TLS_NOTE), "{args:?}: {stderr}");
    }
    let refused = "postgresql://u@127.0.0.1:1/db?sslmode=require";
    for command in ["plan", "audit"] {
        let output = rlsctl(&[command, "--database-url", refused]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{command}: {stderr}");
        assert!(!stderr.contains(TLS_NOTE), "{command}: {stderr}");
    }
}
