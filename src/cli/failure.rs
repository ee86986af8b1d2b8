//! How a command ends when it does not succeed: commands return a [`Failure`] and
//! [`super::run`] prints it once, with the whole chain of causes.

use std::error::Error;
use std::process::ExitCode;

use crate::error::error_chain;

/// A command's failure.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The command has shown the user what went wrong (validation findings, a
    /// refusal it explained); only the exit code is left.
    Shown(ExitCode),
    /// An error to print with its causes.
    Error {
        /// What was being done, printed before the error ("the audit could not run").
        context: Option<&'static str>,
        /// The error and, through `source()`, its causes.
        error: Box<dyn Error + Send + Sync + 'static>,
        /// The exit code.
        code: u8,
    },
}

impl Failure {
    /// Prints the failure (if not shown already) and returns its exit code.
    pub(crate) fn report(self) -> ExitCode {
        match self {
            Failure::Shown(code) => code,
            Failure::Error {
                context,
                error,
                code,
            } => {
                let chain = error_chain(error.as_ref());
                match context {
                    Some(context) => eprintln!("error: {context}: {chain}"),
                    None => eprintln!("error: {chain}"),
                }
                ExitCode::from(code)
            }
        }
    }

    /// An error printed after `context`, ending with exit code `code`; a failure
    /// already shown (an interruption, say) keeps its own code.
    pub(crate) fn within(self, context: &'static str, code: u8) -> Failure {
        match self {
            Failure::Error { error, .. } => Failure::Error {
                context: Some(context),
                error,
                code,
            },
            shown @ Failure::Shown(_) => shown,
        }
    }
}

impl From<ExitCode> for Failure {
    fn from(code: ExitCode) -> Self {
        Failure::Shown(code)
    }
}

/// An error (or a message) as a failure with exit code 1.
pub(crate) fn fail(error: impl Into<Box<dyn Error + Send + Sync + 'static>>) -> Failure {
    Failure::Error {
        context: None,
        error: error.into(),
        code: 1,
    }
}
