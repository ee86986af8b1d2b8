//! Facts some checks need from outside the scanned schemas (Supabase's
//! `storage`, `graphql` and `pgmq` schemas), each read by one set-based query
//! rather than by widening the scan.

use tokio_postgres::Client;

use super::AuditError;
use crate::catalog::{Grantee, Policy, PolicyCommand, PolicyMode};

/// What the Supabase pack reads beyond the catalog of the scanned schemas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// pg_graphql is present: its extension row, or a `graphql.resolve` function.
    pub graphql: bool,
    /// Storage buckets marked `public = true`.
    pub public_buckets: Vec<Bucket>,
    /// The policies of `storage.objects`.
    pub object_policies: Vec<Policy>,
    /// pgmq queue tables (`pgmq.q_*`, tables or partitioned tables) without RLS.
    pub open_queues: Vec<QueueTable>,
    /// Client roles that may CREATE in some schema of the database, or create
    /// schemas (what a foreign key or a trigger of their own needs).
    pub creators: Vec<String>,
    /// SQL and PL/pgSQL functions returning boolean in every user schema (the
    /// scan's and beyond, e.g. a `private` schema's membership helpers): what a
    /// definer function's guard may call.
    pub boolean_functions: Vec<BooleanFunction>,
}

/// A boolean SQL or PL/pgSQL function, as a guard's callee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BooleanFunction {
    /// Its schema.
    pub schema: String,
    /// Its name.
    pub name: String,
    /// `pg_get_function_arguments`.
    pub arguments: String,
    /// `sql` or `plpgsql`.
    pub language: String,
    /// `prosrc` (a SQL-standard body's is empty: not read).
    pub body: String,
}

/// A storage bucket (`storage.buckets`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// Its id (what `storage.objects.bucket_id` holds).
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A pgmq queue table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueTable {
    /// Its name in the `pgmq` schema (`q_jobs`).
    pub name: String,
    /// Partitioned (relkind `p`).
    pub partitioned: bool,
    /// Client roles holding SELECT, INSERT, UPDATE or DELETE on it.
    pub clients: Vec<String>,
}

const FACTS: &str = "
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_graphql')
       OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = 'graphql' AND p.proname = 'resolve') AS graphql,
       coalesce(to_regclass('storage.buckets') IS NOT NULL
                AND EXISTS (SELECT 1 FROM pg_attribute
                            WHERE attrelid = to_regclass('storage.buckets')
                              AND attname = 'public' AND NOT attisdropped)
                AND has_table_privilege(to_regclass('storage.buckets'), 'SELECT'), false) AS buckets,
       ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'pgmq' AND c.relkind IN ('r', 'p')
               AND c.relname LIKE 'q\\_%' AND NOT c.relrowsecurity ORDER BY 1) AS queues,
       ARRAY(SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'pgmq' AND c.relkind = 'p'
               AND c.relname LIKE 'q\\_%' AND NOT c.relrowsecurity ORDER BY 1) AS partitioned,
       ARRAY(SELECT c.relname::text || ':' || r
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, unnest($1::text[]) AS r
             WHERE n.nspname = 'pgmq' AND c.relkind IN ('r', 'p')
               AND c.relname LIKE 'q\\_%' AND NOT c.relrowsecurity
               AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
               AND has_table_privilege(r, c.oid, 'SELECT, INSERT, UPDATE, DELETE') ORDER BY 1) AS queue_clients,
       ARRAY(SELECT r FROM unnest($1::text[]) AS r
             WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
               AND (has_database_privilege(r, current_database(), 'CREATE')
                    OR EXISTS (SELECT 1 FROM pg_namespace n
                               WHERE has_schema_privilege(r, n.oid, 'CREATE')))
             ORDER BY 1) AS creators";

// polroles holds OID 0 for PUBLIC, read here as NULL.
const OBJECT_POLICIES: &str = "
SELECT p.polname::text AS name, p.polcmd::text AS command, p.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN r = 0 THEN NULL ELSE pg_get_userbyid(r)::text END
             FROM unnest(p.polroles) AS r) AS roles,
       pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'storage' AND c.relname = 'objects'
