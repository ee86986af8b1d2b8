//! The parts of a libpq connection string tokio-postgres does not understand
//! (`sslmode=verify-*`, `sslrootcert`, `sslcert`, `sslkey`), and defaults from
//! the `PG*` environment.

use std::path::PathBuf;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tokio_postgres::config::Config;

use super::{ConnError, Env};

/// libpq's sslmode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    /// No TLS.
    Disable,
    /// TLS if the server insists (treated as prefer).
    Allow,
    /// TLS when the server offers it, unverified (libpq's default).
    Prefer,
    /// TLS always; the certificate is verified only when a root certificate is given.
    Require,
    /// TLS with the certificate chain verified.
    VerifyCa,
    /// TLS with chain and host name verified.
    VerifyFull,
}

impl SslMode {
    fn parse(s: &str) -> Result<SslMode, ConnError> {
        Ok(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(ConnError::Invalid(format!(
                    "sslmode {other:?} (use disable, allow, prefer, require, verify-ca or verify-full)"
                )));
            }
        })
    }

    /// The libpq spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    pub(super) fn tokio_mode(self) -> tokio_postgres::config::SslMode {
        use tokio_postgres::config::SslMode as T;
        match self {
            SslMode::Disable => T::Disable,
            SslMode::Allow | SslMode::Prefer => T::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => T::Require,
        }
    }
}

/// TLS settings taken out of the connection string and environment.
#[derive(Clone, Debug)]
pub(super) struct SslSettings {
    pub mode: SslMode,
    /// `sslrootcert`: a PEM file, or `system` for the OS store.
    pub root_cert: Option<String>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

const SSL_KEYS: [&str; 4] = ["sslmode", "sslrootcert", "sslcert", "sslkey"];

/// Removes the TLS keys from a URL or key=value string; returns the rest and the
/// TLS settings (completed from `PGSSLMODE`, `PGSSLROOTCERT`, `PGSSLCERT`, `PGSSLKEY`).
pub(super) fn split_ssl(conninfo: &str, env: Env) -> Result<(String, SslSettings), ConnError> {
    let mut found: Vec<(String, String)> = Vec::new();
    let rest = if conninfo.starts_with("postgres://") || conninfo.starts_with("postgresql://") {
        match conninfo.split_once('?') {
            None => conninfo.to_string(),
            Some((base, query)) => {
                let mut kept = Vec::new();
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    let key = decode(k)?;
                    if SSL_KEYS.contains(&key.as_str()) {
                        found.push((key, decode(v)?));
                    } else {
                        kept.push(pair);
                    }
                }
                let keys = kept
                    .iter()
                    .map(|pair| decode(pair.split_once('=').map_or(*pair, |(k, _)| k)))
                    .collect::<Result<Vec<_>, _>>()?;
                let (base, moved) = query_overrides_authority(base, &keys);
                let mut kept: Vec<String> = kept.iter().map(|p| p.to_string()).collect();
                kept.extend(moved);
                if kept.is_empty() {
                    base
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
        }
    } else {
        let mut kept = Vec::new();
        for (k, v, raw) in key_values(conninfo)? {
            if SSL_KEYS.contains(&k.as_str()) {
                found.push((k, v));
            } else {
                kept.push(raw);
            }
        }
        kept.join(" ")
    };
    let get = |key: &str, var: &str| {
        found
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .or_else(|| env(var))
    };
    let root_cert = get("sslrootcert", "PGSSLROOTCERT");
    let mode = match get("sslmode", "PGSSLMODE") {
        Some(m) => SslMode::parse(&m)?,
        None => SslMode::Prefer,
    };
    Ok((
        rest,
        SslSettings {
            mode,
            root_cert,
            cert: get("sslcert", "PGSSLCERT").map(PathBuf::from),
            key: get("sslkey", "PGSSLKEY").map(PathBuf::from),
        },
    ))
}

/// libpq lets `host` and `port` in a URL's query replace the authority's hosts
/// and ports; tokio-postgres appends them to the list instead (and would try the
/// authority's host first, usually `localhost`). When the query names either,
/// returns the URL without its hosts and ports, and the query parameters that
/// carry whichever of them the query does not replace.
fn query_overrides_authority(base: &str, query_keys: &[String]) -> (String, Vec<String>) {
    let replaces_host = query_keys.iter().any(|k| k == "host");
    let replaces_port = query_keys.iter().any(|k| k == "port");
    let Some(scheme_end) = base.find("://").map(|i| i + 3) else {
        return (base.to_string(), Vec::new());
    };
    if !replaces_host && !replaces_port {
        return (base.to_string(), Vec::new());
    }
    let (scheme, rest) = base.split_at(scheme_end);
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (user_info, hosts) = match authority.rsplit_once('@') {
        Some((user, hosts)) => (format!("{user}@"), hosts),
        None => (String::new(), authority),
    };
    let (names, ports): (Vec<&str>, Vec<&str>) = hosts
        .split(',')
        .filter(|chunk| !chunk.is_empty())
        .map(split_host_port)
        .unzip();
    let mut moved = Vec::new();
    if !replaces_host {
        // One `host=` per host: the query form takes no lists. Names stay
        // percent-encoded as they were in the authority.
        let unbracketed = |n: &str| n.trim_start_matches('[').trim_end_matches(']').to_string();
        moved.extend(names.iter().map(|n| format!("host={}", unbracketed(n))));
    }
    if !replaces_port && ports.iter().any(|p| !p.is_empty()) {
        moved.push(format!("port={}", ports.join(",")));
    }
    (format!("{scheme}{user_info}{path}"), moved)
}

/// `host:port`, `[v6]:port` or `host` → (host, port or "").
fn split_host_port(chunk: &str) -> (&str, &str) {
    if chunk.starts_with('[') {
        return match chunk.find(']') {
            Some(end) => (
                &chunk[..=end],
                chunk[end + 1..].strip_prefix(':').unwrap_or(""),
            ),
            None => (chunk, ""),
        };
    }
    chunk.rsplit_once(':').unwrap_or((chunk, ""))
}

fn decode(s: &str) -> Result<String, ConnError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| ConnError::Invalid("a URL parameter is not valid UTF-8".to_string()))
}

