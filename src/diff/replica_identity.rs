//! `REPLICA IDENTITY` of a table: what logical replication (Supabase realtime)
//! sends to identify an updated or deleted row.

use super::{Action, Change, Hazard, Phase};
use crate::catalog::{ReplicaIdentity, Table};
use crate::sql::quote_ident;

/// The change of `want`'s replica identity from `have`'s (PostgreSQL's default
/// for a new table).
pub(super) fn diff(have: Option<&Table>, want: &Table, changes: &mut Vec<Change>) {
    let before = have.map_or(&ReplicaIdentity::Default, |h| &h.replica_identity);
    if before == &want.replica_identity {
        return;
    }
    let table = &want.name;
    let mut change = Change::new(Action::Alter, format!("replica identity of {table}"))
        .detail(format!(
            "{} → {}",
            words(before),
            words(&want.replica_identity)
        ))
        .step(
            Phase::ReplicaIdentity,
            format!(
                "ALTER TABLE {table} REPLICA IDENTITY {}",
                sql(&want.replica_identity)
            ),
        );
    if want.replica_identity == ReplicaIdentity::Nothing {
        change = change.hazard(Hazard::MayFail(format!(
            "UPDATE and DELETE on {table} fail while a publication that publishes them includes it"
        )));
    }
    changes.push(change);
}

fn sql(ri: &ReplicaIdentity) -> String {
    match ri {
        ReplicaIdentity::Default => "DEFAULT".to_string(),
        ReplicaIdentity::Full => "FULL".to_string(),
        ReplicaIdentity::Nothing => "NOTHING".to_string(),
        ReplicaIdentity::Index(index) => format!("USING INDEX {}", quote_ident(index)),
    }
}

fn words(ri: &ReplicaIdentity) -> String {
    match ri {
        ReplicaIdentity::Index(index) => format!("index {}", quote_ident(index)),
        other => sql(other).to_lowercase(),
    }
}
