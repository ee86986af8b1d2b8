//! POL012 `shared_role_identity_key` (RLS-SEMANTICS 6.2, L26, `[E30]`, pgrls
//! SEC018): a column compared with `current_user`/`session_user`: no isolation
//! when every request runs as one pooled role.

use super::{Check, Context};
use crate::audit::expr::Expr;
use crate::audit::policies::strip_casts;
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "POL012",
    name: "shared_role_identity_key",
    level: Level::Warn,
    summary: "row owner compared with current_user (one pooled role: every tenant sees all)",
    run,
};

fn session_role_key(e: &Expr) -> bool {
    let Expr::Op(op, args) = e else { return false };
    op == "=" && args.len() == 2 && {
        let (a, b) = (strip_casts(&args[0]), strip_casts(&args[1]));
        matches!(
            (a, b),
            (Expr::Column(_), Expr::SessionRole) | (Expr::SessionRole, Expr::Column(_))
        )
    }
}

fn run(cx: &Context<'_>) -> Vec<Finding> {
    cx.policies_where(
        &CHECK,
        |e| e.any(&session_role_key),
        "the row owner is the database role: right only for one role per tenant; under a shared pooled role every tenant sees every row",
        "-- compare with the end user's identity from the session context (app.user_id, auth.uid())",
    )
}
