//! Functions: created, replaced in place, or dropped (after the policies that use
//! them are gone).

use super::grants::{self, Kind};
use super::render::{comment, create_function, function_signature};
use super::{Action, Change, Options, Phase, owned};
use crate::catalog::{Catalog, Function};

pub(super) fn diff(current: &Catalog, desired: &Catalog, options: &Options, changes: &mut Vec<Change>) {
    for want in desired.functions.iter().filter(|f| owned(&f.name, options)) {
        let signature = function_signature(want);
        let object = format!("function {signature}");
        let have = current
            .functions
            .iter()
            .find(|f| f.name == want.name && f.identity_arguments == want.identity_arguments);
        match have {
            None => {
                let mut change = Change::new(Action::Create, object).step(Phase::Functions, create_function(want));
                if let Some(c) = &want.comment {
                    change = change.step(Phase::Comments, comment(&format!("FUNCTION {signature}"), Some(c)));
                }
                let held = grants::effective(&want.acl, Kind::Function);
                if !held.contains(&(crate::catalog::Grantee::Public, crate::catalog::Privilege::Execute, false)) {
                    change = change.step(Phase::Grants, format!("REVOKE ALL ON FUNCTION {signature} FROM PUBLIC"));
                }
                for sql in grants::grant_all(&format!("FUNCTION {signature}"), &held) {
                    change = change.step(Phase::Grants, sql);
                }
                changes.push(change);
            }
            Some(have) => {
                let differences = definition_differences(have, want);
                if !differences.is_empty() {
                    let mut change = Change::new(Action::Alter, object.clone()).detail(differences.join(", "));
                    if have.result != want.result || have.kind != want.kind || have.arguments != want.arguments {
                        // CREATE OR REPLACE cannot change the result type, nor
                        // rename arguments or remove their defaults.
                        change = change
                            .step(Phase::DropConstraints, format!("DROP FUNCTION {signature}"))
                            .hazard(super::Hazard::MayFail(
                                "the result type or arguments changed: the function is dropped and created again, which fails while policies or defaults use it".to_string(),
                            ));
                    }
                    changes.push(change.step(Phase::Functions, create_function(want)));
                }
                if have.comment != want.comment {
                    changes.push(
                        Change::new(Action::Alter, format!("comment on {object}"))
                            .step(Phase::Comments, comment(&format!("FUNCTION {signature}"), want.comment.as_deref())),
                    );
                }
                grants::diff(
                    &object,
                    &format!("FUNCTION {signature}"),
                    &grants::effective(&have.acl, Kind::Function),
                    &grants::effective(&want.acl, Kind::Function),
                    false,
                    changes,
                );
            }
        }
    }
    for have in current.functions.iter().filter(|f| owned(&f.name, options)) {
        let wanted = desired
            .functions
            .iter()
            .any(|f| f.name == have.name && f.identity_arguments == have.identity_arguments);
        if !wanted {
            let signature = function_signature(have);
            changes.push(
                Change::new(Action::Drop, format!("function {signature}"))
                    .step(Phase::DropFunctions, format!("DROP FUNCTION {signature}")),
            );
        }
    }
}

fn definition_differences(have: &Function, want: &Function) -> Vec<&'static str> {
    let mut out = Vec::new();
    if have.body != want.body {
        out.push("body");
    }
    if have.arguments != want.arguments {
        out.push("argument names or defaults");
    }
    if have.result != want.result {
        out.push("result type");
    }
    if have.language != want.language {
        out.push("language");
    }
    if have.volatility != want.volatility {
        out.push("volatility");
    }
    if have.security_definer != want.security_definer {
        out.push("security");
    }
    if have.strict != want.strict {
        out.push("strictness");
    }
    if have.leakproof != want.leakproof {
        out.push("leakproof");
    }
    if have.parallel != want.parallel {
        out.push("parallel safety");
    }
    if have.config != want.config {
        out.push("settings");
    }
    out
}
