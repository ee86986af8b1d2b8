//! Candidate values for one column, as typed SQL expressions: strings generated
//! from the regular expressions its constraints match it against (`rand_regex`),
//! the constants they mention and their neighbours (`L`, `L ± 1`, a day either
//! side), enum labels, arrays of the element type, and fresh values of the type.
//! None is trusted: PostgreSQL keeps those that pass every conjunct (`valid`).

use rand::RngExt;
use regex_syntax::ParserBuilder;
use regex_syntax::hir::{Hir, HirKind};

use super::constraints::{Conjunct, Literal, Pattern};
use crate::sql::quote_literal;

/// What is known of a column's type.
#[derive(Debug, Clone, Default)]
pub struct ColumnType {
    /// The base type as `format_type` prints it (a domain's base type).
    pub base: String,
    /// An enum's labels, in order.
    pub labels: Vec<String>,
    /// An array's element type.
    pub element: Option<String>,
}

/// Broad families of types, by how their values are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Integer(i128, i128),
    Decimal(Option<u32>),
    Float,
    Text(Option<usize>),
    Date,
    Time,
    Uuid,
    Boolean,
    Json,
    Other,
}

fn family(base: &str) -> Family {
    let name = base.split('(').next().unwrap_or(base).trim();
    let modifier = || {
        base.split('(').nth(1).and_then(|m| {
            m.trim_end_matches(')')
                .split(',')
                .next()?
                .trim()
                .parse::<u32>()
                .ok()
        })
    };
    match name {
        "smallint" => Family::Integer(-32_768, 32_767),
        "integer" => Family::Integer(-2_147_483_648, 2_147_483_647),
        "bigint" => Family::Integer(i64::MIN as i128, i64::MAX as i128),
        "numeric" => Family::Decimal(base.split('(').nth(1).and_then(|m| {
            let mut parts = m.trim_end_matches(')').split(',');
            let p: u32 = parts.next()?.trim().parse().ok()?;
            let s: u32 = parts.next().map_or(Some(0), |s| s.trim().parse().ok())?;
            Some(p.saturating_sub(s))
        })),
        "real" | "double precision" => Family::Float,
        "text" | "citext" | "name" | "character varying" | "character" => {
            Family::Text(modifier().map(|m| m as usize))
        }
        "date" => Family::Date,
        "timestamp with time zone"
        | "timestamp without time zone"
        | "time without time zone"
        | "time with time zone" => Family::Time,
        "uuid" => Family::Uuid,
        "boolean" => Family::Boolean,
        "json" | "jsonb" => Family::Json,
        _ => Family::Other,
    }
}

