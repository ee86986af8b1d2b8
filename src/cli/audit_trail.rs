//! What `audit` knows of a declared audit trail (issue 15): its triggers run a
//! SECURITY DEFINER function on RLS tables by design (BYP009 warns on that in
//! general), and its append policy admits PUBLIC's trigger-run inserts (POL003,
//! POL011, POL016 warn on such a policy in general), so their findings are accepted with the reason, and listed as
//! suppressed. The trail itself is proven by `rlsctl test`'s integrity probes, and
//! AUD001-AUD004 still check the log and its function.

use crate::audit::Suppression;
use crate::spec::Declaration;
use crate::spec::declaration::AUDIT_TRIGGER;
use crate::spec::resolve::APPEND_POLICY;
use crate::sql::quote_ident;

/// The accepted findings of the declaration's audit trail, by key.
pub(super) fn declared_suppressions(declaration: &Declaration) -> Vec<Suppression> {
    let Some(trail) = &declaration.audit_trail else {
        return Vec::new();
    };
    let mut out: Vec<Suppression> = trail
        .audited
        .iter()
        .map(|(table, _)| Suppression {
            key: format!("BYP009:{table}:{AUDIT_TRIGGER}"),
            reason: format!(
                "the declared audit trail: {} runs as its owner only to append to {} (search_path pinned, no EXECUTE for PUBLIC; proven by rlsctl test)",
                trail.function, trail.log
            ),
        })
        .collect();
    // The append policy admits the trigger (`pg_trigger_depth() > 0`) for whoever
    // owns the function; clients hold no INSERT on the log (AUD002 checks that).
    let append = format!("{}.{}", trail.log, quote_ident(APPEND_POLICY));
    for key in [
        format!("POL003:{append}"),
        format!("POL011:{append}:WITH CHECK"),
        format!("POL016:{append}"),
    ] {
        out.push(Suppression {
            key,
            reason: format!(
                "the declared audit trail's append policy: only {}'s trigger inserts; clients hold no INSERT on {} (AUD002 checks it; proven by rlsctl test)",
                trail.function, trail.log
            ),
        });
    }
    out
}
