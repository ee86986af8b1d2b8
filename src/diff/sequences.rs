//! Sequences: standalone ones the project declares (`[sequences]`) and those serial
//! columns own. Identity sequences belong to their column (`columns` adds and drops
//! identities); here an identity that takes over an existing column is continued
//! from the column's values, so that the next insert does not collide. Options
//! change with ALTER SEQUENCE, which never resets the current value; a sequence
//! that goes loses its counter, which is state: a data-loss hazard, also for a
//! standalone sequence of an owned schema that the declaration does not name.

use super::grants::{self, Kind};
use super::render::comment;
use super::{Action, Change, Hazard, Options, Phase, owned};
use crate::catalog::{Catalog, Sequence, SequenceOwner};
use crate::sql::{QualifiedName, dollar_quote, quote_ident, quote_literal};

pub(super) fn diff(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    let mut matched: Vec<&QualifiedName> = Vec::new();
    for want in desired
        .sequences
        .iter()
        .filter(|s| owned(&s.name, options) && !is_identity(s))
    {
        match counterpart(current, want) {
            None => create(want, changes),
            Some(have) => {
                matched.push(&have.name);
                alter(have, want, changes);
            }
        }
    }
    for have in current
        .sequences
        .iter()
        .filter(|s| owned(&s.name, options) && !is_identity(s) && !matched.contains(&&s.name))
    {
        // Standalone and undeclared: dropped, its counter with it.
        let Some(owner) = &have.owned_by else {
            changes.push(
                Change::new(Action::Drop, format!("sequence {}", have.name))
                    .hazard(counter_lost(have))
                    .step(Phase::DropTables, format!("DROP SEQUENCE {}", have.name)),
            );
            continue;
        };
        // Its column or table goes, and takes the sequence with it.
        let Some(column) = desired
            .table(&owner.table)
            .and_then(|t| t.column(&owner.column))
        else {
            continue;
        };
        // An identity takes over the column: `takeovers` continues and drops it.
        if column.identity.is_some() {
            continue;
        }
        changes.push(
            Change::new(Action::Drop, format!("sequence {}", have.name))
                .hazard(counter_lost(have))
                .step(
                    Phase::SequenceOwners,
                    format!("DROP SEQUENCE {}", have.name),
                ),
        );
    }
    takeovers(current, desired, options, changes);
}

fn is_identity(s: &Sequence) -> bool {
    s.owned_by.as_ref().is_some_and(|o| o.identity)
}

fn counter_lost(s: &Sequence) -> Hazard {
    Hazard::DataLoss(format!(
        "sequence {} and its counter (the current value) are deleted",
        s.name
    ))
}

/// The target's sequence that `want` is: the one of that name, else the one its
/// column owns (serial sequences are named after their table and column).
fn counterpart<'a>(current: &'a Catalog, want: &Sequence) -> Option<&'a Sequence> {
    current
        .sequence(&want.name)
        .filter(|s| !is_identity(s))
        .or_else(|| {
            let owner = want.owned_by.as_ref()?;
            current
                .sequences
                .iter()
                .find(|s| !is_identity(s) && same_owner(s.owned_by.as_ref(), Some(owner)))
        })
}

fn same_owner(a: Option<&SequenceOwner>, b: Option<&SequenceOwner>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.table == b.table && a.column == b.column,
        _ => false,
    }
}

/// `AS type INCREMENT BY ... CYCLE`: every option, as the catalog holds it.
fn options_sql(s: &Sequence) -> String {
    format!(
        "AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}",
        s.data_type,
        s.increment,
        s.min_value,
        s.max_value,
        s.start,
        s.cache,
        if s.cycle { "CYCLE" } else { "NO CYCLE" }
    )
}

fn owned_by_sql(s: &Sequence) -> String {
    format!(
        "ALTER SEQUENCE {} OWNED BY {}",
        s.name,
        s.owned_by.as_ref().map_or_else(
            || "NONE".to_string(),
            |o| format!("{}.{}", o.table, quote_ident(&o.column))
        )
    )
}

fn create(want: &Sequence, changes: &mut Vec<Change>) {
    let mut change = Change::new(Action::Create, format!("sequence {}", want.name)).step(
        Phase::Sequences,
        format!("CREATE SEQUENCE {} {}", want.name, options_sql(want)),
    );
    if want.owned_by.is_some() {
        change = change.step(Phase::SequenceOwners, owned_by_sql(want));
    }
    if let Some(c) = &want.comment {
        change = change.step(
            Phase::Comments,
            comment(&format!("SEQUENCE {}", want.name), Some(c)),
        );
    }
    for sql in grants::grant_all(
        &format!("SEQUENCE {}", want.name),
        &grants::effective(&want.acl, Kind::Sequence),
    ) {
        change = change.step(Phase::Grants, sql);
    }
    changes.push(change);
}

