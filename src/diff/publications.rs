//! Declared publications (logical replication, Supabase realtime): created,
//! tables added and removed, published operations changed. Only tables of the
//! owned schemas are compared; a publication the project does not declare is
//! left alone (listed as unmanaged when it publishes an owned table).

use super::{Action, Change, Hazard, Options, Phase, owned};
use crate::catalog::{Catalog, Publication};
use crate::sql::{quote_ident, quote_literal};

pub(super) fn diff(
    current: &Catalog,
    desired: &Catalog,
    options: &Options,
    changes: &mut Vec<Change>,
) {
    for want in desired
        .publications
        .iter()
        .filter(|p| options.publications.contains(&p.name))
    {
        let name = quote_ident(&want.name);
        let object = format!("publication {name}");
        let Some(have) = current.publications.iter().find(|p| p.name == want.name) else {
            changes
                .push(Change::new(Action::Create, object).step(Phase::Publications, create(want)));
            continue;
        };
        if have.all_tables != want.all_tables {
            // FOR ALL TABLES cannot be added or removed by ALTER PUBLICATION.
            changes.push(
                Change::new(Action::Alter, object)
                    .detail(if want.all_tables { "for all tables" } else { "for listed tables" })
                    .hazard(Hazard::BreaksDependents(format!(
                        "publication {name} is dropped and created again: subscriptions to it miss the changes made meanwhile"
                    )))
                    .step(Phase::Publications, format!("DROP PUBLICATION {name}"))
                    .step(Phase::Publications, create(want)),
            );
            continue;
        }
        let added: Vec<String> = want
            .tables
            .iter()
            .filter(|t| owned(t, options) && !have.tables.contains(t))
            .map(|t| t.to_string())
            .collect();
        let removed: Vec<String> = have
            .tables
            .iter()
            .filter(|t| owned(t, options) && !want.tables.contains(t))
            .map(|t| t.to_string())
            .collect();
        if !added.is_empty() {
            changes.push(
                Change::new(Action::Alter, object.clone())
                    .detail(format!("add {}", added.join(", ")))
                    .step(
                        Phase::Publications,
                        format!("ALTER PUBLICATION {name} ADD TABLE {}", added.join(", ")),
                    ),
            );
        }
        if !removed.is_empty() {
            changes.push(
                Change::new(Action::Alter, object.clone())
                    .detail(format!("drop {}", removed.join(", ")))
                    .hazard(Hazard::BreaksDependents(format!(
                        "subscribers of {name} (Supabase realtime clients) stop receiving changes of {}",
                        removed.join(", ")
                    )))
                    .step(
                        Phase::Publications,
                        format!("ALTER PUBLICATION {name} DROP TABLE {}", removed.join(", ")),
                    ),
            );
        }
        if have.publish != want.publish {
            let lost: Vec<&str> = have
                .publish
                .iter()
                .filter(|op| !want.publish.contains(op))
                .map(String::as_str)
                .collect();
            let mut change = Change::new(Action::Alter, object)
                .detail(format!(
                    "publish {} → {}",
                    have.publish.join(", "),
                    want.publish.join(", ")
                ))
                .step(
                    Phase::Publications,
                    format!(
                        "ALTER PUBLICATION {name} SET (publish = {})",
                        quote_literal(&want.publish.join(", "))
                    ),
                );
            if !lost.is_empty() {
                change = change.hazard(Hazard::BreaksDependents(format!(
                    "subscribers of {name} stop receiving {} events",
                    lost.join(", ")
                )));
            }
            changes.push(change);
        }
    }
}

fn create(p: &Publication) -> String {
    let mut sql = format!("CREATE PUBLICATION {}", quote_ident(&p.name));
    if p.all_tables {
        sql.push_str(" FOR ALL TABLES");
    } else if !p.tables.is_empty() {
        let tables: Vec<String> = p.tables.iter().map(|t| t.to_string()).collect();
        sql.push_str(&format!(" FOR TABLE {}", tables.join(", ")));
    }
    sql.push_str(&format!(
        " WITH (publish = {})",
        quote_literal(&p.publish.join(", "))
    ));
    sql
}

/// Publications the project does not declare that publish a table of an owned schema.
pub(super) fn undeclared<'a>(
    current: &'a Catalog,
    options: &'a Options,
) -> impl Iterator<Item = &'a Publication> {
    current.publications.iter().filter(|p| {
        !options.publications.contains(&p.name) && p.tables.iter().any(|t| owned(t, options))
    })
}
