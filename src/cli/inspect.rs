//! `rlsctl inspect`: build the declaration in a dev database and show what
//! PostgreSQL made of it.

use std::path::Path;
use std::process::ExitCode;

use super::Format;
use super::failure::{Failure, fail};
use super::session::{block_on, desired_catalog};
use super::validate::load_declaration;
use crate::report;

/// Builds (or takes from the cache), inspects and prints the desired catalog.
pub(super) fn inspect(project: &Path, format: Format) -> Result<ExitCode, Failure> {
    let declaration = load_declaration(project)?;
    let catalog = block_on(desired_catalog(&declaration, None))?;
    match format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&catalog).map_err(fail)?),
        Format::Human => out!(
            "{}",
            report::catalog::summary(
                &catalog,
                "The declaration as built by PostgreSQL:",
                super::color()
            )
        ),
    }
    Ok(ExitCode::SUCCESS)
}
