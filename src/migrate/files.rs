//! The `migrations/` directory: `V{n}__{name}.sql` files, listed and checked by
//! rlsctl itself (refinery silently skips a name its pattern does not match, such
//! as one with a hyphen), each split at the no-transaction marker.

use std::path::{Path, PathBuf};

use refinery::Migration;

/// The line after which a file's statements run outside the migration's
/// transaction, one by one (`CREATE INDEX CONCURRENTLY` cannot run in one).
pub const NO_TRANSACTION_MARKER: &str = "-- rlsctl:no-transaction";

/// What a migration file name must look like, for messages.
pub const NAME_SHAPE: &str = "V{n}__{name}.sql: `V`, a version number, two underscores, a name of letters, digits and underscores (e.g. V3__add_invoices.sql)";

/// One migration file.
#[derive(Debug, Clone)]
pub struct MigrationFile {
    /// Its version (`3` of `V3__add_invoices.sql`).
    pub version: i32,
    /// Its name (`add_invoices`).
    pub name: String,
    /// The file's path.
    pub path: PathBuf,
    /// The whole text (what the checksum covers).
    pub text: String,
    /// The statements that run in the migration's transaction (the text before
    /// the marker).
    pub transactional: String,
    /// The statements after the marker, each run on its own after the commit.
    pub outside: Vec<String>,
    /// refinery's checksum of name, version and text.
    pub checksum: u64,
}

impl MigrationFile {
    /// `V3__add_invoices`, as refinery names it.
    pub fn stem(&self) -> String {
        format!("V{}__{}", self.version, self.name)
    }

    /// The refinery migration of the whole file (for its checksum and runner).
    pub fn refinery(&self) -> Result<Migration, FilesError> {
        Migration::unapplied(&self.stem(), &self.text).map_err(|e| FilesError::BadName {
            path: self.path.clone(),
            reason: e.to_string(),
        })
    }
}

/// Why `migrations/` cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// The directory or a file could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        /// What was read.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A `.sql` file whose name is not a migration name.
    #[error("{}: not a migration file name ({reason}); a migration file is named {NAME_SHAPE}", .path.display())]
    BadName {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Two files with one version.
    #[error("{} and {} have the same version {version}; renumber one", .first.display(), .second.display())]
    Duplicate {
        /// The version.
        version: i32,
        /// One file.
        first: PathBuf,
        /// The other.
        second: PathBuf,
    },
    /// A file whose statements after the marker do not parse.
    #[error("{}: the statements after `{NO_TRANSACTION_MARKER}` do not parse: {reason}", .path.display())]
    Unparsable {
        /// The file.
        path: PathBuf,
        /// PostgreSQL's parser's message.
        reason: String,
    },
}

/// The version and name of a migration file name, or why it is not one.
pub fn parse_name(file_name: &str) -> Result<(i32, String), String> {
    let stem = file_name
        .strip_suffix(".sql")
        .ok_or_else(|| "it does not end in .sql".to_string())?;
    let rest = stem
        .strip_prefix('V')
        .ok_or_else(|| "it does not start with V".to_string())?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err("no version number after V".to_string());
    }
    let name = rest[digits.len()..]
        .strip_prefix("__")
        .ok_or_else(|| "the version is not followed by two underscores".to_string())?;
    check_name(name)?;
    let version = digits
        .parse::<i32>()
        .map_err(|_| format!("version {digits} is larger than {}", i32::MAX))?;
    Ok((version, name.to_string()))
}

/// Checks the name part of a migration (`add_invoices`).
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name after the two underscores is empty".to_string());
    }
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        Some(c) => Err(format!(
            "{c:?} in the name: only letters, digits and underscores"
        )),
        None => Ok(()),
    }
}

/// Every migration of `dir` in version order; no directory is no migrations.
/// Files not ending in `.sql` are left alone; a `.sql` file with another name is
/// an error.
pub fn list(dir: &Path) -> Result<Vec<MigrationFile>, FilesError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(FilesError::Read {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut files: Vec<MigrationFile> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| FilesError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if !file_name.to_ascii_lowercase().ends_with(".sql") {
            continue;
        }
        let (version, name) = parse_name(&file_name).map_err(|reason| FilesError::BadName {
            path: path.clone(),
            reason,
        })?;
        let text = std::fs::read_to_string(&path).map_err(|source| FilesError::Read {
            path: path.clone(),
            source,
        })?;
        files.push(file(version, name, path, text)?);
    }
    files.sort_by_key(|f| f.version);
    for pair in files.windows(2) {
        if pair[0].version == pair[1].version {
            return Err(FilesError::Duplicate {
                version: pair[0].version,
                first: pair[0].path.clone(),
                second: pair[1].path.clone(),
            });
        }
    }
    Ok(files)
}

/// A migration from its parts: splits the text at the marker, checksums it.
pub fn file(
    version: i32,
    name: String,
    path: PathBuf,
    text: String,
) -> Result<MigrationFile, FilesError> {
    let (transactional, after) = split_at_marker(&text);
    let outside = match after {
        None => Vec::new(),
        Some(after) => statements(after).map_err(|reason| FilesError::Unparsable {
            path: path.clone(),
            reason,
        })?,
    };
    let mut file = MigrationFile {
        version,
        name,
        path,
        transactional: transactional.to_string(),
        outside,
        text,
        checksum: 0,
    };
    file.checksum = file.refinery()?.checksum();
    Ok(file)
}

/// The text before the marker line and, when there is one, the text after it.
fn split_at_marker(text: &str) -> (&str, Option<&str>) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == NO_TRANSACTION_MARKER {
            return (&text[..offset], Some(&text[offset + line.len()..]));
        }
        offset += line.len();
    }
    (text, None)
}

/// The statements of `text`, split by PostgreSQL's parser (so `$$` bodies and
/// comments are never cut), empty ones left out.
fn statements(text: &str) -> Result<Vec<String>, String> {
    let split = pg_query::split_with_parser(text).map_err(|e| e.to_string())?;
    Ok(split
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::{parse_name, split_at_marker};

    #[test]
    fn names_refinery_would_skip_are_refused() {
        assert_eq!(
            parse_name("V3__add_invoices.sql"),
            Ok((3, "add_invoices".into()))
        );
        assert!(parse_name("V3__bad-name.sql").unwrap_err().contains("'-'"));
        assert!(parse_name("V3_one_underscore.sql").is_err());
        assert!(parse_name("3__no_v.sql").is_err());
        assert!(parse_name("V__no_version.sql").is_err());
        assert!(parse_name("V3__.sql").is_err());
        assert!(parse_name("V99999999999__big.sql").is_err());
    }

    #[test]
    fn the_marker_splits_the_file() {
        let (inside, outside) = split_at_marker("a;\n-- rlsctl:no-transaction\nb;\n");
        assert_eq!(inside, "a;\n");
        assert_eq!(outside, Some("b;\n"));
        assert_eq!(split_at_marker("a;\n").1, None);
    }
}
