//! Validation: turns a parsed [`Spec`] into a [`Declaration`], checking every
//! reference and parsing every SQL fragment, and collecting all problems in one run.

mod audit_trail;
mod context;
mod database;
mod exclusions;
mod functions;
mod names;
mod policies;
mod privileges;
mod project;
mod references;
mod sequences;
mod table_options;
mod tables;
mod testing;
mod triggers;
mod types;
mod views;

/// PostgreSQL-style names of objects the user did not name (`rlsctl pull` writes
/// names only where they differ from these).
pub use names::generated_name;

pub use audit_trail::APPEND_POLICY;
use context::Context;

use std::path::Path;

use super::declaration::Declaration;
use super::diagnostic::{Diagnostic, Sources};
use super::load::{self, Spec};

/// The outcome of validation: the declaration when there is no error, and every
/// finding (errors and warnings) either way.
#[derive(Debug)]
pub struct Validated {
    /// The resolved declaration, present when no finding is an error.
    pub declaration: Option<Declaration>,
    /// All findings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves and checks the whole project.
pub fn validate(spec: &Spec) -> Validated {
    let (schemas, default_schema) = project::schemas(spec);
    let roles: Vec<String> = spec
        .project
        .1
        .roles
        .keys()
        .map(|k| k.get_ref().clone())
        .collect();
    let mut cx = Context {
        sources: &spec.sources,
        diagnostics: Vec::new(),
        schemas,
        default_schema,
        roles,
    };
    let (mut declared_schemas, declared_roles, dev_setup) = project::resolve(&mut cx, spec);
    privileges::default_privileges(&mut cx, spec, &mut declared_schemas);
    let tenancy = project::tenancy(&mut cx, spec);
    let types = types::resolve(&mut cx, spec);
    let mut functions = functions::resolve(&mut cx, spec);
    let mut tables = tables::resolve(&mut cx, spec, tenancy.as_ref());
    policies::resolve(&mut cx, spec, &mut tables);
    let extensions = database::extensions(&mut cx, spec);
    let publications = database::publications(&mut cx, spec, &tables);
    let mut triggers = triggers::resolve(&mut cx, spec, &tables, &functions);
    let audit_trail = audit_trail::resolve(
        &mut cx,
        spec,
        tenancy.as_ref(),
        &mut tables,
        &mut functions,
        &mut triggers,
    );
    let event_triggers = triggers::event_triggers(&mut cx, spec, &functions);
    let views = views::resolve(&mut cx, spec, &tables);
    let sequences = sequences::resolve(&mut cx, spec, &tables);
    let samples = testing::samples(&mut cx, spec);

    let mut diagnostics = cx.diagnostics;
    in_file_order(&mut diagnostics);
    let declaration = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        let (identities, tests) = testing::identities_and_tests(spec);
        let database = &spec.project.1.database;
        Some(Declaration {
            schemas: declared_schemas,
            roles: declared_roles,
            types,
            functions,
            tables,
            triggers,
            event_triggers,
            views,
            sequences,
            dev_setup,
            dev_url: database.dev_url.as_ref().map(|u| u.get_ref().clone()),
            url_env: database.url_env.as_ref().map(|u| u.get_ref().clone()),
            manage_roles: spec.project.1.project.get_ref().manage_roles,
            tenancy: testing::tenancy(spec),
            identities,
            tests,
            extensions,
            publications,
            samples,
            audit_trail,
        })
    };
    Validated {
        declaration,
        diagnostics,
    }
}

/// A project loaded and validated: what `rlsctl validate` reports.
#[derive(Debug)]
pub struct Checked {
    /// The declaration, when there is no error.
    pub declaration: Option<Declaration>,
    /// Every finding of loading and validation, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The files, for rendering the findings.
    pub sources: Sources,
}

/// Loads and validates the project in `root`. When files had shape errors (a
/// wrong type, a missing key) but all parsed, the rest of the project is still
/// validated, so that one run reports those errors and every other one.
pub fn check(root: &Path) -> Checked {
    match load::load(root) {
        Ok(spec) => {
            let validated = validate(&spec);
            Checked {
                declaration: validated.declaration,
                diagnostics: validated.diagnostics,
                sources: spec.sources,
            }
        }
        Err(failure) => {
            let mut diagnostics = failure.diagnostics;
            if let Some(partial) = &failure.partial {
                diagnostics.extend(validate(partial).diagnostics);
                in_file_order(&mut diagnostics);
            }
            Checked {
                declaration: None,
                diagnostics,
                sources: failure.sources,
            }
        }
    }
}

fn in_file_order(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by_key(|d| {
        d.location
            .as_ref()
            .map(|l| (l.file, l.span.start))
            .unwrap_or((super::diagnostic::FileId(0), 0))
    });
    diagnostics.dedup();
}
