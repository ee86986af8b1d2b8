//! `rlsctl inspect`: build the declaration in a dev database and show what
//! PostgreSQL made of it.

use std::path::Path;
use std::process::ExitCode;

use super::Format;
use super::validate::load_declaration;
use crate::cluster::{self, DevServer};
use crate::desired;
use crate::report;

/// Builds, inspects and prints the desired catalog.
pub(super) fn inspect(project: &Path, format: Format) -> ExitCode {
    let declaration = match load_declaration(project) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let work = async {
        let server = match &declaration.dev_url {
            Some(url) => DevServer::from_url(url)?,
            None => {
                eprintln!("starting an ephemeral PostgreSQL for the dev database ...");
                DevServer::ephemeral()?
            }
        };
        desired::catalog(&server, &declaration).await
    };
    match runtime.block_on(cluster::run_until_ctrl_c(work)) {
        None => {
            eprintln!("interrupted: the dev database was removed");
            ExitCode::from(130)
        }
        Some(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
        Some(Ok(catalog)) => {
            match format {
                Format::Json => match serde_json::to_string_pretty(&catalog) {
                    Ok(json) => println!("{json}"),
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::FAILURE;
                    }
                },
                Format::Human => print!(
                    "{}",
                    report::catalog::summary(&catalog, "The declaration as built by PostgreSQL:")
                ),
            }
            ExitCode::SUCCESS
        }
    }
}
