//! Triggers of tables and views.

use super::query::{Reader, Record};
use crate::catalog::{
    CatalogError, QualifiedName, Trigger, TriggerEnabled, TriggerEvent, TriggerTiming,
};

// Internal triggers (foreign keys, deferred uniqueness) belong to their
// constraints; tgparentid marks clones of a partitioned table's trigger.
const TRIGGERS: &str = "
SELECT n.nspname::text AS schema, c.relname::text AS table_name, t.tgname::text AS name,
       fn.nspname::text AS function_schema, f.proname::text AS function_name,
       t.tgtype::int4 AS trigger_type, t.tgenabled::text AS enabled,
       t.tgparentid <> 0 AS inherited, pg_get_triggerdef(t.oid) AS definition
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc f ON f.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = f.pronamespace
WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT t.tgisinternal";

// tgtype bits, from pg_trigger.h.
const ROW: i32 = 1 << 0;
const BEFORE: i32 = 1 << 1;
const INSERT: i32 = 1 << 2;
const DELETE: i32 = 1 << 3;
const UPDATE: i32 = 1 << 4;
const TRUNCATE: i32 = 1 << 5;
const INSTEAD: i32 = 1 << 6;

/// Every trigger of the inspected tables and views, with its relation.
pub(super) async fn triggers(
    reader: Reader<'_>,
) -> Result<Vec<(QualifiedName, Trigger)>, CatalogError> {
    reader
        .rows_of_relations("triggers", TRIGGERS, trigger)
        .await
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
        enabled: r.code("enabled", "tgenabled", |code| match code {
            "O" => Some(TriggerEnabled::Origin),
            "D" => Some(TriggerEnabled::Disabled),
            "R" => Some(TriggerEnabled::Replica),
            "A" => Some(TriggerEnabled::Always),
            _ => None,
        })?,
        inherited: r.get("inherited")?,
        definition: r.get("definition")?,
    })
}
