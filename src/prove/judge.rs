//! Judging a refused probe statement: a refusal is a denial (PASS, the error
//! shown) unless it breaks requests that should work; and which tenant values
//! are the principal's own (its tenant and its personal account).

use super::impersonate::Principal;
use super::outcome::Verdict;
use super::session::Failure;

/// What kind of statement was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Statement {
    /// A `SELECT` (or a function call): any error but a denial is unexpected.
    Read,
    /// A write: a constraint refusing it is also a denial of that write.
    Write,
}

/// The verdict of a probe statement that PostgreSQL refused, and the sentence saying why.
///
/// A principal without a context (no, empty or stale settings) that gets an
/// error from a cast of the unset context (`''::uuid`: 22P02), an unknown
/// setting (42704) or a helper that raises (P0001) is refused: the schema fails
/// closed, which is correct. The same errors for a user who carries its
/// context break legitimate requests, and stay ERROR; so do recursion in a
/// policy (42P17), timeouts and internal errors for everyone.
pub(super) fn refused(
    f: &Failure,
    principal: &Principal,
    statement: Statement,
) -> (Verdict, String) {
    if f.is_denial() {
        return (Verdict::Pass, format!("denied: {} ({})", f.message, f.code));
    }
    if principal.tenant.is_none() && fails_closed(&f.code) {
        return (
            Verdict::Pass,
            format!(
                "denied (fails closed without a context): {} ({})",
                f.message, f.code
            ),
        );
    }
    if f.is_availability() || statement == Statement::Read {
        return (
            Verdict::Error(f.code.clone()),
            format!("failed: {} ({})", f.message, f.code),
        );
    }
    (
        Verdict::Pass,
        format!("refused: {} ({})", f.message, f.code),
    )
}

/// SQLSTATEs by which a missing context refuses a request.
fn fails_closed(code: &str) -> bool {
    matches!(
        code,
        "22P02" | "22004" | "22023" | "42704" | "P0001" | "28000"
    ) || code.starts_with("22")
}

/// The tenant values whose rows are the principal's own: its tenant, its
/// personal account (a tenant whose id is the user's id) and the other tenants
/// it is a member of. Empty for the synthetic principals, who own nothing.
pub(super) fn own_values(principal: &Principal) -> Vec<String> {
    principal
        .tenant
        .iter()
        .chain(principal.user.iter())
        .chain(principal.also.iter())
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prove::impersonate::Context;
    use crate::spec::declaration::Impersonation;

    fn failure(code: &str) -> Failure {
        Failure {
            code: code.into(),
            message: "m".into(),
        }
    }

    #[test]
    fn an_unset_context_failing_a_cast_is_a_denial_only_without_a_context() {
        let profile = Impersonation::default();
        let none = Principal::synthetic(Context::Empty, &profile, "r");
        let user = Principal::user("user of A", &profile, Some("r"), "a", "u");
        let (v, why) = refused(&failure("22P02"), &none, Statement::Read);
        assert_eq!(v, Verdict::Pass, "{why}");
        assert!(why.contains("fails closed"), "{why}");
        let (v, _) = refused(&failure("22P02"), &user, Statement::Read);
        assert_eq!(v, Verdict::Error("22P02".into()));
        let (v, _) = refused(&failure("42P17"), &none, Statement::Write);
        assert_eq!(v, Verdict::Error("42P17".into()));
        let (v, _) = refused(&failure("42501"), &user, Statement::Read);
        assert_eq!(v, Verdict::Pass);
        let (v, _) = refused(&failure("23505"), &user, Statement::Write);
        assert_eq!(v, Verdict::Pass);
    }

    #[test]
    fn a_users_own_values_include_its_personal_account() {
        let profile = Impersonation::default();
        let user = Principal::user("user of A", &profile, Some("r"), "a", "u");
        assert_eq!(own_values(&user), vec!["a".to_string(), "u".to_string()]);
        let none = Principal::synthetic(Context::None, &profile, "r");
        assert!(own_values(&none).is_empty());
    }
}
