//! `rlsctl validate` and `rlsctl render`.

use std::path::Path;
use std::process::ExitCode;

use super::failure::Failure;
use super::{Format, color};
use crate::report::findings;
use crate::spec::{self, Declaration, Diagnostic, Sources};

/// Loads and validates a project, printing findings to stderr; the declaration
/// when there is no error.
pub(super) fn load_declaration(project: &Path) -> Result<Declaration, Failure> {
    match check(project) {
        (Some(declaration), diagnostics, sources) => {
            if !diagnostics.is_empty() {
                eprint!("{}", findings::human(&diagnostics, &sources, color()));
            }
            Ok(declaration)
        }
        (None, diagnostics, sources) => {
            eprint!("{}", findings::human(&diagnostics, &sources, color()));
            Err(Failure::Shown(ExitCode::FAILURE))
        }
    }
}

fn check(project: &Path) -> (Option<Declaration>, Vec<Diagnostic>, Sources) {
    match spec::load(project) {
        Ok(loaded) => {
            let validated = spec::validate(&loaded);
            (validated.declaration, validated.diagnostics, loaded.sources)
        }
        Err(failure) => (None, failure.diagnostics, failure.sources),
    }
}

/// `rlsctl validate`: exit 1 when any finding is an error.
pub(super) fn validate(project: &Path, format: Format) -> Result<ExitCode, Failure> {
    let (declaration, diagnostics, sources) = check(project);
    match format {
        Format::Json => println!("{}", findings::json(&diagnostics, &sources)),
        Format::Human => {
            if let Some(d) = &declaration {
                print!("{}", findings::human(&diagnostics, &sources, color()));
                let tenant = d.tables.iter().filter(|t| t.tenant.is_some()).count();
                println!(
                    "ok: {} tables ({tenant} tenant-scoped, {} public), {} policies, {} functions",
                    d.tables.len(),
                    d.tables.len() - tenant,
                    d.tables.iter().map(|t| t.policies.len()).sum::<usize>(),
                    d.functions.len()
                );
            } else {
                print!("{}", findings::human(&diagnostics, &sources, color()));
            }
        }
    }
    Ok(if declaration.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `rlsctl render`: the SQL script on stdout.
pub(super) fn render(project: &Path) -> Result<ExitCode, Failure> {
    let declaration = load_declaration(project)?;
    print!("{}", crate::ddl::render(&declaration).to_sql());
    Ok(ExitCode::SUCCESS)
}
