//! Triggers of tables and views.

use super::query::{Failures, Reader, Record};
use crate::catalog::{
    CatalogError, EventTrigger, ExternalTrigger, QualifiedName, Trigger, TriggerEnabled,
    TriggerEvent, TriggerTiming,
};

// Internal triggers (foreign keys, deferred uniqueness) belong to their
// constraints; tgparentid marks clones of a partitioned table's trigger. A
// trigger on a relation of another schema is read when it runs a function of
// the inspected ones: the project's trigger on a table it does not own.
const TRIGGERS: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS table_name, t.tgname::text AS name,
       fn.nspname::text AS function_schema, f.proname::text AS function_name,
       t.tgtype::int4 AS trigger_type, t.tgenabled::text AS enabled,
       t.tgparentid <> 0 AS inherited, pg_get_triggerdef(t.oid) AS definition,
       NOT n.nspname = ANY($1) AS external
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc f ON f.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE (n.nspname = ANY($1) OR fn.nspname = ANY($1))
  AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT t.tgisinternal";

// Extension members (pg_depend 'e') are the extension's.
const EVENT_TRIGGERS: &str = "
SELECT e.evtname::text AS name, e.evtevent::text AS event,
       coalesce(ARRAY(SELECT tag FROM unnest(e.evttags) AS tag ORDER BY tag), '{}')::text[] AS tags,
       fn.nspname::text AS function_schema, f.proname::text AS function_name,
       e.evtenabled::text AS enabled
FROM pg_event_trigger e
JOIN pg_proc f ON f.oid = e.evtfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_event_trigger'::regclass AND d.objid = e.oid AND d.deptype = 'e')";

/// What the trigger queries read.
#[derive(Default)]
pub(super) struct Triggers {
    /// Triggers of the inspected tables and views, with their relation.
    pub of_relations: Vec<(QualifiedName, Trigger)>,
    /// Triggers elsewhere running the inspected schemas' functions.
    pub external: Vec<ExternalTrigger>,
    /// The database's event triggers.
    pub event: Vec<EventTrigger>,
}

// tgtype bits, from pg_trigger.h.
const ROW: i32 = 1 << 0;
const BEFORE: i32 = 1 << 1;
const INSERT: i32 = 1 << 2;
const DELETE: i32 = 1 << 3;
const UPDATE: i32 = 1 << 4;
const TRUNCATE: i32 = 1 << 5;
const INSTEAD: i32 = 1 << 6;

/// Every trigger of the inspected tables and views, with its relation; the
/// external triggers and the event triggers.
pub(super) async fn triggers(reader: Reader<'_>) -> Result<Triggers, CatalogError> {
    let (rows, event) = tokio::join!(
        reader.rows_of_relations("triggers", TRIGGERS, |r| {
            Ok((r.get::<bool>("external")?, trigger(r)?))
        }),
        reader.cluster_rows("event triggers", EVENT_TRIGGERS),
    );
    // As in `inspect::read`: the first failure aborts the transaction, and the
    // error worth reporting is the one that is not "transaction aborted".
    let mut failures = Failures::default();
    let rows = failures.take(rows);
    let event = failures.take(event);
    failures.check()?;
    let mut of_relations = Vec::new();
    let mut external = Vec::new();
    for (table, (is_external, trigger)) in rows {
        if is_external {
            external.push(ExternalTrigger { table, trigger });
        } else {
            of_relations.push((table, trigger));
        }
    }
    external.sort_by(|a, b| (&a.table, &a.trigger.name).cmp(&(&b.table, &b.trigger.name)));
    let mut event = event
        .iter()
        .map(event_trigger)
        .collect::<Result<Vec<_>, _>>()?;
    event.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Triggers {
        of_relations,
        external,
        event,
    })
}

fn enabled(r: &Record, column: &'static str) -> Result<TriggerEnabled, CatalogError> {
    r.code("enabled", column, |code| match code {
        "O" => Some(TriggerEnabled::Origin),
        "D" => Some(TriggerEnabled::Disabled),
        "R" => Some(TriggerEnabled::Replica),
        "A" => Some(TriggerEnabled::Always),
        _ => None,
    })
}

fn event_trigger(r: &Record) -> Result<EventTrigger, CatalogError> {
    Ok(EventTrigger {
        name: r.get("name")?,
        event: r.get("event")?,
        tags: r.get("tags")?,
        function: r.name("function_schema", "function_name")?,
        enabled: enabled(r, "evtenabled")?,
    })
}

fn trigger(r: &Record) -> Result<Trigger, CatalogError> {
    let bits: i32 = r.get("trigger_type")?;
    let timing = if bits & INSTEAD != 0 {
        TriggerTiming::InsteadOf
    } else if bits & BEFORE != 0 {
        TriggerTiming::Before
    } else {
        TriggerTiming::After
    };
    let events = [
        (INSERT, TriggerEvent::Insert),
        (UPDATE, TriggerEvent::Update),
        (DELETE, TriggerEvent::Delete),
        (TRUNCATE, TriggerEvent::Truncate),
    ]
    .into_iter()
    .filter(|(bit, _)| bits & bit != 0)
    .map(|(_, event)| event)
    .collect();
    Ok(Trigger {
        name: r.get("name")?,
        function: r.name("function_schema", "function_name")?,
        timing,
        events,
        for_each_row: bits & ROW != 0,
        enabled: enabled(r, "tgenabled")?,
        inherited: r.get("inherited")?,
        definition: r.get("definition")?,
    })
}
