//! Hazards a migration carries that its file does not say were reviewed. The
//! hazards come from diffing the catalog before and after the migration, so a
//! hand-written file is judged as one `migrate new` wrote; which of them need a
//! review is `Plan::blocking`'s rule, and a file records the review with the
//! lines `migrate new --allow-destructive` / `--allow-rls-weakening` write.

use super::files::MigrationFile;
use crate::diff::{Change, Hazard};
use crate::plan::{Allowed, Plan};

/// The line saying a migration's data loss, broken dependents and lost
/// behaviour were reviewed (`migrate new --allow-destructive` writes it).
pub const REVIEWED_DESTRUCTIVE: &str = "-- rlsctl:reviewed destructive";

/// The line saying a migration's weaker row-level security was reviewed
/// (`migrate new --allow-rls-weakening` writes it).
pub const REVIEWED_RLS_WEAKENING: &str = "-- rlsctl:reviewed rls-weakening";

/// What the file's review lines allow.
pub fn reviewed(file: &MigrationFile) -> Allowed {
    let has = |line: &str| file.text.lines().any(|l| l.trim() == line);
    Allowed {
        destructive: has(REVIEWED_DESTRUCTIVE),
        rls_weakening: has(REVIEWED_RLS_WEAKENING),
    }
}

/// The hazards of `effect` (the diff from the catalog before `file` to the one
/// after it) that need a review the file does not record. A refusal of the plan
/// itself (a step that cannot run as planned, harm to an unmanaged object) is
/// about planning, not about what a migration that ran did, so it is left out.
pub fn unreviewed<'a>(effect: &'a Plan, file: &MigrationFile) -> Vec<(&'a Change, &'a Hazard)> {
    effect
        .blocking(reviewed(file))
        .into_iter()
        .filter(|(_, h)| !matches!(h, Hazard::Refused(_) | Hazard::HarmsUnmanaged(_)))
        .collect()
}