fn alter(have: &Sequence, want: &Sequence, changes: &mut Vec<Change>) {
    let name = &want.name;
    if have.name != want.name {
        changes.push(
            Change::new(Action::Rename, format!("sequence {}", have.name))
                .detail(format!("renamed to {}", want.name))
                .step(
                    Phase::Renames,
                    format!(
                        "ALTER SEQUENCE {} RENAME TO {}",
                        have.name,
                        quote_ident(&want.name.name)
                    ),
                ),
        );
    }
    let differences = option_changes(have, want);
    if !differences.is_empty() {
        let clauses: Vec<&str> = differences.iter().map(|(_, sql)| sql.as_str()).collect();
        let words: Vec<&str> = differences.iter().map(|(word, _)| word.as_str()).collect();
        let mut change = Change::new(Action::Alter, format!("sequence {name}"))
            .detail(words.join(", "))
            .step(
                Phase::Sequences,
                format!("ALTER SEQUENCE {name} {}", clauses.join(" ")),
            );
        if narrows(have, want) {
            change = change.hazard(Hazard::MayFail(
                "fails if the current value is outside the new range".into(),
            ));
        }
        changes.push(change);
    }
    if !same_owner(have.owned_by.as_ref(), want.owned_by.as_ref()) {
        changes.push(
            Change::new(Action::Alter, format!("sequence {name}"))
                .detail(match &want.owned_by {
                    Some(o) => format!("owned by {}.{}", o.table, quote_ident(&o.column)),
                    None => "owned by no column".to_string(),
                })
                .step(Phase::SequenceOwners, owned_by_sql(want)),
        );
    }
    if have.comment != want.comment {
        changes.push(
            Change::new(Action::Alter, format!("comment on sequence {name}")).step(
                Phase::Comments,
                comment(&format!("SEQUENCE {name}"), want.comment.as_deref()),
            ),
        );
    }
    grants::diff(
        &format!("sequence {name}"),
        &format!("SEQUENCE {name}"),
        &grants::effective(&have.acl, Kind::Sequence),
        &grants::effective(&want.acl, Kind::Sequence),
        None,
        changes,
    );
}

/// The options that differ, as (words, clause); never `RESTART`, so that the
/// current value is kept.
fn option_changes(have: &Sequence, want: &Sequence) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut differ = |what: &str, a: String, b: String, clause: String| {
        if a != b {
            out.push((format!("{what} {a} → {b}"), clause));
        }
    };
    differ(
        "type",
        have.data_type.clone(),
        want.data_type.clone(),
        format!("AS {}", want.data_type),
    );
    differ(
        "increment",
        have.increment.to_string(),
        want.increment.to_string(),
        format!("INCREMENT BY {}", want.increment),
    );
    differ(
        "min",
        have.min_value.to_string(),
        want.min_value.to_string(),
        format!("MINVALUE {}", want.min_value),
    );
    differ(
        "max",
        have.max_value.to_string(),
        want.max_value.to_string(),
        format!("MAXVALUE {}", want.max_value),
    );
    differ(
        "start",
        have.start.to_string(),
        want.start.to_string(),
        format!("START WITH {}", want.start),
    );
    differ(
        "cache",
        have.cache.to_string(),
        want.cache.to_string(),
        format!("CACHE {}", want.cache),
    );
    differ(
        "cycle",
        have.cycle.to_string(),
        want.cycle.to_string(),
        if want.cycle { "CYCLE" } else { "NO CYCLE" }.to_string(),
    );
    out
}

/// The range shrinks (or the type does), so the current value may fall outside it.
fn narrows(have: &Sequence, want: &Sequence) -> bool {
    want.min_value > have.min_value || want.max_value < have.max_value
}