/// Splits `key=value key='quoted value'` into (key, value, raw text).
fn key_values(s: &str) -> Result<Vec<(String, String, String)>, ConnError> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let start = i;
        while i < chars.len() && chars[i] != '=' && !chars[i].is_whitespace() {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() || chars[i] != '=' {
            return Err(ConnError::Invalid(format!("missing \"=\" after {key:?}")));
        }
        i += 1;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < chars.len() && chars[i] == '\'' {
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(ConnError::Invalid("unterminated quoted value".to_string()));
                    }
                    Some('\\') => {
                        if let Some(c) = chars.get(i + 1) {
                            value.push(*c);
                        }
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(c) => {
                        value.push(*c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < chars.len() && !chars[i].is_whitespace() {
                value.push(chars[i]);
                i += 1;
            }
        }
        let raw: String = chars[start..i].iter().collect();
        out.push((key, value, raw));
    }
    Ok(out)
}

/// Fills what the string left out from `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`,
/// `PGDATABASE`, `PGAPPNAME`, `PGCONNECT_TIMEOUT`, `PGOPTIONS`, like libpq.
pub(super) fn complete_from_env(config: &mut Config, env: Env) {
    if config.get_hosts().is_empty() {
        let hosts = env("PGHOST").unwrap_or_else(default_host);
        for h in hosts.split(',').filter(|h| !h.is_empty()) {
            if h.starts_with('/') {
                config.host_path(h);
            } else {
                config.host(h);
            }
        }
    }
    if config.get_ports().is_empty()
        && let Some(port) = env("PGPORT").and_then(|p| p.parse::<u16>().ok())
    {
        config.port(port);
    }
    if config.get_user().is_none()
        && let Some(user) = env("PGUSER").or_else(os_user)
    {
        config.user(user);
    }
    if config.get_password().is_none()
        && let Some(password) = env("PGPASSWORD")
    {
        config.password(password);
    }
    if config.get_dbname().is_none()
        && let Some(db) = env("PGDATABASE")
    {
        config.dbname(db);
    }
    if config.get_application_name().is_none() {
        config.application_name(env("PGAPPNAME").unwrap_or_else(|| "rlsctl".to_string()));
    }
    if config.get_connect_timeout().is_none()
        && let Some(secs) = env("PGCONNECT_TIMEOUT").and_then(|t| t.parse::<u64>().ok())
    {
        config.connect_timeout(Duration::from_secs(secs));
    }
    if config.get_options().is_none()
        && let Some(options) = env("PGOPTIONS")
    {
        config.options(options);
    }
}

fn default_host() -> String {
    // libpq's compiled-in socket directory on Debian-like systems, else TCP.
    if std::path::Path::new("/var/run/postgresql").is_dir() {
        "/var/run/postgresql".to_string()
    } else {
        "localhost".to_string()
    }
}

fn os_user() -> Option<String> {
    nix::unistd::User::from_uid(nix::unistd::geteuid())
        .ok()
        .flatten()
        .map(|u| u.name)
}
