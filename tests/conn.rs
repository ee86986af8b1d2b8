//! Target connections: libpq-style strings, environment, sslmode, and that the
//! password never shows.

mod support;

use std::collections::HashMap;

use rlsctl::conn::{SslMode, Target};
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
    assert!(
        t.security_note().is_some(),
        "require without a root certificate does not authenticate"
    );
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
    let client = target.connect().await.unwrap();
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
