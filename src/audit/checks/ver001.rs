//! VER001 `server_has_rls_cves` (RLS-SEMANTICS 6.7, L34): the server's minor
//! release lacks fixes for RLS-relevant CVEs. ERROR for CVE-2024-10976 and
//! CVE-2023-2455 (wrong policy after a role change), WARN for CVE-2025-8713
//! (statistics leak) and CVE-2023-39418 (MERGE skipped new-row checks).

use super::{Check, Context};
use crate::audit::{Finding, Level};

/// The check.
pub const CHECK: Check = Check {
    id: "VER001",
    name: "server_has_rls_cves",
    level: Level::Error,
    summary: "server minor release lacks RLS security fixes",
    run,
};

/// For each major release, the first minor release with the fix.
type Fixed = &'static [(i32, i32)];

/// (CVE, level, where it is fixed).
const CVES: &[(&str, Level, Fixed)] = &[
    ("CVE-2023-2455", Level::Error, &[(15, 3), (14, 8), (13, 11)]),
    ("CVE-2023-39418", Level::Warn, &[(15, 4)]),
    (
        "CVE-2024-10976",
        Level::Error,
        &[(17, 1), (16, 5), (15, 9), (14, 14), (13, 17)],
    ),
    (
        "CVE-2025-8713",
        Level::Warn,
        &[(17, 6), (16, 10), (15, 14), (14, 19), (13, 22)],
    ),
];

/// The CVEs a server version lacks the fix for: (CVE, level, fixed in minor).
fn outdated(version_num: i32) -> Vec<(&'static str, Level, i32)> {
    let (major, minor) = (version_num / 10_000, version_num % 10_000);
    CVES.iter()
        .filter_map(|(cve, level, fixed)| {
            let (_, first) = fixed.iter().find(|(m, _)| *m == major)?;
            (minor < *first).then_some((*cve, *level, *first))
        })
        .collect()
}

fn run(cx: &Context<'_>) -> Vec<Finding> {
    let v = cx.catalog.server_version_num;
    let (major, minor) = (v / 10_000, v % 10_000);
    outdated(v)
        .into_iter()
        .map(|(cve, level, first)| {
            CHECK.finding(
                level,
                &"server",
                Some(cve),
                format!("PostgreSQL {major}.{minor} predates the {cve} fix ({major}.{first})"),
                Some(format!("-- upgrade to the latest {major}.x minor release")),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_minor_releases_have_the_cves_and_new_ones_do_not() {
        let old = outdated(150_002);
        assert!(old.contains(&("CVE-2023-2455", Level::Error, 3)));
        assert!(old.contains(&("CVE-2024-10976", Level::Error, 9)));
        assert!(old.contains(&("CVE-2025-8713", Level::Warn, 14)));
        assert_eq!(outdated(150_010), vec![("CVE-2025-8713", Level::Warn, 14)]);
        assert!(outdated(150_018).is_empty());
        assert!(outdated(180_001).is_empty());
    }
}
