//! Input no user should write, and `rlsctl validate` must survive anyway: exit 0 or
//! 1 with a located message, never a panic (101), a hang (a run is killed after
//! 20 s) or pages of output (speed is bench/spec.sh's, not a test's). A corpus of mutants of the example projects (truncations,
//! byte flips, duplicated, dropped and swapped lines, long lines, deep nesting,
//! invalid UTF-8), generated here with a fixed seed, plus the cases that once
//! panicked or flooded.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What one run of `rlsctl validate` gave.
struct Run {
    code: Option<i32>,
    output: String,
}

fn validate(dir: &Path, format: &str) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rlsctl"))
        .arg("-C")
        .arg(dir)
        .args(["validate", "--format", format])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Reading both pipes on threads: a flood must not block the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut s).unwrap();
        s
    });
    let deadline = started + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut output = String::from_utf8_lossy(&out.join().unwrap()).into_owned();
    output.push_str(&String::from_utf8_lossy(&err.join().unwrap()));
    Run {
        code: status.and_then(|s| s.code()),
        output,
    }
}

/// True when the output holds a `something.toml:LINE:COL` position, or (JSON) a
/// finding with a file, line and column.
fn is_located(output: &str) -> bool {
    if let Ok(report) = serde_json::from_str::<serde_json::Value>(output.trim()) {
        return report["findings"].as_array().is_some_and(|findings| {
            findings
                .iter()
                .any(|f| f["file"].is_string() && f["line"].is_u64() && f["column"].is_u64())
        });
    }
    output.match_indices(".toml:").any(|(i, m)| {
        let rest = &output[i + m.len()..];
        let line = rest.chars().take_while(char::is_ascii_digit).count();
        line > 0
            && rest[line..].starts_with(':')
            && rest[line + 1..].starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Copies a project (its TOML and SQL files) into a fresh directory.
fn copy_project(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if matches!(name.as_ref(), "schema" | "policies" | "supabase" | "setup") {
                fs::create_dir_all(to.join(&*name)).unwrap();
                copy_project(&path, &to.join(&*name));
            }
        } else if name.ends_with(".toml") || name.ends_with(".sql") {
            fs::copy(&path, to.join(&*name)).unwrap();
        }
    }
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.join("rlsctl.toml")];
    for sub in ["schema", "policies"] {
        let mut files: Vec<PathBuf> = fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// A small deterministic generator (xorshift64*), so that a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const MUTATIONS: [&str; 8] = [
    "truncate",
    "flip a byte",
    "duplicate a line",
    "drop a line",
    "swap two lines",
    "long line",
    "deep nesting",
    "invalid UTF-8",
];

fn mutate(text: &[u8], kind: usize, rng: &mut Rng) -> Vec<u8> {
    let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
    let join = |lines: Vec<&[u8]>| lines.join(&b'\n');
    match kind {
        0 => text[..rng.below(text.len())].to_vec(),
        1 => {
            let mut out = text.to_vec();
            let at = rng.below(out.len());
            out[at] ^= 1 << rng.below(8);
            out
        }
        2 => {
            let mut l = lines.clone();
            let at = rng.below(l.len());
            l.insert(at, lines[at]);
            join(l)
        }
        3 => {
            let mut l = lines.clone();
            l.remove(rng.below(l.len()));
            join(l)
        }
        4 => {
            let mut l = lines.clone();
            let (a, b) = (rng.below(l.len()), rng.below(l.len()));
            l.swap(a, b);
            join(l)
        }
        5 => {
            // An error past column 65,535 once panicked miette.
            let at = rng.below(text.len());
            let filler = if rng.below(2) == 0 { "x" } else { "a and " };
            let mut out = text[..at].to_vec();
            out.extend(filler.repeat(70_000 / filler.len()).bytes());
            out.extend_from_slice(b" = = ");
            out.extend_from_slice(&text[at..]);
            out
        }
        6 => {
            let quotes: Vec<usize> = text
                .windows(3)
                .enumerate()
                .filter(|(_, w)| *w == b"= \"")
                .map(|(i, _)| i + 3)
                .collect();
            let at = if quotes.is_empty() {
                rng.below(text.len())
            } else {
                quotes[rng.below(quotes.len())]
            };
            let mut out = text[..at].to_vec();
            out.extend("(".repeat(10_000).bytes());
            out.extend_from_slice(&text[at..]);
            out
        }
        _ => {
            let mut out = text.to_vec();
            out.insert(rng.below(out.len()), 0xFF);
            out
        }
    }
}

#[test]
fn mutated_example_projects_exit_0_or_1_with_a_located_message() {
    let projects = [
        PathBuf::from(ROOT),
        Path::new(ROOT).join("examples/supabase"),
    ];
    let mut rng = Rng(0x005E_ED0F_F00D);
    let mut failures = Vec::new();
    let mut runs = 0;
    for project in &projects {
        for round in 0..4 {
            for (kind, name) in MUTATIONS.iter().enumerate() {
                let dir = tempfile::tempdir().unwrap();
                copy_project(project, dir.path());
                let files = toml_files(dir.path());
                let file = &files[rng.below(files.len())];
                let mutated = mutate(&fs::read(file).unwrap(), kind, &mut rng);
                fs::write(file, &mutated).unwrap();
                let format = if round % 2 == 0 { "human" } else { "json" };
                let run = validate(dir.path(), format);
                runs += 1;
                let what = format!(
                    "{name} of {} ({}, round {round}, {format})",
                    file.strip_prefix(dir.path()).unwrap().display(),
                    project.display()
                );
                let problem = match run.code {
                    Some(0) => None,
                    Some(1) if !is_located(&run.output) => Some("no file:line:col".to_string()),
                    Some(1) => None,
                    other => Some(format!("exit {other:?}")),
                }
                .or_else(|| {
                    (run.output.len() > 100_000)
                        .then(|| format!("printed {} bytes", run.output.len()))
                });
                if let Some(problem) = problem {
                    // Keep the mutant for a look at it.
                    let kept = dir.keep();
                    let head: String = run.output.chars().take(600).collect();
                    failures.push(format!(
                        "{what}: {problem} (kept in {})\n{head}",
                        kept.display()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} mutants misbehaved:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// A minimal valid project with one policy whose `using` is `using`.
fn project_with_policy_using(using: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("rlsctl.toml"),
        "[project]\nschemas = [\"public\"]\n[roles]\napp_user = {}\n",
    )
    .unwrap();
    fs::create_dir(dir.path().join("schema")).unwrap();
    fs::create_dir(dir.path().join("policies")).unwrap();
    fs::write(
        dir.path().join("schema/t.toml"),
        "[tables.t]\npublic = \"shared\"\ncolumns.id = { type = \"int\", primary_key = true }\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("policies/p.toml"),
        format!("[[policy]]\ntable = \"t\"\nname = \"p\"\nusing = \"{using}\"\n"),
    )
    .unwrap();
    dir
}

#[test]
fn an_error_past_column_65535_is_rendered_cut_around_its_column() {
    let long = "a and ".repeat(15_000);
    let dir = project_with_policy_using(&format!("{long}= = 1"));
    let run = validate(dir.path(), "human");
    assert_eq!(run.code, Some(1), "{}", run.output);
    let column = "using = \"".len() + long.len() + 1;
    assert!(
        run.output.contains(&format!(
            "policies/p.toml:4:{column}: invalid SQL in policy using"
        )),
        "{}",
        run.output
    );
    assert!(run.output.len() < 5_000, "{} bytes", run.output.len());
}

#[test]
fn a_4_mb_bad_value_is_not_echoed_in_full() {
    let huge = "x".repeat(4 << 20);
    let dir = project_with_policy_using(&format!("{huge} = = 1"));
    for format in ["human", "json"] {
        let run = validate(dir.path(), format);
        assert_eq!(
            run.code,
            Some(1),
            "{}",
            &run.output[..2000.min(run.output.len())]
        );
        assert!(
            run.output.len() < 5_000,
            "{format}: {} bytes",
            run.output.len()
        );
    }
}

#[test]
fn expressions_nested_10000_deep_are_refused_at_their_position() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    let dir = project_with_policy_using(&deep);
    let run = validate(dir.path(), "human");
    assert_eq!(run.code, Some(1), "{}", run.output);
    let column = "using = \"".len() + 200 + 1;
    assert!(
        run.output.contains(&format!(
            "policies/p.toml:4:{column}: invalid SQL in policy using: parentheses nested more than 200 levels deep"
        )),
        "{}",
        run.output
    );
}

#[test]
fn a_file_with_thousands_of_errors_shows_a_few_and_counts_the_rest() {
    let dir = project_with_policy_using("true");
    let columns: String = (0..2_000)
        .map(|i| format!("columns.c{i} = {{ type = \"text\", check = \"c{i} = = 1\" }}\n"))
        .collect();
    fs::write(
        dir.path().join("schema/t.toml"),
        format!("[tables.t]\npublic = \"shared\"\ncolumns.id = {{ type = \"int\", primary_key = true }}\n{columns}"),
    )
    .unwrap();
    let run = validate(dir.path(), "human");
    assert_eq!(run.code, Some(1));
    assert_eq!(run.output.matches("invalid SQL in check").count(), 25);
    assert!(
        run.output.contains("1975 more errors in schema/t.toml"),
        "{}",
        &run.output[run.output.len().saturating_sub(500)..]
    );
    assert!(run.output.contains("2000 error(s), 0 warning(s)"));
}

#[test]
fn invalid_utf8_names_the_file_and_the_line() {
    let dir = project_with_policy_using("true");
    let path = dir.path().join("schema/t.toml");
    let mut bytes = fs::read(&path).unwrap();
    let second_line = bytes.iter().position(|b| *b == b'\n').unwrap() + 1;
    bytes.insert(second_line + 3, 0xFF);
    fs::write(&path, bytes).unwrap();
    let run = validate(dir.path(), "human");
    assert_eq!(run.code, Some(1));
    assert!(
        run.output
            .contains("schema/t.toml:2:4: the file is not valid UTF-8 (byte 0xFF)"),
        "{}",
        run.output
    );
}

#[test]
fn a_long_help_is_cut_in_human_output() {
    // `check` names an unknown column; the help lists the table's 3,000 columns.
    let dir = project_with_policy_using("true");
    let columns: String = (0..3_000)
        .map(|i| format!("columns.column_number_{i} = {{ type = \"text\" }}\n"))
        .collect();
    fs::write(
        dir.path().join("schema/t.toml"),
        format!("[tables.t]\npublic = \"shared\"\ncolumns.id = {{ type = \"int\", primary_key = true }}\n{columns}checks = [{{ expr = \"nosuch > 0\" }}]\n"),
    )
    .unwrap();
    let run = validate(dir.path(), "human");
    assert_eq!(run.code, Some(1), "{}", run.output);
    assert!(
        run.output.contains("refers to column \"nosuch\""),
        "{}",
        run.output
    );
    assert!(
        run.output.len() < 3_000,
        "{} bytes:\n{}",
        run.output.len(),
        run.output
    );
}
