//! Names rlsctl gives to objects the user did not name, following PostgreSQL's
//! own conventions (`<table>_pkey`, `<table>_<cols>_key`, `_fkey`, `_check`,
//! `_idx`), so that a generated schema looks hand-written.

/// PostgreSQL truncates identifiers to 63 bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// `<table>_<parts>_<suffix>`, truncated to 63 bytes like PostgreSQL does, and
/// made unique among `taken` by a number.
pub fn generated_name(table: &str, parts: &[&str], suffix: &str, taken: &[String]) -> String {
    let mut base = String::from(table);
    for p in parts {
        base.push('_');
        base.push_str(p);
    }
    let mut n = 0;
    loop {
        let tail = if n == 0 {
            format!("_{suffix}")
        } else {
            format!("_{suffix}{n}")
        };
        let mut name = truncate(&base, MAX_IDENTIFIER_BYTES - tail.len());
        name.push_str(&tail);
        if !taken.contains(&name) {
            return name;
        }
        n += 1;
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_postgres_conventions_and_stay_unique() {
        assert_eq!(
            generated_name("projects", &[], "pkey", &[]),
            "projects_pkey"
        );
        assert_eq!(
            generated_name("projects", &["tenant_id", "name"], "key", &[]),
            "projects_tenant_id_name_key"
        );
        let taken = vec!["t_check".to_string()];
        assert_eq!(generated_name("t", &[], "check", &taken), "t_check1");
        let long = "x".repeat(80);
        assert_eq!(generated_name(&long, &[], "idx", &[]).len(), 63);
    }
}
