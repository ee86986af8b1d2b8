//! `rlsctl inspect`: build the declaration in a dev database and show what
//! PostgreSQL made of it.

use std::path::Path;
use std::process::ExitCode;

use super::Format;
use super::session::{block_on, desired_catalog, fail};
use super::validate::load_declaration;
use crate::report;

/// Builds (or takes from the cache), inspects and prints the desired catalog.
pub(super) fn inspect(project: &Path, format: Format) -> ExitCode {
    let declaration = match load_declaration(project) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let catalog = match block_on(desired_catalog(&declaration, None)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match format {
        Format::Json => match serde_json::to_string_pretty(&catalog) {
            Ok(json) => println!("{json}"),
            Err(e) => return fail(e),
        },
        Format::Human => print!(
            "{}",
            report::catalog::summary(
                &catalog,
                "The declaration as built by PostgreSQL:",
                super::color()
            )
        ),
    }
    ExitCode::SUCCESS
}