/// Candidate SQL expressions of type `column.base` for a column ruled by `conjuncts`.
pub fn candidates(column: &ColumnType, conjuncts: &[Conjunct]) -> Vec<String> {
    let base = &column.base;
    let cast = |e: String| format!("({e})::{base}");
    let hash = conjuncts.iter().any(|c| c.hash);
    let fresh = if hash { 64 } else { 8 };
    let literals: Vec<&Literal> = conjuncts.iter().flat_map(|c| &c.literals).collect();
    let patterns: Vec<&Pattern> = conjuncts.iter().flat_map(|c| &c.patterns).collect();
    let mut rng = rand::rng();
    let mut out: Vec<String> = Vec::new();
    if !column.labels.is_empty() {
        return column
            .labels
            .iter()
            .map(|l| cast(quote_literal(l)))
            .collect();
    }
    if let Some(element) = &column.element {
        out.push(cast("'{}'".into()));
        let inner = ColumnType {
            base: element.clone(),
            ..ColumnType::default()
        };
        for e in candidates(&inner, &[]).into_iter().take(4) {
            out.push(cast(format!("ARRAY[{e}]")));
        }
        return out;
    }
    let fam = family(base);
    match fam {
        Family::Integer(low, high) => {
            let mut numbers: Vec<i128> = vec![1, 0];
            for l in &literals {
                if let Ok(n) = l.text.parse::<i128>() {
                    numbers.extend([n, n + 1, n - 1, n * 2]);
                }
            }
            numbers.extend((0..fresh).map(|_| rng.random_range(1..30_000)));
            numbers.retain(|n| (low..=high).contains(n));
            out.extend(numbers.iter().map(|n| cast(n.to_string())));
        }
        Family::Decimal(_) | Family::Float => {
            let digits = match fam {
                Family::Decimal(d) => d,
                _ => None,
            };
            let mut numbers: Vec<f64> = vec![1.0, 0.0];
            for l in &literals {
                if let Ok(n) = l.text.parse::<f64>() {
                    numbers.extend([n, n + 1.0, n - 1.0, n + 0.5]);
                }
            }
            numbers.extend((0..fresh).map(|_| rng.random_range(1..30_000) as f64));
            if let Some(d) = digits {
                let limit = 10f64.powi(d as i32);
                numbers.retain(|n| n.abs() < limit);
                numbers.extend((0..fresh).map(|_| (rng.random_range(0..1000) as f64) % limit));
            }
            out.extend(numbers.iter().map(|n| cast(n.to_string())));
        }
        Family::Text(limit) => {
            let mut texts: Vec<String> = Vec::new();
            for p in &patterns {
                texts.extend(from_pattern(p, 12));
            }
            for l in &literals {
                texts.push(l.text.clone());
                texts.push(format!("{}z", l.text));
                if let Ok(n) = l.text.parse::<usize>()
                    && n <= 256
                {
                    texts.push(letters(&mut rng, n));
                    texts.push(letters(&mut rng, n + 1));
                    texts.push(letters(&mut rng, n.saturating_sub(1)));
                }
            }
            for n in [8, 1, 2, 3, 4, 6, 12, 16, 24, 32] {
                texts.push(letters(&mut rng, n));
            }
            texts.extend((0..fresh).map(|_| letters(&mut rng, 10)));
            let hex = uuid::Uuid::new_v4().simple().to_string();
            texts.push(format!("r{}@rlsctl.test", &hex[..10]));
            texts.push(hex[..8].to_uppercase());
            texts.push(rng.random_range(10_000..99_999).to_string());
            let lowered: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
            texts.extend(lowered);
            if let Some(limit) = limit {
                texts.retain(|t| t.chars().count() <= limit);
            }
            texts.retain(|t| !t.chars().any(char::is_control));
            let mut seen = std::collections::HashSet::new();
            texts.retain(|t| seen.insert(t.clone()));
            out.extend(texts.iter().map(|t| cast(quote_literal(t))));
        }
        Family::Date | Family::Time => {
            let mut times: Vec<String> = vec![quote_literal("2024-01-02")];
            let same_family = |l: &&&Literal| {
                !l.number
                    && l.cast
                        .as_deref()
                        .is_some_and(|c| family(c) == Family::Date || family(c) == Family::Time)
            };
            for l in literals.iter().filter(same_family) {
                let v = format!("{}::{base}", quote_literal(&l.text));
                times.push(v.clone());
                times.push(format!("{v} + interval '1 day'"));
                times.push(format!("{v} - interval '1 day'"));
                times.push(format!("{v} + interval '400 days'"));
            }
            for _ in 0..fresh {
                times.push(format!(
                    "{}::{base} + interval '{} days'",
                    quote_literal("2024-01-02"),
                    rng.random_range(0..600)
                ));
            }
            if base.starts_with("time ") {
                times = vec![quote_literal("12:00:00")];
            }
            out.extend(times.into_iter().map(cast));
        }
        Family::Uuid => {
            for l in literals
                .iter()
                .filter(|l| uuid::Uuid::parse_str(&l.text).is_ok())
            {
                out.push(cast(quote_literal(&l.text)));
            }
            for _ in 0..fresh {
                out.push(cast(quote_literal(&uuid::Uuid::new_v4().to_string())));
            }
        }
        Family::Boolean => out.extend(["false", "true"].map(|b| cast(b.to_string()))),
        Family::Json => {
            out.extend(["'{}'", "'[]'", r#"'{"a": 1}'"#, "'1'"].map(|j| cast(j.to_string())))
        }
        Family::Other => {
            let simple = match base.as_str() {
                "inet" | "cidr" => Some("'10.0.0.1'"),
                "bytea" => Some(r"'\x00'"),
                "interval" => Some("'1 day'"),
                "money" => Some("'1.00'"),
                "macaddr" => Some("'08:00:2b:01:02:03'"),
                _ => None,
            };
            out.extend(simple.map(|s| cast(s.to_string())));
        }
    }
    out
}

fn letters(rng: &mut rand::rngs::ThreadRng, n: usize) -> String {
    (0..n)
        .map(|i| {
            let pick = rng.random_range(0..36u8);
            // Start with a letter: identifiers and slugs often must.
            if i == 0 || pick < 26 {
                (b'a' + pick % 26) as char
            } else {
                (b'0' + pick - 26) as char
            }
        })
        .collect()
}

/// Up to `n` strings matching `pattern`; none when the Rust regex grammar
/// cannot read PostgreSQL's pattern (back-references, `\m`).
fn from_pattern(pattern: &Pattern, n: usize) -> Vec<String> {
    let hir = [false, true].into_iter().find_map(|unicode| {
        ParserBuilder::new()
            .unicode(unicode)
            .utf8(true)
            .case_insensitive(pattern.case_insensitive)
            .build()
            .parse(&pattern.regex)
            .ok()
    });
    let Some(hir) = hir else {
        return Vec::new();
    };
    let Ok(generator) = rand_regex::Regex::with_hir(without_anchors(hir), 8) else {
        return Vec::new();
    };
    let mut rng = rand::rng();
    (0..n)
        .map(|_| rng.sample::<String, _>(&generator))
        .collect()
}

/// The expression with its anchors and word boundaries taken out: a string
/// matching what is left matches the anchored whole, and PostgreSQL judges
/// the rest.
fn without_anchors(hir: Hir) -> Hir {
    if !matches!(
        hir.kind(),
        HirKind::Look(_)
            | HirKind::Concat(_)
            | HirKind::Alternation(_)
            | HirKind::Capture(_)
            | HirKind::Repetition(_)
    ) {
        return hir;
    }
    match hir.into_kind() {
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(without_anchors).collect()),
        HirKind::Alternation(parts) => {
            Hir::alternation(parts.into_iter().map(without_anchors).collect())
        }
        HirKind::Capture(mut c) => {
            c.sub = Box::new(without_anchors(*c.sub));
            Hir::capture(c)
        }
        HirKind::Repetition(mut r) => {
            r.sub = Box::new(without_anchors(*r.sub));
            Hir::repetition(r)
        }
        _ => Hir::empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prove::seed::constraints::conjuncts;

    fn text_of(sql: &str) -> String {
        let start = sql.find('\'').unwrap() + 1;
        let end = sql.rfind('\'').unwrap();
        sql[start..end].replace("''", "'")
    }

    #[test]
    fn strings_are_generated_from_the_check_regex() {
        let c = conjuncts("CHECK ((slug ~ '^[a-z0-9-]+$'::text))");
        let t = ColumnType {
            base: "text".into(),
            ..ColumnType::default()
        };
        let all = candidates(&t, &c);
        let matching = all
            .iter()
            .map(|s| text_of(s))
            .filter(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            .count();
        assert!(matching >= 12, "{all:?}");
    }

    #[test]
    fn lengths_and_type_limits_are_respected() {
        let t = ColumnType {
            base: "character varying(3)".into(),
            ..ColumnType::default()
        };
        assert!(
            candidates(&t, &[])
                .iter()
                .all(|s| text_of(s).chars().count() <= 3)
        );
        let small = ColumnType {
            base: "smallint".into(),
            ..ColumnType::default()
        };
        let c = conjuncts("CHECK ((n > 32767))");
        assert!(candidates(&small, &c).iter().all(|s| !s.contains("32768")));
    }

    #[test]
    fn enums_arrays_and_dates_are_typed() {
        let e = ColumnType {
            base: "app.mood".into(),
            labels: vec!["sad".into(), "ok".into()],
            element: None,
        };
        assert_eq!(
            candidates(&e, &[]),
            ["('sad')::app.mood", "('ok')::app.mood"]
        );
        let a = ColumnType {
            base: "text[]".into(),
            labels: Vec::new(),
            element: Some("text".into()),
        };
        let arrays = candidates(&a, &[]);
        assert_eq!(arrays[0], "('{}')::text[]");
        assert!(arrays[1].starts_with("(ARRAY[('"), "{arrays:?}");
        let d = ColumnType {
            base: "date".into(),
            ..ColumnType::default()
        };
        let c = conjuncts("((at >= '2030-01-01'::date) AND (at < '2030-02-01'::date))");
        assert!(
            candidates(&d, &c)
                .iter()
                .any(|s| s.contains("'2030-01-01'::date"))
        );
    }
}
