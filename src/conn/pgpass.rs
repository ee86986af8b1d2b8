//! `.pgpass` lookup (`PGPASSFILE`, else `~/.pgpass`): `host:port:db:user:password`
//! lines with `*` wildcards and `\:` escapes, first match wins, like libpq.

use std::path::PathBuf;

use tokio_postgres::config::{Config, Host};

use super::Env;

/// The password `.pgpass` holds for this config's first host, if any.
pub(super) fn lookup(config: &Config, env: Env) -> Option<String> {
    let path = env("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".pgpass")))?;
    let text = std::fs::read_to_string(path).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        // libpq matches Unix-socket connections against "localhost".
        Some(Host::Unix(_)) | None => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default().to_string();
    let db = config
        .get_dbname()
        .map(str::to_string)
        .unwrap_or_else(|| user.clone());
    find(&text, [&host, &port, &db, &user])
}

fn find(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .find_map(|line| {
            let fields = split_fields(line);
            if fields.len() < 5 {
                return None;
            }
            let matches = fields
                .iter()
                .zip(wanted)
                .all(|(field, want)| field == "*" || field == want);
            matches.then(|| fields[4..].join(":"))
        })
}

fn split_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(f) = fields.last_mut()
                {
                    f.push(next);
                }
            }
            ':' => fields.push(String::new()),
            _ => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn first_matching_line_wins_with_wildcards_and_escapes() {
        let text = "# comment\nother:5432:*:*:nope\ndb.example:5432:app:alice:s\\:cret\n*:*:*:*:fallback\n";
        assert_eq!(
            find(text, ["db.example", "5432", "app", "alice"]).as_deref(),
            Some("s:cret")
        );
        assert_eq!(
            find(text, ["db.example", "6543", "app", "alice"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(find("a:1:b:c:pw\n", ["x", "1", "b", "c"]), None);
    }
}
