//! Publications (logical replication, e.g. Supabase realtime): database-wide,
//! read whatever schemas their tables are in.

use super::query::{Reader, Record};
use crate::catalog::{CatalogError, Publication, QualifiedName};

const PUBLICATIONS: &str = "
SELECT p.pubname::text AS name, p.puballtables AS all_tables,
       p.pubinsert AS ins, p.pubupdate AS upd, p.pubdelete AS del, p.pubtruncate AS trunc,
       coalesce(array_agg(n.nspname::text ORDER BY n.nspname, c.relname)
                FILTER (WHERE c.oid IS NOT NULL), '{}') AS table_schemas,
       coalesce(array_agg(c.relname::text ORDER BY n.nspname, c.relname)
                FILTER (WHERE c.oid IS NOT NULL), '{}') AS table_names
FROM pg_publication p
LEFT JOIN pg_publication_rel pr ON pr.prpubid = p.oid
LEFT JOIN pg_class c ON c.oid = pr.prrelid
LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
GROUP BY p.oid, p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate";

/// Every publication of the database, with its explicitly added tables.
pub(super) async fn publications(reader: Reader<'_>) -> Result<Vec<Publication>, CatalogError> {
    let mut out: Vec<Publication> = reader
        .cluster_rows("publications", PUBLICATIONS)
        .await?
        .iter()
        .map(publication)
        .collect::<Result<_, _>>()?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn publication(r: &Record) -> Result<Publication, CatalogError> {
    let schemas: Vec<String> = r.get("table_schemas")?;
    let names: Vec<String> = r.get("table_names")?;
    let mut tables: Vec<QualifiedName> = schemas
        .into_iter()
        .zip(names)
        .map(|(s, n)| QualifiedName::new(s, n))
        .collect();
    tables.sort();
    let mut publish = Vec::new();
    for (column, op) in [
        ("ins", "insert"),
        ("upd", "update"),
        ("del", "delete"),
        ("trunc", "truncate"),
    ] {
        if r.get::<bool>(column)? {
            publish.push(op.to_string());
        }
    }
    Ok(Publication {
        name: r.get("name")?,
        all_tables: r.get("all_tables")?,
        tables,
        publish,
    })
}
