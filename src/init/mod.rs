//! `rlsctl init`: the files of a new project that validates, tests and verifies
//! on its first run. The templates are real project files under `templates/`
//! (checked by `tests/init.rs`, which runs `validate` and `test` on both shapes);
//! the Supabase shape's `dev_setup` stand-in is `examples/supabase`'s, so the
//! scaffold and the example share one definition of the platform.

use std::path::{Path, PathBuf};

/// Which kind of project to scaffold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A `tenant_id` on every tenant table, the tenant in a transaction-local setting.
    Plain,
    /// Supabase: roles anon and authenticated, workspaces as tenants, membership
    /// rows joined on `auth.uid()`, JWT impersonation, an auth stand-in for dev databases.
    Supabase,
}

/// One file of a scaffold: its path in the project and its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct File {
    /// Relative to the project directory, `/`-separated.
    pub path: &'static str,
    /// The file's text.
    pub contents: &'static str,
}

const MIGRATIONS_README: File = File {
    path: "migrations/README.md",
    contents: include_str!("templates/common/migrations-README.md"),
};

const GITIGNORE: File = File {
    path: ".gitignore",
    contents: include_str!("templates/common/gitignore"),
};

const PLAIN: &[File] = &[
    File {
        path: "rlsctl.toml",
        contents: include_str!("templates/plain/rlsctl.toml"),
    },
    File {
        path: "schema/app.toml",
        contents: include_str!("templates/plain/app.toml"),
    },
    File {
        path: "policies/app.toml",
        contents: include_str!("templates/plain/policies.toml"),
    },
    MIGRATIONS_README,
    GITIGNORE,
];

const SUPABASE: &[File] = &[
    File {
        path: "rlsctl.toml",
        contents: include_str!("templates/supabase/rlsctl.toml"),
    },
    File {
        path: "schema/public.toml",
        contents: include_str!("templates/supabase/public.toml"),
    },
    File {
        path: "schema/private.toml",
        contents: include_str!("templates/supabase/private.toml"),
    },
    File {
        path: "policies/public.toml",
        contents: include_str!("templates/supabase/policies.toml"),
    },
    File {
        path: "supabase/roles.sql",
        contents: include_str!("../../examples/supabase/supabase/roles.sql"),
    },
    File {
        path: "supabase/auth.sql",
        contents: include_str!("../../examples/supabase/supabase/auth.sql"),
    },
    File {
        path: "supabase/storage.sql",
        contents: include_str!("../../examples/supabase/supabase/storage.sql"),
    },
    MIGRATIONS_README,
    GITIGNORE,
];

/// The project name every `rlsctl.toml` template carries, replaced by the directory's.
const TEMPLATE_NAME_LINE: &str = "name = \"my-project\"";

/// The files of a scaffold, in the order they are written.
pub fn files(shape: Shape) -> &'static [File] {
    match shape {
        Shape::Plain => PLAIN,
        Shape::Supabase => SUPABASE,
    }
}

/// Why a project could not be scaffolded.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The directory already holds something, and `--force` was not given.
    #[error(
        "{} is not empty (it holds {entry}); run `rlsctl init` in an empty directory, or pass --force to write the project's files over the ones of the same name",
        dir.display()
    )]
    NotEmpty {
        /// The project directory.
        dir: PathBuf,
        /// The entry named in the message: `rlsctl.toml` when there is one, else the first.
        entry: String,
    },
    /// A file or directory could not be read or written.
    #[error("cannot write {}", path.display())]
    Io {
        /// What was being read or written.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

/// Writes the scaffold of `shape` into `dir` (created when missing) and returns
/// the paths written. A directory that holds anything is refused unless `force`,
/// which overwrites the scaffold's files and leaves every other file alone.
pub fn scaffold(dir: &Path, shape: Shape, force: bool) -> Result<Vec<PathBuf>, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if !force && let Some(entry) = first_entry(dir).map_err(io(dir))? {
        return Err(InitError::NotEmpty {
            dir: dir.to_path_buf(),
            entry,
        });
    }
    let name = project_name(dir);
    let mut written = Vec::new();
    for file in files(shape) {
        let path = dir.join(file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let contents = if file.path == "rlsctl.toml" {
            named(file.contents, name.as_deref())
        } else {
            file.contents.to_string()
        };
        std::fs::write(&path, contents).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// The entry of `dir` that makes it non-empty: `rlsctl.toml` first, since it is
/// the file a user would lose; `None` when `dir` is empty or missing.
fn first_entry(dir: &Path) -> std::io::Result<Option<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut names = Vec::new();
    for entry in entries {
        names.push(entry?.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names
        .iter()
        .find(|n| *n == "rlsctl.toml")
        .or_else(|| names.first())
        .cloned())
}

/// The project's name: the directory's last component, when it has one.
fn project_name(dir: &Path) -> Option<String> {
    let absolute = std::path::absolute(dir).ok()?;
    let name = absolute.file_name()?.to_str()?.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// `rlsctl.toml`'s text with the project's name in place of the template's.
fn named(template: &str, name: Option<&str>) -> String {
    match name {
        // toml::Value's Display writes a TOML string literal, escaped.
        Some(name) => template.replacen(
            TEMPLATE_NAME_LINE,
            &format!("name = {}", toml::Value::String(name.to_string())),
            1,
        ),
        None => template.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_names_the_project_once() {
        for shape in [Shape::Plain, Shape::Supabase] {
            let toml = files(shape)
                .iter()
                .find(|f| f.path == "rlsctl.toml")
                .unwrap();
            assert_eq!(toml.contents.matches(TEMPLATE_NAME_LINE).count(), 1);
        }
    }

    #[test]
    fn a_hostile_directory_name_is_escaped() {
        let text = named(TEMPLATE_NAME_LINE, Some("my \"x\" \\ proj"));
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(parsed["name"].as_str(), Some("my \"x\" \\ proj"));
    }
}