ORDER BY 1";

const BOOLEAN_FUNCTIONS: &str = "
SELECT n.nspname::text AS schema, p.proname::text AS name,
       pg_get_function_arguments(p.oid) AS arguments, l.lanname::text AS language, p.prosrc AS body
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE p.prorettype = 'pg_catalog.bool'::pg_catalog.regtype AND p.prokind = 'f'
  AND l.lanname IN ('sql', 'plpgsql') AND p.prosqlbody IS NULL
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
ORDER BY 1, 2";

const PUBLIC_BUCKETS: &str =
    "SELECT id::text AS id, name::text AS name FROM storage.buckets WHERE public ORDER BY 1";

/// Reads the facts (four queries at most); `clients` are the client roles.
pub async fn read(client: &Client, clients: &[String]) -> Result<Facts, AuditError> {
    let failed = |source| AuditError::Query {
        query: "supabase facts",
        source,
    };
    let row = client.query_one(FACTS, &[&clients]).await.map_err(failed)?;
    let graphql: bool = row.try_get("graphql").map_err(failed)?;
    let buckets: bool = row.try_get("buckets").map_err(failed)?;
    let queues: Vec<String> = row.try_get("queues").map_err(failed)?;
    let partitioned: Vec<String> = row.try_get("partitioned").map_err(failed)?;
    let queue_clients: Vec<String> = row.try_get("queue_clients").map_err(failed)?;
    let creators: Vec<String> = row.try_get("creators").map_err(failed)?;
    let open_queues = queues
        .into_iter()
        .map(|name| QueueTable {
            partitioned: partitioned.contains(&name),
            clients: queue_clients
                .iter()
                .filter_map(|x| x.strip_prefix(&format!("{name}:")))
                .map(str::to_string)
                .collect(),
            name,
        })
        .collect();
    let mut object_policies = Vec::new();
    for r in client.query(OBJECT_POLICIES, &[]).await.map_err(failed)? {
        let roles: Vec<Option<String>> = r.try_get("roles").map_err(failed)?;
        let mut roles: Vec<Grantee> = roles
            .into_iter()
            .map(|role| role.map_or(Grantee::Public, Grantee::Role))
            .collect();
        roles.sort();
        let command: String = r.try_get("command").map_err(failed)?;
        let command = match command.as_str() {
            "r" => PolicyCommand::Select,
            "a" => PolicyCommand::Insert,
            "w" => PolicyCommand::Update,
            "d" => PolicyCommand::Delete,
            _ => PolicyCommand::All,
        };
        let permissive: bool = r.try_get("permissive").map_err(failed)?;
        object_policies.push(Policy {
            name: r.try_get("name").map_err(failed)?,
            command,
            mode: if permissive {
                PolicyMode::Permissive
            } else {
                PolicyMode::Restrictive
            },
            roles,
            using: r.try_get("using_expr").map_err(failed)?,
            with_check: r.try_get("with_check").map_err(failed)?,
            comment: None,
        });
    }
    let mut boolean_functions = Vec::new();
    for r in client.query(BOOLEAN_FUNCTIONS, &[]).await.map_err(failed)? {
        boolean_functions.push(BooleanFunction {
            schema: r.try_get("schema").map_err(failed)?,
            name: r.try_get("name").map_err(failed)?,
            arguments: r.try_get("arguments").map_err(failed)?,
            language: r.try_get("language").map_err(failed)?,
            body: r.try_get("body").map_err(failed)?,
        });
    }
    let mut public_buckets = Vec::new();
    if buckets {
        for r in client.query(PUBLIC_BUCKETS, &[]).await.map_err(failed)? {
            public_buckets.push(Bucket {
                id: r.try_get("id").map_err(failed)?,
                name: r
                    .try_get::<_, Option<String>>("name")
                    .map_err(failed)?
                    .unwrap_or_default(),
            });
        }
    }
    Ok(Facts {
        graphql,
        public_buckets,
        object_policies,
        open_queues,
        creators,
        boolean_functions,
    })
}
