//! Deserializing a TOML document past its shape errors: a wrong type, a missing
//! key or an unknown one is reported, the smallest entry holding it is dropped,
//! and deserialization runs again, so that one `nullable = "yes"` does not hide
//! the rest of the file (its other tables, or the bad SQL of the same table).

use std::ops::Range;

use serde::de::{DeserializeOwned, IntoDeserializer};
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// How many shape errors one file may report before the rest are dropped with it.
const MAX_SHAPE_ERRORS: usize = 200;

/// One shape error: where, and what is wrong in the deserializer's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// Byte range in the file.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do, when known (the key a misspelt one probably means).
    pub help: Option<String>,
}

/// What came of deserializing a document.
#[derive(Debug)]
pub struct Recovered<T> {
    /// The value, with every entry that had an error left out; `None` when the
    /// document itself is malformed or an error could not be isolated.
    pub value: Option<T>,
    /// Every error, in the order found.
    pub errors: Vec<ShapeError>,
}

/// Parses `text` and deserializes it as `T`, recovering from shape errors.
pub fn deserialize<T: DeserializeOwned>(text: &str) -> Recovered<T> {
    let mut document = match DeTable::parse(text) {
        Ok(document) => document,
        Err(e) => {
            return Recovered {
                value: None,
                errors: vec![shape_error(&e)],
            };
        }
    };
    let mut errors = Vec::new();
    // Ranges of dropped entries and of the values they were dropped from: an
    // error that encloses one, or is about such a value (`missing field type`
    // once a wrong `type` is dropped), is a consequence, not news.
    let mut dropped: Vec<Range<usize>> = Vec::new();
    let mut dropped_from: Vec<Range<usize>> = Vec::new();
    loop {
        let attempt = T::deserialize(document.clone().into_deserializer());
        let e = match attempt {
            Ok(value) => {
                return Recovered {
                    value: Some(value),
                    errors,
                };
            }
            Err(e) => e,
        };
        let error = shape_error(&e);
        let consequence = dropped_from.contains(&error.span)
            || dropped
                .iter()
                .any(|d| error.span.start <= d.start && d.end <= error.span.end);
        if !consequence {
            errors.push(error.clone());
        }
        if errors.len() >= MAX_SHAPE_ERRORS {
            break;
        }
        let document_span = document.span();
        if let Some((unknown, meant)) = misspelt_key(&error.message)
            && rename_key(document.get_mut(), &error.span, &unknown, &meant)
        {
            // Read on as if the key were spelt right: what follows from it is checked.
            continue;
        }
        match drop_innermost(document.get_mut(), document_span, &error.span) {
            Some((range, parent)) => {
                dropped.push(range);
                dropped_from.push(parent);
            }
            None => break,
        }
    }
    if errors.is_empty() {
        // Cannot happen (we only stop after an error), but never report success
        // for a document that did not deserialize.
        errors.push(ShapeError {
            span: 0..0,
            message: "the file could not be read".to_string(),
            help: None,
        });
    }
    Recovered {
        value: None,
        errors,
    }
}

fn shape_error(e: &toml::de::Error) -> ShapeError {
    let message = e.message().trim().replace('\n', " ");
    let help = misspelt_key(&message).map(|(_, meant)| format!("did you mean `{meant}`?"));
    ShapeError {
        span: e.span().unwrap_or(0..0),
        message,
        help,
    }
}

/// For `unknown field `usin`, expected one of `table`, ..., `using``: the unknown
/// key and the expected one within two edits of it, if exactly one is.
fn misspelt_key(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("unknown field ")?;
    let mut quoted = rest.split('`').skip(1).step_by(2);
    let unknown = quoted.next()?;
    let close: Vec<&str> = quoted.filter(|k| edit_distance(unknown, k) <= 2).collect();
    match close.as_slice() {
        [meant] => Some((unknown.to_string(), meant.to_string())),
        _ => None,
    }
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substituted = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer != &(0..0)
}

/// Removes the innermost entry (key and value, or array element) whose key or
/// value holds `span`; returns its range and the span of the value it was in
/// (`own` for `table`), or `None` when no entry holds it (the error is about the
/// document as a whole).
fn drop_innermost(
    table: &mut DeTable<'_>,
    own: Range<usize>,
    span: &Range<usize>,
) -> Option<(Range<usize>, Range<usize>)> {
    let mut target = None;
    for (key, value) in table.iter_mut() {
        if let Some(dropped) = drop_in_value(value, span) {
            return Some(dropped);
        }
        if contains(&key.span(), span) || contains(&value.span(), span) {
            target = Some((key.clone(), key.span().start..value.span().end));
            break;
        }
    }
    let (key, range) = target?;
    table.remove(&key);
    Some((range, own))
}

