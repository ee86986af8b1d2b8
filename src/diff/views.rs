//! Declared views and materialized views: created, replaced in place (CREATE OR
//! REPLACE VIEW, when only columns are appended), altered (options, comment,
//! grants, a materialized view's indexes), or dropped and created again: when
//! PostgreSQL cannot replace the query, when a column or table they read
//! changes (dependents first, from the target's `pg_depend`), or when a view
//! they read is rebuilt. Views are listed in the order they are created (each
//! after the views it reads); `plan` drops them in the reverse order.
//! Undeclared views of the owned schemas are dropped, as undeclared functions
//! are: a hazard naming their dependents that `apply` refuses without
//! `--allow-destructive`.

use std::collections::{BTreeMap, BTreeSet};

use super::dependencies::{self, harm_reason, managed};
use super::grants::{self, Kind};
use super::render::comment;
use super::{Action, Change, Hazard, Options, Phase, owned};
use crate::catalog::{Catalog, Grantee, Privilege, QualifiedName, View, ViewKind};
use crate::sql::{quote_ident, quote_literal};

/// View changes, in creation order.
pub(super) fn diff(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    let declared: Vec<QualifiedName> = desired
        .views
        .iter()
        .filter(|v| owned(&v.name, options))
        .map(|v| v.name.clone())
        .collect();
    let rebuilt = rebuilt(current, desired, options, &declared);
    // Undeclared views go first in the list, so that (dropped in reverse) they
    // drop after the declared views that read them are dropped to be rebuilt.
    let undeclared: Vec<QualifiedName> = current
        .views
        .iter()
        .filter(|v| owned(&v.name, options) && desired.view(&v.name).is_none())
        .map(|v| v.name.clone())
        .collect();
    for name in dependencies::create_order(&undeclared, current) {
        if let Some(have) = current.view(&name) {
            changes.push(drop(current, desired, options, have, &undeclared, &rebuilt));
        }
    }
    for name in dependencies::create_order(&declared, desired) {
        let Some(want) = desired.view(&name) else {
            continue;
        };
        let mut own: Vec<Change> = Vec::new();
        match current.view(&name) {
            None => own.push(create(want, Action::Create, None)),
            Some(have) => match rebuilt.get(&name) {
                Some(reason) => {
                    let mut change = create(want, Action::Alter, Some(have)).detail(reason.clone());
                    for hazard in dependents_hazards(current, desired, options, have, &rebuilt) {
                        change = change.hazard(hazard);
                    }
                    own.push(change);
                }
                None => alter(have, want, &mut own),
            },
        }
        let definer = bypass(desired, want);
        let before = current
            .view(&name)
            .filter(|_| !rebuilt.contains_key(&name))
            .and_then(|have| bypass(current, have));
        let weakened = match (&definer, &before) {
            (Some(after), Some(before)) => !after.1.is_subset(&before.1),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if let (true, Some((reason, _))) = (weakened, definer)
            && let Some(first) = own.first_mut()
        {
            first.hazards.push(Hazard::RlsWeakened(reason));
        }
        changes.extend(own);
    }
}

/// The declared views that exist on the target and must be dropped and created
/// again, with the reason: their own change cannot be made in place, or they
/// read a column or table that changes, or a view that is rebuilt.
fn rebuilt(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    declared: &[QualifiedName],
) -> BTreeMap<QualifiedName, String> {
    let mut out: BTreeMap<QualifiedName, String> = BTreeMap::new();
    let existing = |name: &QualifiedName| declared.contains(name) && current.view(name).is_some();
    for name in declared {
        let (Some(have), Some(want)) = (current.view(name), desired.view(name)) else {
            continue;
        };
        let reason = if have.kind != want.kind {
            Some("its kind changes: dropped and created again".to_string())
        } else if have.definition == want.definition {
            None
        } else if want.kind == ViewKind::MaterializedView {
            Some("its query changes: dropped and created again".to_string())
        } else if !appends_only(have, want) {
            Some("its query changes its columns (PostgreSQL can only append to them): dropped and created again".to_string())
        } else {
            None
        };
        if let Some(reason) = reason {
            out.insert(name.clone(), reason);
        }
    }
    for changed in dependencies::changed_columns(current, desired, options) {
        let how = if changed.dropped {
            "is dropped"
        } else {
            "changes type"
        };
        for d in current.dependents_of(&changed.table, Some(&changed.column)) {
            if let Some(view) = d.dependent.view().filter(|v| existing(v)) {
                out.entry(view.clone()).or_insert_with(|| {
                    format!(
                        "it reads column {}.{}, which {how}: dropped before and created again after",
                        changed.table,
                        quote_ident(&changed.column)
                    )
                });
            }
        }
    }
    for table in dependencies::dropped_tables(current, desired, options) {
        for d in current.dependents_of(&table, None) {
            if let Some(view) = d.dependent.view().filter(|v| existing(v)) {
                out.entry(view.clone()).or_insert_with(|| {
                    format!("it reads table {table}, which is dropped: dropped and created again")
                });
            }
        }
    }
    // A view reading a rebuilt view is rebuilt too (DROP VIEW refuses while it exists).
    loop {
        let mut added = Vec::new();
        for view in out.keys() {
            for d in current.dependents_of(view, None) {
                if let Some(user) = d.dependent.view().filter(|v| existing(v))
                    && !out.contains_key(user)
                {
                    added.push((user.clone(), view.clone()));
                }
            }
        }
        if added.is_empty() {
            return out;
        }
        for (user, view) in added {
            out.entry(user).or_insert_with(|| {
                format!(
                    "it reads view {view}, which is rebuilt: dropped before and created again after"
                )
            });
        }
    }
}

/// An undeclared view of an owned schema, dropped: it breaks what uses it (an
/// unmanaged dependent refuses the plan; other dropped or rebuilt views go too).
fn drop(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    have: &View,
    undeclared: &[QualifiedName],
    rebuilt: &BTreeMap<QualifiedName, String>,
) -> Change {
    let what = noun(have);
    let users: Vec<_> = current.dependents_of(&have.name, None).collect();
    let reason = if users.is_empty() {
        format!(
            "the {what} exists on the target and is not declared; nothing in the database uses it, but clients reading it will fail"
        )
    } else {
        let names: BTreeSet<&str> = users.iter().map(|d| d.description.as_str()).collect();
        format!(
            "the {what} exists on the target and is not declared; used by {}",
            names.into_iter().collect::<Vec<_>>().join(", ")
        )
    };
    let mut change = Change::new(Action::Drop, format!("{what} {}", have.name))
        .hazard(Hazard::BreaksDependents(reason))
        .step(
            Phase::DropViews,
            format!("DROP {} {}", keyword(have), have.name),
        );
    let unmanaged: BTreeSet<String> = users
        .iter()
        .filter(|d| {
            d.dependent
                .view()
                .is_none_or(|v| !rebuilt.contains_key(v) && !undeclared.contains(v))
        })
        .filter(|d| !managed(d, desired, options))
        .map(|d| d.description.clone())
        .collect();
    if !unmanaged.is_empty() {
        change = change.hazard(Hazard::HarmsUnmanaged(harm_reason(
            &format!("{what} {}", have.name),
            &unmanaged,
        )));
    }
    change
}

/// True when `want`'s columns are `have`'s with more appended (same names and
/// types): what CREATE OR REPLACE VIEW accepts.
fn appends_only(have: &View, want: &View) -> bool {
    want.columns.len() >= have.columns.len() && want.columns[..have.columns.len()] == have.columns
}

/// The hazards of dropping `have` to create it again: what uses it other than
/// views rebuilt with it. An unmanaged dependent refuses the plan; a declared
/// one (a policy reading the view) would make the DROP fail.
fn dependents_hazards(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    have: &View,
    rebuilt: &BTreeMap<QualifiedName, String>,
) -> Vec<Hazard> {
    let mut out = Vec::new();
    let others: Vec<_> = current
        .dependents_of(&have.name, None)
        .filter(|d| d.dependent.view().is_none_or(|v| !rebuilt.contains_key(v)))
        .collect();
    let unmanaged: BTreeSet<String> = others
        .iter()
        .filter(|d| !managed(d, desired, options))
        .map(|d| d.description.clone())
        .collect();
    if !unmanaged.is_empty() {
        out.push(Hazard::HarmsUnmanaged(harm_reason(
            &format!("{} {}", noun(have), have.name),
            &unmanaged,
        )));
    }
    let declared: BTreeSet<String> = others
        .iter()
        .filter(|d| managed(d, desired, options))
        .map(|d| d.description.clone())
        .collect();
    if !declared.is_empty() {
        let users: Vec<&str> = declared.iter().map(String::as_str).collect();
        out.push(Hazard::MayFail(format!(
            "dropping it fails while {} uses it",
            users.join(", ")
        )));
    }
    if have.kind == ViewKind::MaterializedView {
        out.push(Hazard::LongLock(
            "the materialized view is dropped and created again: its query runs in full, and it is unavailable until the transaction commits".to_string(),
        ));
    }
    out
}

/// A new view, or (with `have`) one dropped and created again: the DROP, the
/// CREATE, its indexes, comment and grants.
fn create(want: &View, action: Action, have: Option<&View>) -> Change {
    let mut change = Change::new(action, format!("{} {}", noun(want), want.name));
    if let Some(have) = have {
        change = change
            .text("definition", Some(&have.definition), Some(&want.definition))
            .step(
                Phase::DropViews,
                format!("DROP {} {}", keyword(have), have.name),
            );
    }
    change = change.step(Phase::CreateViews, create_sql(want, false));
    for index in &want.indexes {
        change = change.step(Phase::CreateViews, index.definition.clone());
    }
    if let Some(c) = &want.comment {
        change = change.step(
            Phase::Comments,
            comment(&format!("{} {}", keyword(want), want.name), Some(c)),
        );
    }
    let target = format!("TABLE {}", want.name);
    for sql in grants::grant_all(&target, &grants::effective(&want.acl, Kind::Table)) {
        change = change.step(Phase::Grants, sql);
    }
    for column_grant in &want.column_grants {
        let g = &column_grant.grant;
        change = change.step(
            Phase::Grants,
            format!(
                "GRANT {} ({}) ON {target} TO {}{}",
                g.privilege.as_sql(),
                quote_ident(&column_grant.column),
                g.grantee,
                if g.grantable {
                    " WITH GRANT OPTION"
                } else {
                    ""
                }
            ),
        );
    }
    change
}

/// A view kept in place: its query replaced, options, indexes, comment, grants.
fn alter(have: &View, want: &View, changes: &mut Vec<Change>) {
    let object = format!("{} {}", noun(want), want.name);
    if have.definition != want.definition {
        // Only views get here (a materialized view's new query rebuilds it);
        // CREATE OR REPLACE sets the options too.
        changes.push(
            Change::new(Action::Alter, object.clone())
                .detail("query replaced in place (columns appended)")
                .text("definition", Some(&have.definition), Some(&want.definition))
                .step(Phase::CreateViews, create_sql(want, true)),
        );
    } else if normalized(have) != normalized(want) {
        let (have_options, want_options) = (normalized(have), normalized(want));
        let mut change = Change::new(Action::Alter, object.clone()).detail(format!(
            "options {} → {}",
            shown(&have_options),
            shown(&want_options)
        ));
        let reset: Vec<String> = have_options
            .keys()
            .filter(|k| !want_options.contains_key(*k))
            .map(|k| quote_ident(k))
            .collect();
        if !reset.is_empty() {
            change = change.step(
                Phase::CreateViews,
                format!(
                    "ALTER {} {} RESET ({})",
                    keyword(want),
                    want.name,
                    reset.join(", ")
                ),
            );
        }
        let set: Vec<String> = want_options
            .iter()
            .filter(|(k, v)| have_options.get(*k) != Some(*v))
            .map(|(k, v)| format!("{} = {}", quote_ident(k), quote_literal(v)))
            .collect();
        if !set.is_empty() {
            change = change.step(
                Phase::CreateViews,
                format!(
                    "ALTER {} {} SET ({})",
                    keyword(want),
                    want.name,
                    set.join(", ")
                ),
            );
        }
        changes.push(change);
    }
    for index in &have.indexes {
        if !want.indexes.iter().any(|i| i == index) {
            let what = if want.indexes.iter().any(|i| i.name == index.name) {
                Action::Alter
            } else {
                Action::Drop
            };
            changes.push(
                Change::new(
                    what,
                    format!("index {} on {}", quote_ident(&index.name), want.name),
                )
                .step(
                    Phase::DropConstraints,
                    format!(
                        "DROP INDEX {}",
                        QualifiedName::new(&want.name.schema, &index.name)
                    ),
                ),
            );
        }
    }
    for index in &want.indexes {
        if !have.indexes.iter().any(|i| i == index) {
            let object = format!("index {} on {}", quote_ident(&index.name), want.name);
            match changes.iter_mut().find(|c| c.object == object) {
                Some(change) => change.steps.push(super::Step {
                    phase: Phase::CreateViews,
                    sql: index.definition.clone(),
                }),
                None => changes.push(
                    Change::new(Action::Create, object)
                        .hazard(Hazard::LongLock(
                            "the index is built while writes to the materialized view (REFRESH) wait"
                                .to_string(),
                        ))
                        .step(Phase::CreateViews, index.definition.clone()),
                ),
            }
        }
    }
    if have.comment != want.comment {
        changes.push(
            Change::new(Action::Alter, format!("comment on {object}")).step(
                Phase::Comments,
                comment(
                    &format!("{} {}", keyword(want), want.name),
                    want.comment.as_deref(),
                ),
            ),
        );
    }
    let target = format!("TABLE {}", want.name);
    grants::diff(
        &object,
        &target,
        &grants::effective(&have.acl, Kind::Table),
        &grants::effective(&want.acl, Kind::Table),
        None,
        changes,
    );
    grants::diff_columns(
        &object,
        &target,
        &have.column_grants,
        &want.column_grants,
        None,
        changes,
    );
}

/// `CREATE [OR REPLACE] VIEW name WITH (...) AS <definition>`, from what
/// PostgreSQL printed of the declared view.
fn create_sql(v: &View, replace: bool) -> String {
    let definition = v.definition.trim_end().trim_end_matches(';');
    let options: Vec<String> = normalized(v)
        .iter()
        .map(|(k, value)| format!("{} = {}", quote_ident(k), quote_literal(value)))
        .collect();
    let with = if options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", options.join(", "))
    };
    let or_replace = if replace { "OR REPLACE " } else { "" };
    let no_data = if v.kind == ViewKind::MaterializedView && !v.populated {
        "\nWITH NO DATA"
    } else {
        ""
    };
    format!(
        "CREATE {or_replace}{} {}{with} AS\n{definition}{no_data}",
        keyword(v),
        v.name
    )
}