/// Identities added to existing columns: the identity's sequence continues after
/// the values the column holds (and after the serial sequence it replaces, which is
/// then dropped unless something else still uses it), so that the next insert does
/// not collide with an existing row.
fn takeovers(current: &Catalog, desired: &Catalog, options: &Options, changes: &mut Vec<Change>) {
    for want in desired
        .sequences
        .iter()
        .filter(|s| owned(&s.name, options) && is_identity(s))
    {
        let Some(owner) = &want.owned_by else {
            continue;
        };
        let Some(column) = current
            .table(&owner.table)
            .and_then(|t| t.column(&owner.column))
        else {
            continue;
        };
        if column.identity.is_some() {
            continue;
        }
        let old = current
            .sequences
            .iter()
            .find(|s| !is_identity(s) && same_owner(s.owned_by.as_ref(), Some(owner)));
        let col = quote_ident(&owner.column);
        let table = &owner.table;
        let identity = format!(
            "pg_get_serial_sequence({}, {})",
            quote_literal(&table.to_string()),
            quote_literal(&owner.column)
        );
        let largest = format!(
            "greatest((SELECT coalesce(max({col}), 0) + 1 FROM {table}), {})",
            want.min_value
        );
        match old {
            Some(old) => {
                // The old sequence is detached (and renamed when the identity's
                // sequence would take its name) before the identity is added.
                let kept = if old.name.name == want.name.name {
                    QualifiedName::new(&old.name.schema, retired_name(&old.name.name))
                } else {
                    old.name.clone()
                };
                let mut change = Change::new(Action::Drop, format!("sequence {}", old.name))
                    .detail(format!(
                        "replaced by the identity of {table}.{col}, which continues from its next value"
                    ))
                    .step(
                        Phase::Renames,
                        format!("ALTER SEQUENCE {} OWNED BY NONE", old.name),
                    );
                if kept != old.name {
                    change = change.step(
                        Phase::Renames,
                        format!(
                            "ALTER SEQUENCE {} RENAME TO {}",
                            old.name,
                            quote_ident(&kept.name)
                        ),
                    );
                }
                let next = format!("nextval({}::regclass)", quote_literal(&kept.to_string()));
                let value = if want.increment > 0 {
                    format!("greatest({next}, {largest})")
                } else {
                    next
                };
                changes.push(
                    change
                        .step(
                            Phase::SequenceOwners,
                            format!("SELECT setval({identity}, {value}, false)"),
                        )
                        .step(Phase::SequenceOwners, drop_unless_used(&kept)),
                );
            }
            None if want.increment > 0 => changes.push(
                Change::new(Action::Alter, format!("identity of column {table}.{col}"))
                    .detail("continues after the column's largest value")
                    .step(
                        Phase::SequenceOwners,
                        format!("SELECT setval({identity}, {largest}, false)"),
                    ),
            ),
            None => {}
        }
    }
}

/// `name_old`, within PostgreSQL's 63 bytes.
fn retired_name(name: &str) -> String {
    let mut cut = name.len().min(59);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_old", &name[..cut])
}

/// Drops a sequence unless a default, view or function still uses it (a normal
/// dependency in `pg_depend`): a sequence another column shares stays, unowned.
fn drop_unless_used(name: &QualifiedName) -> String {
    let body = format!(
        " BEGIN IF NOT EXISTS (SELECT FROM pg_depend WHERE refclassid = 'pg_class'::regclass AND refobjid = {}::regclass AND deptype = 'n') THEN DROP SEQUENCE {name}; END IF; END ",
        quote_literal(&name.to_string())
    );
    format!("DO {}", dollar_quote(&body))
}

#[cfg(test)]
mod tests {
    use super::{narrows, option_changes, retired_name};
    use crate::catalog::{Acl, Sequence};
    use crate::sql::QualifiedName;

    fn sequence() -> Sequence {
        Sequence {
            name: QualifiedName::new("app", "s"),
            owner: "o".into(),
            data_type: "bigint".into(),
            start: 1,
            increment: 1,
            min_value: 1,
            max_value: i64::MAX,
            cache: 1,
            cycle: false,
            owned_by: None,
            acl: Acl::Default,
            comment: None,
        }
    }

    #[test]
    fn option_changes_never_restart_and_list_only_what_differs() {
        let have = sequence();
        assert!(option_changes(&have, &have).is_empty());
        let want = Sequence {
            increment: 10,
            cycle: true,
            ..sequence()
        };
        let clauses: Vec<String> = option_changes(&have, &want)
            .into_iter()
            .map(|(_, sql)| sql)
            .collect();
        assert_eq!(clauses, ["INCREMENT BY 10", "CYCLE"]);
        assert!(!clauses.iter().any(|c| c.contains("RESTART")));
    }

    #[test]
    fn a_smaller_range_may_fail_and_a_larger_one_cannot() {
        let have = sequence();
        let lower_max = Sequence {
            max_value: 1000,
            ..sequence()
        };
        assert!(narrows(&have, &lower_max));
        assert!(!narrows(&lower_max, &have));
        assert!(!narrows(&have, &have));
    }

    #[test]
    fn retired_names_fit_an_identifier() {
        assert_eq!(retired_name("notes_id_seq"), "notes_id_seq_old");
        let long = "é".repeat(40);
        let retired = retired_name(&long);
        assert!(retired.len() <= 63, "{}", retired.len());
        assert!(retired.ends_with("_old"));
    }
}