/// Renames the key `from` at `span` to `to` in the table holding it, unless that
/// table already has `to`; true when renamed.
fn rename_key(table: &mut DeTable<'_>, span: &Range<usize>, from: &str, to: &str) -> bool {
    let found = table
        .iter()
        .find(|(k, _)| k.span() == *span && k.get_ref() == from)
        .map(|(k, _)| k.clone());
    if let Some(key) = found {
        if table.keys().any(|k| k.get_ref() == to) {
            return false;
        }
        if let Some(value) = table.remove(&key) {
            table.insert(
                Spanned::new(key.span(), std::borrow::Cow::Owned(to.to_string())),
                value,
            );
            return true;
        }
        return false;
    }
    table.iter_mut().any(|(_, value)| match value.get_mut() {
        DeValue::Table(inner) => rename_key(inner, span, from, to),
        DeValue::Array(items) => items.iter_mut().any(|item| match item.get_mut() {
            DeValue::Table(inner) => rename_key(inner, span, from, to),
            _ => false,
        }),
        _ => false,
    })
}

fn drop_in_value(
    value: &mut Spanned<DeValue<'_>>,
    span: &Range<usize>,
) -> Option<(Range<usize>, Range<usize>)> {
    let own = value.span();
    match value.get_mut() {
        DeValue::Table(table) => drop_innermost(table, own, span),
        DeValue::Array(array) => drop_in_array(array, own, span),
        _ => None,
    }
}

fn drop_in_array(
    array: &mut DeArray<'_>,
    own: Range<usize>,
    span: &Range<usize>,
) -> Option<(Range<usize>, Range<usize>)> {
    let mut target = None;
    for (i, item) in array.iter_mut().enumerate() {
        if let Some(dropped) = drop_in_value(item, span) {
            return Some(dropped);
        }
        if contains(&item.span(), span) {
            target = Some((i, item.span()));
            break;
        }
    }
    let (index, range) = target?;
    let mut kept = DeArray::new();
    for (i, item) in array.iter().enumerate() {
        if i != index {
            kept.push(item.clone());
        }
    }
    *array = kept;
    Some((range, own))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::SchemaFile;

    #[test]
    fn every_table_with_a_wrong_type_is_reported_and_the_rest_kept() {
        let text = r#"
[tables.a]
public = "x"
columns.id = { type = "int", nullable = "yes" }
columns.name = { type = "text" }

[tables.b]
public = 5
columns.id = { type = "int" }
"#;
        let r = deserialize::<SchemaFile>(text);
        let spans: Vec<&str> = r.errors.iter().map(|e| &text[e.span.clone()]).collect();
        assert_eq!(spans, ["\"yes\"", "5"], "{:?}", r.errors);
        let file = r.value.expect("recovered");
        let a = file.tables.values().next().unwrap().get_ref();
        assert_eq!(a.columns.len(), 2, "the column keeps its other keys");
        assert_eq!(file.tables.len(), 2);
    }

    #[test]
    fn a_missing_key_drops_its_entry_and_a_dropped_key_is_not_reported_twice() {
        let text = r#"
[tables.a]
public = "x"
columns.id = { nullable = true }
columns.n = { type = 5 }
"#;
        let r = deserialize::<SchemaFile>(text);
        let messages: Vec<&str> = r.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("missing field `type`"), "{messages:?}");
        assert!(messages[1].contains("invalid type"), "{messages:?}");
        let file = r.value.expect("recovered");
        assert!(
            file.tables
                .values()
                .next()
                .unwrap()
                .get_ref()
                .columns
                .is_empty()
        );
    }

    #[test]
    fn a_misspelt_key_is_read_as_the_key_it_means_and_the_help_says_so() {
        let text = "[[policy]]\ntable = \"t\"\nname = \"p\"\nusin = \"a = = 1\"\n";
        let r = deserialize::<crate::spec::model::PolicyFile>(text);
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert_eq!(r.errors[0].help.as_deref(), Some("did you mean `using`?"));
        let file = r.value.expect("recovered");
        let using = file.policy[0].get_ref().using.as_ref().expect("renamed");
        assert_eq!(using.get_ref(), "a = = 1");
        assert_eq!(edit_distance("curent", "current"), 1);
        assert_eq!(
            misspelt_key("unknown field `zzzz`, expected `a` or `b`"),
            None
        );
    }

    #[test]
    fn a_syntax_error_is_one_error_and_no_value() {
        let r = deserialize::<SchemaFile>("[tables.a\n");
        assert!(r.value.is_none());
        assert_eq!(r.errors.len(), 1);
    }
}