/// The view's options by name, booleans spelled `true`/`false` whatever the
/// target's spelling (`on`, `1`), so that equal settings compare equal.
fn normalized(v: &View) -> BTreeMap<String, String> {
    v.options
        .iter()
        .map(|o| {
            let (key, value) = o.split_once('=').unwrap_or((o.as_str(), "true"));
            let value = match key {
                "security_invoker" => v.security_invoker.to_string(),
                "security_barrier" => v.security_barrier.to_string(),
                _ => value.to_string(),
            };
            (key.to_string(), value)
        })
        .filter(|(key, value)| {
            // An option set to false is the default: the same as none.
            !(matches!(key.as_str(), "security_invoker" | "security_barrier") && value == "false")
        })
        .collect()
}

fn shown(options: &BTreeMap<String, String>) -> String {
    if options.is_empty() {
        return "(none)".to_string();
    }
    options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// When `view` lets its grantees read a row-level-security table with its
/// owner's rights: the reason and the grantees.
fn bypass(catalog: &Catalog, view: &View) -> Option<(String, BTreeSet<Grantee>)> {
    if view.kind != ViewKind::View || view.security_invoker {
        return None;
    }
    let grantees: BTreeSet<Grantee> = grants::effective(&view.acl, Kind::Table)
        .into_iter()
        .filter(|(g, p, _)| *p == Privilege::Select && g != &Grantee::Role(view.owner.clone()))
        .map(|(g, _, _)| g)
        .collect();
    if grantees.is_empty() {
        return None;
    }
    let table = rls_table_read(catalog, view)?;
    let names: Vec<String> = grantees.iter().map(ToString::to_string).collect();
    Some((
        format!(
            "view {} runs its query as its owner {} (security_invoker is off) and reads {table}, which has row-level security: {} may read rows its policies hide; declare security_invoker = true",
            view.name,
            quote_ident(&view.owner),
            names.join(", ")
        ),
        grantees,
    ))
}

/// The first table with row-level security that `view` reads, directly or
/// through other views (which then run as `view`'s owner too).
fn rls_table_read(catalog: &Catalog, view: &View) -> Option<QualifiedName> {
    let mut seen: BTreeSet<&QualifiedName> = BTreeSet::new();
    let mut pending: Vec<&QualifiedName> = view.depends_on.iter().collect();
    while let Some(name) = pending.pop() {
        if !seen.insert(name) {
            continue;
        }
        if catalog.table(name).is_some_and(|t| t.rls_enabled) {
            return Some(name.clone());
        }
        if let Some(inner) = catalog.view(name) {
            pending.extend(inner.depends_on.iter());
        }
    }
    None
}

fn noun(v: &View) -> &'static str {
    match v.kind {
        ViewKind::View => "view",
        ViewKind::MaterializedView => "materialized view",
    }
}

fn keyword(v: &View) -> &'static str {
    match v.kind {
        ViewKind::View => "VIEW",
        ViewKind::MaterializedView => "MATERIALIZED VIEW",
    }
}
