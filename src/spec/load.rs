//! Reading a project from disk: `rlsctl.toml`, `schema/*.toml`, `policies/*.toml`.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::diagnostic::{Diagnostic, FileId, Sources};
use super::model::{PolicyFile, ProjectFile, SchemaFile};
use super::recover;

/// The project file's name.
pub const PROJECT_FILE: &str = "rlsctl.toml";

/// A project as parsed from its files, before references are resolved.
#[derive(Debug)]
pub struct Spec {
    /// The project directory.
    pub root: PathBuf,
    /// Every file read, for positions in messages.
    pub sources: Sources,
    /// `rlsctl.toml`.
    pub project: (FileId, ProjectFile),
    /// `schema/*.toml`, in file-name order.
    pub schema_files: Vec<(FileId, SchemaFile)>,
    /// `policies/*.toml`, in file-name order.
    pub policy_files: Vec<(FileId, PolicyFile)>,
}

/// Why a project could not be loaded: every file's syntax and shape errors, and
/// the files, for rendering them.
#[derive(Debug)]
pub struct LoadFailure {
    /// The files that were read.
    pub sources: Sources,
    /// One or more errors.
    pub diagnostics: Vec<Diagnostic>,
    /// The project without the entries that had shape errors, when every file
    /// parsed: validating it reports the other errors in the same run.
    pub partial: Option<Box<Spec>>,
}

/// Reads and parses every file of the project in `root`. Each file is parsed on
/// its own, so that one run reports the errors of all files.
pub fn load(root: &Path) -> Result<Spec, LoadFailure> {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let mut every_file_parsed = true;

    let project_path = root.join(PROJECT_FILE);
    let project = match read(root, &project_path, &mut sources) {
        Ok(id) => parse::<ProjectFile>(&sources, id, &mut diagnostics).map(|p| (id, p)),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    let mut files = Files {
        sources: &mut sources,
        diagnostics: &mut diagnostics,
        every_file_parsed: &mut every_file_parsed,
    };
    let schema_files = load_dir::<SchemaFile>(root, "schema", &mut files);
    let policy_files = load_dir::<PolicyFile>(root, "policies", &mut files);

    let Some(project) = project else {
        return Err(LoadFailure {
            sources,
            diagnostics,
            partial: None,
        });
    };
    if diagnostics.is_empty() {
        return Ok(Spec {
            root: root.to_path_buf(),
            sources,
            project,
            schema_files,
            policy_files,
        });
    }
    let partial = every_file_parsed.then(|| {
        Box::new(Spec {
            root: root.to_path_buf(),
            sources: sources.clone(),
            project,
            schema_files,
            policy_files,
        })
    });
    Err(LoadFailure {
        sources,
        diagnostics,
        partial,
    })
}

/// Where `load_dir` records what it read.
struct Files<'a> {
    sources: &'a mut Sources,
    diagnostics: &'a mut Vec<Diagnostic>,
    every_file_parsed: &'a mut bool,
}

fn load_dir<T: DeserializeOwned>(root: &Path, dir: &str, files: &mut Files) -> Vec<(FileId, T)> {
    let path = root.join(dir);
    let entries = match fs::read_dir(&path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            files.diagnostics.push(Diagnostic::project(format!(
                "cannot read directory {}: {e}",
                path.display()
            )));
            *files.every_file_parsed = false;
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        match read(root, &p, files.sources) {
            Ok(id) => match parse::<T>(files.sources, id, files.diagnostics) {
                Some(parsed) => out.push((id, parsed)),
                None => *files.every_file_parsed = false,
            },
            Err(d) => {
                files.diagnostics.push(d);
                *files.every_file_parsed = false;
            }
        }
    }
    out
}

fn read(root: &Path, path: &Path, sources: &mut Sources) -> Result<FileId, Diagnostic> {
    let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(sources.add(shown, text)),
            Err(e) => {
                // The valid prefix is the same in the lossy text, so the position is exact.
                let at = e.utf8_error().valid_up_to();
                let byte = e.as_bytes()[at];
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let id = sources.add(shown, text);
                Err(Diagnostic::error(
                    id,
                    at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
                    format!("the file is not valid UTF-8 (byte 0x{byte:02X})"),
                )
                .with_help("TOML files are UTF-8: save the file as UTF-8"))
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && shown == Path::new(PROJECT_FILE) => {
            Err(Diagnostic::project(format!(
                "no {PROJECT_FILE} in {}",
                root.display()
            ))
            .with_help("run rlsctl in a project directory (or pass --project DIR); see README.md for the layout"))
        }
        Err(e) => Err(Diagnostic::project(format!("cannot read {}: {e}", path.display()))),
    }
}

/// Deserializes one file; shape errors are reported and their entries left out
/// (see `recover`), so the value may be partial: `None` only when the file could
/// not be read as TOML at all.
fn parse<T: DeserializeOwned>(
    sources: &Sources,
    id: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let recovered = recover::deserialize::<T>(&sources.get(id).text);
    diagnostics.extend(recovered.errors.into_iter().map(|e| {
        let d = Diagnostic::error(id, e.span, e.message);
        match e.help {
            Some(help) => d.with_help(help),
            None => d,
        }
    }));
    recovered.value
}
