//! Database-level and table-level statements beyond tables and policies:
//! extensions (first, so that declared objects may use them), partitions,
//! replica identity and publications (last, over the tables they publish).

use crate::spec::declaration::{Extension, Partition, Publication, ReplicaIdentity, Table};
use crate::sql::{QualifiedName, quote_ident, quote_literal};

/// `CREATE EXTENSION IF NOT EXISTS` with the declared schema and version.
pub fn create_extension(e: &Extension) -> String {
    let mut sql = format!("CREATE EXTENSION IF NOT EXISTS {}", quote_ident(&e.name));
    if let Some(schema) = &e.schema {
        sql.push_str(&format!(" SCHEMA {}", quote_ident(schema)));
    }
    if let Some(version) = &e.version {
        sql.push_str(&format!(" VERSION {}", quote_literal(version)));
    }
    sql
}

/// `CREATE TABLE ... PARTITION OF ...` with the bound as written (validated SQL).
pub fn create_partition(parent: &QualifiedName, p: &Partition) -> String {
    format!("CREATE TABLE {} PARTITION OF {parent} {}", p.name, p.bound)
}

/// `ALTER TABLE ... REPLICA IDENTITY ...`.
pub fn replica_identity(table: &Table, ri: &ReplicaIdentity) -> String {
    let what = match ri {
        ReplicaIdentity::Default => "DEFAULT".to_string(),
        ReplicaIdentity::Full => "FULL".to_string(),
        ReplicaIdentity::Nothing => "NOTHING".to_string(),
        ReplicaIdentity::Index(index) => format!("USING INDEX {}", quote_ident(index)),
    };
    format!("ALTER TABLE {} REPLICA IDENTITY {what}", table.name)
}

/// The publication, created anew: a dev database's `dev_setup` may have made
/// one of that name (Supabase's `supabase_realtime` exists, empty).
pub fn create_publication(p: &Publication) -> [String; 2] {
    let name = quote_ident(&p.name);
    let mut sql = format!("CREATE PUBLICATION {name}");
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
    [format!("DROP PUBLICATION IF EXISTS {name}"), sql]
}
